"""Checking many numbers with the same settings: ``check_numbers`` and ``--batch``.

Gives exactly the results of checking each number alone (tests compare the two, and
the JSON lines with ``json.dumps`` of ``to_dict()``); it is only faster, by deciding
once what is the same for many numbers. No I/O here, and nothing the single-number
path imports.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import phonenumbers

from . import _numberplan
from ._advice import display_number
from ._check import (
    _NO_FRAME,
    _SLOT,
    _check,
    _Frame,
    _invalid,
    _invalid_frame,
    _shared_frame,
    normalize_region,
)
from ._errors import InvalidNumber
from ._numbers import (
    MAX_DIGITS,
    MIN_DIGITS,
    MIN_LEN_FOR_AFFIX,
    Located,
    Match,
    NumberIndex,
    _lookalike,
    index_for,
    normalize,
)
from ._registry import Provider, Registry
from ._results import NumberCheck

# Inputs remembered, and results kept for those that repeat (call logs repeat numbers),
# per generation of _Recent; a result is a few KB at most.
RECENT_SIZE = 4096
# Frames kept per batch: one per kind of match, so few; the bound is for safety.
MAX_FRAMES = 4096

# What ``_numbers.normalize`` drops between the digits of a plain ASCII number (its
# ``_PLAIN`` layout), without the ``+``: what is left must be ``+``? and digits.
# (Deleting bytes is about three times as fast as ``str.translate``.)
_SEPARATORS = b" \t\r\n-.()[]/_~"

_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Stand for the input and the number in a frame's JSON template (private-use characters).
_AFFIX = MIN_LEN_FOR_AFFIX
_INPUT = "\ue001"
_NUMBER = "\ue002"


class _Lined:
    """A shared frame and its JSON line cut where the input, the number and the shown
    number go: ``pieces`` joined, once those slots are filled, is the line (``pieces``
    None: no template; ``to_dict`` is encoded instead)."""

    __slots__ = ("frame", "make", "risky", "pieces", "input_at", "number_at", "shown_at", "checked")

    def __init__(self, frame: _Frame, numbered: bool = True) -> None:
        self.frame = frame
        self.make = frame.maker()  # frame.result
        self.risky = frame.risk in ("medium", "high")
        self.pieces: list[str] | None = None
        self.input_at = self.number_at = 0
        self.shown_at: tuple[int, ...] = ()
        self.checked = False
        template = _template(frame, numbered)
        if template is not None:
            self.pieces, self.input_at, self.number_at, self.shown_at = template


def _template(frame: _Frame, numbered: bool) -> tuple[list[str], int, int, tuple[int, ...]] | None:
    """The frame's JSON line cut at its slots: the pieces, where the input goes, where
    the number goes (between quotes kept in the pieces; -1 if ``numbered`` is false: the
    number is null) and where the shown number goes."""
    probe = frame.result(_INPUT, _NUMBER if numbered else None, _SLOT)
    text = _dumps(probe.to_dict())
    quoted_input, quoted_number = _encode_string(_INPUT), _encode_string(_NUMBER)
    if text.count(_INPUT) != 1 or text.count(quoted_input) != 1:
        return None
    if text.count(_NUMBER) != numbered or text.count(quoted_number) != numbered:
        return None
    pieces = re.split("(" + "|".join(map(re.escape, (quoted_input, _NUMBER, _SLOT))) + ")", text)
    slots = pieces[1::2]
    input_at = 2 * slots.index(quoted_input) + 1
    number_at = 2 * slots.index(_NUMBER) + 1 if numbered else -1
    shown_at = tuple(2 * i + 1 for i, slot in enumerate(slots) if slot == _SLOT)
    return pieces, input_at, number_at, shown_at


class BulkChecker:
    """Checks numbers one after another with settings fixed for the whole batch."""

    __slots__ = (
        "region",
        "claimed",
        "registry",
        "lang",
        "index",
        "expires",
        "frames",
        "suffixes",
        "exact",
        "heads",
        "tails",
        "typos",
        "official_ends",
        "shortest",
        "reader",
        "national",
        "international",
        "unmatched",
        "invalid",
    )

    def __init__(self, region: str | None, claimed: Provider | None, registry: Registry, lang: str) -> None:
        self.region = region
        self.claimed = claimed
        self.registry = registry
        self.lang = lang
        self.index: NumberIndex = index_for(registry)
        self.expires = registry.expires.timestamp()
        self.frames: dict[tuple[object, ...], _Lined | None] = {}
        self.suffixes = _numberplan.nationals_are_suffixes([r for r in self.index.regions if r != region])
        index = self.index
        self.exact = index.exact
        self.heads, self.tails = index.heads, index.tails
        # Typos of long official numbers by international key (``+<digits>``).
        self.typos = frozenset(f"+{code}{national}" for code, national in index.typos)
        # The last digits every official national number ends with: digits ending
        # otherwise end with none of them.
        shortest = min(index.national_lengths, default=0)
        self.official_ends = frozenset(national[-shortest:] for national in index.nationals)
        self.shortest = shortest
        self.reader = _numberplan.Reader(region)
        self.national, self.international = self.reader.national, self.reader.international
        self.unmatched: dict[tuple[bool, int, bool], _Lined | None] = {}
        self.invalid: dict[tuple[str, bool], _Lined | None] = {}

    def _read(self, digits: str, plus: bool) -> _numberplan.Quick | None:
        # What the reader leaves: _numberplan.read and the layout, one by one.
        reading = _numberplan.read(digits, plus, None if plus else self.region)
        if reading is None:
            return None
        country_code, national, explicit, valid, short = reading
        key = f"+{country_code}{national}"
        shown = _numberplan.international_of(country_code, national) or display_number(key)
        return key, national, country_code, explicit, valid, short, shown

    # --- the fast lane -------------------------------------------------------------

    def _fast(self, raw: str) -> tuple[_Lined, str, str] | None:
        """The shared frame of ``raw``, its international key and the number as shown,
        or None when ``raw`` needs the general path (which gives the same result)."""
        if not raw.isascii():
            return None
        digits = raw if raw.isdigit() else raw.encode().translate(None, _SEPARATORS).decode()
        if digits[:1] == "+":
            digits = digits[1:]
            if not digits.isdigit() or not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
                return None
            quick = self.international(digits) or self._read(digits, True)
        else:
            if not digits.isdigit() or self.region is None or not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
                return None
            quick = self.national(digits) or self._read(digits, False)
        if quick is None:
            return None
        key, national, country_code, explicit, valid, short, shown = quick
        if key in self.exact:
            return None  # official: few numbers, repeated; the general path
        if not explicit and not valid and (self._ends_with_official(digits) or not self.suffixes(digits)):
            return None  # another region's reading might be official
        # Most numbers imitate nothing: ruled out here by the index's tables as
        # _lookalike would. No official number starts like the national number or
        # like the country code and national number (``key[1:]``), none ends like them
        # (``key[-5:]``: only digits in the tails), nor like the digits as written, and
        # none has them as a typo. (An official national number of theirs starts like
        # one.)
        heads = self.heads
        if (
            national[:_AFFIX] in heads
            or key[1 : _AFFIX + 1] in heads
            or key[-_AFFIX:] in self.tails
            or (
                digits != national
                and digits != key[1:]
                and (digits[:_AFFIX] in heads or digits[-_AFFIX:] in self.tails)
            )
            or key in self.typos
        ):
            return self._imitating(digits, quick)
        expired = time.time() >= self.expires
        try:
            lined = self.unmatched[valid or short, country_code, expired]
        except KeyError:
            located = Located(country_code, national, explicit, valid, short)
            lined = self.unmatched[valid or short, country_code, expired] = self._new_frame(
                Match("none", located), shown, expired
            )
        return None if lined is None else (lined, key, shown)

    def _ends_with_official(self, digits: str) -> bool:
        return digits[-self.shortest :] in self.official_ends and self.index.ends_with_official(digits)

    def _imitating(self, digits: str, quick: _numberplan.Quick) -> tuple[_Lined, str, str] | None:
        """``_fast`` for a number that may imitate an official one: _lookalike decides."""
        key, national, country_code, explicit, valid, short, shown = quick
        located = Located(country_code, national, explicit, valid, short)
        imitated = _lookalike(digits, located, self.index, True)
        if imitated is None:
            found = Match("none", located)
            frame_key: tuple[object, ...] = ("none", valid or short, country_code)
        else:
            found = Match("lookalike", located, imitated[1], imitated[0])
            # entries are the registry's, alive as long as this checker
            frame_key = ("lookalike", imitated[0], id(imitated[1][0][1]), valid or short, country_code)
        expired = time.time() >= self.expires
        try:
            lined = self.frames[frame_key, expired]
        except KeyError:
            lined = self.frames[frame_key, expired] = self._new_frame(found, shown, expired)
        return None if lined is None else (lined, key, shown)

    def _new_frame(self, found: Match, shown: str, expired: bool) -> _Lined | None:
        if len(self.frames) + len(self.unmatched) >= MAX_FRAMES:
            self.frames.clear()
            self.unmatched.clear()
        country_code = found.located.country_code
        number_region = phonenumbers.region_code_for_country_code(country_code)
        frame = _shared_frame(
            found, self.claimed, self.registry, self.region, number_region, self.lang, expired, shown
        )
        return None if frame is _NO_FRAME else _Lined(frame)

    def _invalid(self, raw: str) -> tuple[_Lined, None, str] | None:
        """The shared frame of ``raw`` if it is not a number at all (the general path
        would say why in the same words), else None."""
        try:
            normalize(raw)
        except InvalidNumber as exc:
            expired = time.time() >= self.expires
            try:
                lined = self.invalid[exc.code, expired]
            except KeyError:
                lined = self._new_invalid(raw, exc, expired)
            return None if lined is None else (lined, None, repr(raw))
        return None

    def _new_invalid(self, raw: str, exc: InvalidNumber, expired: bool) -> _Lined | None:
        frame = _invalid_frame(exc.code, self.registry, expired, self.lang)
        direct = _invalid(raw, exc, self.registry, expired, self.lang)
        same = exc.number == raw and frame.result(raw, None, repr(raw)) == direct
        lined = self.invalid[exc.code, expired] = _Lined(frame, numbered=False) if same else None
        return lined

    # --- results and lines ---------------------------------------------------------

    def _general(self, raw: str) -> NumberCheck:
        return _check(raw, self.region, self.claimed, self.registry, self.lang, bulk=True)

    def check(self, raw: str) -> NumberCheck:
        fast = self._fast(raw) or self._invalid(raw)
        if fast is None:
            return self._general(raw)
        lined, key, shown = fast
        return lined.make(raw, key, shown)

    def line(self, raw: str) -> tuple[str, bool]:
        """The JSON line of ``raw``'s result and whether it is risky."""
        fast = self._fast(raw) or self._invalid(raw)
        if fast is not None:
            lined, key, shown = fast
            pieces = lined.pieces
            if pieces is not None:
                # The template's slots filled (the list is reused; no other line is
                # being made from it meanwhile).
                pieces[lined.input_at] = _encode_string(raw)
                if key is not None:
                    pieces[lined.number_at] = key
                escaped = _encode_string(shown)[1:-1]
                for i in lined.shown_at:
                    pieces[i] = escaped
                line = "".join(pieces)
                if lined.checked:
                    return line, lined.risky
                # The first line of each template is checked against to_dict().
                expected = _dumps(lined.frame.result(raw, key, shown).to_dict())
                if line == expected:
                    lined.checked = True
                    return line, lined.risky
                lined.pieces = None
            result = lined.frame.result(raw, key, shown)
        else:
            result = self._general(raw)
        return _dumps(result.to_dict()), result.risky

    def results(self, numbers: Iterable[str]) -> Iterator[NumberCheck]:
        return _Recent(self.check).each(numbers)

    def lines(self, numbers: Iterable[str]) -> Iterator[tuple[str, bool]]:
        return _Recent(self.line).each(numbers)


