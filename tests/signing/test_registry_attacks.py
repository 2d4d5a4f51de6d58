"""Attacks carried by a registry that a trusted key did sign: the signature holds, so
everything rests on what the loader refuses. One test per attack; each fails if the
protection it names is taken away.

Registries here are built with ``registry build`` from a small source tree, edited as
bytes, and signed again with the test publisher's key (trusted in each test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcheck import RegistryError, load_registry
from callcheck._errors import SignatureError
from callcheck._minisign import MAX_SIGNATURE_BYTES, SecretKey, Signature, sign
from callcheck._registry import MAX_TEXT, load_source_tree
from callcheck._tomlfast import MAX_DEPTH, MAX_TABLES
from callcheck._trust import MAX_REGISTRY_BYTES, Verified, verify_registry
from callcheck.cli import main
from tests.signing_helpers import (
    BASE_ENV,
    REPO,
    RegistryServer,
    assert_one_line_error,
    build_signed,
    provider,
    run_cli,
    snapshot,
    write_config,
    write_tree,
)

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


# --- one provider's number or name claimed by another ------------------------------------

BOLT_NUMBER = (
    b'[[providers.numbers]]\nnumber = "95566"\nregion = "CN"\nuse = "inbound"\ncountry_code = 86\n'
    b'national = "95566"\nshort_code = true\nnote = "hotline"\nsources = [\n    "s1",\n]\n'
)


def _bolt_number(number: str, region: str = "CN", country_code: int = 86) -> Callable[[bytes], bytes]:
    """Give bolt's number as ``number`` (its national digits: acme's 95555)."""
    new = (
        BOLT_NUMBER.replace(b'"95566"', f'"{number}"'.encode(), 1)
        .replace(b'"95566"', b'"95555"')
        .replace(b'"CN"', f'"{region}"'.encode())
        .replace(b"= 86", f"= {country_code}".encode())
    )
    return lambda b: b.replace(BOLT_NUMBER, new)


SHADOWED_NUMBERS = {
    "the same short code": "95555",
    "written another way": "9555-5",
    "in international form": "+86 95555",
}


@pytest.mark.parametrize("number", SHADOWED_NUMBERS.values(), ids=SHADOWED_NUMBERS.keys())
def test_provider_listing_another_providers_number_is_refused(
    base: bytes, key: SecretKey, number: str
) -> None:
    # Signed by a trusted key, so only this rule stands between a scammer's provider
    # and acme's number showing as "official" for it.
    data = _bolt_number(number)(base)
    assert data != base
    assert refused(data, key) == (
        f"{ORIGIN}: provider 'bolt': field 'numbers[0]': {number} is also listed by provider 'acme'"
    )


def test_same_digits_in_another_region_are_another_number(base: bytes, key: SecretKey) -> None:
    data = _bolt_number("95555", region="HK", country_code=852)(base)
    assert data != base
    bolt = load(data, key).registry.get("bolt")
    assert bolt is not None and bolt.numbers[0].key == "+85295555"


def test_one_provider_may_list_its_number_twice(base: bytes, key: SecretKey) -> None:
    # A hotline that also sends texts: the same number with two uses.
    data = base.replace(BOLT_NUMBER, BOLT_NUMBER + b"\n" + BOLT_NUMBER.replace(b"inbound", b"sms"))
    assert data != base
    bolt = load(data, key).registry.get("bolt")
    assert bolt is not None and [n.use for n in bolt.numbers] == ["inbound", "sms"]


SHADOWED_NAMES = {
    "an alias that is another's alias": (b'"bolt pay"', b'"Acme Pay"', "names.aliases", "Acme Pay"),
    "an alias that is another's id": (b'"bolt pay"', b'"acme"', "names.aliases", "acme"),
    "a name in other case": (b'en = "Bolt"', b'en = "ACME"', "names.en", "ACME"),
    "a name in full-width letters": (b'en = "Bolt"', 'en = "Ａｃｍｅ"'.encode(), "names.en", "Ａｃｍｅ"),
    "a name with punctuation": (b'"bolt pay"', b'"A.C.M.E. pay"', "names.aliases", "A.C.M.E. pay"),
    "a Chinese name": (b'en = "Bolt"\n', 'en = "Bolt"\nzh = "艾克米"\n'.encode(), "names.zh", "艾克米"),
}


@pytest.mark.parametrize("case", SHADOWED_NAMES.values(), ids=SHADOWED_NAMES.keys())
def test_provider_using_another_providers_name_is_refused(
    base: bytes, key: SecretKey, case: tuple[bytes, bytes, str, str]
) -> None:
    # Otherwise --claims with that name would find bolt as well as (or instead of) acme.
    base = base.replace(b'en = "Acme"\n', 'en = "Acme"\nzh = "艾克米"\n'.encode())
    assert load(base, key).registry.resolve("艾克米").id == "acme"
    old, new, field, name = case
    data = base.replace(old, new, 1)
    assert data != base
    assert refused(data, key) == (
        f"{ORIGIN}: provider 'bolt': field '{field}': {name!r} is also a name of provider 'acme'"
    )


def test_one_provider_may_give_a_name_twice(base: bytes, key: SecretKey) -> None:
    data = base.replace(b'"bolt pay"', b'"bolt pay",\n    "BOLT"', 1)
    assert load(data, key).registry.resolve("bolt").names.aliases == ("bolt pay", "BOLT")


# --- the same attacks from the command line ------------------------------------------------


@pytest.fixture
def shadowing(tmp_path: Path, key: SecretKey) -> tuple[bytes, bytes]:
    """A registry (serial 1000, above the shipped one) signed by a trusted key, in which
    a "Safe Account Service" lists Alipay's 95188 as its own; and its signature. Listed
    first, it would be the provider a check of 95188 names."""
    scam = provider("a_safe_account", number="95566", names={"en": "Safe Account Service", "aliases": []})
    providers = {"alipay": provider("alipay", number="95188"), "a_safe_account": scam}
    data = build_signed(tmp_path / "publisher", key, serial=1000, providers=providers).data
    data = data.replace(b'"95566"', b'"95188"')
    return data, signed(data, key)


def test_registry_verify_refuses_a_shadowing_registry_in_one_line(
    tmp_path: Path, key: SecretKey, shadowing: tuple[bytes, bytes]
) -> None:
    path = tmp_path / "registry.toml"
    path.write_bytes(shadowing[0])
    Path(f"{path}.minisig").write_bytes(shadowing[1])
    (tmp_path / "k.pub").write_text(key.public_key.to_text(), "utf-8")
    done = run_cli(
        ["registry", "verify", str(path), "-p", str(tmp_path / "k.pub")],
        config_dir=tmp_path,
        data_dir=tmp_path,
    )
    assert done.returncode == 3
    assert assert_one_line_error(done.stderr) == (
        f"error: {path}: provider 'alipay': field 'numbers[0]': "
        "95188 is also listed by provider 'a_safe_account'"
    )


def test_downloaded_shadowing_registry_is_ignored_and_the_shipped_one_used(
    tmp_path: Path, key: SecretKey, shadowing: tuple[bytes, bytes]
) -> None:
    from hashlib import sha256

    from callcheck._store import Store

    config, data_dir = tmp_path / "config", tmp_path / "data"
    write_config(config, key, pinned=True)
    data, signature = shadowing
    path = Store(data_dir).install(
        data, signature, serial=1000, sha256=sha256(data).hexdigest(), etag=None, url=None
    )
    before = snapshot(data_dir)
    done = run_cli(["number", "95188", "--region", "CN"], config_dir=config, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "Official number of Alipay" in done.stdout
    assert "Safe Account" not in done.stdout
    assert done.stderr.strip() == (
        f"warning: ignored the downloaded registry {path}: "
        f"{path}: provider 'alipay': field 'numbers[0]': 95188 is also listed by provider 'a_safe_account'"
    )
    assert snapshot(data_dir) == before


def test_build_refuses_a_tree_whose_compiled_registry_clients_would_refuse(tmp_path: Path) -> None:
    from callcheck._maintain import build_registry

    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme"), "bolt": provider("bolt")})
    out = tmp_path / "registry.toml"
    with pytest.raises(RegistryError) as caught:
        build_registry(tree, out)
    assert str(caught.value) == (
        f"{out}: provider 'bolt': field 'numbers[0]': 95555 is also listed by provider 'acme'"
    )
    assert not out.exists()


def test_build_refuses_to_write_a_layout_clients_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if tomli_w changed how it writes: clients would refuse every registry built.
    import functools

    import tomli_w

    from callcheck._maintain import build_registry

    monkeypatch.setattr(tomli_w, "dumps", functools.partial(tomli_w.dumps, indent=2))
    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme")})
    out = tmp_path / "registry.toml"
    with pytest.raises(
        RegistryError, match=r"clients could not read the compiled registry: line \d+: not in the layout"
    ):
        build_registry(tree, out)
    assert not out.exists()


# --- the comments of a signature ----------------------------------------------------------

# Nothing signs the untrusted comment: anyone can write anything there.
FAKE = "trusted comment: timestamp:0\tfile:evil.toml\tserial:999 key 0123456789ABCDEF \x1b[2J\x1b]0;x\x07"


def _write_signed(directory: Path, data: bytes, signature: Signature) -> Path:
    path = directory / "registry.toml"
    path.write_bytes(data)
    Path(f"{path}.minisig").write_text(signature.to_text(), "utf-8")
    return path


def _verify_cli(path: Path, key: SecretKey, *args: str) -> tuple[int, str, str]:
    pub = path.parent / "k.pub"
    pub.write_text(key.public_key.to_text(), "utf-8")
    env = {
        **BASE_ENV,
        "CALLCHECK_CONFIG_DIR": str(path.parent / "c"),
        "CALLCHECK_DATA_DIR": str(path.parent / "d"),
    }
    result = CliRunner(env=env).invoke(main, ["registry", "verify", str(path), "-p", str(pub), *args])
    return result.exit_code, result.stdout, result.stderr


def test_untrusted_comment_decides_nothing_and_is_never_shown(
    tmp_path: Path, base: bytes, key: SecretKey
) -> None:
    signature = sign(base, key, trusted_comment="timestamp:1\tfile:registry.toml").replace(
        untrusted_comment=FAKE
    )
    path = _write_signed(tmp_path, base, signature)
    verified = load(base, key)
    real = verify_registry(base, signature.to_text(), [key.public_key], origin=ORIGIN)
    assert (real.trusted_comment, real.key_id) == ("timestamp:1\tfile:registry.toml", key.public_key.id)
    assert real.serial == verified.serial == 5
    for args in ((), ("--json",)):
        status, out, err = _verify_cli(path, key, *args)
        assert status == 0, err
        assert key.public_key.id in out
        for shown in (out, err):
            assert "evil" not in shown and "999" not in shown and "0123456789ABCDEF" not in shown
            assert "\x1b" not in shown and "\x07" not in shown


# The trusted comment is signed, but whoever holds the key writes it.
CONTROLS = "timestamp:1\tfile:x\x1b]0;owned\x07\x1b[2J\r\u202etxt.exe\x9b31m\u2028done"


def _with_trusted_comment(data: bytes, key: SecretKey, comment: str) -> Signature:
    signature = sign(data, key)
    global_signature = key.sign_raw(signature.signature + comment.encode("utf-8"))
    return signature.replace(trusted_comment=comment, global_signature=global_signature)


def test_trusted_comment_with_terminal_controls_is_shown_escaped(
    tmp_path: Path, base: bytes, key: SecretKey
) -> None:
    signature = _with_trusted_comment(base, key, CONTROLS)
    path = _write_signed(tmp_path, base, signature)
    assert Signature.from_text(path.with_name("registry.toml.minisig").read_bytes()) == signature
    status, out, err = _verify_cli(path, key)
    assert status == 0, err
    assert out.splitlines()[-1] == (
        "trusted comment: timestamp:1\tfile:x\\x1b]0;owned\\x07\\x1b[2J\\r\\u202etxt.exe\\x9b31m\\u2028done"
    )
    for char in "\x1b\x07\r\u202e\x9b\u2028":
        assert char not in out


def test_trusted_comment_in_json_is_the_exact_value_with_no_raw_controls(
    tmp_path: Path, base: bytes, key: SecretKey
) -> None:
    path = _write_signed(tmp_path, base, _with_trusted_comment(base, key, CONTROLS))
    status, out, err = _verify_cli(path, key, "--json")
    assert status == 0, err
    assert json.loads(out)["trusted_comment"] == CONTROLS
    for char in "\x1b\x07\r\u202e\x9b\u2028":
        assert char not in out


def test_error_naming_a_file_shows_its_controls_escaped(tmp_path: Path, key: SecretKey) -> None:
    path = tmp_path / "evil\x1b[2J\x1b]0;x\x07.toml"
    status, _, err = _verify_cli(path, key)
    assert status == 3
    assert err == f"error: {tmp_path}/evil\\x1b[2J\\x1b]0;x\\x07.toml: file not found\n"


def test_update_with_an_abused_untrusted_comment_shows_only_what_was_verified(
    tmp_path: Path, key: SecretKey, server: RegistryServer
) -> None:
    built = build_signed(tmp_path / "publisher", key, serial=7)
    signature = Signature.from_text(built.signature).replace(untrusted_comment=FAKE)
    server.files = {"registry.toml": built.data, "registry.toml.minisig": signature.to_text().encode()}
    config = tmp_path / "config"
    write_config(config, key)
    env = {**BASE_ENV, "CALLCHECK_CONFIG_DIR": str(config), "CALLCHECK_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner(env=env).invoke(main, ["update", "--url", server.url])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"updated: registry serial 7, signed by key {key.public_key.id}\n"
    info = CliRunner(env=env).invoke(main, ["registry", "info"])
    assert info.exit_code == 0, info.stderr
    assert "evil" not in info.stdout and "999" not in info.stdout and "\x1b" not in info.stdout
