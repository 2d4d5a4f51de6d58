"""Properties of the registry loaders over damaged input: a compiled registry (signed, so
that its content is what gets tested) or a source tree whose TOML has been mutated
(keys dropped, types changed, huge numbers, odd dates, wrong nesting, garbled text)
loads as a well-formed Registry or is refused with RegistryError, never another error.
What loads can be used for checks.

``HYPOTHESIS_PROFILE=fuzz python -m pytest -m hypothesis`` runs these for longer.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from callcheck import Registry, RegistryError, check_number, check_transcript, load_registry
from callcheck._errors import SignatureError
from callcheck._maintain import sign_file
from callcheck._minisign import sign
from callcheck._registry import (
    FORMAT_VERSION,
    compile_registry,
    load_source_tree,
    parse_provider,
    parse_reporting,
)
from callcheck._trust import verify_registry
from tests.conftest import FUTURE, TEST_KEY, TEST_KEYS, examples, header_dict, provider_dict, source

# --- a small valid registry to damage ------------------------------------------------

BETA = provider_dict(
    "beta",
    kind="bank",
    regions=["US", "GLOBAL"],
    names={"en": "Beta Bank", "aliases": ["beta"]},
    policy={"calls_customers": "never", "never_asks_for": ["pin", "verification_code"], "sources": ["s1"]},
    contact={"app_path": {"en": "Beta app → Help", "zh": "帮助"}, "sources": ["s1"]},
    numbers=[
        {"number": "+1 888 221 1161", "region": "US", "use": "inbound", "sources": ["s1"]},
        {"number": "(800) 555-0199", "region": "US", "use": "sms", "note": "texts", "sources": ["s1"]},
    ],
)
REPORTING = {
    "channels": [
        {
            "id": "cn-96110",
            "region": "CN",
            "kind": "phone",
            "contact": "96110",
            "name": {"en": "Anti-fraud line", "zh": "反诈专线"},
            "note": {"en": "Free"},
            "sources": ["r1"],
        }
    ],
    "sources": [source("r1")],
}
SOURCE_PROVIDERS = {"acme": provider_dict("acme"), "beta": BETA}
COMPILED = compile_registry(
    Registry(
        serial=3,
        expires=FUTURE,
        providers=tuple(parse_provider(p, "mem") for p in SOURCE_PROVIDERS.values()),
        origin="mem",
        reporting=parse_reporting(REPORTING, "mem")[0],
        reporting_sources=parse_reporting(REPORTING, "mem")[1],
    ),
    built=dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC),
)

# --- mutations -----------------------------------------------------------------------

# Time zones TOML can write: whole minutes, less than a day.
_offsets = st.integers(-1439, 1439).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
# Values a TOML document can hold, the near-misses of valid ones first.
_near = st.sampled_from(
    [
        "",
        " ",
        "CN",
        "cn",
        "GLOBAL",
        "ZZ",
        "acme",
        "Acme",
        "s1",
        "https://x.example",
        "http://x.example",
        "ftp://x",
        "95188",
        "+1 888 221 1161",
        "+999 1",
        "12",
        "9" * 300,
        "٩٥١٨٨",
        "inbound",
        "sms",
        "never",
        "on_request",
        "password",
        "provider",
        "third_party",
        "phone",
        "\u200b",
        "{0}",
        "%s",
        0,
        -1,
        1,
        999,
        1000,
        FORMAT_VERSION + 1,
        2**63 - 1,
        -(2**63),
        True,
        False,
        1.5,
        float("inf"),
        float("nan"),
        [],
        {},
        [{}],
        ["s1", "s1"],
        dt.date(1, 1, 1),
        dt.date(9999, 12, 31),
        dt.datetime(2099, 1, 1),  # no time zone
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.time(12, 0),
    ]
)
_scalars = st.one_of(
    _near,
    st.text(max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), _offsets)),
    st.times(),
)
toml_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (dict keys and list indexes)."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _places(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += _places(inner, (*path, i))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


@st.composite
def damaged(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with one to four mutations, each at a value anywhere in it."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        places = _places(doc)
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent, last = _parent(doc, path), path[-1]
        how = draw(st.sampled_from(["drop", "replace", "add", "repeat", "wrap", "swap"]))
        if how == "drop":
            del parent[last]
        elif how == "replace":
            parent[last] = copy.deepcopy(draw(toml_values))  # [] and {} above are shared
        elif how == "add" and isinstance(parent[last], dict):
            key = draw(st.sampled_from(["id", "extra", "numbers", "en", "sources", "x"]))
            parent[last][key] = copy.deepcopy(draw(toml_values))
        elif how == "repeat" and isinstance(parent[last], list) and parent[last]:
            parent[last].append(copy.deepcopy(parent[last][0]))
        elif how == "wrap":
            parent[last] = draw(st.sampled_from([[parent[last]], {"x": parent[last]}]))
        elif how == "swap":
            other = draw(st.sampled_from(places))
            if other[: len(path)] == path or path[: len(other)] == other:
                continue  # one holds the other: swapping them would make a cycle
            other_parent = _parent(doc, other)
            parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
    return doc


@st.composite
def garbled(draw: st.DrawFn, text: str) -> bytes:
    """The bytes of ``text`` with lines dropped, repeated or cut, or bytes changed."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        how = draw(st.sampled_from(["drop", "repeat", "cut", "insert"]))
        if not lines:
            break
        if how == "drop":
            del lines[i]
        elif how == "repeat":
            lines.insert(i, lines[i])
        elif how == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.sampled_from(['"', "[", "]", "=", "\\", "\n", "#", "\x00", "\ufeff", "[[", "'''"]))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
    data = "".join(lines).encode()
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def _dumps(document: dict[str, Any]) -> bytes | None:
    """The TOML of ``document``, or None for values TOML cannot hold (tomli_w refuses)."""
    try:
        return tomli_w.dumps(document).encode()
    except (TypeError, ValueError):
        return None


