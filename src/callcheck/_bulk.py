"""Checking many numbers with the same settings: ``check_numbers`` and ``--batch``.

Gives exactly the results of checking each number alone (tests compare the two, and
the JSON lines with ``json.dumps`` of ``to_dict()``); it is only faster, by deciding
once what is the same for many numbers. No I/O here, and nothing the single-number
path imports.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import phonenumbers

from . import _numberplan
from ._advice import display_number
from ._check import _NO_FRAME, _SLOT, _check, _Frame, _shared_frame, normalize_region
from ._numbers import (
    MAX_DIGITS,
    MIN_DIGITS,
    MIN_LEN_FOR_AFFIX,
    Located,
    Match,
    NumberIndex,
    _lookalike,
    index_for,
)
from ._registry import Provider, Registry
from ._results import NumberCheck

# Results kept for repeated inputs (call logs repeat numbers); a result is a few KB at most.
RECENT_SIZE = 4096
# Frames kept per batch: one per kind of match, so few; the bound is for safety.
MAX_FRAMES = 4096

# What ``_numbers.normalize`` drops between the digits of a plain ASCII number (its
# ``_PLAIN`` layout), without the ``+``: what is left must be ``+``? and digits.
_SEPARATORS = str.maketrans("", "", " \t\r\n-.()[]/_~")

_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Stand for the input and the number in a frame's JSON template (private-use characters).
_AFFIX = MIN_LEN_FOR_AFFIX
_INPUT = "\ue001"
_NUMBER = "\ue002"


class _Lined:
    """A shared frame and its JSON line with the input, number and shown number left as
    ``{0}``, ``{1}`` and ``{2}`` (``None``: no template; ``to_dict`` is encoded instead)."""

    __slots__ = ("frame", "risky", "template", "checked")

    def __init__(self, frame: _Frame) -> None:
        self.frame = frame
        self.risky = frame.risk in ("medium", "high")
        self.template = _template(frame)
        self.checked = False


def _template(frame: _Frame) -> str | None:
    probe = frame.result(_INPUT, _NUMBER, _SLOT)
    text = _dumps(probe.to_dict())
    quoted_input, quoted_number = _encode_string(_INPUT), _encode_string(_NUMBER)
    if text.count(_INPUT) != 1 or text.count(_NUMBER) != 1:
        return None
    if text.count(quoted_input) != 1 or text.count(quoted_number) != 1:
        return None
    text = text.replace("{", "{{").replace("}", "}}")
    return text.replace(quoted_input, "{0}").replace(quoted_number, "{1}").replace(_SLOT, "{2}")


class BulkChecker:
    """Checks numbers one after another with settings fixed for the whole batch."""

    def __init__(self, region: str | None, claimed: Provider | None, registry: Registry, lang: str) -> None:
        self.region = region
        self.claimed = claimed
        self.registry = registry
        self.lang = lang
        self.index: NumberIndex = index_for(registry)
        self.expires = registry.expires.timestamp()
        self.frames: dict[tuple[object, ...], _Lined | None] = {}
        self.suffixes = _numberplan.nationals_are_suffixes([r for r in self.index.regions if r != region])
        self.heads, self.tails = self.index.heads, self.index.tails
        self.by_national = self.index.by_national
        self.typos = self.index.typos

    # --- the fast lane -------------------------------------------------------------

    def _fast(self, raw: str) -> tuple[_Lined, str, str] | None:
        """The shared frame of ``raw``, its international key and the number as shown,
        or None when ``raw`` needs the general path (which gives the same result)."""
        text = raw.translate(_SEPARATORS)
        if not text.isascii():
            return None
        if text.isdigit():
            plus = False
            digits = text
        elif text[:1] == "+" and text[1:].isdigit():
            plus = True
            digits = text[1:]
        else:
            return None
        region = self.region
        if not MIN_DIGITS <= len(digits) <= MAX_DIGITS or not (plus or region):
            return None
        reading = _numberplan.read(digits, plus, None if plus else region)
        if reading is None:
            return None
        country_code, national, explicit, valid, short = reading
        key = f"+{country_code}{national}"
        index = self.index
        if key in index.exact:
            return None  # official: few numbers, repeated; the general path
        if (
            region is not None
            and not explicit
            and not valid
            and (index.ends_with_official(digits) or not self.suffixes(digits))
        ):
            return None  # another region's reading might be official
        # Most numbers imitate nothing: ruled out here by the index's tables as
        # _lookalike would (no official number ends, starts or is typed like them).
        full = f"{country_code}{national}"
        heads, tails, by_national = self.heads, self.tails, self.by_national
        if (
            (not explicit or (national not in by_national and full not in by_national))
            and national[:_AFFIX] not in heads
            and full[:_AFFIX] not in heads
            and national[-_AFFIX:] not in tails
            and full[-_AFFIX:] not in tails
            and (
                digits in (national, full) or (digits[:_AFFIX] not in heads and digits[-_AFFIX:] not in tails)
            )
            and (country_code, national) not in self.typos
        ):
            imitated = None
            frame_key: tuple[object, ...] = ("none", valid or short, country_code)
        else:
            imitated = _lookalike(
                digits, Located(country_code, national, explicit, valid, short), self.index, True
            )
            if imitated is None:
                frame_key = ("none", valid or short, country_code)
            else:
                # entries are the registry's, alive as long as this checker
                frame_key = ("lookalike", imitated[0], id(imitated[1][0][1]), valid or short, country_code)
        shown = _numberplan.international_of(country_code, national) or display_number(key)
        expired = time.time() >= self.expires
        try:
            lined = self.frames[frame_key, expired]
        except KeyError:
            located = Located(country_code, national, explicit, valid, short)
            found = (
                Match("none", located)
                if imitated is None
                else Match("lookalike", located, imitated[1], imitated[0])
            )
            lined = self._new_frame((frame_key, expired), found, shown, expired)
        if lined is None:
            return None
        return lined, key, shown

    def _new_frame(
        self, frame_key: tuple[object, ...], found: Match, shown: str, expired: bool
    ) -> _Lined | None:
        if len(self.frames) >= MAX_FRAMES:
            self.frames.clear()
        country_code = found.located.country_code
        number_region = phonenumbers.region_code_for_country_code(country_code)
        frame = _shared_frame(
            found, self.claimed, self.registry, self.region, number_region, self.lang, expired, shown
        )
        lined = self.frames[frame_key] = None if frame is _NO_FRAME else _Lined(frame)
        return lined

    # --- results and lines ---------------------------------------------------------

    def check(self, raw: str) -> NumberCheck:
        fast = self._fast(raw)
        if fast is None:
            return _check(raw, self.region, self.claimed, self.registry, self.lang, bulk=True)
        lined, key, shown = fast
        return lined.frame.result(raw, key, shown)

    def line(self, raw: str) -> tuple[str, bool]:
        """The JSON line of ``raw``'s result and whether it is risky."""
        fast = self._fast(raw)
        if fast is not None:
            lined, key, shown = fast
            template = lined.template
            if template is not None:
                line = template.format(_encode_string(raw), f'"{key}"', _encode_string(shown)[1:-1])
                if lined.checked:
                    return line, lined.risky
                # The first line of each template is checked against to_dict().
                expected = _dumps(lined.frame.result(raw, key, shown).to_dict())
                if line == expected:
                    lined.checked = True
                    return line, lined.risky
                lined.template = None
            result = lined.frame.result(raw, key, shown)
        else:
            result = _check(raw, self.region, self.claimed, self.registry, self.lang, bulk=True)
        return _dumps(result.to_dict()), result.risky

    def results(self, numbers: Iterable[str]) -> Iterator[NumberCheck]:
        return _recent(numbers, self.check)

    def lines(self, numbers: Iterable[str]) -> Iterator[tuple[str, bool]]:
        return _recent(numbers, self.line)


_T = TypeVar("_T")


def _recent(numbers: Iterable[str], work: Callable[[str], _T]) -> Iterator[_T]:
    # A result depends only on the input text and the settings fixed for the whole
    # batch, so a repeated number reuses its result. Two generations of at most
    # RECENT_SIZE inputs each: when the newer is full it becomes the older and the
    # older is dropped, so memory stays bounded and each step is O(1).
    recent: dict[str, _T] = {}
    older: dict[str, _T] = {}
    for number in numbers:
        result = recent.get(number)
        if result is None:
            result = older.get(number)
            if result is None:
                result = work(number)
            if len(recent) >= RECENT_SIZE:
                older, recent = recent, {}
            recent[number] = result
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
