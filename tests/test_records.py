"""Call records: saving, reading back, exporting, and what happens when the disk misbehaves.

Everything runs on real files in tmp directories; nothing on the file system is mocked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcheck import (
    CallRecord,
    InvalidInput,
    InvalidNumber,
    InvalidRecord,
    RecordError,
    Registry,
    UnknownProvider,
    check_number,
    check_transcript,
    delete_records,
    export_records,
    load_records,
    records_path,
    save_record,
)
from callcheck._fileio import append_line
from callcheck._records import CSV_FIELDS, MAX_NOTES_CHARS, export_format
from callcheck.cli import main

from .test_cli import assert_one_line_error, has_chinese, run

SCAM_NOTES = "您好,我是支付宝客服\n您的账户被冻结了\n请把验证码报给我"
TRICKY_NOTES = 'He said "read me the code", then: =SUM(A1)\nline two, with commas; 中文'


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "records.jsonl"


def lines_of(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


# --- saving ------------------------------------------------------------------------------


def test_a_number_alone_is_saved_with_the_number_checks_verdict(
    registry: Registry, records_file: Path
) -> None:
    saved = save_record(
        number="13800138000", claims="alipay", region="CN", registry=registry, path=records_file
    )
    expected = check_number("13800138000", region="CN", claims="alipay", registry=registry)
    r = saved.record
    assert (r.number, r.number_international, r.claims, r.region) == (
        "13800138000",
        "+8613800138000",
        "alipay",
        "CN",
    )
    assert (r.risk, r.number_verdict, r.number_risk) == (expected.risk, "unknown", expected.risk)
    assert r.notes is None and r.signals == ()
    assert saved.path == records_file
    assert [json.loads(line) for line in lines_of(records_file)] == [r.to_dict()]


def test_notes_with_a_number_get_the_verdict_transcript_number_gives(
    registry: Registry, records_file: Path
) -> None:
    saved = save_record(
        number="+86 951880", notes=SCAM_NOTES, region="CN", registry=registry, path=records_file, lang="zh"
    )
    expected = check_transcript(SCAM_NOTES, number="+86 951880", region="CN", registry=registry)
    r = saved.record
    assert r.risk == expected.risk == "high"
    assert r.number_verdict == "lookalike"
    assert r.claims == "alipay"  # recognised in what was said
    assert "verification_code_request" in r.signals
    assert r.notes == SCAM_NOTES
    assert r.lang == "zh"
    assert saved.check.risk == "high"


def test_notes_alone_are_enough(registry: Registry, records_file: Path) -> None:
    r = save_record(notes="they hung up when I asked who it was", registry=registry, path=records_file).record
    assert r.number is None and r.number_verdict is None and r.region is None
    assert r.risk == "low"


def test_where_to_report_is_given_for_the_region_whatever_the_risk(
    registry: Registry, records_file: Path
) -> None:
    low = save_record(number="95188", region="CN", registry=registry, path=records_file)
    assert low.record.risk == "low"
    assert "96110" in [c.contact for c in low.report]
    assert low.check.report == low.report
    us = save_record(number="+1 888 221 1161", registry=registry, path=records_file)
    assert us.record.region == "US"  # the number's own region when none is given
    assert "https://reportfraud.ftc.gov" in [c.contact for c in us.report]


def test_the_time_is_recorded_in_utc(registry: Registry, records_file: Path) -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    when = dt.datetime(2026, 3, 1, 9, 30, tzinfo=beijing)
    r = save_record(number="95188", region="CN", registry=registry, path=records_file, now=when).record
    assert r.time == "2026-03-01T01:30:00+00:00"
    assert dt.datetime.fromisoformat(r.time) == when


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({}, InvalidRecord),
        ({"notes": "  \n "}, InvalidRecord),
        ({"notes": "x" * (MAX_NOTES_CHARS + 1)}, InvalidRecord),
        ({"number": "hello"}, InvalidNumber),
        ({"number": "hello", "notes": "a call"}, InvalidNumber),
        ({"number": "95188", "claims": "no such bank"}, UnknownProvider),
        ({"number": "95188", "region": "XX"}, InvalidInput),
    ],
)
def test_unusable_details_are_refused_and_nothing_is_written(
    registry: Registry, records_file: Path, kwargs: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        save_record(registry=registry, path=records_file, **kwargs)
    assert not records_file.exists()


def test_the_records_file_is_private_to_its_owner(registry: Registry, records_file: Path) -> None:
    save_record(number="95188", region="CN", registry=registry, path=records_file)
    assert records_file.stat().st_mode & 0o777 == 0o600
    assert records_file.parent.stat().st_mode & 0o777 == 0o700


def test_records_go_to_the_data_directory(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLCHECK_DATA_DIR", str(tmp_path / "mine"))
    assert records_path() == tmp_path / "mine" / "records.jsonl"
    saved = save_record(number="95188", region="CN", registry=registry)
    assert saved.path == records_path()
    assert load_records().records == (saved.record,)


def test_saving_opens_no_socket(
    registry: Registry, records_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("callcheck tried to use the network while saving a record")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    save_record(number="+86 951880", notes=SCAM_NOTES, region="CN", registry=registry, path=records_file)
    assert len(load_records(records_file).records) == 1


# --- reading back ---------------------------------------------------------------------------


def test_no_file_means_no_records(records_file: Path) -> None:
    loaded = load_records(records_file)
    assert (loaded.records, loaded.skipped) == ((), 0)


def test_records_read_back_equal_what_was_saved_oldest_first(registry: Registry, records_file: Path) -> None:
    saved = [
        save_record(number="95188", region="CN", registry=registry, path=records_file).record,
        save_record(notes=TRICKY_NOTES, registry=registry, path=records_file).record,
        save_record(number="+86 951880", notes=SCAM_NOTES, registry=registry, path=records_file).record,
    ]
    assert load_records(records_file).records == tuple(saved)


def test_a_torn_last_line_is_skipped_and_the_next_save_closes_it_off(
    registry: Registry, records_file: Path
) -> None:
    first = save_record(number="95188", region="CN", registry=registry, path=records_file).record
    whole = json.dumps(first.to_dict())
    with open(records_file, "a", encoding="utf-8") as fh:
        fh.write(whole[: len(whole) // 2])  # what a crash half-way through a save leaves
    loaded = load_records(records_file)
    assert (loaded.records, loaded.skipped) == ((first,), 1)
    second = save_record(number="+86 951880", registry=registry, path=records_file).record
    loaded = load_records(records_file)
    assert (loaded.records, loaded.skipped) == ((first, second), 1)


def test_lines_that_are_not_records_are_counted_not_fatal(records_file: Path, registry: Registry) -> None:
    good = save_record(number="95188", region="CN", registry=registry, path=records_file).record
    with open(records_file, "ab") as fh:
        fh.write(b"not json\n[1, 2]\n{}\n\xff\xfe\n")
        fh.write(json.dumps({**good.to_dict(), "risk": "extreme"}).encode() + b"\n\n")
    loaded = load_records(records_file)
    assert (loaded.records, loaded.skipped) == ((good,), 5)


def test_the_file_stays_valid_json_lines_after_many_saves(registry: Registry, records_file: Path) -> None:
    for i in range(60):
        notes = TRICKY_NOTES if i % 3 == 0 else None
        save_record(
            number="95188" if i % 2 else "+86 951880", notes=notes, registry=registry, path=records_file
        )
    lines = lines_of(records_file)
    assert len(lines) == 60
    records = [CallRecord.from_dict(json.loads(line)) for line in lines]
    assert len({r.id for r in records}) == 60


def test_appends_from_many_threads_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"

    def write(n: int) -> None:
        for i in range(50):
            append_line(path, (json.dumps({"n": n, "i": i, "pad": "x" * 5000}) + "\n").encode())

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seen = {(d["n"], d["i"]) for d in map(json.loads, lines_of(path))}
    assert len(seen) == 8 * 50 == len(lines_of(path))


_FAILING_APPEND = """
import os, resource, signal, sys
from pathlib import Path
from callcheck._fileio import append_line

