"""The documentation under ``docs/`` is tested: its Python examples run as doctests, its
shell examples run against the installed ``callcheck``, the shell completion it
describes works, and the site builds with ``mkdocs build --strict``."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
BIN = Path(sys.executable).parent
SCRIPT = BIN / "callcheck"

# Pages whose ``sh`` examples are run, in this order and in one working directory: the
# ``printf`` lines at the top of cli.md make the files the later examples read.
SHELL_PAGES = ("cli.md", "index.md", "consumers.md", "consumers.zh.md")

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")

needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason=f"console script not installed at {SCRIPT}")


def shell_examples(page: str) -> list[str]:
    """The lines of the page's ``sh`` blocks, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [
        line.strip()
        for lang, body in _FENCE.findall(text)
        if lang == "sh"
        for line in body.splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md") if ">>> " in p.read_text("utf-8")))
def test_python_examples_in_the_docs_run(page: str) -> None:
    results = doctest.testfile(
        str(DOCS / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        encoding="utf-8",
    )
    assert results.attempted > 0
    assert results.failed == 0, f"{results.failed} example(s) in docs/{page} failed; see the output above"


def test_the_library_api_page_covers_the_public_functions() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    for name in ("check_number(", "check_numbers(", "check_transcript(", "monitor_call(", "load_registry("):
        assert f">>> {name}" in text or f"callcheck.{name}" in text, name
    assert ".to_dict()" in text
    assert "CallcheckError" in text


@needs_script
def test_shell_examples_in_the_docs_exit_as_documented(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """Lines starting ``callcheck `` must exit 0, or N when they end in ``# exit N``;
    ``printf`` lines make the example files. ``callcheck update`` needs the network
    and is left out."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "registry").symlink_to(REPO / "registry", target_is_directory=True)
    env = dict(subprocess_env, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    ran: list[str] = []
    failures: list[str] = []
    for page in SHELL_PAGES:
        for line in shell_examples(page):
            word = line.split(maxsplit=1)[0]
            if word not in ("callcheck", "printf") or line.startswith("callcheck update"):
                continue
            found = _EXIT.search(line)
            expected = int(found.group(1)) if found else 0
            proc = subprocess.run(
                ["bash", "-c", line],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                stdin=subprocess.DEVNULL,
                timeout=120,
                check=False,
            )
            ran.append(line)
            if proc.returncode != expected or "Traceback" in proc.stderr:
                failures.append(
                    f"docs/{page}: {line}\n  exit {proc.returncode}, documented {expected}\n"
                    f"  stderr: {proc.stderr.strip()[:500]}"
                )
    assert len([line for line in ran if line.startswith("callcheck ")]) >= 25
    assert not failures, "\n".join(failures)


def completion_lines(shell: str) -> list[str]:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if f"_CALLCHECK_COMPLETE={shell}_source" in line]


@needs_script
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_documented_bash_completion_completes_commands_and_options(
    subprocess_env: dict[str, str],
) -> None:
    setup = completion_lines("bash")[0]
    assert setup == 'eval "$(_CALLCHECK_COMPLETE=bash_source callcheck)"'
    script = f"""
{setup}
complete -p callcheck
COMP_WORDS=(callcheck reg); COMP_CWORD=1; _callcheck_completion callcheck
echo "commands: ${{COMPREPLY[*]}}"
COMPREPLY=()
COMP_WORDS=(callcheck number --); COMP_CWORD=2; _callcheck_completion callcheck
echo "options: ${{COMPREPLY[*]}}"
COMPREPLY=()
COMP_WORDS=(callcheck --lang ''); COMP_CWORD=2; _callcheck_completion callcheck
echo "langs: ${{COMPREPLY[*]}}"
"""
    env = dict(subprocess_env, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "-F _callcheck_completion callcheck" in lines[0]
    assert lines[1] == "commands: registry"
    assert "--region" in lines[2].split() and "--claims" in lines[2].split()
    assert lines[3] == "langs: en zh"


@needs_script
@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_documented_zsh_and_fish_completion_scripts_are_printed(
    shell: str, subprocess_env: dict[str, str]
) -> None:
    (line,) = completion_lines(shell)
    # The line as documented, up to the shell-specific part around it.
    assert f"_CALLCHECK_COMPLETE={shell}_source callcheck" in line
    env = dict(subprocess_env, _CALLCHECK_COMPLETE=f"{shell}_source")
    script = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert script.returncode == 0, script.stderr
    assert f"_CALLCHECK_COMPLETE={shell}_complete" in script.stdout
    # What those scripts ask callcheck when Tab is pressed after "callcheck reg".
    # zsh passes the index of the word being completed, fish the word itself.
    cword = "1" if shell == "zsh" else "reg"
    env = dict(
        subprocess_env, _CALLCHECK_COMPLETE=f"{shell}_complete", COMP_WORDS="callcheck reg", COMP_CWORD=cword
    )
    answer = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert answer.returncode == 0, answer.stderr
    assert "registry" in answer.stdout


def test_the_site_builds_in_strict_mode(tmp_path: Path) -> None:
    """A broken link or anchor, or a page missing from the nav, fails the build."""
    config, site = REPO / "mkdocs.yml", tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, (
        f"mkdocs build --strict failed (is mkdocs installed? pip install -e '.[test]'):\n{proc.stderr}"
    )
    assert (site / "index.html").exists()
    assert (site / "consumers.zh" / "index.html").exists()
