"""Fetching a newer signed registry over HTTP(S) and installing it.

The only module that touches the network, and only when the user runs
``callcheck update``. It downloads, hands the bytes to ``_trust`` for every
decision, and installs through ``_store``; on any refusal or failure the
installed registry is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import __version__
from ._config import Config, data_dir, load_config
from ._errors import RegistryError, SignatureError, Text, UpdateError, os_reason
from ._loading import forget_loaded, load_trusted
from ._minisign import MAX_SIGNATURE_BYTES
from ._store import Store
from ._trust import MAX_REGISTRY_BYTES, check_update, verify_registry

if TYPE_CHECKING:
    import httpx

REGISTRY_FILE = "registry.toml"
SIGNATURE_FILE = "registry.toml.minisig"
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0  # seconds without progress before giving up
DEFAULT_DEADLINE = 60.0  # seconds for the whole update, against servers that drip bytes


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What ``update`` did: ``updated`` (a newer registry is installed) or ``unchanged``."""

    status: Literal["updated", "unchanged"]
    url: str
    serial: int
    previous_serial: int | None
    sha256: str
    key_id: str
    path: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "url": self.url,
            "serial": self.serial,
            "previous_serial": self.previous_serial,
            "sha256": self.sha256,
            "key_id": self.key_id,
            "path": self.path,
        }


@dataclass(frozen=True, slots=True)
class _Fetched:
    status: int
    body: bytes
    etag: str | None


def _base(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise UpdateError("update.not_http", url=url)
    return url if url.endswith("/") else url + "/"


def update(
    url: str | None = None,
    *,
    config: Config | None = None,
    data: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
) -> UpdateResult:
    """Download, verify and install the registry published at ``url``.

    ``url`` is the base address holding ``registry.toml`` and
    ``registry.toml.minisig`` (default: ``registry_url`` from the config file).

    Raises:
        UpdateError: the download failed or the registry was refused (bad or
            missing signature, untrusted key, rollback, expired, too large, too
            slow, server error, redirect to another scheme), or the data directory
            could not be written (read-only, full). Nothing was changed.
    """
    config = config if config is not None else load_config()
    url = url or config.registry_url
    if not url:
        raise UpdateError("update.no_url")
    base = _base(url)
    store = Store(data if data is not None else data_dir())
    with contextlib.ExitStack() as held:
        with _writing(store):
            held.enter_context(store.lock())
        try:
            installed = load_trusted(config, store.dir.parent).verified
        except RegistryError:
            installed = None
        etag = _usable_etag(store, base, config)
        stop_at = time.monotonic() + deadline
        import httpx

        headers = {"User-Agent": f"callcheck/{__version__}"}
        signature: _Fetched | None = None
        with httpx.Client(timeout=httpx.Timeout(timeout), headers=headers, follow_redirects=False) as client:
            # Per-read timeouts do not stop a server that drips bytes; this closes
            # the connection under it when the whole update runs out of time.
            watchdog = threading.Timer(deadline, client.close)
            watchdog.daemon = True
            watchdog.start()
            try:
                registry = _fetch(client, base + REGISTRY_FILE, MAX_REGISTRY_BYTES, stop_at, etag)
                if registry.status != 304:
                    signature = _fetch(client, base + SIGNATURE_FILE, MAX_SIGNATURE_BYTES, stop_at, None)
            finally:
                watchdog.cancel()
        if signature is None:
            assert installed is not None  # an ETag is sent only for an install that verifies
            return UpdateResult(
                "unchanged",
                base,
                installed.serial,
                installed.serial,
                installed.sha256,
                installed.key_id,
                None,
            )
        try:
            candidate = verify_registry(
                registry.body, signature.body, config.keys, origin=base + REGISTRY_FILE
            )
        except SignatureError as exc:
            raise UpdateError("update.bad_signature", error=exc) from None
        except RegistryError as exc:
            raise UpdateError("update.refused", error=exc) from None
        previous = installed.serial if installed else None
        if not check_update(candidate, installed):
            return UpdateResult(
                "unchanged", base, candidate.serial, previous, candidate.sha256, candidate.key_id, None
            )
        with _writing(store):
            path = store.install(
                registry.body,
                signature.body,
                serial=candidate.serial,
                sha256=candidate.sha256,
                etag=registry.etag,
                url=base,
            )
    forget_loaded()
    return UpdateResult(
        "updated", base, candidate.serial, previous, candidate.sha256, candidate.key_id, str(path)
    )


@contextlib.contextmanager
def _writing(store: Store) -> Iterator[None]:
    """Say which directory could not be written, and that the registry in use is unchanged."""
    try:
        yield
    except OSError as exc:
        raise UpdateError("update.cannot_write", path=str(store.dir), reason=os_reason(exc)) from None


def _usable_etag(store: Store, base: str, config: Config) -> str | None:
    """The ETag to send: only that of the current install, fetched from ``base``, and
    only if it still verifies; a damaged install must be downloaded afresh."""
    state = store.state()
    if state is None or state.url != base or state.etag is None:
        return None
    current = store.read(state.current)
    if current is None:
        return None
    try:
        verify_registry(current.data, current.signature, config.keys, origin=str(current.path))
    except (SignatureError, RegistryError):
        return None
    return state.etag


def _fetch(client: httpx.Client, url: str, limit: int, stop_at: float, etag: str | None) -> _Fetched:
    import httpx

    name = url.rsplit("/", 1)[-1]
    scheme = url.split(":", 1)[0]
    headers = {"If-None-Match": etag} if etag else {}
    for _ in range(MAX_REDIRECTS + 1):
        try:
            if time.monotonic() > stop_at:
                raise UpdateError("update.too_slow", name=name)
            with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and etag:
                    return _Fetched(304, b"", etag)
                if response.is_redirect:
                    target = response.url.join(response.headers.get("location", ""))
                    if target.scheme != scheme:
                        raise UpdateError(
                            "update.other_scheme",
                            name=name,
                            scheme=scheme,
                            target=target.scheme or Text("update.no_scheme"),
                        )
                    url = str(target)
                    continue
                if response.status_code != 200:
                    raise UpdateError(
                        "update.http_status",
                        name=name,
                        status=response.status_code,
                        reason=response.reason_phrase,
                    )
                declared = response.headers.get("content-length")
                if declared is not None and declared.isdigit() and int(declared) > limit:
                    raise UpdateError("update.declared_too_large", name=name, size=declared, limit=limit)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise UpdateError("update.too_large", name=name, limit=limit)
                    if time.monotonic() > stop_at:
                        raise UpdateError("update.too_slow", name=name)
                    chunks.append(chunk)
                return _Fetched(200, b"".join(chunks), response.headers.get("etag"))
        except httpx.TimeoutException:
            raise UpdateError("update.timeout", name=name) from None
        except httpx.RemoteProtocolError as exc:
            if time.monotonic() > stop_at:
                raise UpdateError("update.too_slow", name=name) from None
            raise UpdateError("update.broke_off", name=name, detail=str(exc)) from None
        except httpx.DecodingError as exc:
            raise UpdateError("update.bad_body", name=name, detail=str(exc)) from None
        except (httpx.TransportError, RuntimeError) as exc:
            # RuntimeError: the watchdog closed the client under a request.
            if time.monotonic() > stop_at:
                raise UpdateError("update.too_slow", name=name) from None
            raise UpdateError("update.unreachable", name=name, detail=str(exc)) from None
        except httpx.HTTPError as exc:
            raise UpdateError("update.failed", name=name, detail=str(exc)) from None
    raise UpdateError("update.too_many_redirects", name=name, limit=MAX_REDIRECTS)
