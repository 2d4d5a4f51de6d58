"""A transcript of any size is checked in bounded memory, with the verdict of the whole text.

``callcheck transcript`` reads its input in pieces that end where lines end and hands
them to the engine one after the other; a line too long to judge as one (a file that is
one enormous line) is cut where the engine cuts it. The small tests compare the pieces'
verdict with ``check_transcript`` on the whole text; the large ones feed hundreds of MB
to a real process and read its peak memory from the kernel. The 1 GB runs are marked
``slow`` and left out by default: ``python -m pytest -m slow`` runs them.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcheck import Registry, _textinput, check_transcript, monitor_call
from callcheck._loading import load_default
from callcheck.cli import main
from tests.fault_helpers import measured

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "accuracy" / "corpus"
MIB = 1024 * 1024
OLD_CAP = 256 * MIB  # what `callcheck transcript FILE` refused before it streamed
PEAK_MIB = 150  # the whole check stays well under this, however large the input
SCAM = "您好，我是支付宝客服。您的账户涉嫌洗钱，马上会被冻结。请把刚收到的验证码报给我。"


def corpus_text(size: int, seed: int = 8) -> str:
    """About ``size`` bytes of labelled calls, scam and honest, one call after another."""
    calls = [
        json.loads(line)["text"]
        for path in sorted(CORPUS.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        call = rng.choice(calls).rstrip("\r\n") + "\n"
        parts.append(call)
        total += len(call.encode("utf-8"))
    return "".join(parts)


@pytest.fixture(scope="module")
def cli_registry() -> Registry:
    return load_default().registry


# --- the pieces give the whole text's verdict ---------------------------------------------


def _variants() -> list[tuple[str, str]]:
    text = corpus_text(200_000)
    long_line = SCAM + " 等一下 " * 3000 + "验证码报给我"  # ~18,000 characters on one line
    return [
        ("corpus", text),
        ("crlf-and-bom", "\ufeff" + text.replace("\n", "\r\n")),
        ("long-lines", text[:50_000] + long_line + "\n" + text[50_000:100_000] + long_line),
        ("old-mac-and-odd-ends", text[:80_000].replace("\n", "\r") + "\u2028" + text[80_000:120_000]),
    ]


@pytest.mark.parametrize(("read_bytes", "max_line"), [(997, 700), (64 * 1024, 64 * 1024), (5, 40)])
@pytest.mark.parametrize(("name", "text"), _variants(), ids=[name for name, _ in _variants()])
def test_a_transcript_read_in_pieces_gets_the_verdict_of_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    cli_registry: Registry,
    name: str,
    text: str,
    read_bytes: int,
    max_line: int,
) -> None:
    if read_bytes < 100:
        text = text[:20_000]  # byte by byte is slow; the boundaries are what matter
    monkeypatch.setattr(_textinput, "READ_BYTES", read_bytes)
    monkeypatch.setattr(_textinput, "MAX_LINE_CHARS", max_line)
    path = tmp_path / "call.txt"
    path.write_bytes(text.encode("utf-8"))
    whole = check_transcript(text.removeprefix("\ufeff"), registry=cli_registry, lang="en").to_dict()
    runner = CliRunner(env={"LC_ALL": None, "LANG": "en_US.UTF-8", "NO_COLOR": "1"})
    for source, stdin in ((str(path), None), ("-", path.read_bytes())):
        result = runner.invoke(main, ["transcript", source, "--json"], input=stdin, catch_exceptions=False)
        assert result.exit_code == (1 if whole["risk"] != "low" else 0), result.stderr
        assert json.loads(result.stdout) == json.loads(json.dumps(whole))


def test_a_long_line_is_read_as_lines_of_max_line_chars(cli_registry: Registry) -> None:
    line = "x" * (2 * _textinput.MAX_LINE_CHARS + 5)
    result = check_transcript(line + "\n" + SCAM, registry=cli_registry)
    assert result.lines == 4  # three pieces of the long line, then the scam
    assert result.risk == "high"
    assert {s.line for s in result.signals if s.weight > 0 and s.line} == {4}  # 0: not a line's


def test_feeding_a_long_line_reads_it_as_reading_the_text_does(cli_registry: Registry) -> None:
    line = SCAM + " " * (2 * _textinput.MAX_LINE_CHARS) + "请把验证码报给我"
    monitor = monitor_call(registry=cli_registry)
    assert monitor.feed(line)  # high, on one of its pieces
    assert monitor.lines == 3
    assert monitor.result().to_dict() == check_transcript(line, registry=cli_registry).to_dict()


# --- hundreds of MB through a real process ----------------------------------------------------


def _corpus_through_a_pipe(tmp_path: Path, env: dict[str, str], size: int) -> None:
    block = corpus_text(MIB).encode("utf-8")
    repeat = math.ceil(size / len(block))
    assert len(block) * repeat > size
    done = measured(["transcript", "-", "--json"], env, tmp_path, block=block, repeat=repeat)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["risk"] == "high"
    assert result["lines"] == block.decode("utf-8").count("\n") * repeat  # every line was read
    print(f"\n{len(block) * repeat / MIB:.0f} MiB in {done.seconds:.1f} s, peak {done.peak_mib:.1f} MiB")
    assert done.peak_mib < PEAK_MIB


def _one_enormous_line(tmp_path: Path, env: dict[str, str], size: int, source: str) -> None:
    # Blank space, then the words that make the call a scam, and not one line end: the
    # verdict is only right if the end of the line was read.
    pad = b" " * MIB
    repeat = size // MIB
    chars = repeat * MIB + len(SCAM)
    if source == "file":
        path = tmp_path / "one-line.txt"
        with path.open("wb") as fh:
            for _ in range(repeat):
                fh.write(pad)
            fh.write(SCAM.encode("utf-8"))
        done = measured(["transcript", str(path), "--json"], env, tmp_path)
        path.unlink()
    else:  # a live transcript through a pipe
        done = measured(
            ["transcript", "--follow", "--json"], env, tmp_path, block=pad, repeat=repeat, tail=SCAM
        )
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert result["risk"] == "high"
    pieces = math.ceil(chars / _textinput.MAX_LINE_CHARS)
    assert result["lines"] == pieces
    assert {s["line"] for s in result["signals"] if s["weight"] > 0 and s["line"]} <= {pieces - 1, pieces}
    print(
        f"\n{size / MIB:.0f} MiB on one line ({source}) in {done.seconds:.1f} s, peak {done.peak_mib:.1f} MiB"
    )
    assert done.peak_mib < PEAK_MIB


def test_a_transcript_larger_than_the_old_limit_streams_through_a_pipe_in_bounded_memory(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    _corpus_through_a_pipe(tmp_path, subprocess_env, OLD_CAP + 32 * MIB)


@pytest.mark.parametrize("source", ["file", "follow"])
def test_one_enormous_line_is_read_in_bounded_memory(
    tmp_path: Path, subprocess_env: dict[str, str], source: str
) -> None:
    # 192 MiB: held whole, the line alone would take more than PEAK_MIB (as bytes, then as text).
    _one_enormous_line(tmp_path, subprocess_env, 192 * MIB, source)


@pytest.mark.parametrize("source", ["file", "-"])
def test_a_batch_of_one_enormous_line_is_one_invalid_result_in_bounded_memory(
    tmp_path: Path, subprocess_env: dict[str, str], source: str
) -> None:
    pad, repeat = b"9" * MIB, (OLD_CAP + 32 * MIB) // MIB
    if source == "file":
        path = tmp_path / "numbers.txt"
        with path.open("wb") as fh:
            for _ in range(repeat):
                fh.write(pad)
            fh.write(b"\n95188\n")
        done = measured(
            ["number", "--batch", str(path), "-r", "CN"], env=subprocess_env, tmp=tmp_path, timeout=300
        )
        path.unlink()
    else:
        done = measured(
            ["number", "--batch", "-", "-r", "CN"],
            subprocess_env,
            tmp_path,
            block=pad,
            repeat=repeat,
            tail="\n95188\n",
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["verdict"] for r in results] == ["invalid", "official"]  # one result per line
    assert results[0]["input"] == "9" * _textinput.MAX_LINE_CHARS  # the line cut off, the rest skipped
    print(f"\n{repeat} MiB batch line ({source}) in {done.seconds:.1f} s, peak {done.peak_mib:.1f} MiB")
    assert done.peak_mib < PEAK_MIB


@pytest.mark.slow
def test_a_1_gb_transcript_streams_through_a_pipe_in_bounded_memory(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    _corpus_through_a_pipe(tmp_path, subprocess_env, 1024 * MIB)


@pytest.mark.slow
@pytest.mark.parametrize("source", ["file", "follow"])
def test_1_gb_of_one_line_is_read_in_bounded_memory(
    tmp_path: Path, subprocess_env: dict[str, str], source: str
) -> None:
    _one_enormous_line(tmp_path, subprocess_env, 1024 * MIB, source)
