"""The installed ``callcheck`` console script, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "callcheck"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason=f"console script not installed at {SCRIPT}")


@pytest.fixture
def env(subprocess_env: dict[str, str]) -> dict[str, str]:
    return subprocess_env


def callcheck(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )


def test_installed_script_checks_a_number_as_json(env: dict[str, str]) -> None:
    proc = callcheck(env, "number", "95188", "--region", "CN", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["verdict"] == "official"
    assert data["provider"]["id"] == "alipay"
    assert proc.stderr == ""


def test_installed_script_reports_bad_input_in_one_line_with_status_2(env: dict[str, str]) -> None:
    proc = callcheck(env, "number", "hello")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "error: 'hello' is not a phone number: it contains letters or symbols."
    ]


def test_installed_script_flags_a_lookalike_in_chinese(env: dict[str, str]) -> None:
    proc = callcheck(env, "--lang", "zh", "number", "+86 951880")
    assert proc.returncode == 1
    assert "支付宝" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_installed_script_finds_a_provider_by_chinese_name(env: dict[str, str]) -> None:
    proc = callcheck(env, "provider", "支付宝", "--json")
    assert proc.returncode == 0, proc.stderr
    assert [p["id"] for p in json.loads(proc.stdout)] == ["alipay"]


_IMPORTS_OF_NUMBER = """
import sys
from callcheck._minisign import PublicKey
from callcheck.cli import main

checks = []
verify_raw = PublicKey.verify_raw

def counting(self, signature, message):
    checks.append(verify_raw(self, signature, message))
    return checks[-1]

PublicKey.verify_raw = counting
try:
    main(["number", "95188", "--region", "CN"])
except SystemExit as exc:
    assert exc.code == 0, exc.code
modules = sorted(sys.modules)
import json
print(json.dumps({"modules": modules, "checks": checks}))
"""


def test_the_number_command_trusts_the_pinned_registry_and_loads_only_what_it_needs(
    env: dict[str, str], tmp_path: Path
) -> None:
    # The user's own directories, as platformdirs finds them (not callcheck's overrides).
    for name in ("CALLCHECK_CONFIG_DIR", "CALLCHECK_DATA_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        env.pop(name, None)
    env["HOME"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF_NUMBER],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=True,
    )
    seen = json.loads(proc.stdout.splitlines()[-1])
    # The shipped registry matched the digests pinned beside it (data/registry.sha256),
    # so no Ed25519 check ran (tests/test_pinned_registry.py covers when one must).
    assert seen["checks"] == []
    loaded = set(seen["modules"])
    unwanted = (
        "httpx",
        "callcheck._update",
        "callcheck._transcript",
        "callcheck._commands",
        "callcheck._records",
        "ahocorasick_rs",
        "tomllib",
        # Each of these cost a number check milliseconds it does not need (docs/performance.md).
        "platformdirs",
        "pathlib",
        "hashlib",
        "json",
        "cryptography",  # ~9 ms for its Rust extension alone
    )
    for name in unwanted:
        assert name not in loaded, f"'callcheck number' imported {name}"