def assert_well_formed_and_usable(registry: Registry) -> None:
    """What a loaded registry promises its users, and a check with it runs."""
    assert type(registry.serial) is int and registry.serial >= 1
    assert registry.expires.tzinfo is not None
    assert registry.providers
    for provider in registry.providers:
        assert re.fullmatch(r"[a-z][a-z0-9_]{0,39}", provider.id)
        assert provider.names.en.strip()
        for number in provider.numbers:
            assert type(number.country_code) is int and 1 <= number.country_code <= 999, number
            assert re.fullmatch(r"\+[0-9]+", number.key), number
            assert set(number.sources) <= {s.id for s in provider.sources}
        json.dumps(provider.to_dict(), default=str)
    for provider in registry.providers:
        for number in provider.numbers:
            check_number(number.key, registry=registry)
            check_number(number.number, region=None, registry=registry)
    check_transcript("Please read me the verification code. 请把验证码告诉我，我是acme", registry=registry)


def test_the_undamaged_documents_load() -> None:
    data = _dumps(COMPILED)
    assert data is not None
    loaded = verify_registry(data, sign(data, TEST_KEY).to_text(), TEST_KEYS, origin="mem").registry
    assert [p.id for p in loaded.providers] == ["acme", "beta"]
    assert_well_formed_and_usable(loaded)


# --- compiled registries -------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory the examples of a test write their files into, one after another."""
    return tmp_path_factory.mktemp("fuzz")


def _load_signed(directory: Path, data: bytes) -> Registry | None:
    """``data`` signed with the test key and loaded with load_registry; None if refused."""
    path = directory / "registry.toml"
    path.write_bytes(data)
    sign_file(path, TEST_KEY)
    try:
        return load_registry(path, keys=TEST_KEYS)
    except RegistryError:
        return None


