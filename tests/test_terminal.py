"""What a person sees: the human output of ``number``, ``transcript --follow`` and
``report`` in a real terminal, driven through tmux (send-keys, then capture-pane).

Each test runs its own tmux server (its own socket) with a fixed size, a plain shell
and the installed ``callcheck`` on PATH; data and config directories are temporary.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")

WAIT = 20.0  # seconds a screen may take to show what is expected (a slow CI machine)


class Terminal:
    """One tmux pane running bash, 120 columns by 50 lines."""

    def __init__(self, env: dict[str, str]) -> None:
        assert TMUX is not None
        self.base = [TMUX, "-L", f"callcheck-{uuid.uuid4().hex[:12]}", "-f", os.devnull]
        self.tmux("new-session", "-d", "-x", "120", "-y", "50", "-s", "t", "bash --norc --noprofile", env=env)
        self.tmux("set-option", "-g", "history-limit", "5000")

    def tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [*self.base, *args], env=env, capture_output=True, text=True, timeout=30, check=True
        )
        return done.stdout

    def type(self, line: str) -> None:
        """Type ``line`` and press Enter, as a person would."""
        self.tmux("send-keys", "-t", "t", "-l", line)
        self.tmux("send-keys", "-t", "t", "Enter")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        """The pane as shown, with its scroll-back, wide characters joined."""
        return self.tmux("capture-pane", "-p", "-J", "-t", "t", "-S", "-5000")

    def wait_for(self, test: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT
        screen = self.screen()
        while not test(screen):
            if time.monotonic() > deadline:
                pytest.fail(f"the terminal never showed {what}; it shows:\n{screen}")
            time.sleep(0.1)
            screen = self.screen()
        return screen

    def run(self, command: str) -> str:
        """Type a command; once it has finished, what it printed (between the typed
        line and the shell's next prompt)."""
        marker = f"done-{uuid.uuid4().hex[:8]}"
        typed = f"{command}; echo {marker}-$?"
        self.type(typed)
        finished = re.compile(rf"^{marker}-\d+$", re.M)
        screen = self.wait_for(lambda s: finished.search(s) is not None, f"the end of {command!r}")
        # From the line after the typed one (found by its ASCII end) to the marker. The
        # typed line can show twice (the terminal echoes keys that arrive before the
        # shell's prompt, which then redraws them), so the last copy counts.
        before = screen[: finished.search(screen).start()]  # type: ignore[union-attr]
        return before.rsplit(f"echo {marker}-$?", 1)[1].split("\n", 1)[1]

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=30, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "TMUX"))}
    env.update(
        LANG="C.UTF-8",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PS1="$ ",
        CALLCHECK_CONFIG_DIR=str(tmp_path / "config"),
        CALLCHECK_DATA_DIR=str(tmp_path / "data"),
        TERM="xterm-256color",
    )
    env.pop("NO_COLOR", None)
    term = Terminal(env)
    try:
        term.wait_for(lambda s: s.rstrip().endswith(("$", "#")), "the shell's prompt")
        yield term
    finally:
        term.close()


def _lines(output: str) -> list[str]:
    return [line.rstrip() for line in output.splitlines() if line.strip()]


def test_number_shows_the_verdict_first_in_english(terminal: Terminal) -> None:
    out = terminal.run("callcheck number '+86 21 95188' --claims alipay --region CN")
    lines = _lines(out)
    assert lines[0] == "Hang up. This number imitates Alipay. Call Alipay yourself on 95188."
    assert lines[1].startswith("LOOKALIKE · high risk")
    assert "Why:" in out and "95188  (CN) Customer service hotline" in out
    assert "Where to report it:" in out and "96110" in out


def test_number_speaks_chinese_with_lang_zh(terminal: Terminal) -> None:
    out = terminal.run("callcheck --lang zh number 13812345678 --claims alipay --region CN")
    lines = _lines(out)
    assert lines[0] == "请挂断电话。这不是支付宝的号码。请自己拨打支付宝的官方号码 95188。"
    assert "原因" in out and "Why" not in out


def test_follow_alerts_while_the_call_is_still_going(terminal: Terminal) -> None:
    terminal.type("callcheck transcript --follow --claims alipay")
    terminal.type("您好，我是支付宝客服。")
    terminal.type("您的账户涉嫌洗钱，马上就要被冻结。")
    # The alert is on screen before the call ends (no end of input has been sent).
    screen = terminal.wait_for(lambda s: "HIGH RISK at line 2" in s, "the high-risk alert")
    assert "Call Alipay yourself on 95188" in screen.split("HIGH RISK at line 2", 1)[1]
    assert "lines read" not in screen, "the final verdict must wait for the end of the call"
    terminal.type("请把验证码念给我。")
    terminal.keys("C-d")
    screen = terminal.wait_for(lambda s: "3 lines read" in s, "the final verdict")
    lines = screen.splitlines()
    summary = next(i for i, line in enumerate(lines) if "3 lines read" in line)
    assert lines[summary].startswith("high risk")
    assert lines[summary - 1].startswith("Hang up now"), "the verdict comes first"
    assert 'line 3: Asks for a verification code ("验证码念给")' in screen


def test_report_saves_lists_and_exports_a_call(terminal: Terminal, tmp_path: Path) -> None:
    notes = shlex.quote("said my account was frozen and asked for the code")
    out = terminal.run(f"callcheck report --number '+86 21 95188' -c alipay -r CN --notes {notes}")
    lines = _lines(out)
    assert lines[0].startswith("Hang up"), lines[0]
    assert "Where to report it:" in out
    assert str(tmp_path / "data") in out.replace("\n", "")  # where the record was saved
    listed = _lines(terminal.run("callcheck report list"))
    assert len(listed) == 1 and "+86 21 95188" in listed[0] and "high risk" in listed[0], listed
    exported = terminal.run("callcheck report export --format csv")
    assert "said my account was frozen" in exported


def test_report_speaks_chinese_with_lang_zh(terminal: Terminal) -> None:
    out = terminal.run("callcheck --lang zh report --number '+86 21 95188' -c alipay -r CN --notes 冻结")
    first = _lines(out)[0]
    assert first.startswith("请") and "挂断" in first and "支付宝" in first, out
    assert "Hang up" not in out
