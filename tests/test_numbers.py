"""Normalising what a phone shows, locating it in the world, and matching it to the registry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callcheck import InvalidNumber, Registry
from callcheck._numbers import MAX_DIGITS, MIN_DIGITS, Match, index_for, locate, match, normalize

from .conftest import examples

# --- normalising ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plus", "digits"),
    [
        ("95188", False, "95188"),
        ("+86 95188", True, "8695188"),
        ("0086-95188", False, "008695188"),
        ("(888) 221-1161", False, "8882211161"),
        ("1-888-221-1161", False, "18882211161"),
        ("1 888 221 1161", False, "18882211161"),
        ("1.888.221.1161", False, "18882211161"),
        ("1/888/221_1161", False, "18882211161"),
        ("[888] 221~1161", False, "8882211161"),
        ("  95188\t\n", False, "95188"),
        ("９５１８８", False, "95188"),
        ("＋８６ ９５１８８", True, "8695188"),
        ("＋８６－９５１８８", True, "8695188"),
        ("95\u200b188", False, "95188"),
        ("\ufeff95188", False, "95188"),
        ("9\u200c5\u200d1\u206088", False, "95188"),
        ("+86\u00a095188", True, "8695188"),
        ("+86\u202f95\u2007188", True, "8695188"),
        ("+86\u300095188", True, "8695188"),
        ("+1\u2013888\u2014221\u22121161", True, "18882211161"),
        ("95\u00b7188", False, "95188"),
        ("٩٥١٨٨", False, "95188"),
    ],
)
def test_common_layouts_reduce_to_the_same_digits(raw: str, plus: bool, digits: str) -> None:
    dialled = normalize(raw)
    assert (dialled.plus, dialled.digits) == (plus, digits)
    assert dialled.raw == raw


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "invalid.empty"),
        ("   ", "invalid.empty"),
        ("\u200b", "invalid.empty"),
        ("-- ..", "invalid.empty"),
        ("+", "invalid.too_short"),
        ("12", "invalid.too_short"),
        ("+1 2", "invalid.too_short"),
        ("hello", "invalid.letters"),
        ("95188a", "invalid.letters"),
        ("95188#", "invalid.letters"),
        ("95188,1", "invalid.letters"),
        ("1+2345", "invalid.plus"),
        ("++8695188", "invalid.plus"),
        ("+86+95188", "invalid.plus"),
        ("1" * 20, "invalid.too_long"),
        ("1" * (MAX_DIGITS + 1), "invalid.too_long"),
    ],
)
def test_text_that_is_not_a_number_is_rejected_with_a_named_problem(raw: str, code: str) -> None:
    with pytest.raises(InvalidNumber) as info:
        normalize(raw)
    assert info.value.code == code
    assert info.value.number == raw


def test_shortest_and_longest_accepted_digit_counts() -> None:
    assert normalize("1" * MIN_DIGITS).digits == "1" * MIN_DIGITS
    assert normalize("1" * MAX_DIGITS).digits == "1" * MAX_DIGITS


_SEPARATORS = st.sampled_from(
    ["", " ", "-", ".", "\u00a0", "\u200b", "\u3000", "\u2013", "\ufeff", "\u202f", "(", ")"]
)


@examples(1.5)
@given(st.lists(_SEPARATORS, min_size=8, max_size=8), st.booleans())
def test_separators_anywhere_between_digits_do_not_change_the_digits(seps: list[str], wide: bool) -> None:
    digits = "8695188"
    if wide:
        digits = "".join(chr(ord(d) - ord("0") + ord("０")) for d in digits)
    raw = "+" + "".join(s + d for s, d in zip(seps, digits, strict=False)) + seps[-1]
    dialled = normalize(raw)
    assert dialled.plus
    assert dialled.digits == "8695188"


# --- locating ------------------------------------------------------------------------


def test_number_with_plus_is_read_once_with_its_own_country_code() -> None:
    readings = locate(normalize("+86 95188"), None, ("US", "CN"))
    assert [(r.country_code, r.national, r.explicit) for r in readings] == [(86, "95188", True)]


def test_plus_wins_over_the_region_given() -> None:
    readings = locate(normalize("+86 95188"), "US")
    assert [(r.country_code, r.national) for r in readings] == [(86, "95188")]


def test_number_without_country_code_takes_the_region_given() -> None:
    readings = locate(normalize("(888) 221-1161"), "US")
    assert len(readings) == 1
    assert readings[0].key == "+18882211161"
    assert readings[0].explicit is False
    assert readings[0].valid is True


def test_without_region_each_fallback_region_gives_a_reading() -> None:
    readings = locate(normalize("95188"), None, ("CN", "US"))
    assert {r.country_code for r in readings} == {86, 1}
    assert all(not r.explicit for r in readings)


def test_readings_that_can_exist_come_before_those_that_cannot() -> None:
    # 400 670 0700 is a CN service number but not a possible US number.
    readings = locate(normalize("4006700700"), None, ("US", "CN"))
    assert [(r.country_code, r.valid) for r in readings] == [(86, True), (1, False)]
    assert [r.valid for r in readings] == sorted((r.valid for r in readings), reverse=True)


def test_double_zero_prefix_is_read_as_an_international_number_first() -> None:
    readings = locate(normalize("0086 95188"), None, ("US",))
    assert readings[0].key == "+8695188"
    assert readings[0].explicit is True


def test_unknown_country_code_cannot_be_located() -> None:
    with pytest.raises(InvalidNumber) as info:
        locate(normalize("+999 1234"), None)
    assert info.value.code == "invalid.country_code"


def test_number_of_a_plan_that_cannot_exist_is_located_but_marked_not_valid() -> None:
    (reading,) = locate(normalize("+1 555 0100"), None)
    assert reading.key == "+15550100"
    assert reading.valid is False


# --- matching ------------------------------------------------------------------------


def _match(registry: Registry, raw: str, region: str | None = None) -> Match:
    return match(normalize(raw), region, index_for(registry))


@pytest.mark.parametrize(
    ("raw", "region", "provider"),
    [
        ("95188", "CN", "alipay"),
        ("95188", None, "alipay"),
        ("+86 95188", None, "alipay"),
        ("0086-95188", None, "alipay"),
        ("(888) 221-1161", "US", "paypal"),
        ("(888) 221-1161", None, "paypal"),
        ("1-888-221-1161", "US", "paypal"),
        ("1-888-221-1161", None, "paypal"),
        ("95516", None, "unionpay"),
        ("95017", None, "wechat_pay"),
        ("400-670-0700", None, "wechat_pay"),
    ],
)
def test_official_number_in_any_layout_matches_its_provider(
    registry: Registry, raw: str, region: str | None, provider: str
) -> None:
    found = _match(registry, raw, region)
    assert found.kind == "official"
    assert found.entries[0][0].id == provider
    assert found.other_region is False


def test_official_number_written_nationally_for_another_region_is_flagged_other_region(
    registry: Registry,
) -> None:
    found = _match(registry, "95188", "US")
    assert found.kind == "official"
    assert found.entries[0][0].id == "alipay"
    assert found.other_region is True


@pytest.mark.parametrize(
    ("raw", "region", "how", "provider"),
    [
        ("+86 951880", None, "extra_digits", "alipay"),
        ("951880", None, "extra_digits", "alipay"),
        ("+86 95188 1", None, "extra_digits", "alipay"),
        ("0095188 1", None, "extra_digits", "alipay"),
        ("+86 10 95188", None, "extra_digits", "alipay"),
        ("10 95188", "CN", "extra_digits", "alipay"),
        ("+1 888 221 1162", None, "digit_changed", "paypal"),
        ("+1 888 212 1161", None, "digits_swapped", "paypal"),
        ("+44 888 221 1161", None, "country_code", "paypal"),
        ("+1 95188", None, "country_code", "alipay"),
        ("+1 95516", None, "country_code", "unionpay"),
    ],
)
def test_lookalike_is_recognised_and_says_how_it_imitates(
    registry: Registry, raw: str, region: str | None, how: str, provider: str
) -> None:
    found = _match(registry, raw, region)
    assert found.kind == "lookalike"
    assert found.how == how
    assert found.entries[0][0].id == provider


def test_four_extra_digits_in_front_still_make_a_lookalike(registry: Registry) -> None:
    found = _match(registry, "1234 95188", "CN")
    assert (found.kind, found.how) == ("lookalike", "extra_digits")


@pytest.mark.parametrize(
    "raw",
    [
        "13800095188",  # a CN mobile ending in 95188 after six other digits
        "13951880000",  # a CN mobile with 95188 in the middle
        "13812395188",
        "123456 95188",
    ],
)
def test_number_that_merely_contains_an_official_number_is_not_a_lookalike(
    registry: Registry, raw: str
) -> None:
    assert _match(registry, raw, "CN").kind == "none"
    assert _match(registry, raw, None).kind == "none"


@pytest.mark.parametrize("raw", ["95189", "95818", "95588", "59188"])
def test_short_codes_one_digit_apart_are_not_lookalikes(registry: Registry, raw: str) -> None:
    # 95188 (Alipay) and 95588 (ICBC) are both real: typos count only in long numbers.
    found = _match(registry, raw, "CN")
    assert found.kind != "lookalike"
    assert all(entry[0].id != "alipay" for entry in found.entries)


def test_typos_only_compare_numbers_of_the_same_country_code(registry: Registry) -> None:
    # +86 888 221 1162 has PayPal's national digits one digit off, but under +86.
    found = _match(registry, "+86 888 221 1162", None)
    assert found.kind == "none"


def test_two_changed_digits_are_not_a_typo(registry: Registry) -> None:
    assert _match(registry, "+1 888 221 1171", None).kind == "lookalike"  # one digit changed
    assert _match(registry, "+1 888 221 1172", None).kind == "none"  # two, not neighbours swapped


@pytest.mark.parametrize(("raw", "provider"), [("95516", "unionpay"), ("95017", "wechat_pay")])
def test_official_number_of_one_provider_is_never_a_lookalike_of_another(
    registry: Registry, raw: str, provider: str
) -> None:
    for region in ("CN", None, "US"):
        found = _match(registry, raw, region)
        assert found.kind == "official"
        assert {entry[0].id for entry in found.entries} == {provider}


def test_every_official_number_in_the_registry_matches_itself_and_nothing_else(registry: Registry) -> None:
    for provider in registry.providers:
        for number in provider.numbers:
            for raw, region in ((number.number, number.region), (number.key, None)):
                found = _match(registry, raw, region)
                assert found.kind == "official", (raw, region)
                assert {e[0].id for e in found.entries} == {provider.id}, (raw, region)


def test_valid_number_of_the_given_region_is_not_read_as_another_regions_official_number(
    registry: Registry,
) -> None:
    # 188 8221 1161 is a Chinese mobile number; only its digits coincide with PayPal's US line.
    found = _match(registry, "18882211161", "CN")
    assert found.kind == "none"
    assert found.located.key == "+8618882211161"
