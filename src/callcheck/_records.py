"""Call records: a note of a suspicious call, with its verdict, kept on the person's own disk.

Records are JSON Lines in the data directory (``records.jsonl``), one record a line,
appended under a lock. Nothing here uploads anything: no network I/O. A crash while
saving can tear only the last line; reading skips such lines and counts them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, get_args

from ._errors import InvalidNumber, InvalidRecord, RecordError, os_reason
from ._results import RISKS, NumberCheck, Verdict
from ._values import Value

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from ._registry import Registry
    from ._results import ReportTo, Risk
    from ._transcript import TranscriptCheck

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields

RECORDS_FILE = "records.jsonl"  # under the data directory
Format = Literal["json", "csv"]
FORMATS: tuple[Format, ...] = get_args(Format)

# Notes are saved whole on one line; a record is a note, not an archive of recordings.
MAX_NOTES_CHARS = 1_000_000

# The columns of a CSV export, in order; lists (signals) are joined with CSV_JOIN.
CSV_FIELDS: tuple[str, ...] = (
    "id",
    "time",
    "number",
    "number_international",
    "claims",
    "region",
    "risk",
    "number_verdict",
    "number_risk",
    "signals",
    "notes",
    "lang",
)
CSV_JOIN = " "


class CallRecord(Value):
    """One saved call: when, who called, who they claimed to be, what was said, the verdict.

    ``time`` is UTC in ISO 8601. ``number`` is the caller's number as given and
    ``number_international`` its international form. ``claims`` is the id of the
    provider the caller claimed to be (given, or recognised in the notes). ``risk``
    is the overall verdict; ``number_verdict`` and ``number_risk`` the number check's
    own; ``signals`` the ids of the transcript check's evidence. ``region`` decides
    where to report the call; ``lang`` is the language the verdict was given in.
    """

    __slots__ = (
        "id",
        "time",
        "number",
        "number_international",
        "claims",
        "notes",
        "risk",
        "number_verdict",
        "number_risk",
        "signals",
        "region",
        "lang",
    )
    id: str
    time: str
    number: str | None
    number_international: str | None
    claims: str | None
    notes: str | None
    risk: Risk
    number_verdict: Verdict | None
    number_risk: Risk | None
    signals: tuple[str, ...]
    region: str | None
    lang: str

    def __init__(
        self,
        id: str,
        time: str,
        number: str | None,
        number_international: str | None,
        claims: str | None,
        notes: str | None,
        risk: Risk,
        number_verdict: Verdict | None,
        number_risk: Risk | None,
        signals: tuple[str, ...],
        region: str | None,
        lang: str,
    ) -> None:
        _set(self, "id", id)
        _set(self, "time", time)
        _set(self, "number", number)
        _set(self, "number_international", number_international)
        _set(self, "claims", claims)
        _set(self, "notes", notes)
        _set(self, "risk", risk)
        _set(self, "number_verdict", number_verdict)
        _set(self, "number_risk", number_risk)
        _set(self, "signals", signals)
        _set(self, "region", region)
        _set(self, "lang", lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "number": self.number,
            "number_international": self.number_international,
            "claims": self.claims,
            "notes": self.notes,
            "risk": self.risk,
            "number_verdict": self.number_verdict,
            "number_risk": self.number_risk,
            "signals": list(self.signals),
            "region": self.region,
            "lang": self.lang,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CallRecord:
        """The record :meth:`to_dict` gave.

        Raises:
            ValueError: a field is missing or of the wrong kind.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a record is a JSON object")

        def text(name: str, optional: bool = True) -> Any:
            value = data.get(name)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"{name} must be text")
            return value

        risk = text("risk", optional=False)
        number_risk = text("number_risk")
        verdict = text("number_verdict")
        signals = data.get("signals", [])
        if risk not in RISKS or (number_risk is not None and number_risk not in RISKS):
            raise ValueError("unknown risk")
        if verdict is not None and verdict not in get_args(Verdict):
            raise ValueError("unknown verdict")
        if not isinstance(signals, list) or not all(isinstance(s, str) for s in signals):
            raise ValueError("signals must be a list of text")
        return cls(
            id=text("id", optional=False),
            time=text("time", optional=False),
            number=text("number"),
            number_international=text("number_international"),
            claims=text("claims"),
            notes=text("notes"),
            risk=risk,
            number_verdict=verdict,
            number_risk=number_risk,
            signals=tuple(signals),
            region=text("region"),
            lang=text("lang") or "en",
        )


