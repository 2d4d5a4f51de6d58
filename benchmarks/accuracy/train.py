"""Train the wording model (``src/callcheck/data/wording.tsv``) on the development corpora.

    python benchmarks/accuracy/train.py            # rewrite the shipped model
    python benchmarks/accuracy/train.py --check    # exit 1 if the model is stale

A logistic regression over the features of ``callcheck._wording.features``, one
row per labelled call (scam = 1), fitted with AdaGrad and a little L2 decay; the
average of three fits, each in its own fixed order, so the same corpus gives the
same file. Only the development splits
train it: the held-out splits (``run.is_held_out``) are never read here. Features
whose weight stays small are dropped to keep the file short and reviewable.

The file starts with the digest of the corpus files it was trained on; the test
suite checks that digest, so a corpus change without a retrain fails CI.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
from collections.abc import Iterable
from pathlib import Path

import run

from callcheck._wording import FORMAT, WORDING_PATH, call_features

EPOCHS = 15
RATE = 0.2
DECAY = 1e-4
PRUNE = 0.2  # features with |weight| below this are dropped
SEED = 20261123
BAG = 3  # models averaged, each fitted in its own order (SEED, SEED + 1, ...)
# 10 points per unit of logit; at most 35 towards scam (below the medium line at 40, so
# the wording alone never flags a call) and 40 towards honest; windows of 40 lines.
SETTINGS = {"scale": 10.0, "up": 35, "down": 40, "window": 40, "hop": 20}


def corpus_digest() -> str:
    """SHA-256 over the corpus files that hold training calls, in a fixed order."""
    names = sorted({name for name, split in run.FILES if not run.is_held_out(split)} | {run.BOTHBOSU})
    digest = hashlib.sha256()
    for name in names:
        path = run.CORPUS / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fit(
    rows: list[tuple[set[str], int]], *, epochs: int = EPOCHS, seed: int = SEED
) -> tuple[dict[str, float], float]:
    """Weights and bias of a logistic regression on (features, label) rows."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    bias, bias_squares = 0.0, 1e-8
    order = list(range(len(rows)))
    shuffle = random.Random(seed).shuffle
    for _ in range(epochs):
        shuffle(order)
        for i in order:
            present, label = rows[i]
            z = bias + sum(weights.get(f, 0.0) for f in present)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - label
            for f in present:
                w = weights.get(f, 0.0)
                step = g + DECAY * w
                squares[f] = squares.get(f, 1e-8) + step * step
                weights[f] = w - RATE * step / math.sqrt(squares[f])
            bias_squares += g * g
            bias -= RATE * g / math.sqrt(bias_squares)
    return weights, bias


def fit_bagged(rows: list[tuple[set[str], int]], *, bag: int = BAG) -> tuple[dict[str, float], float]:
    """The average of ``bag`` fits that differ only in the order the rows are read.

    One fit leans on the last calls it read; averaging several orders steadies the
    weights, so a new corpus file moves the model less than it otherwise would.
    """
    fits = [fit(rows, seed=SEED + k) for k in range(bag)]
    features = set().union(*(weights for weights, _ in fits))
    weights = {f: sum(w.get(f, 0.0) for w, _ in fits) / bag for f in features}
    return weights, sum(bias for _, bias in fits) / bag


def training_rows() -> list[tuple[set[str], int]]:
    return [
        (call_features(record["text"]), int(record["label"] == "scam"))
        for split, record in run.records()
        if not run.is_held_out(split)
    ]


def render(weights: dict[str, float], bias: float, digest: str, calls: int) -> str:
    kept = sorted(
        ((f, round(w, 3)) for f, w in weights.items() if abs(w) >= PRUNE),
        key=lambda fw: (-fw[1], fw[0]),
    )
    head = [
        "# callcheck wording model: written by benchmarks/accuracy/train.py; do not edit by hand.",
        "# Weights of a logistic regression over a call's features (see callcheck/_wording.py):",
        "# positive weights are wording typical of scam calls, negative of honest calls.",
        f"# Trained on {calls} calls of the development corpora; corpus sha256 {digest}",
        f"@format\t{FORMAT}",
        f"@bias\t{round(bias, 3)}",
        *(f"@{name}\t{value}" for name, value in SETTINGS.items()),
    ]
    return "\n".join(head + [f"{f}\t{w}" for f, w in kept]) + "\n"


def stored_digest(text: str) -> str | None:
    for line in text.splitlines():
        if "corpus sha256 " in line:
            return line.rsplit(" ", 1)[1]
    return None


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only check the model matches the corpus")
    parser.add_argument("-o", "--output", type=Path, default=WORDING_PATH)
    args = parser.parse_args(list(argv) if argv is not None else None)
    digest = corpus_digest()
    if args.check:
        current = stored_digest(args.output.read_text("utf-8")) if args.output.exists() else None
        if current != digest:
            print(
                f"{args.output}: trained on another corpus; run benchmarks/accuracy/train.py", file=sys.stderr
            )
            return 1
        return 0
    rows = training_rows()
    weights, bias = fit_bagged(rows)
    args.output.write_text(render(weights, bias, digest, len(rows)), "utf-8")
    print(f"{args.output}: {sum(abs(w) >= PRUNE for w in weights.values())} features from {len(rows)} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
