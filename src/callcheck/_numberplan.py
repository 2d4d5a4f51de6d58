"""phonenumbers' own reading of a plain digit string, without its per-call overhead.

For ASCII digits (with or without a leading ``+``) and a region, :func:`read` gives
the country code, national number, validity and short-code validity that
``phonenumbers.parse`` + ``is_valid_number`` + ``shortnumberinfo.is_valid_short_number``
give, and :func:`international` the layout of ``format_number(..., INTERNATIONAL)``.
Each step follows phonenumbers' code, on regexes compiled once from its metadata;
where phonenumbers would raise or take a rarely used branch (all-zero numbers,
unknown regions, odd metadata) these return None and the caller asks phonenumbers itself.
Tests compare the two on large random samples. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.phonemetadata import NumberFormat, PhoneMetadata, PhoneNumberDesc

# Constants of phonenumbers.phonenumberutil (private there, fixed by the library's design).
_MIN_LENGTH_FOR_NSN: Final = 2
_MAX_LENGTH_FOR_NSN: Final = 17
_MAX_LENGTH_COUNTRY_CODE: Final = 3
_NON_GEO: Final = "001"

# phonenumbers' ValidationResult of _test_number_length, as far as parsing needs it.
_POSSIBLE, _TOO_LONG, _KEEP_PREFIX = "possible", "too_long", "keep_prefix"

Reading = tuple[int, str, bool, bool, bool]
"""country code, national significant number, country code written, valid, valid short code"""


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P")


def _desc_text(desc: PhoneNumberDesc | None) -> str | None:
    return desc.national_number_pattern or None if desc is not None else None


class _Matcher:
    """phonenumbers' _is_number_matching_desc for every desc of ``required`` and
    (if given) at least one of ``any_of``, as one regex per length of number.

    Built per length on first use; a length no number can match has no regex.
    """

    def __init__(
        self, required: list[PhoneNumberDesc | None], any_of: list[PhoneNumberDesc | None] | None = None
    ) -> None:
        self.required = required
        self.any_of = any_of
        self.by_length: dict[int, re.Pattern[str] | None] = {}

    def matches(self, number: str) -> bool | None:
        """Whether ``number`` matches; None if the patterns cannot be combined."""
        size = len(number)
        try:
            pattern = self.by_length[size]
        except KeyError:
            pattern = self.by_length[size] = self._build(size)
        if pattern is None:
            return False
        if pattern is _UNSURE:
            return None
        return pattern.fullmatch(number) is not None

    def _build(self, size: int) -> re.Pattern[str] | None:
        text = self.text(size)
        if text is None or text is _UNSURE_TEXT:
            return _UNSURE if text is _UNSURE_TEXT else None
        try:
            return re.compile(text)
        except re.error:
            return _UNSURE

    def text(self, size: int) -> str | None:
        """The regex for numbers of ``size`` digits (None: no such number matches;
        _UNSURE_TEXT: the patterns cannot be combined)."""
        parts: list[str] = []
        for desc in self.required:
            text = _desc_text(desc)
            if desc is None or text is None or (desc.possible_length and size not in desc.possible_length):
                return None
            parts.append(text)
        if self.any_of is not None:
            options = [
                text
                for desc in self.any_of
                if desc is not None
                and (text := _desc_text(desc)) is not None
                and (not desc.possible_length or size in desc.possible_length)
            ]
            if not options:
                return None
            parts.append("|".join(f"(?:{text})" for text in options))
        if any(_BACKREFERENCE.search(text) for text in parts):
            return _UNSURE_TEXT  # group numbers would shift when combined
        # Each lookahead must match the whole number, like the final part.
        return "".join(f"(?=(?:{text})\\Z)" for text in parts[:-1]) + f"(?:{parts[-1]})"


_UNSURE_TEXT = "(?!)unsure"
# Stand-ins for a regex: "phonenumbers would not get here" and "nothing matches".
_UNSURE = re.compile("(?!)unsure")
_NOTHING = re.compile("(?!)")


class _Plan:
    """The metadata of one region (or non-geographic calling code), compiled."""

    def __init__(self, meta: PhoneMetadata) -> None:
        self.country_code = int(meta.country_code or 0)
        self.country_code_text = str(meta.country_code)
        self.idd = re.compile(meta.international_prefix) if meta.international_prefix is not None else None
        general = meta.general_desc
        general_text = _desc_text(general)
        self.general_pattern = re.compile(general_text) if general_text else None
        self.lengths = tuple(general.possible_length) if general is not None else ()
        self.local_lengths = frozenset(general.possible_length_local_only) if general is not None else ()
        prefix = meta.national_prefix_for_parsing
        self.prefix = re.compile(prefix) if prefix else None
        self.transform = meta.national_prefix_transform_rule or None
        self.leading_digits = re.compile(meta.leading_digits) if meta.leading_digits is not None else None
        # _number_type_helper: the general desc, then any type; mobile only when its
        # pattern differs from the fixed-line one.
        # (Validity asks whether any type matches, so their order only changes how
        # soon the answer comes: mobiles first, the most common callers.)
        kinds = [
            meta.fixed_line,
            meta.premium_rate,
            meta.toll_free,
            meta.shared_cost,
            meta.voip,
            meta.personal_number,
            meta.pager,
            meta.uan,
            meta.voicemail,
        ]
        if not meta.same_mobile_and_fixed_line_pattern:
            kinds.insert(0, meta.mobile)
        self.typed = _Matcher([general], kinds)
        self.formats = _Formats(meta.intl_number_format or meta.number_format)

    def region_test(self, size: int) -> str | None:
        """What makes phonenumbers pick this region for a national number of ``size``
        digits among those sharing its country code, as a regex matched at the start:
        the leading digits, else the number's types in full. None: never this region;
        _UNSURE_TEXT: the patterns cannot be combined."""
        if self.leading_digits is not None:
            return self.leading_digits.pattern
        typed = self.typed.text(size)
        if typed is None or typed is _UNSURE_TEXT:
            return typed
        return f"(?:{typed})\\Z"

    def matches_general(self, number: str) -> bool:
        """phonenumbers' _match_national_number on the general desc: the pattern only."""
        return self.general_pattern is not None and self.general_pattern.fullmatch(number) is not None

    def strip_national_prefix(self, number: str) -> str | None:
        """phonenumbers' _maybe_strip_national_prefix_carrier_code (the number only)."""
        if not number or self.prefix is None:
            return number
        found = self.prefix.match(number)
        if found is None:
            return number
        viable = self.matches_general(number)
        groups = found.groups()
        if self.transform is None or groups[-1:] == (None,):
            rest = number[found.end() :]
            return number if viable and not self.matches_general(rest) else rest
        if not groups:
            return None
        transformed = self.prefix.sub(self.transform, number, count=1)
        return number if viable and not self.matches_general(transformed) else transformed

    def length_result(self, number: str) -> str | None:
        """phonenumbers' _test_number_length for any type, folded to what parse needs."""
        lengths = self.lengths
        if not lengths:
            return None
        size = len(number)
        if size in self.local_lengths or size < lengths[0]:
            return _KEEP_PREFIX
        if size == lengths[0]:
            return _POSSIBLE
        if size > lengths[-1]:
            return _TOO_LONG
        return _POSSIBLE if size in lengths[1:] else _KEEP_PREFIX


