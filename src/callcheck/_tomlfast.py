"""The reader of signed registries: the TOML layout ``registry build`` writes (tomli_w's).

It accepts only that narrow layout (one ``key = value`` per line, ``[table]`` and
``[[array]]`` headers, arrays one item per line) and declines anything else, naming the
line: it never guesses, and what it reads, tomllib reads the same. A key or table
defined twice is declined, never read last-wins. Its work is linear in the text and
what it builds is bounded (:data:`MAX_DEPTH`, :data:`MAX_TABLES`), which is why signed
registries are read with it alone: tomllib takes time quadratic in the length of a
dotted key and recurses into nested arrays. It only ever reads bytes whose signature
has already been verified.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ._errors import Message
from ._messages import EN

MAX_DEPTH = 4  # keys in a table header; the registry's deepest is [providers.contact.app_path]
MAX_TABLES = 50_000  # table headers in a document; the shipped registry has ~450

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


class Declined(ValueError, Message):
    """The text is not a document this reader reads: catalogued text naming the line
    (from 1) and the reason (``toml.*``), to be said in either language."""

    def __init__(self, line: int, code: str, params: dict[str, object]) -> None:
        if code not in EN:  # fail where it is made, not when it is shown
            raise KeyError(code)
        self.line = line
        self.code = code
        self.params = {"line": line, **params}
        super().__init__(self.message("en"))


class _Unsupported(Exception):
    """The current line is outside the layout this reader handles (or breaks a rule)."""

    def __init__(self, code: str = "toml.layout", **params: object) -> None:
        self.code = code
        self.params = params


def loads(text: str) -> dict[str, Any] | None:
    """The document in ``text``, or None if :func:`read` declines it."""
    try:
        return read(text)
    except Declined:
        return None


def read(text: str) -> dict[str, Any]:
    """The document in ``text``.

    Raises:
        Declined: it is not in tomli_w's plain layout, defines something twice, or
            exceeds :data:`MAX_DEPTH` or :data:`MAX_TABLES`.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    rest = iter(lines)
    try:
        return _loads(rest)
    except (_Unsupported, ValueError, OverflowError) as exc:  # ValueError: no such date, say
        # The line at fault is the last one taken: count what was not (only on failure).
        line = len(lines) - sum(1 for _ in rest)
        if isinstance(exc, _Unsupported):
            raise Declined(line, exc.code, exc.params) from None
        raise Declined(line, "toml.layout", {}) from None


def _loads(rest: Any) -> dict[str, Any]:
    root: dict[str, Any] = {}
    table = root
    # The arrays made by [[...]] headers (by id), as opposed to static ``key = [...]``,
    # and the tables a header defined (by id), as opposed to those made on the way to one.
    arrays: set[int] = set()
    defined: set[int] = set()
    tables = 0
    keys: set[str] = set()  # the keys seen so far that are bare keys; most repeat
    headers: dict[str, tuple[bool, list[str]]] = {}  # header line -> parsed, for the same reason
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
            tables += 1
            if tables > MAX_TABLES:
                raise _Unsupported("toml.too_many_tables", limit=MAX_TABLES)
            table = _open(root, header, arrays, defined)
            continue
        key, _, raw = line.partition(" = ")
        if not raw:
            raise _Unsupported
        if key not in keys:
            if _BARE_KEY.fullmatch(key) is None:
                raise _Unsupported
            keys.add(key)
        if key in table:
            raise _Unsupported("toml.twice", name=key)
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
    path = header.group(2).split(".")
    if len(path) > MAX_DEPTH:
        raise _Unsupported("toml.too_deep", limit=MAX_DEPTH)
    return header.group(1) == "[[", path


def _open(
    root: dict[str, Any], header: tuple[bool, list[str]], arrays: set[int], defined: set[int]
) -> dict[str, Any]:
    is_array, path = header
    table = root
    for i, part in enumerate(path[:-1]):
        node = table.setdefault(part, {})  # a table named only by its sub-tables
        if isinstance(node, list):
            if id(node) not in arrays:
                raise _Unsupported("toml.twice", name=".".join(path[: i + 1]))  # a static array
            node = node[-1]
        elif type(node) is not dict:
            raise _Unsupported("toml.twice", name=".".join(path[: i + 1]))  # a key's value
        table = node
    last = path[-1]
    new: dict[str, Any] = {}
    if is_array:
        if last in table:
            node = table[last]
            if id(node) not in arrays:
                raise _Unsupported("toml.twice", name=".".join(path))  # a key or a table
        else:
            node = table[last] = []
            arrays.add(id(node))
        node.append(new)
        return new
    if last in table:
        node = table[last]
        if type(node) is dict and id(node) not in defined:
            # Made on the way to a sub-table and defined only now: valid TOML, but
            # not what tomli_w writes.
            raise _Unsupported
        raise _Unsupported("toml.twice", name=".".join(path))
    table[last] = new
    defined.add(id(new))
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
