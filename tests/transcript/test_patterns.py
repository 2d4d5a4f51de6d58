"""The reviewed pattern data and the machinery that loads and compiles it.

Every signal's ``examples`` must fire it and its ``counterexamples`` must not; the
cases are generated from ``data/patterns.toml`` so new data is tested as it lands.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from callcheck import _patterns as patterns_module
from callcheck import check_transcript
from callcheck._messages import EN, ZH
from callcheck._patterns import PatternError, load_patterns, parse_patterns
from callcheck._transcript import normalize, scan

PATTERNS = load_patterns()

# Signals raised from the registry and the number check rather than from the words.
META_SIGNALS = (
    "provider_never_calls",
    "provider_never_asks",
    "number_lookalike",
    "number_not_official",
    "number_other_provider",
    "number_suspicious",
)


def fired(text: str) -> set[str]:
    """The ids of the signals one line raises."""
    return {PATTERNS.signals[hit.signal].id for hit in scan(normalize(text), PATTERNS)}


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(sig.id, text, id=f"{sig.id}-{kind}{n}")
        for sig in PATTERNS.signals
        for n, text in enumerate(getattr(sig, kind), 1)
    ]


# --- the reviewed data --------------------------------------------------------------


def test_pattern_file_has_signals_with_examples() -> None:
    assert len(PATTERNS.signals) >= 10
    assert all(sig.examples for sig in PATTERNS.signals), "every signal needs at least one example"


@pytest.mark.parametrize(("sid", "text"), _cases("examples"))
def test_example_fires_its_signal(sid: str, text: str) -> None:
    assert sid in fired(text), f"{text!r} should raise {sid}"


@pytest.mark.parametrize(("sid", "text"), _cases("counterexamples"))
def test_counterexample_does_not_fire_its_signal(sid: str, text: str) -> None:
    assert sid not in fired(text), f"{text!r} should not raise {sid}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_signal_has_a_message_in_both_catalogues(lang: str) -> None:
    catalogue = {"en": EN, "zh": ZH}[lang]
    ids = [sig.id for sig in PATTERNS.signals] + list(META_SIGNALS)
    missing = [sid for sid in ids if f"signal.{sid}" not in catalogue]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_signal_message_quotes_the_words(lang: str) -> None:
    catalogue = {"en": EN, "zh": ZH}[lang]
    for sig in PATTERNS.signals:
        rendered = catalogue[f"signal.{sig.id}"].format(words="«WORDS»")
        assert "«WORDS»" in rendered, sig.id


# --- validating a patterns document --------------------------------------------------


def minimal_document() -> dict[str, Any]:
    """A small valid patterns document; tests break one thing in a copy of it."""
    return {
        "format": 1,
        "scoring": {"medium": 35, "high": 60, "repeat_bonus": 5, "max_repeat_bonus": 15},
        "negation": {"words": ["never", "不要"], "harmless": ["不要担心"], "window": 8},
        "identity": {"cues": ["我是", "this is"], "window": 12},
        "combinations": [{"categories": ["credential_request", "urgency"], "bonus": 20}],
        "signals": [
            {
                "id": "code_request",
                "category": "credential_request",
                "weight": 50,
                "negatable": True,
                "window": 20,
                "terms": ["验证码", "code"],
                "cues": ["告诉", "tell me"],
                "examples": ["把验证码告诉我"],
            },
            {
                "id": "hurry",
                "category": "urgency",
                "weight": 15,
                "window": 10,
                "terms": ["立即", "immediately"],
            },
        ],
    }


def test_minimal_document_is_valid_and_compiles() -> None:
    parsed = parse_patterns(minimal_document(), "test.toml")
    assert [s.id for s in parsed.signals] == ["code_request", "hurry"]
    assert {parsed.signals[h.signal].id for h in scan(normalize("请立即把验证码告诉我"), parsed)} == {
        "code_request",
        "hurry",
    }


def _broken(change: str) -> dict[str, Any]:
    doc = copy.deepcopy(minimal_document())
    signals = doc["signals"]
    if change == "missing id":
        del signals[0]["id"]
    elif change == "duplicate id":
        signals[1]["id"] = signals[0]["id"]
    elif change == "upper-case term":
        signals[0]["terms"] = ["验证码", "Code"]
    elif change == "upper-case cue":
        signals[0]["cues"] = ["告诉", "Tell me"]
    elif change == "padded term":
        signals[0]["terms"] = [" code"]
    elif change == "unknown combination category":
        doc["combinations"].append({"categories": ["credential_request", "no_such_category"], "bonus": 5})
    else:  # pragma: no cover
        raise AssertionError(change)
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing id", r"signals\[0\]: 'id'"),
        ("duplicate id", r"'code_request' is used twice"),
        ("upper-case term", r"'Code' must be lower case"),
        ("upper-case cue", r"'Tell me' must be lower case"),
        ("padded term", r"' code' must be lower case with no outer spaces"),
        ("unknown combination category", r"unknown category 'no_such_category'"),
    ],
)
def test_malformed_signal_is_refused_naming_the_fault(change: str, message: str) -> None:
    with pytest.raises(PatternError, match=message) as info:
        parse_patterns(_broken(change), "test.toml")
    assert str(info.value).startswith("test.toml")


# --- the phrase matcher --------------------------------------------------------------

PHRASES = ["ab", "abc", "abcd", "b", "bc", "验证", "验证码", "x.y", "a(b)", "[z]", "?q"]
NOT_PHRASES = ["a", "abx", "abcde", "c", "验", "证码", "xzy", "x.", "a(b", "z", "q", ""]

PhraseSet = getattr(patterns_module, "PhraseSet", None)
needs_phrase_set = pytest.mark.skipif(PhraseSet is None, reason="callcheck._patterns has no PhraseSet")


@needs_phrase_set
def test_phrase_set_finds_exactly_the_given_phrases() -> None:
    assert PhraseSet is not None
    matcher = PhraseSet(PHRASES)
    for phrase in PHRASES:
        assert (0, len(phrase), phrase) in matcher.find(phrase), phrase
    for other in NOT_PHRASES:
        assert not any(found[1] - found[0] == len(other) for found in matcher.find(other)), other


@needs_phrase_set
@pytest.mark.parametrize(
    ("text", "longest"),
    [("abcd!", "abcd"), ("abc-e", "abc"), ("ab-x", "ab"), ("验证码是", "验证码"), ("验证一下", "验证")],
)
def test_phrase_set_prefers_the_longest_phrase_at_a_position(text: str, longest: str) -> None:
    assert PhraseSet is not None
    at_start = [found for found in PhraseSet(PHRASES).find(text) if found[0] == 0]
    assert at_start == [(0, len(longest), longest)]


@needs_phrase_set
def test_phrase_set_matches_english_phrases_only_as_whole_words() -> None:
    assert PhraseSet is not None
    matcher = PhraseSet(["pin", "code"])
    assert matcher.find("spinach and barcodes") == []
    assert [p for _, _, p in matcher.find("your pin, the code.")] == ["pin", "code"]


@needs_phrase_set
def test_phrase_set_falls_back_to_a_shorter_whole_word_phrase() -> None:
    assert PhraseSet is not None
    found = PhraseSet(["transfer", "transfer it to"]).find("transfer it today")
    assert (0, 8, "transfer") in found


def test_transfer_to_verify_fires_when_followed_by_today() -> None:
    assert "transfer_to_verify" in fired("you need to transfer it now to verify your account")
    assert "transfer_to_verify" in fired("you need to transfer it today to verify your account")


# --- pathological input --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "验证" * 100_000,
        "a" * 200_000,
        "验证" * 50_000 + "a" * 100_000,
        "\n".join(["验证验证验证", "aaaa" * 1000] * 1000),
    ],
    ids=["yanzheng-200k", "a-200k", "mixed-one-line", "many-lines"],
)
def test_pathological_input_is_processed(text: str) -> None:
    from callcheck._textinput import MAX_LINE_CHARS

    result = check_transcript(text)
    assert result.risk == "low"
    # A line longer than MAX_LINE_CHARS is read as lines of that many characters.
    assert result.lines == sum(max(1, -(-len(line) // MAX_LINE_CHARS)) for line in text.splitlines())


# --- relay cues: an ask a few lines after the thing it points back at ----------------


def _raised(text: str, patterns: Any = None) -> set[str]:
    """Signal ids raised over several lines, read at once and fed line by line (which
    must agree)."""
    from callcheck import load_registry
    from callcheck._transcript import TranscriptMonitor

    registry = load_registry()
    whole = TranscriptMonitor(registry, patterns=patterns)
    whole.read(text)
    fed = TranscriptMonitor(registry, patterns=patterns)
    for line in text.split("\n"):
        fed.feed(line)
    ids = {s.id for s in whole.result().signals}
    assert ids == {s.id for s in fed.result().signals}
    return ids


def test_relay_has_cues_and_examples() -> None:
    assert PATTERNS.relay_lines >= 2
    assert PATTERNS.relay_cues and PATTERNS.relay_examples and PATTERNS.relay_counterexamples


@pytest.mark.parametrize(("text", "sid"), PATTERNS.relay_examples)
def test_relay_example_raises_its_signal(text: str, sid: str) -> None:
    assert sid in _raised(text)


@pytest.mark.parametrize(("text", "sid"), PATTERNS.relay_counterexamples)
def test_relay_counterexample_does_not_raise_its_signal(text: str, sid: str) -> None:
    assert sid not in _raised(text)


RELAY_OPENER = "you'll see twelve words on the screen."
RELAY_ASK = "read them to me in order."


def test_relay_reaches_as_many_lines_as_configured_and_no_further() -> None:
    for gap in range(PATTERNS.relay_lines + 2):
        text = "\n".join([RELAY_OPENER, *["okay."] * gap, RELAY_ASK])
        assert ("recovery_phrase_request" in _raised(text)) == (gap < PATTERNS.relay_lines), gap


def test_relay_needs_a_pointing_ask_beyond_the_next_line() -> None:
    # "confirm" is a cue of the signal: enough on the next line, not two lines on.
    assert "recovery_phrase_request" in _raised(f"{RELAY_OPENER}\nconfirm them for me.")
    assert "recovery_phrase_request" not in _raised(f"{RELAY_OPENER}\nokay.\nconfirm them for me.")


def test_relay_does_not_complete_a_warned_term() -> None:
    text = "never share the twelve words on your screen with anyone.\nokay.\nread them to me in order."
    assert "recovery_phrase_request" not in _raised(text)


def test_relay_reaches_across_a_block_of_lines() -> None:
    from callcheck._transcript import BLOCK_LINES

    text = "\n".join(["hello."] * (BLOCK_LINES - 1) + [RELAY_OPENER, "okay.", RELAY_ASK])
    assert "recovery_phrase_request" in _raised(text)


def test_relay_without_a_relay_table_reaches_only_the_next_line() -> None:
    doc = minimal_document()
    doc["signals"][0].update(carry=True, id="verification_code_request")  # a signal with messages
    parsed = parse_patterns(doc, "test.toml")
    assert parsed.relay_lines == 1 and not parsed.relay_cues
    doc["relay"] = {
        "lines": 2,
        "cues": ["read it out"],
        "examples": [["the code came.\nyes.\nread it out.", "verification_code_request"]],
    }
    parsed = parse_patterns(doc, "test.toml")
    assert parsed.relay_lines == 2 and parsed.relay_examples == (
        ("the code came.\nyes.\nread it out.", "verification_code_request"),
    )
    assert "verification_code_request" in _raised("the code came.\nyes.\nread it out.", parsed)
    assert "verification_code_request" not in _raised("the code came.\nyes.\nfine.\nread it out.", parsed)


@pytest.mark.parametrize(
    ("relay", "message"),
    [
        ({"lines": 0}, r"relay: 'lines' must be at least 1"),
        ({"cues": "read it"}, r"relay: 'cues' must be a list"),
        ({"examples": [["text"]]}, r"relay: 'examples' must be a list of \[text, signal id\] pairs"),
        ({"examples": [["a\nb", "no_such"]]}, r"relay: 'examples' names unknown signal 'no_such'"),
    ],
)
def test_malformed_relay_is_refused(relay: dict[str, Any], message: str) -> None:
    doc = minimal_document()
    doc["relay"] = relay
    with pytest.raises(PatternError, match=message):
        parse_patterns(doc, "test.toml")


@pytest.mark.parametrize(
    "text",
    ["1" * 65536, "一" * 65536, "1," * 32768, "1." * 32768, "1.1" * 20000 + "块"],
    ids=["digits", "chinese-numerals", "commas", "dots", "decimals"],
)
def test_a_long_run_of_digits_is_read_in_linear_time(text: str) -> None:
    # Sums of money are found by a regular expression; unbounded, it was retried at every
    # digit of a run and ran to the run's end each time: 16,000 digits took 12 s, a line
    # of 64 Ki digits minutes. Bounded, such a line takes well under a second.
    import time

    start = time.perf_counter()
    check_transcript(text)
    assert time.perf_counter() - start < 5
