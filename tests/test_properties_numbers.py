"""Properties of the number check over generated input: any text gives a result (or
only the documented errors), and the layouts a number can be written in (full-width or
other scripts' digits, invisible characters, compatibility forms) never change the
verdict. Bulk checks agree with single ones on all of it.

``HYPOTHESIS_PROFILE=fuzz python -m pytest -m hypothesis`` runs these for longer.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from callcheck import InvalidInput, NumberCheck, check_number, check_numbers
from callcheck._bulk import json_line_blocks
from callcheck._loading import EMBEDDED_FILE
from callcheck._registry import load_registry_file
from callcheck.cli import main

from .conftest import CLI_ENV, FUTURE, examples

# The shipped registry without its signature (the loading tests check that), pinned to a
# future expiry: a module constant rather than the fixture, because the strategies are
# built from its numbers at import, and so that a failing example does not print it whole.
REGISTRY = dataclasses.replace(load_registry_file(Path(EMBEDDED_FILE)), expires=FUTURE)
OFFICIAL = sorted({(n.number, n.region, n.key) for p in REGISTRY.providers for n in p.numbers})
REGIONS = [None, *sorted({region for _, region, _ in OFFICIAL}), "DE", "JP", "IN"]

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# The first digit (zero) of scripts whose digits unicodedata reads as 0-9: full-width,
# Arabic-Indic, Extended Arabic-Indic (Persian, Urdu), Devanagari, Bengali, Thai,
# Myanmar, and mathematical bold, double-struck and monospace (NFKC turns these into ASCII).
DIGIT_ZEROS = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0x1D7CE, 0x1D7D8, 0x1D7F6]
SEPARATORS = [" ", "-", ".", "(", ")", "/", "\u00a0", "\u3000", "\u2013", "\u2212", "\uff0d", "\u30fc"]
VERDICTS = {"official", "lookalike", "unknown", "invalid"}

# Every character, lone surrogates too: they reach the library from undecodable
# command-line arguments (Python's surrogateescape).
any_char = st.characters(codec=None, categories=None, exclude_categories=())
any_text = st.text(any_char, max_size=40)
# Characters that matter to the normaliser, more often than chance would give them.
tricky_char = st.one_of(
    st.sampled_from([*"+0123456789", *ZERO_WIDTH, *SEPARATORS, "＋", "٫", *"ABCPQRSWXYZ"]),
    st.integers(0, 9).flatmap(lambda d: st.sampled_from([chr(z + d) for z in DIGIT_ZEROS])),
    any_char,
)
tricky_text = st.text(tricky_char, max_size=40)


def _mutate(digits: str, draw: st.DrawFn) -> str:
    """``digits`` with one change that makes a lookalike (or nothing like one)."""
    how = draw(st.sampled_from(["same", "change", "swap", "prefix", "suffix", "drop"]))
    i = draw(st.integers(0, len(digits) - 1))
    if how == "change":
        return digits[:i] + draw(st.sampled_from("0123456789")) + digits[i + 1 :]
    if how == "swap" and i + 1 < len(digits):
        return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    if how == "prefix":
        return draw(st.text("0123456789", min_size=1, max_size=5)) + digits
    if how == "suffix":
        return digits + draw(st.text("0123456789", min_size=1, max_size=5))
    if how == "drop":
        return digits[:i] + digits[i + 1 :]
    return digits


@st.composite
def plain_numbers(draw: st.DrawFn) -> tuple[str, str | None]:
    """(an ASCII number, a region): official numbers as published or in E.164, their
    lookalikes, and digits at random, with or without a region."""
    published, region, key = draw(st.sampled_from(OFFICIAL))
    kind = draw(st.sampled_from(["published", "e164", "double-zero", "national", "random"]))
    if kind == "published":
        return published, draw(st.sampled_from([region, None]))
    if kind == "random":
        digits = draw(st.text("0123456789", min_size=1, max_size=19))
        return draw(st.sampled_from(["", "+", "00"])) + digits, draw(st.sampled_from(REGIONS))
    digits = _mutate(key[1:], draw)
    if kind == "e164":
        return "+" + digits, draw(st.sampled_from(REGIONS))
    if kind == "double-zero":
        return "00" + digits, draw(st.sampled_from(REGIONS))
    return digits, draw(st.sampled_from(REGIONS))


def _layout(number: str, data: st.DataObject, *, scripts: bool, invisible: bool) -> str:
    """``number`` with separators between its characters, its digits in other scripts
    (``scripts``) and zero-width characters anywhere (``invisible``)."""
    out = []
    for ch in number:
        if scripts and ch.isdigit():
            ch = chr(data.draw(st.sampled_from(DIGIT_ZEROS)) + int(ch))
        out.append(ch)
        if invisible:
            out.append(data.draw(st.text(st.sampled_from(ZERO_WIDTH), max_size=2)))
    return "".join(out)


def summary(result: NumberCheck) -> tuple[object, ...]:
    """What a check says about a number, without the input as typed (which the messages quote)."""
    return (
        result.verdict,
        result.risk,
        result.provider.id if result.provider else None,
        result.number,
        result.region,
        tuple(r.code for r in result.reasons),
    )


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# --- any text ------------------------------------------------------------------------


@examples(3)
@given(st.one_of(any_text, tricky_text), st.sampled_from(REGIONS), st.sampled_from(["en", "zh"]))
def test_any_text_gives_a_result_never_an_exception(text: str, region: str | None, lang: str) -> None:
    result = check_number(text, region=region, registry=REGISTRY, lang=lang)
    assert result.verdict in VERDICTS
    assert result.input == text
    if result.verdict == "invalid":
        assert (result.number, result.risk, result.provider) == (None, None, None)
    else:
        assert result.number is not None and result.number[0] == "+" and result.number[1:].isdigit()
        assert result.risk in ("low", "medium", "high")
    json.dumps(result.to_dict())  # what --json prints


@examples(1)
@given(any_text, st.one_of(st.none(), any_text))
def test_any_region_or_claim_gives_a_result_or_invalid_input(region: str, claims: str | None) -> None:
    try:
        result = check_number("95188", region=region, claims=claims, registry=REGISTRY)
    except InvalidInput:
        return
    assert result.verdict in VERDICTS


# --- layouts never change the verdict ------------------------------------------------


@examples(3)
@given(st.one_of(any_text, tricky_text), st.sampled_from(REGIONS))
def test_text_and_its_nfkc_form_get_the_same_verdict(text: str, region: str | None) -> None:
    assert summary(check_number(nfkc(text), region=region, registry=REGISTRY)) == summary(
        check_number(text, region=region, registry=REGISTRY)
    )


@examples(1.5)
@given(st.data())
def test_zero_width_characters_between_digits_do_not_change_the_verdict(data: st.DataObject) -> None:
    number, region = data.draw(plain_numbers())
    hidden = _layout(number, data, scripts=False, invisible=True)
    assert summary(check_number(hidden, region=region, registry=REGISTRY)) == summary(
        check_number(number, region=region, registry=REGISTRY)
    )


@examples(1)
@given(any_text, st.lists(st.sampled_from(ZERO_WIDTH), min_size=1), st.data())
def test_zero_width_characters_anywhere_do_not_change_the_verdict_of_any_text(
    text: str, hidden: list[str], data: st.DataObject
) -> None:
    with_hidden = text
    for ch in hidden:
        at = data.draw(st.integers(0, len(with_hidden)))
        with_hidden = with_hidden[:at] + ch + with_hidden[at:]
    assert (
        check_number(with_hidden, registry=REGISTRY).verdict == check_number(text, registry=REGISTRY).verdict
    )


@examples(1.5)
@given(st.data())
def test_digits_of_any_script_give_the_same_verdict_as_ascii_digits(data: st.DataObject) -> None:
    number, region = data.draw(plain_numbers())
    written = _layout(number, data, scripts=True, invisible=data.draw(st.booleans()))
    assert summary(check_number(written, region=region, registry=REGISTRY)) == summary(
        check_number(number, region=region, registry=REGISTRY)
    )


@examples(1)
@given(st.data())
def test_full_width_number_with_full_width_plus_and_separators_is_read_as_ascii(data: st.DataObject) -> None:
    number, region = data.draw(plain_numbers())
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else "\u3000" for ch in number)
    assert nfkc(wide) == number
    assert summary(check_number(wide, region=region, registry=REGISTRY)) == summary(
        check_number(number, region=region, registry=REGISTRY)
    )


# --- bulk checks agree with single ones ----------------------------------------------

_number_texts = st.one_of(
    plain_numbers().map(lambda pair: pair[0]),
    tricky_text,
    any_text,
)


@examples(0.5)
@given(
    st.lists(_number_texts, max_size=30),
    st.sampled_from(REGIONS),
    st.sampled_from([None, "alipay", "paypal"]),
    st.sampled_from(["en", "zh"]),
)
def test_bulk_check_gives_the_single_results(
    numbers: list[str], region: str | None, claims: str | None, lang: str
) -> None:
    numbers = numbers + numbers[::2]  # repeats take the bulk checker's kept results
    single = [check_number(n, region=region, claims=claims, registry=REGISTRY, lang=lang) for n in numbers]
    bulk = list(check_numbers(numbers, region=region, claims=claims, registry=REGISTRY, lang=lang))
    assert [r.to_dict() for r in bulk] == [r.to_dict() for r in single]
    # What --batch prints: the lines of blocks, each the JSON of the single result.
    blocks = [numbers[i : i + 7] for i in range(0, len(numbers), 7)]
    printed = [
        line
        for lines, _ in json_line_blocks(blocks, region=region, claims=claims, registry=REGISTRY, lang=lang)
        for line in lines
    ]
    assert [json.loads(line) for line in printed] == [r.to_dict() for r in single]


# --- the command line ----------------------------------------------------------------


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    return CliRunner(env=CLI_ENV)


# A lone surrogate (an undecodable byte in an argument) printed as JSON is a known bug,
# tested in tests/test_adversarial.py: here it is replaced.
_cli_text = st.one_of(any_text, tricky_text).map(lambda t: t.encode("utf-8", "replace").decode())


@examples(0.5)
@given(_cli_text, st.sampled_from(REGIONS), st.booleans())
def test_number_command_exits_with_a_documented_status_on_any_text(
    cli: CliRunner, text: str, region: str | None, as_json: bool
) -> None:
    args = ["number", "--", text]
    if region:
        args[1:1] = ["--region", region]
    if as_json:
        args[1:1] = ["--json"]
    result = cli.invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if as_json and result.exit_code in (0, 1):
        assert json.loads(result.stdout)["verdict"] in VERDICTS