path = Path(sys.argv[1])
size = path.stat().st_size
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 100, resource.RLIM_INFINITY))
try:
    append_line(path, b"x" * 10_000 + b"\\n")
except OSError as exc:
    print(exc.errno)
"""


def test_a_save_that_fails_half_way_is_cut_back_off(registry: Registry, records_file: Path) -> None:
    first = save_record(number="95188", region="CN", registry=registry, path=records_file).record
    before = records_file.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", _FAILING_APPEND, str(records_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert proc.stdout.strip() == str(27)  # EFBIG: the disk "filled up" mid-line
    assert records_file.read_bytes() == before
    assert load_records(records_file).records == (first,)


def test_a_data_directory_that_is_a_file_is_a_record_error(registry: Registry, tmp_path: Path) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("not a directory")
    path = in_the_way / "records.jsonl"
    with pytest.raises(RecordError, match="Not a directory"):
        save_record(number="95188", region="CN", registry=registry, path=path)
    with pytest.raises(RecordError, match="cannot read"):
        load_records(path)
    assert in_the_way.read_text() == "not a directory"


def test_a_records_file_that_is_a_directory_is_a_record_error(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.mkdir()
    with pytest.raises(RecordError):
        save_record(number="95188", region="CN", registry=registry, path=path)
    with pytest.raises(RecordError):
        load_records(path)


# --- exporting ------------------------------------------------------------------------------


@pytest.fixture
def some_records(registry: Registry, records_file: Path) -> tuple[CallRecord, ...]:
    save_record(number="13800138000", claims="alipay", region="CN", registry=registry, path=records_file)
    save_record(number="+86 951880", notes=SCAM_NOTES, registry=registry, path=records_file, lang="zh")
    save_record(notes=TRICKY_NOTES, registry=registry, path=records_file)
    return load_records(records_file).records


def test_json_export_round_trips(some_records: tuple[CallRecord, ...]) -> None:
    data = json.loads(export_records(some_records, "json"))
    assert data == [r.to_dict() for r in some_records]
    assert tuple(CallRecord.from_dict(d) for d in data) == some_records


def test_csv_export_round_trips_through_the_csv_module(some_records: tuple[CallRecord, ...]) -> None:
    text = export_records(some_records, "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_FIELDS
    assert len(rows) == 1 + len(some_records)
    for row, record in zip(rows[1:], some_records, strict=True):
        cells = dict(zip(CSV_FIELDS, row, strict=True))
        want = record.to_dict()
        for field in CSV_FIELDS:
            if field == "signals":
                assert cells[field].split() == list(record.signals)
            else:
                assert cells[field] == ("" if want[field] is None else want[field]), field
    assert rows[3][CSV_FIELDS.index("notes")] == TRICKY_NOTES  # quotes, commas, line breaks kept


def test_exporting_nothing_gives_an_empty_list_or_just_the_header() -> None:
    assert json.loads(export_records([], "json")) == []
    assert list(csv.reader(io.StringIO(export_records([], "csv")))) == [list(CSV_FIELDS)]


def test_export_formats_are_json_and_csv_in_any_case() -> None:
    assert export_format("CSV") == "csv"
    assert export_format("json") == "json"
    with pytest.raises(InvalidRecord, match="'xml' is not an export format"):
        export_records([], "xml")


def test_the_records_file_was_not_changed_by_reading_or_exporting(
    some_records: tuple[CallRecord, ...], records_file: Path
) -> None:
    before = records_file.read_bytes()
    load_records(records_file)
    export_records(some_records, "csv")
    assert records_file.read_bytes() == before
    assert os.path.getsize(records_file) > 0


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory of this test's own, where ``callcheck report`` keeps records."""
    path = tmp_path / "data"
    monkeypatch.setenv("CALLCHECK_DATA_DIR", str(path))
    return path


