"""The compiled numbering plans read digits exactly as phonenumbers does.

Every answer of callcheck._numberplan is compared with phonenumbers itself on large
seeded random samples: digit strings of every length, with and without ``+``,
international and national prefixes, country codes of every region, and regions
from all of phonenumbers' list.
"""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import shortnumberinfo

from callcheck import _numberplan

COMMON_REGIONS = ["CN", "US", "GB", "HK", "NZ", "CA", "JE", "IM", "KZ", "RU", "AR", "BR", "MX", "JP", "DE"]
PREFIXES = ["00", "0", "1", "86", "011", "0086", "001", "0044", "179510", "12593", "44", "852", "0054"]


def phonenumbers_reading(text: str, region: str | None) -> tuple[int, str, bool, bool, bool] | None:
    try:
        parsed = phonenumbers.parse(text, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    explicit = parsed.country_code_source != phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY
    valid = phonenumbers.is_valid_number(parsed)
    short = not valid and bool(shortnumberinfo.is_valid_short_number(parsed))
    nsn = phonenumbers.national_significant_number(parsed)
    return int(parsed.country_code or 0), nsn, explicit, valid, short


def digit_strings(seed: int, count: int) -> list[tuple[str, bool, str | None]]:
    rng = random.Random(seed)
    codes = list(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    cases = []
    for _ in range(count):
        r = rng.random()
        if r < 0.25:
            digits = "".join(rng.choices("0123456789", k=rng.randint(3, 17)))
        elif r < 0.55:
            digits = str(rng.choice(codes)) + "".join(rng.choices("0123456789", k=rng.randint(3, 12)))
        elif r < 0.75:
            digits = rng.choice(PREFIXES) + "".join(rng.choices("0123456789", k=rng.randint(3, 12)))
        else:  # Chinese mobiles and NANP numbers, the bulk of real call logs
            digits = (
                "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))
                if rng.random() < 0.5
                else "1" * rng.randint(0, 1) + str(rng.randint(200, 999)) + str(rng.randint(1000000, 9999999))
            )
        plus = rng.random() < 0.4
        region = None if plus else rng.choice(COMMON_REGIONS if rng.random() < 0.7 else regions)
        cases.append((digits, plus, region))
    return cases


@pytest.mark.parametrize("seed", [1, 2])
def test_readings_equal_phonenumbers_parse_and_validity(seed: int) -> None:
    read = 0
    for digits, plus, region in digit_strings(seed, 6000):
        mine = _numberplan.read(digits, plus, region)
        if mine is None:
            continue  # not sure: callcheck asks phonenumbers
        read += 1
        assert mine == phonenumbers_reading(("+" if plus else "") + digits, region), (digits, plus, region)
    assert read > 5000  # the compiled plans answer nearly everything themselves


@pytest.mark.parametrize("seed", [3, 4])
def test_international_layout_equals_format_number(seed: int) -> None:
    laid_out = 0
    for digits, plus, region in digit_strings(seed, 4000):
        reading = phonenumbers_reading(("+" if plus else "") + digits, region)
        if reading is None:
            continue
        key = f"+{reading[0]}{reading[1]}"
        try:
            expected = phonenumbers.format_number(
                phonenumbers.parse(key, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
        except phonenumbers.NumberParseException:
            expected = None
        for mine in (_numberplan.international(key), _numberplan.international_of(reading[0], reading[1])):
            if mine is not None:
                laid_out += 1
                assert mine == expected, key
    assert laid_out > 4000


def test_a_region_said_to_read_suffixes_does_read_suffixes() -> None:
    for digits, _, region in digit_strings(5, 6000):
        if region is None or not _numberplan.national_is_suffix(digits, region):
            continue
        reading = phonenumbers_reading(digits, region)
        assert reading is None or digits.endswith(reading[1]), (digits, region)


def test_regions_that_rewrite_national_prefixes_are_not_said_to_read_suffixes() -> None:
    assert not _numberplan.national_is_suffix("0111234567", "AR")  # a transform rule
    assert not _numberplan.national_is_suffix("0054111234567", "CN")  # an international prefix
    assert _numberplan.national_is_suffix("13812345678", "CN")


@pytest.mark.parametrize(
    ("digits", "plus", "region"),
    [
        ("0000", False, "CN"),  # national number 0: phonenumbers' special case
        ("12", True, None),  # too short after the country code
        ("99912345", True, None),  # no such country code
        ("13812345678", False, "ZZ"),  # no such region
        ("13812345678", False, None),  # no region and no +
    ],
)
def test_what_is_not_sure_is_left_to_phonenumbers(digits: str, plus: bool, region: str | None) -> None:
    assert _numberplan.read(digits, plus, region) is None


# --- the reader for many numbers -----------------------------------------------------


@pytest.fixture(autouse=True)
def build_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_numberplan, "BUILD_AFTER", 1)


def reader_answer(
    readers: dict[str | None, _numberplan.Reader], digits: str, plus: bool, region: str | None
) -> _numberplan.Quick | None:
    key = None if plus else region
    reader = readers.setdefault(key, _numberplan.Reader(key))
    return reader.international(digits) if plus else reader.national(digits)


def expected_quick(digits: str, plus: bool, region: str | None) -> _numberplan.Quick | None:
    reading = _numberplan.read(digits, plus, None if plus else region)
    if reading is None:
        return None
    country_code, national, explicit, valid, short = reading
    shown = _numberplan.international_of(country_code, national)
    if shown is None:
        return None
    return f"+{country_code}{national}", national, country_code, explicit, valid, short, shown


@pytest.mark.parametrize("seed", [6, 7])
def test_reader_gives_the_reading_and_layout_of_read_and_international_of(seed: int) -> None:
    readers: dict[str | None, _numberplan.Reader] = {}
    answered = 0
    cases = [c for c in digit_strings(seed, 8000) if c[1] or c[2] is not None]
    for digits, plus, region in cases:
        mine = reader_answer(readers, digits, plus, region)
        if mine is None:
            continue  # not sure: the caller reads it one step at a time
        answered += 1
        assert mine == expected_quick(digits, plus, region), (digits, plus, region)
        text = ("+" if plus else "") + digits
        _, national, country_code, explicit, valid, short, _ = mine
        reading = (country_code, national, explicit, valid, short)
        assert reading == phonenumbers_reading(text, None if plus else region), (digits, plus, region)
    assert answered > len(cases) * 0.8


@pytest.mark.parametrize(
    ("digits", "plus", "region"),
    [
        ("13812345678", False, "CN"),  # a mobile as typed
        ("15412345678", False, "CN"),  # not assigned: not valid
        ("8613812345678", True, None),  # +86
        ("008613812345678", False, "CN"),  # 0086: the international prefix
        ("01012345678", False, "CN"),  # national prefix 0
        ("07552345678", False, "CN"),
        ("862112345678", True, None),
        ("8601012345678", True, None),  # +86 0 10: a national prefix after the country code
        ("12015550123", True, None),  # +1, the United States
        ("14165550123", True, None),  # +1, Canada
        ("12684601234", True, None),  # +1, Antigua: leading digits choose the region
        ("2015550123", False, "US"),
        ("12015550123", False, "US"),  # the country code typed without +
        ("0112015550123", False, "US"),  # 011: the US international prefix
        ("95188", False, "CN"),  # a short code
        ("12321", False, "CN"),  # a short code that looks like a carrier prefix
        ("951880", False, "CN"),
        ("8695188", True, None),
        ("0111234567", False, "AR"),  # a national prefix rewritten
        ("80012345678", True, None),  # +800, not a region
        ("4420712345678", True, None),  # +44, with the national prefix
        ("0000", False, "CN"),  # all zeros
        ("0006", False, "CN"),  # 00 then 0: not an international number
        ("00861", False, "CN"),  # too short after the country code
        ("99912345", True, None),  # no such country code
        ("12", True, None),
        ("13812345678901234", False, "CN"),  # too long
    ],
)
def test_reader_agrees_with_read_on_the_forms_people_write(
    digits: str, plus: bool, region: str | None
) -> None:
    mine = reader_answer({}, digits, plus, region)
    expected = expected_quick(digits, plus, region)
    assert mine is None or mine == expected
    common = {"13812345678", "15412345678", "8613812345678", "008613812345678", "01012345678", "12015550123"}
    if digits in common:
        assert mine is not None and mine == expected  # the reader's own readings


def test_reader_layouts_equal_format_number() -> None:
    reader = _numberplan.Reader("CN")
    for digits in ("13812345678", "01012345678", "075523456789", "4008009888", "95188"):
        quick = reader.national(digits)
        assert quick is not None
        parsed = phonenumbers.parse(digits, "CN")
        assert quick[6] == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def test_reader_leaves_rare_shapes_to_read_until_they_come_often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_numberplan, "BUILD_AFTER", 3)
    reader = _numberplan.Reader("CN")
    assert reader.national("13812345678") is None
    assert reader.international("8613812345678") is None
    assert reader.national("13812345679") is None
    quick = reader.national("13812345670")
    assert quick is not None and quick == expected_quick("13812345670", False, "CN")
    assert reader.international("8613812345678") is None  # counted per country code and length
    assert reader.international("8613812345678") == expected_quick("8613812345678", True, None)
