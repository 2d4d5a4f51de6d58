"""Keys and signatures interoperate with the real ``minisign`` tool, both ways."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from callcheck._maintain import build_registry, keygen, read_public_key, read_secret_key
from callcheck._minisign import PublicKey, SecretKey, Signature, verify
from callcheck._trust import verify_registry
from tests.signing_helpers import FAST_KDF, REPO_REGISTRY, Run, assert_one_line_error, run_cli

MINISIGN = shutil.which("minisign")
pytestmark = pytest.mark.skipif(MINISIGN is None, reason="the minisign tool is not installed")

BUILD_TIME = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def minisign(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    assert MINISIGN is not None
    return subprocess.run(
        [MINISIGN, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False, cwd=cwd
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("interop")


@pytest.fixture(scope="module")
def built(workdir: Path) -> Path:
    """The repo's registry sources compiled into a real registry file."""
    out = workdir / "registry.toml"
    build_registry(REPO_REGISTRY, out, now=BUILD_TIME)
    return out


@pytest.fixture(scope="module")
def minisign_keys(workdir: Path) -> tuple[Path, Path]:
    """A key pair made by ``minisign -G -W`` (unencrypted)."""
    pub, sec = workdir / "m.pub", workdir / "m.key"
    done = minisign("-G", "-W", "-p", str(pub), "-s", str(sec))
    assert done.returncode == 0, done.stderr
    return pub, sec


def cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    return run_cli(list(args), config_dir=tmp_path / "cfg", data_dir=tmp_path / "data", env=env)


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    shutil.copyfile(path, target)
    return target


# --- minisign makes the key and the signature, callcheck verifies -----------------------


def test_minisign_public_key_reads_with_the_id_minisign_printed(minisign_keys: tuple[Path, Path]) -> None:
    pub_path, _ = minisign_keys
    text = pub_path.read_text()
    printed_id = text.splitlines()[0].rsplit(" ", 1)[-1]
    key = PublicKey.from_text(text)
    # minisign prints the id without leading zeros (one key in sixteen starts with one).
    assert int(key.id, 16) == int(printed_id, 16) and len(key.id) == 16
    assert key.to_text() == text
    assert key.base64 == text.splitlines()[1]


def test_minisign_unencrypted_secret_key_reads(minisign_keys: tuple[Path, Path]) -> None:
    pub_path, sec_path = minisign_keys
    secret = read_secret_key(sec_path, None)
    assert secret.public_key == read_public_key(pub_path)