def saved_records(data_dir: Path) -> tuple[CallRecord, ...]:
    loaded = load_records(data_dir / "records.jsonl")
    assert loaded.skipped == 0
    return loaded.records


def test_report_prints_the_verdict_first_then_where_to_report_and_where_it_was_saved(
    runner: CliRunner, data_dir: Path
) -> None:
    result = run(runner, "report", "--number", "+86 951880", "--region", "CN")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Hang up. This number imitates Alipay")
    assert lines[1].startswith("LOOKALIKE · high risk")
    where = lines.index("Where to report it:")
    assert any("96110" in line for line in lines[where:])
    (record,) = saved_records(data_dir)
    assert lines[-1] == (
        f"Saved as record {record.id} in {data_dir / 'records.jsonl'}. Nothing was sent anywhere."
    )
    assert (record.number, record.risk, record.number_verdict) == ("+86 951880", "high", "lookalike")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "channel"),
    [
        (["--number", "95188", "--region", "CN"], "96110"),
        (["--number", "+1 888 221 1161", "--notes", "PayPal here, read me the code we texted"], "ftc.gov"),
        (["--notes", "您好我是支付宝客服,请把验证码报给我", "--region", "CN"], "12321"),
        (["--notes", "Your bank account is locked, tell me your PIN", "--region", "us"], "ic3.gov"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_says_where_to_report_for_cn_and_us_in_both_languages(
    runner: CliRunner, data_dir: Path, args: list[str], channel: str, lang: str
) -> None:
    result = run(runner, "--lang", lang, "report", *args)
    assert result.exit_code == 0, result.output
    heading = "Where to report it:" if lang == "en" else "举报渠道："
    after = result.stdout.split(heading, 1)[1]
    assert channel in after
    if lang == "zh":
        assert has_chinese(result.stdout)
        for english in ("Where to report it", "Why:", "Saved as record", "Nothing was sent"):
            assert english not in result.stdout
        assert "没有向任何地方发送任何内容" in result.stdout.splitlines()[-1]
    assert len(saved_records(data_dir)) == 1


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (["--notes", "a man called about my parcel"], "Give --region", "请用 --region"),
        (["--notes", "a man called about my parcel", "--region", "JP"], "calls in JP", "JP 的举报渠道"),
    ],
)
def test_report_says_when_it_does_not_know_where_to_report(
    runner: CliRunner, data_dir: Path, args: list[str], en: str, zh: str
) -> None:
    assert en in run(runner, "report", *args).stdout
    assert zh in run(runner, "--lang", "zh", "report", *args).stdout
    assert len(saved_records(data_dir)) == 2


