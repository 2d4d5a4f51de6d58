"""Measure the transcript check on the labelled corpora.

Prints, per corpus split and language: how many scam calls were flagged (recall),
how many flags were right (precision), and how many honest calls were flagged
(false-positive rate). A call counts as flagged at medium or high risk.

    python benchmarks/accuracy/run.py            # every split
    python benchmarks/accuracy/run.py --misses dev   # list what the dev split gets wrong

Splits: dev to dev14 (written for the project, used for tuning the patterns and
training the wording model); heldout to heldout4 and heldout8 (written separately by authors who
never saw the detector; only measured); the BothBosu corpus (MIT), split in two by a
hash of each id: bothbosu-dev for tuning and training, bothbosu-heldout only measured.
The exit status is 1 if any measured split misses the bar in any language.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import callcheck

CORPUS = Path(__file__).parent / "corpus"
BARS = {"recall": 0.90, "fpr": 0.05}
BOTHBOSU = "en_bothbosu_single.jsonl"
FILES = (
    ("dev.jsonl", "dev"),
    ("dev2.jsonl", "dev2"),
    ("dev3.jsonl", "dev3"),
    ("dev4zh.jsonl", "dev4"),
    ("dev4en.jsonl", "dev4"),
    ("dev5zh.jsonl", "dev5"),
    ("dev6zh.jsonl", "dev6"),
    ("dev6en.jsonl", "dev6"),
    ("dev7zh.jsonl", "dev7"),
    ("dev7en.jsonl", "dev7"),
    ("dev8zh.jsonl", "dev8"),
    ("dev8en.jsonl", "dev8"),
    ("dev9zh.jsonl", "dev9"),
    ("dev9en.jsonl", "dev9"),
    ("dev10zh.jsonl", "dev10"),
    ("dev10en.jsonl", "dev10"),
    ("dev11zh.jsonl", "dev11"),
    ("dev11en.jsonl", "dev11"),
    ("dev12zh.jsonl", "dev12"),
    ("dev12en.jsonl", "dev12"),
    ("dev13zh.jsonl", "dev13"),
    ("dev13en.jsonl", "dev13"),
    ("dev14zh.jsonl", "dev14"),
    ("dev14en.jsonl", "dev14"),
    ("heldout.jsonl", "heldout"),
    ("heldout2.jsonl", "heldout2"),
    ("heldout3.jsonl", "heldout3"),
    ("heldout4.jsonl", "heldout4"),
    ("heldout8zh.jsonl", "heldout8"),
    ("heldout8en.jsonl", "heldout8"),
    ("evasionzh.jsonl", "evasion"),
    ("evasionen.jsonl", "evasion"),
)


def _bothbosu_half(record: dict[str, str]) -> str:
    digest = hashlib.sha256(record["id"].encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "heldout"


def records() -> Iterator[tuple[str, dict[str, str]]]:
    """(split, record) for every labelled call."""
    for name, split in FILES:
        path = CORPUS / name
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    yield split, json.loads(line)
    for line in (CORPUS / BOTHBOSU).read_text("utf-8").splitlines():
        record = json.loads(line)
        yield f"bothbosu-{_bothbosu_half(record)}", record


def is_held_out(split: str) -> bool:
    """True for the splits that are only measured: never tuned on, never trained on."""
    return split.startswith("heldout") or split in ("bothbosu-heldout", "evasion")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", metavar="SPLIT", help="list the calls of SPLIT that were misjudged")
    parser.add_argument("--split", action="append", help="measure only this split (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    registry = callcheck.load_registry()
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    for split, record in records():
        if args.split and split not in args.split:
            continue
        result = callcheck.check_transcript(record["text"], registry=registry)
        flagged = result.risky
        scam = record["label"] == "scam"
        lang = record.get("lang", "en")
        for key in ((split, lang), (split, "all")):
            c = counts[key]
            c["scam" if scam else "legit"] += 1
            c["tp" if scam and flagged else "fn" if scam else "fp" if flagged else "tn"] += 1
        if args.misses == split and flagged != scam:
            misses.append((record, result))
    rows = []
    failed = False
    for (split, lang), c in sorted(counts.items()):
        recall = c["tp"] / c["scam"] if c["scam"] else float("nan")
        fpr = c["fp"] / c["legit"] if c["legit"] else float("nan")
        flagged = c["tp"] + c["fp"]
        precision = c["tp"] / flagged if flagged else float("nan")
        ok = (not c["scam"] or recall >= BARS["recall"]) and (not c["legit"] or fpr <= BARS["fpr"])
        failed |= not ok and lang != "all"
        rows.append(
            {"split": split, "lang": lang, "scam": c["scam"], "legit": c["legit"], "recall": recall,
             "precision": precision, "fpr": fpr, "meets_bar": ok}
        )
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
    else:
        print(f"{'split':<18}{'lang':<7}{'scam':>6}{'legit':>7}{'recall':>9}{'precision':>11}{'FPR':>8}  bar")
        for r in rows:
            print(
                f"{r['split']:<18}{r['lang']:<7}{r['scam']:>6}{r['legit']:>7}{r['recall']:>9.1%}"
                f"{r['precision']:>11.1%}{r['fpr']:>8.1%}  {'ok' if r['meets_bar'] else 'MISSED'}"
            )
        print(f"bar: recall >= {BARS['recall']:.0%} and false-positive rate <= {BARS['fpr']:.0%} per language")
    for record, result in misses:
        print(f"\n--- {record['id']} {record['label']} {record.get('kind')} -> {result.risk} {result.score}")
        print("    " + record["text"][:600].replace("\n", "\n    "))
        for s in result.signals:
            print(f"    * {s.id} [{s.words}] {s.weight}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