_plans: dict[str | int, _Plan | None] = {}


def _plan(region: str, country_code: int) -> _Plan | None:
    key: str | int = country_code if region == _NON_GEO else region
    try:
        return _plans[key]
    except KeyError:
        pass
    meta = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    plan = _plans[key] = _Plan(meta) if meta is not None else None
    return plan


def _region_plan(region: str) -> _Plan | None:
    return _plan(region, 0) if region != _NON_GEO else None


def _main_plan(country_code: int) -> _Plan | None:
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    return _plan(regions[0], country_code) if regions else None


def _extract_country_code(number: str) -> tuple[int, str]:
    if not number or number[0] == "0":
        return 0, number
    for size in range(1, min(len(number), _MAX_LENGTH_COUNTRY_CODE) + 1):
        code = int(number[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, number[size:]
    return 0, number


def _locate(digits: str, plus: bool, region: str | None) -> tuple[int, str, bool] | None:
    """phonenumbers.parse of ``digits`` (after ``+`` if ``plus``) with ``region``:
    country code, national number and whether the code was written, or None."""
    meta = _region_plan(region) if region is not None else None
    if region is not None and meta is None:
        return None
    if not plus and meta is None:
        return None  # no region to read it in: phonenumbers raises
    country_code = 0
    national = ""
    explicit = plus
    number = digits
    if not plus and meta is not None and meta.idd is not None:
        found = meta.idd.match(number)
        if found is not None:
            rest = number[found.end() :]
            if rest[:1] != "0":
                explicit, number = True, rest
    if explicit:
        if len(number) <= _MIN_LENGTH_FOR_NSN:
            return None
        country_code, national = _extract_country_code(number)
        if country_code == 0:
            return None
    elif meta is not None and number.startswith(meta.country_code_text):
        potential = meta.strip_national_prefix(number[len(meta.country_code_text) :])
        if potential is None:
            return None
        if (not meta.matches_general(number) and meta.matches_general(potential)) or (
            meta.length_result(number) == _TOO_LONG
        ):
            country_code, national, explicit = meta.country_code, potential, True
    if country_code != 0:
        regions = COUNTRY_CODE_TO_REGION_CODE[country_code]
        if regions[0] != region:
            meta = _plan(regions[0], country_code)
            if meta is None:
                return None
    else:
        assert meta is not None
        national = number
        country_code = meta.country_code
    if len(national) < _MIN_LENGTH_FOR_NSN:
        return None
    assert meta is not None
    potential = meta.strip_national_prefix(national)
    if potential is None:
        return None
    if potential != national:
        result = meta.length_result(potential)
        if result is None:
            return None
        if result != _KEEP_PREFIX:
            national = potential
    if len(national) > _MAX_LENGTH_FOR_NSN or not national.strip("0"):
        return None  # too long, or all zeros (national_number 0 is special there)
    # Leading zeros are kept by phonenumbers (italian_leading_zero and
    # number_of_leading_zeros), so its national significant number is ``national``.
    return country_code, national, explicit


def is_valid(country_code: int, national: str) -> bool | None:
    """phonenumbers.is_valid_number of the number with this national significant
    number (None if unsure)."""
    try:
        check = _validity[country_code]
    except KeyError:
        check = _validity[country_code] = _validity_check(country_code)
    return check(national)


def is_valid_short(country_code: int, national: str) -> bool | None:
    """shortnumberinfo.is_valid_short_number, likewise."""
    try:
        check = _short_validity[country_code]
    except KeyError:
        check = _short_validity[country_code] = _short_validity_check(country_code)
    return check(national)


_Check = Callable[[str], "bool | None"]
_validity: dict[int, _Check] = {}
_short_validity: dict[int, _Check] = {}


def _never(national: str) -> bool:
    return False


def _unsure(national: str) -> None:
    return None


def _validity_check(country_code: int) -> _Check:
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if regions is None:
        return _never
    if len(regions) == 1:
        return _valid_in(regions[0], country_code)
    return _RegionChooser(country_code, regions).check


class _RegionChooser:
    """phonenumbers' _region_code_for_number_from_list (the first region whose
    leading digits match, or without them whose patterns match) and then
    is_valid_number_for_region, with one regex per length choosing the region."""

    def __init__(self, country_code: int, regions: tuple[str, ...]) -> None:
        self.plans = [
            (plan, _valid_in(region, country_code))
            for region in regions
            if (plan := _plan(region, country_code))
        ]
        self.by_length: dict[int, tuple[re.Pattern[str], dict[int, _Check]] | None] = {}

    def check(self, national: str) -> bool | None:
        size = len(national)
        try:
            chooser = self.by_length[size]
        except KeyError:
            chooser = self.by_length[size] = self._build(size)
        if chooser is None:
            return None
        found = chooser[0].match(national)
        if found is None or found.lastindex is None:
            return False
        return chooser[1][found.lastindex](national)

    def _build(self, size: int) -> tuple[re.Pattern[str], dict[int, _Check]] | None:
        # Alternative per region, in order: a lookahead, then an empty group that
        # closes last and so names the region.
        options: list[str] = []
        checks: dict[int, _Check] = {}
        groups = 0
        for plan, valid_in in self.plans:
            test = plan.region_test(size)
            if test is None:
                continue
            if test is _UNSURE_TEXT:
                return None
            if _BACKREFERENCE.search(test):
                return None
            try:
                groups += re.compile(test).groups + 1
            except re.error:
                return None
            checks[groups] = valid_in
            options.append(f"(?={test})()")
        try:
            return (re.compile("|".join(options)), checks) if options else (_NOTHING, checks)
        except re.error:
            return None


def _valid_in(region: str, country_code: int) -> _Check:
    # phonenumbers' is_valid_number_for_region
    plan = _plan(region, country_code)
    if plan is None or (region != _NON_GEO and plan.country_code != country_code):
        return _never
    return plan.typed.matches


def _short_validity_check(country_code: int) -> _Check:
    matcher = _short_matcher(country_code)
    return _never if matcher is None else _unsure if matcher is _UNSURE_MATCHER else matcher.matches


def _short_matcher(country_code: int) -> _Matcher | None:
    """The short codes of ``country_code`` (None: none; _UNSURE_MATCHER: phonenumbers
    fails on such metadata)."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    metas = [PhoneMetadata.short_metadata_for_region(region) for region in regions]
    if len(regions) == 1:
        meta = metas[0]
        if meta is None:
            return None
        if meta.short_code is None:
            return _UNSURE_MATCHER
        return _Matcher([meta.general_desc, meta.short_code])
    # Any region's short codes (the general desc is not checked then).
    return _Matcher([], [meta.short_code for meta in metas if meta is not None])


_UNSURE_MATCHER = _Matcher([])


def read(digits: str, plus: bool, region: str | None) -> Reading | None:
    """What phonenumbers makes of ``digits``: see the module docstring.

    ``digits`` are ASCII digits; with ``plus`` they follow a ``+`` (and ``region``
    is not used by phonenumbers for the country code).
    """
    located = _locate(digits, plus, region)
    if located is None:
        return None
    country_code, national, explicit = located
    valid = is_valid(country_code, national)
    if valid:
        return country_code, national, explicit, True, False
    short = None if valid is None else is_valid_short(country_code, national)
    return None if short is None else (country_code, national, explicit, False, short)


def international(key: str) -> str | None:
    """``format_number(parse(key), INTERNATIONAL)`` for ``+<digits>``, or None if unsure."""
    located = _locate(key[1:], True, None) if key[:1] == "+" and key[1:].isdigit() else None
    if located is None:
        return None
    country_code, national, _ = located
    plan = _main_plan(country_code)
    formatted = plan.formats.apply(national) if plan is not None else None
    return None if formatted is None else f"+{country_code} {formatted}"


def international_of(country_code: int, national: str) -> str | None:
    """:func:`international` of ``+<country_code><national>``, skipping the reading
    where it would give back the same country code and national number: no
    shorter country code starts the same way and no national prefix starts it."""
    plan = _main_plan(country_code)
    if (
        plan is None
        or country_code not in _UNAMBIGUOUS_CODES
        or not _MIN_LENGTH_FOR_NSN <= len(national) <= _MAX_LENGTH_FOR_NSN
        or not national.isdigit()
        or not national.strip("0")
        or (plan.prefix is not None and plan.prefix.match(national))
    ):
        return international(f"+{country_code}{national}")
    formatted = plan.formats.apply(national)
    return None if formatted is None else f"+{country_code} {formatted}"


_UNAMBIGUOUS_CODES = frozenset(
    code
    for code in COUNTRY_CODE_TO_REGION_CODE
    if not any(int(str(code)[:size]) in COUNTRY_CODE_TO_REGION_CODE for size in range(1, len(str(code))))
)


def national_is_suffix(digits: str, region: str) -> bool:
    """True if phonenumbers reads ``digits`` (written without ``+``) in ``region``, if
    at all, as a national number that ends ``digits``: neither that region nor its
    country code's main region rewrites national prefixes, and no international
    prefix starts the digits. False when unsure."""
    plan = _region_plan(region)
    if plan is None or plan.transform is not None or (plan.idd is not None and plan.idd.match(digits)):
        return False
    main = _main_plan(plan.country_code)
    return main is not None and main.transform is None


def nationals_are_suffixes(regions: list[str]) -> Callable[[str], bool]:
    """A function of ``digits`` equal to ``all(national_is_suffix(digits, r) for r in
    regions)``, with what depends only on the regions worked out once."""
    idds: list[re.Pattern[str]] = []
    for region in regions:
        plan = _region_plan(region)
        main = _main_plan(plan.country_code) if plan is not None else None
        if plan is None or plan.transform is not None or main is None or main.transform is not None:
            return _never
        if plan.idd is not None:
            idds.append(plan.idd)
    if not idds:
        return lambda digits: True
    if not any(_BACKREFERENCE.search(idd.pattern) for idd in idds):
        try:
            # One alternative per region matches at the start iff one of them does.
            combined = re.compile("|".join(f"(?:{idd.pattern})" for idd in idds))
        except re.error:
            pass
        else:
            return lambda digits: combined.match(digits) is None
    return lambda digits: not any(idd.match(digits) for idd in idds)


class _Option:
    """One format, as an alternative of a regex choosing among formats. (A plain class:
    a NamedTuple costs ~0.3 ms to create at import, and this module is imported by every
    number check.)"""

    __slots__ = ("text", "leading_groups", "pattern", "rule", "expand", "direct", "widths")

    def __init__(
        self,
        text: str,
        leading_groups: int,
        pattern: re.Pattern[str],
        rule: str,
        expand: Callable[[re.Match[str]], str],
        direct: str | None,
        widths: tuple[int, int] | None,
    ) -> None:
        self.text = text  # the leading-digits lookahead, then the format's pattern in a group
        self.leading_groups = leading_groups  # groups of the lookahead, before the format's own
        self.pattern = pattern
        self.rule = rule  # the format's template, such as \1 \2
        self.expand = expand
        # For a pattern of digit groups only: the layout as a ``str.format`` template of
        # the pattern's groups (``{0} {1}``), and the fewest and most digits it matches.
        self.direct = direct
        self.widths = widths

    def fits(self, size: int) -> bool:
        """False if the pattern matches no number of ``size`` digits."""
        return self.widths is None or self.widths[0] <= size <= self.widths[1]


class _Formats:
    """phonenumbers' _choose_formatting_pattern_for_number and _format_nsn_using_pattern
    for the INTERNATIONAL format; one regex, built on first use, picks the format."""

    def __init__(self, formats: list[NumberFormat]) -> None:
        self.formats = formats
        self.chooser: re.Pattern[str] | None = None
        self.chosen: dict[int, tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = {}
        # Formats whose pattern is digit groups only: the chooser's own groups are the
        # pattern's (see _DIGIT_GROUPS), so no second match is needed.
        self.direct: dict[int, tuple[tuple[int, ...], Callable[..., str]]] = {}
        self._options: list[_Option] | bool | None = False

    def apply(self, national: str) -> str | None:
        """``national`` laid out, or None if unsure."""
        if self.chooser is None:
            self.chooser = self._build()
        if self.chooser is _UNSURE:
            return None
        found = self.chooser.fullmatch(national)
        if found is None or found.lastindex is None:
            return national
        direct = self.direct.get(found.lastindex)
        if direct is not None:
            return direct[1](*(found.group(i) for i in direct[0]))
        pattern, expand = self.chosen[found.lastindex]
        return pattern.sub(expand, national)

    def options(self) -> list[_Option] | None:
        """The formats in phonenumbers' order, or None if unsure. Alternatives joined
        by ``|`` choose the format phonenumbers chooses: the first whose last
        leading-digits pattern matches at the start and whose pattern matches in full."""
        if self._options is False:
            self._options = self._make_options()
        assert self._options is not True
        return self._options

    def _make_options(self) -> list[_Option] | None:
        options: list[_Option] = []
        for fmt in self.formats:
            if fmt.pattern is None or fmt.format is None:
                return None  # phonenumbers fails on such a format
            leading = fmt.leading_digits_pattern[-1] if fmt.leading_digits_pattern else None
            texts = [fmt.pattern] if leading is None else [leading, fmt.pattern]
            if any(_BACKREFERENCE.search(text) for text in texts):
                return None
            try:
                pattern = re.compile(fmt.pattern)
                leading_groups = re.compile(leading).groups if leading is not None else 0
            except re.error:
                return None
            expand = _expander(fmt.format, pattern.groups)
            if expand is None:
                return None
            direct = widths = None
            if _DIGIT_GROUPS.fullmatch(fmt.pattern) and not _EMPTY_GROUP.search(fmt.pattern):
                direct = _layout_text(fmt.format, pattern.groups)
                counts = [(int(low), int(high or low)) for low, high in re.findall(_DIGIT_GROUP, fmt.pattern)]
                widths = (sum(low for low, _ in counts), sum(high for _, high in counts))
            text = ("" if leading is None else f"(?={leading})") + f"({fmt.pattern})"
            options.append(_Option(text, leading_groups, pattern, fmt.format, expand, direct, widths))
        return options

    def _build(self) -> re.Pattern[str]:
        # Alternative i: the last leading-digits pattern as a lookahead, then the
        # format's pattern in a group of its own, which closes last when it matches.
        options = self.options()
        if options is None:
            return _UNSURE
        groups = 0
        for option in options:
            groups += option.leading_groups + 1
            self.chosen[groups] = (option.pattern, option.expand)
            if option.direct is not None:
                indices = tuple(range(groups + 1, groups + 1 + option.pattern.groups))
                self.direct[groups] = (indices, option.direct.format)
            groups += option.pattern.groups
        try:
            return re.compile("|".join(option.text for option in options)) if options else _NOTHING
        except re.error:
            return _UNSURE


_TEMPLATE_PART = re.compile(r"\\([1-9])(?!\d)|([^\\{}]+)|([{}])")


# ``(\d{2})(\d{3,4})``: greedy groups of digits, each at least one. On digits that the
# pattern fully matches, ``re.sub`` makes one replacement, whose groups are those of
# the full match (each group takes the most it can while leaving the rest their least,
# which ends at the end), so the chooser's fullmatch gives them.
_DIGIT_GROUPS = re.compile(r"(?:\(\\d\{\d+(?:,\d+)?\}\))+")
# One of them (compiled on first use, by re's own cache: not at import).
_DIGIT_GROUP = r"\(\\d\{(\d+)(?:,(\d+))?\}\)"
_EMPTY_GROUP = re.compile(r"\{0[,}]")


def _layout_text(rule: str, groups: int, first: int = 0) -> str | None:
    """The template ``rule`` (``\\1 \\2``) as a ``str.format`` template whose
    positional fields are the groups, group 1 being field ``first``."""
    parts: list[str] = []
    end = 0
    for part in _TEMPLATE_PART.finditer(rule):
        if part.start() != end:
            return None
        end = part.end()
        group, text, brace = part.groups()
        if group and int(group) > groups:
            return None
        parts.append(f"{{{int(group) - 1 + first}}}" if group else text if text else brace * 2)
    if end != len(rule):
        return None
    return "".join(parts)


def _expander(rule: str, groups: int) -> Callable[[re.Match[str]], str] | None:
    """A function giving what ``re`` puts in place of a match for the template
    ``rule`` (``\\1 \\2``: groups and text; an unmatched group gives ""), or None
    for templates other than that. Cheaper than ``re``'s own template handling."""
    text = _layout_text(rule, groups)
    if text is None:
        return None
    layout = text.format

    def expand(found: re.Match[str]) -> str:
        return layout(*found.groups(""))

    return expand


# --- many numbers in one region: one regex per length ----------------------------------

Quick = tuple[str, str, int, bool, bool, bool, str]
"""``+<digits>`` key, national significant number, country code, country code written,
valid, valid short code, INTERNATIONAL layout"""

# What a match of a fused regex means, by the group that closed last: valid, valid
# short code, and the layout (a function of the groups named, group 0 first).
_Outcome = tuple[bool, bool, Callable[..., str], tuple[int, ...]]


class _Fused:
    """For national numbers of one length and country code: one regex whose full match
    reads validity, short-code validity and the INTERNATIONAL format at once, and that
    fails where the reading would take another branch (guards)."""

    __slots__ = ("pattern", "outcomes")

    def __init__(self, pattern: re.Pattern[str], outcomes: list[_Outcome | None]) -> None:
        self.pattern = pattern
        self.outcomes = outcomes


_NO_FUSED = _Fused(_NOTHING, [])

# Numbers that ask for a fused regex before it is compiled (see Reader._build).
BUILD_AFTER = 64


class Reader:
    """:func:`read` and :func:`international_of` in one step, for many numbers read the
    same way: ``national`` is ``read(digits, False, region)``, ``international`` is
    ``read(digits, True, None)``, each with the layout; None where unsure (the caller
    then asks :func:`read`, which gives the same reading).

    Per country code and length of national number, one regex (built on first use)
    gives phonenumbers' choice of region and validity, short-code validity and choice
    of format at once, its groups the layout. For the readings most numbers take (the
    country code written after ``+`` or an international prefix, or assumed from the
    region, and nothing to strip from the national number) the same regex also holds
    the guards that keep to them, so one match reads the number; other numbers are
    located by :func:`_locate` first.
    """

    __slots__ = (
        "region",
        "plan",
        "country_code",
        "key_prefix",
        "_national",
        "_codes",
        "_by_code",
        "_unbuilt",
    )

    def __init__(self, region: str | None) -> None:
        plan = _region_plan(region) if region is not None else None
        self.region = region
        self.plan = plan
        self.country_code = plan.country_code if plan is not None else 0
        self.key_prefix = f"+{plan.country_code}" if plan is not None else ""
        self._national: dict[int, _Fused] = {}
        self._codes: dict[str, tuple[int, int, dict[int, _Fused]] | None] = {}
        self._by_code: dict[int, dict[int, _Fused]] = {}
        self._unbuilt: dict[tuple[int, int], int] = {}

    def national(self, digits: str) -> Quick | None:
        """``digits`` (ASCII digits, at least three) written without ``+``."""
        fused = self._national.get(len(digits)) or self._build(self._national, 0, len(digits))
        if fused is None:
            return None
        found = fused.pattern.fullmatch(digits)
        if found is not None:
            valid, short, layout, groups = fused.outcomes[found.lastindex]  # type: ignore[index, misc]
            shown = layout(*found.group(*groups))
            return self.key_prefix + digits, digits, self.country_code, False, valid, short, shown
        plan = self.plan
        if plan is None:
            return None
        idd = plan.idd.match(digits) if plan.idd is not None else None
        if idd is not None and digits[idd.end() : idd.end() + 1] != "0":
            quick = self.international(digits[idd.end() :])
            if quick is not None:
                return quick
        return self._located(_locate(digits, False, self.region))

    def international(self, number: str) -> Quick | None:
        """``number`` (ASCII digits) written after ``+`` or an international prefix."""
        if len(number) <= _MIN_LENGTH_FOR_NSN:
            return None
        head = number[:_MAX_LENGTH_COUNTRY_CODE]
        try:
            code = self._codes[head]
        except KeyError:
            code = self._codes[head] = self._code(head)
        if code is None:
            return None
        country_code, size, by_length = code
        national = number[size:]
        fused = by_length.get(len(national)) or self._build(by_length, country_code, len(national))
        if fused is None:
            return None
        found = fused.pattern.fullmatch(national)
        if found is None:
            return self._located(_locate(number, True, None))
        valid, short, layout, groups = fused.outcomes[found.lastindex]  # type: ignore[index, misc]
        return "+" + number, national, country_code, True, valid, short, layout(*found.group(*groups))

    def _located(self, located: tuple[int, str, bool] | None) -> Quick | None:
        """Validity and layout of a number _locate has read (any way)."""
        if located is None:
            return None
        country_code, national, explicit = located
        by_length = self._by_code.get(country_code) or self._by_code.setdefault(country_code, {})
        fused = by_length.get(len(national)) or self._build(by_length, country_code, len(national))
        if fused is None:
            return None
        found = fused.pattern.fullmatch(national)
        if found is None:
            return None
        valid, short, layout, groups = fused.outcomes[found.lastindex]  # type: ignore[index, misc]
        key = f"+{country_code}{national}"
        return key, national, country_code, explicit, valid, short, layout(*found.group(*groups))

    def _build(self, built: dict[int, _Fused], country_code: int, size: int) -> _Fused | None:
        """The regex for national numbers of ``size`` digits under ``country_code`` (0:
        written without it in the region), kept in ``built``; None (unsure) until
        BUILD_AFTER numbers have asked for it. Compiling one takes milliseconds: numbers
        of a rare length or country code (a typo, junk) are cheaper read one by one."""
        asked = self._unbuilt.get((country_code, size), 0) + 1
        if asked < BUILD_AFTER:
            self._unbuilt[country_code, size] = asked
            return None
        self._unbuilt.pop((country_code, size), None)
        plan = self.plan
        if country_code != 0:
            fused = _fused(country_code, size, [])
        elif plan is None:
            fused = _NO_FUSED
        else:
            guards = [re.escape(plan.country_code_text)]
            if plan.idd is not None:
                guards.append(plan.idd.pattern)
            if plan.prefix is not None:
                guards.append(plan.prefix.pattern)
            fused = _fused(plan.country_code, size, guards)
        built[size] = fused
        return fused

    def _code(self, head: str) -> tuple[int, int, dict[int, _Fused]] | None:
        # _extract_country_code depends only on the first three digits of a longer number.
        country_code, rest = _extract_country_code(head)
        if country_code == 0:
            return None
        return country_code, len(head) - len(rest), self._by_code.setdefault(country_code, {})


def _fused(country_code: int, size: int, guards: list[str]) -> _Fused:
    """The fused regex for national numbers of ``size`` digits under ``country_code``,
    failing where any of ``guards`` matches at the start (and where the national
    prefix of the country code's main region does); _NO_FUSED where unsure."""
    main = _main_plan(country_code)
    if main is None or country_code not in _UNAMBIGUOUS_CODES:
        return _NO_FUSED  # international_of reads such numbers again
    if not _MIN_LENGTH_FOR_NSN <= size <= _MAX_LENGTH_FOR_NSN:
        return _NO_FUSED
    if main.prefix is not None:
        guards = [*guards, main.prefix.pattern]
    options = main.formats.options()
    branches = _validity_branches(country_code, size)
    short_matcher = _short_matcher(country_code)
    short = short_matcher.text(size) if short_matcher is not None else None
    if options is None or branches is None or short_matcher is _UNSURE_MATCHER or short is _UNSURE_TEXT:
        return _NO_FUSED
    texts = [*guards, short or "", *(t for branch in branches for t in branch if t is not None)]
    if any(_BACKREFERENCE.search(text) for text in texts):
        return _NO_FUSED
    try:
        fitting = [option for option in options if option.fits(size)]
        return _FusedBuilder(country_code, fitting).build(guards, branches, short)
    except re.error:
        return _NO_FUSED


def _validity_branches(country_code: int, size: int) -> list[tuple[str | None, str | None]] | None:
    """is_valid as (test, valid) pairs, one per region in the order phonenumbers tries
    them: the first region whose test matches at the start decides, valid if its
    pattern ``valid`` (None: never) matches in full. Test None: always. None: unsure."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if regions is None:
        return [(None, None)]
    if len(regions) == 1:
        valid = _valid_text(regions[0], country_code, size)
        return None if valid is _UNSURE_TEXT else [(None, valid)]
    branches: list[tuple[str | None, str | None]] = []
    for region in regions:  # as _RegionChooser
        plan = _plan(region, country_code)
        if plan is None:
            continue
        test = plan.region_test(size)
        if test is None:
            continue
        if test is _UNSURE_TEXT:
            return None
        valid = _valid_text(region, country_code, size)
        if valid is _UNSURE_TEXT:
            return None
        branches.append((test, valid))
    return branches


def _valid_text(region: str, country_code: int, size: int) -> str | None:
    # _valid_in as a regex: None when no number of this size is valid there.
    plan = _plan(region, country_code)
    if plan is None or (region != _NON_GEO and plan.country_code != country_code):
        return None
    return plan.typed.text(size)


class _FusedBuilder:
    """Writes a fused regex: guards, then per region its test and, per outcome of
    validity, a copy of the format alternatives, each closing a group of its own."""

    def __init__(self, country_code: int, options: list[_Option]) -> None:
        self.prefix = f"+{country_code} "
        self.options = options
        self.groups = 0
        self.outcomes: list[_Outcome | None] = [None]

    def build(
        self, guards: list[str], branches: list[tuple[str | None, str | None]], short: str | None
    ) -> _Fused:
        text = "".join(f"(?!{self.skip(guard)})" for guard in guards) + "(?!0*\\Z)"
        alternatives: list[str] = []
        for test, valid in branches:
            head = "" if test is None else f"(?={self.skip(test)})"
            if test is not None and valid is not None and test == f"(?:{valid})\\Z":
                alternatives.append(head + self.formats(True, False))  # the test is validity
                continue
            alternatives.append(head + self.outcome(valid, short))
            if test is None:
                break  # chosen always: later alternatives are never tried
        else:
            alternatives.append(self.outcome(None, short))  # no region chosen: not valid
        # Only ASCII digits are read, where \d means [0-9] either way; ASCII-only
        # classes are tested without looking characters up in Unicode's tables.
        pattern = re.compile(text + "(?:" + "|".join(alternatives) + ")", re.ASCII)
        assert pattern.groups == self.groups
        return _Fused(pattern, self.outcomes)

    def skip(self, text: str) -> str:
        """``text`` in a lookahead: its groups are counted, never read."""
        self.groups += re.compile(text).groups
        self.outcomes.extend([None] * (self.groups + 1 - len(self.outcomes)))
        return text

    def outcome(self, valid: str | None, short: str | None) -> str:
        parts = []
        if valid is not None:
            parts.append(f"(?=(?:{self.skip(valid)})\\Z)" + self.formats(True, False))
        if short is not None:
            parts.append(f"(?=(?:{self.skip(short)})\\Z)" + self.formats(False, True))
        parts.append(self.formats(False, False))
        return "(?:" + "|".join(parts) + ")"

    def formats(self, valid: bool, short: bool) -> str:
        """The format alternatives in order, then any digits with an empty group (no
        format applies): each closes a group of its own that names this outcome."""
        texts = []
        for option in self.options:
            self.groups += option.leading_groups + 1
            outer = self.groups
            inner = option.pattern.groups
            self.groups += inner
            self.outcomes.extend([None] * (self.groups + 1 - len(self.outcomes)))
            # Groups are read as found.group(0, ...): field 0 is the national number.
            direct = _layout_text(option.rule, inner, 1) if option.direct is not None else None
            if direct is not None:
                layout = (_escape_braces(self.prefix) + direct).format
                self.outcomes[outer] = (valid, short, layout, (0, *range(outer + 1, outer + 1 + inner)))
            else:
                self.outcomes[outer] = (valid, short, _substitute(self.prefix, option), (0, 0))
            texts.append(option.text)
        self.groups += 1
        self.outcomes.append((valid, short, (_escape_braces(self.prefix) + "{0}").format, (0, 0)))
        texts.append("\\d*()")
        return "(?:" + "|".join(texts) + ")"


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _substitute(prefix: str, option: _Option) -> Callable[..., str]:
    # _Formats.apply for a format whose groups are not read directly.
    pattern, expand = option.pattern, option.expand

    def layout(national: str, _: str) -> str:
        return prefix + pattern.sub(expand, national)

    return layout
