"""Reading input: the blocks of lines ``--batch`` reads are the lines, whatever the line
ends and wherever the blocks are cut."""

from __future__ import annotations

import io
import itertools
import sys
from pathlib import Path

import pytest

from callcheck import _textinput
from callcheck._textinput import open_line_blocks, open_lines

CONTENTS = [
    b"95188\n13800138000\n",
    b"95188\r\n+86 138 0013 8000\r\n\r\n",
    b"95188\r13800138000\r",  # old Mac line ends
    b"95188\n\r\n\r95588",  # mixed, no end on the last line
    b"\xef\xbb\xbf95188\n\xff\xfe bad bytes\n",  # a byte-order mark and undecodable bytes
    b"\n\n\n",
    "国家反诈中心\n９５１８８\n".encode(),
]


@pytest.mark.parametrize("block_chars", [1, 2, 3, 7, 64 * 1024])
@pytest.mark.parametrize("content", CONTENTS)
def test_line_blocks_are_the_lines_without_their_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, block_chars: int
) -> None:
    monkeypatch.setattr(_textinput, "BLOCK_CHARS", block_chars)
    path = tmp_path / "numbers.txt"
    path.write_bytes(content)
    with open_lines(str(path)) as lines:
        expected = [line.rstrip("\r\n") for line in lines]
    with open_line_blocks(str(path)) as blocks:
        got = [line for block in blocks for line in block]
    assert got == expected


def test_line_blocks_of_a_missing_file_are_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(_textinput.InvalidInput), open_line_blocks(str(tmp_path / "nope.txt")):
        pass


# --- hostile input: binary, empty, enormous lines ---------------------------------------


def _blocks_of(path: Path) -> list[str]:
    with open_line_blocks(str(path)) as blocks:
        return [line for block in blocks for line in block]


@pytest.mark.parametrize("block_chars", [3, 64 * 1024])
def test_line_blocks_of_an_empty_file_are_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_chars: int
) -> None:
    monkeypatch.setattr(_textinput, "BLOCK_CHARS", block_chars)
    path = tmp_path / "numbers.txt"
    path.write_bytes(b"")
    with pytest.raises(_textinput.InvalidInput) as caught:
        _blocks_of(path)
    assert caught.value.code == "input.no_lines"
    path.write_bytes(b"\xef\xbb\xbf")  # a byte-order mark alone is no line either
    with pytest.raises(_textinput.InvalidInput, match="nothing to check"):
        _blocks_of(path)


@pytest.mark.parametrize("block_chars", [3, 64 * 1024])
def test_line_blocks_refuse_a_binary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_chars: int
) -> None:
    monkeypatch.setattr(_textinput, "BLOCK_CHARS", block_chars)
    path = tmp_path / "numbers.txt"
    path.write_bytes(b"95188\n" * 100 + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(_textinput.InvalidInput) as caught:
        _blocks_of(path)
    assert caught.value.code == "input.binary"


def test_the_byte_order_mark_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_bytes(b"\xef\xbb\xbf95188\n95588\n")
    assert _blocks_of(path) == ["95188", "95588"]


@pytest.mark.parametrize("block_chars", [1, 7, 64, 64 * 1024])
@pytest.mark.parametrize(
    "content",
    [
        "x" * 250 + "\n95188\n",  # long first line
        "95188\n" + "y" * 100 + "\n" + "z" * 101 + "\r\n95588",  # exactly the limit, and one over
        "95188\n" + "w" * 1000,  # a long last line without an end
        "a" * 100 + "\n" + "b" * 99 + "\r" + "c" * 300,
    ],
    ids=["first", "limit", "last", "cr"],
)
def test_long_lines_are_cut_off_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, block_chars: int
) -> None:
    monkeypatch.setattr(_textinput, "BLOCK_CHARS", block_chars)
    monkeypatch.setattr(_textinput, "MAX_LINE_CHARS", 100)
    path = tmp_path / "numbers.txt"
    path.write_text(content, encoding="utf-8", newline="")
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    expected = [line[:100] for line in (lines[:-1] if lines[-1] == "" else lines)]
    assert _blocks_of(path) == expected  # one result per line, however long
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content.encode("utf-8"))))
    with open_line_blocks("-") as blocks:
        assert [line for block in blocks for line in block] == expected


# --- transcript_pieces: a transcript read in pieces -----------------------------------------


def _pieces_of(path: Path) -> list[str]:
    with _textinput.transcript_pieces(str(path)) as pieces:
        return list(pieces)


TEXTS = [
    "喂，您好。\n我是支付宝客服。\r\n请把验证码报给我\n",
    "no end on the last line",
    "mixed\rends\r\n\r\nand\x0bodd\x0cones\u2028here\x85too\x1c\x1d\x1e",
    "\r" * 5 + "\n" * 5 + "\r\n" * 5 + "x",
    "验证" * 300 + "\n" + "a" * 250,  # lines longer than the limit set below
    "q" * 100 + "\r\nnext\r\n" + "r" * 200 + "\r\n" + "s" * 100 + "\r",  # exactly the limit, twice
]


