"""Bulk checks give exactly the single-number results: ``json_lines`` (what ``--batch``
prints) byte for byte, and ``check_numbers`` value for value."""

from __future__ import annotations

import json
import random

import pytest

from callcheck import Registry, check_number, check_numbers
from callcheck._bulk import RECENT_SIZE, _Recent, json_line_blocks, json_lines

from .test_check import mixed_sample


def dumps(result: object) -> str:
    return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def call_log(seed: int, count: int) -> list[str]:
    """mixed_sample with repeats and characters JSON must escape."""
    rng = random.Random(seed)
    sample = mixed_sample(seed, count)
    odd = ['95188"', "9518\\8", "\t95188\t", "+86 138\u00a01234 5678", "95 188\x01", "{0}", "\ue000 95188"]
    return [rng.choice(odd) if rng.random() < 0.03 else rng.choice(sample[: i + 1]) for i in range(count)]


@pytest.mark.parametrize(
    ("region", "claims", "lang"),
    [
        ("CN", None, "en"),
        (None, None, "en"),
        ("US", "alipay", "zh"),
        ("CN", "icbc", "zh"),
        ("HK", None, "en"),
    ],
)
def test_json_lines_are_byte_identical_to_dumps_of_single_results(
    registry: Registry, region: str | None, claims: str | None, lang: str
) -> None:
    sample = mixed_sample(sum(map(ord, f"{region}{claims}{lang}")), 4000) + call_log(11, 2000)
    lines = list(json_lines(sample, region=region, claims=claims, registry=registry, lang=lang))
    single = [check_number(n, region=region, claims=claims, registry=registry, lang=lang) for n in sample]
    assert [line for line, _ in lines] == [dumps(r.to_dict()) for r in single]
    assert [risky for _, risky in lines] == [r.risky for r in single]


def test_json_lines_flag_an_expired_registry_like_single_checks(expired_registry: Registry) -> None:
    sample = mixed_sample(5, 1500)
    lines = [line for line, _ in json_lines(sample, region="CN", registry=expired_registry)]
    assert lines == [dumps(check_number(n, region="CN", registry=expired_registry).to_dict()) for n in sample]


def test_repeated_numbers_beyond_the_recent_results_are_checked_again_the_same(registry: Registry) -> None:
    distinct = [f"138{i:08d}" for i in range(RECENT_SIZE * 2 + 10)]
    sample = [*distinct, "95188", *distinct[:50], "95188"]
    bulk = [r.to_dict() for r in check_numbers(sample, region="CN", registry=registry)]
    assert bulk == [check_number(n, region="CN", registry=registry).to_dict() for n in sample]


NOT_NUMBERS = [
    "hello",
    "",
    "12",
    "+",
    "call me",
    "+86 abc",
    "1" * 20,
    "++86 95188",
    "95188+",
    'abc"def',
    "it's",
    "\\x",
    "a\tb\x01",
    "电话",
    "９５１８８ＡＢ",
    "{0}",
    "\ue000",
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_inputs_that_are_not_numbers_get_the_single_results_word_for_word(
    registry: Registry, lang: str
) -> None:
    sample = NOT_NUMBERS * 2
    lines = [line for line, _ in json_lines(sample, region="CN", registry=registry, lang=lang)]
    single = [check_number(n, region="CN", registry=registry, lang=lang) for n in sample]
    assert lines == [dumps(r.to_dict()) for r in single]
    assert list(check_numbers(sample, region="CN", registry=registry, lang=lang)) == single


def test_inputs_that_are_not_numbers_with_an_expired_registry(expired_registry: Registry) -> None:
    lines = [line for line, _ in json_lines(NOT_NUMBERS, region="CN", registry=expired_registry)]
    single = [check_number(n, region="CN", registry=expired_registry) for n in NOT_NUMBERS]
    assert lines == [dumps(r.to_dict()) for r in single]


@pytest.mark.parametrize("size", [1, 7, 500, RECENT_SIZE + 3])
def test_line_blocks_are_the_json_lines_in_the_same_blocks(registry: Registry, size: int) -> None:
    sample = call_log(3, RECENT_SIZE * 2 + 500) + NOT_NUMBERS
    blocks = [sample[i : i + size] for i in range(0, len(sample), size)] + [[]]
    got = list(json_line_blocks(iter(blocks), region="CN", registry=registry))
    assert [len(lines) for lines, _ in got] == [len(block) for block in blocks]
    expected = list(json_lines(sample, region="CN", registry=registry))
    assert [line for lines, _ in got for line in lines] == [line for line, _ in expected]
    flags = iter(risky for _, risky in expected)
    assert [risky for _, risky in got] == [any([next(flags) for _ in block]) for block in blocks]


def test_results_are_kept_for_inputs_that_repeat_and_memory_stays_bounded() -> None:
    calls: list[str] = []

    def work(number: str) -> list[str]:
        calls.append(number)
        return [number]

    recent = _Recent(work)
    got = list(recent.each(["a", "b", "a", "a", "c", "a", "b"]))
    assert got == [[n] for n in "abaacab"]
    assert calls == ["a", "b", "a", "c", "b"]  # kept from the second time on
    assert got[2] is got[3] is got[5]
    list(recent.each(f"n{i}" for i in range(RECENT_SIZE * 3)))
    assert len(recent.recent) <= RECENT_SIZE and len(recent.older) <= RECENT_SIZE
    calls.clear()
    assert list(recent.each(["a"])) == [["a"]] and calls == ["a"]  # long forgotten
