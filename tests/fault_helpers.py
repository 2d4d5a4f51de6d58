"""Real faults for the tests of hostile input and a misbehaving disk.

Nothing here mocks the file system: a file is really unreadable, a directory really
read-only, a disk really full, and a process's memory is what the kernel counted.
The tests run as root on CI, where permission bits alone stop nothing, so each fault
is made with what the machine offers, best first:

- permissions: as another user, ``unshare --user`` (root's files are then no longer
  root's to override; the process keeps reading what their owner may read), else a
  child run as ``nobody``; not root: the bits work as they are.
- a read-only data directory: a read-only bind mount (``unshare -rm``); else a
  directory without write permission, as above.
- a full disk: a tiny tmpfs filled up (``unshare -rm``, ENOSPC); else, and also,
  ``RLIMIT_FSIZE`` (EFBIG), a kernel limit that works everywhere.

A fault that cannot be made at all fails the test rather than skipping it.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.signing_helpers import callcheck_command

NOBODY = 65534


@dataclass
class Done:
    """A finished child: exit status, output, and how it was run."""

    returncode: int
    stdout: str
    stderr: str
    how: str = ""


def _run(cmd: Sequence[str], env: Mapping[str, str], **kwargs: object) -> Done:
    proc = subprocess.run(
        list(cmd),
        env=dict(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )
    return Done(proc.returncode, proc.stdout, proc.stderr)


def _works(cmd: Sequence[str]) -> bool:
    try:
        done = subprocess.run(list(cmd), capture_output=True, timeout=30, check=False)
    except OSError:
        return False
    return done.returncode == 0


@functools.cache
def unshare_user() -> bool:
    """``unshare --user`` (a user namespace, no ids mapped) works here."""
    return shutil.which("unshare") is not None and _works(["unshare", "--user", "true"])


@functools.cache
def unshare_mount() -> bool:
    """``unshare -rm`` (root in a user namespace with its own mounts) can mount a tmpfs here."""
    if shutil.which("unshare") is None:
        return False
    return _works(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])


def as_unprivileged(
    cmd: Sequence[str], env: Mapping[str, str], *, cwd: Path | None = None, reach: Sequence[Path] = ()
) -> Done:
    """Run ``cmd`` so that permission bits bind it, even when the tests run as root.

    Run as user nobody (the last resort), it is let reach ``cwd``, ``reach`` and the
    config and data directories in ``env``. Fails the test if no way is available here.
    """
    if os.geteuid() != 0:
        done = _run(cmd, env, cwd=cwd)
        done.how = "as a user without privileges"
        return done
    if unshare_user():
        done = _run(["unshare", "--user", *cmd], env, cwd=cwd)
        done.how = "unshare --user"
        return done
    # No user namespaces (a container that forbids them): run as nobody, which works if
    # nobody may read the Python and the sources the command needs.
    try:
        probe = _run(
            [sys.executable, "-c", "import callcheck.cli"], env, user=NOBODY, group=NOBODY, extra_groups=[]
        )
        why = probe.stderr.strip() if probe.returncode else ""
    except OSError as exc:
        why = str(exc)
    if why:
        pytest.fail(
            "cannot drop root's privileges here: no user namespaces (unshare --user) and "
            f"user {NOBODY} cannot run the tests' Python: {why}"
        )
    dirs = (cwd, env.get("CALLCHECK_CONFIG_DIR"), env.get("CALLCHECK_DATA_DIR"), *reach)
    world_readable(*(Path(d) for d in dirs if d and Path(d).exists()))
    done = _run(cmd, env, cwd=cwd, user=NOBODY, group=NOBODY, extra_groups=[])
    done.how = f"as user {NOBODY}"
    return done


def unreadable(path: Path) -> Path:
    """Take every permission on ``path`` away (see :func:`as_unprivileged` for whom this stops)."""
    path.chmod(0)
    return path


def world_readable(*paths: Path) -> None:
    """Let user ``nobody`` reach ``paths`` (pytest's tmp directories are private to root)."""
    for path in paths:
        for part in (path, *path.parents):
            mode = part.stat().st_mode & 0o7777
            if mode & 0o005 != 0o005 and part != Path("/"):
                part.chmod(mode | 0o005)


# --- the data directory read-only or full --------------------------------------------------

_IN_NAMESPACE = textwrap.dedent(
    """
    set -u
    what="$1" dir="$2" template="$3" after="$4"; shift 4
    case "$what" in
    read-only)
        mount --bind "$dir" "$dir" && mount -o remount,bind,ro "$dir" "$dir" || exit 97
        "$@"; status=$?
        ;;
    full)
        mount -t tmpfs -o size=1m tmpfs "$dir" || exit 97
        cp -a "$template/." "$dir/" || exit 97
        head -c 2000000 /dev/zero > "$dir/.filler" 2>/dev/null  # fails once the disk is full
        "$@"; status=$?
        rm -f "$dir/.filler"
        cp -a "$dir/." "$after/" || exit 97
        ;;
    esac
    exit "$status"
    """
)


def read_only(cmd: Sequence[str], env: Mapping[str, str], data: Path) -> Done:
    """Run ``cmd`` with the directory ``data`` read-only: a read-only mount where user
    namespaces allow it, else a directory its user may not write to."""
    if unshare_mount():
        done = _run(
            ["unshare", "-rm", "sh", "-c", _IN_NAMESPACE, "sh", "read-only", str(data), "", "", *cmd], env
        )
        assert done.returncode != 97, done.stderr
        done.how = "read-only mount"
        return done
    modes = {p: p.stat().st_mode & 0o7777 for p in (data, *data.rglob("*")) if p.is_dir()}
    try:
        for p in modes:
            p.chmod(0o555)
        done = as_unprivileged(cmd, env)
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    done.how = f"no write permission ({done.how})"
    return done


def full_disk(
    cmd: Sequence[str], env: Mapping[str, str], data: Path, how: str, *, file_size: int = 16
) -> Done:
    """Run ``cmd`` with the directory ``data`` on a full disk, and put back in ``data``
    what is there after it.

    ``how``: ``enospc`` a full tmpfs (falling back to ``efbig`` where it cannot be
    mounted), ``efbig`` no file may grow past ``file_size`` bytes (``RLIMIT_FSIZE``).
    """
    if how == "enospc" and unshare_mount():
        template = data.with_name(data.name + ".before")
        after = data.with_name(data.name + ".after")
        shutil.copytree(data, template, symlinks=True)
        after.mkdir()
        done = _run(
            [
                "unshare",
                "-rm",
                "sh",
                "-c",
                _IN_NAMESPACE,
                "sh",
                "full",
                str(data),
                str(template),
                str(after),
                *cmd,
            ],
            env,
        )
        assert done.returncode != 97, done.stderr
        shutil.rmtree(data)
        shutil.rmtree(template)
        after.rename(data)
        done.how = "full tmpfs (ENOSPC)"
        return done

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, resource.RLIM_INFINITY))

    done = _run(cmd, env, preexec_fn=limit)
    done.how = "RLIMIT_FSIZE (EFBIG)"
    return done


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes (directories too, as b"/")."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (b"/" if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))
    }


