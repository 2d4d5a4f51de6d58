"""Adversarial input never hangs callcheck and never shows a traceback: long runs of
digits, a keyword repeated tens of thousands of times, walls of invisible characters,
look-alike letters, stacks of combining marks, a megabyte on one line, deep brackets.

Each runs through the installed command in a process of its own with a generous
timeout (no timing is asserted: a hang fails, slowness does not) and must end with a
documented exit status: 0 or 1 for a transcript or number read, 2 for input refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from callcheck import InvalidInput, check_number, check_numbers, check_transcript

SCRIPT = Path(sys.executable).parent / "callcheck"
TIMEOUT = 60  # seconds; every case below takes well under one today

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason=f"console script not installed at {SCRIPT}")

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
MB = 1024 * 1024

TRANSCRIPTS = {
    "one line of 200k digits in phone numbers": " ".join(["13800138000"] * 18_000),
    "a keyword 50k times": "验证码" * 50_000,
    "a scam line 10k times": "请立即把验证码告诉我，否则冻结\n" * 10_000,
    "100k zero-width characters round a keyword": ZERO_WIDTH * 10_000 + "验证码" + ZERO_WIDTH * 10_000,
    "zero-width characters between every character": "\u200b".join("请把验证码告诉我" * 5_000),
    "lines of nothing but zero-width characters": (ZERO_WIDTH * 4 + "\n") * 20_000,
    "alternating Latin and Cyrillic look-alikes": "аa" * 100_000,
    "look-alike keywords": "vеrificаtiоn cоdе, rеаd it tо mе nоw " * 4_000,
    "100k combining marks on one letter": "a" + "\u0301" * 100_000,
    "stacks of combining marks": ("e" + "\u0301\u0302\u0303\u0304\u0308" * 4) * 20_000,
    "a megabyte on one line": ("今天天气不错 the weather is fine " * (MB // 26))[:MB] + "请把验证码告诉我",
    "a megabyte of one letter": "a" * MB,
    "deep brackets": "(" * 100_000 + "[{（【" * 20_000 + ")" * 100_000,
    "negations before a request": "不 " * 100_000 + "把验证码告诉我",
    "sums of money": "$1 五万块 100 dollars " * 20_000,
    "sentence ends": "。！？.!?;" * 50_000,
    "spaces between Chinese characters": "验 \u3000\t" * 100_000,
    "astral characters": "😀𝟗𝐀" * 100_000,
}


def run(args: list[str], env: dict[str, str], data: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        input=data,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


def assert_read(proc: subprocess.CompletedProcess[str], statuses: tuple[int, ...] = (0, 1)) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode in statuses, proc.stderr[-2000:]


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_transcript_command_finishes_on_adversarial_text(name: str, subprocess_env: dict[str, str]) -> None:
    proc = run(["transcript", "--json", "-"], subprocess_env, TRANSCRIPTS[name])
    assert_read(proc)
    assert json.loads(proc.stdout)["risk"] in ("low", "medium", "high")


@pytest.mark.parametrize(
    "name",
    [
        "lines of nothing but zero-width characters",
        "a megabyte on one line",
    ],
)
def test_transcript_follow_finishes_on_adversarial_text(name: str, subprocess_env: dict[str, str]) -> None:
    proc = run(["transcript", "--follow", "--json", "-"], subprocess_env, TRANSCRIPTS[name])
    assert_read(proc)
    assert json.loads(proc.stdout)["risk"] in ("low", "medium", "high")


def test_transcript_command_finishes_on_a_long_run_of_digits(subprocess_env: dict[str, str]) -> None:
    # A sum-of-money expression used to backtrack over such a run (320 s for 50,000
    # digits); read linearly it takes a fraction of a second.
    proc = subprocess.run(
        [str(SCRIPT), "transcript", "-"],
        input="1" * 200_000,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env,
        timeout=60,
        check=False,
    )
    assert_read(proc)


UNDECODABLE = b"hello \xff please read me the code\n\xc3(\n"


@pytest.mark.parametrize(
    ("follow", "io_encoding"),
    [
        (False, "utf-8"),
        (True, "utf-8"),
        (True, None),
    ],
)
def test_transcript_command_refuses_or_reads_undecodable_bytes(
    follow: bool, io_encoding: str | None, subprocess_env: dict[str, str]
) -> None:
    env = dict(subprocess_env)
    if io_encoding is None:
        env.pop("PYTHONIOENCODING", None)  # the locale's UTF-8, undecodable bytes as surrogates
    proc = subprocess.run(
        [str(SCRIPT), "transcript", *(["--follow"] if follow else []), "-"],
        input=UNDECODABLE,
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-2000:]
    # Refused as not UTF-8 when read whole (2); read with U+FFFD in its place when followed.
    assert proc.returncode in ((0, 1) if follow else (2,)), proc.stderr


def test_number_json_with_an_undecodable_argument_is_printed(subprocess_env: dict[str, str]) -> None:
    proc = subprocess.run(
        [os.fsencode(SCRIPT), b"number", b"--json", b"95\xff188"],
        capture_output=True,
        env=subprocess_env,  # PYTHONIOENCODING=utf-8: strict
        timeout=TIMEOUT,
        check=False,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-2000:]
    assert proc.returncode == 2


# Command-line arguments are at most 128 KiB each on Linux: these stay under.
NUMBERS = {
    "100k digits": "1" * 100_000,
    "full-width digits after a plus": "＋" + "１" * 40_000,
    "Arabic-Indic digits": "٩" * 50_000,
    "zero-width characters round a number": ZERO_WIDTH * 3_000 + "95188" + ZERO_WIDTH * 3_000,
    "keypad letters": "800" + "A" * 100_000,
    "brackets": "(" * 50_000 + "95188" + ")" * 50_000,
    "combining marks": "9" + "\u0301" * 50_000,
    "pluses": "+" * 100_000,
}


@pytest.mark.parametrize("name", NUMBERS)
def test_number_command_finishes_on_adversarial_input(name: str, subprocess_env: dict[str, str]) -> None:
    assert_read(run(["number", "--", NUMBERS[name]], subprocess_env), (0, 1, 2))


def test_number_batch_finishes_on_adversarial_lines(subprocess_env: dict[str, str]) -> None:
    lines = [*NUMBERS.values(), "1" * 200_000, TRANSCRIPTS["a megabyte on one line"], "95188"]
    proc = run(["number", "--batch", "-", "--region", "CN"], subprocess_env, "\n".join(lines) + "\n")
    assert_read(proc)
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["verdict"] for r in results][-1] == "official"
    assert len(results) == len(lines)


# --- in the library ------------------------------------------------------------------


@pytest.mark.parametrize("text", [*NUMBERS.values(), "1" * 200_000, "\u200b" * 100_000, "x" * MB])
def test_number_check_of_adversarial_input_is_a_result(text: str) -> None:
    result = check_number(text, region="CN")
    assert result.verdict in ("official", "lookalike", "unknown", "invalid")
    bulk = check_numbers([text, text], region="CN")
    assert [r.to_dict() for r in bulk] == [result.to_dict()] * 2


@pytest.mark.parametrize(
    "name",
    ["100k zero-width characters round a keyword", "100k combining marks on one letter", "deep brackets"],
)
def test_transcript_check_of_adversarial_text_is_a_verdict(name: str) -> None:
    assert check_transcript(TRANSCRIPTS[name]).risk in ("low", "medium", "high")


def test_adversarial_claims_are_invalid_input() -> None:
    for claims in ("\u200b" * 100_000, "a" * MB, "(" * 100_000):
        with pytest.raises(InvalidInput):
            check_transcript("hello", claims=claims)
