"""Choosing and loading the registry callcheck trusts.

Today that is the compiled registry shipped inside the package; the loaded
registry is kept for the life of the process. No network I/O here.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from ._registry import Registry, load_registry_file

EMBEDDED_PATH = Path(__file__).parent / "data" / "registry.toml"


def load_registry(path: str | os.PathLike[str] | None = None) -> Registry:
    """Load a compiled registry, validated.

    Args:
        path: a compiled ``registry.toml``; the registry shipped with callcheck if None.

    Raises:
        RegistryError: the file is missing, unreadable or malformed.
    """
    if path is not None:
        return load_registry_file(Path(path))
    return _embedded()


@functools.cache
def _embedded() -> Registry:
    return load_registry_file(EMBEDDED_PATH, origin="embedded")
