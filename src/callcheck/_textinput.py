"""Reading a transcript or a list of numbers from a file or standard input, with clear errors.

Decides what counts as usable text (UTF-8, not binary, not empty) and keeps memory
bounded however large the input; never sends anything anywhere.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from ._errors import InvalidInput, Message, Text, os_reason

# The longest line read as one line. A longer line (a file that is one enormous line,
# say) is read in pieces of this many characters: as several lines by the transcript
# check, and cut off there by ``--batch``. No utterance or phone number comes near it.
MAX_LINE_CHARS = 64 * 1024

# Bytes read at a time by transcript_pieces: what a transcript costs in memory at most,
# a few times over, however large it is.
READ_BYTES = 1024 * 1024

# Characters read from a file at a time by open_line_blocks.
BLOCK_CHARS = 16 * 1024

_BOM = b"\xef\xbb\xbf"
# Where str.splitlines ends a line, which is what the transcript check reads as a line.
_LINE_ENDS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


@contextlib.contextmanager
def _reading(name: str | Message) -> Iterator[None]:
    """Turn the ways opening or reading a file fails into one-line input errors naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InvalidInput("input.no_such_file", name=name) from None
    except PermissionError:
        raise InvalidInput("input.permission_denied", name=name) from None
    except IsADirectoryError:
        raise InvalidInput("input.is_a_directory", name=name) from None
    except OSError as exc:
        raise InvalidInput("file.cannot_read", path=name, reason=os_reason(exc)) from None


def _name(source: str) -> str | Message:
    return Text("input.stdin") if source == "-" else source


@contextlib.contextmanager
def _open_binary(source: str) -> Iterator[BinaryIO]:
    """The bytes of ``source`` (a path, or ``-`` for standard input, left open after)."""
    if source == "-":
        yield sys.stdin.buffer
        return
    with contextlib.ExitStack() as opened:
        with _reading(source):  # opening, not what the caller does with the file
            if os.path.isdir(source):
                raise IsADirectoryError(source)
            fh = opened.enter_context(open(source, "rb"))
        yield fh


def read_transcript(source: str, max_chars: int) -> str:
    """The text of ``source`` (a path, or ``-`` for standard input), at most ``max_chars``
    characters of it; no more than is needed to tell is read.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable, or the
            content is binary, not UTF-8, longer than ``max_chars`` or empty.
    """
    name = _name(source)
    limit = len(_BOM) + 4 * max_chars  # UTF-8 takes at most 4 bytes a character
    with _open_binary(source) as stream, _reading(name):
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput("input.too_large", name=name, limit=max_chars)
    text = decode_transcript(data, name)
    if len(text) > max_chars:
        raise InvalidInput("input.too_large", name=name, limit=max_chars)
    return text


