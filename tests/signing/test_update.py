"""``callcheck update`` against a real HTTP server on 127.0.0.1.

Every refusal must leave the installed registry and ``state.json`` byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcheck._errors import UpdateError
from callcheck._loading import load_trusted
from callcheck._minisign import SecretKey, sign
from callcheck._store import Store
from callcheck._update import MAX_REGISTRY_BYTES, MAX_SIGNATURE_BYTES, update
from callcheck.cli import main
from tests.signing_helpers import (
    BASE_ENV,
    Built,
    RegistryServer,
    assert_one_line_error,
    build_signed,
    declared_too_large,
    drip,
    drip_headers,
    dropped,
    etag_of,
    provider,
    raw,
    redirect,
    run_cli,
    serve_file,
    silent,
    snapshot,
    status,
    streamed_too_large,
    trusting,
    write_config,
)

TIMEOUT = 0.5
DEADLINE = 1.5
PAST_BUILD = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
PAST_EXPIRY = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def publish(tmp_path: Path, key: SecretKey) -> Callable[..., Built]:
    """Build and sign a registry with the given serial (by default with the trusted key)."""
    work = tmp_path / "publisher"
    work.mkdir()

    def make(serial: int, *, signer: SecretKey | None = None, **kwargs: object) -> Built:
        return build_signed(work, signer or key, serial=serial, **kwargs)  # type: ignore[arg-type]

    return make


def installed_serial(data_dir: Path, key: SecretKey) -> tuple[int, str]:
    loaded = load_trusted(trusting(key), data_dir)
    return loaded.verified.serial, loaded.origin


# --- updates that install ---------------------------------------------------------------


def test_update_installs_a_newer_signed_registry(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    built = publish(5)
    server.publish(built)
    result = update(server.url, config=trusting(key), data=data_dir)
    assert result.status == "updated"
    assert (result.serial, result.previous_serial) == (5, None)
    assert result.sha256 == built.sha256
    assert result.key_id == key.public_key.id
    assert result.url == server.url
    assert result.path is not None
    path = Path(result.path)
    assert path.read_bytes() == built.data
    assert Path(f"{path}.minisig").read_bytes() == built.signature
    assert path.parent == data_dir / "registry"
    state = json.loads((data_dir / "registry" / "state.json").read_text())
    assert state["current"] == path.name.removesuffix(".toml")
    assert state["url"] == server.url
    assert state["etag"] == etag_of(built.data)

    loaded = load_trusted(trusting(key), data_dir)
    assert loaded.verified.serial == 5
    assert loaded.origin == str(path)
    assert loaded.verified.sha256 == built.sha256
    assert [p.id for p in loaded.registry.providers] == ["acme"]


def test_update_from_the_command_line_then_info_shows_it(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, tmp_path: Path
) -> None:
    server.publish(publish(5))
    cfg, data = tmp_path / "cfg", tmp_path / "d"
    write_config(cfg, key, url=server.url)  # registry_url from the config file, no --url
    done = run_cli(["update"], config_dir=cfg, data_dir=data)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"updated: registry serial 5, signed by key {key.public_key.id}"
    info = run_cli(["registry", "info", "--json"], config_dir=cfg, data_dir=data)
    assert info.returncode == 0, info.stderr
    shown = json.loads(info.stdout)
    state = Store(data).state()
    assert state is not None
    assert shown["serial"] == 5
    assert shown["origin"] == str(data / "registry" / f"{state.current}.toml")
    assert shown["key_id"] == key.public_key.id
    assert shown["expired"] is False


def test_newer_update_replaces_and_keeps_one_previous(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    cfg = trusting(key)
    names = []
    for serial in (5, 6, 9):
        server.publish(publish(serial))
        result = update(server.url, config=cfg, data=data_dir)
        assert result.status == "updated"
        assert result.serial == serial
        names.append(Path(str(result.path)).name.removesuffix(".toml"))
    assert result.previous_serial == 6
    state = Store(data_dir).state()
    assert state is not None
    assert (state.current, state.previous) == (names[2], names[1])
    # The install before the previous one is pruned.
    assert sorted(snapshot(data_dir)) == sorted(
        [
            f"{names[1]}.toml",
            f"{names[1]}.toml.minisig",
            f"{names[2]}.toml",
            f"{names[2]}.toml.minisig",
            "state.json",
        ]
    )
    assert installed_serial(data_dir, key)[0] == 9


def test_same_registry_again_is_unchanged_when_the_server_has_no_etags(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    server.etags = False
    server.publish(publish(5))
    update(server.url, config=trusting(key), data=data_dir)
    before = snapshot(data_dir)
    again = update(server.url, config=trusting(key), data=data_dir)
    assert again.status == "unchanged"
    assert (again.serial, again.previous_serial, again.path) == (5, 5, None)
    assert snapshot(data_dir) == before


def test_same_registry_again_is_a_304_and_unchanged(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    built = publish(5)
    server.publish(built)
    update(server.url, config=trusting(key), data=data_dir)
    before = snapshot(data_dir)
    try:
        again = update(server.url, config=trusting(key), data=data_dir)
    finally:
        # Whatever happened, the client asked with the ETag it was given and nothing changed.
        assert server.requested("registry.toml")[-1].get("if-none-match") == etag_of(built.data)
        assert snapshot(data_dir) == before
    assert again.status == "unchanged"
    assert again.serial == 5
    assert len(server.requested("registry.toml.minisig")) == 1  # no signature fetch after the 304


def test_update_repairs_a_damaged_install_even_with_etags(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    cfg = trusting(key)
    for serial in (5, 6):
        server.publish(publish(serial))
        update(server.url, config=cfg, data=data_dir)
    current = data_dir / "registry" / f"{Store(data_dir).state().current}.toml"  # type: ignore[union-attr]
    current.write_bytes(current.read_bytes().replace(b"hotline", b"hotlime"))
    assert load_trusted(cfg, data_dir).verified.serial == 5  # falls back to the previous install
    update(server.url, config=cfg, data=data_dir)
    loaded = load_trusted(cfg, data_dir)
    assert loaded.verified.serial == 6
    assert loaded.warnings == ()  # repaired: nothing is ignored any more


def test_update_repairs_a_damaged_install_when_the_server_has_no_etags(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    server.etags = False
    cfg = trusting(key)
    for serial in (5, 6):
        server.publish(publish(serial))
        update(server.url, config=cfg, data=data_dir)
    current = data_dir / "registry" / f"{Store(data_dir).state().current}.toml"  # type: ignore[union-attr]
    current.write_bytes(current.read_bytes().replace(b"hotline", b"hotlime"))
    assert load_trusted(cfg, data_dir).verified.serial == 5
    result = update(server.url, config=cfg, data=data_dir)
    assert result.status == "updated"
    assert load_trusted(cfg, data_dir).verified.serial == 6


def test_same_scheme_redirect_is_followed(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    built = publish(5)
    for name, body in built.files.items():
        server.routes[f"/mirror/{name}"] = lambda h, body=body: serve_file(h, body)
        server.route(name, redirect(f"{server.origin}/mirror/{name}", code=301))
    result = update(server.url, config=trusting(key), data=data_dir)
    assert result.status == "updated"
    assert result.sha256 == built.sha256
    assert [p for p, _ in server.requests] == [
        "/reg/registry.toml",
        "/mirror/registry.toml",
        "/reg/registry.toml.minisig",
        "/mirror/registry.toml.minisig",
    ]


def test_a_registry_served_without_content_length_is_accepted(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    built = publish(5)
    server.publish(built)
    server.route("registry.toml", raw(b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\n" + built.data))
    assert update(server.url, config=trusting(key), data=data_dir).sha256 == built.sha256


def test_a_slow_but_steady_server_within_the_deadline_is_accepted(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    built = publish(5)
    server.publish(built)
    server.route("registry.toml", drip(built.data, interval=0.02, piece=max(1, len(built.data) // 10)))
    result = update(server.url, config=trusting(key), data=data_dir, timeout=TIMEOUT, deadline=5)
    assert result.status == "updated"


# --- refusals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What a refusal case can use to set the server up."""

    server: RegistryServer
    publish: Callable[..., Built]
    key: SecretKey  # trusted
    other: SecretKey  # not trusted


