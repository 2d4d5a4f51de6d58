"""The downloaded registry on disk: install, read back, lock.

Layout under the data directory::

    registry/state.json                  which install is current (written last)
    registry/registry-<serial>-<sha>.toml        the signed registry
    registry/registry-<serial>-<sha>.toml.minisig its signature
    registry/.lock                       held while an update installs

Every file is written atomically and ``state.json`` is replaced only after the files
it names are on disk, so a crash at any point leaves the old install or the new one,
never a mix. The install before the current one is kept. This module trusts nothing:
whatever it reads is verified by the caller.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ._errors import UpdateError
from ._fileio import write_atomic
from ._values import Value

if TYPE_CHECKING:
    from pathlib import Path

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields

DIRECTORY = "registry"  # under the data directory
STATE = "state.json"
LOCK = ".lock"


class State(Value):
    """What ``state.json`` says: the current install, the one before, and how it was fetched."""

    __slots__ = ("current", "previous", "etag", "url")
    current: str
    previous: str | None
    etag: str | None
    url: str | None

    def __init__(
        self, current: str, previous: str | None = None, etag: str | None = None, url: str | None = None
    ) -> None:
        _set(self, "current", current)
        _set(self, "previous", previous)
        _set(self, "etag", etag)
        _set(self, "url", url)


class Stored(Value):
    """One install read back from disk (not yet verified)."""

    __slots__ = ("name", "data", "signature", "path")
    name: str
    data: bytes
    signature: bytes
    path: Path

    def __init__(self, name: str, data: bytes, signature: bytes, path: Path) -> None:
        _set(self, "name", name)
        _set(self, "data", data)
        _set(self, "signature", signature)
        _set(self, "path", path)


def downloaded(root: str | os.PathLike[str]) -> list[Stored]:
    """The installs in ``root``, as :meth:`Store.installs` gives them.

    Most users never download a registry; for them this looks for one file and
    imports nothing (pathlib, json), which a number check would otherwise pay for.
    """
    if not os.path.exists(os.path.join(root, DIRECTORY, STATE)):
        return []
    return Store(root).installs()


class Store:
    """The registry cache in ``root`` (normally the platform data directory)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        from pathlib import Path

        self.dir = Path(root) / DIRECTORY

    def state(self) -> State | None:
        """The current state, or None if nothing was ever installed or the state is unreadable."""
        try:
            text = (self.dir / STATE).read_text("utf-8")
        except (OSError, ValueError):
            return None
        import json  # only once a registry was downloaded, which most users never do

        try:
            raw = json.loads(text)
            return State(
                current=_name(raw["current"]),
                previous=_name(raw["previous"]) if raw.get("previous") else None,
                etag=raw.get("etag") if isinstance(raw.get("etag"), str) else None,
                url=raw.get("url") if isinstance(raw.get("url"), str) else None,
            )
        except (ValueError, KeyError, TypeError):
            return None

    def read(self, name: str) -> Stored | None:
        """The install called ``name``, or None if either of its files is missing."""
        path = self.dir / f"{name}.toml"
        try:
            data = path.read_bytes()
            signature = (self.dir / f"{name}.toml.minisig").read_bytes()
        except OSError:
            return None
        return Stored(name, data, signature, path)

    def installs(self) -> list[Stored]:
        """The current install, then the previous one, as far as they can be read."""
        state = self.state()
        if state is None:
            return []
        found = (self.read(n) for n in (state.current, state.previous) if n)
        return [s for s in found if s is not None]

    def install(
        self, data: bytes, signature: bytes, *, serial: int, sha256: str, etag: str | None, url: str | None
    ) -> Path:
        """Write a verified registry and make it current; keep the one it replaces.

        Raises:
            OSError: the files could not be written (a full or read-only disk); the
                directory is left as it was, the files of this install removed again.
        """
        self.dir.mkdir(parents=True, exist_ok=True)
        name = f"registry-{serial}-{sha256[:16]}"
        old = self.state()
        written: list[Path] = []
        try:
            for path, body in (
                (self.dir / f"{name}.toml", data),
                (self.dir / f"{name}.toml.minisig", signature),
            ):
                write_atomic(path, body)
                written.append(path)
            previous = old.current if old and old.current != name else (old.previous if old else None)
            self._write_state(State(current=name, previous=previous, etag=etag, url=url))
        except BaseException:
            # state.json still names the old installs; the new files would only lie
            # there until the next install prunes them (unless they are an old install's).
            if not old or name not in (old.current, old.previous):
                for path in written:
                    with contextlib.suppress(OSError):
                        path.unlink()
            raise
        self._prune({name, previous})
        return self.dir / f"{name}.toml"

    def _write_state(self, state: State) -> None:
        import json

        body = {"current": state.current, "previous": state.previous, "etag": state.etag, "url": state.url}
        write_atomic(self.dir / STATE, (json.dumps(body, indent=2) + "\n").encode("utf-8"))

    def _prune(self, keep: set[str | None]) -> None:
        for path in self.dir.glob("registry-*"):
            base = path.name.removesuffix(".minisig").removesuffix(".toml")
            if base not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()

    @contextlib.contextmanager
    def lock(self, wait: float = 30.0) -> Iterator[None]:
        """Hold the update lock, so two updates never install at once.

        Raises:
            UpdateError: another update still holds the lock after ``wait`` seconds.
        """
        import fcntl

        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                        if exc.errno in (errno.EAGAIN, errno.EACCES):
                            raise UpdateError("update.locked") from None
                        raise
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)


def _name(value: object) -> str:
    # Names come from our own state file, but never let one point outside the directory.
    if not isinstance(value, str) or not value.startswith("registry-") or "/" in value or "\\" in value:
        raise ValueError("bad install name")
    return value