# --- peak memory of a command fed a large input ----------------------------------------------

_LAUNCHER = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    spec = json.loads(sys.argv[1])
    block = open(spec["block"], "rb").read() if spec["block"] else b""
    with open(spec["out"], "wb") as out, open(spec["err"], "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            spec["cmd"], stdin=subprocess.PIPE if block else subprocess.DEVNULL,
            stdout=out, stderr=err, env=spec["env"],
        )
        if block:
            try:
                for _ in range(spec["repeat"]):
                    proc.stdin.write(block)
                proc.stdin.write(spec["tail"].encode("utf-8"))
                proc.stdin.close()
            except BrokenPipeError:
                pass
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
    print(json.dumps({"status": os.waitstatus_to_exitcode(status), "peak_kib": usage.ru_maxrss,
                      "seconds": seconds}))
    """
)


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float
    seconds: float


def measured(
    args: Sequence[str],
    env: Mapping[str, str],
    tmp: Path,
    *,
    block: bytes = b"",
    repeat: int = 0,
    tail: str = "",
    timeout: float = 600,
) -> Measured:
    """``callcheck ARGS`` with ``block`` written ``repeat`` times to its standard input
    (then ``tail``), and its peak resident memory as the kernel counted it (``wait4``).

    A small launcher process starts it, so that the peak is the command's own and not
    that of a copy of the test process (a child's peak counts what it had before exec).
    """
    block_file = tmp / "stdin-block"
    if block:
        block_file.write_bytes(block)
    spec = {
        "cmd": [*callcheck_command(), *args],
        "env": dict(env),
        "block": str(block_file) if block else "",
        "repeat": repeat,
        "tail": tail,
        "out": str(tmp / "stdout"),
        "err": str(tmp / "stderr"),
    }
    launcher = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    result = json.loads(launcher.stdout)
    return Measured(
        result["status"],
        (tmp / "stdout").read_text("utf-8"),
        (tmp / "stderr").read_text("utf-8"),
        result["peak_kib"] / 1024,
        result["seconds"],
    )