@dataclass(frozen=True)
class Refusal:
    """How the server misbehaves, and what the refusal must say."""

    arrange: Callable[[Setup], None]
    message: str


def _missing_signature(s: Setup) -> None:
    s.server.files = {"registry.toml": s.publish(7).data}


def _bad_signature(s: Setup) -> None:
    built = s.publish(7)
    s.server.files = {
        "registry.toml": built.data.replace(b"hotline", b"hotlime"),
        "registry.toml.minisig": built.signature,
    }


def _signature_of_another_registry(s: Setup) -> None:
    s.server.files = {"registry.toml": s.publish(7).data, "registry.toml.minisig": s.publish(8).signature}


def _malformed_signature(s: Setup) -> None:
    built = s.publish(7)
    s.server.files = {"registry.toml": built.data, "registry.toml.minisig": built.signature[:-10] + b"\n"}


def _untrusted_key(s: Setup) -> None:
    s.server.publish(s.publish(7, signer=s.other))


def _rollback(s: Setup) -> None:
    s.server.publish(s.publish(5))


def _same_serial(s: Setup) -> None:
    s.server.publish(s.publish(6, providers={"other": provider("other", number="96666")}))


def _expired(s: Setup) -> None:
    s.server.publish(s.publish(7, expires=PAST_EXPIRY, now=PAST_BUILD))