@examples(1)
@given(damaged(COMPILED))
def test_damaged_compiled_registry_loads_well_formed_or_is_refused_as_a_registry_error(
    files: Path, document: dict[str, Any]
) -> None:
    data = _dumps(document)
    if data is None:
        return
    registry = _load_signed(files, data)
    if registry is not None:
        assert_well_formed_and_usable(registry)


def test_boolean_country_code_is_refused(files: Path) -> None:
    document = copy.deepcopy(COMPILED)
    document["providers"][0]["numbers"][0]["country_code"] = True
    data = _dumps(document)
    assert data is not None
    assert _load_signed(files, data) is None


def test_compiled_registry_without_providers_is_refused(files: Path) -> None:
    data = _dumps({**COMPILED, "providers": []})
    assert data is not None
    assert _load_signed(files, data) is None


def test_every_provider_of_a_loaded_registry_is_named_by_its_id(files: Path) -> None:
    document = copy.deepcopy(COMPILED)
    document["providers"][1]["names"]["aliases"] = ["acme"]
    data = _dumps(document)
    assert data is not None
    registry = _load_signed(files, data)
    assert registry is None or all(registry.resolve(p.id) is p for p in registry.providers)


@examples(1)
@given(garbled(tomli_w.dumps(COMPILED)))
def test_garbled_compiled_registry_loads_well_formed_or_is_refused_as_a_registry_error(
    files: Path, data: bytes
) -> None:
    registry = _load_signed(files, data)
    if registry is not None:
        assert_well_formed_and_usable(registry)


@examples(0.5)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_signed_bytes_load_or_are_refused_as_a_registry_error(files: Path, data: bytes) -> None:
    assert _load_signed(files, data) is None  # nothing this short is a registry


@examples(0.5)
@given(st.binary(max_size=400))
def test_registry_with_any_bytes_as_its_signature_is_refused_as_a_signature_error(
    files: Path, signature: bytes
) -> None:
    path = files / "registry.toml"
    path.write_bytes(_dumps(COMPILED) or b"")
    Path(f"{path}.minisig").write_bytes(signature)
    with pytest.raises(SignatureError):
        load_registry(path, keys=TEST_KEYS)


# --- source trees --------------------------------------------------------------------


def _write(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(data)


def _load_tree(
    directory: Path, header: bytes | None, providers: dict[str, bytes | None], reporting: bytes | None
) -> Registry | None:
    (directory / "providers").mkdir(parents=True, exist_ok=True)
    for old in (directory / "providers").glob("*.toml"):
        old.unlink()
    _write(directory / "header.toml", header)
    _write(directory / "reporting.toml", reporting)
    for stem, data in providers.items():
        _write(directory / "providers" / f"{stem}.toml", data)
    try:
        return load_source_tree(directory)
    except RegistryError:
        return None


@examples(1)
@given(
    st.one_of(damaged(header_dict()), st.just(header_dict())),
    damaged(SOURCE_PROVIDERS),
    st.one_of(damaged(REPORTING), st.just(REPORTING), st.none()),
)
def test_damaged_source_tree_loads_well_formed_or_is_refused_as_a_registry_error(
    files: Path, header: dict[str, Any], providers: dict[str, Any], reporting: dict[str, Any] | None
) -> None:
    written = {
        stem: _dumps(provider) if isinstance(provider, dict) else b"x = 1\n"
        for stem, provider in providers.items()
    }
    registry = _load_tree(
        files / "tree", _dumps(header), written, None if reporting is None else _dumps(reporting)
    )
    if registry is not None:
        assert_well_formed_and_usable(registry)


@examples(1)
@given(garbled(tomli_w.dumps(BETA)), garbled(tomli_w.dumps(header_dict())))
def test_garbled_source_tree_files_load_well_formed_or_are_refused_as_a_registry_error(
    files: Path, provider: bytes, header: bytes
) -> None:
    registry = _load_tree(files / "tree", header, {"beta": provider}, None)
    if registry is not None:
        assert_well_formed_and_usable(registry)
