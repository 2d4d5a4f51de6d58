"""Properties of the transcript check over generated text: any text gives a verdict,
the disguises scammers' scripts and pasted text come in (compatibility forms, invisible
characters, Cyrillic look-alike letters) never change it, every signal cites words
found where it says, and reading a call line by line gives the whole-text verdict.

``HYPOTHESIS_PROFILE=fuzz python -m pytest -m hypothesis`` runs these for longer.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from callcheck import InvalidInput, check_transcript, monitor_call
from callcheck._loading import EMBEDDED_FILE
from callcheck._patterns import load_patterns
from callcheck._registry import load_registry_file
from callcheck._transcript import TranscriptCheck
from callcheck.cli import main

from ..conftest import CLI_ENV, FUTURE, examples
from .test_transcript import CALL, CODE_LINES, ENGLISH_SCAM, THREAT, assert_all_cited

# The shipped registry without its signature (the loading tests check that), pinned to a
# future expiry: a module constant rather than the fixture, so that a failing example
# does not print the whole registry.
REGISTRY = dataclasses.replace(load_registry_file(Path(EMBEDDED_FILE)), expires=FUTURE)
PATTERNS = load_patterns()
# Lines that raise a signal (the data's own examples) and lines that must not.
SCAM_LINES = sorted({e for s in PATTERNS.signals if s.weight > 0 for e in s.examples})
OTHER_LINES = sorted(
    {e for s in PATTERNS.signals if s.weight <= 0 for e in s.examples}
    | {e for s in PATTERNS.signals for e in s.counterexamples}
)
RELAYS = sorted({lines for lines, _ in PATTERNS.relay_examples})
SCAMS = [
    "\n".join(CALL),
    f"{THREAT}\n" + "\n".join(CODE_LINES.values()),
    ENGLISH_SCAM,
    *(f"{THREAT}\n{line}" for line in SCAM_LINES),
    *RELAYS,
]

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Where str.splitlines() breaks lines.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у"}
# Characters that matter to the normaliser, more often than chance would give them:
# invisible ones, look-alike letters, combining marks, full-width forms, every kind of
# space and sentence end, and the line breaks str.splitlines() knows beyond "\n".
TRICKY = (
    ZERO_WIDTH
    + "".join(CYRILLIC.values())
    + "\u0301\u0308\u0338\u20dd\u0f71\u0f72"
    + "ＡＢＣａｂｃ０１２％＄￥"
    + " \t\u00a0\u3000\u2007\u1680\x1f"
    + "。！？；.!?,，"
    + LINE_BREAKS[1:]
    + "验证码密码账户冻结code pin"
)
no_surrogate = st.characters(codec="utf-8")
# Line by line, as speech-to-text writes: known lines, lines of anything, lines of
# the characters above; joined with "\n" (other breaks come inside lines).
line = st.one_of(
    st.sampled_from(SCAM_LINES + OTHER_LINES),
    st.text(no_surrogate, max_size=30),
    st.text(st.one_of(st.sampled_from(TRICKY), no_surrogate), max_size=40),
)
transcripts = st.one_of(
    st.lists(line, max_size=8).map("\n".join),
    st.sampled_from(SCAMS),
    st.text(st.one_of(st.sampled_from(TRICKY + "\n"), no_surrogate), max_size=80),
)


def composes(text: str) -> bool:
    """True if NFKC joins characters of ``text`` (a letter and a combining mark): the
    case of a known bug, tested on its own below, left out of the general properties."""
    return "".join(unicodedata.normalize("NFKC", ch) for ch in text) != unicodedata.normalize("NFKC", text)


def verdict(result: TranscriptCheck) -> tuple[object, ...]:
    """What a check concludes: risk, score, each signal and the line it is first
    raised on, providers, lines; not the words as written (which signals quote)."""
    first: dict[str, int] = {}
    for s in result.signals:
        first[s.id] = min(s.line, first.get(s.id, s.line))
    return (
        result.risk,
        result.score,
        sorted(first.items()),
        result.provider.id if result.provider else None,
        sorted(p.id for p in result.mentioned),
        result.lines,
    )


@st.composite
def disguised(draw: st.DrawFn, text: str) -> str:
    """``text`` with Cyrillic look-alikes for some Latin letters and invisible
    characters slipped in between any two characters of a line."""
    out = []
    for ch in text:
        if ch in CYRILLIC and draw(st.booleans()):
            ch = CYRILLIC[ch]
        out.append(ch)
        if ch not in LINE_BREAKS and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.text(st.sampled_from(ZERO_WIDTH), min_size=1, max_size=3)))
    return "".join(out)


# --- any text ------------------------------------------------------------------------


@examples(2)
@given(transcripts, st.sampled_from(["en", "zh"]))
def test_any_text_gives_a_verdict_citing_words_where_they_are(text: str, lang: str) -> None:
    result = check_transcript(text, registry=REGISTRY, lang=lang)
    assert result.risk in ("low", "medium", "high")
    assert result.lines == len(text.splitlines())
    assert_all_cited(text, result)
    for signal in result.signals:
        if signal.line:
            assert signal.words.strip(), signal
    json.dumps(result.to_dict())  # what --json prints


@examples(0.2)
@given(st.text(st.characters(codec=None, categories=["Cs"]), min_size=1, max_size=3), transcripts)
@example(surrogates="\ud800", text="")
def test_text_with_lone_surrogates_gives_a_verdict(surrogates: str, text: str) -> None:
    result = check_transcript(text + surrogates, registry=REGISTRY)
    assert result.risk in ("low", "medium", "high")


@examples(0.5)
@given(st.one_of(st.none(), st.text(max_size=20)), st.one_of(st.none(), st.text(max_size=20)))
def test_any_claim_or_number_gives_a_verdict_or_invalid_input(claims: str | None, number: str | None) -> None:
    try:
        result = check_transcript(ENGLISH_SCAM, claims=claims, number=number, registry=REGISTRY)
    except InvalidInput:
        return
    assert result.risk == "high"


# --- disguises never change the verdict ----------------------------------------------


@examples(2)
@given(transcripts.filter(lambda text: not composes(text)))
def test_text_and_its_nfkc_form_get_the_same_verdict(text: str) -> None:
    normalised = unicodedata.normalize("NFKC", text)
    assert verdict(check_transcript(normalised, registry=REGISTRY)) == verdict(
        check_transcript(text, registry=REGISTRY)
    )


COMBINING = "\u0301\u0308\u0327\u0336\u0323"


@st.composite
def accented(draw: st.DrawFn, text: str) -> str:
    """``text`` with combining marks after some of its characters (as typed decomposed,
    or struck through)."""
    out = []
    for ch in text:
        out.append(ch)
        if ch not in LINE_BREAKS and draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(COMBINING)))
    return "".join(out)


@examples(0.5)
@given(st.sampled_from(SCAMS).flatmap(accented))
@example("read me the code\u0301, urgent")
def test_text_with_combining_marks_and_its_nfkc_form_get_the_same_verdict(text: str) -> None:
    normalised = unicodedata.normalize("NFKC", text)
    assert verdict(check_transcript(normalised, registry=REGISTRY)) == verdict(
        check_transcript(text, registry=REGISTRY)
    )


@examples(0.3)
@given(st.sampled_from(SCAMS).flatmap(accented))
@example("请把验\u0336证码告诉我，立即")
def test_combining_marks_do_not_lower_the_risk_of_a_scam(text: str) -> None:
    plain = "".join(ch for ch in text if not unicodedata.combining(ch))
    rank = {"low": 0, "medium": 1, "high": 2}
    assert (
        rank[check_transcript(text, registry=REGISTRY).risk]
        >= rank[check_transcript(plain, registry=REGISTRY).risk]
    )


@examples(1)
@given(st.data())
def test_invisible_characters_and_cyrillic_look_alikes_do_not_change_the_verdict_of_a_scam(
    data: st.DataObject,
) -> None:
    text = data.draw(st.sampled_from(SCAMS))
    hidden = data.draw(disguised(text))
    plain = check_transcript(text, registry=REGISTRY)
    result = check_transcript(hidden, registry=REGISTRY)
    assert verdict(result) == verdict(plain)
    assert_all_cited(hidden, result)


@pytest.mark.parametrize(
    "repeat",
    ["your account will be frоzen", "your account will be fro\u200bzen", "您的账户将被冻\u00ad结"],
)
def test_evidence_repeated_in_disguise_is_listed_once_like_a_plain_repeat(repeat: str) -> None:
    plain = "\n".join(["your account will be frozen", "您的账户将被冻结"] * 2)
    disguised_text = plain + "\n" + repeat
    assert [(s.id, s.line) for s in check_transcript(disguised_text, registry=REGISTRY).signals] == [
        (s.id, s.line) for s in check_transcript(plain, registry=REGISTRY).signals
    ]


@examples(0.5)
@given(st.data())
def test_invisible_characters_and_cyrillic_look_alikes_do_not_change_any_verdict(data: st.DataObject) -> None:
    text = data.draw(st.lists(line, max_size=6).map("\n".join).filter(lambda text: not composes(text)))
    hidden = data.draw(disguised(text))
    assert verdict(check_transcript(hidden, registry=REGISTRY)) == verdict(
        check_transcript(text, registry=REGISTRY)
    )


# --- line by line --------------------------------------------------------------------


@examples(0.6)
@given(st.one_of(transcripts, st.sampled_from(SCAMS).flatmap(disguised)))
def test_feeding_the_lines_gives_the_whole_text_verdict_and_alerts_once_where_it_turns_high(
    text: str,
) -> None:
    # TranscriptMonitor.read promises the verdict of feeding each line of text.splitlines().
    lines = text.splitlines()
    monitor = monitor_call(registry=REGISTRY)
    alerts = [monitor.feed(one) for one in lines]
    whole = check_transcript(text, registry=REGISTRY)
    assert monitor.result().to_dict() == whole.to_dict()
    assert alerts.count(True) == (1 if any(alerts) else 0)
    if whole.risk == "high":
        assert alerts.count(True) == 1
    if True in alerts:
        at = alerts.index(True) + 1
        assert check_transcript("\n".join(lines[:at]), registry=REGISTRY).risk == "high"
        assert check_transcript("\n".join(lines[: at - 1]), registry=REGISTRY).risk != "high"


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    return CliRunner(env=CLI_ENV)


# Lines as a file or a pipe gives them to --follow: split at "\n", "\r\n" or "\r" only.
follow_line = line.map(lambda one: "".join(" " if ch in LINE_BREAKS or ch == "\x00" else ch for ch in one))


@examples(0.3)
@given(st.lists(follow_line, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_transcript_command_gives_the_same_verdict_with_and_without_follow(
    cli: CliRunner, lines: list[str], end: str
) -> None:
    # A leading byte order mark is a known difference (the test below).
    text = (end.join(lines) + end).lstrip("\ufeff")
    assert_follow_agrees(cli, text)


def assert_follow_agrees(cli: CliRunner, text: str) -> None:
    whole = cli.invoke(main, ["transcript", "--json", "-"], input=text.encode())
    followed = cli.invoke(main, ["transcript", "--follow", "--json", "-"], input=text.encode())
    for result in (whole, followed):
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
    if whole.exit_code == 2:  # nothing but whitespace: refused as empty, read as is by --follow
        assert not text.strip()
        return
    assert (followed.exit_code, json.loads(followed.stdout)) == (whole.exit_code, json.loads(whole.stdout))


def test_a_byte_order_mark_is_read_alike_with_and_without_follow(cli: CliRunner) -> None:
    assert_follow_agrees(cli, "\ufeff请把验证码告诉我\n")
