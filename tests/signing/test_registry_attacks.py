"""Attacks carried by a registry that a trusted key did sign: the signature holds, so
everything rests on what the loader refuses. One test per attack; each fails if the
protection it names is taken away.

Registries here are built with ``registry build`` from a small source tree, edited as
bytes, and signed again with the test publisher's key (trusted in each test).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from callcheck import RegistryError, load_registry
from callcheck._errors import SignatureError
from callcheck._minisign import MAX_SIGNATURE_BYTES, SecretKey, Signature, sign
from callcheck._registry import MAX_TEXT, load_source_tree
from callcheck._tomlfast import MAX_DEPTH, MAX_TABLES
from callcheck._trust import MAX_REGISTRY_BYTES, Verified, verify_registry
from tests.signing_helpers import REPO, build_signed, provider, write_tree

ORIGIN = "attack.toml"


@pytest.fixture
def base(tmp_path: Path, key: SecretKey) -> bytes:
    """A valid compiled registry (serial 5) with providers acme (95555) and bolt (95566)."""
    providers = {"acme": provider("acme"), "bolt": provider("bolt", number="95566")}
    return build_signed(tmp_path, key, serial=5, providers=providers).data


def signed(data: bytes, key: SecretKey) -> bytes:
    return sign(data, key).to_text().encode("utf-8")


def load(data: bytes, key: SecretKey) -> Verified:
    """``data`` signed by ``key`` and verified against it: only the loader's rules can refuse."""
    return verify_registry(data, signed(data, key), [key.public_key], origin=ORIGIN)


def refused(data: bytes, key: SecretKey) -> str:
    with pytest.raises(RegistryError) as caught:
        load(data, key)
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) < 300
    return message


def test_the_base_registry_loads(base: bytes, key: SecretKey) -> None:
    assert [p.id for p in load(base, key).registry.providers] == ["acme", "bolt"]


# --- duplicate keys and tables: never last-wins -------------------------------------------

DUPLICATES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    # The serial a reviewer reads first, and a higher one after it.
    "a header key twice": (lambda b: b.replace(b"serial = 5\n", b"serial = 5\nserial = 9\n"), "'serial'"),
    # A number whose national digits are given twice: the second would be matched.
    "a number's key twice": (
        lambda b: b.replace(b'national = "95555"\n', b'national = "95555"\nnational = "95188"\n'),
        "'national'",
    ),
    "a table twice": (lambda b: b + b'\n[providers.names]\nen = "Alipay"\n', "'providers.names'"),
    "a key, then a table of that name": (
        lambda b: b.replace(b"built = ", b"[serial.x]\nbuilt = "),
        "'serial'",
    ),
    "an array of tables over a key": (
        lambda b: b.replace(b"built = ", b"[[serial]]\nbuilt = "),
        "'serial'",
    ),
    "a static array, then tables in it": (
        lambda b: b.replace(b"[[providers.numbers]]", b"[providers.regions.x]\n[[providers.numbers]]", 1),
        "'providers.regions'",
    ),
}