@pytest.mark.parametrize("read_bytes", [1, 2, 3, 5, 64, 1 << 20])
@pytest.mark.parametrize("text", TEXTS)
def test_pieces_end_where_lines_end_and_join_up_to_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, read_bytes: int
) -> None:
    monkeypatch.setattr(_textinput, "READ_BYTES", read_bytes)
    monkeypatch.setattr(_textinput, "MAX_LINE_CHARS", 100)
    path = tmp_path / "call.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    pieces = _pieces_of(path)
    assert "".join(pieces) == text  # the byte-order mark dropped, nothing else

    def cut(lines: list[str]) -> list[str]:  # as the transcript check cuts long lines
        return [line[i : i + 100] for line in lines for i in range(0, max(len(line), 1), 100)]

    assert cut([line for piece in pieces for line in piece.splitlines()]) == cut(text.splitlines())
    for piece, after in itertools.pairwise(pieces):
        # Each piece ends a line, or is the 100 characters a long line is cut into.
        assert piece.endswith(tuple(_textinput._LINE_ENDS)) or len(piece) == 100
        assert not (piece.endswith("\r") and after.startswith("\n"))  # a "\r\n" is never split


@pytest.mark.parametrize("read_bytes", [1, 2, 7, 1 << 20])
@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "input.empty"),
        (b" \n\t\r\n\xe3\x80\x80\n", "input.empty"),  # blank, an ideographic space too
        (b"\xef\xbb\xbf", "input.empty"),
        ("请把验证码报给我\n".encode() * 10 + b"\x00\x01", "input.binary"),
        (b"\x00" + b"x" * 100, "input.binary"),
    ],
)
def test_pieces_refuse_what_a_whole_read_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, code: str, read_bytes: int
) -> None:
    monkeypatch.setattr(_textinput, "READ_BYTES", read_bytes)
    path = tmp_path / "call.txt"
    path.write_bytes(data)
    with pytest.raises(_textinput.InvalidInput) as whole:
        _textinput.decode_transcript(data)
    with pytest.raises(_textinput.InvalidInput) as streamed:
        _pieces_of(path)
    assert whole.value.code == streamed.value.code == code


@pytest.mark.parametrize("read_bytes", [1, 2, 3, 4, 5, 6, 7, 1 << 20])
@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"\xff", 0),
        ("验证码".encode() + b"\xc7\xeb", 9),
        ("验证码".encode()[:-1] + b"abc", 6),  # a character cut short
        (b"\xef\xbb\xbfok\n\xff", 6),  # offsets count the byte-order mark
        (b"a\n" * 50 + "验".encode()[:2], 100),  # cut short at the very end
    ],
)
def test_not_utf8_names_the_offset_of_the_bad_byte_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, offset: int, read_bytes: int
) -> None:
    monkeypatch.setattr(_textinput, "READ_BYTES", read_bytes)
    path = tmp_path / "call.txt"
    path.write_bytes(data)
    with pytest.raises(_textinput.InvalidInput) as whole:
        _textinput.decode_transcript(data)
    with pytest.raises(_textinput.InvalidInput) as streamed:
        _pieces_of(path)
    assert whole.value.code == streamed.value.code == "input.not_utf8"
    assert whole.value.params["offset"] == streamed.value.params["offset"] == offset


def test_pieces_of_one_enormous_line_are_cut_without_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_textinput, "READ_BYTES", 1000)
    monkeypatch.setattr(_textinput, "MAX_LINE_CHARS", 300)
    path = tmp_path / "call.txt"
    path.write_text("a" * 100_000, encoding="utf-8")
    sizes = [len(piece) for piece in _pieces_of(path)]
    assert sum(sizes) == 100_000
    assert max(sizes) <= 1000 + 300  # one read and what was left of the line before it
    assert sizes[:-1] == [300] * (len(sizes) - 1)


# --- follow_lines: a live transcript ---------------------------------------------------------


def _followed(path: Path) -> list[str]:
    with _textinput.follow_lines(str(path)) as lines:
        return list(lines)


def test_follow_lines_are_the_lines_long_ones_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_textinput, "MAX_LINE_CHARS", 10)
    path = tmp_path / "call.txt"
    path.write_bytes(
        b"\xef\xbb\xbfshort\r\n" + b"x" * 10 + b"\n" + b"y" * 25 + b"\n\n" + b"bad \xff" + b"z" * 20
    )
    assert _followed(path) == [
        "short",
        "x" * 10,  # exactly the limit: one line, no empty one after it
        "y" * 10,
        "y" * 10,
        "y" * 5,
        "",
        "bad \ufffd" + "z" * 5,  # undecodable bytes become U+FFFD on a live call
        "z" * 10,
        "z" * 5,
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "input.empty"), (b"\n \n\t\n", "input.empty"), (b"hello\n\x00\x00\n", "input.binary")],
)
def test_follow_lines_refuse_binary_and_empty_input(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "call.txt"
    path.write_bytes(data)
    with pytest.raises(_textinput.InvalidInput) as caught:
        _followed(path)
    assert caught.value.code == code


def test_a_transcript_longer_than_a_record_can_hold_is_refused_after_reading_only_that_much(
    tmp_path: Path,
) -> None:
    path = tmp_path / "call.txt"
    path.write_text("请把验证码报给我\n" * 100, encoding="utf-8")
    assert _textinput.read_transcript(str(path), 900) == path.read_text("utf-8")
    with pytest.raises(_textinput.InvalidInput, match="longer than 899 characters"):
        _textinput.read_transcript(str(path), 899)
    path.write_bytes(b"x" * 10_000 + b"\xff")  # refused for its size before it is decoded
    with pytest.raises(_textinput.InvalidInput, match="longer than 100 characters"):
        _textinput.read_transcript(str(path), 100)