_T = TypeVar("_T")


# Stands for an input seen once, whose result was not kept.
_SEEN: Any = object()


class _Recent(Generic[_T]):
    """Results of repeated inputs, for reuse: a result depends only on the input text
    and the settings fixed for the whole batch.

    Two generations of at most RECENT_SIZE inputs each: when the newer is full it
    becomes the older and the older is dropped, so memory stays bounded and each step
    is O(1). A result is kept only once its input comes a second time: most numbers
    in a call log come once, and results kept for them all would each live through
    thousands of numbers, long enough for the garbage collector to move them to its
    oldest generation and then walk every object the process has, again and again
    (~2.4 us per number over a million numbers).
    """

    __slots__ = ("recent", "older", "work")

    def __init__(self, work: Callable[[str], _T]) -> None:
        self.work = work
        self.recent: dict[str, Any] = {}
        self.older: dict[str, Any] = {}

    def each(self, numbers: Iterable[str]) -> Iterator[_T]:
        """The result of each number, in order."""
        recent, older, work = self.recent, self.older, self.work
        for number in numbers:
            kept = recent.get(number)
            if kept is None:
                kept = older.get(number)
                if kept is None or kept is _SEEN:
                    result = work(number)
                    kept = _SEEN if kept is None else result
                else:
                    result = kept
                if len(recent) >= RECENT_SIZE:
                    self.older = older = recent
                    self.recent = recent = {}
                recent[number] = kept
            elif kept is _SEEN:
                result = recent[number] = work(number)
            else:
                result = kept
            yield result


