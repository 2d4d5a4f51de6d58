"""Skipping text that can no longer change the verdict is exact: a long transcript
gets the same result, evidence included, as a reader that judges every line."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from callcheck import load_registry
from callcheck._transcript import TranscriptMonitor

CORPUS = Path(__file__).parents[2] / "benchmarks" / "accuracy" / "corpus"


class _EveryLine(TranscriptMonitor):
    """The reference: never skips a line."""

    def _settled(self, *args: object) -> bool:
        return False

    def _screen(self) -> None:
        return None


def _calls() -> list[str]:
    texts = []
    for name in ("dev.jsonl", "dev2.jsonl", "dev4zh.jsonl", "dev4en.jsonl"):
        for line in (CORPUS / name).read_text("utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    return texts


@pytest.mark.parametrize("seed", range(6))
def test_long_transcripts_read_the_same_as_line_by_line_judging(seed: int) -> None:
    rng = random.Random(seed)
    calls = _calls()
    text = "\n".join(rng.choice(calls) for _ in range(rng.choice((40, 300, 1500))))
    registry = load_registry()
    fast = TranscriptMonitor(registry)
    fast.read(text)
    reference = _EveryLine(registry)
    reference.read(text)
    assert fast.result().to_dict() == reference.result().to_dict()
    # Fed line by line (the live path) too.
    live = TranscriptMonitor(registry)
    for line in text.splitlines():
        live.feed(line)
    assert live.result().to_dict() == reference.result().to_dict()


def test_skipping_really_happens_on_long_input() -> None:
    # Guards the test above: if nothing ever saturated, it would compare nothing.
    calls = _calls()
    monitor = TranscriptMonitor(load_registry())
    monitor.read("\n".join(calls * 2))
    assert len(monitor._saturated) > len(monitor.patterns.signals) // 2


def test_a_provider_first_named_late_in_a_long_call_is_still_noticed() -> None:
    calls = _calls()
    registry = load_registry()
    prefix = "\n".join(calls * 2)
    seen = TranscriptMonitor(registry)
    seen.read(prefix)
    assert seen._screen() is not None  # the quick screen is in use by now
    named = {p.id for p in seen.result().mentioned}
    late = next(p for p in registry.providers if p.id not in named)
    filler = "\n".join(["好的，我知道了。", "okay, thanks, talk soon"] * 1500)
    text = f"{prefix}\n{filler}\nby the way my {late.names.en} account is fine\n{filler}"
    fast = TranscriptMonitor(registry)
    fast.read(text)
    reference = _EveryLine(registry)
    reference.read(text)
    assert late.id in {p.id for p in fast.result().mentioned}
    assert fast.result().to_dict() == reference.result().to_dict()


def test_block_normalisation_equals_line_normalisation_for_every_kind_of_space() -> None:
    from callcheck._transcript import _normalize_block, normalize

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    rng = random.Random(3)
    calls = _calls()[:400]
    for call in calls:
        noisy = "".join(
            ch + (rng.choice(spaces) * rng.randint(1, 3) if rng.random() < 0.1 else "") for ch in call
        )
        lines = noisy.splitlines()
        block = _normalize_block("\n".join(lines)).split("\n")
        assert len(block) == len(lines)
        for line, part in zip(lines, block, strict=True):
            assert part.strip() == normalize(line)
