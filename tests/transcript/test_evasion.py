"""Disguised scam words are still caught: invisible characters, look-alike letters,
marks, words spelled out or split by separators, pinyin, digits for letters.

Each case is a short call whose one decisive word is disguised; a control shows the
call is harmless without that word, so a test fails if the disguise gets through.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from callcheck import Registry, check_transcript
from callcheck._transcript import _normalize_block, _normalize_mapped, normalize
from tests.transcript.test_transcript import assert_all_cited, ids

# (call, the decisive word, the signal it raises)
CALLS = {
    "zh-code": ("请把手机收到的验证码告诉我，马上。", "验证码", "verification_code_request"),
    "zh-safe-account": ("把钱转到安全账户", "安全账户", "safe_account"),
    "zh-recovery": ("请把助记词发给我", "助记词", "recovery_phrase_request"),
    "en-code": ("Please read me the verification code we just sent you.", "verification code",
                "verification_code_request"),
    "en-safe-account": ("Move the money to a safe account today.", "safe account", "safe_account"),
    "en-recovery": ("Tell me your seed phrase.", "seed phrase", "recovery_phrase_request"),
}  # fmt: skip
NEUTRAL = {"zh": "东西", "en": "thing"}

CYRILLIC = str.maketrans("aeopcxyi", "аеорсхуі")
PINYIN = {"验证码": "yanzhengma", "安全账户": "anquan zhanghu", "助记词": "zhu-ji-ci"}
TONED = {"验证码": "yànzhèngmǎ", "安全账户": "ānquán zhànghù", "助记词": "zhùjìcí"}
ABBREVIATED = {"验证码": "yzm"}
LEET = {
    "verification code": "ver1f1cat10n c0de",
    "safe account": "$afe acc0unt",
    "seed phrase": "s33d phra$e",
}


def spaced_words(word: str) -> str:
    """Letters one space apart, words three apart: "c o d e   n o w"."""
    return "   ".join(" ".join(part) for part in word.split())


# trick -> (languages it applies to, how it disguises the word)
TRICKS: dict[str, tuple[str, Callable[[str], str]]] = {
    "zero-width": ("zh en", lambda w: "\u200b".join(w)),
    "word-joiner": ("zh en", lambda w: "\u2060".join(w)),
    "soft-hyphen": ("zh en", lambda w: "\u00ad".join(w)),
    "full-width": ("en", lambda w: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in w)),
    "upper-case": ("en", str.upper),
    "cyrillic": ("en", lambda w: w.translate(CYRILLIC)),
    "combining-marks": ("en", lambda w: "".join(c + "\u0338\u0301" if c.isalpha() else c for c in w)),
    "spaced": ("zh en", lambda w: spaced_words(w) if " " in w else " ".join(w)),
    "spaced-one-gap": ("en", lambda w: " ".join(w.replace(" ", ""))),  # "v e r i f i c a t i o n c o d e"
    "dotted": ("zh en", lambda w: " ".join(".".join(part) for part in w.split())),
    "dashed": ("zh en", lambda w: " ".join("-".join(part) for part in w.split())),
    "starred": ("zh en", lambda w: " ".join("*".join(part) for part in w.split())),
    "slashed": ("zh en", lambda w: " ".join("/".join(part) for part in w.split())),
    "spaced-dashes": ("zh", lambda w: " - ".join(w)),
    "pinyin": ("zh", lambda w: PINYIN[w]),
    "pinyin-toned": ("zh", lambda w: TONED[w]),
    "pinyin-spelled": ("zh", lambda w: " ".join(PINYIN[w].replace(" ", "").replace("-", ""))),
    "digits-for-letters": ("en", lambda w: LEET[w]),
}


CASES = [(call, trick) for trick, (langs, _) in TRICKS.items() for call in CALLS if call[:2] in langs.split()]


@pytest.mark.parametrize(("call", "trick"), CASES, ids=[f"{c}-{t}" for c, t in CASES])
def test_disguised_word_is_still_caught(call: str, trick: str, registry: Registry) -> None:
    text, word, signal = CALLS[call]
    assert check_transcript(text, registry=registry).risky
    # Without the word the call is harmless: the word is what the check must see.
    assert not check_transcript(text.replace(word, NEUTRAL[call[:2]]), registry=registry).risky
    disguise = TRICKS[trick][1]
    disguised = text.replace(word, disguise(word))
    assert disguised != text
    result = check_transcript(disguised, registry=registry)
    assert result.risky, (disguised, result.signals)
    assert signal in ids(result)
    assert_all_cited(disguised, result)  # the evidence quotes the disguised words as written


def test_abbreviated_pinyin_is_caught(registry: Registry) -> None:
    result = check_transcript("请把手机收到的yzm告诉我，马上。", registry=registry)
    assert "verification_code_request" in ids(result)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("read me the c o d e", "read me the code"),
        ("r.e.a.d m.e t.h.e c.o.d.e", "read me the code"),
        ("s e n d m e t h e c o d e", "send me the code"),  # split back into known words
        ("transfer 5 0 0 0 dollars", "transfer 5000 dollars"),
        ("下载a p p", "下载app"),
        ("c0de p@ssw0rd pa$$word", "code password password"),
        ("Тhе соdе", "the code"),
        ("c̸o̸d̸e̸", "code"),
        ("把yànzhèngmǎ发给我", "把验证码发给我"),
        ("把 yan-zheng-ma 发给我", "把验证码发给我"),
        ("验.证.码", "验证码"),
        ("把 验 - 证 - 码 发 过来", "把验证码发过来"),
        ("您 的 账 户", "您的账户"),
    ],
)
def test_normalisation_undoes_the_disguise(text: str, folded: str) -> None:
    assert normalize(text) == folded
    assert _normalize_block(text).strip() == folded
    assert _normalize_mapped(text)[0] == folded


@pytest.mark.parametrize(
    "text",
    [
        "it's 2 or 3 days", "a 4.5 star hotel", "mp3 covid19 3pm 1st 4th b2b", "plan a",
        "take full advantage", "maxima", "make fun of it", "i.e. e.g.", "A-level results",
        "杭州-上海", "a p", "yzmx", "gongancheng",
    ],
)  # fmt: skip
def test_ordinary_text_is_left_as_it_reads(text: str) -> None:
    folded = normalize(text)
    # Nothing joined across words or turned into Chinese that was not meant so.
    assert folded.replace(" ", "") == text.casefold().replace(" ", "") or folded == "杭州上海", folded


@pytest.mark.parametrize(
    "text",
    [
        "我姓刘，L I U，刘备的刘。",
        "在A P P里面可以看到订单",
        "My surname is L-I-U, and the booking reference is A B C 1 2 3.",
        "我们不会向您索要yanzhengma，请不要告诉任何人。",
        "We will never ask for your c o d e. Do not share it with anyone.",
        "Zhang Wei from Chongqing called about the rent, twelve hundred a month.",
    ],
)
def test_honest_calls_with_the_same_features_stay_low(text: str, registry: Registry) -> None:
    assert not check_transcript(text, registry=registry).risky


def test_block_and_line_normalisation_agree_on_disguised_text() -> None:
    rng = random.Random(5)
    pieces = [
        "c o d e", "p.a.s.s", "4-7-1-9", "yan zheng ma", "验.证.码", "验 - 证", "c0de", "yzm", "а", "\u200b",
        "take full", "a 4.5", "下载a p p", " ", "  ", "\t", "-", ".", "ke fu", "验", "证", "x", "1", "$afe",
    ]  # fmt: skip
    for _ in range(3000):
        lines = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(1, 6))
        ]
        block = _normalize_block("\n".join(lines)).split("\n")
        assert [part.strip() for part in block] == [normalize(line) for line in lines], lines