def json_lines(
    numbers: Iterable[str],
    *,
    region: str | None = None,
    claims: str | None = None,
    registry: Registry,
    lang: str | None = None,
) -> Iterator[tuple[str, bool]]:
    """For each number, lazily and in order: the JSON of its :func:`check_numbers`
    result's ``to_dict()`` (``ensure_ascii=False``, no spaces) and whether it is risky.

    Raises:
        InvalidInput: ``region`` or ``claims`` is not known.
    """
    region = normalize_region(region)
    claimed = registry.resolve(claims) if claims is not None else None
    return BulkChecker(region, claimed, registry, lang or "en").lines(numbers)


def json_line_blocks(
    blocks: Iterable[list[str]],
    *,
    region: str | None = None,
    claims: str | None = None,
    registry: Registry,
    lang: str | None = None,
) -> Iterator[tuple[list[str], bool]]:
    """For each list of numbers, lazily and in order: their lines as :func:`json_lines`
    gives them, and whether any of them is risky. Fewer steps per number than
    :func:`json_lines`, for ``--batch``.

    Raises:
        InvalidInput: ``region`` or ``claims`` is not known.
    """
    region = normalize_region(region)
    claimed = registry.resolve(claims) if claims is not None else None
    recent = _Recent(BulkChecker(region, claimed, registry, lang or "en").line)
    for numbers in blocks:
        lines: list[str] = []
        append = lines.append
        risky = False
        for line, line_risky in recent.each(numbers):
            append(line)
            if line_risky:
                risky = True
        yield lines, risky
