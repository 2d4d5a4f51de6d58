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
_BARE_KEY = re.compile(_KEY)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
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
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    root: dict[str, Any] = {}
    table = root
    # The arrays made by [[...]] headers (by id), as opposed to static ``key = [...]``.
    # Whatever TOML forbids (a table or key defined twice, appending to a static
    # array) is left to tomllib to report.
    arrays: set[int] = set()
    keys: set[str] = set()  # the keys seen so far that are bare keys; most repeat
    headers: dict[str, tuple[bool, list[str]]] = {}  # header line -> parsed, for the same reason
    rest = iter(lines)
    for line in rest:
        if not line:
            continue
        if line[0] == "#":
            if _CONTROL.search(line):  # TOML allows none but tab, even in comments
                raise _Unsupported
            continue
        if line[0] == "[":
            header = headers.get(line)
            if header is None:
                header = headers[line] = _header(line)
            table = _open(root, header, arrays)
            continue
        key, _, raw = line.partition(" = ")
        if not raw:
            raise _Unsupported
        if key not in keys:
            if _BARE_KEY.fullmatch(key) is None:
                raise _Unsupported
            keys.add(key)
        if key in table:
            raise _Unsupported
        if raw == "[":
            items: list[Any] = []
            for item in rest:
                if item == "]":
                    break
                if item[:4] != "    " or item[-1:] != ",":
                    raise _Unsupported
                items.append(_value(item[4:-1]))
            else:
                raise _Unsupported  # the text ended inside the array
            table[key] = items
        elif raw == "[]":
            table[key] = []
        else:
            table[key] = _value(raw)
    return root


def _header(line: str) -> tuple[bool, list[str]]:
    """Whether ``line`` opens an array of tables (``[[...]]``), and the dotted path it names."""
    header = _HEADER.fullmatch(line)
    if header is None or len(header.group(1)) != len(header.group(3)):
        raise _Unsupported
    return header.group(1) == "[[", header.group(2).split(".")


def _open(root: dict[str, Any], header: tuple[bool, list[str]], arrays: set[int]) -> dict[str, Any]:
    is_array, path = header
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
    if is_array:
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
        body = raw[1:-1]
        if raw[-1] == '"' and len(raw) > 1 and body.isprintable() and '"' not in body and "\\" not in body:
            return body  # no escapes, no control characters: nothing to check or decode

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
