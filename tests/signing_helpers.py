"""Helpers for the signed-registry tests in ``tests/signing/``.

Small registries are built from a source tree written here, signed with keys made
on the fly, and served by a real HTTP server on 127.0.0.1 whose behaviour each test
chooses per path. Nothing here replaces callcheck code: the tests drive the real
``update``, ``Store`` and loader against these files and this server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from callcheck._config import Config
from callcheck._maintain import build_registry
from callcheck._minisign import SecretKey, sign

REPO = Path(__file__).resolve().parent.parent
REPO_REGISTRY = REPO / "registry"
EMBEDDED = REPO / "src" / "callcheck" / "data" / "registry.toml"
PINNED_KEY_ID = "3D4EA9F1D1EAC5ED"

FUTURE = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
CHECKED = dt.date(2026, 11, 22)

# Low scrypt cost for encrypted test keys (the default costs ~1 GiB and seconds).
FAST_KDF = (65536, 1 << 24)

# Environment for child processes: English, no colour, the repo's sources importable.
BASE_ENV = {
    "LC_ALL": "C.UTF-8",
    "LANG": "C.UTF-8",
    "NO_COLOR": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


# --- registries ---------------------------------------------------------------------


def provider(
    pid: str = "acme", number: str = "95555", region: str = "CN", **overrides: Any
) -> dict[str, Any]:
    """A valid provider source table with one short-code number."""
    data: dict[str, Any] = {
        "id": pid,
        "kind": "payment_app",
        "regions": [region],
        "names": {"en": pid.title(), "aliases": [f"{pid} pay"]},
        "policy": {"calls_customers": "may_call", "never_asks_for": ["password"], "sources": ["s1"]},
        "contact": {"website": f"https://{pid}.example", "sources": ["s1"]},
        "numbers": [
            {
                "number": number,
                "region": region,
                "use": "inbound",
                "short_code": True,
                "note": "hotline",
                "sources": ["s1"],
            }
        ],
        "sources": [
            {
                "id": "s1",
                "url": f"https://{pid}.example/help",
                "title": f"{pid} help",
                "checked": CHECKED,
                "publisher": "provider",
            }
        ],
    }
    data.update(overrides)
    return data


def write_tree(
    directory: Path,
    *,
    serial: int = 1,
    expires: dt.datetime = FUTURE,
    providers: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Write ``header.toml`` and ``providers/<id>.toml`` under ``directory``."""
    if providers is None:
        providers = {"acme": provider("acme")}
    (directory / "providers").mkdir(parents=True, exist_ok=True)
    (directory / "header.toml").write_text(tomli_w.dumps({"serial": serial, "expires": expires}), "utf-8")
    for stem, data in providers.items():
        (directory / "providers" / f"{stem}.toml").write_text(tomli_w.dumps(dict(data)), "utf-8")
    return directory


@dataclass(frozen=True)
class Built:
    """A compiled and signed registry, as bytes and as files."""

    data: bytes
    signature: bytes
    serial: int
    path: Path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def files(self) -> dict[str, bytes]:
        return {"registry.toml": self.data, "registry.toml.minisig": self.signature}


