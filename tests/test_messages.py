"""The English and Chinese catalogues stay in step, and every key the code builds exists."""

from __future__ import annotations

import string
from typing import get_args

import pytest

from callcheck._messages import EN, ZH, resolve_lang, text
from callcheck._numbers import Lookalike
from callcheck._registry import ASKS, CALL_POLICIES, USES
from callcheck._results import RISKS, Verdict


def placeholders(message: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(message) if field is not None}


def has_chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(EN) - set(ZH) == set()
    assert set(ZH) - set(EN) == set()


@pytest.mark.parametrize(
    "key",
    sorted(EN),
)
def test_both_languages_use_the_same_placeholders(key: str) -> None:
    assert placeholders(EN[key]) == placeholders(ZH[key])


def test_the_placeholder_check_sees_every_named_field() -> None:
    assert placeholders("{input!r} is {number} of {provider}.") == {"input", "number", "provider"}
    assert placeholders("no fields") == set()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_message_formats_with_its_own_placeholders(lang: str) -> None:
    catalogue = EN if lang == "en" else ZH
    for key, message in catalogue.items():
        params = {name: f"<{name}>" for name in placeholders(message)}
        rendered = text(key, lang, **params)
        for name in params:
            assert f"<{name}>" in rendered, (key, name)
        assert "{" not in rendered and "}" not in rendered, key


def _only_layout(message: str) -> bool:
    """A message that is nothing but placeholders and punctuation, such as "{name} ({contact})"."""
    return not any(ch.isalpha() for ch in string.Formatter().vformat(message, (), _Blank()))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def test_chinese_catalogue_is_in_chinese_and_english_is_not() -> None:
    assert [k for k, m in ZH.items() if not has_chinese(m) and not _only_layout(m)] == []
    assert not any(has_chinese(m) for m in EN.values())


def _keys_the_code_builds() -> list[str]:
    keys = [f"verdict.{v}" for v in get_args(Verdict)]
    keys += [f"risk.{r}" for r in RISKS]
    keys += [f"use.{u}" for u in USES]
    keys += [f"policy.{p}" for p in CALL_POLICIES]
    keys += [f"reason.claimed_{p}" for p in CALL_POLICIES]
    keys += [f"ask.{a}" for a in ASKS]
    keys += [f"reason.lookalike_{how}" for how in get_args(Lookalike)]
    keys += [
        f"invalid.{c}"
        for c in ("empty", "letters", "too_short", "too_long", "plus", "country_code", "unparsable")
    ]
    return keys


@pytest.mark.parametrize("key", _keys_the_code_builds())
def test_every_key_built_from_a_value_exists_in_both_catalogues(key: str) -> None:
    assert key in EN
    assert key in ZH


def test_unknown_language_falls_back_to_english() -> None:
    assert text("risk.high", "fr") == EN["risk.high"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("zh-Hans", "zh"),
        ("ZH_tw", "zh"),
        ("en", "en"),
        ("en_US.UTF-8", "en"),
        ("fr_FR", "en"),
        ("C", "en"),
    ],
)
def test_language_is_read_from_common_locale_forms(given: str, expected: str) -> None:
    assert resolve_lang(given) == expected


def test_language_comes_from_the_first_locale_variable_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LC_MESSAGES", "zh_CN.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert resolve_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert resolve_lang() == "en"


def test_language_defaults_to_english_without_a_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert resolve_lang() == "en"
