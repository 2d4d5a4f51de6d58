"""Choosing and loading the registry callcheck trusts.

Candidates are the registry shipped in the package and the downloaded ones in the
data directory. Each is verified against the trusted keys every time it is loaded
(the shipped one through the digests pinned beside it, when they match); one that
fails is reported and ignored. The newest valid one wins. No network I/O.
"""

from __future__ import annotations

import functools
import os
import warnings
from typing import TYPE_CHECKING

from ._config import Config, config_dir_name, data_dir_name, load_config
from ._errors import Joined, RegistryError, Remark, SignatureError, Text, os_reason
from ._minisign import MAX_SIGNATURE_BYTES, PublicKey
from ._registry import Registry
from ._store import downloaded
from ._trust import MAX_REGISTRY_BYTES, Verified, choose, pinned_registry, verify_registry
from ._values import Value

if TYPE_CHECKING:
    from pathlib import Path

    EMBEDDED_PATH: Path  # made by __getattr__ below

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields

# The registry shipped in the package. A string: pathlib is not needed to read it, and
# a number check would pay ~3 ms to import it. EMBEDDED_PATH (a Path) is made on demand.
EMBEDDED_FILE = os.path.join(os.path.dirname(__file__), "data", "registry.toml")
# The SHA-256 of the shipped registry and of its signature, written at release after
# the signature was verified in full (docs/maintainers.md). Read for the shipped
# registry only: see _trust.pinned_registry for why it can be trusted.
EMBEDDED_DIGESTS = os.path.join(os.path.dirname(__file__), "data", "registry.sha256")
EMBEDDED = "embedded"


def __getattr__(name: str) -> object:
    if name == "EMBEDDED_PATH":
        from pathlib import Path

        return Path(EMBEDDED_FILE)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RegistryWarning(UserWarning):
    """A registry candidate was ignored (failed verification) while loading."""


class Loaded(Value):
    """The registry in use, the proof it was trusted, and what was ignored on the way
    (``warnings``: English text, each of which says itself in Chinese with ``.message("zh")``)."""

    __slots__ = ("verified", "origin", "warnings")
    verified: Verified
    origin: str
    warnings: tuple[Remark, ...]

    def __init__(self, verified: Verified, origin: str, warnings: tuple[Remark, ...]) -> None:
        _set(self, "verified", verified)
        _set(self, "origin", origin)
        _set(self, "warnings", warnings)

    @property
    def registry(self) -> Registry:
        return self.verified.registry


def read_signed(
    path: str | os.PathLike[str], signature_path: str | os.PathLike[str] | None = None
) -> tuple[bytes, bytes]:
    """A registry file and its signature (``path.minisig`` unless ``signature_path``).

    Each is read no further than one byte past its limit, so that a huge file is
    refused by ``_trust`` without being read into memory.

    Raises:
        RegistryError: either file is missing or cannot be read.
    """
    signature_path = signature_path if signature_path is not None else f"{os.fspath(path)}.minisig"
    try:
        with open(path, "rb") as data, open(signature_path, "rb") as signature:
            return data.read(MAX_REGISTRY_BYTES + 1), signature.read(MAX_SIGNATURE_BYTES + 1)
    except FileNotFoundError as exc:
        raise RegistryError("registry.file_not_found", path=exc.filename) from None
    except OSError as exc:
        raise RegistryError("file.cannot_read", path=exc.filename, reason=os_reason(exc)) from None


def _read_digests() -> bytes | None:
    """The shipped registry's pinned digests, or None if they cannot be read (then the
    registry is verified in full: a missing digest file costs speed, nothing else)."""
    try:
        with open(EMBEDDED_DIGESTS, "rb") as digests:
            return digests.read()
    except OSError:
        return None


def load_trusted(config: Config | None = None, data: str | os.PathLike[str] | None = None) -> Loaded:
    """Verify every candidate registry and return the newest valid one.

    Raises:
        RegistryError: no candidate passed verification.
    """
    config = config if config is not None else load_config()
    keys = config.keys
    notes: list[Remark] = []
    candidates: list[tuple[Verified, str]] = []
    # With the pinned keys switched off the shipped registry cannot be trusted, by
    # the user's own choice: leave it out quietly rather than warn every time.
    if config.pinned_keys:
        try:
            shipped, signature = read_signed(EMBEDDED_FILE)
            verified = pinned_registry(shipped, signature, keys, _read_digests(), origin=EMBEDDED)
            candidates.append((verified, EMBEDDED))
        except (SignatureError, RegistryError) as exc:
            notes.append(Remark("loading.shipped_untrusted", error=Text.of(exc)))
    # Downloads are always verified in full: the pinned digests vouch for the package's
    # own files only, and a download's bytes are whatever reached the user's files.
    for stored in downloaded(data if data is not None else data_dir_name()):
        try:
            verified = verify_registry(stored.data, stored.signature, keys, origin=str(stored.path))
        except (SignatureError, RegistryError) as exc:
            notes.append(Remark("loading.download_ignored", path=str(stored.path), error=Text.of(exc)))
            continue
        candidates.append((verified, str(stored.path)))
    if not candidates:
        if not config.pinned_keys:
            notes.insert(0, Remark("loading.pinned_keys_off"))
        raise RegistryError("loading.no_trusted_registry", notes=Joined(notes))
    best = choose([c[0] for c in candidates])
    origin = next(o for v, o in candidates if v is best)
    return Loaded(best, origin, tuple(notes))


@functools.lru_cache(maxsize=4)
def _load_default(config: str, data: str) -> Loaded:
    return load_trusted(load_config(os.path.join(config, "config.toml")), data)


def load_default() -> Loaded:
    """The trusted registry for this user, loaded once per process."""
    return _load_default(config_dir_name(), data_dir_name())


def forget_loaded() -> None:
    """Drop the registry kept in memory (after an update, or when settings change)."""
    _load_default.cache_clear()


def load_registry(
    path: str | os.PathLike[str] | None = None, *, keys: list[PublicKey] | None = None
) -> Registry:
    """Load the registry callcheck trusts, verified.

    Args:
        path: a compiled ``registry.toml`` to load instead of the default; its
            signature must be beside it as ``registry.toml.minisig``.
        keys: the keys ``path`` may be signed with (default: the trusted keys).

    Without ``path`` the newest valid registry among the shipped one and any
    downloaded by ``callcheck update`` is returned; ignored candidates are
    reported as :class:`RegistryWarning`.

    Raises:
        RegistryError: no trusted registry, or ``path`` is unreadable or malformed.
        SignatureError: ``path``'s signature is missing, untrusted or wrong.
    """
    if path is not None:
        trusted = keys if keys is not None else list(load_config().keys)
        data, signature = read_signed(path)
        return verify_registry(data, signature, trusted, origin=str(path)).registry
    loaded = load_default()
    for note in loaded.warnings:
        warnings.warn(note, RegistryWarning, stacklevel=2)
    return loaded.registry
