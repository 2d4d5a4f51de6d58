"""minisign key and signature formats: round trips, strict parsing, verification rules."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest

from callcheck._config import PINNED_KEYS, ConfigError, load_config
from callcheck._errors import SignatureError
from callcheck._minisign import (
    KDF_MEMLIMIT,
    KDF_OPSLIMIT,
    MAX_COMMENT,
    PublicKey,
    SecretKey,
    Signature,
    key_id_hex,
    scrypt_params,
    sign,
    verify,
)
from tests.signing_helpers import FAST_KDF, PINNED_KEY_ID

DATA = b"format = 1\nserial = 7\n"


@pytest.fixture(scope="module")
def sk() -> SecretKey:
    return SecretKey.generate()


@pytest.fixture(scope="module")
def sig_text(sk: SecretKey) -> str:
    return sign(DATA, sk, trusted_comment="timestamp:1\tfile:registry.toml").to_text()


# --- round trips ----------------------------------------------------------------------


def test_public_key_file_round_trips_and_names_its_key_id(sk: SecretKey) -> None:
    pub = sk.public_key
    text = pub.to_text()
    # Named as minisign names it: hex without leading zeros.
    assert text == f"untrusted comment: minisign public key {pub.id.lstrip('0')}\n{pub.base64}\n"
    assert PublicKey.from_text(text) == pub
    assert PublicKey.from_text(text.encode()) == pub
    assert PublicKey.from_text(pub.base64 + "\n") == pub  # the bare line minisign -P takes
    assert PublicKey.from_base64(pub.base64) == pub
    raw = base64.b64decode(pub.base64)
    assert raw[:2] == b"Ed" and raw[2:10] == pub.key_id and raw[10:] == pub.key
    assert len(pub.key_id) == 8 and len(pub.key) == 32


def test_public_key_file_names_an_id_with_a_leading_zero_as_minisign_does(sk: SecretKey) -> None:
    key_id = bytes.fromhex("2fe556bb9262250a")  # little-endian: 0A256292BB56E52F
    pub = PublicKey.from_text(
        "untrusted comment: x\n" + base64.b64encode(b"Ed" + key_id + sk.public_key.key).decode()
    )
    assert pub.id == "0A256292BB56E52F"
    assert pub.to_text().splitlines()[0] == "untrusted comment: minisign public key A256292BB56E52F"


def test_public_key_file_with_crlf_line_ends_is_read(sk: SecretKey) -> None:
    assert PublicKey.from_text(sk.public_key.to_text().replace("\n", "\r\n")) == sk.public_key


def test_signature_round_trips(sk: SecretKey, sig_text: str) -> None:
    sig = Signature.from_text(sig_text)
    assert sig.to_text() == sig_text
    assert sig.algorithm == "ED"
    assert sig.key_id == sk.key_id
    assert sig.trusted_comment == "timestamp:1\tfile:registry.toml"
    assert sig.untrusted_comment == f"signature from callcheck secret key {sk.public_key.id}"
    assert len(sig.signature) == 64 and len(sig.global_signature) == 64
    assert verify(DATA, sig, [sk.public_key]) == sk.public_key


def test_default_trusted_comment_is_a_timestamp(sk: SecretKey) -> None:
    sig = sign(DATA, sk)
    assert sig.trusted_comment.startswith("timestamp:")
    assert sig.trusted_comment.removeprefix("timestamp:").isdigit()


def test_unencrypted_secret_key_round_trips(sk: SecretKey) -> None:
    text = sk.to_text(None)
    assert text.startswith("untrusted comment: ")
    assert SecretKey.from_text(text) == sk
    assert SecretKey.from_text(text.encode()) == sk
    assert SecretKey.from_text(text).public_key == sk.public_key


def test_encrypted_secret_key_round_trips_with_its_password(sk: SecretKey) -> None:
    text = sk.to_text("correct horse", opslimit=FAST_KDF[0], memlimit=FAST_KDF[1])
    body = base64.b64decode(text.splitlines()[1])
    assert body[2:4] == b"Sc"  # scrypt
    assert sk.secret[:32] not in body  # the seed is not stored in the clear
    loaded = SecretKey.from_text(text, "correct horse")
    assert loaded == sk
    assert sign(DATA, loaded).signature == sign(DATA, sk).signature  # Ed25519 is deterministic


def test_encrypted_secret_key_refuses_a_wrong_or_missing_password(sk: SecretKey) -> None:
    text = sk.to_text("correct horse", opslimit=FAST_KDF[0], memlimit=FAST_KDF[1])
    with pytest.raises(SignatureError, match="wrong password"):
        SecretKey.from_text(text, "battery staple")
    with pytest.raises(SignatureError, match="needs its password"):
        SecretKey.from_text(text, None)


def test_secret_key_with_absurd_kdf_limits_is_refused_not_attempted(sk: SecretKey) -> None:
    lines = sk.to_text("pw", opslimit=FAST_KDF[0], memlimit=FAST_KDF[1]).splitlines()
    body = bytearray(base64.b64decode(lines[1]))
    body[38:46] = (1 << 40).to_bytes(8, "little")  # opslimit
    body[46:54] = (1 << 40).to_bytes(8, "little")  # memlimit: 1 TiB
    text = f"{lines[0]}\n{base64.b64encode(bytes(body)).decode()}\n"
    with pytest.raises(SignatureError, match="out of range"):
        SecretKey.from_text(text, "pw")


def test_unencrypted_secret_key_with_zero_checksum_is_accepted_like_minisign_writes_it(
    sk: SecretKey,
) -> None:
    lines = sk.to_text(None).splitlines()
    body = bytearray(base64.b64decode(lines[1]))
    body[-32:] = bytes(32)
    assert SecretKey.from_text(f"{lines[0]}\n{base64.b64encode(bytes(body)).decode()}\n") == sk


def _edit_secret(sk: SecretKey, change: Callable[[bytearray], None]) -> str:
    lines = sk.to_text(None).splitlines()
    body = bytearray(base64.b64decode(lines[1]))
    change(body)
    return f"{lines[0]}\n{base64.b64encode(bytes(body)).decode()}\n"


def test_unencrypted_secret_key_with_a_wrong_checksum_is_refused(sk: SecretKey) -> None:
    def flip(body: bytearray) -> None:
        body[-1] ^= 1

    with pytest.raises(SignatureError, match="checksum"):
        SecretKey.from_text(_edit_secret(sk, flip))


def test_secret_key_whose_public_half_does_not_match_is_refused(sk: SecretKey) -> None:
    def swap_public(body: bytearray) -> None:
        body[54 + 8 + 32 : 54 + 8 + 64] = SecretKey.generate().public_key.key
        body[-32:] = bytes(32)  # the zero checksum is accepted, so only the key check remains

    with pytest.raises(SignatureError, match="public half"):
        SecretKey.from_text(_edit_secret(sk, swap_public))


# --- key ids and KDF parameters ---------------------------------------------------------


def test_key_id_is_printed_as_little_endian_hex_like_minisign() -> None:
    # minisign prints the key with id bytes 50 B9 43 AB 36 2B 16 59 as 59162B36AB43B950.
    assert key_id_hex(bytes.fromhex("50b943ab362b1659")) == "59162B36AB43B950"
    assert key_id_hex(bytes.fromhex("0100000000000000")) == "0000000000000001"
    assert PublicKey.from_base64(PINNED_KEYS[0]).id == PINNED_KEY_ID


@pytest.mark.parametrize(
    ("opslimit", "memlimit", "expected"),
    [
        (KDF_OPSLIMIT, KDF_MEMLIMIT, (20, 8, 1)),  # libsodium "sensitive": N=2^20, r=8, p=1
        (524_288, 16_777_216, (14, 8, 1)),  # libsodium "interactive": N=2^14, r=8, p=1
        (FAST_KDF[0], FAST_KDF[1], (11, 8, 1)),
        (1, 1 << 24, (10, 8, 1)),  # opslimit is raised to libsodium's minimum of 32768
    ],
)
def test_scrypt_parameters_follow_libsodium(opslimit: int, memlimit: int, expected: tuple[int, ...]) -> None:
    assert scrypt_params(opslimit, memlimit) == expected


# --- strict parsing -------------------------------------------------------------------


def _replace_line(text: str, index: int, new: str) -> str:
    lines = text.splitlines()
    lines[index] = new
    return "\n".join(lines) + "\n"


def _noncanonical(line: str) -> str:
    """Set an unused low bit in the last base64 digit before the padding."""
    stripped = line.rstrip("=")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(stripped[-1])
    assert last & 1 == 0, "the canonical digit has its unused bits clear"
    return stripped[:-1] + alphabet[last | 1] + line[len(stripped) :]


PUBLIC_MUTATIONS: dict[str, Callable[[str], str]] = {
    "truncated key": lambda t: _replace_line(t, 1, t.splitlines()[1][:-4]),
    "extra bytes": lambda t: _replace_line(t, 1, t.splitlines()[1] + "AAAA"),
    "extra padding": lambda t: _replace_line(t, 1, t.splitlines()[1] + "=="),
    "space inside base64": lambda t: _replace_line(
        t, 1, t.splitlines()[1][:10] + " " + t.splitlines()[1][10:]
    ),
    "url-safe alphabet": lambda t: _replace_line(
        t, 1, base64.urlsafe_b64encode(b"Ed" + b"\xfb" * 40).decode()
    ),
    "three lines": lambda t: t + "extra line\n",
    "one comment, no key": lambda t: t.splitlines()[0] + "\n\n",
    "no untrusted comment prefix": lambda t: _replace_line(t, 0, "minisign public key"),
    "comment too long": lambda t: _replace_line(t, 0, "untrusted comment: " + "x" * (MAX_COMMENT + 1)),
    "wrong algorithm tag": lambda t: _replace_line(
        t, 1, base64.b64encode(b"ED" + base64.b64decode(t.splitlines()[1])[2:]).decode()
    ),
}


@pytest.mark.parametrize("mutation", PUBLIC_MUTATIONS.values(), ids=PUBLIC_MUTATIONS.keys())
def test_public_key_parsing_is_strict(sk: SecretKey, mutation: Callable[[str], str]) -> None:
    good = sk.public_key.to_text()
    assert PublicKey.from_text(good) == sk.public_key
    bad = mutation(good)
    assert bad != good
    with pytest.raises(SignatureError):
        PublicKey.from_text(bad)


def test_bare_public_key_line_with_wrong_tag_is_refused(sk: SecretKey) -> None:
    raw = base64.b64decode(sk.public_key.base64)
    with pytest.raises(SignatureError, match="not an Ed25519"):
        PublicKey.from_base64(base64.b64encode(b"XX" + raw[2:]).decode())


SIGNATURE_MUTATIONS: dict[str, Callable[[str], str]] = {
    "truncated signature": lambda t: _replace_line(t, 1, t.splitlines()[1][:-8]),
    "truncated global signature": lambda t: _replace_line(t, 3, t.splitlines()[3][:-8]),
    "signature without padding": lambda t: _replace_line(t, 1, t.splitlines()[1].rstrip("=")),
    "global signature without padding": lambda t: _replace_line(t, 3, t.splitlines()[3].rstrip("=")),
    "signature with extra bytes": lambda t: _replace_line(
        t, 1, base64.b64encode(base64.b64decode(t.splitlines()[1]) + b"\0\0\0").decode()
    ),
    "global signature with extra bytes": lambda t: _replace_line(
        t, 3, base64.b64encode(base64.b64decode(t.splitlines()[3]) + b"\0").decode()
    ),
    "non-canonical signature base64": lambda t: _replace_line(t, 1, _noncanonical(t.splitlines()[1])),
    "non-canonical global base64": lambda t: _replace_line(t, 3, _noncanonical(t.splitlines()[3])),
    "three lines": lambda t: "\n".join(t.splitlines()[:3]) + "\n",
    "five lines": lambda t: t + "trusted comment: more\n",
    "empty": lambda t: "",
    "no untrusted comment prefix": lambda t: _replace_line(t, 0, "signature from minisign secret key"),
    "no trusted comment prefix": lambda t: _replace_line(t, 2, t.splitlines()[2].removeprefix("trusted ")),
    "untrusted and trusted swapped": lambda t: _replace_line(
        _replace_line(t, 0, t.splitlines()[2]), 2, t.splitlines()[0]
    ),
    "trusted comment too long": lambda t: _replace_line(t, 2, "trusted comment: " + "é" * 513),
    "untrusted comment too long": lambda t: _replace_line(t, 0, "untrusted comment: " + "x" * 1025),
    "unknown algorithm tag": lambda t: _replace_line(
        t, 1, base64.b64encode(b"EE" + base64.b64decode(t.splitlines()[1])[2:]).decode()
    ),
}


@pytest.mark.parametrize("mutation", SIGNATURE_MUTATIONS.values(), ids=SIGNATURE_MUTATIONS.keys())
def test_signature_parsing_is_strict(sig_text: str, mutation: Callable[[str], str]) -> None:
    Signature.from_text(sig_text)  # the unmodified file parses
    bad = mutation(sig_text)
    assert bad != sig_text
    with pytest.raises(SignatureError):
        Signature.from_text(bad)


def test_signature_that_is_not_utf8_is_refused(sig_text: str) -> None:
    with pytest.raises(SignatureError, match="UTF-8"):
        Signature.from_text(sig_text.encode() + b"\xff\n")


def test_comment_of_exactly_the_limit_is_accepted(sk: SecretKey) -> None:
    comment = "y" * MAX_COMMENT
    sig = sign(DATA, sk, trusted_comment=comment, untrusted_comment=comment)
    assert Signature.from_text(sig.to_text()).trusted_comment == comment


@pytest.mark.parametrize("comment", ["two\nlines", "carriage\rreturn", "z" * (MAX_COMMENT + 1)])
def test_sign_refuses_comments_that_would_not_parse_back(sk: SecretKey, comment: str) -> None:
    with pytest.raises(SignatureError):
        sign(DATA, sk, trusted_comment=comment)
    with pytest.raises(SignatureError):
        sign(DATA, sk, untrusted_comment=comment)


SECRET_MUTATIONS: dict[str, Callable[[str], str]] = {
    "truncated": lambda t: _replace_line(t, 1, t.splitlines()[1][:-4]),
    "extra bytes": lambda t: _replace_line(
        t, 1, base64.b64encode(base64.b64decode(t.splitlines()[1]) + b"\0\0\0").decode()
    ),
    "one line": lambda t: t.splitlines()[1] + "\n",
    "no untrusted comment prefix": lambda t: _replace_line(t, 0, "minisign encrypted secret key"),
    "wrong algorithm tag": lambda t: _replace_line(
        t, 1, base64.b64encode(b"ED" + base64.b64decode(t.splitlines()[1])[2:]).decode()
    ),
    "unknown kdf": lambda t: _replace_line(
        t,
        1,
        base64.b64encode(
            base64.b64decode(t.splitlines()[1])[:2] + b"Xx" + base64.b64decode(t.splitlines()[1])[4:]
        ).decode(),
    ),
}


@pytest.mark.parametrize("mutation", SECRET_MUTATIONS.values(), ids=SECRET_MUTATIONS.keys())
def test_secret_key_parsing_is_strict(sk: SecretKey, mutation: Callable[[str], str]) -> None:
    good = sk.to_text(None)
    assert SecretKey.from_text(good) == sk
    with pytest.raises(SignatureError):
        SecretKey.from_text(mutation(good))


# --- verification ---------------------------------------------------------------------


def test_signature_by_another_key_id_is_untrusted(sk: SecretKey) -> None:
    stranger = SecretKey.generate()
    sig = sign(DATA, stranger)
    with pytest.raises(
        SignatureError, match=f"signed by key {stranger.public_key.id}, which is not a trusted"
    ):
        verify(DATA, sig, [sk.public_key])
    assert verify(DATA, sig, [sk.public_key, stranger.public_key]) == stranger.public_key


def test_key_with_the_right_id_but_another_key_does_not_verify(sk: SecretKey) -> None:
    impostor = SecretKey.generate().replace(key_id=sk.key_id)
    sig = sign(DATA, impostor)
    with pytest.raises(SignatureError, match="does not match"):
        verify(DATA, sig, [sk.public_key])


def test_no_keys_at_all_verifies_nothing(sk: SecretKey) -> None:
    with pytest.raises(SignatureError, match="not a trusted key"):
        verify(DATA, sign(DATA, sk), [])


def test_signature_for_another_file_does_not_verify(sk: SecretKey) -> None:
    sig = sign(DATA, sk)
    with pytest.raises(SignatureError, match="does not match the data"):
        verify(DATA + b"\n", sig, [sk.public_key])
    with pytest.raises(SignatureError, match="does not match the data"):
        verify(DATA.replace(b"7", b"8"), sig, [sk.public_key])


def test_edited_trusted_comment_breaks_the_global_signature(sk: SecretKey, sig_text: str) -> None:
    edited = sig_text.replace("file:registry.toml", "file:registry.toml\tserial:999")
    assert edited != sig_text
    sig = Signature.from_text(edited)
    with pytest.raises(SignatureError, match="trusted comment signature"):
        verify(DATA, sig, [sk.public_key])


def test_edited_untrusted_comment_does_not_matter(sk: SecretKey, sig_text: str) -> None:
    edited = _replace_line(sig_text, 0, "untrusted comment: anything at all")
    assert verify(DATA, Signature.from_text(edited), [sk.public_key]) == sk.public_key


@pytest.mark.parametrize("part", ["signature", "global_signature"])
@pytest.mark.parametrize("bit", [0, 7, 200, 511])
def test_flipped_bit_in_a_signature_fails(sk: SecretKey, sig_text: str, part: str, bit: int) -> None:
    sig = Signature.from_text(sig_text)
    value = bytearray(getattr(sig, part))
    value[bit // 8] ^= 1 << (bit % 8)
    damaged = Signature.from_text(sig.replace(**{part: bytes(value)}).to_text())
    with pytest.raises(SignatureError):
        verify(DATA, damaged, [sk.public_key])


def test_legacy_non_prehashed_signature_is_accepted(sk: SecretKey) -> None:
    sig = sign(DATA, sk, prehash=False)
    assert sig.algorithm == "Ed"
    assert base64.b64decode(sig.to_text().splitlines()[1])[:2] == b"Ed"
    parsed = Signature.from_text(sig.to_text())
    assert parsed.algorithm == "Ed"
    assert verify(DATA, parsed, [sk.public_key]) == sk.public_key
    with pytest.raises(SignatureError):
        verify(DATA + b"x", parsed, [sk.public_key])


@pytest.mark.parametrize(("prehash", "other"), [(True, "Ed"), (False, "ED")])
def test_switching_the_algorithm_tag_breaks_the_signature(sk: SecretKey, prehash: bool, other: str) -> None:
    sig = sign(DATA, sk, prehash=prehash)
    switched = Signature.from_text(sig.replace(algorithm=other).to_text())
    with pytest.raises(SignatureError, match="does not match the data"):
        verify(DATA, switched, [sk.public_key])


# --- Ed25519 malleability and weak keys -------------------------------------------------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, -1, P) % P
BASE_POINT = bytes.fromhex("58" + "66" * 31)
IDENTITY = (1).to_bytes(32, "little")
SMALL_ORDER = [
    bytes(32),
    IDENTITY,
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    bytes.fromhex("ec" + "ff" * 30 + "7f"),
    bytes.fromhex("ed" + "ff" * 30 + "7f"),
    bytes.fromhex("ee" + "ff" * 30 + "7f"),
]


def _point(encoded: bytes) -> tuple[int, int]:
    """Decode an Edwards25519 point (RFC 8032 5.1.3), accepting non-canonical y."""
    y = int.from_bytes(encoded, "little") & ((1 << 255) - 1)
    y %= P
    x2 = (y * y - 1) * pow(D * y * y + 1, -1, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * pow(2, (P - 1) // 4, P) % P
    assert (x * x - x2) % P == 0, "not on the curve"
    return ((-x) % P if (x & 1) != encoded[31] >> 7 else x), y


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2 % P
    return (x1 * y2 + x2 * y1) * pow(1 + t, -1, P) % P, (y1 * y2 + x1 * x2) * pow(1 - t, -1, P) % P


def _malleate(signature: bytes) -> bytes:
    """The same signature with S replaced by S + L: equal modulo the group order."""
    return signature[:32] + (int.from_bytes(signature[32:], "little") + L).to_bytes(32, "little")


def _with_key(key: bytes) -> str:
    return base64.b64encode(b"Ed" + bytes(8) + key).decode()


@pytest.mark.parametrize("encoded", SMALL_ORDER, ids=[e[:4].hex() for e in SMALL_ORDER])
@pytest.mark.parametrize("sign_bit", [0, 0x80])
def test_every_refused_key_is_a_point_of_small_order(encoded: bytes, sign_bit: int) -> None:
    encoded = encoded[:31] + bytes((encoded[31] | sign_bit,))
    point = _point(encoded)
    for _ in range(3):
        point = _add(point, point)
    assert point == (0, 1)  # 8 * point is the identity
    with pytest.raises(SignatureError, match="not a usable Ed25519 key"):
        PublicKey.from_base64(_with_key(encoded))


def test_small_order_key_would_verify_a_forgery_of_anything_and_is_refused(sk: SecretKey) -> None:
    # With the identity as public key, R = B and S = 1 satisfy S*B = R + k*A for every
    # message. OpenSSL (under cryptography) accepts this; minisign (libsodium) does not.
    weak = PublicKey(sk.key_id, IDENTITY)
    forged = BASE_POINT + IDENTITY
    assert weak.verify_raw(forged, b"any message at all")
    assert weak.verify_raw(forged, forged + b"timestamp:1")
    sig = Signature("Ed", sk.key_id, forged, "timestamp:1", forged)
    with pytest.raises(SignatureError, match="not a usable Ed25519 key"):
        verify(b"format = 1\nserial = 999\n", sig, [weak])
    with pytest.raises(SignatureError, match="not a usable Ed25519 key"):
        PublicKey.from_base64(weak.base64)


def test_config_trusting_a_small_order_key_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'trusted_keys = ["{_with_key(IDENTITY)}"]\n', "utf-8")
    with pytest.raises(ConfigError, match=r"trusted_keys\[0\].*not a usable Ed25519 key"):
        load_config(config)


def test_public_key_that_is_not_canonical_is_refused(sk: SecretKey) -> None:
    for y in (P + 2, P + 18, 2**255 - 1):
        with pytest.raises(SignatureError, match="not a usable Ed25519 key"):
            PublicKey.from_base64(_with_key(y.to_bytes(32, "little")))
    assert PublicKey.from_base64(sk.public_key.base64) == sk.public_key


@pytest.mark.parametrize("part", ["signature", "global_signature"])
def test_malleated_signature_with_s_plus_l_is_refused(sk: SecretKey, part: str) -> None:
    sig = sign(DATA, sk)
    malleated = sig.replace(**{part: _malleate(getattr(sig, part))})
    parsed = Signature.from_text(malleated.to_text())  # the file is well formed: only S is off
    assert getattr(parsed, part) != getattr(sig, part)
    what = "signature" if part == "signature" else r"signature \(global\)"
    with pytest.raises(SignatureError, match=f"^{what}: not in the strict form"):
        verify(DATA, parsed, [sk.public_key])


def test_openssl_refuses_s_plus_l_as_well(sk: SecretKey) -> None:
    # Documents the backend: our own check does not rest on it, but it holds today.
    raw = sk.sign_raw(DATA)
    assert sk.public_key.verify_raw(raw, DATA)
    assert not sk.public_key.verify_raw(_malleate(raw), DATA)


@pytest.mark.parametrize("part", ["signature", "global_signature"])
def test_signature_with_r_of_small_order_is_refused(sk: SecretKey, part: str) -> None:
    sig = sign(DATA, sk)
    forged = sig.replace(**{part: IDENTITY + bytes(32)})
    with pytest.raises(SignatureError, match="not in the strict form"):
        verify(DATA, forged, [sk.public_key])


def test_signature_and_global_signature_swapped_do_not_verify(sk: SecretKey) -> None:
    sig = sign(DATA, sk)
    swapped = Signature.from_text(
        sig.replace(signature=sig.global_signature, global_signature=sig.signature).to_text()
    )
    with pytest.raises(SignatureError, match="does not match the data"):
        verify(DATA, swapped, [sk.public_key])


def test_global_signature_cannot_pass_for_a_legacy_signature_of_what_it_signs(sk: SecretKey) -> None:
    # The global signature is the key's signature over signature + trusted comment, so
    # as a legacy ("Ed") signature it does sign those bytes as data. What stops the
    # copy is the global signature of the copy, which nobody but the key holder can make.
    sig = sign(DATA, sk, trusted_comment="timestamp:1")
    data = sig.signature + b"timestamp:1"
    copied = Signature("Ed", sk.key_id, sig.global_signature, "timestamp:1", sig.global_signature)
    assert sk.public_key.verify_raw(copied.signature, data)
    with pytest.raises(SignatureError, match="trusted comment signature"):
        verify(data, copied, [sk.public_key])
    with pytest.raises(SignatureError, match="trusted comment signature"):
        verify(data, copied.replace(global_signature=sig.signature), [sk.public_key])
