"""docs/maintainers.md's shell blocks, run in order as a maintainer and a client would.

The commands are taken from the document itself, so the test fails when a documented
command stops working or the document gains a command this test does not know how to run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcheck._config import Config
from callcheck._errors import SignatureError
from callcheck._loading import load_trusted
from callcheck._maintain import (
    build_registry,
    keygen,
    read_public_key,
    read_secret_key,
    secret_key_is_encrypted,
    sign_file,
)
from callcheck._store import Store
from callcheck._trust import pinned_registry
from callcheck._update import update
from callcheck.cli import main as cli_main
from tests.signing_helpers import (
    BASE_ENV,
    EMBEDDED,
    FAST_KDF,
    REPO,
    REPO_REGISTRY,
    RegistryServer,
    callcheck_command,
    iter_sh_blocks,
    trusting,
    write_tree,
)

DOC = REPO / "docs" / "maintainers.md"
PASSWORD = "correct horse battery staple"
EXAMPLE_URL = re.compile(r"https://example\.org/callcheck/")
SHA256SUM_PIN = "(cd src/callcheck/data && sha256sum registry.toml registry.toml.minisig > registry.sha256)"


def repo_like(tmp_path: Path) -> Path:
    """A directory laid out like a checkout: registry/ sources and the shipped registry in src/."""
    work = tmp_path / "checkout"
    shutil.copytree(REPO_REGISTRY, work / "registry")
    data = work / "src" / "callcheck" / "data"
    data.mkdir(parents=True)
    shutil.copyfile(EMBEDDED, data / "registry.toml")
    shutil.copyfile(f"{EMBEDDED}.minisig", data / "registry.toml.minisig")
    shutil.copyfile(EMBEDDED.with_name("registry.sha256"), data / "registry.sha256")
    return work


def test_documented_walk_through_runs(tmp_path: Path) -> None:
    blocks = list(iter_sh_blocks(DOC.read_text("utf-8")))
    commands = [line for block in blocks for line in block]
    assert len(commands) >= 8, "the walk-through lost its commands"
    assert any(EXAMPLE_URL.search(c) for c in commands), "the update example moved; adapt this test"

    work = repo_like(tmp_path)
    shipped_before = (work / "src/callcheck/data/registry.toml").read_bytes()
    cfg, data = tmp_path / "client-config", tmp_path / "client-data"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CALLCHECK_")},
        **BASE_ENV,
        "CALLCHECK_KEY_PASSWORD": PASSWORD,
        "CALLCHECK_CONFIG_DIR": str(cfg),
        "CALLCHECK_DATA_DIR": str(data),
    }
    ran: list[str] = []
    with RegistryServer(prefix="callcheck") as server:
        for line in commands:
            argv = shlex.split(line)
            if argv[0] == "callcheck":
                argv = [*callcheck_command(), *argv[1:]]
            elif argv[0] == "minisign":
                minisign = shutil.which("minisign")
                if minisign is None:  # CI installs it; elsewhere, say so and go on
                    ran.append(f"SKIPPED {line}")
                    continue
                argv = [minisign, *argv[1:]]
            elif argv[0] == "(cd" and "sha256sum" in argv:
                # A subshell with a redirection: pinning the shipped registry's digests.
                if shutil.which("sha256sum") is None:
                    ran.append(f"SKIPPED {line}")
                    continue
                argv = ["sh", "-c", line]
            else:
                pytest.fail(f"maintainers.md runs {argv[0]!r}, which this test does not know: {line}")
            if line.startswith("callcheck update"):
                # Publish what the walk-through built, and let the client trust the key it made.
                server.files = {
                    "registry.toml": (work / "registry.toml").read_bytes(),
                    "registry.toml.minisig": (work / "registry.toml.minisig").read_bytes(),
                }
                cfg.mkdir(exist_ok=True)
                made = read_public_key(work / "callcheck.pub").base64
                (cfg / "config.toml").write_text(f'trusted_keys = ["{made}"]\npinned_keys = false\n')
                argv = [EXAMPLE_URL.sub(server.url, a) for a in argv]
            done = subprocess.run(
                argv, cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False
            )
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
            assert "Traceback" not in done.stderr
            ran.append(line)

    # What the walk-through left behind is what the document says it is.
    pub = read_public_key(work / "callcheck.pub")
    # The secret key is encrypted (decrypting it again would cost seconds of scrypt; the
    # sign and verify steps above already proved the password and the pair).
    assert secret_key_is_encrypted(work / "callcheck.key")
    with pytest.raises(SignatureError, match="needs its password"):
        read_secret_key(work / "callcheck.key", None)
    assert (work / "callcheck.key").stat().st_mode & 0o077 == 0

    published = tomllib.loads((work / "registry.toml").read_text("utf-8"))
    assert (
        load_trusted(Config(trusted_keys=(pub,), pinned_keys=False), data).verified.serial
        == published["serial"]
    )
    state = Store(data).state()
    assert state is not None and state.url == server.url
    installed = data / "registry" / f"{state.current}.toml"
    assert installed.read_bytes() == (work / "registry.toml").read_bytes()
    assert state.current.startswith(f"registry-{published['serial']}-")

    shipped = work / "src/callcheck/data/registry.toml"
    assert shipped.read_bytes() != shipped_before
    rebuilt = tomllib.loads(shipped.read_text("utf-8"))
    old = tomllib.loads(shipped_before.decode("utf-8"))
    assert rebuilt["serial"] == old["serial"] + 1  # one higher than the registry it replaces
    verify = subprocess.run(
        [*callcheck_command(), "registry", "verify", str(shipped), "-p", "callcheck.pub", "--json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["key_id"] == pub.id
    if f"SKIPPED {SHA256SUM_PIN}" not in ran:
        # The digests pin the rebuilt shipped files: the loader trusts them as signed by the
        # walk-through's key, and refuses them once a byte changes.
        shipped_sig = Path(f"{shipped}.minisig").read_bytes()
        digests = (shipped.parent / "registry.sha256").read_bytes()
        expected = (
            f"{hashlib.sha256(shipped.read_bytes()).hexdigest()}  registry.toml\n"
            f"{hashlib.sha256(shipped_sig).hexdigest()}  registry.toml.minisig\n"
        )
        assert digests == expected.encode()
        pinned = pinned_registry(shipped.read_bytes(), shipped_sig, [pub], digests, origin="embedded")
        assert (pinned.serial, pinned.key_id) == (rebuilt["serial"], pub.id)
        with pytest.raises(SignatureError, match="does not match the data"):
            pinned_registry(shipped.read_bytes() + b"\n", shipped_sig, [pub], digests, origin="embedded")
    assert SHA256SUM_PIN in [c.removeprefix("SKIPPED ") for c in ran], (
        "the digest step moved; adapt this test"
    )
    skipped = [c for c in ran if c.startswith("SKIPPED")]
    assert len(ran) == len(commands)
    assert all(c.split()[1] == "minisign" or "sha256sum" in c for c in skipped), skipped


def test_the_test_file_the_document_names_exists() -> None:
    named = re.findall(r"`(tests/[\w/]+\.py)`", DOC.read_text("utf-8"))
    assert named
    for path in named:
        assert (REPO / path).is_file(), path


def test_documented_build_in_a_checkout_outranks_the_shipped_registry(tmp_path: Path) -> None:
    work = repo_like(tmp_path)
    key_pub, key_sec = work / "k.pub", work / "k.key"
    keygen(key_pub, key_sec, None, kdf_limits=FAST_KDF)
    built_by_cli = CliRunner().invoke(
        cli_main, ["registry", "build", str(work / "registry"), "-o", str(work / "registry.toml")]
    )  # as documented: callcheck registry build registry/ -o registry.toml
    assert built_by_cli.exit_code == 0, built_by_cli.output
    sign_file(work / "registry.toml", read_secret_key(key_sec, None))
    shipped = tomllib.loads((work / "src/callcheck/data/registry.toml").read_text("utf-8"))["serial"]
    built = tomllib.loads((work / "registry.toml").read_text("utf-8"))["serial"]
    with RegistryServer(prefix="callcheck") as server:
        server.files = {
            "registry.toml": (work / "registry.toml").read_bytes(),
            "registry.toml.minisig": (work / "registry.toml.minisig").read_bytes(),
        }
        secret = read_secret_key(key_sec, None)
        # A client as in configuration.md: the publisher's key added, pinned keys kept.
        try:
            result = update(server.url, config=trusting(secret, pinned=True), data=tmp_path / "client")
        finally:
            assert built > shipped, f"built serial {built}, shipped serial {shipped}"
    assert result.status == "updated"


def test_files_built_for_publishing_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        out = tmp_path / "registry.toml"
        build_registry(write_tree(tmp_path / "src"), out)
        keygen(tmp_path / "k.pub", tmp_path / "k.key", None, kdf_limits=FAST_KDF)
        sig = sign_file(out, read_secret_key(tmp_path / "k.key", None))
    finally:
        os.umask(previous)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (out, sig, tmp_path / "k.pub")}
    assert (tmp_path / "k.key").stat().st_mode & 0o777 == 0o600  # the secret key stays private
    assert modes == {"registry.toml": 0o644, "registry.toml.minisig": 0o644, "k.pub": 0o644}


def test_keygen_force_over_a_readable_file_still_makes_a_private_secret_key(tmp_path: Path) -> None:
    secret = tmp_path / "callcheck.key"
    secret.write_text("old\n")
    secret.chmod(0o644)
    done = subprocess.run(
        [
            *callcheck_command(),
            "registry",
            "keygen",
            "--unencrypted",
            "--force",
            "-p",
            "callcheck.pub",
            "-s",
            "callcheck.key",
        ],
        cwd=tmp_path,
        env={**os.environ, **BASE_ENV},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert read_secret_key(secret, None).public_key == read_public_key(tmp_path / "callcheck.pub")
    assert secret.stat().st_mode & 0o077 == 0, oct(secret.stat().st_mode)


def test_keygen_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "callcheck.key").write_text("keep me\n")
    done = subprocess.run(
        [
            *callcheck_command(),
            "registry",
            "keygen",
            "--unencrypted",
            "-p",
            "callcheck.pub",
            "-s",
            "callcheck.key",
        ],
        cwd=tmp_path,
        env={**os.environ, **BASE_ENV},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 3
    assert "exists already" in done.stderr and "--force" in done.stderr
    assert (tmp_path / "callcheck.key").read_text() == "keep me\n"
    assert not (tmp_path / "callcheck.pub").exists()
