"""Bulk checks give exactly the single-number results: ``json_lines`` (what ``--batch``
prints) byte for byte, and ``check_numbers`` value for value."""

from __future__ import annotations

import json
import random

import pytest

from callcheck import Registry, check_number, check_numbers
from callcheck._bulk import RECENT_SIZE, json_lines

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
