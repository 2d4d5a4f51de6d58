"""Hostile input at the edges: every command that reads a file or standard input, given
a binary file, bytes that are not UTF-8, an empty file, a directory or a file it may not
read, answers with one line on stderr (never a traceback) and the documented exit status.

The statuses are those of docs/cli.md ("Exit status" and "Input that cannot be read"):
2 for input the user gave that cannot be used, 3 when a registry, key or signature file
or callcheck's own files cannot be used; ``registry lint`` reports a bad tree as a
finding (status 1). Unreadable files are made unreadable for real (see
``tests/fault_helpers.py``: the tests run as root on CI).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from callcheck.cli import main
from tests.conftest import TEST_KEY
from tests.fault_helpers import as_unprivileged, unreadable
from tests.signing_helpers import REPO, assert_one_line_error, callcheck_command

DATA = REPO / "src" / "callcheck" / "data"

BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
NOT_UTF8 = "请把验证码告诉我\n".encode("gbk")
EDGES: dict[str, bytes | None] = {"binary": BINARY, "not UTF-8": NOT_UTF8, "empty": b"", "directory": None}


@pytest.fixture(autouse=True)
def _own_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records saved by mistake would land in ``tmp_path / "data"``, where tests look for them."""
    monkeypatch.setenv("CALLCHECK_DATA_DIR", str(tmp_path / "data"))


