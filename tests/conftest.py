"""Shared fixtures: the shipped registry pinned to a future expiry, and small
registries written as TOML into ``tmp_path`` so tests do not depend on the data."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from callcheck import Registry, load_registry
from callcheck._maintain import sign_file
from callcheck._minisign import PublicKey, SecretKey
from callcheck._registry import load_source_tree

# Hypothesis profiles. "default" (and Hypothesis's own "ci", loaded when the CI variable
# is set) keeps the whole suite within CI's time limit; "fuzz" is the long run, one
# command (README.md, "Tests"):
#     HYPOTHESIS_PROFILE=fuzz python -m pytest -m hypothesis
# No deadline: a slow machine must not turn a slow example into a failure. Hangs are
# caught by the timeouts of tests/test_adversarial.py instead.
settings.register_profile("default", deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or settings.get_current_profile_name())


def examples(share: float) -> settings:
    """The loaded profile with ``share`` of its examples: below 1 for a test whose every
    example is costly, above 1 for a cheap one; a fuzz run scales them all."""
    return settings(max_examples=max(1, round(settings().max_examples * share)))


FUTURE = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
PAST = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
CHECKED = dt.date(2026, 11, 22)

# Locale variables cleared so the CLI's default language is English everywhere.
CLI_ENV = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8", "NO_COLOR": "1"}

# A signing key made for this test run only: registries written by tests are signed
# with it and loaded with ``load_registry(path, keys=TEST_KEYS)``.
TEST_KEY = SecretKey.generate()
TEST_KEYS: list[PublicKey] = [TEST_KEY.public_key]


def sign(path: Path) -> Path:
    """Sign ``path`` into ``path.minisig`` with the test key; return ``path``."""
    sign_file(path, TEST_KEY)
    return path


def write_signed(path: Path, document: Mapping[str, Any]) -> Path:
    """Write a compiled registry document as TOML and sign it with the test key."""
    path.write_text(tomli_w.dumps(dict(document)), encoding="utf-8")
    return sign(path)


def source(sid: str) -> dict[str, Any]:
    return {
        "id": sid,
        "url": f"https://example.org/{sid}",
        "title": f"Source {sid}",
        "checked": CHECKED,
        "publisher": "provider",
    }


def provider_dict(pid: str = "acme", **overrides: Any) -> dict[str, Any]:
    """A valid source-tree provider table; ``overrides`` replace top-level keys."""
    data: dict[str, Any] = {
        "id": pid,
        "kind": "payment_app",
        "regions": ["CN"],
        "names": {"en": pid.title(), "zh": "测试", "aliases": [f"{pid} pay"]},
        "policy": {
            "calls_customers": "may_call",
            "never_asks_for": ["password"],
            "sources": ["s1"],
        },
        "contact": {"website": f"https://{pid}.example", "sources": ["s1"]},
        "numbers": [
            {
                "number": "95555",
                "region": "CN",
                "use": "inbound",
                "short_code": True,
                "note": "hotline",
                "sources": ["s1"],
            }
        ],
        "sources": [source("s1")],
    }
    data.update(overrides)
    return data


def other_provider_dict(pid: str = "beta", number: str = "95566", **overrides: Any) -> dict[str, Any]:
    """Like :func:`provider_dict`, with a number and Chinese name of its own: a registry
    may not give two providers one number or one name."""
    data = provider_dict(pid, **overrides)
    if "numbers" not in overrides:
        data["numbers"] = [{**data["numbers"][0], "number": number}]
    if "names" not in overrides:
        data["names"] = {**data["names"], "zh": f"测试{pid}"}
    return data


def header_dict(serial: int = 1, expires: Any = FUTURE) -> dict[str, Any]:
    return {"serial": serial, "expires": expires}


def write_tree(
    directory: Path,
    providers: Mapping[str, Mapping[str, Any]],
    header: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``header.toml`` and ``providers/<stem>.toml`` (one per dict) under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "header.toml").write_text(tomli_w.dumps(dict(header or header_dict())), encoding="utf-8")
    pdir = directory / "providers"
    pdir.mkdir(exist_ok=True)
    for stem, data in providers.items():
        (pdir / f"{stem}.toml").write_text(tomli_w.dumps(copy.deepcopy(dict(data))), encoding="utf-8")
    return directory


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[..., Path]:
    """Write a registry source tree into a fresh directory under ``tmp_path``."""
    counter = iter(range(1_000_000))

    def make(
        providers: Mapping[str, Mapping[str, Any]] | None = None,
        header: Mapping[str, Any] | None = None,
    ) -> Path:
        if providers is None:
            providers = {"acme": provider_dict("acme")}
        return write_tree(tmp_path / f"tree{next(counter)}", providers, header)

    return make


@pytest.fixture
def make_registry(make_tree: Callable[..., Path]) -> Callable[..., Registry]:
    """Write a source tree and load it with ``load_source_tree``."""

    def make(
        providers: Mapping[str, Mapping[str, Any]] | None = None,
        header: Mapping[str, Any] | None = None,
    ) -> Registry:
        return load_source_tree(make_tree(providers, header))

    return make


@pytest.fixture(scope="session", autouse=True)
def _no_user_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point callcheck's config and data directories at empty ones, so a config file or
    a downloaded registry on the machine running the tests cannot change results."""
    saved = {k: os.environ.get(k) for k in ("CALLCHECK_CONFIG_DIR", "CALLCHECK_DATA_DIR")}
    os.environ["CALLCHECK_CONFIG_DIR"] = str(tmp_path_factory.mktemp("config"))
    os.environ["CALLCHECK_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def shipped() -> Registry:
    """The registry shipped in the package, exactly as loaded."""
    return load_registry()


@pytest.fixture(scope="session")
def registry(shipped: Registry) -> Registry:
    """The shipped providers with an expiry far in the future, so results do not
    change on the day the shipped data expires."""
    return dataclasses.replace(shipped, expires=FUTURE)


@pytest.fixture(scope="session")
def expired_registry(shipped: Registry) -> Registry:
    return dataclasses.replace(shipped, expires=PAST)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env=CLI_ENV)


@pytest.fixture
def subprocess_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the installed ``callcheck``: plain locale, no colour, and
    config and data directories of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(
        LANG="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
        CALLCHECK_CONFIG_DIR=str(tmp_path / "config"),
        CALLCHECK_DATA_DIR=str(tmp_path / "data"),
    )
    return env
