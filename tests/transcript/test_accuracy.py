"""Every labelled corpus keeps meeting the accuracy bar (not timed; counts only).

The development splits train the wording model and tune the patterns; the held-out
splits were written by authors who never saw the detector and are only measured.
"""

from __future__ import annotations

import json

import pytest

from tests.scripts import accuracy_script

DEVELOPMENT = ["dev", *(f"dev{n}" for n in range(2, 15)), "bothbosu-dev"]
HELD_OUT = ["heldout", "heldout2", "heldout3", "heldout4", "heldout8", "evasion", "bothbosu-heldout"]
# Splits that miss the bar today, held to what they reach so they cannot slip further
# unnoticed: split -> (recall, false-positive rate). None at present.
SHORT: dict[str, tuple[float, float]] = {}


@pytest.mark.parametrize("split", DEVELOPMENT + HELD_OUT)
def test_split_meets_the_bar(split: str, capsys: pytest.CaptureFixture[str]) -> None:
    runner = accuracy_script("run")
    status = runner.main(["--split", split])
    out = capsys.readouterr().out
    assert split in out
    assert status == 0, out


@pytest.mark.parametrize("split", sorted(SHORT))
def test_split_short_of_the_bar_does_not_slip(split: str, capsys: pytest.CaptureFixture[str]) -> None:
    runner = accuracy_script("run")
    runner.main(["--split", split, "--json"])
    rows = json.loads(capsys.readouterr().out)
    recall, fpr = SHORT[split]
    for row in rows:
        if row["lang"] != "all":
            assert row["recall"] >= recall and row["fpr"] <= fpr, row


def test_the_wording_model_was_trained_on_the_current_corpus() -> None:
    train = accuracy_script("train")
    assert train.main(["--check"]) == 0, "retrain: python benchmarks/accuracy/train.py"


def test_disguised_words_in_held_out_calls_keep_meeting_the_bar(capsys: pytest.CaptureFixture[str]) -> None:
    evasion = accuracy_script("evasion")
    status = evasion.main(["--split", "heldout8"])
    out = capsys.readouterr().out
    assert "pinyin" in out and "zero-width" in out
    assert status == 0, out
