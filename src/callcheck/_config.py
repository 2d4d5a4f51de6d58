"""User and organisation settings: extra trusted keys and the registry address.

The config file lives in the platform's config directory (``callcheck config-path``
prints it). Reading it never touches the network.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ._errors import CallcheckError, SignatureError, Text, os_reason
from ._minisign import PublicKey
from ._values import Value

if TYPE_CHECKING:
    from pathlib import Path

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields

APP = "callcheck"

# The project's release keys, pinned in the package. To rotate, add the new key
# here in one release and sign with both; drop the old key in a later release.
PINNED_KEYS: tuple[str, ...] = (
    "RWTtxerR8alOPTB7GH/XvaB8jjP/LG/qCaC8A9hru01fo4HB8YwS+s2m",  # 3D4EA9F1D1EAC5ED, 2026
)


class ConfigError(CallcheckError):
    """The config file is malformed."""


class Config(Value):
    """Settings read from the config file (all optional)."""

    __slots__ = ("registry_url", "trusted_keys", "pinned_keys", "path")
    registry_url: str | None
    trusted_keys: tuple[PublicKey, ...]
    pinned_keys: bool
    path: Path | None

    def __init__(
        self,
        registry_url: str | None = None,
        trusted_keys: tuple[PublicKey, ...] = (),
        pinned_keys: bool = True,
        path: Path | None = None,
    ) -> None:
        _set(self, "registry_url", registry_url)
        _set(self, "trusted_keys", trusted_keys)
        _set(self, "pinned_keys", pinned_keys)
        _set(self, "path", path)

    @property
    def keys(self) -> tuple[PublicKey, ...]:
        """Every key a registry may be signed with: pinned ones (unless disabled) and added ones."""
        pinned = tuple(PublicKey.from_base64(k) for k in PINNED_KEYS) if self.pinned_keys else ()
        return pinned + self.trusted_keys


def config_dir() -> Path:
    """Where the config file is read from (``CALLCHECK_CONFIG_DIR``, else the platform's place)."""
    from pathlib import Path

    return Path(config_dir_name())


def data_dir() -> Path:
    """Where downloaded registries are kept (``CALLCHECK_DATA_DIR``, else the platform's place)."""
    from pathlib import Path

    return Path(data_dir_name())


def config_dir_name() -> str:
    """:func:`config_dir` as a string, without importing pathlib (the number check's path)."""
    override = os.environ.get("CALLCHECK_CONFIG_DIR")
    if override:
        return override
    fast = _linux_user_dir("XDG_CONFIG_HOME", "~/.config")
    if fast is not None:
        return fast
    import platformdirs

    return platformdirs.user_config_dir(APP)


def data_dir_name() -> str:
    """:func:`data_dir` as a string, without importing pathlib (the number check's path)."""
    override = os.environ.get("CALLCHECK_DATA_DIR")
    if override:
        return override
    fast = _linux_user_dir("XDG_DATA_HOME", "~/.local/share")
    if fast is not None:
        return fast
    import platformdirs

    return platformdirs.user_data_dir(APP)


def _linux_user_dir(xdg_variable: str, default: str) -> str | None:
    """The directory platformdirs gives on Linux in the plain case, or None for any other case.

    Importing platformdirs takes ~10 ms of a number check's start. The plain case is a
    Linux that is not Android, an XDG variable unset, empty or absolute, and an absolute
    ``HOME``: there every platformdirs release answers ``$XDG_…/callcheck`` or
    ``~/…/callcheck``. Anything else (relative values, which releases treat differently,
    other systems) is left to platformdirs itself. A test compares the two.
    """
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    env = os.environ
    if env.get("ANDROID_DATA") == "/data" and env.get("ANDROID_ROOT") == "/system":
        return None
    home = env.get("HOME", "")
    if not home.startswith("/"):
        return None
    xdg = env.get(xdg_variable, "")
    if xdg.startswith("/"):
        return os.path.join(xdg, APP)
    if xdg:
        return None
    return os.path.join(os.path.expanduser(default), APP)


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read the config file; a missing file means the defaults.

    Raises:
        ConfigError: the file exists but is malformed (the message names the field).
    """
    path = path or config_path()
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return Config(path=None)
    except OSError as exc:
        raise ConfigError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    from pathlib import Path

    path = Path(path)
    import tomllib  # most users have no config file: then it is not needed at all

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("file.not_utf8", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("file.not_toml", path=str(path), detail=str(exc)) from None
    except RecursionError:  # arrays or inline tables nested deeper than Python's stack
        raise ConfigError("file.not_toml", path=str(path), detail=Text("registry.nested_too_deep")) from None
    unknown = set(data) - {"registry_url", "trusted_keys", "pinned_keys"}
    if unknown:
        raise ConfigError("config.unknown_setting", path=str(path), name=sorted(unknown)[0])
    url = data.get("registry_url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("https://", "http://"))):
        raise ConfigError("config.bad_registry_url", path=str(path))
    pinned = data.get("pinned_keys", True)
    if not isinstance(pinned, bool):
        raise ConfigError("config.bad_pinned_keys", path=str(path))
    raw_keys = data.get("trusted_keys", [])
    if not isinstance(raw_keys, list) or not all(isinstance(k, str) for k in raw_keys):
        raise ConfigError("config.bad_trusted_keys", path=str(path))
    keys = []
    for i, raw in enumerate(raw_keys):
        try:
            keys.append(PublicKey.from_base64(raw))
        except SignatureError as exc:
            raise ConfigError("config.bad_trusted_key", path=str(path), index=i, error=exc) from None
    return Config(registry_url=url, trusted_keys=tuple(keys), pinned_keys=pinned, path=path)
