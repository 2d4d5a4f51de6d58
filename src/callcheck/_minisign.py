"""Ed25519 keys and signatures in minisign's file formats.

Keys and signatures made here work with the ``minisign`` tool and the other way
round. Parsing is strict: every length, algorithm tag and base64 encoding is
checked, so a truncated, padded or re-encoded file is refused rather than guessed
at. ``cryptography`` is imported only when a key is used, not when a file is parsed.
"""

from __future__ import annotations

import binascii
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from ._errors import SignatureError, Text
from ._values import Value

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

try:
    # hashlib's BLAKE2b is this very module; importing it alone spares a start-up
    # the ~3 ms of loading OpenSSL's _hashlib, which nothing on the check path needs.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
    from hashlib import blake2b

SIG_ALG = b"Ed"  # Ed25519 over the message itself (minisign's legacy mode)
SIG_ALG_HASHED = b"ED"  # Ed25519 over the BLAKE2b-512 hash of the message (the default)
KDF_SCRYPT = b"Sc"
KDF_NONE = b"\x00\x00"
CHK_BLAKE2B = b"B2"

UNTRUSTED_PREFIX = "untrusted comment: "
TRUSTED_PREFIX = "trusted comment: "
MAX_COMMENT = 1024  # bytes; minisign's own limit is of this order
# A signature file holds two comments of at most MAX_COMMENT bytes and ~200 more: a
# larger one is refused before it is even split into lines.
MAX_SIGNATURE_BYTES = 4096

# scrypt limits minisign writes for a password-protected key (libsodium's "sensitive" preset).
KDF_OPSLIMIT = 33_554_432
KDF_MEMLIMIT = 1_073_741_824

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields

# What a malformed part is called in an error.
_PUBLIC_KEY = Text("signature.public_key")
_SECRET_KEY = Text("signature.secret_key")
_SIGNATURE = Text("signature.signature")
_GLOBAL_SIGNATURE = Text("signature.global_signature")

_KEYNUM_SK_LEN = 8 + 64 + 32  # key id, secret key (seed + public key), checksum
_SECRET_FILE_LEN = 2 + 2 + 2 + 32 + 8 + 8 + _KEYNUM_SK_LEN

# Ed25519's field prime p and group order L.
_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
# The encodings (sign bit cleared) of the points of small order, as libsodium lists
# them: 0 (order 4), 1 (order 1), two points of order 8, p-1 (order 2), p and p+1
# (non-canonical 0 and 1). A public key or an R among them can make one signature
# verify for many messages; libsodium, and so minisign, refuses them, and so do we.
# OpenSSL, under cryptography, accepts them.
_SMALL_ORDER = frozenset(
    bytes.fromhex(h)
    for h in (
        "00" * 32,
        "01" + "00" * 31,
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ec" + "ff" * 30 + "7f",
        "ed" + "ff" * 30 + "7f",
        "ee" + "ff" * 30 + "7f",
    )
)


def _b64decode(line: str, length: int, what: Text) -> bytes:
    """Decode one base64 line that must hold exactly ``length`` bytes, canonically encoded."""
    try:
        raw = binascii.a2b_base64(line, strict_mode=True)  # base64.b64decode(validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("signature.bad_base64", what=what) from None
    if len(raw) != length:
        raise SignatureError("signature.wrong_length", what=what, length=len(raw), expected=length)
    if _b64encode(raw) != line:
        raise SignatureError("signature.not_canonical", what=what)
    return raw


def _b64encode(raw: bytes) -> str:
    return binascii.b2a_base64(raw, newline=False).decode("ascii")


def _lines(text: str | bytes, count: int, what: Text) -> list[str]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError("signature.not_utf8", what=what) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    if len(lines) != count:
        raise SignatureError("signature.line_count", what=what, expected=count, found=len(lines))
    return lines


