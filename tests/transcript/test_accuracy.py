"""The development corpora keep meeting the accuracy bar (not timed; counts only)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "accuracy" / "run.py"


def _load_runner():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("accuracy_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["accuracy_run"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("split", ["dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "bothbosu-dev"])
def test_development_split_meets_the_bar(split: str, capsys: pytest.CaptureFixture[str]) -> None:
    runner = _load_runner()
    status = runner.main(["--split", split])
    out = capsys.readouterr().out
    assert split in out
    assert status == 0, out
