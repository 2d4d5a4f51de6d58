"""Verdicts, risk levels, reasons, advice, callbacks and claims from ``check_number``."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from callcheck import (
    InvalidInput,
    NumberCheck,
    Registry,
    UnknownProvider,
    check_number,
    check_numbers,
    load_registry,
)
from callcheck._registry import compile_registry

from .conftest import PAST, TEST_KEYS, provider_dict, write_signed


def codes(notes: Any) -> list[str]:
    return [n.code for n in notes]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- official ------------------------------------------------------------------------


def test_alipay_hotline_is_official_and_low_risk(registry: Registry) -> None:
    result = check_number("95188", region="CN", registry=registry)
    assert result.verdict == "official"
    assert result.risk == "low"
    assert result.risky is False
    assert result.provider is not None
    assert (result.provider.id, result.provider.name) == ("alipay", "Alipay")
    assert result.claims is None
    assert result.number == "+8695188"
    assert result.region == "CN"
    assert codes(result.reasons) == ["official", "caller_id_forgeable"]
    assert codes(result.advice) == ["check_official", "never_share"]
    assert [(c.provider, c.number, c.international) for c in result.callback] == [
        ("alipay", "95188", "+8695188")
    ]


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("95188", None),
        ("+86 95188", None),
        ("0086-95188", None),
        ("0086-95188", "CN"),
        ("９５１８８", None),
        ("＋８６ ９５１８８", None),
        ("95\u200b188", "CN"),
        ("+86\u00a095188", None),
        ("95 188", "CN"),
        ("95-188", "CN"),
        ("951.88", "CN"),
        ("+86 95188", "US"),  # written with its country code, so the region does not matter
    ],
)
def test_every_layout_of_the_alipay_hotline_is_official_low_risk(
    registry: Registry, raw: str, region: str | None
) -> None:
    result = check_number(raw, region=region, registry=registry)
    assert (result.verdict, result.risk, result.number) == ("official", "low", "+8695188")
    assert result.provider is not None and result.provider.id == "alipay"
    assert result.input == raw


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("(888) 221-1161", "US"),
        ("(888) 221-1161", None),
        ("1-888-221-1161", "US"),
        ("1-888-221-1161", None),
        ("+1 888 221 1161", None),
        ("+1.888.221.1161", "CN"),
        ("001 888 221 1161", None),
    ],
)
def test_every_layout_of_the_paypal_number_is_official(
    registry: Registry, raw: str, region: str | None
) -> None:
    result = check_number(raw, region=region, registry=registry)
    assert (result.verdict, result.risk, result.number, result.region) == (
        "official",
        "low",
        "+18882211161",
        "US",
    )
    assert result.provider is not None and result.provider.id == "paypal"


def test_official_number_read_as_another_regions_number_is_medium_risk(registry: Registry) -> None:
    result = check_number("95188", region="US", registry=registry)
    assert result.verdict == "official"
    assert result.provider is not None and result.provider.id == "alipay"
    assert result.risk == "medium"
    assert "other_region" in codes(result.reasons)
    assert result.number == "+8695188"


def test_official_number_of_provider_that_calls_only_on_request_says_so(registry: Registry) -> None:
    result = check_number("+1-800-275-2273", registry=registry)
    assert result.verdict == "official"
    assert result.provider is not None and result.provider.id == "apple"
    assert result.risk == "low"
    assert "calls_on_request" in codes(result.reasons)


def test_official_number_but_caller_claims_another_provider_is_high_risk(registry: Registry) -> None:
    result = check_number("95017", region="CN", claims="支付宝", registry=registry)
    assert result.verdict == "official"
    assert result.provider is not None and result.provider.id == "wechat_pay"
    assert result.claims is not None and result.claims.id == "alipay"
    assert result.risk == "high"
    assert "claims_other_provider" in codes(result.reasons)
    assert result.advice[0].code == "hang_up_not_official"
    assert "95188" in result.advice[0].message
    # The callback numbers are the claimed provider's, not the number's owner.
    assert [(c.provider, c.number) for c in result.callback] == [("alipay", "95188")]


def test_official_number_claimed_by_its_own_provider_stays_low_risk(registry: Registry) -> None:
    result = check_number("95188", region="CN", claims="Alipay", registry=registry)
    assert (result.verdict, result.risk) == ("official", "low")
    assert result.claims is not None and result.claims.id == "alipay"
    assert "claims_other_provider" not in codes(result.reasons)


def test_official_number_claimed_as_a_provider_that_never_calls_says_it_does_not_phone(
    registry: Registry,
) -> None:
    result = check_number("95017", region="CN", claims="tokenpocket", registry=registry)
    assert result.risk == "high"
    assert result.advice[0].code == "hang_up_never_calls"
    assert "does not phone its customers" in result.advice[0].message
    # TokenPocket has no phone line: the advice points at its website instead.
    assert "https://help.tokenpocket.pro" in result.advice[0].message
    assert result.callback == ()


def test_official_number_of_provider_that_never_calls_is_still_high_risk(
    make_registry: Callable[..., Registry],
) -> None:
    policy = {"calls_customers": "never", "never_asks_for": [], "sources": ["s1"]}
    registry = make_registry({"acme": provider_dict("acme", policy=policy)})
    result = check_number("95555", region="CN", registry=registry)
    assert result.verdict == "official"
    assert result.risk == "high"
    assert "never_calls" in codes(result.reasons)
    assert result.advice[0].code == "hang_up_never_calls"


def test_text_message_only_number_calling_is_medium_risk(make_registry: Callable[..., Registry]) -> None:
    numbers = [{"number": "95555", "region": "CN", "use": "sms", "short_code": True, "sources": ["s1"]}]
    registry = make_registry({"acme": provider_dict("acme", numbers=numbers)})
    result = check_number("95555", region="CN", registry=registry)
    assert (result.verdict, result.risk) == ("official", "medium")
    assert "not_a_calling_number" in codes(result.reasons)
    assert "text messages" in result.reasons[codes(result.reasons).index("not_a_calling_number")].message
    assert result.callback == ()  # an SMS number is no number to call back


def test_outbound_number_is_official_but_not_offered_for_call_back(
    make_registry: Callable[..., Registry],
) -> None:
    numbers = [
        {"number": "95555", "region": "CN", "use": "inbound", "short_code": True, "sources": ["s1"]},
        {"number": "+1 202 555 0143", "region": "US", "use": "outbound", "sources": ["s1"]},
    ]
    registry = make_registry({"acme": provider_dict("acme", numbers=numbers)})
    result = check_number("+1 202 555 0143", registry=registry)
    assert (result.verdict, result.risk) == ("official", "low")
    assert [c.number for c in result.callback] == ["95555"]


def test_advice_without_phone_numbers_names_the_app_and_website(
    make_registry: Callable[..., Registry],
) -> None:
    contact = {"website": "https://acme.example", "app_path": {"en": "Acme app → Help"}, "sources": ["s1"]}
    registry = make_registry({"acme": provider_dict("acme", numbers=[], contact=contact)})
    result = check_number("+1 202 555 0143", claims="acme", registry=registry)
    first = result.advice[0].message
    assert "Acme app → Help" in first
    assert "https://acme.example" in first
    assert result.callback == ()


def test_advice_names_at_most_two_callback_numbers_but_callback_lists_all(
    make_registry: Callable[..., Registry],
) -> None:
    numbers = [
        {"number": n, "region": "CN", "use": "inbound", "short_code": True, "sources": ["s1"]}
        for n in ("95555", "95566", "95577")
    ]
    registry = make_registry({"acme": provider_dict("acme", numbers=numbers)})
    result = check_number("13800138000", region="CN", claims="acme", registry=registry)
    assert "95555" in result.advice[0].message and "95566" in result.advice[0].message
    assert "95577" not in result.advice[0].message
    assert [c.number for c in result.callback] == ["95555", "95566", "95577"]


# --- lookalikes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "provider", "reason"),
    [
        ("+86 951880", None, "alipay", "lookalike_extra_digits"),
        ("0095188 1", None, "alipay", "lookalike_extra_digits"),
        ("+86 10 95188", None, "alipay", "lookalike_extra_digits"),
        ("+1 888 221 1162", None, "paypal", "lookalike_digit_changed"),
        ("+1 888 212 1161", None, "paypal", "lookalike_digits_swapped"),
        ("+44 888 221 1161", None, "paypal", "lookalike_country_code"),
        ("+1 95188", None, "alipay", "lookalike_country_code"),
        ("951880", "CN", "alipay", "lookalike_extra_digits"),
    ],
)
def test_lookalike_is_high_risk_and_names_the_imitated_provider(
    registry: Registry, raw: str, region: str | None, provider: str, reason: str
) -> None:
    result = check_number(raw, region=region, registry=registry)
    assert result.verdict == "lookalike"
    assert result.risk == "high"
    assert result.provider is not None and result.provider.id == provider
    assert codes(result.reasons)[0] == reason
    assert result.advice[0].code == "hang_up_lookalike"
    assert {c.provider for c in result.callback} == {provider}


def test_lookalike_with_extra_trailing_digit_is_high_risk(registry: Registry) -> None:
    result = check_number("+86 951880", registry=registry)
    assert (result.verdict, result.risk) == ("lookalike", "high")
    assert "95188" in result.reasons[0].message
    assert "Alipay" in result.advice[0].message


def test_lookalike_of_one_provider_claimed_as_another_points_to_the_claimed_one(registry: Registry) -> None:
    result = check_number("+86 951880", claims="paypal", registry=registry)
    assert result.verdict == "lookalike"
    assert result.provider is not None and result.provider.id == "alipay"
    assert result.claims is not None and result.claims.id == "paypal"
    assert "not_claimed_number" in codes(result.reasons)
    assert {c.provider for c in result.callback} == {"paypal"}
    assert "PayPal" in result.advice[0].message


@pytest.mark.parametrize(("raw", "provider"), [("95516", "unionpay"), ("95017", "wechat_pay")])
def test_official_numbers_of_other_providers_are_never_lookalikes(
    registry: Registry, raw: str, provider: str
) -> None:
    result = check_number(raw, region="CN", registry=registry)
    assert result.verdict == "official"
    assert result.provider is not None and result.provider.id == provider


@pytest.mark.parametrize("raw", ["13800095188", "13951880000"])
def test_mobile_number_containing_an_official_number_is_unknown_not_lookalike(
    registry: Registry, raw: str
) -> None:
    result = check_number(raw, region="CN", registry=registry)
    assert result.verdict == "unknown"
    assert result.provider is None
    assert result.risk == "low"


# --- unknown -------------------------------------------------------------------------


def test_unknown_number_without_claim_is_low_risk_with_general_advice(registry: Registry) -> None:
    result = check_number("13800138000", region="CN", registry=registry)
    assert (result.verdict, result.risk) == ("unknown", "low")
    assert result.provider is None and result.claims is None
    assert codes(result.reasons) == ["unknown"]
    assert codes(result.advice) == ["unknown", "never_share"]
    assert result.callback == ()
    assert result.number == "+8613800138000"


def test_unknown_number_claiming_to_be_alipay_is_not_alipays_number_and_gives_95188(
    registry: Registry,
) -> None:
    result = check_number("13800138000", region="CN", claims="alipay", registry=registry)
    assert result.verdict == "unknown"
    assert result.claims is not None and result.claims.id == "alipay"
    assert result.risk == "medium"  # Alipay may call customers, but not from this number
    assert "not_claimed_number" in codes(result.reasons)
    assert any("This is not Alipay's number" in n.message for n in result.reasons)
    assert result.advice[0].code == "hang_up_not_official"
    assert "95188" in result.advice[0].message
    assert [(c.provider, c.number, c.international) for c in result.callback] == [
        ("alipay", "95188", "+8695188")
    ]


def test_unknown_number_claiming_a_provider_that_never_calls_is_high_risk(registry: Registry) -> None:
    result = check_number("13800138000", region="CN", claims="tokenpocket", registry=registry)
    assert (result.verdict, result.risk) == ("unknown", "high")
    assert result.claims is not None and result.claims.id == "tokenpocket"
    assert codes(result.reasons) == ["unknown", "not_claimed_number", "claimed_never"]
    assert "never phones its customers" in result.reasons[2].message
    assert result.advice[0].code == "hang_up_never_calls"
    assert "TokenPocket does not phone its customers" in result.advice[0].message
    assert result.callback == ()  # TokenPocket has no phone line to call back


@pytest.mark.parametrize(("claims", "callback"), [("apple", ["+1-800-275-2273"]), ("google_wallet", [])])
def test_unknown_number_claiming_a_provider_that_calls_only_on_request_is_high_risk(
    registry: Registry, claims: str, callback: list[str]
) -> None:
    result = check_number("13800138000", region="CN", claims=claims, registry=registry)
    assert (result.verdict, result.risk) == ("unknown", "high")
    assert codes(result.reasons) == ["unknown", "not_claimed_number", "claimed_on_request"]
    assert result.advice[0].code == "hang_up_not_official"
    assert [c.number for c in result.callback] == callback


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("claims", ["alipay", "apple", "google_wallet", "paypal", "tokenpocket"])
def test_unknown_number_with_a_claim_works_for_every_call_policy_and_language(
    registry: Registry, claims: str, lang: str
) -> None:
    result = check_number("13800138000", region="CN", claims=claims, registry=registry, lang=lang)
    provider = registry.get(claims)
    assert provider is not None
    assert f"claimed_{provider.policy.calls_customers}" in codes(result.reasons)
    assert result.risky


def test_number_that_cannot_exist_is_unknown_not_assigned_medium_risk(registry: Registry) -> None:
    result = check_number("+1 555 0100", registry=registry)
    assert result.verdict == "unknown"
    assert result.risk == "medium"
    assert "not_assigned" in codes(result.reasons)


def test_number_that_cannot_exist_claiming_a_provider_that_may_call_stays_medium(
    registry: Registry,
) -> None:
    result = check_number("+1 555 0100", claims="paypal", registry=registry)
    assert (result.verdict, result.risk) == ("unknown", "medium")
    assert {"not_assigned", "not_claimed_number", "claimed_may_call"} <= set(codes(result.reasons))


# --- invalid -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("hello", "letters"),
        ("", "empty"),
        ("12", "too_short"),
        ("+", "too_short"),
        ("1+2345", "plus"),
        ("+999 1234", "country_code"),
        ("1" * 20, "too_long"),
    ],
)
def test_input_that_is_not_a_number_gives_invalid_verdict_not_exception(
    registry: Registry, raw: str, code: str
) -> None:
    result = check_number(raw, registry=registry)
    assert result.verdict == "invalid"
    assert result.risk is None
    assert result.risky is False
    assert result.number is None and result.provider is None
    assert codes(result.reasons) == [code]
    assert repr(raw) in result.reasons[0].message
    assert codes(result.advice) == ["invalid"]


def test_unknown_region_is_rejected(registry: Registry) -> None:
    with pytest.raises(InvalidInput, match="XX"):
        check_number("95188", region="XX", registry=registry)


@pytest.mark.parametrize("region", ["cn", " CN ", "Cn"])
def test_region_is_accepted_in_any_case_and_with_spaces(registry: Registry, region: str) -> None:
    result = check_number("95188", region=region, registry=registry)
    assert (result.verdict, result.risk) == ("official", "low")


def test_unknown_claimed_provider_is_rejected(registry: Registry) -> None:
    with pytest.raises(UnknownProvider, match="nosuchthing"):
        check_number("95188", claims="nosuchthing", registry=registry)


def test_ambiguous_claimed_provider_is_rejected_listing_the_candidates(registry: Registry) -> None:
    with pytest.raises(UnknownProvider) as info:
        check_number("95188", claims="pay", registry=registry)
    assert "paypal" in str(info.value) and "alipay" in str(info.value)


@pytest.mark.parametrize("claims", ["alipay", "ALIPAY", "支付宝", "Zhifubao", "ant group", "ＡＬＩＰＡＹ"])
def test_claimed_provider_is_found_by_id_or_any_name(registry: Registry, claims: str) -> None:
    result = check_number("13800138000", region="CN", claims=claims, registry=registry)
    assert result.claims is not None and result.claims.id == "alipay"


# --- registry expiry -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "verdict"),
    [
        ("95188", "official"),
        ("+86 951880", "lookalike"),
        ("13800138000", "unknown"),
        ("hello", "invalid"),
    ],
)
def test_expired_registry_is_flagged_on_every_verdict(
    expired_registry: Registry, raw: str, verdict: str
) -> None:
    result = check_number(raw, region="CN", registry=expired_registry)
    assert result.verdict == verdict
    assert result.registry_expired is True
    assert "registry_expired" in codes(result.reasons)
    assert "2020-01-01" in result.reasons[codes(result.reasons).index("registry_expired")].message
    assert "update" in codes(result.advice)
    assert result.to_dict()["registry"] == {"serial": expired_registry.serial, "expired": True}


def test_expired_registry_written_as_a_compiled_file_is_flagged(
    make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    doc = compile_registry(make_registry())
    doc["expires"] = PAST
    registry = load_registry(write_signed(tmp_path / "expired.toml", doc), keys=TEST_KEYS)
    result = check_number("95555", region="CN", registry=registry)
    assert result.verdict == "official"
    assert result.registry_expired is True
    assert "registry_expired" in codes(result.reasons)
    assert "update" in codes(result.advice)


def test_fresh_registry_adds_no_expiry_warning(registry: Registry) -> None:
    result = check_number("95188", region="CN", registry=registry)
    assert result.registry_expired is False
    assert "registry_expired" not in codes(result.reasons)
    assert "update" not in codes(result.advice)


# --- language, results, bulk ---------------------------------------------------------


def test_chinese_results_use_chinese_names_and_sentences(registry: Registry) -> None:
    result = check_number("95188", region="CN", registry=registry, lang="zh")
    assert result.lang == "zh"
    assert result.provider is not None and result.provider.name == "支付宝"
    assert "官方" in result.reasons[0].message
    assert all(has_chinese(n.message) for n in (*result.reasons, *result.advice))


def test_english_results_contain_no_chinese(registry: Registry) -> None:
    result = check_number("13800138000", region="CN", claims="支付宝", registry=registry)
    assert not any(has_chinese(n.message) for n in (*result.reasons, *result.advice))


def test_result_to_dict_is_json_ready_and_complete(registry: Registry) -> None:
    result = check_number("95017", region="CN", claims="alipay", registry=registry)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["verdict"] == "official"
    assert data["provider"] == {"id": "wechat_pay", "name": "WeChat Pay"}
    assert data["claims"] == {"id": "alipay", "name": "Alipay"}
    assert data["callback"][0] == {
        "provider": "alipay",
        "number": "95188",
        "international": "+8695188",
        "region": "CN",
        "note": "Customer service hotline",
    }
    assert [r["code"] for r in data["reasons"]] == codes(result.reasons)
    assert data["registry"] == {"serial": registry.serial, "expired": False}
    assert data["lang"] == "en"


MIXED = [
    "95188",
    "+86 951880",
    "hello",
    "13800138000",
    "(888) 221-1161",
    "+1 555 0100",
    "",
    "９５１８８",
    "95017",
    "+44 888 221 1161",
]


@pytest.mark.parametrize(("region", "claims"), [(None, None), ("CN", None), ("CN", "alipay")])
def test_bulk_check_gives_the_same_results_as_one_at_a_time(
    registry: Registry, region: str | None, claims: str | None
) -> None:
    bulk = list(check_numbers(iter(MIXED), region=region, claims=claims, registry=registry))
    single = [check_number(n, region=region, claims=claims, registry=registry) for n in MIXED]
    assert [r.to_dict() for r in bulk] == [r.to_dict() for r in single]
    assert [r.input for r in bulk] == MIXED


def test_bulk_check_is_lazy(registry: Registry) -> None:
    def numbers() -> Any:
        yield "95188"
        raise AssertionError("read past the first number")

    first = next(check_numbers(numbers(), registry=registry))
    assert isinstance(first, NumberCheck) and first.verdict == "official"


def test_default_registry_is_the_shipped_one(shipped: Registry) -> None:
    result = check_number("95188", region="CN")
    assert result.registry_serial == shipped.serial
    assert result.verdict == "official"


def test_every_shipped_official_number_is_official_for_its_own_provider(shipped: Registry) -> None:
    count = 0
    for provider in shipped.providers:
        for number in provider.numbers:
            result = check_number(number.number, region=number.region, registry=shipped)
            assert result.verdict == "official", number
            assert result.provider is not None and result.provider.id == provider.id, number
            assert result.number == number.key
            count += 1
    assert count >= 7


# --- the fast path gives the results of the general one ---------------------------------


def reference_lookalike(digits: str, loc: Any, index: Any, many: bool = False) -> Any:
    """Lookalike matching as first written: every official number of the same
    length scanned for one changed digit or one swap."""
    full = f"{loc.country_code}{loc.national}"
    if loc.explicit:
        for text in (loc.national, full):
            entries = [e for e in index.by_national.get(text, ()) if e[1].key != loc.key]
            if entries:
                return "country_code", tuple(entries)
    any_country = loc.explicit or not loc.valid
    for text in dict.fromkeys((loc.national, full, digits)):
        for extra in range(1, 5):
            if len(text) - extra < 5:
                break
            for part in (text[extra:], text[:-extra]):
                found = [
                    e
                    for e in index.by_national.get(part, ())
                    if any_country or e[1].country_code == loc.country_code
                ]
                if found:
                    return "extra_digits", tuple(found)
    for entry in index.by_length.get((loc.country_code, len(loc.national)), ()):
        official = entry[1].national
        diffs = [i for i, (a, b) in enumerate(zip(loc.national, official, strict=True)) if a != b]
        if len(diffs) == 1:
            return "digit_changed", (entry,)
        if (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and loc.national[diffs[0]] == official[diffs[1]]
            and loc.national[diffs[1]] == official[diffs[0]]
        ):
            return "digits_swapped", (entry,)
    return None


def general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """check_number as first written: the character loop normalises every number
    and lookalikes are found by scanning the registry, with no pre-filter
    (check_number reads and lays out numbers with phonenumbers anyway)."""
    from callcheck import _check, _numbers

    monkeypatch.setattr(_check, "normalize", _numbers._normalize)
    monkeypatch.setattr(_numbers, "_lookalike", reference_lookalike)


def mixed_sample(seed: int, count: int) -> list[str]:
    """Call-log shapes and odd ones: layouts, prefixes, lookalikes, typos, junk."""
    rng = random.Random(seed)
    digits = "0123456789"
    officials = ["95188", "95588", "95599", "95017", "8882211161", "4008009888", "8008693557", "1066085566"]
    shapes: list[Callable[[], str]] = [
        lambda: "1" + rng.choice("3456789") + "".join(rng.choices(digits, k=9)),
        lambda: f"+86 {rng.choice(['138', '159', '186', '10', '21', '755'])} {rng.randint(1000, 99999999)}",
        lambda: f"0{rng.choice(['10', '21', '755', '571'])}-{rng.randint(1000000, 99999999)}",
        lambda: f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
        lambda: f"1-{rng.randint(200, 999)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
        lambda: f"+44 {rng.randint(1000, 7999)} {rng.randint(100000, 999999)}",
        lambda: f"+852 {rng.randint(2000, 9999)} {rng.randint(1000, 9999)}",
        lambda: rng.choice(["", "00", "0086", "+86", "+1", "+44", "1"]) + rng.choice(officials),
        lambda: rng.choice(officials) + "".join(rng.choices(digits, k=rng.randint(1, 4))),
        lambda: "".join(rng.choices(digits, k=rng.randint(1, 4))) + rng.choice(officials),
        lambda: typo(rng, rng.choice(officials)),
        lambda: rng.choice(["", "+", "00"]) + "".join(rng.choices(digits, k=rng.randint(2, 18))),
        lambda: "".join(rng.choices("0123456789+-() .abcＡ１", k=rng.randint(0, 12))),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def typo(rng: random.Random, number: str) -> str:
    i = rng.randrange(len(number) - 1)
    if rng.random() < 0.5:
        return number[:i] + rng.choice("0123456789") + number[i + 1 :]
    return number[:i] + number[i + 1] + number[i] + number[i + 2 :]


@pytest.mark.parametrize(
    ("region", "claims", "lang"),
    [
        ("CN", None, "en"),
        (None, None, "en"),
        ("US", "alipay", "zh"),
        ("GB", "paypal", "en"),
        ("HK", None, "zh"),
    ],
)
def test_fast_path_gives_exactly_the_results_of_the_general_path(
    registry: Registry, monkeypatch: pytest.MonkeyPatch, region: str | None, claims: str | None, lang: str
) -> None:
    sample = mixed_sample(sum(map(ord, f"{region}{claims}{lang}")), 2500)
    fast = [
        r.to_dict() for r in check_numbers(sample, region=region, claims=claims, registry=registry, lang=lang)
    ]
    with monkeypatch.context() as patch:
        general_path(patch)
        general = [
            check_number(n, region=region, claims=claims, registry=registry, lang=lang).to_dict()
            for n in sample
        ]
    assert fast == general
    verdicts = {r["verdict"] for r in fast}
    assert verdicts >= {"lookalike", "unknown", "invalid"}


def test_fast_path_flags_an_expired_registry_like_the_general_path(
    expired_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = mixed_sample(7, 600)
    fast = [r.to_dict() for r in check_numbers(sample, region="CN", registry=expired_registry)]
    with monkeypatch.context() as patch:
        general_path(patch)
        general = [check_number(n, region="CN", registry=expired_registry).to_dict() for n in sample]
    assert fast == general