def test_minisign_signature_verifies_with_callcheck(
    built: Path, minisign_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = minisign_keys
    target = copy_of(built, tmp_path)
    done = minisign("-S", "-s", str(sec_path), "-m", str(target))
    assert done.returncode == 0, done.stderr
    sig_text = Path(f"{target}.minisig").read_text()
    sig = Signature.from_text(sig_text)
    assert sig.algorithm == "ED"
    assert sig.trusted_comment.startswith("timestamp:")
    pub = read_public_key(pub_path)
    assert verify(target.read_bytes(), sig, [pub]) == pub
    verified = verify_registry(target.read_bytes(), sig_text, [pub], origin=str(target))
    assert verified.key_id == pub.id
    assert {p.id for p in verified.registry.providers} >= {"alipay", "paypal"}

    ok = cli(tmp_path, "registry", "verify", str(target), "-p", str(pub_path))
    assert ok.returncode == 0, ok.stderr
    assert f"signature by key {pub.id} verified" in ok.stdout

    target.write_bytes(target.read_bytes().replace(b"95188", b"95189"))
    bad = cli(tmp_path, "registry", "verify", str(target), "-p", str(pub_path))
    assert bad.returncode == 3
    assert "does not match" in assert_one_line_error(bad.stderr)


def test_minisign_legacy_signature_verifies_with_callcheck(
    built: Path, minisign_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = minisign_keys
    target = copy_of(built, tmp_path)
    done = minisign("-S", "-l", "-s", str(sec_path), "-m", str(target))
    assert done.returncode == 0, done.stderr
    sig = Signature.from_text(Path(f"{target}.minisig").read_bytes())
    assert sig.algorithm == "Ed"
    pub = read_public_key(pub_path)
    assert verify(target.read_bytes(), sig, [pub]) == pub
    ok = cli(tmp_path, "registry", "verify", str(target), "-p", str(pub_path))
    assert ok.returncode == 0, ok.stderr


def test_minisign_signature_with_custom_comments(
    built: Path, minisign_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = minisign_keys
    target = copy_of(built, tmp_path)
    done = minisign("-S", "-s", str(sec_path), "-m", str(target), "-t", "release 2026-11 ✓", "-c", "hello")
    assert done.returncode == 0, done.stderr
    sig = Signature.from_text(Path(f"{target}.minisig").read_bytes())
    assert sig.trusted_comment == "release 2026-11 ✓"
    assert sig.untrusted_comment == "hello"
    assert verify(target.read_bytes(), sig, [read_public_key(pub_path)])


def test_callcheck_signature_with_minisign_secret_key_verifies_with_minisign(
    built: Path, minisign_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = minisign_keys
    target = copy_of(built, tmp_path)
    signed = cli(tmp_path, "registry", "sign", str(target), "-s", str(sec_path))
    assert signed.returncode == 0, signed.stderr
    done = minisign("-V", "-p", str(pub_path), "-m", str(target))
    assert done.returncode == 0, done.stderr


# --- callcheck makes the key and the signature, minisign verifies -----------------------


@pytest.fixture(scope="module")
def callcheck_plain_keys(workdir: Path) -> tuple[Path, Path]:
    """A key pair made by ``callcheck registry keygen --unencrypted``."""
    pub, sec = workdir / "c.pub", workdir / "c.key"
    made = run_cli(
        ["registry", "keygen", "--unencrypted", "-p", str(pub), "-s", str(sec)],
        config_dir=workdir / "cfg",
        data_dir=workdir / "data",
    )
    assert made.returncode == 0, made.stderr
    assert read_public_key(pub).base64 in made.stdout
    assert sec.stat().st_mode & 0o077 == 0, "the secret key must not be readable by others"
    return pub, sec


@pytest.fixture(scope="module")
def callcheck_encrypted_keys(workdir: Path) -> tuple[Path, Path]:
    """A password-protected key pair made by callcheck, with a low scrypt cost."""
    pub, sec = workdir / "e.pub", workdir / "e.key"
    keygen(pub, sec, "s3cret pw", kdf_limits=FAST_KDF)
    return pub, sec


def test_callcheck_keys_are_read_by_minisign(callcheck_plain_keys: tuple[Path, Path], tmp_path: Path) -> None:
    pub_path, sec_path = callcheck_plain_keys
    # minisign -R recreates the public key from the secret key: it must come out identical.
    recreated = tmp_path / "recreated.pub"
    done = minisign("-R", "-s", str(sec_path), "-p", str(recreated))
    assert done.returncode == 0, done.stderr
    assert PublicKey.from_text(recreated.read_text()) == read_public_key(pub_path)


def test_callcheck_signature_verifies_with_minisign(
    built: Path, callcheck_plain_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = callcheck_plain_keys
    target = copy_of(built, tmp_path)
    signed = cli(tmp_path, "registry", "sign", str(target), "-s", str(sec_path))
    assert signed.returncode == 0, signed.stderr
    done = minisign("-V", "-H", "-p", str(pub_path), "-m", str(target))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Signature and comment signature verified" in done.stdout + done.stderr
    serial = verify_registry(
        target.read_bytes(), Path(f"{target}.minisig").read_bytes(), [read_public_key(pub_path)], origin="t"
    ).serial
    assert f"serial:{serial}" in done.stdout  # minisign prints the (signed) trusted comment
    assert "file:registry.toml" in done.stdout


def test_callcheck_signature_with_encrypted_key_verifies_with_minisign(
    built: Path, callcheck_encrypted_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = callcheck_encrypted_keys
    target = copy_of(built, tmp_path)
    signed = cli(
        tmp_path,
        "registry",
        "sign",
        str(target),
        "-s",
        str(sec_path),
        env={"CALLCHECK_KEY_PASSWORD": "s3cret pw"},
    )
    assert signed.returncode == 0, signed.stderr
    done = minisign("-V", "-p", str(pub_path), "-m", str(target))
    assert done.returncode == 0, done.stdout + done.stderr


def test_callcheck_sign_with_wrong_password_fails_cleanly(
    built: Path, callcheck_encrypted_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    _, sec_path = callcheck_encrypted_keys
    target = copy_of(built, tmp_path)
    signed = cli(
        tmp_path, "registry", "sign", str(target), "-s", str(sec_path), env={"CALLCHECK_KEY_PASSWORD": "nope"}
    )
    assert signed.returncode == 3
    assert "wrong password" in assert_one_line_error(signed.stderr)
    assert not Path(f"{target}.minisig").exists()


def test_minisign_signs_with_a_callcheck_encrypted_key(
    built: Path, callcheck_encrypted_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = callcheck_encrypted_keys
    target = copy_of(built, tmp_path)
    refused = minisign("-S", "-s", str(sec_path), "-m", str(target), stdin="wrong password\n")
    assert refused.returncode != 0
    assert not Path(f"{target}.minisig").exists()
    done = minisign("-S", "-s", str(sec_path), "-m", str(target), stdin="s3cret pw\n")
    assert done.returncode == 0, done.stderr
    pub = read_public_key(pub_path)
    assert (
        verify(target.read_bytes(), Signature.from_text(Path(f"{target}.minisig").read_bytes()), [pub]) == pub
    )
    ok = cli(tmp_path, "registry", "verify", str(target), "-p", str(pub_path), "--json")
    assert ok.returncode == 0, ok.stderr
    assert f'"key_id": "{pub.id}"' in ok.stdout


def test_modified_callcheck_signed_file_fails_minisign(
    built: Path, callcheck_plain_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, sec_path = callcheck_plain_keys
    target = copy_of(built, tmp_path)
    assert cli(tmp_path, "registry", "sign", str(target), "-s", str(sec_path)).returncode == 0
    assert minisign("-V", "-p", str(pub_path), "-m", str(target)).returncode == 0
    target.write_bytes(target.read_bytes().replace(b"serial = ", b"serial = 1", 1))
    done = minisign("-V", "-p", str(pub_path), "-m", str(target))
    assert done.returncode != 0
    assert "verified" not in done.stdout


def test_callcheck_signature_by_another_key_fails_minisign(
    built: Path, callcheck_plain_keys: tuple[Path, Path], tmp_path: Path
) -> None:
    pub_path, _ = callcheck_plain_keys
    target = copy_of(built, tmp_path)
    stranger = tmp_path / "stranger.key"
    stranger.write_text(SecretKey.generate().to_text(None))
    assert cli(tmp_path, "registry", "sign", str(target), "-s", str(stranger)).returncode == 0
    done = minisign("-V", "-p", str(pub_path), "-m", str(target))
    assert done.returncode != 0