def _signed_garbage(s: Setup) -> None:
    data = s.publish(7).data.replace(b"format = 1", b"format = 99")
    s.server.files = {"registry.toml": data, "registry.toml.minisig": sign(data, s.key).to_text().encode()}


def _signed_edit(s: Setup, edit: Callable[[bytes], bytes], **kwargs: object) -> None:
    """Serve serial 7 edited by ``edit`` and signed again with the trusted key."""
    data = edit(s.publish(7, **kwargs).data)
    s.server.files = {"registry.toml": data, "registry.toml.minisig": sign(data, s.key).to_text().encode()}


# A second provider whose number and names are its own, to be edited into acme's.
_TWO = {"acme": provider("acme"), "bolt": provider("bolt", number="95566")}


def _shadowed_number(s: Setup) -> None:
    # bolt lists acme's official short code (same number, same region).
    _signed_edit(s, lambda b: b.replace(b'"95566"', b'"95555"'), providers=_TWO)


def _shadowed_name(s: Setup) -> None:
    # bolt calls itself by acme's alias, so a caller claiming "acme pay" would find it.
    _signed_edit(s, lambda b: b.replace(b'"bolt pay"', b'"Acme Pay"'), providers=_TWO)


def _key_twice(s: Setup) -> None:
    _signed_edit(s, lambda b: b.replace(b"serial = 7\n", b"serial = 7\nserial = 70\n"))


