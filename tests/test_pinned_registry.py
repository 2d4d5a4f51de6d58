"""The shipped registry's pinned digests: when they stand in for the Ed25519 check, and when not.

``data/registry.sha256`` pins the SHA-256 of the shipped registry and of its signature.
When both match the bytes read, the loader trusts the shipped registry without loading
cryptography; anything else (a changed byte, stale, malformed or missing digests, a
downloaded registry) is verified in full. Child processes run a copy of the package
whose files each test changes, and report what they trusted and whether cryptography
was imported.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import callcheck
from callcheck._config import PINNED_KEYS, Config
from callcheck._errors import RegistryError, SignatureError
from callcheck._loading import EMBEDDED, EMBEDDED_DIGESTS, EMBEDDED_FILE, load_trusted
from callcheck._minisign import PublicKey, SecretKey, Signature, sign
from callcheck._store import Store
from callcheck._trust import pinned_registry, verify_registry
from tests.signing_helpers import PINNED_KEY_ID, REPO, Built, build_signed

PACKAGE = Path(callcheck.__file__).parent
SHIPPED = Path(EMBEDDED_FILE)
SHIPPED_SIG = Path(f"{EMBEDDED_FILE}.minisig")
PINNED = [PublicKey.from_base64(k) for k in PINNED_KEYS]


def digests(data: bytes, signature: bytes, name: str = "registry.toml") -> bytes:
    """What ``sha256sum NAME NAME.minisig`` prints for these bytes."""
    return (
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        f"{hashlib.sha256(signature).hexdigest()}  {name}.minisig\n"
    ).encode("ascii")


def corrupted(signature: bytes) -> bytes:
    """``signature`` with one bit of its Ed25519 signature over the data flipped (it
    still parses and names the same key, but no longer verifies)."""
    sig = Signature.from_text(signature)
    flipped = bytes([sig.signature[0] ^ 1]) + sig.signature[1:]
    return (
        Signature(
            sig.algorithm,
            sig.key_id,
            flipped,
            sig.trusted_comment,
            sig.global_signature,
            sig.untrusted_comment,
        )
        .to_text()
        .encode("utf-8")
    )


def bump_serial(data: bytes) -> bytes:
    """The shipped registry with a higher serial: still a valid registry, no longer signed."""
    edited = data.replace(b"serial = ", b"serial = 9", 1)
    assert edited != data
    return edited


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


@pytest.fixture
def built(tmp_path: Path, key: SecretKey) -> Built:
    """A small registry signed with ``key``."""
    return build_signed(tmp_path, key, serial=3)


# --- what is shipped -----------------------------------------------------------------------


def test_shipped_digests_pin_the_shipped_files_which_verify_in_full() -> None:
    data, signature = SHIPPED.read_bytes(), SHIPPED_SIG.read_bytes()
    # Exactly what 'sha256sum registry.toml registry.toml.minisig' writes for these bytes ...
    assert Path(EMBEDDED_DIGESTS).read_bytes() == digests(data, signature)
    # ... and the registry they pin passes the full Ed25519 check with the pinned key alone.
    verified = verify_registry(data, signature, PINNED, origin=EMBEDDED)
    assert verified.key_id == PINNED_KEY_ID
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "-c", "registry.sha256"],
            cwd=SHIPPED.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    if shutil.which("minisign"):
        done = subprocess.run(
            ["minisign", "-V", "-P", PINNED_KEYS[0], "-m", str(SHIPPED)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_digest_file_is_package_data() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["callcheck"]
    name = os.path.relpath(EMBEDDED_DIGESTS, PACKAGE)
    assert any(fnmatch.fnmatch(name, p) for p in patterns), (name, patterns)


def test_pinned_and_full_verification_agree_on_the_shipped_registry(tmp_path: Path) -> None:
    loaded = load_trusted(Config(), tmp_path / "no-downloads")
    full = verify_registry(SHIPPED.read_bytes(), SHIPPED_SIG.read_bytes(), PINNED, origin=EMBEDDED)
    assert loaded.origin == EMBEDDED
    assert loaded.warnings == ()
    pinned = loaded.verified
    assert (pinned.data, pinned.key_id, pinned.trusted_comment) == (
        full.data,
        full.key_id,
        full.trusted_comment,
    )
    fields = ("serial", "expires", "providers", "origin", "reporting", "reporting_sources")
    assert [getattr(pinned.registry, f) for f in fields] == [getattr(full.registry, f) for f in fields]


# --- the number check in a new process ---------------------------------------------------------


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A child's environment: empty user directories, plain locale, nothing of callcheck's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALLCHECK_", "XDG_", "PYTHON"))}
    for name in ("home", "xdg-config", "xdg-data"):
        (tmp_path / name).mkdir(exist_ok=True)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        LC_ALL="C.UTF-8",
        NO_COLOR="1",
        **extra,
    )
    return env


def run_child(tmp_path: Path, argv: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    """``argv`` in a child process with :func:`child_env`, from ``tmp_path``."""
    return subprocess.run(
        argv,
        env=child_env(tmp_path, **extra),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


_CHECK = """
import json, sys
import callcheck
check = callcheck.check_number("95188", region="CN")
print(json.dumps({"verdict": check.verdict, "cryptography": "cryptography" in sys.modules}))
"""


def test_checking_a_number_does_not_import_cryptography(tmp_path: Path) -> None:
    proc = run_child(tmp_path, [sys.executable, "-c", _CHECK])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"verdict": "official", "cryptography": False}, proc.stderr


def test_the_number_command_does_not_import_cryptography(tmp_path: Path) -> None:
    argv = [sys.executable, "-X", "importtime", "-m", "callcheck.cli", "number", "95188", "--region", "CN"]
    proc = run_child(tmp_path, argv)
    assert proc.returncode == 0, proc.stderr
    assert "95188" in proc.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
    assert "callcheck._trust" in imported  # the report is there ...
    assert not [m for m in imported if m.startswith("cryptography")]  # ... without cryptography


# --- a copy of the package, changed ----------------------------------------------------------


def package_copy(tmp_path: Path) -> Path:
    """A copy of the installed package under ``tmp_path/site``; returns its data directory."""
    target = tmp_path / "site" / "callcheck"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target / "data"


_LOAD = """
import json, sys
import callcheck
from callcheck._config import Config
from callcheck._errors import CallcheckError
from callcheck._loading import load_trusted

