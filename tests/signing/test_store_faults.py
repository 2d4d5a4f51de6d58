"""The trusted registry is never lost or damaged by a data directory that cannot be
written: read-only, not a directory, a full disk, or a disk error at any step of an install.

``callcheck update`` runs as a real process against a real HTTP server on 127.0.0.1, and
the faults are real (see ``tests/fault_helpers.py``): a read-only mount or a directory
without write permission, a full tmpfs (ENOSPC) or a file size limit (EFBIG). The data
directory is compared byte for byte before and after, and the registry in use is read
back by another process.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from callcheck import _fileio
from callcheck._loading import load_trusted
from callcheck._minisign import SecretKey
from callcheck._store import Store
from tests.fault_helpers import Done, as_unprivileged, full_disk, read_only, snapshot
from tests.signing_helpers import (
    BASE_ENV,
    Built,
    RegistryServer,
    assert_one_line_error,
    build_signed,
    callcheck_command,
    run_cli,
    trusting,
    write_config,
)


@dataclass
class Setup:
    data: Path
    config: Path
    env: dict[str, str]
    server: RegistryServer
    newer: Built


@pytest.fixture
def installed(tmp_path: Path, key: SecretKey) -> Iterator[Setup]:
    """Serial 5 installed by a real ``callcheck update``; serial 6 published, waiting."""
    data, config = tmp_path / "data", tmp_path / "config"
    write_config(config, key)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CALLCHECK_")},
        **BASE_ENV,
        "CALLCHECK_CONFIG_DIR": str(config),
        "CALLCHECK_DATA_DIR": str(data),
    }
    publisher = tmp_path / "publisher"
    publisher.mkdir()
    with RegistryServer() as server:
        server.publish(build_signed(publisher, key, serial=5))
        first = run_cli(["update", "--url", server.url], config_dir=config, data_dir=data)
        assert first.returncode == 0, first.stderr
        newer = build_signed(publisher, key, serial=6)
        server.publish(newer)
        yield Setup(data, config, env, server, newer)


def update_command(setup: Setup) -> list[str]:
    return [*callcheck_command(), "update", "--url", setup.server.url]


def assert_registry_in_use(setup: Setup, serial: int) -> None:
    """Another process loads the registry with this serial, without a warning."""
    info = run_cli(["registry", "info", "--json"], config_dir=setup.config, data_dir=setup.data)
    assert info.returncode == 0, info.stderr
    assert info.stderr == ""
    assert json.loads(info.stdout)["serial"] == serial


def assert_refused_and_unchanged(done: Done, setup: Setup, before: dict[str, bytes], reason: str) -> None:
    assert done.returncode == 3, (done.how, done.stdout, done.stderr)
    line = assert_one_line_error(done.stderr)
    assert f"cannot install a registry in {setup.data / 'registry'}: " in line, (done.how, line)
    assert reason in line, (done.how, line)
    assert line.endswith("; the registry in use is unchanged")
    assert snapshot(setup.data) == before, done.how  # byte for byte, no temp files left
    assert_registry_in_use(setup, 5)


def test_update_into_a_read_only_data_directory_keeps_the_registry(installed: Setup) -> None:
    before = snapshot(installed.data)
    done = read_only(update_command(installed), installed.env, installed.data)
    reason = "Read-only file system" if done.how == "read-only mount" else "Permission denied"
    assert_refused_and_unchanged(done, installed, before, reason)


def test_update_into_a_data_directory_without_write_permission_keeps_the_registry(
    installed: Setup,
) -> None:
    before = snapshot(installed.data)
    dirs = [installed.data, installed.data / "registry"]
    for d in dirs:
        d.chmod(0o555)
    try:
        done = as_unprivileged(update_command(installed), installed.env)
    finally:
        for d in dirs:
            d.chmod(0o755)
    # The lock file is there already and may be written: the update gets as far as
    # downloading and verifying, and is stopped writing the new registry.
    assert installed.server.requested("registry.toml")[-1]
    assert_refused_and_unchanged(done, installed, before, "Permission denied")


def test_first_update_into_a_read_only_data_directory_is_one_line(tmp_path: Path, key: SecretKey) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    data.mkdir()
    write_config(config, key)
    env = {**os.environ, **BASE_ENV, "CALLCHECK_CONFIG_DIR": str(config), "CALLCHECK_DATA_DIR": str(data)}
    with RegistryServer() as server:
        server.publish(build_signed(tmp_path, key, serial=5))
        done = read_only([*callcheck_command(), "update", "--url", server.url], env, data)
    assert done.returncode == 3, done.stderr
    line = assert_one_line_error(done.stderr)
    assert line.startswith(f"error: cannot install a registry in {data / 'registry'}: ")
    assert list(data.iterdir()) == []


def test_update_with_a_file_where_the_data_directory_should_be_is_one_line(
    tmp_path: Path, key: SecretKey
) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    data.write_text("in the way")
    write_config(config, key)
    with RegistryServer() as server:
        server.publish(build_signed(tmp_path, key, serial=5))
        done = run_cli(["update", "--url", server.url], config_dir=config, data_dir=data)
    assert done.returncode == 3, done.stderr
    line = assert_one_line_error(done.stderr)
    assert line == (
        f"error: cannot install a registry in {data / 'registry'}: "
        "Not a directory; the registry in use is unchanged"
    )
    assert data.read_text() == "in the way"


@pytest.mark.parametrize("how", ["enospc", "efbig"])
def test_update_onto_a_full_disk_keeps_the_registry(installed: Setup, how: str) -> None:
    before = snapshot(installed.data)
    done = full_disk(update_command(installed), installed.env, installed.data, how)
    reason = "No space left on device" if "ENOSPC" in done.how else "File too large"
    assert_refused_and_unchanged(done, installed, before, reason)
    # Room again: the same update goes through.
    again = run_cli(
        ["update", "--url", installed.server.url], config_dir=installed.config, data_dir=installed.data
    )
    assert again.returncode == 0, again.stderr
    assert_registry_in_use(installed, 6)


# --- a disk error at every step of an install -------------------------------------------------


class _Failing:
    """Makes the ``at``-th file operation of an install fail as a full disk does."""

    def __init__(self, at: int) -> None:
        self.at = at
        self.calls = 0

    def step(self) -> None:
        self.calls += 1
        if self.calls == self.at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.step()
            return real(*args, **kwargs)

        return call

    def fdopen(self, fd: int, mode: str) -> Any:
        fh = os.fdopen(fd, mode)
        real_write = fh.write
        failing = self

        class Writer:  # what write_atomic does with the file: write, flush, fileno, close
            def __enter__(self) -> Writer:
                return self

            def __exit__(self, *exc: object) -> None:
                fh.close()

            def write(self, data: bytes) -> int:
                failing.step()
                return real_write(data)

            def __getattr__(self, name: str) -> Any:
                return getattr(fh, name)

        return Writer()


def test_a_disk_error_at_any_step_of_an_install_leaves_the_data_directory_as_it_was(
    tmp_path: Path, key: SecretKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher = tmp_path / "publisher"
    publisher.mkdir()
    template = tmp_path / "template"
    for serial in (5, 6):  # a current install and a previous one
        built = build_signed(publisher, key, serial=serial)
        Store(template).install(
            built.data, built.signature, serial=serial, sha256=built.sha256, etag=None, url=None
        )
    new = build_signed(publisher, key, serial=7)
    before = snapshot(template)
    outcomes = []
    for at in range(1, 100):
        root = tmp_path / f"run{at}"
        shutil.copytree(template, root)
        failing = _Failing(at)
        fake_os = SimpleNamespace(
            **{name: getattr(os, name) for name in dir(os) if not name.startswith("__")},
        )
        for name in ("replace", "fsync", "fchmod"):
            setattr(fake_os, name, failing.wrap(getattr(os, name)))
        fake_os.fdopen = failing.fdopen
        with monkeypatch.context() as m:
            m.setattr(_fileio, "os", fake_os)
            m.setattr(tempfile, "mkstemp", failing.wrap(tempfile.mkstemp))
            try:
                Store(root).install(new.data, new.signature, serial=7, sha256=new.sha256, etag=None, url=None)
                failed = False
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                failed = True
        serial = load_trusted(trusting(key), root).verified.serial
        if failed:
            # Nothing of the new install is left behind: no temp file, no lone registry file.
            assert snapshot(root) == before, f"disk error at step {at}"
            assert serial == 6
        else:
            assert serial == 7, f"disk error at step {at}"
            assert Store(root).state() is not None
        outcomes.append(failed)
        if failing.calls < at:  # the install never got this far: every step was tried
            break
    else:
        pytest.fail("the install never completed")
    # Each of three files is created, chmodded, written, synced and renamed; an error in
    # syncing the directory after a rename is ignored (the file is in place either way).
    assert outcomes.count(True) == 15
    assert not outcomes[-1]


# --- two updates at once ----------------------------------------------------------------------


def test_two_updates_at_once_take_turns(tmp_path: Path, key: SecretKey) -> None:
    """The second update waits for the first to finish installing: the downloads never
    overlap, and the second finds the registry the first installed."""
    import subprocess
    import threading
    import time

    from tests.signing_helpers import RequestHandler, serve_file

    data, config = tmp_path / "data", tmp_path / "config"
    write_config(config, key)
    env = {**os.environ, **BASE_ENV, "CALLCHECK_CONFIG_DIR": str(config), "CALLCHECK_DATA_DIR": str(data)}
    built = build_signed(tmp_path, key, serial=5)
    lock = threading.Lock()
    arrived = threading.Condition(lock)
    in_flight = [0]
    most = [0]

    def held_open(h: RequestHandler) -> None:
        # Hold the first download open until a second one arrives (2 s at most): without
        # the update lock it arrives, and two updates are downloading at once.
        with arrived:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
            arrived.notify_all()
            arrived.wait_for(lambda: in_flight[0] > 1, timeout=2)
        serve_file(h, built.data, etags=False)
        with arrived:
            in_flight[0] -= 1

    with RegistryServer() as server:
        server.etags = False
        server.publish(built)
        server.route("registry.toml", held_open)
        children = []
        for _ in range(2):
            children.append(
                subprocess.Popen(
                    [*callcheck_command(), "update", "--url", server.url],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            time.sleep(0.2)
        results = [c.communicate(timeout=60) for c in children]
    assert [c.returncode for c in children] == [0, 0], results
    assert most[0] == 1, "two updates were downloading at once"
    assert sorted(out.split(":")[0] for out, _ in results) == ["already up to date", "updated"]
    assert len(server.requested("registry.toml")) == 2
    assert load_trusted(trusting(key), data).verified.serial == 5
    names = sorted(p.name for p in (data / "registry").iterdir())
    assert names == [
        ".lock",
        f"registry-5-{built.sha256[:16]}.toml",
        f"registry-5-{built.sha256[:16]}.toml.minisig",
        "state.json",
    ]
