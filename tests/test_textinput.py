"""Reading input: the blocks of lines ``--batch`` reads are the lines, whatever the line
ends and wherever the blocks are cut."""

from __future__ import annotations

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
    b"",
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
