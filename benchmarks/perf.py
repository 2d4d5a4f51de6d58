"""Measure callcheck's speed against the baselines of issue 6, on this machine.

    python benchmarks/perf.py                 # everything (several minutes)
    python benchmarks/perf.py --quick         # small inputs, few runs: a smoke test
    python benchmarks/perf.py --only cold,bulk
    python benchmarks/perf.py --big           # transcripts at 100 MB as well

Every figure is a ratio against a baseline measured in the same run, with the
absolute medians beside it. Inputs are generated from a fixed seed into a cache
directory (``--cache``, default: a temporary one). The exit status is 0 even when
a target is missed: this prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import callcheck

CORPUS = Path(__file__).parent / "accuracy" / "corpus"
SCRIPT = Path(sys.executable).parent / "callcheck"
SEED = 20261123
MIB = 1024 * 1024


@dataclass
class Row:
    name: str
    baseline: str
    ours: str
    ratio: float | None
    target: str
    met: bool | None

    def cells(self) -> list[str]:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}x"
        met = "" if self.met is None else ("met" if self.met else "MISSED")
        return [self.name, self.baseline, self.ours, ratio, self.target, met]


# --- inputs ------------------------------------------------------------------------------


def mixed_numbers(count: int, seed: int = SEED) -> Iterator[str]:
    """Caller numbers as a call log shows them: Chinese mobiles and landlines, US
    numbers, carrier short codes (which repeat), lookalikes and junk. Mostly distinct."""
    rng = random.Random(seed)
    digits = "0123456789"
    shorts = ["95188", "95588", "95533", "95566", "95599", "10086", "10010", "12321", "110", "95017"]
    junk = ["hello", "", "12", "+", "call me", "+86 abc", "1" * 20, "++86 95188", "0000"]
    for _ in range(count):
        r = rng.random()
        if r < 0.40:  # Chinese mobile, as typed or with +86 / spaces
            n = "1" + rng.choice("3456789") + "".join(rng.choices(digits, k=9))
            form = rng.random()
            yield n if form < 0.6 else (f"+86 {n[:3]} {n[3:7]} {n[7:]}" if form < 0.85 else f"0086{n}")
        elif r < 0.55:  # Chinese landline
            area = rng.choice(["10", "21", "20", "755", "571", "28"])
            rest = "".join(rng.choices(digits[2:], k=1)) + "".join(rng.choices(digits, k=10 - len(area)))
            yield f"0{area}-{rest}" if rng.random() < 0.5 else f"+86 {area} {rest}"
        elif r < 0.75:  # US numbers in the usual layouts
            a = f"{rng.randint(201, 989)}"
            b = f"{rng.randint(200, 999)}"
            c = "".join(rng.choices(digits, k=4))
            form = rng.random()
            yield f"+1 ({a}) {b}-{c}" if form < 0.5 else (f"+1-{a}-{b}-{c}" if form < 0.8 else f"+1{a}{b}{c}")
        elif r < 0.87:  # short codes: few, so they repeat
            yield rng.choice(shorts)
        elif r < 0.92:  # lookalikes of official numbers
            yield rng.choice(shorts[:5]) + "".join(rng.choices(digits, k=rng.randint(1, 3)))
        else:
            yield rng.choice(junk) if rng.random() < 0.5 else "".join(rng.choices("0123456789abc-+ ", k=8))


def transcript_corpus(size: int, seed: int = SEED) -> str:
    """About ``size`` bytes of call transcripts (UTF-8), drawn from the labelled corpora."""
    calls: list[str] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            calls.extend(json.loads(line)["text"] for line in fh if line.strip())
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        call = rng.choice(calls) + "\n"
        parts.append(call)
        total += len(call.encode("utf-8"))
    return "".join(parts)


def follow_lines(count: int, seed: int = SEED) -> list[str]:
    """``count`` utterances of 1 to 500 characters, as live speech-to-text gives them."""
    rng = random.Random(seed)
    pool = [line for line in transcript_corpus(2 * MIB, seed).splitlines() if line.strip()]
    lines = []
    for _ in range(count):
        line = rng.choice(pool)
        while rng.random() < 0.2 and len(line) < 500:
            line += " " + rng.choice(pool)
        lines.append(line[:500])
    return lines


# --- timing helpers ----------------------------------------------------------------------


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_env() -> dict[str, str]:
    """This environment, with Python allowed to write bytecode (a fresh clone has none)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("LANG", "C.UTF-8")
    return env