def decode_transcript(data: bytes, name: str | Message | None = None) -> str:
    """Decode transcript bytes as UTF-8 text, refusing binary data.

    ``name`` says where they came from in an error (default: "input").

    Raises:
        InvalidInput: the bytes are binary (hold a NUL byte), not UTF-8 (the error
            gives the offset of the first bad byte) or only blank space.
    """
    if name is None:
        name = Text("input.input")
    if b"\x00" in data:
        raise InvalidInput("input.binary", name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # utf-8-sig counts from after a byte-order mark; the offset is the file's.
        offset = exc.start + (len(_BOM) if data.startswith(_BOM) else 0)
        raise InvalidInput("input.not_utf8", name=name, offset=offset) from None
    if not text.strip():
        raise InvalidInput("input.empty", name=name)
    return text


@contextlib.contextmanager
def transcript_pieces(source: str) -> Iterator[Iterator[str]]:
    """The text of ``source`` (a path, or ``-`` for standard input) in pieces of whole
    lines, about :data:`READ_BYTES` at a time, for a transcript too large to hold.

    Checked as :func:`decode_transcript` checks a whole text, as far as it is read.
    A piece ends where a line ends, except the pieces of a line longer than
    :data:`MAX_LINE_CHARS`, given :data:`MAX_LINE_CHARS` characters at a time, which
    is where the transcript check cuts such a line: reading the pieces one after the
    other gives the verdict reading the whole text gives.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable; and while the
            pieces are read: the content is binary, not UTF-8 or empty.
    """
    with _open_binary(source) as stream:
        yield _pieces(stream, _name(source))


def _pieces(stream: BinaryIO, name: str | Message) -> Iterator[str]:
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()  # strict: bad bytes are an error
    offset = 0  # of the next byte read, in the input
    carried = ""  # the start of a line whose end is still to come
    seen_text = False
    first = True
    while True:
        with _reading(name):
            data = stream.read(READ_BYTES)
            while first and 0 < len(data) < len(_BOM) and (more := stream.read(READ_BYTES)):
                data += more  # enough to tell a byte-order mark
        final = not data
        start = offset
        offset += len(data)
        if first:
            first = False
            if data.startswith(_BOM):
                data = data[len(_BOM) :]
                start += len(_BOM)
        if b"\x00" in data:
            raise InvalidInput("input.binary", name=name)
        pending = len(decoder.getstate()[0])  # bytes of a character cut off by the last read
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            raise InvalidInput("input.not_utf8", name=name, offset=start - pending + exc.start) from None
        if not seen_text and text and not text.isspace():
            seen_text = True
        text = carried + text
        if final:
            if text:
                yield text
            break
        # Up to the last line end; a "\r" at the very end may be half of a "\r\n".
        before = len(text) - 1 if text.endswith("\r") else len(text)
        cut = max(text.rfind(end, 0, before) for end in _LINE_ENDS) + 1
        if cut:
            yield text[:cut]
        carried = text[cut:]
        # A line known to go on past the limit (a "\r" held back may yet end it just
        # there) is cut where the transcript check would cut it.
        while len(carried) > MAX_LINE_CHARS + carried.endswith("\r"):
            yield carried[:MAX_LINE_CHARS]
            carried = carried[MAX_LINE_CHARS:]
    if not seen_text:
        raise InvalidInput("input.empty", name=name)


@contextlib.contextmanager
def open_lines(source: str) -> Iterator[TextIO]:
    """A text stream of ``source`` (a path, or ``-`` for standard input) to read lines
    from as they come, with universal line ends.

    Undecodable bytes become U+FFFD, so one bad line gives one bad result rather
    than stopping a batch or a live call; a byte-order mark at the start is dropped.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable.
    """
    if source != "-":
        with contextlib.ExitStack() as opened:
            with _reading(source):  # opening, not what the caller does with the file
                if os.path.isdir(source):
                    raise IsADirectoryError(source)
                fh = opened.enter_context(open(source, encoding="utf-8-sig", errors="replace"))
            yield fh
        return
    import io

    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace", newline=None)
    try:
        yield stream
    finally:
        stream.detach()  # leave standard input itself open


@contextlib.contextmanager
def follow_lines(source: str) -> Iterator[Iterator[str]]:
    """The lines of ``source`` (a path, or ``-`` for standard input) without their ends,
    each as soon as it is read, for a live call.

    Undecodable bytes become U+FFFD. A line longer than :data:`MAX_LINE_CHARS` comes
    in pieces of that many characters, as the transcript check cuts it.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable; and while the
            lines are read: the content is binary, or there was no text at all.
    """
    name = _name(source)
    with open_lines(source) as stream:
        yield _live_lines(stream, name)


def _live_lines(stream: TextIO, name: str | Message) -> Iterator[str]:
    cut = False  # the last piece was cut off a longer line: a line end next ends that line
    seen_text = False
    while True:
        with _reading(name):
            line = stream.readline(MAX_LINE_CHARS)
        if not line:
            break
        if "\x00" in line:
            raise InvalidInput("input.binary", name=name)
        if cut and line == "\n":
            cut = False
            continue
        ended = line.endswith("\n")
        cut = not ended
        if ended:
            line = line[:-1]
        if not seen_text and line and not line.isspace():
            seen_text = True
        yield line
    if not seen_text:
        raise InvalidInput("input.empty", name=name)


@contextlib.contextmanager
def open_line_blocks(source: str) -> Iterator[Iterator[list[str]]]:
    """The lines of ``source`` (a path, or ``-`` for standard input) without their
    ends, in lists: from a file one list per block of about BLOCK_CHARS characters,
    from standard input one list per line, as soon as it comes. The same lines as
    :func:`open_lines`, less ``"\r\n"`` at their ends, and each cut off after
    :data:`MAX_LINE_CHARS` characters (the rest of such a line is skipped unread).

    Raises:
        InvalidInput: the path is missing, a directory or unreadable; and while the
            lines are read: the content is binary, or there are no lines at all.
    """
    name = _name(source)
    with open_lines(source) as stream:
        yield _stdin_blocks(stream, name) if source == "-" else _blocks(stream, name)


def _stdin_blocks(stream: TextIO, name: str | Message) -> Iterator[list[str]]:
    dropping = False  # in a line longer than MAX_LINE_CHARS: skip the rest of it
    any_line = False
    while True:
        with _reading(name):
            line = stream.readline(MAX_LINE_CHARS)
        if not line:
            break
        if "\x00" in line:
            raise InvalidInput("input.binary", name=name)
        ended = line.endswith("\n")
        if dropping:
            dropping = not ended
            continue
        dropping = not ended and len(line) == MAX_LINE_CHARS
        any_line = True
        yield [line[:-1] if ended else line]
    if not any_line:
        raise InvalidInput("input.no_lines", name=name)


def _blocks(stream: TextIO, name: str | Message) -> Iterator[list[str]]:
    # Universal newlines: every line end reads as "\n" (also a "\r\n" split between
    # two reads), so splitting on "\n" gives the lines that iterating gives.
    carried = ""
    dropping = False  # in a line longer than MAX_LINE_CHARS: skip the rest of it
    any_line = False
    while True:
        with _reading(name):
            text = stream.read(BLOCK_CHARS)
        if not text:
            break
        if "\x00" in text:
            raise InvalidInput("input.binary", name=name)
        if dropping:
            end = text.find("\n")
            if end < 0:
                continue
            text = text[end:]  # the line end closes the line carried, cut off already
            dropping = False
        lines = (carried + text).split("\n")
        carried = lines.pop()
        if len(carried) > MAX_LINE_CHARS:
            carried = carried[:MAX_LINE_CHARS]
            dropping = True
        if lines:
            if max(map(len, lines)) > MAX_LINE_CHARS:
                lines = [line[:MAX_LINE_CHARS] for line in lines]
            any_line = True
            yield lines
    if carried:
        yield [carried]
    elif not any_line:
        raise InvalidInput("input.no_lines", name=name)
