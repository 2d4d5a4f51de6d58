"""Schema validation of provider source files and compiled registries, compiling, and lookup."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from callcheck import Registry, RegistryError, UnknownProvider, check_number, load_registry
from callcheck._errors import SignatureError
from callcheck._maintain import build_registry
from callcheck._minisign import SecretKey
from callcheck._registry import compile_registry, load_source_tree, parse_registry

from .conftest import (
    FUTURE,
    PAST,
    TEST_KEYS,
    header_dict,
    other_provider_dict,
    provider_dict,
    sign,
    source,
    write_signed,
)

REPO = Path(__file__).resolve().parent.parent
SHIPPED_SOURCE = REPO / "registry"


def assert_names(exc: BaseException, file: Path | str, provider: str | None, field: str | None) -> None:
    message = str(exc)
    assert str(file) in message
    if provider is not None:
        assert f"provider {provider!r}" in message
    if field is not None:
        assert f"field {field!r}" in message
    assert "\n" not in message.strip()


def edited(change: Callable[[dict[str, Any]], None], pid: str = "acme") -> dict[str, Any]:
    data = copy.deepcopy(provider_dict(pid))
    change(data)
    return data


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        del target[last]

    return change


# --- provider source files -----------------------------------------------------------


def test_valid_source_tree_loads_with_located_numbers(make_registry: Callable[..., Registry]) -> None:
    registry = make_registry()
    (provider,) = registry.providers
    assert provider.id == "acme"
    assert provider.numbers[0].key == "+8695555"
    assert registry.serial == 1
    assert registry.expires == FUTURE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("numbers.0.use", "fax"), "numbers[0].use"),
        (_delete("sources"), "sources"),
        (_delete("numbers.0.sources"), "numbers[0].sources"),
        (_delete("policy.sources"), "policy.sources"),
        (_set("phone", "95555"), "phone"),
        (_set("names.nickname", "A"), "names.nickname"),
        (_set("numbers.0.fax", "1"), "numbers[0].fax"),
        (_set("regions", ["china"]), "regions"),
        (_set("regions", []), "regions"),
        (_set("numbers.0.region", "cn"), "numbers[0].region"),
        (_set("numbers.0.region", "GLOBAL"), "numbers[0].region"),
        (_set("numbers.0.number", "9a555"), "numbers[0].number"),
        (_set("numbers.0.number", "123456789"), "numbers[0].number"),
        (_set("numbers.0.short_code", "yes"), "numbers[0].short_code"),
        (_set("policy.sources", ["nope"]), "policy.sources"),
        (_set("contact.sources", ["s1", "nope"]), "contact.sources"),
        (_set("numbers.0.sources", ["nope"]), "numbers[0].sources"),
        (_set("numbers.0.sources", []), "numbers[0].sources"),
        (_set("numbers.0.sources", ["s1", "s1"]), "numbers[0].sources"),
        (_set("kind", "casino"), "kind"),
        (_set("policy.calls_customers", "sometimes"), "policy.calls_customers"),
        (_set("policy.never_asks_for", ["shoe_size"]), "policy.never_asks_for"),
        (_set("policy.note", 3), "policy.note"),
        (_set("contact.website", "http://acme.example"), "contact.website"),
        (_set("contact.app_path", {"fr": "Appli"}), "contact.app_path.fr"),
        (_set("contact", {"sources": ["s1"]}), "contact"),
        (_set("names.en", ""), "names.en"),
        (_set("names.aliases", ["a", "a"]), "names.aliases"),
        (_set("sources", []), "sources"),
        (_set("sources", [source("s1"), source("s1")]), "sources[1].id"),
        (_set("sources.0.url", "ftp://example.org"), "sources[0].url"),
        (_set("sources.0.checked", "2026-11-22"), "sources[0].checked"),
        (_set("sources.0.checked", dt.datetime(2026, 11, 22, tzinfo=dt.UTC)), "sources[0].checked"),
        (_set("sources.0.publisher", "blog"), "sources[0].publisher"),
        (_set("sources.0.id", "Bad Id"), "sources[0].id"),
    ],
)
def test_malformed_provider_file_error_names_file_provider_and_field(
    make_tree: Callable[..., Path], change: Callable[[dict[str, Any]], None], field: str
) -> None:
    tree = make_tree({"acme": edited(change)})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "acme.toml", "acme", field)


def test_number_that_fails_to_parse_names_its_field(make_tree: Callable[..., Path]) -> None:
    numbers = [{"number": "not a number", "region": "US", "use": "inbound", "sources": ["s1"]}]
    tree = make_tree({"acme": provider_dict("acme", numbers=numbers)})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "acme.toml", "acme", "numbers[0].number")
    assert "US" in str(info.value)


def test_short_code_in_region_without_calling_code_names_region(make_tree: Callable[..., Path]) -> None:
    numbers = [{"number": "95555", "region": "XX", "use": "inbound", "short_code": True, "sources": ["s1"]}]
    tree = make_tree({"acme": provider_dict("acme", numbers=numbers)})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "acme.toml", "acme", "numbers[0].region")


def test_source_referenced_but_not_defined_is_named(make_tree: Callable[..., Path]) -> None:
    tree = make_tree({"acme": edited(_set("policy.sources", ["s1", "ghost"]))})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "acme.toml", "acme", "policy.sources")
    assert "'ghost'" in str(info.value)


def test_unknown_field_error_lists_the_allowed_fields(make_tree: Callable[..., Path]) -> None:
    tree = make_tree({"acme": edited(_set("phone", "95555"))})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "acme.toml", "acme", "phone")
    assert "numbers" in str(info.value) and "unknown field" in str(info.value)


def test_id_not_matching_file_name_is_rejected(make_tree: Callable[..., Path]) -> None:
    tree = make_tree({"other": provider_dict("acme")})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "other.toml", "acme", "id")
    assert "'other'" in str(info.value)


@pytest.mark.parametrize("bad_id", ["Acme", "1acme", "ac-me", "", 7])
def test_malformed_provider_id_names_file_and_field(make_tree: Callable[..., Path], bad_id: Any) -> None:
    tree = make_tree({"acme": provider_dict("acme", id=bad_id)})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "acme.toml", None, "id")


def test_invalid_toml_names_the_file(make_tree: Callable[..., Path]) -> None:
    tree = make_tree()
    bad = tree / "providers" / "broken.toml"
    bad.write_text('id = "broken"\nkind = \n', encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, bad, None, None)
    assert "not valid TOML" in str(info.value)


def test_file_that_is_not_utf8_names_the_file(make_tree: Callable[..., Path]) -> None:
    tree = make_tree()
    bad = tree / "providers" / "latin.toml"
    bad.write_bytes('id = "latin"\n# caf\xe9\n'.encode("latin-1"))
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert str(bad) in str(info.value)


def test_first_bad_file_is_reported_even_among_good_ones(make_tree: Callable[..., Path]) -> None:
    tree = make_tree({"acme": provider_dict("acme"), "beta": edited(_set("kind", "casino"), "beta")})
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "providers" / "beta.toml", "beta", "kind")


# --- header --------------------------------------------------------------------------


def test_expires_without_time_zone_names_header_and_field(make_tree: Callable[..., Path]) -> None:
    tree = make_tree(header=header_dict(expires=dt.datetime(2099, 1, 1)))
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "header.toml", None, "expires")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ({"serial": 0, "expires": FUTURE}, "serial"),
        ({"serial": True, "expires": FUTURE}, "serial"),
        ({"serial": "1", "expires": FUTURE}, "serial"),
        ({"serial": 1, "expires": dt.date(2099, 1, 1)}, "expires"),
        ({"serial": 1}, "expires"),
        ({"serial": 1, "expires": FUTURE, "owner": "x"}, "owner"),
    ],
)
def test_malformed_header_names_header_and_field(
    make_tree: Callable[..., Path], header: dict[str, Any], field: str
) -> None:
    tree = make_tree(header=header)
    with pytest.raises(RegistryError) as info:
        load_source_tree(tree)
    assert_names(info.value, tree / "header.toml", None, field)


def test_tree_without_header_is_rejected(make_tree: Callable[..., Path]) -> None:
    tree = make_tree()
    (tree / "header.toml").unlink()
    with pytest.raises(RegistryError, match=r"header\.toml"):
        load_source_tree(tree)


def test_tree_without_provider_files_is_rejected(make_tree: Callable[..., Path]) -> None:
    tree = make_tree({})
    with pytest.raises(RegistryError, match="no provider files"):
        load_source_tree(tree)


def test_missing_tree_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not a directory"):
        load_source_tree(tmp_path / "nowhere")


# --- compiled files ------------------------------------------------------------------


def _compiled(registry: Registry) -> dict[str, Any]:
    return compile_registry(registry)


def _load(path: Path) -> Registry:
    return load_registry(path, keys=TEST_KEYS)


def test_compiled_document_loads_back_to_equal_providers(make_registry: Callable[..., Registry]) -> None:
    registry = make_registry({"acme": provider_dict("acme"), "beta": other_provider_dict("beta")})
    doc = tomllib.loads(tomli_w.dumps(_compiled(registry)))
    loaded = parse_registry(doc, "mem")
    assert loaded.providers == registry.providers
    assert (loaded.serial, loaded.expires) == (registry.serial, registry.expires)


def test_duplicate_provider_id_in_compiled_file_names_file_provider_and_field(
    make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    doc = _compiled(make_registry())
    doc["providers"].append(copy.deepcopy(doc["providers"][0]))
    path = write_signed(tmp_path / "dup.toml", doc)
    with pytest.raises(RegistryError) as info:
        _load(path)
    assert_names(info.value, path, "acme", "id")
    assert "twice" in str(info.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_delete("numbers.0.national"), "numbers[0].national"),
        (_set("numbers.0.national", "95x55"), "numbers[0].national"),
        (_set("numbers.0.national", "９５５５５"), "numbers[0].national"),
        (_set("numbers.0.country_code", 0), "numbers[0].country_code"),
        (_set("numbers.0.country_code", "86"), "numbers[0].country_code"),
        (_set("numbers.0.use", "fax"), "numbers[0].use"),
        (_set("regions", ["cn"]), "regions"),
        (_delete("sources"), "sources"),
    ],
)
def test_malformed_compiled_provider_names_file_provider_and_field(
    make_registry: Callable[..., Registry],
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    doc = _compiled(make_registry())
    change(doc["providers"][0])
    path = write_signed(tmp_path / "bad.toml", doc)
    with pytest.raises(RegistryError) as info:
        _load(path)
    assert_names(info.value, path, "acme", field)


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("format", 2, "format"),
        ("serial", -1, "serial"),
        ("expires", dt.datetime(2099, 1, 1), "expires"),
        ("providers", {"id": "x"}, "providers"),
        ("signed_by", "me", "signed_by"),
    ],
)
def test_malformed_compiled_header_names_file_and_field(
    make_registry: Callable[..., Registry], tmp_path: Path, key: str, value: Any, field: str
) -> None:
    doc = _compiled(make_registry())
    doc[key] = value
    path = write_signed(tmp_path / "bad.toml", doc)
    with pytest.raises(RegistryError) as info:
        _load(path)
    assert_names(info.value, path, None, field)


def test_missing_compiled_file_is_a_registry_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"missing\.toml"):
        _load(tmp_path / "missing.toml")


def test_compiled_file_without_signature_is_refused(
    make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    path = write_signed(tmp_path / "registry.toml", compile_registry(make_registry()))
    Path(f"{path}.minisig").unlink()
    with pytest.raises(RegistryError, match="minisig"):
        _load(path)


def test_compiled_file_changed_after_signing_is_refused(
    make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    path = write_signed(tmp_path / "registry.toml", compile_registry(make_registry()))
    path.write_text(path.read_text(encoding="utf-8").replace("95555", "95556"), encoding="utf-8")
    with pytest.raises(SignatureError, match="does not match"):
        _load(path)


def test_compiled_file_signed_by_an_untrusted_key_is_refused(
    make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    path = write_signed(tmp_path / "registry.toml", compile_registry(make_registry()))
    with pytest.raises(SignatureError, match="not a trusted key"):
        load_registry(path, keys=[SecretKey.generate().public_key])


# --- building ------------------------------------------------------------------------


def test_build_writes_a_file_that_loads_back_with_the_same_providers(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    tree = make_tree({"acme": provider_dict("acme"), "beta": other_provider_dict("beta")})
    out = tmp_path / "registry.toml"
    result = build_registry(tree, out)
    assert result.path == out and result.providers == 2 and result.serial == 1
    loaded = _load(sign(out))
    assert loaded.providers == load_source_tree(tree).providers
    assert loaded.serial == 1
    assert loaded.expires == FUTURE
    assert loaded.origin == str(out)


def test_second_build_raises_the_serial(make_tree: Callable[..., Path], tmp_path: Path) -> None:
    tree = make_tree()
    out = tmp_path / "registry.toml"
    first = build_registry(tree, out)
    second = build_registry(tree, out)
    assert second.serial == first.serial + 1
    assert _load(sign(out)).serial == second.serial


def test_header_serial_above_the_previous_build_wins(make_tree: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "registry.toml"
    build_registry(make_tree(), out)
    result = build_registry(make_tree(header=header_dict(serial=40)), out)
    assert result.serial == 40


def test_build_counts_serial_from_the_previous_registry_given(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    previous = tmp_path / "previous.toml"
    build_registry(make_tree(header=header_dict(serial=9)), previous)
    result = build_registry(make_tree(), tmp_path / "new.toml", previous=previous)
    assert result.serial == 10


def test_build_refuses_an_expired_header_and_writes_nothing(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "registry.toml"
    with pytest.raises(RegistryError, match="expires"):
        build_registry(make_tree(header=header_dict(expires=PAST)), out)
    assert not out.exists()


def test_failed_build_leaves_the_previous_file_untouched(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "registry.toml"
    build_registry(make_tree(), out)
    before = out.read_bytes()
    with pytest.raises(RegistryError):
        build_registry(make_tree({"acme": edited(_set("kind", "casino"))}), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_built_file_records_when_it_was_built(make_tree: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "registry.toml"
    now = dt.datetime(2030, 6, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
    build_registry(make_tree(), out, now=now)
    doc = tomllib.loads(out.read_text(encoding="utf-8"))
    assert doc["built"] == now.replace(microsecond=0)
    assert out.read_text(encoding="utf-8").startswith("# Compiled by")


def test_source_tree_that_loads_builds_into_a_registry_that_loads_and_matches(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    numbers = [
        {"number": "９５５５５", "region": "CN", "use": "inbound", "short_code": True, "sources": ["s1"]}
    ]
    tree = make_tree({"acme": provider_dict("acme", numbers=numbers)})
    try:
        source_registry = load_source_tree(tree)
    except RegistryError as exc:  # rejecting the number outright is a fine answer too
        assert_names(exc, tree / "providers" / "acme.toml", "acme", "numbers[0].number")
        return
    assert check_number("95555", region="CN", registry=source_registry).verdict == "official"
    out = tmp_path / "registry.toml"
    build_registry(tree, out)
    loaded = _load(sign(out))
    assert check_number("95555", region="CN", registry=loaded).verdict == "official"


# --- the shipped data ----------------------------------------------------------------


def test_shipped_compiled_registry_matches_the_source_tree(shipped: Registry) -> None:
    if not SHIPPED_SOURCE.is_dir():
        pytest.skip("registry source tree not present")
    tree = load_source_tree(SHIPPED_SOURCE)
    assert shipped.providers == tree.providers
    assert shipped.expires == tree.expires
    assert shipped.serial >= tree.serial


def test_shipped_registry_has_the_seed_providers_and_thirty_in_all(shipped: Registry) -> None:
    ids = {p.id for p in shipped.providers}
    assert {"alipay", "apple", "google_wallet", "paypal", "tokenpocket", "unionpay", "wechat_pay"} <= ids
    assert len(ids) >= 30
    assert shipped.origin == "embedded"


def test_loading_the_shipped_registry_twice_gives_the_same_object() -> None:
    assert load_registry() is load_registry()


# --- finding providers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("alipay", ["alipay"]),
        ("支付宝", ["alipay"]),
        ("ALIPAY", ["alipay"]),
        ("Ant Group", ["alipay"]),
        ("antgroup", ["alipay"]),
        ("TP", ["tokenpocket"]),
        ("TP钱包", ["tokenpocket"]),
        ("微信", ["wechat_pay"]),
        ("银联", ["unionpay"]),
        ("google", ["google_wallet"]),
        ("Apple Pay", ["apple"]),
    ],
)
def test_provider_is_found_by_id_or_any_name(registry: Registry, query: str, expected: list[str]) -> None:
    assert [p.id for p in registry.find(query)] == expected


def test_exact_name_beats_partial_matches(registry: Registry) -> None:
    # "PayPal" is contained in no other name, but "pay" is in many.
    assert [p.id for p in registry.find("PayPal")] == ["paypal"]
    assert len(registry.find("pay")) > 1


def test_empty_query_finds_every_provider(registry: Registry) -> None:
    assert registry.find("") == list(registry.providers)


def test_resolve_rejects_unknown_and_ambiguous_names(registry: Registry) -> None:
    assert registry.resolve("贝宝").id == "paypal"
    with pytest.raises(UnknownProvider, match="no provider"):
        registry.resolve("nosuchthing")
    with pytest.raises(UnknownProvider, match="several"):
        registry.resolve("pay")


def test_get_uses_the_exact_id_only(registry: Registry) -> None:
    provider = registry.get("alipay")
    assert provider is not None and provider.name("zh") == "支付宝"
    assert registry.get("Alipay") is None


def test_registry_expiry_is_judged_against_the_given_time(registry: Registry) -> None:
    assert registry.is_expired(FUTURE) is True
    assert registry.is_expired(FUTURE - dt.timedelta(seconds=1)) is False


def test_compiled_registry_without_providers_is_refused(
    make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    # Signed or not, a registry that knows no provider would call every number unknown.
    doc = _compiled(make_registry())
    doc["providers"] = []
    path = write_signed(tmp_path / "empty.toml", doc)
    with pytest.raises(RegistryError) as info:
        _load(path)
    assert_names(info.value, path, None, "providers")