def compile_callcheck() -> None:
    # Users run callcheck from installed bytecode; do not time the compiler.
    import compileall

    compileall.compile_dir(Path(callcheck.__file__).parent, quiet=1)


# Runs a command and reports its wall time and peak RSS on stderr's last line. On Linux
# a child's peak RSS includes what it had before exec, i.e. a copy of whoever forked it:
# forked from this (large) benchmark process, a small command would look large. This
# launcher is small, so the command it forks is measured alone.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
elapsed = time.perf_counter() - start
sys.stderr.write(f"\\n__run__ {os.waitstatus_to_exitcode(status)} {elapsed} {usage.ru_maxrss * 1024}\\n")
"""


def run_process(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (bytes) of one run of ``cmd``."""
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], env=env, capture_output=True, text=True)
    last = done.stderr.rstrip().splitlines()[-1].split() if done.stderr.strip() else []
    if done.returncode != 0 or len(last) != 4 or last[0] != "__run__":
        raise SystemExit(f"{' '.join(cmd)}: could not be run: {done.stderr.strip()}")
    code, elapsed, rss = int(last[1]), float(last[2]), int(last[3])
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {done.stderr.strip()}")
    return elapsed, rss


def process_medians(cmd: list[str], env: dict[str, str], runs: int, warmup: int) -> tuple[float, int]:
    """Median wall time and median peak RSS of ``runs`` runs of ``cmd``."""
    for _ in range(warmup):
        run_process(cmd, env)
    results = [run_process(cmd, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), int(statistics.median(r[1] for r in results))


def hyperfine_medians(cmds: list[list[str]], env: dict[str, str], runs: int, warmup: int) -> list[float]:
    """Median times from hyperfine, the commands interleaved in one session."""
    import shlex

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hyperfine.json"
        subprocess.run(
            ["hyperfine", "-N", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
             "--export-json", str(out), *[shlex.join(c) for c in cmds]],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return [r["median"] for r in json.loads(out.read_text())["results"]]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# --- the benchmarks ----------------------------------------------------------------------


def bench_cold(quick: bool) -> list[Row]:
    env = bench_env()
    compile_callcheck()
    baseline = [sys.executable, "-c", "import click, phonenumbers"]
    ours = [str(SCRIPT), "number", "95188", "--region", "CN"]
    runs, warmup = (5, 1) if quick else (40, 5)
    if shutil.which("hyperfine"):
        base_t, ours_t = hyperfine_medians([baseline, ours], env, runs, warmup)
        how = "hyperfine"
    else:
        base_t, _ = process_medians(baseline, env, runs, warmup)
        ours_t, _ = process_medians(ours, env, runs, warmup)
        how = "subprocess"
    # Peak memory: median over a few runs (wait4's rusage of each child).
    _, base_rss = process_medians(baseline, env, 5, 0)
    _, ours_rss = process_medians(ours, env, 5, 0)
    ratio = ours_t / base_t
    return [
        Row(f"cold start ({how})", ms(base_t), ms(ours_t), ratio, "<= 1.3x", ratio <= 1.3),
        Row("cold start peak RSS", f"{base_rss / MIB:.1f} MiB", f"{ours_rss / MIB:.1f} MiB", None,
            "<= 40 MiB", ours_rss <= 40 * MIB),
    ]  # fmt: skip


def bench_bulk(quick: bool, cache: Path, runs: int) -> list[Row]:
    import phonenumbers

    count = 20_000 if quick else 1_000_000
    numbers = list(mixed_numbers(count))
    path = cache / f"numbers-{count}.txt"
    if not path.exists():
        path.write_text("\n".join(numbers) + "\n", encoding="utf-8")
    registry = callcheck.load_registry()

    def baseline() -> None:
        parse, valid = phonenumbers.parse, phonenumbers.is_valid_number
        error = phonenumbers.NumberParseException
        for n in numbers:
            try:  # noqa: SIM105 - the plain loop, as anyone would write it
                valid(parse(n, "CN"))
            except error:
                pass

    def ours() -> None:
        for _ in callcheck.check_numbers(numbers, region="CN", registry=registry):
            pass

    base_t = median_time(baseline, runs)
    ours_t = median_time(ours, runs)
    env = bench_env()
    cli = [str(SCRIPT), "number", "--batch", str(path), "--region", "CN"]
    cli_runs = [run_process(cli, env) for _ in range(runs)]
    cli_t = statistics.median(r[0] for r in cli_runs)
    cli_rss = max(r[1] for r in cli_runs)
    per = f"{count:,} numbers"
    return [
        Row(f"bulk check_numbers ({per})", ms(base_t), ms(ours_t), base_t / ours_t, ">= 3x faster",
            base_t / ours_t >= 3),
        Row(f"bulk --batch CLI ({per})", ms(base_t), ms(cli_t), base_t / cli_t, ">= 3x faster",
            base_t / cli_t >= 3),
        Row("bulk --batch CLI peak RSS", "", f"{cli_rss / MIB:.1f} MiB", None, "bounded", None),
    ]  # fmt: skip


def bench_transcript(quick: bool, big: bool, runs: int) -> list[Row]:
    registry = callcheck.load_registry()
    sizes = [MIB // 4] if quick else [MIB, 10 * MIB] + ([100 * MIB] if big else [])
    rows: list[Row] = []
    per_mb: list[float] = []
    for size in sizes:
        text = transcript_corpus(size)
        label = f"{size / MIB:g} MB"
        reps = 1 if size >= 100 * MIB else runs
        base_t = median_time(text.casefold, max(reps, 3))
        ours_t = median_time(lambda t=text: callcheck.check_transcript(t, registry=registry), reps)
        per_mb.append(ours_t / (size / MIB))
        ratio = ours_t / base_t
        rows.append(Row(f"transcript {label}", ms(base_t), ms(ours_t), ratio, "<= 10x", ratio <= 10))
        del text
    if len(per_mb) > 1:
        growth = per_mb[-1] / per_mb[0]
        rows.append(
            Row("transcript time per MB, largest / 1 MB", "", "", growth, "~1x (linear)", growth <= 1.5)
        )
    return rows


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def bench_follow(quick: bool) -> list[Row]:
    registry = callcheck.load_registry()
    count = 600 if quick else 3600 * 2  # an utterance every half second for an hour
    lines = follow_lines(count)
    monitor = callcheck.monitor_call(registry=registry)
    latencies = []
    rss = []
    clock = time.perf_counter_ns
    for i, line in enumerate(lines):
        start = clock()
        monitor.feed(line)
        latencies.append(clock() - start)
        if i % (count // 10) == 0:
            rss.append(_rss())
    latencies.sort()
    p50 = latencies[len(latencies) // 2] / 1e6
    p99 = latencies[int(len(latencies) * 0.99)] / 1e6
    # Flat memory: growth from the first tenth of the call to its end.
    growth = (rss[-1] - rss[1]) / MIB
    return [
        Row(f"--follow latency per line ({count} lines)", "", f"p50 {p50:.3f} ms, p99 {p99:.3f} ms",
            None, "p99 < 1 ms", p99 < 1.0),
        Row("--follow memory growth over the call", "", f"{growth:+.1f} MiB", None, "flat (< 2 MiB)",
            growth < 2),
    ]  # fmt: skip


# --- output ------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}"


def print_table(rows: list[Row]) -> None:
    head = ["benchmark", "baseline", "callcheck", "ratio", "target", ""]
    cells = [head, *(r.cells() for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small inputs and few runs (a smoke test)")
    parser.add_argument("--only", default="cold,bulk,transcript,follow", help="comma-separated benchmarks")
    parser.add_argument("--big", action="store_true", help="also time transcripts of 100 MB")
    parser.add_argument("--runs", type=int, help="runs per in-process measurement (median taken)")
    parser.add_argument("--cache", type=Path, help="where generated inputs are kept")
    args = parser.parse_args(argv)
    chosen = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = chosen - {"cold", "bulk", "transcript", "follow"}
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))}")
    runs = args.runs or (1 if args.quick else 3)
    print(f"machine: {machine()}")
    given = argv if argv is not None else sys.argv[1:]
    print(f"command: {' '.join(['python', 'benchmarks/perf.py', *given])}")
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        rows: list[Row] = []
        if "cold" in chosen:
            rows += bench_cold(args.quick)
        if "bulk" in chosen:
            rows += bench_bulk(args.quick, cache, 1 if not args.quick and args.runs is None else runs)
        if "transcript" in chosen:
            rows += bench_transcript(args.quick, args.big, runs)
        if "follow" in chosen:
            rows += bench_follow(args.quick)
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
