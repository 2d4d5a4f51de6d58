"""Maintainer tasks: compiling the registry sources, making keys, signing.

Reads and writes local files only; no network I/O.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from ._errors import CallcheckError, RegistryError, os_reason
from ._fileio import write_atomic
from ._minisign import PublicKey, SecretKey, sign
from ._registry import Registry, compile_registry, load_registry_file, load_source_tree, parse_registry


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
    min_serial: int = 1,
    now: dt.datetime | None = None,
) -> BuildResult:
    """Compile the source tree ``source`` into the registry file ``output``.

    The serial is the highest of: the header's serial, one more than the registry
    being replaced (``previous``, else whatever ``output`` holds now), and
    ``min_serial``. (The CLI passes one more than the serial of the registry
    shipped in the package, which every client already trusts.)

    Raises:
        RegistryError: the sources are malformed, or the header has already expired.
    """
    registry = load_source_tree(Path(source))
    now = now or dt.datetime.now(dt.UTC)
    if registry.expires <= now:
        raise RegistryError("registry.expires_past", path=str(source), date=registry.expires.isoformat())
    last = _previous_serial(Path(previous) if previous is not None else Path(output))
    serial = max(registry.serial, last + 1, min_serial)
    registry = replace(registry, serial=serial)
    data = _dump(registry, now)
    _read_as_clients_do(data, str(output))
    write_atomic(Path(output), data)
    return BuildResult(Path(output), serial, registry.expires, len(registry.providers))


def _read_as_clients_do(data: bytes, origin: str) -> None:
    """Refuse to write a registry that clients would refuse once it is signed: they read
    only the layout tomli_w writes today, and apply rules a source tree is not held to
    (one owner per number and per name)."""
    from . import _tomlfast

    try:
        document = _tomlfast.read(data.decode("utf-8"))
    except _tomlfast.Declined as exc:
        raise RegistryError("registry.build_unreadable", path=origin, detail=exc) from None
    parse_registry(document, origin)


def shipped_serial() -> int:
    """The serial of the registry shipped in this package (0 if it cannot be read)."""
    from ._loading import EMBEDDED_PATH

    try:
        return load_registry_file(EMBEDDED_PATH).serial
    except RegistryError:
        return 0


def _previous_serial(path: Path) -> int:
    if not path.exists():
        return 0
    return load_registry_file(path).serial


def _dump(registry: Registry, now: dt.datetime) -> bytes:
    import tomli_w

    doc = compile_registry(registry, built=now.replace(microsecond=0))
    header = "# Compiled by 'callcheck registry build' from registry/. Do not edit by hand.\n"
    return (header + tomli_w.dumps(doc)).encode("utf-8")


def keygen(
    public_path: str | os.PathLike[str],
    secret_path: str | os.PathLike[str],
    password: str | None,
    *,
    force: bool = False,
    kdf_limits: tuple[int, int] | None = None,
) -> PublicKey:
    """Make a minisign key pair; the secret key is encrypted unless ``password`` is None.

    ``kdf_limits`` (opslimit, memlimit) lowers scrypt's cost; only tests should use it.

    Raises:
        CallcheckError: a key file exists already and ``force`` is False.
    """
    public_path, secret_path = Path(public_path), Path(secret_path)
    for path in (public_path, secret_path):
        if path.exists() and not force:
            raise CallcheckError("file.exists", path=str(path))
    key = SecretKey.generate()
    limits = {"opslimit": kdf_limits[0], "memlimit": kdf_limits[1]} if kdf_limits else {}
    # A new file with owner-only access replaces any old one, whatever its mode was.
    write_atomic(secret_path, key.to_text(password, **limits).encode("ascii"), mode=0o600)
    write_atomic(public_path, key.public_key.to_text().encode("ascii"))
    return key.public_key


def read_secret_key(path: str | os.PathLike[str], password: str | None) -> SecretKey:
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise CallcheckError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    return SecretKey.from_text(text, password)


def read_public_key(path: str | os.PathLike[str]) -> PublicKey:
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise CallcheckError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    return PublicKey.from_text(text)


def secret_key_is_encrypted(path: str | os.PathLike[str]) -> bool:
    """True if the secret key file at ``path`` needs a password (a cheap look at its header)."""
    import base64
    import binascii

    try:
        lines = Path(path).read_text("ascii").splitlines()
        return base64.b64decode(lines[1])[2:4] != b"\x00\x00"
    except (OSError, IndexError, ValueError, binascii.Error):
        return False


def sign_file(
    path: str | os.PathLike[str],
    key: SecretKey,
    *,
    trusted_comment: str | None = None,
) -> Path:
    """Sign ``path`` into ``path.minisig`` (prehashed, as ``minisign -S`` does).

    The default trusted comment records the time, the file name and, for a
    registry, its serial, so the serial is covered by the global signature too.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CallcheckError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    if trusted_comment is None:
        trusted_comment = f"timestamp:{int(dt.datetime.now(dt.UTC).timestamp())}\tfile:{path.name}"
        serial = _serial_of(data)
        if serial is not None:
            trusted_comment += f"\tserial:{serial}"
    signature = sign(data, key, trusted_comment=trusted_comment)
    out = Path(f"{path}.minisig")
    write_atomic(out, signature.to_text().encode("utf-8"))
    return out


def _serial_of(data: bytes) -> int | None:
    import tomllib

    try:
        serial = tomllib.loads(data.decode("utf-8")).get("serial")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    return serial if isinstance(serial, int) else None
