"""Every command speaks both languages: each one is run under ``--lang en`` and
``--lang zh`` and its human output is checked for text left in the other language.

Data stays as it is (numbers, paths, key ids, URLs, option names, the English name of
a provider shown beside its Chinese one, the registry's notes on official numbers);
every sentence and label must be in the language asked for. ``--json`` output is the
same in both, apart from the messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from callcheck._loading import forget_loaded
from callcheck._messages import ZH
from callcheck._minisign import SecretKey
from callcheck.cli import main
from tests.signing_helpers import RegistryServer, build_signed, write_config, write_tree

SCAM_ZH = "您好，我是支付宝客服\n您的账户被冻结了\n请把短信验证码报给我\n"
SCAM_EN = "Hello, this is PayPal security.\nYour account is locked.\nRead me the code we just sent you.\n"

# Words that are names, formats or commands in both languages.
_NEUTRAL = {
    "callcheck", "json", "csv", "jsonl", "minisign", "sha", "app", "pin", "atm", "cvv", "id",
    "ctrl", "usdt", "toml", "minisig", "utf", "en", "zh", "cn", "us", "url", "https", "http",
    "options", "command", "args", "number", "file", "query", "provider", "source", "cc",
    "days", "seconds", "text", "name", "path", "format", "embedded", "lines",
}  # fmt: skip
_DATA = re.compile(
    r"'[^']*'|\"[^\"]*\"|“[^”]*”|\[[^\]]*\]|https?://\S+|\S*[/\\]\S*|--?[A-Za-z][\w-]*"
    r"|\b\w+\.(?:toml|minisig|pub|key|txt|csv|jsonl?)\b|\b[0-9A-Fa-f]{16}\b|\b[A-Za-z0-9+/=]{40,}\b"
    r"|callcheck(?: [a-z][a-z-]*)*|\b\w+:\S+"  # commands; key:value pairs of a trusted comment
    r"|\b[A-Z][A-Z0-9_]+\b|\b\w*_\w*\b"  # metavars, environment variables, field names
    r"|\b[A-Z][a-z]+[A-Z]\w*|JSON Lines",  # names such as ReportFraud
    re.ASCII,
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class World:
    """A user with a config, a data directory, a registry source tree, keys and a server."""

    tmp: Path
    key: SecretKey
    server: RegistryServer
    english_names: set[str]

    def path(self, name: str) -> str:
        return str(self.tmp / name)


@pytest.fixture
def world(
    tmp_path: Path, key: SecretKey, server: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    monkeypatch.setenv("CALLCHECK_KEY_PASSWORD", "correct horse")
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "registry", serial=50)
    (tmp_path / "scam-zh.txt").write_text(SCAM_ZH, "utf-8")
    (tmp_path / "scam-en.txt").write_text(SCAM_EN, "utf-8")
    (tmp_path / "numbers.txt").write_text("95188\n+1 888 221 1161\nhello\n", "utf-8")
    server.publish(build_signed(tmp_path, key, serial=60))
    from callcheck._loading import load_default

    # Registry data shown as it is: English names beside Chinese ones, and the notes on
    # official numbers, which the registry format holds in English only so far.
    providers = load_default().registry.providers
    names = {p.names.en for p in providers} | {n.note for p in providers for n in p.numbers if n.note}
    forget_loaded()
    yield World(tmp_path, key, server, names)


def _run(world: World, lang: str, args: list[str], stdin: str | None = None) -> Result:
    forget_loaded()
    result = CliRunner().invoke(main, ["--lang", lang, *args], input=stdin)
    forget_loaded()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _leftover_english(output: str, names: set[str]) -> list[str]:
    """Lines of ``output`` with English words that are not data."""
    bad = []
    for line in output.splitlines():
        if line.startswith("{"):
            continue  # JSON: keys and values are data
        rest = line
        for name in sorted(names, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest, flags=re.ASCII)
        rest = _DATA.sub(" ", rest)
        words = [w for w in _WORD.findall(rest) if w.lower() not in _NEUTRAL]
        if words:
            bad.append(line)
    return bad


def _chinese_left(output: str) -> list[str]:
    return [line for line in output.splitlines() if _CJK.search(line)]


# The Chinese catalogue's fixed pieces (the text between placeholders) that are long
# enough to be unmistakable; none may show up in English output.
_ZH_PIECES = {
    piece
    for message in ZH.values()
    for piece in re.split(r"\{[^}]*\}", message)
    if len(_CJK.findall(piece)) >= 4
}


def _chinese_messages_in(output: str) -> list[str]:
    return sorted(piece for piece in _ZH_PIECES if piece in output)


# Each case: (name, arguments, standard input, setup run first or None). The arguments
# may refer to files in the world's directory; the setup prepares state (records, keys).
Setup = Callable[[World], None]


def _save_record(world: World) -> None:
    _run(world, "en", ["report", "--number", "13800138000", "--region", "CN", "--notes", "asked for a code"])


def _keys(world: World) -> None:
    _run(world, "en", ["registry", "keygen", "-p", "k.pub", "-s", "k.key", "--unencrypted"])


def _built(world: World) -> None:
    _keys(world)
    _run(world, "en", ["registry", "build", "registry", "-o", "built.toml"])
    _run(world, "en", ["registry", "sign", "built.toml", "-s", "k.key"])


def _config(world: World) -> None:
    write_config(world.tmp / "no-config", world.key, pinned=True, url=world.server.url)


CASES: list[tuple[str, list[str], str | None, Setup | None]] = [
    ("number official", ["number", "95188", "--region", "CN"], None, None),
    ("number not theirs", ["number", "13800138000", "--region", "CN", "--claims", "alipay"], None, None),
    ("number lookalike", ["number", "951880", "--region", "CN", "--claims", "alipay"], None, None),
    ("number never calls", ["number", "+1 415 555 0100", "--claims", "metamask"], None, None),
    ("number invalid", ["number", "hello"], None, None),
    ("number bad region", ["number", "95188", "--region", "XX"], None, None),
    ("number batch", ["number", "--batch", "numbers.txt", "--region", "CN"], None, None),
    ("provider", ["provider", "alipay"], None, None),
    ("provider none", ["provider", "no such bank"], None, None),
    ("transcript zh", ["transcript", "scam-zh.txt", "--claims", "alipay"], None, None),
    ("transcript en", ["transcript", "scam-en.txt", "--number", "+1 888 221 1161"], None, None),
    ("transcript follow", ["transcript", "--follow"], SCAM_ZH, None),
    ("transcript missing", ["transcript", "missing.txt"], None, None),
    ("report save", ["report", "--number", "13800138000", "--region", "CN", "--notes", "code"], None, None),
    ("report nothing", ["report"], None, None),
    ("report list", ["report", "list"], None, _save_record),
    ("report list empty", ["report", "list"], None, None),
    ("report export", ["report", "export", "--format", "csv", "-o", "out.csv"], None, _save_record),
    ("report path", ["report", "path"], None, None),
    ("config-path", ["config-path"], None, None),
    ("update", ["update"], None, _config),
    ("update no address", ["update"], None, None),
    ("registry info", ["registry", "info"], None, None),
    ("registry lint", ["registry", "lint", "registry"], None, None),
    ("registry lint broken", ["registry", "lint", "no/such/dir"], None, None),
    ("registry build", ["registry", "build", "registry", "-o", "built.toml"], None, None),
    ("registry keygen", ["registry", "keygen", "-p", "k.pub", "-s", "k.key"], None, None),
    ("registry keygen exists", ["registry", "keygen", "-p", "k.pub", "-s", "k.key"], None, _keys),
    ("registry sign", ["registry", "sign", "registry/header.toml", "-s", "k.key"], None, _keys),
    ("registry verify", ["registry", "verify", "built.toml", "-p", "k.pub"], None, _built),
    ("registry verify bad", ["registry", "verify", "registry/header.toml", "-p", "k.pub"], None, _keys),
    ("usage no such option", ["number", "--regoin", "CN", "95188"], None, None),
    ("usage no such command", ["nmber", "95188"], None, None),
    ("usage missing value", ["number", "95188", "--region"], None, None),
    ("usage bad choice", ["report", "export", "--format", "xml"], None, None),
]


def _commands() -> Iterator[list[str]]:
    ctx = click.Context(main, info_name="callcheck")

    def walk(command: click.Command, path: list[str]) -> Iterator[list[str]]:
        yield path
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, [*path, name])

    yield from walk(main, [])


@pytest.mark.parametrize(("name", "args", "stdin", "setup"), CASES, ids=[c[0] for c in CASES])
def test_command_output_is_in_the_language_asked_for(
    world: World, name: str, args: list[str], stdin: str | None, setup: Setup | None
) -> None:
    outputs = {}
    for lang in ("en", "zh"):
        for leftover in ("k.pub", "k.key", "built.toml", "out.csv"):
            (world.tmp / leftover).unlink(missing_ok=True)
        if setup is not None:
            setup(world)
        outputs[lang] = _run(world, lang, args, stdin)
    en, zh = outputs["en"], outputs["zh"]
    assert en.exit_code == zh.exit_code, (en.output, zh.output)
    assert (en.stdout + en.stderr).strip(), "the command printed nothing"
    assert _leftover_english(zh.stdout + zh.stderr, world.english_names) == []
    assert _chinese_messages_in(en.stdout + en.stderr) == []
    if en.stdout != zh.stdout or en.stderr != zh.stderr:
        assert _chinese_left(zh.stdout + zh.stderr), "the Chinese output has no Chinese in it"


@pytest.mark.parametrize("path", list(_commands()), ids=lambda p: " ".join(p) or "callcheck")
def test_help_is_in_the_language_asked_for(world: World, path: list[str]) -> None:
    en = _run(world, "en", [*path, "--help"])
    zh = _run(world, "zh", [*path, "--help"])
    assert en.exit_code == zh.exit_code == 0
    assert _chinese_left(en.stdout) == [] or path in (["provider"], [], ["report"])
    # Every option's line and every paragraph of the Chinese help is Chinese; only the
    # usage line's metavars and the examples stay as they are typed.
    commands = {p[-1] for p in _commands() if p}
    examples = False
    for line in zh.stdout.splitlines():
        if line.strip() in ("示例：",):
            examples = True
        elif examples and line and not line.startswith("    "):
            examples = False
        if examples or line.startswith("用法："):
            continue
        assert _leftover_english(line, commands) == [], line


def test_json_output_has_the_same_shape_in_both_languages(world: World) -> None:
    args = ["number", "13800138000", "--region", "CN", "--claims", "alipay", "--json"]
    en = json.loads(_run(world, "en", args).stdout)
    zh = json.loads(_run(world, "zh", args).stdout)
    assert en.keys() == zh.keys()
    assert (en["verdict"], en["risk"]) == (zh["verdict"], zh["risk"])
    assert [r["code"] for r in en["reasons"]] == [r["code"] for r in zh["reasons"]]
    assert en["reasons"][0]["message"] != zh["reasons"][0]["message"]


@pytest.mark.parametrize("path", list(_commands()), ids=lambda p: " ".join(p) or "callcheck")
def test_every_help_page_has_examples_that_name_its_command(world: World, path: list[str]) -> None:
    for lang, heading in (("en", "Example"), ("zh", "示例：")):
        page = _run(world, lang, [*path, "--help"]).stdout
        assert heading in page, (lang, path)
        examples = page.split(heading, 1)[1]
        assert f"callcheck {' '.join(path)}".strip() in examples
