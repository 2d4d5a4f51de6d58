"""Every error callcheck reports comes from the message catalogue, so it can be said
in English and in Chinese: the code is read to check that no error is raised with
free text, and real failures are made to check what a person is shown."""

from __future__ import annotations

import ast
import errno
import hashlib
import importlib
import os
import pkgutil
import platform
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import callcheck
from callcheck._config import Config, load_config
from callcheck._errors import (
    _OS_REASONS,
    CallcheckError,
    InvalidInput,
    Joined,
    Message,
    Remark,
    SignatureError,
    Text,
    os_reason,
)
from callcheck._loading import EMBEDDED_FILE, load_trusted
from callcheck._messages import EN, ZH
from callcheck._minisign import Signature
from callcheck._numbers import _PARSE_ERRORS
from callcheck._patterns import parse_patterns
from callcheck._store import Store
from callcheck._update import update
from callcheck._wording import parse_model
from callcheck.cli import main
from tests.signing_helpers import BASE_ENV, CHECKED, provider, write_tree

SRC = Path(callcheck.__file__).parent


def has_chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


# --- the code: every error is raised with a catalogue key ----------------------------------


def _error_classes() -> set[str]:
    """The names of callcheck's own error classes, wherever they are defined."""
    for info in pkgutil.iter_modules([str(SRC)]):
        importlib.import_module(f"callcheck.{info.name}")
    names: set[str] = set()
    todo: list[type[CallcheckError]] = [CallcheckError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


ERROR_CLASSES = _error_classes()
TEXT_CLASSES = {"Text", "Remark"}

# Calls whose key is not written out where they are made: (file, function) and why.
# Each is checked some other way.
DYNAMIC = {
    # _Where.error raises with the key at() picked for the place; at() names its four
    # keys outright, and the problem key passed to .error() is checked below.
    ("_registry.py", "error"),
    # os_reason's keys are the values of _OS_REASONS, checked against the catalogues below.
    ("_errors.py", "os_reason"),
}


class _Calls(ast.NodeVisitor):
    """Every call making a callcheck error or catalogued text, with the function it is in."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, ast.Call]] = []  # (class or "error", function, call)
        self.function = "<module>"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ERROR_CLASSES | TEXT_CLASSES:
            self.found.append((func.id, self.function, node))
        elif isinstance(func, ast.Attribute) and func.attr == "error" and len(node.args) >= 2:
            self.found.append(("error", self.function, node))  # _Where.error(field, key, ...)
        self.generic_visit(node)


def _calls() -> list[tuple[str, str, str, ast.Call]]:
    out = []
    for path in sorted(SRC.glob("*.py")):
        visitor = _Calls()
        visitor.visit(ast.parse(path.read_text("utf-8"), str(path)))
        out += [(path.name, name, function, call) for name, function, call in visitor.found]
    return out


CALLS = _calls()


def _is_key(node: ast.expr, cls: str) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in EN
    if cls != "InvalidNumber":
        return False
    # InvalidNumber picks among the invalid.* reasons; test_messages checks each exists.
    if isinstance(node, ast.IfExp):
        return _is_key(node.body, cls) and _is_key(node.orelse, cls)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return isinstance(node.left, ast.Constant) and node.left.value == "invalid."
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "_PARSE_ERRORS.get":
        return all(key in EN for key in _PARSE_ERRORS.values()) and _is_key(node.args[1], cls)
    return False


def test_the_error_classes_are_found() -> None:
    assert {"InvalidNumber", "RegistryError", "ConfigError", "PatternError", "WordingError"} <= ERROR_CLASSES
    assert all(name.endswith(("Error", "Input", "Provider", "Number", "Record")) for name in ERROR_CLASSES)
    assert len([c for c in CALLS if c[1] in ERROR_CLASSES]) > 100


def test_every_error_is_made_with_a_catalogue_key() -> None:
    free = [
        f"{file}:{call.lineno} {ast.unparse(call)}"
        for file, name, function, call in CALLS
        if name in ERROR_CLASSES | TEXT_CLASSES
        and (file, function) not in DYNAMIC
        and not (call.args and _is_key(call.args[0], name))
    ]
    assert free == []


def test_every_registry_problem_is_a_catalogue_key() -> None:
    problems = [(file, call) for file, name, _, call in CALLS if name == "error"]
    assert len(problems) > 30
    free = [
        f"{file}:{call.lineno} {ast.unparse(call)}"
        for file, call in problems
        if not _is_key(call.args[1], "")
    ]
    assert free == []


def test_the_dynamic_cases_are_still_there() -> None:
    # If one of them went away, its entry in DYNAMIC must go too.
    assert {(file, function) for file, _, function, _ in CALLS} >= DYNAMIC


def test_an_unknown_key_fails_where_it_is_used() -> None:
    with pytest.raises(KeyError):
        CallcheckError("not a catalogue key")
    with pytest.raises(KeyError):
        InvalidInput("Something went wrong: plain English")
    with pytest.raises(KeyError):
        Text("no.such_key")
    with pytest.raises(KeyError):  # a key's values must all be given
        CallcheckError("file.cannot_read", path="x")


# --- what the catalogued pieces say -------------------------------------------------------


def test_nested_messages_are_said_in_the_same_language() -> None:
    inner = SignatureError("signature.bad_base64", what=Text("signature.public_key"))
    outer = CallcheckError("config.bad_trusted_key", path="c.toml", index=0, error=inner)
    assert str(outer) == "c.toml: trusted_keys[0]: public key: not valid base64"
    assert outer.message("zh") == "c.toml：trusted_keys[0] 有误：公钥：不是有效的 base64"


def test_joined_messages_use_the_languages_separator() -> None:
    joined = Joined([Text("os.enoent"), Text("os.eacces")])
    assert joined.message("en") == "No such file or directory; Permission denied"
    assert joined.message("zh") == "文件或文件夹不存在；没有权限"


def test_a_remark_is_its_english_text() -> None:
    remark = Remark("cli.warning", message=Text("os.eio"))
    assert remark == "warning: Input/output error"
    assert remark.message("zh") == "警告：读写出错"


def test_text_of_an_error_keeps_its_words_but_not_its_traceback() -> None:
    error = SignatureError("signature.mismatch", key="ABCD")
    try:
        raise error
    except SignatureError as exc:
        copy = Text.of(exc)
    assert error.__traceback__ is not None
    assert copy == Text("signature.mismatch", key="ABCD")
    assert copy.message("zh") == error.message("zh") == "密钥 ABCD 的签名与数据不符"


def test_common_os_reasons_are_said_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(OSError) as caught:
        (tmp_path / "missing").read_bytes()
    reason = os_reason(caught.value)
    assert isinstance(reason, Message)
    assert has_chinese(reason.message("zh"))
    assert set(_OS_REASONS.values()) <= set(ZH)
    assert all(hasattr(errno, name) for name in _OS_REASONS)


def test_other_os_reasons_keep_the_systems_words() -> None:
    exc = OSError(errno.EBUSY, os.strerror(errno.EBUSY))
    assert os_reason(exc) == os.strerror(errno.EBUSY)
    assert os_reason(OSError("no errno at all")) == "no errno at all"


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc's wording"
)
def test_english_os_reasons_are_the_systems_own_words() -> None:
    # So English output is what it was before the catalogue, word for word.
    assert {key: EN[key] for key in _OS_REASONS.values()} == {
        key: os.strerror(getattr(errno, name)) for name, key in _OS_REASONS.items()
    }


# --- real failures, in the library ---------------------------------------------------------


def _both(error: CallcheckError) -> tuple[str, str]:
    en, zh = error.message("en"), error.message("zh")
    assert en == str(error)
    assert has_chinese(zh) and not has_chinese(en), (en, zh)
    assert en != zh
    return en, zh


def test_unknown_region() -> None:
    with pytest.raises(InvalidInput) as caught:
        callcheck.check_number("1", region="XX")
    en, zh = _both(caught.value)
    assert en == "'XX' is not a known region code; use two letters such as CN or US"
    assert zh.startswith("'XX' 不是已知的地区代码")


def test_registry_with_a_bad_signature(tmp_path: Path) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_bytes(Path(EMBEDDED_FILE).read_bytes() + b"\n# changed\n")
    (tmp_path / "registry.toml.minisig").write_bytes(Path(EMBEDDED_FILE + ".minisig").read_bytes())
    with pytest.raises(SignatureError) as caught:
        callcheck.load_registry(registry)
    en, zh = _both(caught.value)
    assert en.endswith("does not match the data")
    assert "的签名与数据不符" in zh


def test_malformed_signature_names_the_part_in_the_same_language() -> None:
    with pytest.raises(SignatureError) as caught:
        Signature.from_text(b"untrusted comment: x\n")
    en, zh = _both(caught.value)
    assert en == "signature: expected 4 lines, found 1"
    assert zh == "签名：应有 4 行，实际有 1 行"


def test_no_trusted_registry_lists_every_reason_in_the_same_language(tmp_path: Path) -> None:
    with pytest.raises(callcheck.RegistryError) as caught:
        load_trusted(Config(pinned_keys=False), tmp_path)
    en, zh = _both(caught.value)
    assert en.startswith("no trusted registry: the pinned keys are switched off")
    assert zh.startswith("没有可信的登记表：内置公钥已关闭")


@pytest.mark.parametrize(
    "fail",
    [
        pytest.param(lambda p: load_config(_config(p)), id="config"),
        pytest.param(lambda p: parse_patterns({"format": 2}, "patterns.toml"), id="patterns"),
        pytest.param(lambda p: parse_model("@format\t2\n", "wording.tsv"), id="wording"),
        pytest.param(lambda p: update("ftp://example.org/", config=Config(), data=p), id="update"),
        pytest.param(lambda p: callcheck.check_number("95188", claims="no such provider"), id="provider"),
        pytest.param(lambda p: callcheck.load_registry(p / "nothing.toml"), id="missing registry"),
    ],
)
def test_other_failures_are_said_in_both_languages(tmp_path: Path, fail: Callable[[Path], object]) -> None:
    with pytest.raises(CallcheckError) as caught:
        fail(tmp_path)
    _both(caught.value)


def _config(directory: Path) -> Path:
    path = directory / "config.toml"
    path.write_text("colour = 'red'\n", "utf-8")
    return path


# --- real failures, on the command line ----------------------------------------------------


def cli(*args: str, **env: str) -> Result:
    return CliRunner(env={**BASE_ENV, **env}).invoke(main, list(args))


def _one_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _in_both(args: list[str], status: int, **env: str) -> tuple[str, str]:
    """The one line on stderr in English and in Chinese."""
    said = []
    for lang in ("en", "zh"):
        result = cli("--lang", lang, *args, **env)
        assert result.exit_code == status, result.output
        said.append(_one_line(result))
    en, zh = said
    assert has_chinese(zh) and not has_chinese(en), (en, zh)
    return en, zh


def test_missing_transcript_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexistent")
    en, zh = _in_both(["transcript", missing], 2)
    assert en == f"error: {missing}: no such file"
    assert zh == f"错误：{missing}：找不到这个文件"


def test_transcript_that_is_a_directory(tmp_path: Path) -> None:
    en, zh = _in_both(["transcript", str(tmp_path)], 2)
    assert en.endswith("is a directory, not a transcript file")
    assert zh.endswith("这是一个文件夹，不是通话内容文件")


def test_empty_transcript_on_standard_input() -> None:
    result = cli("--lang", "zh", "transcript", "-")
    assert result.exit_code == 2
    assert _one_line(result) == "错误：标准输入：通话内容是空的"


@pytest.mark.parametrize(
    ("args", "en"),
    [
        (["provider", "nosuchthing"], "error: No provider matches 'nosuchthing'."),
        (["number"], "error: give either a NUMBER or --batch FILE"),
    ],
)
def test_bad_input_on_the_command_line(args: list[str], en: str) -> None:
    assert _in_both(args, 2)[0] == en


def _broken_header(tree: Path) -> None:
    (tree / "header.toml").write_text("serial = \n", "utf-8")


def _bad_use(tree: Path) -> None:
    data = provider("acme")
    data["numbers"][0]["use"] = "incoming"
    write_tree(tree, providers={"acme": data})


def _stale(tree: Path) -> None:
    data = provider("acme")
    data["sources"][0]["checked"] = CHECKED.replace(year=CHECKED.year - 5)
    write_tree(tree, providers={"acme": data})


@pytest.mark.parametrize(
    ("breaks", "en_end", "zh_end"),
    [
        (_broken_header, ": not valid TOML: ", "：不是有效的 TOML："),
        (
            _bad_use,
            ": provider 'acme': field 'numbers[0].use': must be one of inbound, outbound, sms "
            "(got 'incoming')",
            "：机构 'acme'：字段 'numbers[0].use'：必须是 inbound, outbound, sms 之一（现在是 'incoming'）",
        ),
        (_stale, ": provider 'acme': field 'sources[0].checked': last checked ", "：上次核对是 "),
    ],
    ids=["unparsable header", "bad field", "stale source"],
)
def test_broken_registry_source(
    tmp_path: Path, breaks: Callable[[Path], None], en_end: str, zh_end: str
) -> None:
    tree = write_tree(tmp_path / "tree")
    breaks(tree)
    en, zh = _in_both(["registry", "lint", str(tree)], 1)
    assert en.startswith(f"error: {tree}") and en_end in en
    assert zh.startswith(f"错误：{tree}") and zh_end in zh


def test_ignored_registry_is_reported_in_the_users_language(tmp_path: Path) -> None:
    tampered = Path(EMBEDDED_FILE).read_bytes() + b"\n# changed\n"
    signature = Path(EMBEDDED_FILE + ".minisig").read_bytes()
    data = tmp_path / "data"
    path = Store(data).install(
        tampered, signature, serial=10**6, sha256=hashlib.sha256(tampered).hexdigest(), etag=None, url=None
    )
    env = {"CALLCHECK_DATA_DIR": str(data), "CALLCHECK_CONFIG_DIR": str(tmp_path / "config")}
    said = {}
    for lang in ("en", "zh"):
        result = cli("--lang", lang, "number", "95188", "--region", "CN", **env)
        assert result.exit_code == 0, result.output
        said[lang] = _one_line(result)
    assert said["en"].startswith(f"warning: ignored the downloaded registry {path}: signature by key ")
    assert said["zh"].startswith(f"警告：已忽略下载的登记表 {path}：密钥 ")
    assert said["zh"].endswith("的签名与数据不符")
