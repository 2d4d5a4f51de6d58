"""The benchmark harness runs end to end (figures are printed, never asserted), and
its bulk input gives the same verdicts in bulk as one number at a time."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from types import ModuleType

import pytest

from callcheck import Registry, check_number, check_numbers
from callcheck._bulk import json_lines
from tests.scripts import load_script

HARNESS = Path(__file__).parent.parent / "benchmarks" / "perf.py"


@pytest.fixture(scope="module")
def perf() -> ModuleType:
    return load_script(HARNESS, "perf_harness")


def test_bulk_verdicts_on_a_sample_of_the_benchmark_input_equal_single_checks(
    perf: ModuleType, registry: Registry
) -> None:
    sample = list(itertools.islice(perf.mixed_numbers(1_000_000), 0, 3000))
    assert len(set(sample)) > len(sample) // 2  # mostly distinct, as in a real log
    for region in ("CN", None):
        bulk = [r.to_dict() for r in check_numbers(sample, region=region, registry=registry)]
        single = [check_number(n, region=region, registry=registry).to_dict() for n in sample]
        assert bulk == single
        lines = [line for line, _ in json_lines(sample, region=region, registry=registry)]
        assert lines == [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in single]


def test_quick_mode_prints_a_row_per_figure(perf: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert perf.main(["--quick", "--only", "bulk,follow"]) == 0
    out = capsys.readouterr().out
    assert "machine:" in out
    for row in ("bulk check_numbers", "bulk --batch CLI", "--follow latency", "--follow memory"):
        assert row in out
