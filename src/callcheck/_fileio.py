"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def _default_mode() -> int:
    # The mode a plain open() would give: 0666 less the umask (read without changing it).
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one step: temp file, fsync, rename, fsync dir.

    Readers see the old file or the new one, never a mix, even if the process
    dies half-way. The file gets ``mode``, or what a plain ``open`` would give.
    """
    import tempfile  # only when writing: the number check never writes
    from pathlib import Path

    path = Path(path)
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, _default_mode() if mode is None else mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def append_line(path: Path, line: bytes, *, mode: int = 0o600) -> None:
    """Append ``line`` (one line, ending in a newline) to ``path`` as one write, under a lock.

    A crash can tear only the line being written. A torn last line is closed off with
    a newline before the next line goes in, so it never spoils the line after it; a
    write that fails half-way is cut back off. A new file gets ``mode`` and is made
    in a new directory of mode 0700 if needed (what is appended may be private).
    """
    from pathlib import Path

    path = Path(path)
    created = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError:  # something other than a directory is in the way
        import errno

        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        _lock(fd)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)  # also releases the lock
    if created:
        _fsync_dir(path.parent)


def _lock(fd: int) -> None:
    # Two saves at once must not interleave their bytes; where there is no flock
    # (Windows) a single O_APPEND write is the best there is.
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