def test_report_json_is_the_saved_record_and_parses(runner: CliRunner, data_dir: Path) -> None:
    result = run(runner, "report", "-n", "13800138000", "-r", "CN", "-c", "alipay", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    (record,) = saved_records(data_dir)
    assert data["record"] == record.to_dict()
    assert data["risk"] == record.risk == "medium"
    assert data["path"] == str(data_dir / "records.jsonl")
    assert "96110" in [c["contact"] for c in data["report"]]
    assert data["check"]["verdict"] == "unknown"


def test_report_reads_a_transcript_from_a_file_or_standard_input(
    runner: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    call = tmp_path / "call.txt"
    call.write_text(SCAM_NOTES + "\n", encoding="utf-8")
    assert run(runner, "report", "--transcript", str(call), "-r", "CN").exit_code == 0
    piped = runner.invoke(main, ["report", "-t", "-", "-n", "+86 951880"], input=SCAM_NOTES)
    assert piped.exit_code == 0, piped.output
    first, second = saved_records(data_dir)
    assert first.notes == SCAM_NOTES + "\n" and second.notes == SCAM_NOTES
    assert first.risk == second.risk == "high"


@pytest.mark.parametrize(
    "args",
    [
        ["report"],
        ["report", "--notes", "   "],
        ["report", "--notes", "hi", "--transcript", "-"],
        ["report", "--transcript", "/no/such/file.txt"],
        ["report", "--number", "hello"],
        ["report", "--number", "95188", "--region", "XX"],
        ["report", "--number", "95188", "--claims", "no such bank"],
        ["report", "--number", "95188", "list"],
        ["report", "--notes", "hi", "export"],
        ["report", "export", "--format", "xml"],
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unusable_input_is_one_line_and_status_2_and_saves_nothing(
    runner: CliRunner, data_dir: Path, args: list[str], lang: str
) -> None:
    assert_one_line_error(run(runner, "--lang", lang, *args), 2, "error: " if lang == "en" else "错误：")
    assert not (data_dir / "records.jsonl").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--number", "95188", "--region", "CN"],
        ["report", "list"],
        ["report", "list", "--json"],
        ["report", "export", "--format", "csv"],
    ],
)
@pytest.mark.parametrize("in_the_way", ["data dir is a file", "records file is a directory"])
def test_a_broken_data_directory_is_one_line_and_status_3(
    runner: CliRunner, data_dir: Path, args: list[str], in_the_way: str
) -> None:
    if in_the_way == "data dir is a file":
        data_dir.write_text("in the way")
    else:
        (data_dir / "records.jsonl").mkdir(parents=True)
    line = assert_one_line_error(run(runner, *args), 3)
    assert str(data_dir / "records.jsonl") in line
    zh = assert_one_line_error(run(runner, "--lang", "zh", *args), 3, "错误：")
    assert has_chinese(zh)


def _save_three(runner: CliRunner) -> None:
    for args in (
        ["-n", "95188", "-r", "CN"],
        ["-n", "+86 951880", "--notes", SCAM_NOTES],
        ["--notes", TRICKY_NOTES, "-r", "US"],
    ):
        assert run(runner, "report", *args).exit_code == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_list_shows_one_line_per_record_oldest_first(runner: CliRunner, data_dir: Path, lang: str) -> None:
    _save_three(runner)
    result = run(runner, "--lang", lang, "report", "list")
    assert result.exit_code == 0
    records = saved_records(data_dir)
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for line, record in zip(lines, records, strict=True):
        assert line.startswith(f"{record.id}  {record.time}")
    if lang == "en":
        assert lines[0].endswith("95188  -  low risk")  # no provider claimed
        assert lines[1].endswith("+86 951880  Alipay  high risk")
        assert lines[2].endswith("-  -  low risk")
    else:
        assert lines[0].endswith("95188  -  低风险")
        assert "支付宝" in lines[1]
        assert lines[1].endswith("高风险")


def test_list_json_parses_and_holds_every_record(runner: CliRunner, data_dir: Path) -> None:
    _save_three(runner)
    data = json.loads(run(runner, "report", "list", "--json").stdout)
    assert data["records"] == [r.to_dict() for r in saved_records(data_dir)]
    assert data["skipped"] == 0
    assert data["path"] == str(data_dir / "records.jsonl")


@pytest.mark.parametrize(("lang", "words"), [("en", "No call records yet"), ("zh", "还没有来电记录")])
def test_list_without_records_says_how_to_save_one(
    runner: CliRunner, data_dir: Path, lang: str, words: str
) -> None:
    result = run(runner, "--lang", lang, "report", "list")
    assert result.exit_code == 0
    assert words in result.stdout
    assert json.loads(run(runner, "report", "list", "--json").stdout)["records"] == []


@pytest.mark.parametrize(("lang", "words"), [("en", "warning: 1 unreadable line"), ("zh", "警告")])
def test_list_and_export_warn_about_a_torn_line_and_go_on(
    runner: CliRunner, data_dir: Path, lang: str, words: str
) -> None:
    _save_three(runner)
    with open(data_dir / "records.jsonl", "ab") as fh:
        fh.write(b'{"id": "torn", "ti')
    for args in (["list"], ["list", "--json"], ["export"]):
        result = run(runner, "--lang", lang, "report", *args)
        assert result.exit_code == 0
        assert result.stderr.startswith(words)
        assert "Traceback" not in result.output
    assert len(json.loads(run(runner, "report", "export").stdout)) == 3


def test_export_to_standard_output_as_json_and_csv(runner: CliRunner, data_dir: Path) -> None:
    _save_three(runner)
    records = saved_records(data_dir)
    as_json = run(runner, "report", "export")
    assert json.loads(as_json.stdout) == [r.to_dict() for r in records]
    as_csv = run(runner, "report", "export", "--format", "CSV")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout, newline="")))
    assert [row["id"] for row in rows] == [r.id for r in records]
    assert rows[2]["notes"] == TRICKY_NOTES
    assert rows[1]["notes"] == SCAM_NOTES


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_to_a_file_writes_it_privately_and_says_so(
    runner: CliRunner, data_dir: Path, tmp_path: Path, fmt: str
) -> None:
    _save_three(runner)
    out = tmp_path / f"calls.{fmt}"
    result = run(runner, "report", "export", "-f", fmt, "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == f"3 record(s) written to {out}"
    assert out.read_bytes().decode("utf-8") == export_records(saved_records(data_dir), fmt)
    assert out.stat().st_mode & 0o777 == 0o600
    zh = run(runner, "--lang", "zh", "report", "export", "-f", fmt, "-o", str(out))
    assert has_chinese(zh.stderr)


def test_export_to_a_file_that_cannot_be_written_is_one_line(
    runner: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    _save_three(runner)
    assert_one_line_error(run(runner, "report", "export", "-o", str(tmp_path / "no" / "such.json")), 3)


def test_path_prints_the_records_file(runner: CliRunner, data_dir: Path) -> None:
    result = run(runner, "report", "path")
    assert result.stdout.strip() == str(data_dir / "records.jsonl")


@pytest.mark.parametrize("command", [[], ["list"], ["export"], ["path"]])
def test_every_report_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = run(runner, "report", *command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    if command != ["path"]:
        assert "Examples:" in result.stdout
        assert "callcheck report" in result.stdout


def test_saving_from_the_command_line_opens_no_socket(
    runner: CliRunner, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("callcheck tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert run(runner, "report", "-n", "+86 951880", "--notes", SCAM_NOTES).exit_code == 0
    assert run(runner, "report", "list").exit_code == 0
    assert run(runner, "report", "export", "-f", "csv").exit_code == 0


# --- formulas in CSV ----------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_cells_a_spreadsheet_would_run_are_exported_as_text(
    registry: Registry, records_file: Path, start: str
) -> None:
    notes = start + 'HYPERLINK("http://evil.example","click")'
    save_record(number="+86 138 0013 8000", notes=notes, region="CN", registry=registry, path=records_file)
    records = load_records(records_file).records
    row = list(csv.reader(io.StringIO(export_records(records, "csv"), newline="")))[1]
    cells = dict(zip(CSV_FIELDS, row, strict=True))
    assert cells["notes"] == "'" + notes
    # Phone numbers start with '+' but cannot be formulas: they stay as they are.
    assert cells["number"] == "+86 138 0013 8000"
    assert cells["number_international"] == "+8613800138000"
    assert json.loads(export_records(records, "json"))[0]["notes"] == notes


# --- deleting -------------------------------------------------------------------------------


def test_deleting_by_id_removes_only_those_records_and_keeps_other_lines(
    some_records: tuple[CallRecord, ...], records_file: Path
) -> None:
    append_line(records_file, b"not a record\n")
    before = lines_of(records_file)
    assert delete_records([some_records[1].id], records_file) == 1
    after = lines_of(records_file)
    assert after == [before[0], before[2], before[3]]
    assert load_records(records_file).records == (some_records[0], some_records[2])
    assert oct(records_file.stat().st_mode & 0o777) == oct(0o600)


def test_deleting_an_unknown_id_deletes_nothing(
    some_records: tuple[CallRecord, ...], records_file: Path
) -> None:
    before = records_file.read_bytes()
    with pytest.raises(InvalidRecord, match="no record has the id 'nope'"):
        delete_records([some_records[0].id, "nope"], records_file)
    assert records_file.read_bytes() == before


def test_deleting_everything_and_deleting_from_no_file(
    some_records: tuple[CallRecord, ...], records_file: Path
) -> None:
    assert delete_records(None, records_file) == len(some_records)
    assert load_records(records_file).records == ()
    assert delete_records(None, records_file.parent / "none.jsonl") == 0
    with pytest.raises(InvalidRecord):
        delete_records(["abc"], records_file.parent / "none.jsonl")


def test_a_record_saved_while_records_are_deleted_is_kept(
    some_records: tuple[CallRecord, ...], records_file: Path
) -> None:
    # The delete holds the lock while it rewrites; a save that opened the old file
    # and waited for the lock must notice the file was replaced and append to the new one.
    from callcheck._fileio import rewrite_locked

    inside, release = threading.Event(), threading.Event()

    def change(data: bytes) -> bytes:
        inside.set()
        assert release.wait(10)
        return data.split(b"\n", 1)[1]  # drop the first record

    deleter = threading.Thread(target=rewrite_locked, args=(records_file, change))
    deleter.start()
    assert inside.wait(10)
    saver = threading.Thread(target=append_line, args=(records_file, b'{"late": true}\n'))
    saver.start()
    saver.join(0.3)
    assert saver.is_alive(), "the save did not wait for the lock"
    release.set()
    deleter.join(10)
    saver.join(10)
    lines = lines_of(records_file)
    assert lines[-1] == '{"late": true}'
    assert len(lines) == len(some_records)  # one deleted, one added


def test_report_delete_on_the_command_line(runner: CliRunner, data_dir: Path) -> None:
    for number in ("13800138000", "13900139000"):
        assert run(runner, "report", "--number", number, "--region", "CN").exit_code == 0
    listed = run(runner, "report", "list").stdout.splitlines()
    first = listed[0].split()[0]
    assert first == saved_records(data_dir)[0].id  # the list starts with the id
    done = run(runner, "--lang", "zh", "report", "delete", first)
    assert done.exit_code == 0 and "删除 1 条记录" in done.stdout
    assert [r.id for r in saved_records(data_dir)] == [listed[1].split()[0]]
    for args, status in (([], 2), (["--all"], 2), (["--all", first], 2), (["nope"], 2)):
        before = (data_dir / "records.jsonl").read_bytes()
        assert_one_line_error(run(runner, "report", "delete", *args), status)
        assert (data_dir / "records.jsonl").read_bytes() == before
    assert run(runner, "report", "delete", "--all", "--yes").exit_code == 0
    assert saved_records(data_dir) == ()