class SavedRecord(Value):
    """What saving gave: the record, the file it went into, the check behind its verdict,
    and where to report the call in the record's region.

    ``check`` is the :class:`NumberCheck` (number only) or :class:`TranscriptCheck`
    (notes, with the number folded in) the verdict comes from; its ``report`` lists the
    region's channels whatever the risk, as ``report`` does.
    """

    __slots__ = ("record", "path", "check", "report")
    record: CallRecord
    path: Path
    check: NumberCheck | TranscriptCheck
    report: tuple[ReportTo, ...]

    def __init__(
        self,
        record: CallRecord,
        path: Path,
        check: NumberCheck | TranscriptCheck,
        report: tuple[ReportTo, ...],
    ) -> None:
        _set(self, "record", record)
        _set(self, "path", path)
        _set(self, "check", check)
        _set(self, "report", report)

    def to_dict(self) -> dict[str, Any]:
        return {
            "risk": self.record.risk,
            "record": self.record.to_dict(),
            "path": str(self.path),
            "report": [r.to_dict() for r in self.report],
            "check": self.check.to_dict(),
        }


class Records(Value):
    """The records read from a file, oldest first, and how many lines could not be read."""

    __slots__ = ("records", "skipped", "path")
    records: tuple[CallRecord, ...]
    skipped: int
    path: Path

    def __init__(self, records: tuple[CallRecord, ...], skipped: int, path: Path) -> None:
        _set(self, "records", records)
        _set(self, "skipped", skipped)
        _set(self, "path", path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "skipped": self.skipped,
            "records": [r.to_dict() for r in self.records],
        }


def records_path() -> Path:
    """Where records are kept: ``records.jsonl`` in the data directory (``CALLCHECK_DATA_DIR``,
    else the platform's place)."""
    from ._config import data_dir

    return data_dir() / RECORDS_FILE


def save_record(
    *,
    number: str | None = None,
    claims: str | None = None,
    notes: str | None = None,
    region: str | None = None,
    registry: Registry | None = None,
    lang: str | None = None,
    path: str | os.PathLike[str] | None = None,
    now: dt.datetime | None = None,
) -> SavedRecord:
    """Check a call and append a record of it to the records file. Nothing is uploaded.

    With ``notes`` (typed notes or a transcript) the verdict is that of
    :func:`check_transcript` with ``number`` folded in, as ``callcheck transcript
    --number`` gives it; with a number alone, that of :func:`check_number`.

    Args:
        number: the caller's number as the phone showed it.
        claims: who the caller said they were (provider id or any name).
        notes: what was said, one utterance per line, or notes about the call.
        region: the two-letter region of the phone; also decides where to report.
            Without it, the region of the caller's number.
        registry: the registry to use; the trusted default if None.
        lang: ``en`` or ``zh``, the language of the verdict (default ``en``).
        path: the records file; :func:`records_path` if None.
        now: the time to record (UTC); the current time if None.

    Returns:
        A :class:`SavedRecord`.

    Raises:
        InvalidInput: neither a number nor notes, notes too long, or a number,
            region or provider callcheck cannot read.
        RecordError: the record could not be written; records saved before are unchanged.
    """
    import datetime as dt
    import json
    from pathlib import Path

    from ._advice import report_advice
    from ._check import check_number, check_transcript, normalize_region
    from ._loading import load_registry

    if notes is not None and not notes.strip():
        notes = None
    if number is None and notes is None:
        raise InvalidRecord("record.nothing")
    if notes is not None and len(notes) > MAX_NOTES_CHARS:
        raise InvalidRecord("record.notes_too_long", limit=MAX_NOTES_CHARS)
    lang = lang or "en"
    registry = registry if registry is not None else load_registry()
    region = normalize_region(region)

    check: NumberCheck | TranscriptCheck
    number_check: NumberCheck | None
    if notes is not None:
        check = check_transcript(
            notes, claims=claims, number=number, region=region, registry=registry, lang=lang
        )
        number_check = check.number
        claimed = check.provider
        signals = tuple(s.id for s in check.signals if s.weight > 0)
    else:
        assert number is not None
        check = number_check = check_number(
            number, region=region, claims=claims, registry=registry, lang=lang
        )
        if number_check.verdict == "invalid":
            raise InvalidNumber("invalid." + number_check.reasons[0].code, number)
        claimed = number_check.claims
        signals = ()
    # The person chose to report the call: name the channels whatever the risk.
    report_region = region or (number_check.region if number_check else None)
    report, _ = report_advice(registry, report_region, lang)
    check = check.replace(report=report) if isinstance(check, NumberCheck) else _with_report(check, report)
    assert check.risk is not None  # a number that could not be read was refused above

    import secrets

    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    record = CallRecord(
        id=secrets.token_hex(8),
        time=when.isoformat(timespec="seconds"),
        number=number,
        number_international=number_check.number if number_check else None,
        claims=claimed.id if claimed else None,
        notes=notes,
        risk=check.risk,
        number_verdict=number_check.verdict if number_check else None,
        number_risk=number_check.risk if number_check else None,
        signals=signals,
        region=report_region,
        lang=lang,
    )
    target = Path(path) if path is not None else records_path()
    line = json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
    from ._fileio import append_line

    try:
        append_line(target, line.encode("utf-8"))
    except OSError as exc:
        raise RecordError("record.cannot_write", path=str(target), reason=os_reason(exc)) from None
    return SavedRecord(record, target, check, report)


