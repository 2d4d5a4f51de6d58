"""Call records survive a data directory that cannot be written, a full disk, a process
killed at any step of a delete, and several processes saving at once.

The faults are real (see ``tests/fault_helpers.py``); the records file is compared byte
for byte before and after, and read back by ``callcheck report list``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from callcheck import load_records
from tests.fault_helpers import Done, as_unprivileged, full_disk, read_only, snapshot
from tests.signing_helpers import assert_one_line_error, callcheck_command

SCAM_NOTES = "您好，我是支付宝客服。\n您的账户涉嫌洗钱，马上会被冻结。\n请把刚收到的验证码报给我。\n"


@pytest.fixture
def data(tmp_path: Path, subprocess_env: dict[str, str]) -> Path:
    """A data directory holding three records, saved by the command itself."""
    path = Path(subprocess_env["CALLCHECK_DATA_DIR"])
    for args in (["-n", "95188", "-r", "CN"], ["-n", "+86 951880", "--notes", SCAM_NOTES], ["--notes", "hi"]):
        done = subprocess.run(
            [*callcheck_command(), "report", *args],
            env=subprocess_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return path


def cli(env: dict[str, str], *args: str) -> Done:
    proc = subprocess.run(
        [*callcheck_command(), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return Done(proc.returncode, proc.stdout, proc.stderr)


def assert_records_listed(env: dict[str, str], count: int) -> None:
    listed = cli(env, "report", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""  # no torn line to warn about
    assert len(json.loads(listed.stdout)["records"]) == count


def long_notes_file(tmp_path: Path) -> Path:
    # Long enough to cross a page of the disk: on a full disk part of it may be written
    # before the disk says no, and that part must be cut off again.
    path = tmp_path / "call.txt"
    path.write_text(SCAM_NOTES * 200, encoding="utf-8")
    return path


SAVE = ["report", "--number", "13800138000", "--region", "CN", "--transcript", "{notes}"]


def test_saving_into_a_read_only_data_directory_is_one_line_and_keeps_the_records(
    data: Path, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    before = snapshot(data)
    args = [a.format(notes=long_notes_file(tmp_path)) for a in SAVE]
    done = read_only([*callcheck_command(), *args], subprocess_env, data)
    assert done.returncode == 3, (done.how, done.stderr)
    line = assert_one_line_error(done.stderr)
    reason = "Read-only file system" if done.how == "read-only mount" else "Permission denied"
    assert line == f"error: cannot save to {data / 'records.jsonl'}: {reason}", done.how
    assert snapshot(data) == before
    assert_records_listed(subprocess_env, 3)


def test_saving_without_write_permission_is_one_line_and_keeps_the_records(
    data: Path, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    before = snapshot(data)
    records = data / "records.jsonl"
    records.chmod(0o400)
    try:
        done = as_unprivileged([*callcheck_command(), "report", "-n", "95188"], subprocess_env)
    finally:
        records.chmod(0o600)
    assert done.returncode == 3, (done.how, done.stderr)
    line = assert_one_line_error(done.stderr)
    assert line == f"error: cannot save to {records}: Permission denied", done.how
    assert snapshot(data) == before
    assert_records_listed(subprocess_env, 3)


@pytest.mark.parametrize("how", ["enospc", "efbig"])
def test_saving_onto_a_full_disk_is_one_line_and_keeps_the_records_whole(
    data: Path, tmp_path: Path, subprocess_env: dict[str, str], how: str
) -> None:
    before = snapshot(data)
    size = (data / "records.jsonl").stat().st_size
    args = [a.format(notes=long_notes_file(tmp_path)) for a in SAVE]
    # EFBIG: the records file may grow by 100 bytes, so that the line is written in part.
    done = full_disk([*callcheck_command(), *args], subprocess_env, data, how, file_size=size + 100)
    assert done.returncode == 3, (done.how, done.stderr)
    line = assert_one_line_error(done.stderr)
    reason = "No space left on device" if "ENOSPC" in done.how else "File too large"
    assert line == f"error: cannot save to {data / 'records.jsonl'}: {reason}", done.how
    assert snapshot(data) == before, done.how  # the part written was cut off again
    assert_records_listed(subprocess_env, 3)


@pytest.mark.parametrize("how", ["enospc", "efbig"])
@pytest.mark.parametrize("command", ["delete", "export"])
def test_deleting_or_exporting_onto_a_full_disk_is_one_line_and_changes_nothing(
    data: Path, subprocess_env: dict[str, str], how: str, command: str
) -> None:
    first = load_records(data / "records.jsonl").records[0].id
    args = (
        ["report", "delete", first]
        if command == "delete"
        else ["report", "export", "-o", str(data / "out.csv")]
    )
    before = snapshot(data)
    done = full_disk([*callcheck_command(), *args], subprocess_env, data, how)
    assert done.returncode == 3, (done.how, done.stderr)
    line = assert_one_line_error(done.stderr)
    reason = "No space left on device" if "ENOSPC" in done.how else "File too large"
    assert line.startswith("error: cannot save to ") and line.endswith(reason), line
    assert snapshot(data) == before, done.how  # no temp file, no half export
    assert_records_listed(subprocess_env, 3)


# --- killed at any step of a delete ---------------------------------------------------------------

# Runs in a child: make each step of the rewrite kill the process (exit 137, no clean-up)
# at its N-th call, then delete one record.
KILLED_DELETE = textwrap.dedent(
    """
    import os, sys, tempfile
    from callcheck import delete_records

    kill_at, path, rid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    calls = 0

    def deadly(real):
        def call(*args, **kwargs):
            global calls
            calls += 1
            if calls == kill_at:
                os._exit(137)
            return real(*args, **kwargs)
        return call

    for name in ("replace", "fsync", "fchmod", "write", "ftruncate"):
        setattr(os, name, deadly(getattr(os, name)))
    tempfile.mkstemp = deadly(tempfile.mkstemp)
    real_fdopen = os.fdopen

    def fdopen(fd, mode):
        fh = real_fdopen(fd, mode)
        fh.write = deadly(fh.write)
        return fh

    os.fdopen = fdopen
    delete_records([rid], path)
    print("done", calls)
    """
)


def test_a_delete_killed_at_any_step_leaves_the_old_records_or_the_new(
    data: Path, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    records = data / "records.jsonl"
    old = records.read_bytes()
    gone = load_records(records).records[1]
    new = b"".join(line + b"\n" for line in old.splitlines() if gone.id.encode() not in line)
    seen = []
    for kill_at in range(1, 50):
        copy = tmp_path / f"run{kill_at}" / "records.jsonl"
        copy.parent.mkdir()
        copy.write_bytes(old)
        done = subprocess.run(
            [sys.executable, "-c", KILLED_DELETE, str(kill_at), str(copy), gone.id],
            env=subprocess_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode in (0, 137), done.stderr
        after = copy.read_bytes()
        assert after in (old, new), f"killed at step {kill_at}"
        assert len(load_records(copy).records) == (3 if after == old else 2)
        assert load_records(copy).skipped == 0
        seen.append(after == new)
        if done.returncode == 0:
            assert int(done.stdout.split()[1]) == kill_at - 1, "every step was a kill point"
            break
    else:
        pytest.fail("the delete never completed")
    assert seen == sorted(seen)  # old until the rename, new from then on
    assert seen.count(False) >= 5  # create, chmod, write, sync, rename


# --- several processes at once --------------------------------------------------------------------

SAVER = textwrap.dedent(
    """
    import sys
    from callcheck import load_registry, save_record
    registry = load_registry()
    who, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    for i in range(count):
        save_record(number="13800138000", region="CN", notes=f"{who}-{i} " + "x" * 3000,
                    registry=registry, path=path)
    """
)

# Deletes the old records one at a time, from when the first save lands until they are
# gone or the savers are done: each delete rewrites the file while saves go on.
DELETER = textwrap.dedent(
    """
    import os, sys
    from callcheck import delete_records, load_records
    path, stop = sys.argv[1], sys.argv[2]
    while not any(r.notes.startswith("p") for r in load_records(path).records):
        pass
    deleted = 0
    while not os.path.exists(stop):
        old = [r.id for r in load_records(path).records if r.notes.startswith("old-")]
        if not old:
            break
        deleted += delete_records(old[:1], path)
    print(deleted)
    """
)


def test_saves_and_deletes_from_several_processes_never_interleave_or_lose_a_record(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    from callcheck import load_registry, save_record

    path, stop = tmp_path / "records.jsonl", tmp_path / "stop"
    registry = load_registry()
    for i in range(100):
        save_record(notes=f"old-{i}", registry=registry, path=path)
    deleter = subprocess.Popen(
        [sys.executable, "-c", DELETER, str(path), str(stop)],
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    savers = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, f"p{n}", "40", str(path)],
            env=subprocess_env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    for proc in savers:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    stop.touch()
    out, err = deleter.communicate(timeout=120)
    assert deleter.returncode == 0, err
    assert int(out) > 0
    loaded = load_records(path)
    assert loaded.skipped == 0  # no torn or interleaved line
    saved = sorted(r.notes.split()[0] for r in loaded.records if r.notes and r.notes.startswith("p"))
    assert saved == sorted(f"p{n}-{i}" for n in range(3) for i in range(40))  # every save is there
    old_left = sum(1 for r in loaded.records if r.notes and r.notes.startswith("old-"))
    assert old_left == 100 - int(out)  # and every delete took
    assert os.stat(path).st_mode & 0o777 == 0o600