def build_signed(
    workdir: Path,
    key: SecretKey,
    *,
    serial: int,
    expires: dt.datetime = FUTURE,
    providers: Mapping[str, Mapping[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> Built:
    """Build a registry with exactly ``serial`` from a fresh tree and sign it with ``key``."""
    name = f"r{serial}-{time.monotonic_ns()}"
    tree = write_tree(workdir / f"{name}-src", serial=serial, expires=expires, providers=providers)
    out = workdir / f"{name}.toml"
    result = build_registry(tree, out, now=now)
    assert result.serial == serial
    data = out.read_bytes()
    signature = sign(data, key).to_text().encode("utf-8")
    Path(f"{out}.minisig").write_bytes(signature)
    return Built(data, signature, serial, out)


def trusting(*keys: SecretKey, pinned: bool = False) -> Config:
    """A config that trusts ``keys`` (and the pinned project key only if ``pinned``)."""
    return Config(trusted_keys=tuple(k.public_key for k in keys), pinned_keys=pinned)


def write_config(directory: Path, *keys: SecretKey, pinned: bool = False, url: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {"trusted_keys": [k.public_key.base64 for k in keys], "pinned_keys": pinned}
    if url:
        doc["registry_url"] = url
    path = directory / "config.toml"
    path.write_text(tomli_w.dumps(doc), "utf-8")
    return path


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every file of the registry cache (except the empty lock file), by relative path."""
    root = data_dir / "registry"
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


# --- the HTTP server ----------------------------------------------------------------

Handler = Callable[["RequestHandler"], None]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class RequestHandler(http.server.BaseHTTPRequestHandler):
    server: RegistryServer.HTTPServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = owner.routes.get(self.path)
        name = self.path.removeprefix(f"/{owner.prefix}/")
        try:
            if route is not None:
                route(self)
            elif self.path.startswith(f"/{owner.prefix}/") and name in owner.files:
                serve_file(self, owner.files[name], etags=owner.etags)
            else:
                send(self, 404, b"not found\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    # Nothing but GET is expected; make anything else visible as an error.
    def do_POST(self) -> None:
        send(self, 405, b"")


def send(h: RequestHandler, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
    h.send_response(status)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    if not any(k.lower() == "content-length" for k in headers or {}):
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)
    h.wfile.flush()


def serve_file(h: RequestHandler, body: bytes, *, etags: bool = True) -> None:
    headers = {"Content-Type": "application/octet-stream"}
    if etags:
        tag = etag_of(body)
        headers["ETag"] = tag
        if h.headers.get("If-None-Match") == tag:
            h.send_response(304)
            h.send_header("ETag", tag)
            h.end_headers()
            return
    send(h, 200, body, headers)


class RegistryServer:
    """A real HTTP server on 127.0.0.1 serving ``files`` under ``/<prefix>/``.

    ``routes`` maps a request path to a handler function that overrides the
    default (serve the file, with an ETag and 304 on a matching If-None-Match).
    Every request is recorded in ``requests`` as (path, lower-cased headers).
    """

    class HTTPServer(http.server.ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False
        owner: RegistryServer

    def __init__(self, prefix: str = "reg") -> None:
        self.prefix = prefix
        self.files: dict[str, bytes] = {}
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.etags = True
        self.httpd = self.HTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/{self.prefix}/"

    def path(self, name: str) -> str:
        return f"/{self.prefix}/{name}"

    def publish(self, built: Built) -> None:
        self.files = dict(built.files)

    def route(self, name: str, handler: Handler) -> None:
        self.routes[self.path(name)] = handler

    def requested(self, name: str) -> list[dict[str, str]]:
        return [headers for path, headers in self.requests if path == self.path(name)]

    def __enter__(self) -> RegistryServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# Handler factories for the misbehaving server.


def status(code: int, body: bytes = b"") -> Handler:
    def handle(h: RequestHandler) -> None:
        send(h, code, body)

    return handle


def redirect(location: str, code: int = 302) -> Handler:
    def handle(h: RequestHandler) -> None:
        send(h, code, b"", {"Location": location})

    return handle


def declared_too_large(size: int) -> Handler:
    """Announce ``size`` bytes, then send them in 1 MiB blocks (quickly, from memory)."""

    def handle(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(size))
        h.end_headers()
        block = b"#" * (1 << 20)
        sent = 0
        while sent < size:
            h.wfile.write(block[: size - sent])
            sent += len(block)

    return handle


def streamed_too_large(size: int) -> Handler:
    """Send ``size`` bytes with no Content-Length (the body ends when the connection closes)."""

    def handle(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        block = b"# padding\n" * (1 << 16)
        sent = 0
        while sent < size:
            h.wfile.write(block)
            sent += len(block)
        h.close_connection = True

    return handle


def silent(seconds: float, then: bytes = b"") -> Handler:
    """Say nothing for ``seconds``, then answer 200 with ``then``."""

    def handle(h: RequestHandler) -> None:
        time.sleep(seconds)
        send(h, 200, then)

    return handle


def drip(body: bytes, interval: float, piece: int = 1) -> Handler:
    """Send the headers at once and the body ``piece`` bytes every ``interval`` seconds."""

    def handle(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.flush()
        for i in range(0, len(body), piece):
            h.wfile.write(body[i : i + piece])
            h.wfile.flush()
            time.sleep(interval)

    return handle


def drip_headers(body: bytes, interval: float, pieces: int) -> Handler:
    """Send the status line and headers a few bytes at a time (``pieces`` writes), then ``body``."""

    def handle(h: RequestHandler) -> None:
        head = (
            b"HTTP/1.0 200 OK\r\n"
            + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"x" * 8) for i in range(pieces))
            + b"Content-Length: %d\r\n\r\n" % len(body)
        )
        step = max(1, len(head) // pieces)
        for i in range(0, len(head), step):
            h.wfile.write(head[i : i + step])
            h.wfile.flush()
            time.sleep(interval)
        h.wfile.write(body)
        h.wfile.flush()
        h.close_connection = True

    return handle


def dropped(declared: int = 1000, sent: int = 10) -> Handler:
    """Announce ``declared`` bytes, send ``sent`` of them, and close the connection."""

    def handle(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(declared))
        h.end_headers()
        h.wfile.write(b"x" * sent)
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(2)

    return handle


def raw(response: bytes) -> Handler:
    """Write ``response`` (status line, headers and body) exactly as given."""

    def handle(h: RequestHandler) -> None:
        h.wfile.write(response)
        h.wfile.flush()
        h.close_connection = True

    return handle


# --- the command line in a child process ----------------------------------------------


def callcheck_command() -> list[str]:
    """The installed ``callcheck`` console script beside this Python, else ``python -m``."""
    script = shutil.which("callcheck", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "callcheck.cli"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float = field(default=0.0)


def run_cli(
    args: list[str],
    *,
    config_dir: Path,
    data_dir: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    stdin: str | None = None,
) -> Run:
    """Run ``callcheck ARGS`` in a child process with its own config and data directories."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCHECK_")}
    full_env.update(BASE_ENV)
    full_env["CALLCHECK_CONFIG_DIR"] = str(config_dir)
    full_env["CALLCHECK_DATA_DIR"] = str(data_dir)
    full_env.update(env or {})
    start = time.monotonic()
    proc = subprocess.run(
        [*callcheck_command(), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def assert_one_line_error(stderr: str) -> str:
    """stderr holds exactly one line, an ``error:`` message, and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0]


def iter_sh_blocks(markdown: str) -> Iterator[list[str]]:
    """The command lines of every ```sh fenced block, block by block."""
    inside = False
    block: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if not inside and stripped == "```sh":
            inside, block = True, []
        elif inside and stripped == "```":
            inside = False
            yield block
        elif inside and stripped and not stripped.startswith("#"):
            block.append(stripped)