assert callcheck.__file__.startswith(sys.argv[1]), callcheck.__file__
try:
    loaded = load_trusted(Config(), sys.argv[2])
    seen = {"origin": loaded.origin, "serial": loaded.verified.serial, "warnings": list(loaded.warnings)}
except CallcheckError as exc:
    seen = {"error": f"{type(exc).__name__}: {exc}"}
seen["cryptography"] = "cryptography" in sys.modules
print(json.dumps(seen))
"""


def load_in_copy(tmp_path: Path, downloads: Path | None = None) -> dict[str, Any]:
    """What the package copy under ``tmp_path/site`` trusts, loaded in a new process."""
    site = tmp_path / "site"
    data = downloads or tmp_path / "no-downloads"
    argv = [sys.executable, "-c", _LOAD, str(site), str(data)]
    proc = run_child(tmp_path, argv, PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1")
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def shipped_serial() -> int:
    return verify_registry(SHIPPED.read_bytes(), SHIPPED_SIG.read_bytes(), PINNED, origin=EMBEDDED).serial


def test_unchanged_copy_is_trusted_on_its_digests(tmp_path: Path) -> None:
    package_copy(tmp_path)
    seen = load_in_copy(tmp_path)
    assert seen == {"origin": EMBEDDED, "serial": shipped_serial(), "warnings": [], "cryptography": False}


@pytest.mark.parametrize(
    "change",
    [
        lambda d: (d / "registry.sha256").unlink(),
        lambda d: (d / "registry.sha256").write_bytes(b"not a digest file\n"),
        lambda d: (d / "registry.sha256").write_bytes(digests(b"an older registry", b"its signature")),
    ],
    ids=["missing", "malformed", "stale"],
)
def test_shipped_registry_without_usable_digests_is_verified_in_full(tmp_path: Path, change: Any) -> None:
    change(package_copy(tmp_path))
    seen = load_in_copy(tmp_path)
    # Trusted all the same, silently; only the Ed25519 check (and its import) came back.
    assert seen == {"origin": EMBEDDED, "serial": shipped_serial(), "warnings": [], "cryptography": True}


_DATA_CHANGED = f"signature by key {PINNED_KEY_ID} does not match the data"
_COMMENT_CHANGED = f"trusted comment signature by key {PINNED_KEY_ID} is invalid"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: (d / "registry.toml").write_bytes(bump_serial(SHIPPED.read_bytes())), _DATA_CHANGED),
        (
            lambda d: (d / "registry.toml").write_bytes(SHIPPED.read_bytes().replace(b"95188", b"95189", 1)),
            _DATA_CHANGED,
        ),
        (
            lambda d: (d / "registry.toml.minisig").write_bytes(
                SHIPPED_SIG.read_bytes().replace(b"\ntrusted comment: ", b"\ntrusted comment: x", 1)
            ),
            _COMMENT_CHANGED,
        ),
    ],
    ids=["serial", "number", "trusted comment"],
)
def test_changed_byte_in_the_shipped_files_with_stale_digests_is_refused(
    tmp_path: Path, edit: Any, message: str
) -> None:
    edit(package_copy(tmp_path))
    seen = load_in_copy(tmp_path)
    assert seen == {
        "error": "RegistryError: no trusted registry: "
        f"the registry shipped with callcheck is not trusted: {message}",
        "cryptography": True,
    }


def test_downloaded_registry_is_verified_in_full_even_when_the_digests_name_it(tmp_path: Path) -> None:
    # The copy's digests pin a tampered registry with a higher serial, and that very
    # registry sits in the data directory as a download. Were the digests used for
    # downloads, it would be trusted and win on its serial.
    tampered, signature = bump_serial(SHIPPED.read_bytes()), SHIPPED_SIG.read_bytes()
    (package_copy(tmp_path) / "registry.sha256").write_bytes(digests(tampered, signature))
    downloads = tmp_path / "data"
    path = Store(downloads).install(
        tampered,
        signature,
        serial=shipped_serial() * 10,
        sha256=hashlib.sha256(tampered).hexdigest(),
        etag=None,
        url=None,
    )
    seen = load_in_copy(tmp_path, downloads)
    assert seen == {
        "origin": EMBEDDED,
        "serial": shipped_serial(),
        "warnings": [f"ignored the downloaded registry {path}: {_DATA_CHANGED}"],
        "cryptography": True,
    }


# --- the rule itself ------------------------------------------------------------------------


def test_matching_digests_stand_in_for_the_ed25519_check(built: Built, key: SecretKey) -> None:
    # A signature that no longer verifies is still taken when the digests pin its bytes:
    # it is the file the release verified, so nothing is checked again.
    bad = corrupted(built.signature)
    pinned = pinned_registry(built.data, bad, [key.public_key], digests(built.data, bad), origin="t")
    assert pinned.serial == 3
    assert pinned.key_id == key.public_key.id
    assert pinned.trusted_comment == Signature.from_text(bad).trusted_comment
    with pytest.raises(SignatureError, match="does not match the data"):
        verify_registry(built.data, bad, [key.public_key], origin="t")


@pytest.mark.parametrize("flags", [[], ["-b"]], ids=["text mode", "binary mode"])
def test_digests_written_by_sha256sum_are_read(built: Built, key: SecretKey, flags: list[str]) -> None:
    if not shutil.which("sha256sum"):
        pytest.skip("sha256sum is not installed")
    bad = corrupted(built.signature)
    workdir = built.path.parent / "pinned"
    workdir.mkdir()
    (workdir / "registry.toml").write_bytes(built.data)
    (workdir / "registry.toml.minisig").write_bytes(bad)
    written = subprocess.run(
        ["sha256sum", *flags, "registry.toml", "registry.toml.minisig"],
        cwd=workdir,
        capture_output=True,
        check=True,
    ).stdout
    assert pinned_registry(built.data, bad, [key.public_key], written, origin="t").serial == 3


@pytest.mark.parametrize(
    "make",
    [
        lambda data, sig: b"",
        lambda data, sig: digests(data, sig).splitlines(keepends=True)[0],
        lambda data, sig: digests(data, sig).splitlines(keepends=True)[1],
        lambda data, sig: digests(data, sig) + digests(data, sig).splitlines(keepends=True)[0],
        lambda data, sig: digests(data, sig) + f"{'0' * 64}  patterns.toml\n".encode(),
        lambda data, sig: digests(data, sig, name="registry.toml.bak"),
        lambda data, sig: digests(data, sig, name="data/registry.toml"),
        lambda data, sig: digests(data, sig).replace(b"  ", b" "),
        lambda data, sig: digests(data, sig).replace(b"  ", b"x "),
        lambda data, sig: digests(data, sig).replace(b"\n", b"\r\n"),
        lambda data, sig: b"\n".join(line[1:] for line in digests(data, sig).split(b"\n")),
        lambda data, sig: digests(data, sig).replace(digests(data, sig)[:1], b"g", 1),
        lambda data, sig: (
            f"SHA256 (registry.toml) = {hashlib.sha256(data).hexdigest()}\n"
            f"SHA256 (registry.toml.minisig) = {hashlib.sha256(sig).hexdigest()}\n"
        ).encode(),
        lambda data, sig: digests(data, sig).replace(b"registry.toml\n", "registry.toml\u00a0\n".encode(), 1),
        # Well formed, but wrong: swapped, or of other bytes.
        lambda data, sig: digests(sig, data),
        lambda data, sig: digests(data, sig + b"\n"),
        lambda data, sig: digests(data + b"\n", sig),
    ],
    ids=[
        "empty",
        "registry line only",
        "signature line only",
        "a line twice",
        "an extra file",
        "other names",
        "a path",
        "one space",
        "odd separator",
        "crlf",
        "short hex",
        "not hex",
        "bsd format",
        "not ascii",
        "swapped",
        "other signature",
        "other registry",
    ],
)
def test_unusable_digests_mean_full_verification(built: Built, key: SecretKey, make: Any) -> None:
    bad = corrupted(built.signature)
    with pytest.raises(SignatureError, match="does not match the data"):
        pinned_registry(built.data, bad, [key.public_key], make(built.data, bad), origin="t")
    # The same digests on a good signature: verified in full, and trusted.
    good = pinned_registry(built.data, built.signature, [key.public_key], make(built.data, bad), origin="t")
    assert good.serial == 3


def test_no_digests_mean_full_verification(built: Built, key: SecretKey) -> None:
    bad = corrupted(built.signature)
    with pytest.raises(SignatureError, match="does not match the data"):
        pinned_registry(built.data, bad, [key.public_key], None, origin="t")


@pytest.mark.parametrize(
    "tamper",
    [bump_serial, lambda d: d.replace(b"95555", b"95556", 1), lambda d: d + b"\n"],
    ids=["serial", "number", "trailing newline"],
)
def test_tampered_registry_with_stale_digests_is_refused(built: Built, key: SecretKey, tamper: Any) -> None:
    stale = digests(built.data, built.signature)
    assert pinned_registry(built.data, built.signature, [key.public_key], stale, origin="t").serial == 3
    tampered = tamper(built.data)
    assert tampered != built.data
    with pytest.raises(SignatureError, match="does not match the data"):
        pinned_registry(tampered, built.signature, [key.public_key], stale, origin="t")


def test_changed_trusted_comment_with_stale_digests_is_refused(built: Built, key: SecretKey) -> None:
    stale = digests(built.data, built.signature)
    sig = Signature.from_text(built.signature)
    forged = (
        Signature(
            sig.algorithm,
            sig.key_id,
            sig.signature,
            sig.trusted_comment + "\tserial:999",
            sig.global_signature,
            sig.untrusted_comment,
        )
        .to_text()
        .encode("utf-8")
    )
    with pytest.raises(SignatureError, match=r"trusted comment signature .* is invalid"):
        pinned_registry(built.data, forged, [key.public_key], stale, origin="t")


def test_matching_digests_do_not_make_an_untrusted_key_trusted(built: Built, key: SecretKey) -> None:
    pinned = digests(built.data, built.signature)
    with pytest.raises(
        SignatureError, match=f"signed by key {key.public_key.id}, which is not a trusted key"
    ):
        pinned_registry(built.data, built.signature, PINNED, pinned, origin="t")
    # The shipped registry too: with the pinned key not among the keys, it is refused.
    shipped, shipped_sig = SHIPPED.read_bytes(), SHIPPED_SIG.read_bytes()
    with pytest.raises(SignatureError, match=f"signed by key {PINNED_KEY_ID}, which is not a trusted key"):
        pinned_registry(
            shipped, shipped_sig, [key.public_key], Path(EMBEDDED_DIGESTS).read_bytes(), origin=EMBEDDED
        )


def test_matching_digests_still_require_a_valid_registry(tmp_path: Path, key: SecretKey) -> None:
    data = b"serial = [\n"
    signature = sign(data, key).to_text().encode("utf-8")
    with pytest.raises(RegistryError, match="signed, but not a valid registry file"):
        pinned_registry(data, signature, [key.public_key], digests(data, signature), origin="t")