@pytest.mark.parametrize("case", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_signed_registry_defining_something_twice_is_refused(
    base: bytes, key: SecretKey, case: tuple[Callable[[bytes], bytes], str]
) -> None:
    edit, name = case
    data = edit(base)
    assert data != base
    assert "signed, but not a valid registry file: line " in (message := refused(data, key))
    assert f"{name} is defined twice" in message


def test_source_file_defining_a_key_twice_is_refused_by_tomllib(tmp_path: Path) -> None:
    # Source trees are read with tomllib, which follows TOML: no duplicates.
    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme")})
    path = tree / "providers" / "acme.toml"
    path.write_text('kind = "bank"\n' + path.read_text("utf-8"), "utf-8")
    with pytest.raises(RegistryError, match="not valid TOML: Cannot overwrite a value"):
        load_source_tree(tree)


# --- huge files, deep nesting, many tables ------------------------------------------------


def _padded(base: bytes) -> bytes:
    return base + b"# padding\n" * (MAX_REGISTRY_BYTES // 10 + 1)


def _million_providers(base: bytes) -> bytes:
    return base + b"[[providers]]\n" * 1_000_000


def _huge_string(base: bytes) -> bytes:
    return base.replace(b'note = "hotline"', b'note = "' + b"x" * MAX_REGISTRY_BYTES + b'"', 1)


HUGE = {
    "padded past the limit": _padded,
    "a million providers": _million_providers,
    "a huge string": _huge_string,
}


@pytest.mark.parametrize("grow", HUGE.values(), ids=HUGE.keys())
def test_registry_larger_than_the_limit_is_refused_before_it_is_checked(
    base: bytes, key: SecretKey, grow: Callable[[bytes], bytes]
) -> None:
    data = grow(base)
    assert len(data) > MAX_REGISTRY_BYTES
    message = refused(data, key)
    assert message == f"{ORIGIN}: larger than the {MAX_REGISTRY_BYTES}-byte limit for a registry"


def test_registry_and_signature_files_larger_than_their_limits_are_not_read_into_memory(
    tmp_path: Path, key: SecretKey
) -> None:
    # Files of 64 GiB (sparse: they take no disk) loaded by a process allowed 2 GiB of
    # address space: reading either whole would fail with MemoryError.
    path = tmp_path / "registry.toml"
    for name in (path, Path(f"{path}.minisig")):
        with name.open("wb") as fh:
            fh.truncate(64 << 30)
    code = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from callcheck import RegistryError, load_registry
        from callcheck._minisign import PublicKey
        try:
            load_registry({str(path)!r}, keys=[PublicKey.from_base64({key.public_key.base64!r})])
        except RegistryError as exc:
            print(exc)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{path}: larger than the {MAX_REGISTRY_BYTES}-byte limit for a registry"


def test_signature_larger_than_the_limit_is_refused_before_it_is_split(
    tmp_path: Path, base: bytes, key: SecretKey
) -> None:
    path = tmp_path / "registry.toml"
    path.write_bytes(base)
    Path(f"{path}.minisig").write_bytes(signed(base, key) + b"\n" * (64 << 20))
    with pytest.raises(SignatureError, match=f"^signature: larger than {MAX_SIGNATURE_BYTES} bytes$"):
        load_registry(path, keys=[key.public_key])
    with pytest.raises(SignatureError, match=f"^signature: larger than {MAX_SIGNATURE_BYTES} bytes$"):
        Signature.from_text(signed(base, key) + b"\n" * MAX_SIGNATURE_BYTES)


def test_table_nested_deeper_than_the_limit_is_refused(base: bytes, key: SecretKey) -> None:
    # 100,000 keys deep would otherwise be 100,000 nested tables (~20 MB from 200 KB).
    header = b"[providers." + b".".join([b"x"] * 100_000) + b"]\n"
    message = refused(base + header, key)
    assert message.endswith(f"a table nested more than {MAX_DEPTH} deep")


def test_more_tables_than_the_limit_are_refused(base: bytes, key: SecretKey) -> None:
    data = base + b"[[providers.sources]]\n" * MAX_TABLES
    assert len(data) < MAX_REGISTRY_BYTES
    assert refused(data, key).endswith(f"more than {MAX_TABLES} tables")


NESTED = {
    "nested arrays": b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "nested inline tables": b"x = " + b"{a = " * 100_000 + b"1" + b"}" * 100_000 + b"\n",
    # tomllib takes time quadratic in the number of parts: seconds for this one.
    "a long dotted key": b".".join([b"x"] * 10_000) + b" = 1\n",
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_signed_registry_in_another_toml_layout_is_refused_not_parsed_by_tomllib(
    base: bytes, key: SecretKey, text: bytes
) -> None:
    data = base.replace(b"format = 1\n", b"format = 1\n" + text)
    message = refused(data, key)
    assert message == (
        f"{ORIGIN}: signed, but not a valid registry file: "
        "line 3: not in the layout 'callcheck registry build' writes"
    )


def test_source_file_nested_too_deep_for_tomllib_is_refused_not_a_crash(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme")})
    path = tree / "providers" / "acme.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    with pytest.raises(RegistryError, match=r"acme\.toml: not valid TOML: nested too deep"):
        load_source_tree(tree)


def test_string_longer_than_the_limit_is_refused(base: bytes, key: SecretKey) -> None:
    long = b"x" * (MAX_TEXT + 1)
    message = refused(base.replace(b'note = "hotline"', b'note = "' + long + b'"', 1), key)
    assert message == (
        f"{ORIGIN}: provider 'acme': field 'numbers[0].note': longer than {MAX_TEXT} characters"
    )
    assert load(base.replace(b'note = "hotline"', b'note = "' + long[1:] + b'"', 1), key)


def test_error_never_quotes_a_huge_value(base: bytes, key: SecretKey) -> None:
    huge = b"kind = [\n" + b'    "bank",\n' * 100_000 + b"]\n"
    message = refused(base.replace(b'kind = "payment_app"\n', huge, 1), key)
    assert message.endswith(
        "must be one of wallet, payment_app, bank, crypto_exchange, crypto_wallet (got '[…]')"
    )
    message = refused(base.replace(b'kind = "payment_app"', b'kind = "' + b"z" * 10_000 + b'"', 1), key)
    assert message.endswith(f"(got '{'z' * 40}…')")


# --- a prehashed signature passed off as a legacy one --------------------------------------


def test_prehashed_signature_reused_as_a_legacy_signature_of_the_hash_is_refused(
    base: bytes, key: SecretKey
) -> None:
    # minisign's format lets anyone turn an "ED" signature of X into a valid legacy "Ed"
    # signature of the 64 bytes BLAKE2b(X) (the global signature does not cover the
    # algorithm). No registry is 64 bytes, so the copy cannot load.
    from hashlib import blake2b

    sig = sign(base, key)
    digest = blake2b(base, digest_size=64).digest()
    legacy = sig.replace(algorithm="Ed").to_text()
    with pytest.raises(RegistryError, match="signed, but not a valid registry file"):
        verify_registry(digest, legacy, [key.public_key], origin=ORIGIN)


# --- strings that would act on a terminal or hide ------------------------------------------

UNPRINTABLE = {
    # A name that clears the screen and retitles the window when shown.
    "escape sequences in a name": (b'en = "Acme"', b'en = "Acme\\u001b[2J\\u001b]0;x\\u0007"', "U+001B"),
    # A note that starts a line of its own, which could pass for callcheck's output.
    "a newline in a note": (b'note = "hotline"', b'note = "hotline\\nOfficial: yes"', "U+000A"),
    "a C1 control, raw": (b'note = "hotline"', 'note = "hot\u009bline"'.encode(), "U+009B"),
    "a right-to-left override": (b'title = "acme help"', b'title = "acme \\u202eplh"', "U+202E"),
    "a zero-width space in an alias": (b'"acme pay"', b'"acme\\u200b pay"', "U+200B"),
    "a no-break space": (b'"acme pay"', "acme\u00a0pay".join('""').encode(), "U+00A0"),
}


@pytest.mark.parametrize("case", UNPRINTABLE.values(), ids=UNPRINTABLE.keys())
def test_string_with_a_character_that_is_not_printable_is_refused(
    base: bytes, key: SecretKey, case: tuple[bytes, bytes, str]
) -> None:
    old, new, char = case
    data = base.replace(old, new, 1)
    assert data != base
    message = refused(data, key)
    assert message.startswith(f"{ORIGIN}: provider 'acme': field ")
    assert message.endswith(f"holds {char}, a control, invisible or formatting character")


def test_source_file_with_a_control_character_is_refused(tmp_path: Path) -> None:
    acme = provider("acme")
    acme["names"] = {"en": "Acme\x1b[31m", "aliases": []}
    tree = write_tree(tmp_path / "t", providers={"acme": acme})
    with pytest.raises(RegistryError, match=r"field 'names\.en': holds U\+001B"):
        load_source_tree(tree)