def _declared_too_large(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml", declared_too_large(MAX_REGISTRY_BYTES + 1))


def _streamed_too_large(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml", streamed_too_large(MAX_REGISTRY_BYTES + (1 << 20)))


def _signature_too_large(s: Setup) -> None:
    built = s.publish(7)
    s.server.publish(built)
    padding = b"#" * MAX_SIGNATURE_BYTES
    s.server.route("registry.toml.minisig", raw(b"HTTP/1.0 200 OK\r\n\r\n" + built.signature + padding))


def _silent(s: Setup) -> None:
    built = s.publish(7)
    s.server.publish(built)
    s.server.route("registry.toml", silent(TIMEOUT * 4, built.data))


def _dripping(s: Setup) -> None:
    built = s.publish(7)
    s.server.publish(built)
    # One byte every 0.05 s: never silent for the per-read timeout, far slower than the deadline.
    s.server.route("registry.toml", drip(built.data, interval=0.05))


def _server_error(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml", status(500, b"oops"))


def _signature_server_error(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml.minisig", status(503))


def _ftp_redirect(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml", redirect(f"ftp://127.0.0.1:{s.server.port}/reg/registry.toml"))


def _file_redirect(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml.minisig", redirect("file:///etc/passwd", code=307))


def _redirect_loop(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml", redirect(s.server.path("registry.toml")))


def _dropped(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml", dropped(declared=1000, sent=10))


def _dropped_signature(s: Setup) -> None:
    s.server.publish(s.publish(7))
    s.server.route("registry.toml.minisig", dropped(declared=300, sent=100))


REFUSALS: dict[str, Refusal] = {
    "missing signature (404)": Refusal(_missing_signature, "registry.toml.minisig: the server answered 404"),
    "bad signature": Refusal(_bad_signature, "refused: bad signature"),
    "signature of another registry": Refusal(_signature_of_another_registry, "does not match the data"),
    "malformed signature": Refusal(_malformed_signature, "refused: bad signature"),
    "signature by an untrusted key": Refusal(_untrusted_key, "which is not a trusted key"),
    "lower serial (rollback)": Refusal(_rollback, "rollback"),
    "same serial, different content": Refusal(_same_serial, "reuses serial 6"),
    "expired (freeze)": Refusal(_expired, "expired"),
    "signed but not a valid registry": Refusal(_signed_garbage, "refused:"),
    "signed, but another provider's number": Refusal(
        _shadowed_number, "provider 'bolt': field 'numbers[0]': 95555 is also listed by provider 'acme'"
    ),
    "signed, but another provider's name": Refusal(
        _shadowed_name, "provider 'bolt': field 'names.aliases': 'Acme Pay' is also a name of provider 'acme'"
    ),
    "signed, but a key twice": Refusal(_key_twice, "line 4: 'serial' is defined twice"),
    "too large (Content-Length)": Refusal(_declared_too_large, f"the {MAX_REGISTRY_BYTES}-byte limit"),
    "too large (streamed)": Refusal(_streamed_too_large, f"larger than the {MAX_REGISTRY_BYTES}-byte limit"),
    "signature too large": Refusal(_signature_too_large, "larger than the 4096-byte limit"),
    "silent server (timeout)": Refusal(_silent, "timed out"),
    "dripping server (deadline)": Refusal(_dripping, "too slow"),
    "server error 500": Refusal(_server_error, "the server answered 500"),
    "signature server error 503": Refusal(_signature_server_error, "the server answered 503"),
    "redirect to ftp": Refusal(_ftp_redirect, "redirected from http to ftp"),
    "redirect to file": Refusal(_file_redirect, "redirected from http to file"),
    "redirect loop": Refusal(_redirect_loop, "more than 5 redirects"),
    "connection dropped mid-body": Refusal(_dropped, "broke off"),
    "connection dropped mid-signature": Refusal(_dropped_signature, "broke off"),
}


@pytest.fixture
def installed(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> dict[str, bytes]:
    """Serial 6 installed (with serial 5 as the previous install); returns the cache's files."""
    for serial in (5, 6):
        server.publish(publish(serial))
        assert update(server.url, config=trusting(key), data=data_dir).status == "updated"
    server.requests.clear()
    return snapshot(data_dir)


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_update_raises_and_changes_nothing(
    case: Refusal,
    installed: dict[str, bytes],
    server: RegistryServer,
    publish: Callable[..., Built],
    key: SecretKey,
    other_key: SecretKey,
    data_dir: Path,
) -> None:
    case.arrange(Setup(server, publish, key, other_key))
    origin_before = load_trusted(trusting(key), data_dir).origin
    start = time.monotonic()
    with pytest.raises(UpdateError) as caught:
        update(server.url, config=trusting(key), data=data_dir, timeout=TIMEOUT, deadline=DEADLINE)
    elapsed = time.monotonic() - start
    assert case.message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert elapsed < DEADLINE + TIMEOUT + 1.0
    assert snapshot(data_dir) == installed
    assert installed_serial(data_dir, key) == (6, origin_before)


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_update_on_the_command_line_is_one_line_and_changes_nothing(
    case: Refusal,
    installed: dict[str, bytes],
    server: RegistryServer,
    publish: Callable[..., Built],
    key: SecretKey,
    other_key: SecretKey,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    case.arrange(Setup(server, publish, key, other_key))
    cfg = tmp_path / "cfg"
    write_config(cfg, key)
    env = {**BASE_ENV, "CALLCHECK_CONFIG_DIR": str(cfg), "CALLCHECK_DATA_DIR": str(data_dir)}
    # The command line's deadline is six times --timeout.
    result = CliRunner(env=env).invoke(main, ["update", "--url", server.url, "--timeout", "0.3"])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 3
    assert result.stdout == ""
    assert case.message in assert_one_line_error(result.stderr)
    assert snapshot(data_dir) == installed


def test_refusal_in_a_real_process_prints_one_line(
    installed: dict[str, bytes],
    server: RegistryServer,
    publish: Callable[..., Built],
    key: SecretKey,
    other_key: SecretKey,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    _untrusted_key(Setup(server, publish, key, other_key))
    cfg = tmp_path / "cfg"
    write_config(cfg, key)
    done = run_cli(["update", "--url", server.url], config_dir=cfg, data_dir=data_dir)
    assert done.returncode == 3
    assert done.stdout == ""
    assert "which is not a trusted key" in assert_one_line_error(done.stderr)
    assert snapshot(data_dir) == installed


def test_first_update_refused_installs_nothing(
    server: RegistryServer,
    publish: Callable[..., Built],
    key: SecretKey,
    other_key: SecretKey,
    data_dir: Path,
) -> None:
    server.publish(publish(5, signer=other_key))
    with pytest.raises(UpdateError, match="not a trusted key"):
        update(server.url, config=trusting(key), data=data_dir)
    assert snapshot(data_dir) == {}
    assert Store(data_dir).state() is None


def test_expired_registry_is_refused_even_as_a_first_install(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    server.publish(publish(5, expires=PAST_EXPIRY, now=PAST_BUILD))
    with pytest.raises(UpdateError, match="expired on 2021-01-01"):
        update(server.url, config=trusting(key), data=data_dir)
    assert snapshot(data_dir) == {}


def test_serial_below_the_shipped_registry_is_a_rollback_when_pinned_keys_are_trusted(
    server: RegistryServer, publish: Callable[..., Built], key: SecretKey, data_dir: Path
) -> None:
    shipped = load_trusted(trusting(key, pinned=True), data_dir).verified.serial
    server.publish(publish(shipped - 1))
    with pytest.raises(UpdateError, match="rollback"):
        update(server.url, config=trusting(key, pinned=True), data=data_dir)
    assert snapshot(data_dir) == {}


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/reg/", "file:///etc/", "127.0.0.1/reg/"])
def test_non_http_address_is_refused_before_any_download(url: str, key: SecretKey, data_dir: Path) -> None:
    with pytest.raises(UpdateError, match="not an http"):
        update(url, config=trusting(key), data=data_dir)


def test_no_address_at_all_is_an_error(key: SecretKey, data_dir: Path) -> None:
    with pytest.raises(UpdateError, match="no registry address"):
        update(None, config=trusting(key), data=data_dir)


def test_unreachable_server_is_an_update_error(key: SecretKey, data_dir: Path) -> None:
    with RegistryServer() as gone:
        url = gone.url
    with pytest.raises(UpdateError, match="cannot reach the server"):
        update(url, config=trusting(key), data=data_dir, timeout=TIMEOUT)


def test_corrupt_content_encoding_is_an_update_error(
    installed: dict[str, bytes], server: RegistryServer, key: SecretKey, data_dir: Path, tmp_path: Path
) -> None:
    server.route(
        "registry.toml",
        raw(b"HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnotgzip!!!"),
    )
    cfg = tmp_path / "cfg"
    write_config(cfg, key)
    done = run_cli(["update", "--url", server.url], config_dir=cfg, data_dir=data_dir)
    assert snapshot(data_dir) == installed
    assert done.returncode == 3
    assert_one_line_error(done.stderr)


def test_deadline_also_bounds_a_server_that_drips_its_headers(
    installed: dict[str, bytes],
    server: RegistryServer,
    publish: Callable[..., Built],
    key: SecretKey,
    data_dir: Path,
) -> None:
    built = publish(7)
    server.publish(built)
    # About 2.5 s of headers, a few bytes every 0.1 s; per-read timeout 0.3 s, deadline 0.6 s.
    server.route("registry.toml", drip_headers(built.data, interval=0.1, pieces=25))
    start = time.monotonic()
    with pytest.raises(UpdateError):
        update(server.url, config=trusting(key), data=data_dir, timeout=0.3, deadline=0.6)
    assert time.monotonic() - start < 0.6 + 0.3 + 0.6
    assert snapshot(data_dir) == installed
