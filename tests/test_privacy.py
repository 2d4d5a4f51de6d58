"""Checking a number or a transcript never touches the network.

Each command runs in a child Python with an audit hook that ends the process (status
99) the moment anything creates a socket or resolves a name. Audit events are raised
by the interpreter itself, so no library code can get around them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

NETWORK = 99
_CHILD = """
import os, sys
NETWORK_STATUS = int(os.environ["NETWORK_STATUS"])

def hook(event, args):
    if event.startswith(("socket.", "http.client.")):
        sys.stderr.write(f"NETWORK: {event}\\n")
        sys.stderr.flush()
        os._exit(NETWORK_STATUS)

sys.addaudithook(hook)
if sys.argv[1] == "--control":
    import socket
    socket.getaddrinfo("localhost", 80)
from callcheck.cli import main
main(sys.argv[1:], prog_name="callcheck")
"""

SCAM = "您好，我是支付宝客服\n您的账户被冻结了\n请把验证码报给我\n"


def run(
    args: list[str], subprocess_env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = dict(
        subprocess_env,
        NETWORK_STATUS=str(NETWORK),
        PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"),
    )
    return subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_the_guard_catches_a_network_lookup(subprocess_env: dict[str, str], tmp_path: Path) -> None:
    done = run(["--control"], subprocess_env, tmp_path)
    assert done.returncode == NETWORK
    assert "NETWORK: socket.getaddrinfo" in done.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "status"),
    [
        (["number", "95188", "--region", "CN"], "", 0),
        (["number", "13800138000", "--region", "CN", "--claims", "alipay"], "", 1),
        (["number", "--batch", "-", "--region", "CN"], "95188\n951880\nhello\n", 1),
        (["--lang", "zh", "number", "+1 888 221 1161", "--json"], "", 0),
        (["transcript", "-", "--claims", "alipay"], SCAM, 1),
        (["transcript", "--follow", "--number", "13800138000", "--region", "CN"], SCAM, 1),
        (["provider"], "", 0),
        (["provider", "metamask", "--json"], "", 0),
        (["report", "--number", "13800138000", "--region", "CN", "--notes", "asked for a code"], "", 0),
        (["report", "list"], "", 0),
        (["report", "export", "--format", "csv"], "", 0),
        (["registry", "info"], "", 0),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_checks_open_no_socket(
    subprocess_env: dict[str, str], tmp_path: Path, args: list[str], stdin: str, status: int
) -> None:
    done = run(args, subprocess_env, tmp_path, stdin)
    assert "NETWORK" not in done.stderr
    assert done.returncode == status, done.stderr
    assert done.stdout.strip()
