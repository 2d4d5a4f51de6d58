"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
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
    fd = _open_locked(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode)
    try:
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


def rewrite_locked(path: Path, change: Callable[[bytes], bytes | None], *, mode: int = 0o600) -> None:
    """Replace the file ``path`` by ``change(its bytes)`` in one step, holding the lock
    :func:`append_line` takes, so that no line appended meanwhile is lost.

    ``change`` returning None leaves the file as it is. Raises FileNotFoundError if
    there is no file.
    """
    fd = _open_locked(path, os.O_RDONLY, mode)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        new = change(b"".join(chunks))
        if new is not None:
            write_atomic(path, new, mode=mode)
    finally:
        os.close(fd)


def _open_locked(path: Path, flags: int, mode: int) -> int:
    """``path`` opened and locked, and still the file of that name once locked: one
    that was replaced while we waited for the lock is let go, and the new one taken."""
    while True:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), mode)
        try:
            _lock(fd)
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass  # removed while we waited: take the new one
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _lock(fd: int) -> None:
    # Two saves at once must not interleave their bytes; where there is no flock
    # (Windows) a single O_APPEND write is the best there is.
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
