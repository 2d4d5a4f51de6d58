"""The registry cache survives a crash at any point, ignores tampering, and installs one at a time."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from callcheck._errors import UpdateError
from callcheck._loading import EMBEDDED, load_trusted
from callcheck._maintain import shipped_serial
from callcheck._minisign import SecretKey
from callcheck._store import Store
from tests.signing_helpers import (
    BASE_ENV,
    REPO,
    Built,
    RegistryServer,
    build_signed,
    callcheck_command,
    drip,
    run_cli,
    snapshot,
    trusting,
    write_config,
)

# Runs in a child process: make os.replace, os.fsync, os.unlink and write_atomic kill the
# process (exit 137, no clean-up, no finally blocks) at their N-th call, then install.
CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path

    kill_at = int(sys.argv[1])
    job = json.loads(sys.argv[2])
    calls = 0

    def deadly(name, real):
        def wrapper(*args, **kwargs):
            global calls
            calls += 1
            if calls == kill_at:
                os._exit(137)
            return real(*args, **kwargs)
        return wrapper

    import callcheck._store as store_module
    for name in ("replace", "fsync", "unlink"):
        setattr(os, name, deadly(name, getattr(os, name)))
    store_module.write_atomic = deadly("write_atomic", store_module.write_atomic)

    if job["mode"] == "install":
        data = Path(job["data"]).read_bytes()
        sig = Path(job["sig"]).read_bytes()
        store_module.Store(Path(job["root"])).install(
            data, sig, serial=job["serial"], sha256=job["sha256"], etag=None, url=None
        )
    else:
        from callcheck._config import Config
        from callcheck._minisign import PublicKey
        from callcheck._update import update
        config = Config(trusted_keys=(PublicKey.from_base64(job["key"]),), pinned_keys=True)
        update(job["url"], config=config, data=Path(job["root"]))
    print("done", calls)
    """
)


def run_child(script: Path, kill_at: int, job: dict[str, object]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), str(kill_at), json.dumps(job)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
        env={**BASE_ENV, "PATH": "/usr/bin:/bin"},
    )


def check_consistent(data: Path, key: SecretKey, allowed: set[int]) -> int:
    """The cache after a crash: state.json parses, loading works without complaint."""
    state_file = data / "registry" / "state.json"
    if state_file.exists():
        json.loads(state_file.read_text("utf-8"))  # never half-written
        state = Store(data).state()
        assert state is not None
        for name in (state.current, state.previous):
            if name:  # whatever the state names is on disk in full
                assert (data / "registry" / f"{name}.toml").is_file()
                assert (data / "registry" / f"{name}.toml.minisig").is_file()
    loaded = load_trusted(trusting(key, pinned=True), data)
    assert loaded.warnings == ()
    assert loaded.verified.serial in allowed
    return loaded.verified.serial


def crash_everywhere(
    tmp_path: Path, template: Path, key: SecretKey, job: dict[str, object], old: int, new: int
) -> list[int]:
    """Run the child killed at call 1, 2, 3 ... until it completes.

    Returns the serial in use after each run.
    """
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    seen: list[int] = []
    for kill_at in range(1, 100):
        root = tmp_path / f"run{kill_at}"
        shutil.copytree(template, root) if template.exists() else root.mkdir()
        done = run_child(script, kill_at, {**job, "root": str(root)})
        assert done.returncode in (0, 137), done.stderr
        seen.append(check_consistent(root, key, {old, new}))
        if done.returncode == 0:
            assert done.stdout.startswith("done ")
            assert int(done.stdout.split()[1]) == kill_at - 1, "every kill point was exercised"
            break
    else:
        pytest.fail("the install never completed")
    # Old until some point, new from then on: never back and forth, and the finished run is new.
    assert seen == sorted(seen, key=lambda s: s == new)
    assert seen[0] == old and seen[-1] == new
    return seen


@pytest.fixture
def publisher(tmp_path: Path, key: SecretKey) -> Callable[[int], Built]:
    work = tmp_path / "publisher"
    work.mkdir()
    return lambda serial: build_signed(work, key, serial=serial)


def install(data: Path, built: Built) -> Path:
    return Store(data).install(
        built.data, built.signature, serial=built.serial, sha256=built.sha256, etag=None, url=None
    )


def test_crash_at_any_point_of_a_first_install_leaves_the_shipped_or_the_new_registry(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built]
) -> None:
    shipped = load_trusted(trusting(key, pinned=True), tmp_path / "empty").verified.serial
    new = publisher(shipped + 7)
    job = {
        "mode": "install",
        "data": str(new.path),
        "sig": f"{new.path}.minisig",
        "serial": new.serial,
        "sha256": new.sha256,
    }
    seen = crash_everywhere(tmp_path, tmp_path / "no-template", key, job, shipped, new.serial)
    assert len(seen) >= 10  # three atomic writes, each with fsyncs and a rename


def test_crash_at_any_point_of_an_update_leaves_the_old_or_the_new_registry(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built]
) -> None:
    template = tmp_path / "template"
    install(template, publisher(5))
    install(template, publisher(6))  # 5 is now the previous install, pruned by the next one
    new = publisher(7)
    with RegistryServer() as server:
        server.publish(new)
        job = {"mode": "update", "url": server.url, "key": key.public_key.base64}
        seen = crash_everywhere(tmp_path, template, key, job, 6, 7)
    assert len(seen) >= 12  # three atomic writes plus pruning two files


# --- tampering ---------------------------------------------------------------------------


def _flip_byte(path: Path, needle: bytes = b"hotline") -> None:
    data = path.read_bytes()
    at = data.index(needle) + 1
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])


