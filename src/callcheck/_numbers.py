"""Reading phone numbers the way people see them, and matching them to official ones.

Normalising turns what a phone shows (full-width digits, dashes, ``0086``) into
digits; locating finds the country code and national number; matching compares
them with the registry. Nothing here sends a number anywhere.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

import phonenumbers

from . import _numberplan
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

# The layouts nearly every number comes in: ASCII digits, at most one leading "+",
# ASCII separators. normalize() reads them without the general loop below; the
# result is the same by construction (NFKC and strip() leave them unchanged).
_PLAIN = re.compile(r"[ \t\r\n\-.()\[\]/_~]*\+?[0-9 \t\r\n\-.()\[\]/_~]*")
_PLAIN_DROP = str.maketrans("", "", " \t\r\n-.()[]/_~+")

_KEYPAD = {
    letter: str(digit)
    for digit, group in enumerate(("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ"))
    for letter in group
}

Entry = tuple[Provider, OfficialNumber]
Lookalike = Literal["extra_digits", "country_code", "digit_changed", "digits_swapped"]


# Values made for every number checked: named tuples, cheaper to make than dataclasses.
class Dialled(NamedTuple):
    """A number as typed: whether it began with ``+`` and its ASCII digits."""

    raw: str
    plus: bool
    digits: str


class Located(NamedTuple):
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


class Match(NamedTuple):
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
    if raw.isascii() and _PLAIN.fullmatch(raw):
        digits = raw.translate(_PLAIN_DROP)
        plus = "+" in raw
        if MIN_DIGITS <= len(digits) <= MAX_DIGITS:
            return Dialled(raw=raw, plus=plus, digits=digits)
        return _normalize(raw)  # names the problem
    return _normalize(raw)


def _normalize(raw: str) -> Dialled:
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


def _parse(dialled: Dialled, digits: str, plus: bool, region: str | None, plans: bool = False) -> Located:
    # With ``plans``, phonenumbers' reading from its compiled metadata where it can
    # be (the same result, without building PhoneNumber objects; compiling pays off
    # over many numbers), else from phonenumbers itself.
    if plans:
        reading = _numberplan.read(digits, plus, region)
        if reading is not None:
            return Located._make(reading)
    return _parse_text(dialled, "+" + digits if plus else digits, region)


def _parse_text(dialled: Dialled, text: str, region: str | None) -> Located:
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


def locate(
    dialled: Dialled, region: str | None, fallback_regions: Iterable[str] = (), *, plans: bool = False
) -> list[Located]:
    """Every reading of ``dialled`` worth matching, the most likely first.

    With a ``+`` or a region the reading is one; with neither, the digits are
    read as a national number of each fallback region (those the registry has
    numbers for), and as an international one if they start with ``00``.
    ``plans``: read with the compiled numbering plans where they can (same result).

    Raises:
        InvalidNumber: no reading is possible.
    """
    if dialled.plus:
        return [_parse(dialled, dialled.digits, True, None, plans)]
    if region is not None:
        return [_parse(dialled, dialled.digits, False, region, plans)]
    readings: list[Located] = []
    error: InvalidNumber | None = None
    texts: list[tuple[str, bool, str | None]] = [(dialled.digits, False, r) for r in fallback_regions]
    if dialled.digits.startswith("00"):
        texts.insert(0, (dialled.digits[2:], True, None))
    for digits, plus, reg in texts:
        try:
            located = _parse(dialled, digits, plus, reg, plans)
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
    """Lookup tables over a registry's official numbers, built once per registry.

    Lookalike matching is a few dictionary lookups per number whatever the size
    of the registry: the tables hold the official digits by length and every
    one-digit-changed or two-digits-swapped variant of the long numbers.
    """

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
        self.nationals = frozenset(entry[1].national for entries in self.exact.values() for entry in entries)
        self.national_lengths = tuple(sorted({len(national) for national in self.nationals}))
        # The first and last MIN_LEN_FOR_AFFIX digits of the official numbers that
        # extra digits can be added to: digits that neither start nor end like one
        # of them cannot be such a lookalike.
        self.heads = frozenset(national[:MIN_LEN_FOR_AFFIX] for national in self.by_national)
        self.tails = frozenset(national[-MIN_LEN_FOR_AFFIX:] for national in self.by_national)

    @functools.cached_property
    def typos(self) -> dict[tuple[int, str], tuple[Lookalike, Entry]]:
        """(country code, national number) of every typo of a long official number:
        the first official number in registry order it is a typo of, and how.
        Built on first use (a few ms): worth it for many numbers."""
        typos: dict[tuple[int, str], tuple[Lookalike, Entry]] = {}
        for (country_code, _), entries in self.by_length.items():
            for entry in entries:
                for variant, how in _typos_of(entry[1].national):
                    typos.setdefault((country_code, variant), (how, entry))
        return typos

    def ends_with_official(self, digits: str) -> bool:
        """True if ``digits`` end with the national number of an official number."""
        nationals = self.nationals
        return any(digits[-size:] in nationals for size in self.national_lengths)


def _typos_of(official: str) -> Iterator[tuple[str, Lookalike]]:
    """Every string one changed digit or one swap of neighbours away from ``official``."""
    for i, digit in enumerate(official):
        for other in "0123456789":
            if other != digit:
                yield official[:i] + other + official[i + 1 :], "digit_changed"
    for i in range(len(official) - 1):
        if official[i] != official[i + 1]:
            yield official[:i] + official[i + 1] + official[i] + official[i + 2 :], "digits_swapped"


@functools.lru_cache(maxsize=8)
def index_for(registry: Registry) -> NumberIndex:
    return NumberIndex(registry)


def match(dialled: Dialled, region: str | None, index: NumberIndex, *, plans: bool = False) -> Match:
    """Match ``dialled`` against the registry: official, lookalike or none.

    An exact official match always wins, so an official number of one provider
    is never reported as a lookalike of another. ``plans``: read numbers with the
    compiled numbering plans where they can (the same result; for many numbers).
    """
    readings = locate(dialled, region, index.regions, plans=plans)
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
        digits = dialled.digits
        # Only a reading whose national number is an official one can match; when the
        # digits end with none and a region's reading is a suffix of them, skip it.
        maybe = not plans or index.ends_with_official(digits)
        for other in index.regions:
            if other == region or (not maybe and _numberplan.national_is_suffix(digits, other)):
                continue
            try:
                loc = _parse(dialled, digits, False, other, plans)
            except InvalidNumber:
                continue
            found = index.exact.get(loc.key)
            if found:
                return Match("official", loc, tuple(found), other_region=True)
    for loc in readings:
        imitated = _lookalike(dialled.digits, loc, index, plans)
        if imitated is not None:
            return Match("lookalike", loc, imitated[1], imitated[0])
    return Match("none", first)


def match_plain(raw: str, region: str | None, index: NumberIndex) -> Match | None:
    """``match(normalize(raw), region, index)`` for the common case, or None.

    The common case: ``raw`` in an ASCII layout with a ``+`` or a region given,
    read by the compiled numbering plans, and no other region's reading that could
    be official. None means "not sure here": the caller takes the general path,
    which gives the same result (or raises) for everything.
    """
    if not raw.isascii() or _PLAIN.fullmatch(raw) is None:
        return None
    digits = raw.translate(_PLAIN_DROP)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    plus = "+" in raw
    if not plus and region is None:
        return None  # several readings: the general path
    reading = _numberplan.read(digits, plus, None if plus else region)
    if reading is None:
        return None
    loc = Located._make(reading)
    entries = index.exact.get(loc.key)
    if entries:
        return Match("official", loc, tuple(entries))
    if (
        region is not None
        and not loc.explicit
        and not loc.valid
        and (
            index.ends_with_official(digits)
            or not all(_numberplan.national_is_suffix(digits, r) for r in index.regions if r != region)
        )
    ):
        return None  # another region's reading might be official
    imitated = _lookalike(digits, loc, index, True)
    if imitated is not None:
        return Match("lookalike", loc, imitated[1], imitated[0])
    return Match("none", loc)


def _lookalike(
    digits: str, loc: Located, index: NumberIndex, many: bool = False
) -> tuple[Lookalike, tuple[Entry, ...]] | None:
    # ``many``: one of many numbers, worth the table of typos (same result as the scan).
    # Official digits shown under another country code: +1 95188, 00 95188.
    national = loc.national
    full = f"{loc.country_code}{national}"
    if loc.explicit:
        for text in (national, full):
            entries = [e for e in index.by_national.get(text, ()) if e[1].key != loc.key]
            if entries:
                return "country_code", tuple(entries)
    # Official digits with a few digits added in front or behind: 951880, +86 10 95188.
    # A real number of the region it was read in (no country code written) only
    # imitates numbers of that same country: 188 8221 1161 is a Chinese mobile,
    # not PayPal's +1 888 221 1161 with a 1 in front.
    any_country = loc.explicit or not loc.valid
    heads, tails = index.heads, index.tails
    texts = (national, full) if digits in (national, full) else (national, full, digits)
    for text in texts:
        if text[:MIN_LEN_FOR_AFFIX] not in heads and text[-MIN_LEN_FOR_AFFIX:] not in tails:
            continue
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
    if many:
        typo = index.typos.get((loc.country_code, national))
        return None if typo is None else (typo[0], (typo[1],))
    for entry in index.by_length.get((loc.country_code, len(national)), ()):
        how = _typo(national, entry[1].national)
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
