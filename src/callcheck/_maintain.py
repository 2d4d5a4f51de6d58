"""Maintainer tasks on the registry source tree: compiling it into one file.

Reads and writes local files only; no network I/O.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from ._errors import RegistryError
from ._fileio import write_atomic
from ._registry import Registry, compile_registry, load_registry_file, load_source_tree


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What ``build_registry`` wrote."""

    path: Path
    serial: int
    expires: dt.datetime
    providers: int

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "serial": self.serial,
            "expires": self.expires.isoformat(),
            "providers": self.providers,
        }


def build_registry(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    previous: str | os.PathLike[str] | None = None,
    now: dt.datetime | None = None,
) -> BuildResult:
    """Compile the source tree ``source`` into the registry file ``output``.

    The serial is the header's serial or one more than the registry being
    replaced (``previous``, else whatever ``output`` holds now), whichever is
    higher, so clients always see a newer build as newer.

    Raises:
        RegistryError: the sources are malformed, or the header has already expired.
    """
    registry = load_source_tree(Path(source))
    now = now or dt.datetime.now(dt.UTC)
    if registry.expires <= now:
        raise RegistryError(f"{source}: header 'expires' ({registry.expires.isoformat()}) is in the past")
    last = _previous_serial(Path(previous) if previous is not None else Path(output))
    serial = max(registry.serial, last + 1)
    registry = replace(registry, serial=serial)
    write_atomic(Path(output), _dump(registry, now))
    return BuildResult(Path(output), serial, registry.expires, len(registry.providers))


def _previous_serial(path: Path) -> int:
    if not path.exists():
        return 0
    return load_registry_file(path).serial


def _dump(registry: Registry, now: dt.datetime) -> bytes:
    import tomli_w

    doc = compile_registry(registry, built=now.replace(microsecond=0))
    header = "# Compiled by 'callcheck registry build' from registry/. Do not edit by hand.\n"
    return (header + tomli_w.dumps(doc)).encode("utf-8")
