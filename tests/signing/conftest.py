"""Fixtures for the signed-registry tests: keys, configs, data directories, a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callcheck._loading import forget_loaded
from callcheck._minisign import SecretKey
from tests.signing_helpers import RegistryServer


@pytest.fixture(scope="session")
def key() -> SecretKey:
    """The key the test publisher signs with (trusted through each test's config)."""
    return SecretKey.generate()


@pytest.fixture(scope="session")
def other_key() -> SecretKey:
    """A key nobody trusts."""
    return SecretKey.generate()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server() -> Iterator[RegistryServer]:
    with RegistryServer() as srv:
        yield srv


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never read or write the real user's config or data directory."""
    monkeypatch.setenv("CALLCHECK_CONFIG_DIR", str(tmp_path / "no-config"))
    monkeypatch.setenv("CALLCHECK_DATA_DIR", str(tmp_path / "no-data"))
    monkeypatch.delenv("CALLCHECK_KEY_PASSWORD", raising=False)
    forget_loaded()
    yield
    forget_loaded()
