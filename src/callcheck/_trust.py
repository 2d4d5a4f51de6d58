"""Every rule about which registry may be trusted, in one place.

A registry is trusted only if a trusted key signed its exact bytes and it parses
as a valid registry (for the registry shipped in the package, digests pinned beside
it may stand in for the Ed25519 check: :func:`pinned_registry`). An update is
accepted only if it is newer than what is installed (no rollback), not expired (no
freeze), and not a second, different registry under a serial already seen. Pure
functions: no file or network I/O, so the code that downloads and installs cannot
skip a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from . import _tomlfast
from ._errors import RegistryError, UpdateError
from ._minisign import PublicKey, Signature, signing_key, verify
from ._registry import Registry, parse_registry
from ._values import Value

if TYPE_CHECKING:
    from hashlib import sha256 as _sha256
else:
    # hashlib's own SHA-256, without hashlib: importing it loads OpenSSL's _hashlib,
    # ~3 ms of a number check's start (the same reason _minisign takes _blake2).
    try:
        from _sha2 import sha256 as _sha256  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256 as _sha256  # Python 3.11
        except ImportError:  # pragma: no cover - a Python built without its own SHA-256
            from hashlib import sha256 as _sha256

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields

# The largest registry trusted, checked before its signature and before parsing: about
# 40 times the registry shipped today (~100 KiB). Whatever a file this size holds, the
# reader takes well under a second and builds tens of MiB at most.
MAX_REGISTRY_BYTES = 4 * 1024 * 1024


class Verified(Value):
    """A registry whose signature checked out, with what proves it: the signed bytes
    ``data``, the id of the key that signed them and the trusted comment."""

    __slots__ = ("registry", "data", "key_id", "trusted_comment")
    registry: Registry
    data: bytes
    key_id: str
    trusted_comment: str

    def __init__(self, registry: Registry, data: bytes, key_id: str, trusted_comment: str) -> None:
        _set(self, "registry", registry)
        _set(self, "data", data)
        _set(self, "key_id", key_id)
        _set(self, "trusted_comment", trusted_comment)

    @property
    def serial(self) -> int:
        return self.registry.serial

    @property
    def sha256(self) -> str:
        """The SHA-256 of the signed bytes, in hex (worked out when asked: updates, ``registry info``)."""
        return _sha256(self.data).hexdigest()

    def __repr__(self) -> str:
        return f"Verified(serial={self.serial}, sha256={self.sha256!r}, key_id={self.key_id!r})"


def verify_registry(
    data: bytes, signature: str | bytes, keys: Iterable[PublicKey], *, origin: str
) -> Verified:
    """Verify ``data`` against its minisign ``signature`` and parse it.

    Nothing in ``data`` is parsed before the signature has been checked, and
    nothing larger than :data:`MAX_REGISTRY_BYTES` is even checked.

    Raises:
        SignatureError: the signature is malformed, by an untrusted key, or wrong.
        RegistryError: the data is too large, or signed but not a valid registry.
    """
    _check_size(data, origin)
    parsed_sig = Signature.from_text(signature)
    key = verify(data, parsed_sig, keys)
    return _signed_registry(data, parsed_sig, key, origin)


def pinned_registry(
    data: bytes,
    signature: bytes,
    keys: Iterable[PublicKey],
    digests: bytes | None,
    *,
    origin: str,
    name: str = "registry.toml",
) -> Verified:
    """The registry shipped in the package, trusted on the digests pinned beside it.

    ``digests`` is the package's ``registry.sha256`` (``sha256sum`` output naming
    ``name`` and ``name.minisig``). It is installed with the package, beside the
    shipped registry, with the same owner and permissions as the code that pins the
    release keys, so whoever could change it could change those keys too; the release
    checks the signature in full before writing it. When both digests match ``data``
    and ``signature`` byte for byte, those are the bytes that were verified then, and
    the Ed25519 check (whose import alone is 5-9 ms of a start) is skipped. Everything else
    is done as :func:`verify_registry` does: the signature file is parsed, its key
    must be one of ``keys`` (so switching the pinned keys off still distrusts it),
    and the registry is parsed and validated.

    Digests that are missing (None), malformed or stale only cost speed: the registry
    is then verified in full. Never call this for a registry that is not the
    package's own (a download): those are always verified in full.

    Raises:
        SignatureError: the signature is malformed, by an untrusted key, or (when it
            is checked) wrong.
        RegistryError: the signed data is not a valid registry.
    """
    _check_size(data, origin)
    pinned = _pinned_digests(digests, name) if digests is not None else None
    if (
        pinned is None
        or _sha256(data).hexdigest() != pinned[0]
        or _sha256(signature).hexdigest() != pinned[1]
    ):
        return verify_registry(data, signature, keys, origin=origin)
    parsed_sig = Signature.from_text(signature)
    return _signed_registry(data, parsed_sig, signing_key(parsed_sig, keys), origin)


_HEX = frozenset("0123456789abcdef")


def _pinned_digests(text: bytes, name: str) -> tuple[str, str] | None:
    """The hex digests of ``name`` and ``name.minisig`` in ``sha256sum`` output, or None
    unless ``text`` is exactly those two lines (in either order, text or binary mode)."""
    try:
        lines = text.decode("ascii").split("\n")
    except UnicodeDecodeError:
        return None
    if lines[-1] == "":
        lines.pop()
    found: dict[str, str] = {}
    for line in lines:
        digest, mode, file = line[:64].lower(), line[64:66], line[66:]
        if len(digest) != 64 or not _HEX.issuperset(digest) or mode not in ("  ", " *") or file in found:
            return None
        found[file] = digest
    signature_name = f"{name}.minisig"
    if len(found) != 2 or name not in found or signature_name not in found:
        return None
    return found[name], found[signature_name]


def _check_size(data: bytes, origin: str) -> None:
    if len(data) > MAX_REGISTRY_BYTES:
        raise RegistryError("registry.too_large", origin=origin, limit=MAX_REGISTRY_BYTES)


def _signed_registry(data: bytes, signature: Signature, key: PublicKey, origin: str) -> Verified:
    """Parse ``data``, whose ``signature`` by ``key`` has been checked (or pinned).

    Only the layout ``registry build`` writes is read (by ``_tomlfast``), never
    tomllib: see that module for why. A key or table defined twice is refused.
    """
    try:
        document = _tomlfast.read(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RegistryError("registry.signed_not_registry", origin=origin, detail=str(exc)) from None
    except _tomlfast.Declined as exc:
        raise RegistryError("registry.signed_not_registry", origin=origin, detail=exc) from None
    registry = parse_registry(document, origin)
    return Verified(registry=registry, data=data, key_id=key.id, trusted_comment=signature.trusted_comment)


def check_update(candidate: Verified, installed: Verified | None, now: dt.datetime | None = None) -> bool:
    """Decide whether ``candidate`` may replace ``installed``.

    Returns:
        True if it should be installed, False if it is the registry already installed.

    Raises:
        UpdateError: it is expired (freeze attack or stale mirror), older than the
            installed one (rollback), or a different registry reusing the installed serial.
    """
    now = now or dt.datetime.now(dt.UTC)
    if candidate.registry.is_expired(now):
        raise UpdateError("update.expired", date=candidate.registry.expires.isoformat())
    if installed is None:
        return True
    if candidate.sha256 == installed.sha256:
        return False
    if candidate.serial < installed.serial:
        raise UpdateError("update.rollback", serial=candidate.serial, installed=installed.serial)
    if candidate.serial == installed.serial:
        raise UpdateError("update.serial_reused", serial=candidate.serial)
    return True


def choose(candidates: Sequence[Verified]) -> Verified:
    """The registry to use among verified candidates: the highest serial, the first on a tie."""
    if not candidates:
        raise RegistryError("registry.none_available")
    best = candidates[0]
    for candidate in candidates[1:]:
        if candidate.serial > best.serial:
            best = candidate
    return best
