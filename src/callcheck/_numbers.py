"""Reading phone numbers the way people see them, and matching them to official ones.

Normalising turns what a phone shows (full-width digits, dashes, ``0086``) into
digits; locating finds the country code and national number; matching compares
them with the registry. Nothing here sends a number anywhere.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import phonenumbers

from ._errors import InvalidNumber
from ._registry import OfficialNumber, Provider, Registry

MIN_DIGITS = 3
MAX_DIGITS = 17  # the longest international number plus a little slack (ITU E.164 allows 15)
# Extra digits around an official number that still make a lookalike: enough for a
# fake area code or a trailing digit, few enough that an ordinary mobile number which
# happens to end in "95188" is not flagged.
MAX_EXTRA_DIGITS = 4
# One changed digit or one swap counts only in long numbers: short codes one digit
# apart (95188 Alipay, 95588 ICBC) belong to different, equally official services.
MIN_LEN_FOR_TYPO = 7
MIN_LEN_FOR_AFFIX = 5

# What people and phones put between digits: spaces of every width, dashes, dots,
# brackets, slashes, and invisible joiners pasted along with a number.
_SEPARATORS = frozenset(
    " \t\r\n-.()[]/_~·\u00a0\u2007\u202f\u3000"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d"
    "\u200b\u200c\u200d\u2060\ufeff"
)

_KEYPAD = {
    letter: str(digit)
    for digit, group in enumerate(("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ"))
    for letter in group
}

Entry = tuple[Provider, OfficialNumber]
Lookalike = Literal["extra_digits", "country_code", "digit_changed", "digits_swapped"]


@dataclass(frozen=True, slots=True)
class Dialled:
    """A number as typed: whether it began with ``+`` and its ASCII digits."""

    raw: str
    plus: bool
    digits: str


@dataclass(frozen=True, slots=True)
class Located:
    """A number placed in the world: country code, national number, and whether the
    country code was written in the number (``+``/``00``) or assumed from a region."""

    country_code: int
    national: str
    explicit: bool
    valid: bool  # a valid full number in its numbering plan
    short: bool  # a valid carrier short code (95188, 12321) there

    @property
    def key(self) -> str:
        return f"+{self.country_code}{self.national}"

    @property
    def exists(self) -> bool:
        """True if a number like this can exist: a valid full number or short code."""
        return self.valid or self.short


@dataclass(frozen=True, slots=True)
class Match:
    """What the registry says about a located number.

    ``kind`` is ``official`` (``entries`` are the official entries it equals),
    ``lookalike`` (``entries`` are the ones it imitates, ``how`` says in which way)
    or ``none``. ``other_region`` marks an official match found only by reading
    the digits as a national number of a region other than the one given.
    """

    kind: Literal["official", "lookalike", "none"]
    located: Located
    entries: tuple[Entry, ...] = ()
    how: Lookalike | None = None
    other_region: bool = False


def normalize(raw: str) -> Dialled:
    """Reduce ``raw`` to its digits and a leading-plus flag.

    Raises:
        InvalidNumber: ``raw`` is empty, has letters or symbols, or too few or
            too many digits. ``exc.code`` names the problem.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    plus = False
    digits: list[str] = []
    letters = 0
    for ch in text:
        if ch in _SEPARATORS:
            continue
        if ch == "+":
            if plus or digits:
                raise InvalidNumber("invalid.plus", raw)
            plus = True
            continue
        value = unicodedata.decimal(ch, None)
        if value is None:
            key = _KEYPAD.get(ch)
            # Capital letters stand for keypad digits in a number that starts with
            # digits, as published: 1-800-APL-CARE, 0800 SAMSUNG. "hello" stays not
            # a number.
            if key is None or len(digits) < 3:
                raise InvalidNumber("invalid.letters", raw)
            letters += 1
            digits.append(key)
            continue
        digits.append(str(value))
    if not digits:
        raise InvalidNumber("invalid.empty" if not plus else "invalid.too_short", raw)
    if len(digits) < MIN_DIGITS:
        raise InvalidNumber("invalid.too_short", raw)
    if len(digits) > MAX_DIGITS:
        raise InvalidNumber("invalid.too_long", raw)
    return Dialled(raw=raw, plus=plus, digits="".join(digits))


_PARSE_ERRORS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "invalid.country_code",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "invalid.too_short",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "invalid.too_short",
    phonenumbers.NumberParseException.TOO_LONG: "invalid.too_long",
}


def _parse(dialled: Dialled, text: str, region: str | None) -> Located:
    try:
        parsed = phonenumbers.parse(text, region, keep_raw_input=True)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(_PARSE_ERRORS.get(exc.error_type, "invalid.unparsable"), dialled.raw) from None
    explicit = parsed.country_code_source != phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY
    return Located(
        country_code=int(parsed.country_code or 0),
        national=phonenumbers.national_significant_number(parsed),
        explicit=explicit,
        valid=(valid := phonenumbers.is_valid_number(parsed)),
        short=not valid and _is_short_code(parsed),
    )


def _is_short_code(parsed: phonenumbers.PhoneNumber) -> bool:
    from phonenumbers import shortnumberinfo

    return bool(shortnumberinfo.is_valid_short_number(parsed))


