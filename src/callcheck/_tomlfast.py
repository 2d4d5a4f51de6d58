"""A fast reader for the TOML layout that ``registry build`` writes (tomli_w's output).

``tomllib`` took ~40 ms to read the shipped registry, most of a cold start. This
reader accepts only the narrow layout tomli_w writes (one ``key = value`` per line,
``[table]`` and ``[[array]]`` headers, arrays one item per line) and returns None
for anything else, so the caller falls back to ``tomllib``: it never guesses. It
only ever reads bytes whose signature has already been verified.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_KEY = r"[A-Za-z0-9_-]+"
_HEADER = re.compile(rf"(\[\[?)({_KEY}(?:\.{_KEY})*)(\]\]?)")
_PAIR = re.compile(rf"({_KEY}) = (.+)")
# A basic string: no raw control characters, only TOML's escapes.
_STRING = re.compile(
    r'"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*)"'
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}:[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?"
)


class _Unsupported(Exception):
    """The text is outside the layout this reader handles."""


def loads(text: str) -> dict[str, Any] | None:
    """The document in ``text``, or None if it is not in tomli_w's plain layout."""
    try:
        return _loads(text)
    except (_Unsupported, ValueError, OverflowError):
        return None


def _loads(text: str) -> dict[str, Any]:
    root: dict[str, Any] = {}
    table = root
    # The arrays made by [[...]] headers (by id), as opposed to static ``key = [...]``.
    # Whatever TOML forbids (a table or key defined twice, appending to a static
    # array) is left to tomllib to report.
    arrays: set[int] = set()
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line or line.startswith("#"):
            continue
        if line[0] == "[":
            table = _open(root, line, arrays)
            continue
        pair = _PAIR.fullmatch(line)
        if pair is None:
            raise _Unsupported
        key, raw = pair.groups()
        if key in table:
            raise _Unsupported
        if raw == "[":
            items: list[Any] = []
            while True:
                if i >= len(lines):
                    raise _Unsupported
                item = lines[i]
                i += 1
                if item == "]":
                    break
                if not item.startswith("    ") or not item.endswith(","):
                    raise _Unsupported
                items.append(_value(item[4:-1]))
            table[key] = items
        elif raw == "[]":
            table[key] = []
        else:
            table[key] = _value(raw)
    return root


def _open(root: dict[str, Any], line: str, arrays: set[int]) -> dict[str, Any]:
    header = _HEADER.fullmatch(line)
    if header is None or len(header.group(1)) != len(header.group(3)):
        raise _Unsupported
    path = header.group(2).split(".")
    table = root
    for part in path[:-1]:
        node = table.setdefault(part, {})  # a table named only by its sub-tables
        if isinstance(node, list):
            if id(node) not in arrays:
                raise _Unsupported  # a static array, not an array of tables
            node = node[-1]
        table = node
    last = path[-1]
    new: dict[str, Any] = {}
    if header.group(1) == "[[":
        if last in table:
            node = table[last]
            if id(node) not in arrays:
                raise _Unsupported  # a key or a table of that name, not an array of tables
        else:
            node = table[last] = []
            arrays.add(id(node))
        node.append(new)
        return new
    if last in table:
        # Defined twice, or defined after its sub-tables: tomllib decides.
        raise _Unsupported
    table[last] = new
    return new


def _value(raw: str) -> Any:
    if raw[0] == '"':
        match = _STRING.fullmatch(raw)
        if match is None:
            raise _Unsupported
        body = match.group(1)
        return _ESCAPE.sub(_unescape, body) if "\\" in body else body
    if raw == "true":
        return True
    if raw == "false":
        return False
    if _INT.fullmatch(raw):
        return int(raw)
    if _DATE.fullmatch(raw):
        return dt.date.fromisoformat(raw)
    stamp = _DATETIME.fullmatch(raw)
    if stamp is not None:
        date, time, offset = stamp.groups()
        if offset == "Z":
            offset = "+00:00"
        return dt.datetime.fromisoformat(f"{date}T{time}{offset or ''}")
    raise _Unsupported


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    if code is not None:
        value = int(code, 16)
        if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
            raise _Unsupported
        return chr(value)
    return _SIMPLE_ESCAPES[match.group(3)]
