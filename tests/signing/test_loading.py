"""Which registry callcheck trusts: the shipped one, downloaded ones, and the config file."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcheck import RegistryError, load_registry
from callcheck._config import PINNED_KEYS, Config, ConfigError, load_config
from callcheck._errors import SignatureError
from callcheck._loading import EMBEDDED, EMBEDDED_PATH, forget_loaded, load_default, load_trusted
from callcheck._minisign import PublicKey, SecretKey, Signature
from callcheck._store import Store
from callcheck._trust import choose, verify_registry
from callcheck.cli import main
from tests.signing_helpers import (
    BASE_ENV,
    PINNED_KEY_ID,
    Built,
    assert_one_line_error,
    build_signed,
    trusting,
    write_config,
)
from tests.signing_helpers import EMBEDDED as REPO_EMBEDDED


@pytest.fixture
def publisher(tmp_path: Path, key: SecretKey) -> Callable[..., Built]:
    work = tmp_path / "publisher"
    work.mkdir()
    return lambda serial, signer=None: build_signed(work, signer or key, serial=serial)


def install(data: Path, built: Built) -> Path:
    return Store(data).install(
        built.data, built.signature, serial=built.serial, sha256=built.sha256, etag=None, url=None
    )


def shipped_serial() -> int:
    return verify_registry(
        EMBEDDED_PATH.read_bytes(),
        Path(f"{EMBEDDED_PATH}.minisig").read_bytes(),
        Config().keys,
        origin=EMBEDDED,
    ).serial


# --- the shipped registry ---------------------------------------------------------------


def test_package_data_is_the_repository_file() -> None:
    assert EMBEDDED_PATH.resolve() == REPO_EMBEDDED.resolve()


def test_shipped_registry_verifies_against_the_pinned_key(tmp_path: Path) -> None:
    loaded = load_trusted(Config(), tmp_path / "no-downloads")
    assert loaded.origin == EMBEDDED
    assert loaded.warnings == ()
    assert loaded.verified.key_id == PINNED_KEY_ID
    assert PublicKey.from_base64(PINNED_KEYS[0]).id == PINNED_KEY_ID
    assert loaded.verified.sha256 == hashlib.sha256(EMBEDDED_PATH.read_bytes()).hexdigest()
    assert loaded.registry.origin == EMBEDDED
    assert len(loaded.registry.providers) >= 5
    # The serial is in the signed trusted comment as well as in the file.
    comment = Signature.from_text(Path(f"{EMBEDDED_PATH}.minisig").read_bytes()).trusted_comment
    assert f"serial:{loaded.verified.serial}" in comment.split("\t")


def test_shipped_registry_verifies_on_the_command_line() -> None:
    result = CliRunner(env=BASE_ENV).invoke(main, ["registry", "verify", str(EMBEDDED_PATH), "--json"])
    assert result.exit_code == 0, result.stderr
    assert f'"key_id": "{PINNED_KEY_ID}"' in result.stdout


@pytest.mark.parametrize(
    "edit",
    [
        lambda b: b.replace(b"95188", b"95189", 1),  # one digit of a number
        lambda b: b + b"\n",  # a trailing newline
        lambda b: b.replace(b"serial = ", b"serial = 9", 1),  # a higher serial
        lambda b: b.replace(b"\n", b"\r\n"),  # line ends
    ],
    ids=["number", "trailing newline", "serial", "crlf"],
)
def test_edited_copy_of_the_shipped_registry_does_not_verify(
    tmp_path: Path, edit: Callable[[bytes], bytes]
) -> None:
    copy = tmp_path / "registry.toml"
    shutil.copyfile(EMBEDDED_PATH, copy)
    shutil.copyfile(f"{EMBEDDED_PATH}.minisig", f"{copy}.minisig")
    assert load_registry(copy).serial == shipped_serial()  # the unedited copy loads
    edited = edit(copy.read_bytes())
    assert edited != copy.read_bytes()
    copy.write_bytes(edited)
    with pytest.raises(SignatureError, match="does not match the data"):
        load_registry(copy)
    result = CliRunner(env=BASE_ENV).invoke(main, ["registry", "verify", str(copy)])
    assert result.exit_code == 3
    assert "does not match the data" in assert_one_line_error(result.stderr)


def test_load_registry_path_without_its_signature_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "registry.toml"
    shutil.copyfile(EMBEDDED_PATH, copy)
    with pytest.raises(RegistryError, match=r"registry\.toml\.minisig: file not found"):
        load_registry(copy)


def test_load_registry_path_with_explicit_keys(
    tmp_path: Path, publisher: Callable[..., Built], key: SecretKey
) -> None:
    built = publisher(4)
    assert load_registry(built.path, keys=[key.public_key]).serial == 4
    with pytest.raises(SignatureError, match="not a trusted key"):
        load_registry(built.path)  # the default keys are only the pinned one


# --- which keys are trusted -----------------------------------------------------------------


def test_nothing_trusted_at_all_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no trusted registry") as caught:
        load_trusted(Config(pinned_keys=False), tmp_path / "data")
    assert "pinned keys are switched off" in str(caught.value)


def test_shipped_registry_is_ignored_when_pinned_keys_are_off(
    tmp_path: Path, key: SecretKey, publisher: Callable[..., Built]
) -> None:
    data = tmp_path / "data"
    path = install(data, publisher(1))
    loaded = load_trusted(trusting(key, pinned=False), data)
    assert loaded.origin == str(path)
    assert loaded.verified.serial == 1  # lower than the shipped serial, but the shipped one is not trusted
    # Switching the pinned keys off is the user's choice: no warning about it on every run.
    assert loaded.warnings == ()


def test_downloaded_registry_by_a_key_no_longer_trusted_is_ignored(
    tmp_path: Path, key: SecretKey, other_key: SecretKey, publisher: Callable[..., Built]
) -> None:
    data = tmp_path / "data"
    path = install(data, publisher(50, other_key))
    loaded = load_trusted(trusting(key, pinned=True), data)
    assert loaded.origin == EMBEDDED
    assert loaded.warnings == (
        f"ignored the downloaded registry {path}: signed by key {other_key.public_key.id}, "
        "which is not a trusted key",
    )


# --- newest serial wins -------------------------------------------------------------------


def test_downloaded_registry_with_a_higher_serial_wins(
    tmp_path: Path, key: SecretKey, publisher: Callable[..., Built]
) -> None:
    data = tmp_path / "data"
    path = install(data, publisher(shipped_serial() + 1))
    loaded = load_trusted(trusting(key, pinned=True), data)
    assert loaded.origin == str(path)
    assert loaded.verified.serial == shipped_serial() + 1
    assert loaded.warnings == ()


@pytest.mark.parametrize("offset", [-1, 0], ids=["lower", "equal"])
def test_shipped_registry_wins_over_a_download_that_is_not_newer(
    tmp_path: Path, key: SecretKey, publisher: Callable[..., Built], offset: int
) -> None:
    data = tmp_path / "data"
    install(data, publisher(shipped_serial() + offset))
    loaded = load_trusted(trusting(key, pinned=True), data)
    assert loaded.origin == EMBEDDED
    assert loaded.verified.serial == shipped_serial()


def test_previous_download_wins_when_it_is_newer_than_the_current_one(
    tmp_path: Path, key: SecretKey, publisher: Callable[..., Built]
) -> None:
    data = tmp_path / "data"
    newer = install(data, publisher(20))
    install(data, publisher(10))  # Store itself does not judge serials; the loader does
    loaded = load_trusted(trusting(key), data)
    assert loaded.origin == str(newer)


def test_choose_refuses_an_empty_list() -> None:
    with pytest.raises(RegistryError, match="no trusted registry"):
        choose([])


def test_load_default_uses_the_directories_from_the_environment(
    tmp_path: Path, key: SecretKey, publisher: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg, data = tmp_path / "cfg", tmp_path / "data"
    monkeypatch.setenv("CALLCHECK_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("CALLCHECK_DATA_DIR", str(data))
    write_config(cfg, key, pinned=False)
    first = install(data, publisher(7))
    forget_loaded()
    assert load_default().origin == str(first)
    second = install(data, publisher(8))
    assert load_default().origin == str(first)  # kept in memory ...
    forget_loaded()
    assert load_default().origin == str(second)  # ... until forgotten


# --- the config file ------------------------------------------------------------------------


def test_config_file_settings_are_read(tmp_path: Path, key: SecretKey) -> None:
    path = write_config(tmp_path, key, pinned=False, url="https://registry.example/callcheck/")
    config = load_config(path)
    assert config.registry_url == "https://registry.example/callcheck/"
    assert config.trusted_keys == (key.public_key,)
    assert config.keys == (key.public_key,)
    assert config.path == path
    assert load_config(tmp_path / "missing.toml") == Config()
    assert Config(trusted_keys=(key.public_key,)).keys == (
        PublicKey.from_base64(PINNED_KEYS[0]),
        key.public_key,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('registry_urls = "https://x.example/"\n', "unknown setting 'registry_urls'"),
        ('trusted_keys = ["RWQnotakey"]\n', "trusted_keys[0]"),
        (
            'trusted_keys = "RWTtxerR8alOPTB7GH/XvaB8jjP/LG/qCaC8A9hru01fo4HB8YwS+s2m"\n',
            "trusted_keys must be a list",
        ),
        ("trusted_keys = [1]\n", "trusted_keys must be a list"),
        ('registry_url = "ftp://x.example/"\n', "registry_url must be an http(s) address"),
        ('registry_url = "x.example/callcheck"\n', "registry_url must be an http(s) address"),
        ("registry_url = 5\n", "registry_url must be an http(s) address"),
        ('pinned_keys = "no"\n', "pinned_keys must be true or false"),
        ("pinned_keys = \n", "not valid TOML"),
        ("[registry]\nurl = 1\n", "unknown setting 'registry'"),
    ],
    ids=[
        "unknown setting",
        "bad key",
        "keys not a list",
        "key not a string",
        "ftp url",
        "url without scheme",
        "url not a string",
        "pinned not a bool",
        "not toml",
        "unknown table",
    ],
)
def test_config_file_errors_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_config_file_error_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "config.toml").write_text('trusted_keys = ["RWQnotakey"]\n')
    env = {**BASE_ENV, "CALLCHECK_CONFIG_DIR": str(cfg), "CALLCHECK_DATA_DIR": str(tmp_path / "data")}
    for args in (["registry", "info"], ["update"]):
        forget_loaded()
        result = CliRunner(env=env).invoke(main, args)
        assert result.exit_code == 3, (args, result.output)
        line = assert_one_line_error(result.stderr)
        assert str(cfg / "config.toml") in line
        assert "trusted_keys[0]" in line
