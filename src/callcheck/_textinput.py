"""Reading a transcript from a file or standard input, with clear errors.

Decides what counts as usable text (UTF-8, not binary, not empty); never sends
anything anywhere.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from ._errors import InvalidInput, Message, Text, os_reason

MAX_TRANSCRIPT_BYTES = 256 * 1024 * 1024  # read whole; bigger inputs should be streamed with --follow


@contextlib.contextmanager
def _reading(name: str | Message) -> Iterator[None]:
    """Turn the ways opening a file fails into one-line input errors naming it."""
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


def read_transcript(source: str) -> str:
    """The text of ``source`` (a path, or ``-`` for standard input).

    Raises:
        InvalidInput: the path is missing, a directory or unreadable, or the
            content is binary, not UTF-8, too large or empty.
    """
    name = Text("input.stdin") if source == "-" else source
    with _reading(name):
        if source == "-":
            data = sys.stdin.buffer.read(MAX_TRANSCRIPT_BYTES + 1)
        else:
            if os.path.isdir(source):
                raise IsADirectoryError(source)
            with open(source, "rb") as fh:
                data = fh.read(MAX_TRANSCRIPT_BYTES + 1)
    return decode_transcript(data, name)


def decode_transcript(data: bytes, name: str | Message | None = None) -> str:
    """Decode transcript bytes as UTF-8 text, refusing binary data.

    ``name`` says where they came from in an error (default: "input").
    """
    if name is None:
        name = Text("input.input")
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise InvalidInput("input.too_large", name=name, limit=MAX_TRANSCRIPT_BYTES // (1024 * 1024))
    if b"\x00" in data:
        raise InvalidInput("input.binary", name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("input.not_utf8", name=name, offset=exc.start) from None
    if not text.strip():
        raise InvalidInput("input.empty", name=name)
    return text


def open_transcript(source: str) -> TextIO:
    """A text stream of ``source`` (a path, or ``-`` for standard input) to read
    line by line; undecodable bytes become U+FFFD rather than stopping a live call.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable.
    """
    if source == "-":
        return sys.stdin
    with _reading(source):
        if os.path.isdir(source):
            raise IsADirectoryError(source)
        return open(source, encoding="utf-8", errors="replace")
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def open_lines(source: str) -> Iterator[Iterator[str]]:
    """The lines of ``source`` (a path, or ``-`` for standard input), read as they come.

    Undecodable bytes become U+FFFD, so one bad line gives one bad result rather
    than stopping a batch.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable.
    """
    if source != "-":
        with open_transcript(source) as fh:
            yield fh
        return
    import io

    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    try:
        yield stream
    finally:
        stream.detach()  # leave standard input itself open


# Characters read from a file at a time by open_line_blocks.
BLOCK_CHARS = 16 * 1024


@contextlib.contextmanager
def open_line_blocks(source: str) -> Iterator[Iterator[list[str]]]:
    """The lines of ``source`` (a path, or ``-`` for standard input) without their
    ends, in lists: from a file one list per block of about BLOCK_CHARS characters,
    from standard input one list per line, as soon as it comes. The same lines as
    :func:`open_lines`, less ``"\r\n"`` at their ends.

    Raises:
        InvalidInput: the path is missing, a directory or unreadable.
    """
    if source == "-":
        with open_lines(source) as lines:
            yield ([line.rstrip("\r\n")] for line in lines)
        return
    with open_transcript(source) as fh:
        yield _blocks(fh)


def _blocks(stream: TextIO) -> Iterator[list[str]]:
    # Universal newlines: every line end reads as "\n" (also a "\r\n" split between
    # two reads), so splitting on "\n" gives the lines that iterating gives.
    carried = ""
    while text := stream.read(BLOCK_CHARS):
        lines = (carried + text).split("\n")
        carried = lines.pop()
        yield lines
    if carried:
        yield [carried]