def locate(dialled: Dialled, region: str | None, fallback_regions: Iterable[str] = ()) -> list[Located]:
    """Every reading of ``dialled`` worth matching, the most likely first.

    With a ``+`` or a region the reading is one; with neither, the digits are
    read as a national number of each fallback region (those the registry has
    numbers for), and as an international one if they start with ``00``.

    Raises:
        InvalidNumber: no reading is possible.
    """
    if dialled.plus:
        return [_parse(dialled, "+" + dialled.digits, None)]
    if region is not None:
        return [_parse(dialled, dialled.digits, region)]
    readings: list[Located] = []
    error: InvalidNumber | None = None
    texts: list[tuple[str, str | None]] = [(dialled.digits, r) for r in fallback_regions]
    if dialled.digits.startswith("00"):
        texts.insert(0, ("+" + dialled.digits[2:], None))
    for text, reg in texts:
        try:
            located = _parse(dialled, text, reg)
        except InvalidNumber as exc:
            error = error or exc
            continue
        if located not in readings:
            readings.append(located)
    if not readings:
        raise error or InvalidNumber("invalid.unparsable", dialled.raw)
    # A reading that is a real number beats one that cannot exist.
    readings.sort(key=lambda loc: not loc.exists)
    return readings


class NumberIndex:
    """Lookup tables over a registry's official numbers, built once per registry."""

    def __init__(self, registry: Registry) -> None:
        self.exact: dict[str, list[Entry]] = {}
        self.by_national: dict[str, list[Entry]] = {}
        self.by_length: dict[tuple[int, int], list[Entry]] = {}
        counts: dict[str, int] = {}
        for provider in registry.providers:
            for number in provider.numbers:
                entry = (provider, number)
                self.exact.setdefault(number.key, []).append(entry)
                if len(number.national) >= MIN_LEN_FOR_AFFIX:
                    self.by_national.setdefault(number.national, []).append(entry)
                if len(number.national) >= MIN_LEN_FOR_TYPO:
                    bucket = (number.country_code, len(number.national))
                    self.by_length.setdefault(bucket, []).append(entry)
                counts[number.region] = counts.get(number.region, 0) + 1
        # Regions to try for a number written with no country code and no region given.
        self.regions: tuple[str, ...] = tuple(sorted(counts, key=lambda r: (-counts[r], r)))


@functools.lru_cache(maxsize=8)
def index_for(registry: Registry) -> NumberIndex:
    return NumberIndex(registry)


def match(dialled: Dialled, region: str | None, index: NumberIndex) -> Match:
    """Match ``dialled`` against the registry: official, lookalike or none.

    An exact official match always wins, so an official number of one provider
    is never reported as a lookalike of another.
    """
    readings = locate(dialled, region, index.regions)
    for loc in readings:
        entries = index.exact.get(loc.key)
        if entries:
            return Match("official", loc, tuple(entries))
    first = readings[0]
    if region is not None and not first.explicit and not first.valid:
        # (A short code counts as no real number here: 95188 shown on a US phone
        # is more likely Alipay's Chinese code than a US SMS short code.)
        # The digits carry no country code and are no real number in the region
        # given; they may be another region's official number written the
        # national way (a US number typed without its +1).
        for other in index.regions:
            if other == region:
                continue
            try:
                loc = _parse(dialled, dialled.digits, other)
            except InvalidNumber:
                continue
            found = index.exact.get(loc.key)
            if found:
                return Match("official", loc, tuple(found), other_region=True)
    for loc in readings:
        imitated = _lookalike(dialled, loc, index)
        if imitated is not None:
            return Match("lookalike", loc, imitated[1], imitated[0])
    return Match("none", first)


def _lookalike(
    dialled: Dialled, loc: Located, index: NumberIndex
) -> tuple[Lookalike, tuple[Entry, ...]] | None:
    # Official digits shown under another country code: +1 95188, 00 95188.
    full = f"{loc.country_code}{loc.national}"
    if loc.explicit:
        for text in (loc.national, full):
            entries = [e for e in index.by_national.get(text, ()) if e[1].key != loc.key]
            if entries:
                return "country_code", tuple(entries)
    # Official digits with a few digits added in front or behind: 951880, +86 10 95188.
    # A real number of the region it was read in (no country code written) only
    # imitates numbers of that same country: 188 8221 1161 is a Chinese mobile,
    # not PayPal's +1 888 221 1161 with a 1 in front.
    any_country = loc.explicit or not loc.valid
    for text in dict.fromkeys((loc.national, full, dialled.digits)):
        for extra in range(1, MAX_EXTRA_DIGITS + 1):
            if len(text) - extra < MIN_LEN_FOR_AFFIX:
                break
            for part in (text[extra:], text[:-extra]):
                found = [
                    e
                    for e in index.by_national.get(part, ())
                    if any_country or e[1].country_code == loc.country_code
                ]
                if found:
                    return "extra_digits", tuple(found)
    # One digit changed or two neighbours swapped in a long number.
    for entry in index.by_length.get((loc.country_code, len(loc.national)), ()):
        how = _typo(loc.national, entry[1].national)
        if how is not None:
            return how, (entry,)
    return None


def _typo(seen: str, official: str) -> Lookalike | None:
    diffs = [i for i, (a, b) in enumerate(zip(seen, official, strict=True)) if a != b]
    if len(diffs) == 1:
        return "digit_changed"
    if (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and seen[diffs[0]] == official[diffs[1]]
        and seen[diffs[1]] == official[diffs[0]]
    ):
        return "digits_swapped"
    return None
