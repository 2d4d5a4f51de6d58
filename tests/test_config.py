"""Where callcheck looks for its config file and downloaded registries."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from callcheck._config import APP, ConfigError, config_dir, data_dir, load_config

HOMES = ["/home/someone", "/home/someone/", "/", "relative/home", "", None]
XDG = ["/xdg/place", "/xdg/place/", "", "   ", "relative/xdg", None]


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is taken on Linux only")
@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("xdg", XDG)
def test_directories_are_where_platformdirs_puts_them(
    monkeypatch: pytest.MonkeyPatch, home: str | None, xdg: str | None
) -> None:
    for name in ("CALLCHECK_CONFIG_DIR", "CALLCHECK_DATA_DIR", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (("HOME", home), ("XDG_CONFIG_HOME", xdg), ("XDG_DATA_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = (platformdirs.user_config_path(APP), platformdirs.user_data_path(APP))
    except RuntimeError:  # no usable home directory: callcheck must fail the same way
        with pytest.raises(RuntimeError):
            config_dir()
        return
    assert (config_dir(), data_dir()) == expected


def test_the_environment_overrides_the_platform_directories(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCHECK_CONFIG_DIR", "/somewhere/config")
    monkeypatch.setenv("CALLCHECK_DATA_DIR", "/somewhere/data")
    assert (str(config_dir()), str(data_dir())) == ("/somewhere/config", "/somewhere/data")


def test_config_nested_too_deep_for_tomllib_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("trusted_keys = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml: not valid TOML: nested too deep$"):
        load_config(path)