def _comment(line: str, prefix: str, what: Text) -> str:
    if not line.startswith(prefix):
        raise SignatureError("signature.line_prefix", what=what, prefix=prefix.strip())
    comment = line[len(prefix) :]
    try:
        size = len(comment.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate: not text a file could hold
        raise SignatureError("signature.not_utf8", what=what) from None
    if size > MAX_COMMENT:
        raise SignatureError("signature.comment_too_long", what=what, limit=MAX_COMMENT)
    return comment


def _small_order(point: bytes) -> bool:
    """Whether the 32-byte encoding ``point`` is a point of small order (the sign bit ignored)."""
    return point[:31] + bytes((point[31] & 0x7F,)) in _SMALL_ORDER


def _check_key(key: bytes) -> None:
    """Refuse a public key that is not canonical (y >= p) or of small order, as libsodium does."""
    if int.from_bytes(key, "little") & ((1 << 255) - 1) >= _P or _small_order(key):
        raise SignatureError("signature.weak_key")


def _check_strict(signature: bytes, what: Text) -> None:
    """Refuse a signature whose S is not reduced (S >= L: S + L is a malleated copy of S)
    or whose R is of small order, as libsodium does; OpenSSL refuses the first itself."""
    if int.from_bytes(signature[32:], "little") >= _L or _small_order(signature[:32]):
        raise SignatureError("signature.not_strict", what=what)


def key_id_hex(key_id: bytes) -> str:
    """A key id as minisign prints it: the 8 bytes as a little-endian number in hex."""
    return f"{int.from_bytes(key_id, 'little'):016X}"


class PublicKey(Value):
    """A minisign public key: an 8-byte key id and a 32-byte Ed25519 key."""

    __slots__ = ("key_id", "key")
    key_id: bytes
    key: bytes

    def __init__(self, key_id: bytes, key: bytes) -> None:
        _set(self, "key_id", key_id)
        _set(self, "key", key)

    @property
    def id(self) -> str:
        return key_id_hex(self.key_id)

    @property
    def base64(self) -> str:
        """The one-line form minisign accepts with ``-P``."""
        return _b64encode(SIG_ALG + self.key_id + self.key)

    @classmethod
    def from_base64(cls, line: str) -> PublicKey:
        raw = _b64decode(line.strip(), 42, _PUBLIC_KEY)
        if raw[:2] != SIG_ALG:
            raise SignatureError("signature.not_ed25519", what=_PUBLIC_KEY)
        _check_key(raw[10:])
        return cls(raw[2:10], raw[10:])

    @classmethod
    def from_text(cls, text: str | bytes) -> PublicKey:
        """Read a public key file (comment line and key line) or a bare key line."""
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if "\n" not in text.strip():
            return cls.from_base64(text)
        lines = _lines(text, 2, _PUBLIC_KEY)
        _comment(lines[0], UNTRUSTED_PREFIX, _PUBLIC_KEY)
        return cls.from_base64(lines[1])

    def to_text(self) -> str:
        # minisign prints the id as a plain hex number, without leading zeros.
        return f"{UNTRUSTED_PREFIX}minisign public key {self.id.lstrip('0') or '0'}\n{self.base64}\n"

    def verify_raw(self, signature: bytes, message: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            _ed25519_public_key(self.key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


def _ed25519_public_key(raw: bytes) -> Ed25519PublicKey:
    """cryptography's Ed25519 public key for ``raw`` (32 bytes).

    ``Ed25519PublicKey.from_public_bytes`` is a thin wrapper over cryptography's Rust
    binding, whose import also loads its serialization and hash modules (~2 ms of a
    number check's start). The binding is asked directly; a cryptography laid out
    otherwise gets the public API.

    Raises:
        ValueError: ``raw`` is not an Ed25519 public key.
    """
    try:
        from cryptography.hazmat.bindings._rust import openssl

        load = openssl.ed25519.from_public_bytes
    except (ImportError, AttributeError):  # pragma: no cover - depends on cryptography's layout
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        load = Ed25519PublicKey.from_public_bytes
    return load(raw)


class SecretKey(Value):
    """A minisign secret key: key id and the 64-byte Ed25519 secret (seed + public key)."""

    __slots__ = ("key_id", "secret")
    key_id: bytes
    secret: bytes

    def __init__(self, key_id: bytes, secret: bytes) -> None:
        _set(self, "key_id", key_id)
        _set(self, "secret", secret)

    @property
    def public_key(self) -> PublicKey:
        return PublicKey(self.key_id, self.secret[32:])

    @classmethod
    def generate(cls) -> SecretKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        private = Ed25519PrivateKey.generate()
        seed = private.private_bytes_raw()
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(os.urandom(8), seed + public)

    def sign_raw(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.secret[:32]).sign(message)

    def _checksum(self) -> bytes:
        return blake2b(SIG_ALG + self.key_id + self.secret, digest_size=32).digest()

    def to_text(
        self,
        password: str | None,
        *,
        opslimit: int = KDF_OPSLIMIT,
        memlimit: int = KDF_MEMLIMIT,
    ) -> str:
        """The secret key file, encrypted with ``password`` (scrypt) or, if None, not encrypted."""
        keynum = self.key_id + self.secret + self._checksum()
        if password is None:
            body = SIG_ALG + KDF_NONE + CHK_BLAKE2B + bytes(32) + bytes(16) + keynum
            comment = "minisign encrypted secret key"  # minisign writes this even unencrypted
        else:
            salt = os.urandom(32)
            stream = _kdf(password, salt, opslimit, memlimit)
            body = (
                SIG_ALG
                + KDF_SCRYPT
                + CHK_BLAKE2B
                + salt
                + opslimit.to_bytes(8, "little")
                + memlimit.to_bytes(8, "little")
                + bytes(a ^ b for a, b in zip(keynum, stream, strict=True))
            )
            comment = "minisign encrypted secret key"
        return f"{UNTRUSTED_PREFIX}{comment}\n{_b64encode(body)}\n"

    @classmethod
    def from_text(cls, text: str | bytes, password: str | None = None) -> SecretKey:
        """Read a secret key file; ``password`` is needed if it is encrypted.

        Raises:
            SignatureError: malformed file, missing or wrong password.
        """
        lines = _lines(text, 2, _SECRET_KEY)
        _comment(lines[0], UNTRUSTED_PREFIX, _SECRET_KEY)
        raw = _b64decode(lines[1], _SECRET_FILE_LEN, _SECRET_KEY)
        if raw[:2] != SIG_ALG or raw[4:6] != CHK_BLAKE2B:
            raise SignatureError("signature.not_ed25519", what=_SECRET_KEY)
        kdf, salt = raw[2:4], raw[6:38]
        opslimit = int.from_bytes(raw[38:46], "little")
        memlimit = int.from_bytes(raw[46:54], "little")
        keynum = raw[54:]
        if kdf == KDF_SCRYPT:
            if password is None:
                raise SignatureError("signature.needs_password")
            stream = _kdf(password, salt, opslimit, memlimit)
            keynum = bytes(a ^ b for a, b in zip(keynum, stream, strict=True))
        elif kdf != KDF_NONE:
            raise SignatureError("signature.unknown_kdf")
        key = cls(keynum[:8], keynum[8:72])
        checksum = keynum[72:]
        # minisign 0.11 leaves the checksum of an unencrypted key as zeros.
        if checksum != key._checksum() and not (kdf == KDF_NONE and checksum == bytes(32)):
            if kdf == KDF_SCRYPT:
                raise SignatureError("signature.wrong_password")
            raise SignatureError("signature.bad_checksum")
        if key.public_key.key != _public_from_seed(key.secret[:32]):
            raise SignatureError("signature.halves_differ")
        return key


def _public_from_seed(seed: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return (
        Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


def scrypt_params(opslimit: int, memlimit: int) -> tuple[int, int, int]:
    """libsodium's mapping of (opslimit, memlimit) to scrypt's (log2 N, r, p)."""
    opslimit = max(opslimit, 32768)
    r = 8
    if opslimit < memlimit // 32:
        p = 1
        max_n = opslimit // (r * 4)
        n_log2 = next((i for i in range(1, 63) if (1 << i) > max_n // 2), 63)
    else:
        max_n = memlimit // (r * 128)
        n_log2 = next((i for i in range(1, 63) if (1 << i) > max_n // 2), 63)
        max_rp = min((opslimit // 4) // (1 << n_log2), 0x3FFFFFFF)
        p = max_rp // r
    return n_log2, r, p


def _kdf(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    n_log2, r, p = scrypt_params(opslimit, memlimit)
    if n_log2 > 24 or p < 1:
        raise SignatureError("signature.kdf_limits")
    need = 128 * r * (1 << n_log2) + 128 * r * p + 4096
    import hashlib  # maintainers' keys only

    try:
        return hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=1 << n_log2,
            r=r,
            p=p,
            maxmem=min(max(need * 2, 32 * 1024 * 1024), 2**31 - 1),
            dklen=_KEYNUM_SK_LEN,
        )
    except ValueError:  # limits scrypt cannot run with (more memory than it allows)
        raise SignatureError("signature.kdf_limits") from None


class Signature(Value):
    """A detached minisign signature (the contents of a ``.minisig`` file)."""

    __slots__ = (
        "algorithm",
        "key_id",
        "signature",
        "trusted_comment",
        "global_signature",
        "untrusted_comment",
    )
    algorithm: Literal["ED", "Ed"]
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes
    untrusted_comment: str

    def __init__(
        self,
        algorithm: Literal["ED", "Ed"],
        key_id: bytes,
        signature: bytes,
        trusted_comment: str,
        global_signature: bytes,
        untrusted_comment: str = "signature from minisign secret key",
    ) -> None:
        _set(self, "algorithm", algorithm)
        _set(self, "key_id", key_id)
        _set(self, "signature", signature)
        _set(self, "trusted_comment", trusted_comment)
        _set(self, "global_signature", global_signature)
        _set(self, "untrusted_comment", untrusted_comment)

    @property
    def key_id_hex(self) -> str:
        return key_id_hex(self.key_id)

    @classmethod
    def from_text(cls, text: str | bytes) -> Signature:
        """Parse a ``.minisig`` file.

        Raises:
            SignatureError: anything about the file's shape is wrong.
        """
        if len(text) > MAX_SIGNATURE_BYTES:
            raise SignatureError("signature.too_large", limit=MAX_SIGNATURE_BYTES)
        lines = _lines(text, 4, _SIGNATURE)
        untrusted = _comment(lines[0], UNTRUSTED_PREFIX, _SIGNATURE)
        raw = _b64decode(lines[1], 74, _SIGNATURE)
        algorithm = raw[:2]
        if algorithm not in (SIG_ALG, SIG_ALG_HASHED):
            raise SignatureError("signature.unknown_algorithm")
        trusted = _comment(lines[2], TRUSTED_PREFIX, _SIGNATURE)
        global_sig = _b64decode(lines[3], 64, _GLOBAL_SIGNATURE)
        return cls(
            algorithm="ED" if algorithm == SIG_ALG_HASHED else "Ed",
            key_id=raw[2:10],
            signature=raw[10:],
            trusted_comment=trusted,
            global_signature=global_sig,
            untrusted_comment=untrusted,
        )

    def to_text(self) -> str:
        body = _b64encode(self.algorithm.encode("ascii") + self.key_id + self.signature)
        return (
            f"{UNTRUSTED_PREFIX}{self.untrusted_comment}\n{body}\n"
            f"{TRUSTED_PREFIX}{self.trusted_comment}\n"
            f"{_b64encode(self.global_signature)}\n"
        )


def _signed_message(data: bytes, algorithm: str) -> bytes:
    return blake2b(data, digest_size=64).digest() if algorithm == "ED" else data


def sign(
    data: bytes,
    key: SecretKey,
    *,
    trusted_comment: str | None = None,
    untrusted_comment: str | None = None,
    prehash: bool = True,
) -> Signature:
    """Sign ``data`` the way ``minisign -S`` does (prehashed ``ED`` unless ``prehash`` is False)."""
    algorithm: Literal["ED", "Ed"] = "ED" if prehash else "Ed"
    if trusted_comment is None:
        trusted_comment = f"timestamp:{int(time.time())}"
    for comment in (trusted_comment, untrusted_comment or ""):
        if "\n" in comment or "\r" in comment or len(comment.encode("utf-8")) > MAX_COMMENT:
            raise SignatureError("signature.bad_comment", limit=MAX_COMMENT)
    signature = key.sign_raw(_signed_message(data, algorithm))
    global_signature = key.sign_raw(signature + trusted_comment.encode("utf-8"))
    return Signature(
        algorithm=algorithm,
        key_id=key.key_id,
        signature=signature,
        trusted_comment=trusted_comment,
        global_signature=global_signature,
        untrusted_comment=untrusted_comment or f"signature from callcheck secret key {key.public_key.id}",
    )


def signing_key(signature: Signature, keys: Iterable[PublicKey]) -> PublicKey:
    """The key among ``keys`` with ``signature``'s key id (nothing is verified here).

    Raises:
        SignatureError: no key in ``keys`` has that id.
    """
    key = next((k for k in keys if k.key_id == signature.key_id), None)
    if key is None:
        raise SignatureError("signature.untrusted_key", key=signature.key_id_hex)
    return key


def verify(data: bytes, signature: Signature, keys: Iterable[PublicKey]) -> PublicKey:
    """Check ``signature`` over ``data`` against ``keys``; return the key that signed.

    Both the signature over the data and the global signature over the trusted
    comment must hold, in the strict form libsodium (and so minisign) requires: no
    public key or R of small order, no S of a malleated signature.

    Raises:
        SignatureError: no trusted key has the signature's key id, the key is weak,
            or either signature is invalid.
    """
    key = signing_key(signature, keys)
    _check_key(key.key)  # a PublicKey made directly, not parsed
    _check_strict(signature.signature, _SIGNATURE)
    _check_strict(signature.global_signature, _GLOBAL_SIGNATURE)
    if not key.verify_raw(signature.signature, _signed_message(data, signature.algorithm)):
        raise SignatureError("signature.mismatch", key=key.id)
    if not key.verify_raw(
        signature.global_signature, signature.signature + signature.trusted_comment.encode()
    ):
        raise SignatureError("signature.bad_trusted_comment", key=key.id)
    return key
