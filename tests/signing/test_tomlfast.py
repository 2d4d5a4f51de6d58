"""The fast reader of compiled registries reads exactly what tomllib reads, or declines."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from callcheck import _tomlfast
from callcheck._loading import EMBEDDED_PATH
from tests.conftest import examples

_keys = st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True)
_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)).map(lambda d: d.replace(microsecond=0)),
)
_values = st.one_of(_scalars, st.lists(st.text(max_size=10), max_size=3))
_leaf_tables = st.dictionaries(_keys, _values, max_size=4)
_tables = st.dictionaries(
    _keys,
    st.one_of(_values, _leaf_tables, st.lists(_leaf_tables, min_size=1, max_size=3)),
    max_size=5,
)
_documents = st.dictionaries(
    _keys, st.one_of(_values, _tables, st.lists(_tables, min_size=1, max_size=3)), max_size=5
)


def test_shipped_registry_reads_the_same_as_with_tomllib() -> None:
    text = EMBEDDED_PATH.read_text("utf-8")
    fast = _tomlfast.loads(text)
    assert fast is not None, "the shipped registry should take the fast path"
    assert fast == tomllib.loads(text)


@examples(3)
@given(_documents)
def test_anything_tomli_w_writes_reads_the_same(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    fast = _tomlfast.loads(text)
    assert fast is None or fast == tomllib.loads(text)


@examples(3)
@given(st.text(alphabet='ab=[]."\\ \n#1-:TZ+0{}', max_size=60))
def test_never_reads_what_tomllib_refuses_or_reads_differently(text: str) -> None:
    fast = _tomlfast.loads(text)
    if fast is None:
        return
    assert fast == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = "x"\na = "y"\n',  # a key twice
        "[t]\nx = 1\n[t]\ny = 2\n",  # a table twice
        "a = []\n[[a]]\n",  # appending to a static array
        'a = "\\ud800"\n',  # a surrogate escape
        "a = 2026-02-30\n",  # no such date
        'a = "x" # comment\n',
        "a = 1.5\n",
        "a = { b = 1 }\n",
        'a = "x"\r\nb = 1\r\n',  # Windows line ends
        "a = 1\n[a.b]\n",  # a table inside a key's value
        'a = "x"\n[a.b]\n',
        "a = 1\n[a.b.c]\n",
        "a = 1\n[[a]]\n",
        "a = [\n    1,\n]\n[a.b]\n",
        "[a.b]\n[a]\n",  # a table defined after its sub-table: valid, but not tomli_w's
    ],
)
def test_declines_what_it_does_not_handle(text: str) -> None:
    assert _tomlfast.loads(text) is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a = 1\nb = 2\na = 3\n", 3, "line 3: 'a' is defined twice"),
        ("[t]\nx = 1\n\n[t]\n", 4, "line 4: 't' is defined twice"),
        ("x = 1\n[x.y]\n", 2, "line 2: 'x' is defined twice"),
        ("[[t]]\n[t.u.v.w.z]\n", 2, f"line 2: a table nested more than {_tomlfast.MAX_DEPTH} deep"),
        ("a = [\n    1,\n    x,\n]\n", 3, "line 3: not in the layout 'callcheck registry build' writes"),
        ("a = [\n    1,\n", 2, "line 2: not in the layout 'callcheck registry build' writes"),
        ("a = 2026-02-30\n", 1, "line 1: not in the layout 'callcheck registry build' writes"),
    ],
)
def test_read_names_the_line_and_the_reason_it_declines(text: str, line: int, message: str) -> None:
    with pytest.raises(_tomlfast.Declined) as caught:
        _tomlfast.read(text)
    assert caught.value.line == line
    assert str(caught.value) == message
    assert caught.value.message("zh").startswith(f"第 {line} 行：")


@pytest.mark.parametrize(
    "text",
    [
        "# a comment with \x01 in it\na = 1\n",
        'a = "bell \x07"\n',
        'a = "delete \x7f"\n',
        'a = "carriage\rreturn"\n',
        'a = [\n    "x\x00",\n]\n',
    ],
)
def test_declines_control_characters_tomllib_refuses(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    assert _tomlfast.loads(text) is None


@pytest.mark.parametrize(
    "text",
    ['a = "tab\there"\n', 'a = "no\u00a0break"\n', 'a = "zero\u200bwidth"\n', "# tab\tin a comment\na = 1\n"],
)
def test_reads_characters_that_need_a_closer_look_as_tomllib_does(text: str) -> None:
    assert _tomlfast.loads(text) == tomllib.loads(text)


@examples(3)
@given(st.text(alphabet='a="[]\n #\t\x00\x01\x1f\x7f\r\u00a0\u200b\\', max_size=40))
def test_with_control_characters_never_reads_what_tomllib_reads_differently(text: str) -> None:
    fast = _tomlfast.loads(text)
    if fast is not None:
        assert fast == tomllib.loads(text)
