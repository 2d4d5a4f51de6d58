"""Every rule about which registry may be trusted, in one place.

A registry is trusted only if a trusted key signed its exact bytes and it parses
as a valid registry. An update is accepted only if it is newer than what is
installed (no rollback), not expired (no freeze), and not a second, different
registry under a serial already seen. Pure functions: no file or network I/O, so
the code that downloads and installs cannot skip a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from . import _tomlfast
from ._errors import RegistryError, UpdateError
from ._minisign import PublicKey, Signature, verify
from ._registry import Registry, parse_registry
from ._values import Value

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields


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
        """The SHA-256 of the signed bytes, in hex.

        Worked out when asked (updates, ``registry info``): a number check never needs
        it, and hashlib's import alone is ~3 ms of its start.
        """
        import hashlib

        return hashlib.sha256(self.data).hexdigest()

    def __repr__(self) -> str:
        return f"Verified(serial={self.serial}, sha256={self.sha256!r}, key_id={self.key_id!r})"


def verify_registry(
    data: bytes, signature: str | bytes, keys: Iterable[PublicKey], *, origin: str
) -> Verified:
    """Verify ``data`` against its minisign ``signature`` and parse it.

    Nothing in ``data`` is parsed before the signature has been checked.

    Raises:
        SignatureError: the signature is malformed, by an untrusted key, or wrong.
        RegistryError: the signed data is not a valid registry.
    """
    parsed_sig = Signature.from_text(signature)
    key = verify(data, parsed_sig, keys)
    try:
        text = data.decode("utf-8")
        # The layout 'registry build' writes reads fast; anything else goes to tomllib.
        document = _tomlfast.loads(text)
        if document is None:
            import tomllib

            document = tomllib.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise RegistryError(f"{origin}: signed, but not a valid registry file: {exc}") from None
    registry = parse_registry(document, origin)
    return Verified(registry=registry, data=data, key_id=key.id, trusted_comment=parsed_sig.trusted_comment)


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
        raise UpdateError(
            f"refused: the registry offered expired on {candidate.registry.expires.isoformat()} "
            "(stale mirror or freeze attack)"
        )
    if installed is None:
        return True
    if candidate.sha256 == installed.sha256:
        return False
    if candidate.serial < installed.serial:
        raise UpdateError(
            f"refused: the registry offered has serial {candidate.serial}, older than the installed "
            f"serial {installed.serial} (rollback)"
        )
    if candidate.serial == installed.serial:
        raise UpdateError(
            f"refused: the registry offered reuses serial {candidate.serial} with different content"
        )
    return True


def choose(candidates: Sequence[Verified]) -> Verified:
    """The registry to use among verified candidates: the highest serial, the first on a tie."""
    if not candidates:
        raise RegistryError("no trusted registry is available: run 'callcheck update'")
    best = candidates[0]
    for candidate in candidates[1:]:
        if candidate.serial > best.serial:
            best = candidate
    return best