def _with_report(check: TranscriptCheck, report: tuple[ReportTo, ...]) -> TranscriptCheck:
    import dataclasses

    return dataclasses.replace(check, report=report)


def load_records(path: str | os.PathLike[str] | None = None) -> Records:
    """The records saved in ``path`` (default :func:`records_path`), oldest first.

    A missing file holds no records. Lines that are not a record (a line torn by a
    crash while saving, or edited by hand) are skipped and counted in ``skipped``.

    Raises:
        RecordError: the file exists but cannot be read (a directory, no permission).
    """
    import json
    from pathlib import Path

    target = Path(path) if path is not None else records_path()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return Records((), 0, target)
    except OSError as exc:
        raise RecordError("record.cannot_read", path=str(target), reason=os_reason(exc)) from None
    records = []
    skipped = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            records.append(CallRecord.from_dict(json.loads(raw.decode("utf-8"))))
        except (ValueError, TypeError):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            skipped += 1
    return Records(tuple(records), skipped, target)


def delete_records(ids: Collection[str] | None, path: str | os.PathLike[str] | None = None) -> int:
    """Delete the records with these ``ids`` (every record if None); return how many went.

    The file is rewritten in one step under the lock saves take, so a record saved
    meanwhile is kept. Deleting by id keeps lines that are not records as they are.

    Raises:
        InvalidRecord: one of ``ids`` names no record (then nothing is deleted).
        RecordError: the file could not be read or rewritten; it is unchanged.
    """
    from pathlib import Path

    from ._fileio import rewrite_locked

    target = Path(path) if path is not None else records_path()
    wanted = None if ids is None else set(ids)
    deleted = 0

    def change(data: bytes) -> bytes | None:
        nonlocal deleted
        kept, found = [], set()
        for raw in data.split(b"\n"):
            if not raw.strip():
                continue
            rid = _record_id(raw)
            if wanted is None or rid in wanted:
                found.add(rid)
                deleted += 1
                continue
            kept.append(raw + b"\n")
        missing = sorted(wanted - found) if wanted is not None else []
        if missing:
            raise InvalidRecord("record.no_such_id", id=missing[0])
        return b"".join(kept) if deleted else None

    try:
        rewrite_locked(target, change)
    except FileNotFoundError:
        if wanted:
            raise InvalidRecord("record.no_such_id", id=sorted(wanted)[0]) from None
        return 0
    except OSError as exc:
        raise RecordError("record.cannot_write", path=str(target), reason=os_reason(exc)) from None
    return deleted


def _record_id(raw: bytes) -> str | None:
    """The id of the record on line ``raw``, or None if the line is not a record."""
    import json

    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    rid = data.get("id") if isinstance(data, dict) else None
    return rid if isinstance(rid, str) else None


# A spreadsheet reads a cell starting with one of these as a formula: notes hold what a
# scammer said, so such cells are exported with a leading apostrophe (shown as text).
# Phone numbers such as "+86 138 0013 8000" cannot be formulas and are left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+?[\d ()-]+")


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PHONE.fullmatch(value):
        return "'" + value
    return value


def export_records(records: Iterable[CallRecord], fmt: str) -> str:
    """The records as a JSON array (``json``) or a CSV table with a header row (``csv``).

    CSV has the columns :data:`CSV_FIELDS`; empty fields are empty cells, signals
    are joined with spaces, and notes keep their line breaks inside a quoted cell.
    A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
    ``-``, ``@`` or a tab, and is not a phone number) gets a leading ``'``.

    Raises:
        InvalidRecord: ``fmt`` is not ``json`` or ``csv``.
    """
    fmt = export_format(fmt)
    if fmt == "json":
        import json

        return json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO(newline="")
        writer = csv.writer(out)  # RFC 4180: CRLF row ends, quotes only where needed
        writer.writerow(CSV_FIELDS)
        for r in records:
            row = r.to_dict()
            row["signals"] = CSV_JOIN.join(r.signals)
            writer.writerow(["" if row[f] is None else _csv_cell(row[f]) for f in CSV_FIELDS])
        return out.getvalue()
    raise AssertionError(fmt)  # pragma: no cover - export_format let through a format not handled here


def export_format(fmt: str) -> Format:
    """``fmt`` as an export format (any case).

    Raises:
        InvalidRecord: ``fmt`` is not ``json`` or ``csv``.
    """
    for known in FORMATS:
        if fmt.lower() == known:
            return known
    raise InvalidRecord("record.bad_format", format=fmt, formats=", ".join(FORMATS))


def write_export(data: str, path: str | os.PathLike[str]) -> None:
    """Write an export to ``path`` in one step (readable by its owner only: notes are private).

    Raises:
        RecordError: the file could not be written; a file there before is unchanged.
    """
    from pathlib import Path

    from ._fileio import write_atomic

    target = Path(path)
    try:
        write_atomic(target, data.encode("utf-8"), mode=0o600)
    except OSError as exc:
        raise RecordError("record.cannot_write", path=str(target), reason=os_reason(exc)) from None