def make(path: Path, edge: str) -> Path:
    """``path`` made into the ``edge`` case."""
    content = EDGES[edge]
    if content is None:
        path.mkdir(parents=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return path


def invoke(runner: CliRunner, args: list[str], stdin: bytes | None = None) -> Result:
    return runner.invoke(main, args, input=stdin, catch_exceptions=False)


def one_line(result: Result, status: int, *fragments: str) -> str:
    assert result.exit_code == status, (result.exit_code, result.stdout, result.stderr)
    line = assert_one_line_error(result.stderr)
    for fragment in fragments:
        assert fragment in line, line
    return line


# --- transcripts and numbers: the user's own input --------------------------------------------

# (command, edge) -> the words the one-line error must hold; None: not an error by design.
READERS: dict[str, list[str]] = {
    "transcript": ["transcript", "{}"],
    "transcript --follow": ["transcript", "--follow", "{}"],
    "number --batch": ["number", "--batch", "{}", "--region", "CN"],
    "report --transcript": ["report", "--transcript", "{}", "--region", "CN"],
}
EXPECTED: dict[tuple[str, str], str | None] = {
    ("transcript", "binary"): "looks like a binary file",
    ("transcript", "not UTF-8"): "not UTF-8 text (bad byte at offset 0)",
    ("transcript", "empty"): "the transcript is empty",
    ("transcript", "directory"): "is a directory",
    ("transcript --follow", "binary"): "looks like a binary file",
    ("transcript --follow", "not UTF-8"): None,  # a live call goes on: bad bytes read as U+FFFD
    ("transcript --follow", "empty"): "the transcript is empty",
    ("transcript --follow", "directory"): "is a directory",
    ("number --batch", "binary"): "looks like a binary file",
    ("number --batch", "not UTF-8"): None,  # the line is an `invalid` result and the batch goes on
    ("number --batch", "empty"): "is empty; there is nothing to check",
    ("number --batch", "directory"): "is a directory",
    ("report --transcript", "binary"): "looks like a binary file",
    ("report --transcript", "not UTF-8"): "not UTF-8 text (bad byte at offset 0)",
    ("report --transcript", "empty"): "the transcript is empty",
    ("report --transcript", "directory"): "is a directory",
}


@pytest.mark.parametrize("edge", list(EDGES))
@pytest.mark.parametrize("command", list(READERS))
def test_a_file_that_is_no_text_is_one_line_and_status_2(
    runner: CliRunner, tmp_path: Path, command: str, edge: str
) -> None:
    path = make(tmp_path / "input.txt", edge)
    args = [a.format(path) for a in READERS[command]]
    result = invoke(runner, args)
    expected = EXPECTED[command, edge]
    if expected is None:
        assert result.exit_code == 0, result.stderr  # read as text: no risk in "\ufffd..."
        assert result.stderr == ""
        assert "\ufffd" in result.stdout or "low risk" in result.stdout
        return
    one_line(result, 2, str(path), expected)
    assert result.stdout == ""
    assert not (tmp_path / "data" / "records.jsonl").exists()


@pytest.mark.parametrize("edge", [e for e in EDGES if e != "directory"])
@pytest.mark.parametrize("command", list(READERS))
def test_standard_input_that_is_no_text_is_one_line_and_status_2(
    runner: CliRunner, command: str, edge: str
) -> None:
    args = [a.format("-") for a in READERS[command]]
    content = EDGES[edge]
    assert content is not None
    result = invoke(runner, args, stdin=content)
    expected = EXPECTED[command, edge]
    if expected is None:
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        return
    one_line(result, 2, "standard input", expected)
    if command != "number --batch":  # which writes each line's result as soon as it is read
        assert result.stdout == ""


@pytest.mark.parametrize("command", list(READERS))
def test_binary_data_after_good_lines_still_stops_with_one_line(runner: CliRunner, command: str) -> None:
    lines = "95188\n" if command == "number --batch" else "您好，请问是哪位？\n"
    stdin = lines.encode() * 3000 + BINARY
    result = invoke(runner, [a.format("-") for a in READERS[command]], stdin=stdin)
    one_line(result, 2, "looks like a binary file")


@pytest.mark.parametrize("source", ["file", "-"])
def test_a_transcript_longer_than_a_record_keeps_is_one_line_and_saves_nothing(
    runner: CliRunner, tmp_path: Path, source: str
) -> None:
    from callcheck._records import MAX_NOTES_CHARS

    text = ("请把验证码报给我\n" * (MAX_NOTES_CHARS // 9 + 1)).encode("utf-8")
    path = tmp_path / "call.txt"
    path.write_bytes(text)
    args = ["report", "--transcript", str(path) if source == "file" else "-"]
    result = invoke(runner, args, stdin=text if source == "-" else None)
    one_line(result, 2, f"longer than {MAX_NOTES_CHARS} characters")
    assert not (tmp_path / "data" / "records.jsonl").exists()


def test_the_zh_error_is_one_line_too(runner: CliRunner, tmp_path: Path) -> None:
    path = make(tmp_path / "input.txt", "binary")
    result = invoke(runner, ["--lang", "zh", "number", "--batch", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"错误：{path}：看起来是二进制文件，不是文本"


# --- registry files given to the maintainer commands -----------------------------------------


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A signed registry, its signature, and a key pair, as the maintainer commands take them."""
    shutil.copy(DATA / "registry.toml", tmp_path / "registry.toml")
    shutil.copy(DATA / "registry.toml.minisig", tmp_path / "registry.toml.minisig")
    (tmp_path / "key.pub").write_text(TEST_KEY.public_key.to_text(), "ascii")
    (tmp_path / "key.key").write_text(TEST_KEY.to_text(None), "ascii")
    shutil.copytree(REPO / "registry", tmp_path / "tree")
    return tmp_path


# Each case: the arguments (``{}`` is the file made into the edge case, ``{w}`` the
# work directory), and per edge the status and the words of the error. Click refuses a
# directory where a file is wanted before the command runs (status 2, "is a directory").
DIRECTORY = (2, "is a directory")
REGISTRY_CASES: dict[str, tuple[list[str], dict[str, tuple[int, str]]]] = {
    "verify FILE": (
        ["registry", "verify", "{}", "-x", "{w}/registry.toml.minisig"],
        {
            "binary": (3, "does not match the data"),
            "not UTF-8": (3, "does not match the data"),
            "empty": (3, "does not match the data"),
            "directory": DIRECTORY,
        },
    ),
    "verify -x SIGNATURE": (
        ["registry", "verify", "{w}/registry.toml", "-x", "{}"],
        {
            "binary": (3, "signature: not UTF-8 text"),
            "not UTF-8": (3, "signature: not UTF-8 text"),
            "empty": (3, "signature: expected 4 lines, found 0"),
            "directory": DIRECTORY,
        },
    ),
    "verify -p PUBLIC_KEY": (
        ["registry", "verify", "{w}/registry.toml", "-p", "{}"],
        {
            "binary": (3, "public key: "),
            "not UTF-8": (3, "public key: "),
            "empty": (3, "public key: "),
            "directory": DIRECTORY,
        },
    ),
    "sign -s SECRET_KEY": (
        ["registry", "sign", "{w}/registry.toml", "-s", "{}"],
        {
            "binary": (3, "secret key: not UTF-8 text"),
            "not UTF-8": (3, "secret key: not UTF-8 text"),
            "empty": (3, "secret key: expected 2 lines, found 0"),
            "directory": DIRECTORY,
        },
    ),
    "build --previous FILE": (
        ["registry", "build", "{w}/tree", "-o", "{w}/out.toml", "--previous", "{}"],
        {
            "binary": (3, "not valid UTF-8"),
            "not UTF-8": (3, "not valid UTF-8"),
            "empty": (3, "field 'format': is missing"),
            "directory": DIRECTORY,
        },
    ),
    "build SOURCE (header.toml)": (
        ["registry", "build", "{w}/tree", "-o", "{w}/out.toml"],
        {
            "binary": (3, "header.toml: not valid UTF-8"),
            "not UTF-8": (3, "header.toml: not valid UTF-8"),
            "empty": (3, "header.toml: field 'serial': is missing"),
            "directory": (3, "header.toml: cannot read: Is a directory"),
        },
    ),
}
TARGETS: dict[str, Callable[[Path], Path]] = {
    "verify FILE": lambda w: w / "input.toml",
    "verify -x SIGNATURE": lambda w: w / "input.minisig",
    "verify -p PUBLIC_KEY": lambda w: w / "input.pub",
    "sign -s SECRET_KEY": lambda w: w / "input.key",
    "build --previous FILE": lambda w: w / "previous.toml",
    "build SOURCE (header.toml)": lambda w: w / "tree" / "header.toml",
}


@pytest.mark.parametrize("edge", list(EDGES))
@pytest.mark.parametrize("case", list(REGISTRY_CASES))
def test_a_registry_key_or_signature_file_that_is_no_such_thing_is_one_line(
    runner: CliRunner, work: Path, case: str, edge: str
) -> None:
    target = TARGETS[case](work)
    target.unlink(missing_ok=True)
    make(target, edge)
    args, expected = REGISTRY_CASES[case]
    status, words = expected[edge]
    result = invoke(runner, [a.format(target, w=work) for a in args])
    one_line(result, status, words)
    assert not (work / "out.toml").exists()
    assert not (work / "input.toml.minisig").exists()  # sign wrote nothing


@pytest.mark.parametrize("edge", list(EDGES))
def test_lint_reports_a_header_that_is_no_toml_as_a_finding(runner: CliRunner, work: Path, edge: str) -> None:
    header = work / "tree" / "header.toml"
    header.unlink()
    make(header, edge)
    result = invoke(runner, ["registry", "lint", str(work / "tree")])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ")
    assert "header.toml" in errors[0]


# --- callcheck's own files: the config file and the call records -----------------------------


@pytest.mark.parametrize(
    ("edge", "status", "words"),
    [
        ("binary", 3, "config.toml: not valid UTF-8"),
        ("not UTF-8", 3, "config.toml: not valid UTF-8"),
        ("directory", 3, "config.toml: cannot read: Is a directory"),
    ],
)
def test_a_config_file_that_is_no_toml_is_one_line_and_status_3(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edge: str, status: int, words: str
) -> None:
    monkeypatch.setenv("CALLCHECK_CONFIG_DIR", str(tmp_path / "config"))
    make(tmp_path / "config" / "config.toml", edge)
    for args in (["number", "95188", "--region", "CN"], ["transcript", "-"], ["registry", "info"]):
        one_line(invoke(runner, args, stdin=b"hello\n"), status, words)


def test_an_empty_config_file_means_the_defaults(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLCHECK_CONFIG_DIR", str(tmp_path / "config"))
    make(tmp_path / "config" / "config.toml", "empty")
    assert invoke(runner, ["number", "95188", "--region", "CN"]).exit_code == 0


def test_a_binary_records_file_is_read_as_records_that_cannot_be_read(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLCHECK_DATA_DIR", str(tmp_path / "data"))
    make(tmp_path / "data" / "records.jsonl", "binary")
    result = invoke(runner, ["report", "list"])
    assert result.exit_code == 0
    assert "could not be read" in result.stderr or "skipped" in result.stderr
    assert "Traceback" not in result.stderr


# --- files that may not be read -----------------------------------------------------------------


@pytest.fixture
def env(subprocess_env: dict[str, str]) -> dict[str, str]:
    return subprocess_env


UNREADABLE: dict[str, tuple[list[str], int, str]] = {
    "transcript": (["transcript", "{}"], 2, "{}: permission denied"),
    "transcript --follow": (["transcript", "--follow", "{}"], 2, "{}: permission denied"),
    "number --batch": (["number", "--batch", "{}"], 2, "{}: permission denied"),
    "report --transcript": (["report", "--transcript", "{}"], 2, "{}: permission denied"),
    "verify FILE": (["registry", "verify", "{}"], 2, "is not readable"),
    "verify -x SIGNATURE": (["registry", "verify", "{w}/registry.toml", "-x", "{}"], 2, "is not readable"),
    "verify -p PUBLIC_KEY": (["registry", "verify", "{w}/registry.toml", "-p", "{}"], 2, "is not readable"),
    "sign -s SECRET_KEY": (["registry", "sign", "{w}/registry.toml", "-s", "{}"], 2, "is not readable"),
    "build --previous FILE": (
        ["registry", "build", "{w}/tree", "-o", "{w}/out.toml", "--previous", "{}"],
        2,
        "is not readable",
    ),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_a_file_that_may_not_be_read_is_one_line(env: dict[str, str], work: Path, case: str) -> None:
    target = work / "registry.toml.copy"
    target.write_bytes((work / "registry.toml").read_bytes())
    unreadable(target)
    args, status, words = UNREADABLE[case]
    done = as_unprivileged([*callcheck_command(), *(a.format(target, w=work) for a in args)], env, cwd=work)
    assert done.returncode == status, (done.how, done.stderr)
    line = assert_one_line_error(done.stderr)
    assert words.format(target) in line, (done.how, line)


@pytest.mark.parametrize(
    ("what", "args", "status", "words"),
    [
        ("tree/header.toml", ["registry", "build", "{w}/tree", "-o", "{w}/out.toml"], 3, "Permission denied"),
        ("config/config.toml", ["number", "95188", "--region", "CN"], 3, "Permission denied"),
        ("data/records.jsonl", ["report", "list"], 3, "Permission denied"),
    ],
)
def test_a_tree_config_or_records_file_that_may_not_be_read_is_one_line_and_status_3(
    env: dict[str, str], work: Path, what: str, args: list[str], status: int, words: str
) -> None:
    target = work / what
    target.parent.mkdir(exist_ok=True)
    if not target.exists():
        target.write_text("", "utf-8")
    unreadable(target)
    env = {**env, "CALLCHECK_CONFIG_DIR": str(work / "config"), "CALLCHECK_DATA_DIR": str(work / "data")}
    done = as_unprivileged([*callcheck_command(), *(a.format(w=work) for a in args)], env, cwd=work)
    assert done.returncode == status, (done.how, done.stderr)
    line = assert_one_line_error(done.stderr)
    assert str(target) in line and words in line, (done.how, line)


def test_lint_reports_a_file_that_may_not_be_read_as_a_finding(env: dict[str, str], work: Path) -> None:
    target = unreadable(work / "tree" / "header.toml")
    done = as_unprivileged([*callcheck_command(), "registry", "lint", str(work / "tree")], env, cwd=work)
    assert done.returncode == 1, (done.how, done.stderr)
    assert "Traceback" not in done.stderr
    assert f"{target}: cannot read: Permission denied" in done.stderr


@pytest.mark.parametrize(
    ("args", "status"), [(["transcript", "--follow"], 1), (["number", "--batch", "-", "-r", "CN"], 0)]
)
def test_bytes_that_are_not_utf8_on_a_real_standard_input_are_read_as_u_fffd(
    subprocess_env: dict[str, str], args: list[str], status: int
) -> None:
    # A real process: Python's own standard input in a UTF-8 locale turns such bytes into
    # surrogates, which once ended --follow in a traceback.
    import subprocess

    stdin = NOT_UTF8 + "请把验证码报给我\n".encode() + b"95188\n"
    done = subprocess.run(
        [*callcheck_command(), *args, "--json"] if args[0] == "transcript" else [*callcheck_command(), *args],
        input=stdin,
        env={**subprocess_env, "LC_ALL": "C.UTF-8"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == status, done.stderr.decode()
    assert done.stderr == b""
    if args[0] == "transcript":
        assert json.loads(done.stdout)["lines"] == 3  # the bad line read too, as text
    else:
        first = json.loads(done.stdout.splitlines()[0])
        assert first["verdict"] == "invalid" and "\ufffd" in first["input"]
