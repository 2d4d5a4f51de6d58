"""``callcheck transcript`` through Click's CliRunner and as a real process."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from callcheck import Registry, check_transcript
from callcheck._loading import load_default
from callcheck.cli import main

SCAM = "您好，您的账户涉嫌违规，将被冻结。\n请您立即把手机上收到的验证码报给我。\n"
MEDIUM = "请把验证码告诉我\n"
LOW = "您好，请问您今天过得怎么样？\n我们明天见。\n"

SCRIPT = Path(sys.executable).parent / "callcheck"


def run(runner: CliRunner, *args: str, stdin: str | bytes | None = None) -> Result:
    return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(scope="module")
def cli_registry() -> Registry:
    """The registry the command itself uses."""
    return load_default().registry


def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


# --- reading and exit statuses ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "risk", "status"),
    [(LOW, "low", 0), (MEDIUM, "medium", 1), (SCAM, "high", 1)],
    ids=["low", "medium", "high"],
)
def test_file_risk_sets_the_exit_status(
    runner: CliRunner, tmp_path: Path, text: str, risk: str, status: int
) -> None:
    assert check_transcript(text).risk == risk
    result = run(runner, "transcript", write(tmp_path, "call.txt", text))
    assert result.exit_code == status
    assert f"{risk} risk" in result.stdout
    assert result.stderr == ""


def test_high_risk_output_names_the_line_and_the_words(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "transcript", write(tmp_path, "call.txt", SCAM))
    assert result.exit_code == 1
    assert "line 2" in result.stdout
    assert "验证码报给" in result.stdout
    assert "Hang up" in result.stdout


@pytest.mark.parametrize("args", [["transcript", "-"], ["transcript"]], ids=["dash", "default"])
def test_stdin_is_read(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args, stdin=SCAM.encode("utf-8"))
    assert result.exit_code == 1
    assert "high risk" in result.stdout
    assert "2 lines read" in result.stdout


@pytest.mark.parametrize(
    "options",
    [[], ["--claims", "alipay"], ["--number", "+86 951880"], ["-n", "95188", "-r", "CN", "-c", "支付宝"]],
    ids=["plain", "claims", "lookalike", "official"],
)
def test_json_equals_the_library_result(
    runner: CliRunner, tmp_path: Path, cli_registry: Registry, options: list[str]
) -> None:
    path = write(tmp_path, "call.txt", SCAM)
    result = run(runner, "transcript", path, "--json", *options)
    assert result.exit_code == 1
    kwargs = dict(zip(("claims", "number", "region"), (None, None, None), strict=True))
    names = {"--claims": "claims", "-c": "claims", "--number": "number", "-n": "number", "-r": "region"}
    for flag, value in zip(options[::2], options[1::2], strict=True):
        kwargs[names[flag]] = value
    expected = check_transcript(SCAM, registry=cli_registry, lang="en", **kwargs).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_json_from_stdin_with_low_risk_exits_0(runner: CliRunner, cli_registry: Registry) -> None:
    result = run(runner, "transcript", "-", "--json", stdin=LOW)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == check_transcript(LOW, registry=cli_registry).to_dict()


def test_lang_zh_prints_chinese(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "--lang", "zh", "transcript", write(tmp_path, "call.txt", SCAM))
    assert result.exit_code == 1
    assert has_chinese(result.stdout.replace("验证码报给", ""))
    assert "高风险" in result.stdout
    assert "high risk" not in result.stdout


# --- unusable input ---------------------------------------------------------------------


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_file_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    assert_one_line_error(run(runner, "transcript", missing), missing, "no such file")


def test_directory_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    assert_one_line_error(run(runner, "transcript", str(tmp_path)), "directory")


def test_binary_file_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "call.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_line_error(run(runner, "transcript", path), "binary")


def test_invalid_utf8_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", "请把验证码告诉我".encode("gbk"))
    assert_one_line_error(run(runner, "transcript", path), "UTF-8")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t\n"], ids=["empty", "blank"])
def test_empty_file_is_one_line_error(runner: CliRunner, tmp_path: Path, data: bytes) -> None:
    assert_one_line_error(run(runner, "transcript", write(tmp_path, "call.txt", data)), "empty")


def test_empty_stdin_is_one_line_error(runner: CliRunner) -> None:
    assert_one_line_error(run(runner, "transcript", "-", stdin=b""), "standard input", "empty")


def test_bad_number_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", SCAM)
    assert_one_line_error(run(runner, "transcript", path, "--number", "hello"), "hello")


def test_unknown_provider_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", SCAM)
    assert_one_line_error(run(runner, "transcript", path, "--claims", "nosuch"), "nosuch")


def test_utf8_bom_is_accepted(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", b"\xef\xbb\xbf" + SCAM.encode("utf-8"))
    result = run(runner, "transcript", path)
    assert result.exit_code == 1
    assert "high risk" in result.stdout


def test_follow_with_missing_file_is_an_input_error(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    assert_one_line_error(run(runner, "transcript", "--follow", missing), missing)


def test_follow_reads_a_file(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "transcript", "--follow", write(tmp_path, "call.txt", SCAM))
    assert result.exit_code == 1
    # The opening line alone (a threat to freeze the account, in a scam's words) is high.
    assert "HIGH RISK at line 1" in result.stdout
    assert "2 lines read" in result.stdout


# --- a live transcript through a real pipe ---------------------------------------------------


@pytest.fixture
def env(subprocess_env: dict[str, str]) -> dict[str, str]:
    subprocess_env.pop("PYTHONUNBUFFERED", None)  # the alert must be flushed by callcheck itself
    return subprocess_env


def _reader(stream: object, out: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line)
    out.put(None)


def _read_until(out: queue.Queue[str | None], needle: str, timeout: float) -> list[str]:
    """Lines printed until one contains ``needle``; fails after ``timeout`` seconds."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"no {needle!r} within {timeout}s; printed so far: {seen!r}")
        try:
            line = out.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            pytest.fail(f"output ended before {needle!r}; printed: {seen!r}")
        seen.append(line)
        if needle in line:
            return seen


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"console script not installed at {SCRIPT}")
def test_follow_alerts_before_the_input_ends(env: dict[str, str]) -> None:
    lines = [
        "喂，您好。",
        "请问是哪位？",
        "好的，您说。",
        "您的账户涉嫌违规将被冻结，请您立即把手机上收到的验证码报给我。",  # line 4
        "好的。",
    ]
    assert check_transcript("\n".join(lines[:3])).risk == "low"
    assert check_transcript("\n".join(lines[:4])).risk == "high"
    proc = subprocess.Popen(
        [str(SCRIPT), "transcript", "--follow"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    out: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_reader, args=(proc.stdout, out), daemon=True)
    reader.start()
    try:
        assert proc.stdin is not None
        for line in lines[:3]:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
            time.sleep(0.1)
        time.sleep(0.3)
        assert out.empty(), "nothing should be printed before the risk is high"
        proc.stdin.write(lines[3] + "\n")
        proc.stdin.flush()
        printed = _read_until(out, "HIGH RISK", timeout=20)
        assert "HIGH RISK at line 4" in printed[-1]
        assert proc.poll() is None, "the alert came while the call was still going"
        proc.stdin.write(lines[4] + "\n")
        proc.stdin.close()
        assert proc.wait(timeout=30) == 1
        reader.join(timeout=10)
        rest: list[str] = []
        while (item := out.get_nowait()) is not None:
            rest.append(item)
        summary = "".join(rest)
        assert "high risk" in summary
        assert "5 lines read" in summary
        assert "line 4" in summary
        assert proc.stderr is not None
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