@pytest.mark.parametrize("which", [".toml", ".toml.minisig"])
def test_tampered_install_is_reported_and_the_previous_one_is_used(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built], which: str
) -> None:
    data = tmp_path / "data"
    older = install(data, publisher(shipped_serial() + 1))
    newer = install(data, publisher(shipped_serial() + 2))
    cfg = trusting(key, pinned=True)
    assert load_trusted(cfg, data).verified.serial == shipped_serial() + 2
    target = Path(f"{newer}{which.removeprefix('.toml')}")
    if which == ".toml":
        _flip_byte(target)
    else:
        lines = target.read_text().splitlines()
        lines[1] = lines[1][:20] + ("A" if lines[1][20] != "A" else "B") + lines[1][21:]
        target.write_text("\n".join(lines) + "\n")
    loaded = load_trusted(cfg, data)
    assert loaded.verified.serial == shipped_serial() + 1
    assert loaded.origin == str(older)
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].startswith(f"ignored the downloaded registry {newer}: ")


def test_both_installs_tampered_falls_back_to_the_shipped_registry(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built]
) -> None:
    data = tmp_path / "data"
    paths = [install(data, publisher(5)), install(data, publisher(6))]
    for path in paths:
        _flip_byte(path)
    loaded = load_trusted(trusting(key, pinned=True), data)
    assert loaded.origin == EMBEDDED
    assert len(loaded.warnings) == 2
    assert all("ignored the downloaded registry" in w for w in loaded.warnings)


def test_tampered_install_is_reported_on_the_command_line(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built]
) -> None:
    data, cfg = tmp_path / "data", tmp_path / "cfg"
    older = install(data, publisher(shipped_serial() + 1))
    newer = install(data, publisher(shipped_serial() + 2))
    _flip_byte(newer)
    write_config(cfg, key, pinned=True)
    done = run_cli(["registry", "info", "--json"], config_dir=cfg, data_dir=data)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["origin"] == str(older)
    assert done.stderr.startswith(f"warning: ignored the downloaded registry {newer}: ")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "state",
    [
        b"{not json",
        b"",
        b'{"current": "../../../etc/passwd"}',
        b'{"current": "registry-6-x", "previous": 5}',
        b"[1, 2]",
    ],
)
def test_unreadable_state_means_no_downloaded_registry(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built], state: bytes
) -> None:
    data = tmp_path / "data"
    install(data, publisher(6))
    (data / "registry" / "state.json").write_bytes(state)
    assert Store(data).state() is None
    loaded = load_trusted(trusting(key, pinned=True), data)
    assert loaded.origin == EMBEDDED


# --- the update lock -------------------------------------------------------------------------

TRY_LOCK = """
import sys
from pathlib import Path
from callcheck._store import Store
from callcheck._errors import UpdateError
try:
    with Store(Path(sys.argv[1])).lock(wait=float(sys.argv[2])):
        print("locked")
except UpdateError as exc:
    print("refused:", exc)
"""


def test_lock_held_elsewhere_makes_a_second_locker_give_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store(data).lock():
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", TRY_LOCK, str(data), "0.4"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        waited = time.monotonic() - start
    assert done.stdout.strip() == "refused: another 'callcheck update' is running; try again later"
    assert waited >= 0.4
    after = subprocess.run(
        [sys.executable, "-c", TRY_LOCK, str(data), "0.4"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert after.stdout.strip() == "locked"


def test_lock_in_the_same_process_is_exclusive_too(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with (
        store.lock(),
        pytest.raises(UpdateError, match="another 'callcheck update' is running"),
        store.lock(wait=0.1),
    ):
        pass


def test_update_waits_for_the_lock_then_installs(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built]
) -> None:
    data, cfg = tmp_path / "data", tmp_path / "cfg"
    write_config(cfg, key)
    env = {
        **BASE_ENV,
        "CALLCHECK_CONFIG_DIR": str(cfg),
        "CALLCHECK_DATA_DIR": str(data),
        "PATH": "/usr/bin:/bin",
    }
    with RegistryServer() as server:
        server.publish(publisher(5))
        with Store(data).lock():
            child = subprocess.Popen(
                [*callcheck_command(), "update", "--url", server.url],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(1.0)
            assert child.poll() is None, "the update did not wait for the lock"
            assert snapshot(data) == {}
            assert server.requests == []  # it waits before downloading anything
        out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert out.startswith("updated: registry serial 5")
    assert load_trusted(trusting(key), data).verified.serial == 5


def test_two_concurrent_updates_install_once(
    tmp_path: Path, key: SecretKey, publisher: Callable[[int], Built]
) -> None:
    data, cfg = tmp_path / "data", tmp_path / "cfg"
    write_config(cfg, key)
    env = {
        **BASE_ENV,
        "CALLCHECK_CONFIG_DIR": str(cfg),
        "CALLCHECK_DATA_DIR": str(data),
        "PATH": "/usr/bin:/bin",
    }
    built = publisher(5)
    with RegistryServer() as server:
        server.etags = False
        server.publish(built)
        # A slow registry download keeps the first update inside the lock for about a second.
        server.route("registry.toml", drip(built.data, interval=0.1, piece=max(1, len(built.data) // 10)))
        children = [
            subprocess.Popen(
                [*callcheck_command(), "update", "--url", server.url],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [c.communicate(timeout=30) for c in children]
    assert [c.returncode for c in children] == [0, 0], results
    outputs = sorted(out.split(":")[0] for out, _ in results)
    assert outputs == ["already up to date", "updated"]
    assert len(server.requested("registry.toml")) == 2
    assert load_trusted(trusting(key), data).verified.serial == 5
    assert sum(name.endswith(".toml") for name in snapshot(data)) == 1
