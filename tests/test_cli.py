"""The ``callcheck`` command through Click's CliRunner: output, JSON and exit statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from callcheck import Registry, __version__, check_number, load_registry
from callcheck._maintain import shipped_serial
from callcheck.cli import main

from .conftest import TEST_KEYS, other_provider_dict, provider_dict, sign


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_one_line_error(result: Result, status: int = 2, prefix: str = "error: ") -> str:
    assert result.exit_code == status
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(prefix)
    return lines[0]


# --- number --------------------------------------------------------------------------


def test_alipay_hotline_as_json_is_official_alipay(runner: CliRunner) -> None:
    result = run(runner, "number", "95188", "--region", "CN", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["verdict"] == "official"
    assert data["provider"]["id"] == "alipay"
    assert data["risk"] == "low"


@pytest.mark.parametrize(
    "args",
    [
        ["95188", "--region", "CN"],
        ["13800138000", "--region", "CN", "--claims", "alipay"],
        ["+86 951880"],
        ["95017", "--region", "CN", "--claims", "支付宝"],
        ["hello"],
        ["+1 555 0100"],
        ["95188", "--region", "us"],
        ["13800138000", "-r", "CN", "-c", "tokenpocket"],
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_output_is_exactly_the_library_result(runner: CliRunner, args: list[str], lang: str) -> None:
    result = run(runner, "--lang", lang, "number", *args, "--json")
    region = claims = None
    rest = args[1:]
    for flag, value in zip(rest[::2], rest[1::2], strict=True):
        if flag in ("--region", "-r"):
            region = value
        else:
            claims = value
    expected = check_number(args[0], region=region, claims=claims, lang=lang)
    assert json.loads(result.stdout) == expected.to_dict()
    assert result.exit_code == (2 if expected.verdict == "invalid" else 1 if expected.risky else 0)


def test_unknown_number_claiming_alipay_says_so_and_gives_95188(runner: CliRunner) -> None:
    result = run(runner, "number", "13800138000", "--region", "CN", "--claims", "alipay")
    assert result.exit_code == 1
    assert "This is not Alipay's number" in result.stdout
    assert "95188" in result.stdout
    callback_section = result.stdout.split("Official numbers to call back:", 1)[1]
    assert "95188" in callback_section
    data = json.loads(
        run(runner, "number", "13800138000", "--region", "CN", "--claims", "alipay", "--json").stdout
    )
    assert [c["number"] for c in data["callback"]] == ["95188"]


def test_official_number_output_names_the_provider_and_the_callback(runner: CliRunner) -> None:
    result = run(runner, "number", "95188", "--region", "CN")
    assert result.exit_code == 0
    assert "OFFICIAL" in result.stdout
    assert "Official number of Alipay" in result.stdout
    assert "95188  (CN) Customer service hotline" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("number", "provider"),
    [
        ("+86 951880", "Alipay"),
        ("0095188 1", "Alipay"),
        ("+1 888 221 1162", "PayPal"),
        ("+1 888 212 1161", "PayPal"),
        ("+44 888 221 1161", "PayPal"),
        ("+1 95188", "Alipay"),
        ("+86 10 95188", "Alipay"),
    ],
)
def test_lookalike_is_reported_as_high_risk_with_exit_status_1(
    runner: CliRunner, number: str, provider: str
) -> None:
    result = run(runner, "number", number)
    assert result.exit_code == 1
    assert "LOOKALIKE" in result.stdout
    assert "high risk" in result.stdout
    assert f"This number imitates {provider}" in result.stdout


def test_claim_of_a_provider_that_never_calls_says_it_does_not_phone(runner: CliRunner) -> None:
    result = run(runner, "number", "13800138000", "--region", "CN", "--claims", "tokenpocket")
    assert result.exit_code == 1
    assert "high risk" in result.stdout
    assert "TokenPocket does not phone its customers" in result.stdout


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["95188", "--region", "CN"], 0),
        (["+1-888-221-1161"], 0),
        (["13800138000", "--region", "CN"], 0),
        (["95188", "--region", "US"], 1),
        (["+1 555 0100"], 1),
        (["13800138000", "--region", "CN", "--claims", "alipay"], 1),
        (["95017", "--region", "CN", "--claims", "支付宝"], 1),
        (["+86 951880"], 1),
        (["hello"], 2),
        (["95188", "--region", "XX"], 2),
        (["95188", "--claims", "nosuchthing"], 2),
        (["95188", "--claims", "pay"], 2),
    ],
)
def test_exit_status_follows_the_risk(runner: CliRunner, args: list[str], status: int) -> None:
    assert run(runner, "number", *args).exit_code == status


@pytest.mark.parametrize("number", ["hello", "", "12", "+", "1+2345", "+999 1234", "1" * 20, "95188abc"])
def test_input_that_is_not_a_number_gives_one_line_error_and_status_2(runner: CliRunner, number: str) -> None:
    line = assert_one_line_error(run(runner, "number", number))
    assert repr(number) in line


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["95188", "--region", "XX"], "XX"),
        (["95188", "--region", "China"], "China"),
        (["95188", "--claims", "nosuchthing"], "nosuchthing"),
        (["95188", "--claims", "pay"], "several providers"),
    ],
)
def test_bad_region_or_provider_gives_one_line_error_and_status_2(
    runner: CliRunner, args: list[str], mentions: str
) -> None:
    assert mentions in assert_one_line_error(run(runner, "number", *args))


def test_chinese_output_with_lang_zh(runner: CliRunner) -> None:
    result = run(runner, "--lang", "zh", "number", "95188", "--region", "CN")
    assert result.exit_code == 0
    assert "支付宝" in result.stdout
    assert "官方" in result.stdout


def test_english_output_with_lang_en_has_no_chinese(runner: CliRunner) -> None:
    result = run(runner, "--lang", "en", "number", "95188", "--region", "CN")
    assert result.exit_code == 0
    assert "Alipay" in result.stdout
    assert not has_chinese(result.stdout)


def test_language_follows_the_locale_when_not_given() -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8", "NO_COLOR": "1"})
    result = run(runner, "number", "95188", "--region", "CN")
    assert "官方" in result.stdout


def test_error_messages_are_translated_too(runner: CliRunner) -> None:
    line = assert_one_line_error(run(runner, "--lang", "zh", "number", "hello"), prefix="错误：")
    assert "不是电话号码" in line


def test_output_has_no_colour_codes_when_not_a_terminal(runner: CliRunner) -> None:
    result = run(runner, "number", "+86 951880")
    assert "\x1b[" not in result.stdout


# --- provider ------------------------------------------------------------------------


def test_provider_found_by_chinese_name(runner: CliRunner) -> None:
    result = run(runner, "provider", "支付宝")
    assert result.exit_code == 0
    assert "Alipay" in result.stdout
    assert "[alipay]" in result.stdout
    assert "95188" in result.stdout
    assert "[paypal]" not in result.stdout


def test_provider_as_json_is_a_list_with_one_provider(runner: CliRunner) -> None:
    result = run(runner, "provider", "alipay", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1
    assert data[0]["id"] == "alipay"
    provider = load_registry().get("alipay")
    assert provider is not None
    assert data[0] == provider.to_dict()


def test_unknown_provider_gives_one_line_error_and_status_2(runner: CliRunner) -> None:
    assert "nosuchthing" in assert_one_line_error(run(runner, "provider", "nosuchthing"))


def test_provider_without_query_lists_every_provider(runner: CliRunner) -> None:
    seed = ["alipay", "apple", "google_wallet", "paypal", "tokenpocket", "unionpay", "wechat_pay"]
    result = run(runner, "provider")
    assert result.exit_code == 0
    for pid in seed:
        assert f"[{pid}]" in result.stdout
    data = json.loads(run(runner, "provider", "--json").stdout)
    ids = [p["id"] for p in data]
    assert len(ids) >= 30 and set(seed) <= set(ids)
    assert all(p["sources"] for p in data)


def test_partial_provider_name_lists_every_match(runner: CliRunner) -> None:
    data = json.loads(run(runner, "provider", "pay", "--json").stdout)
    assert {"alipay", "paypal", "wechat_pay"} <= {p["id"] for p in data}


def test_provider_without_phone_line_says_so(runner: CliRunner) -> None:
    result = run(runner, "provider", "tokenpocket")
    assert "no phone number" in result.stdout
    assert "Calls customers: never" in result.stdout


def test_provider_in_chinese_shows_chinese_labels(runner: CliRunner) -> None:
    result = run(runner, "--lang", "zh", "provider", "alipay")
    assert "官方号码" in result.stdout
    assert "支付宝（Alipay）" in result.stdout


# --- registry build ------------------------------------------------------------------


def test_registry_build_writes_a_file_that_loads_back(
    runner: CliRunner, make_tree: Callable[..., Path], make_registry: Callable[..., Registry], tmp_path: Path
) -> None:
    providers = {"acme": provider_dict("acme"), "beta": other_provider_dict("beta")}
    tree = make_tree(providers)
    out = tmp_path / "registry.toml"
    result = run(runner, "registry", "build", str(tree), "-o", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    # A CLI build outranks the registry shipped in the package, which clients already trust.
    first = shipped_serial() + 1
    assert info["serial"] == first and info["providers"] == 2 and info["path"] == str(out)
    loaded = load_registry(sign(out), keys=TEST_KEYS)
    assert loaded.providers == make_registry(providers).providers

    again = json.loads(run(runner, "registry", "build", str(tree), "-o", str(out), "--json").stdout)
    assert again["serial"] == first + 1


def test_registry_build_of_a_malformed_tree_fails_with_one_line_naming_the_file(
    runner: CliRunner, make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    tree = make_tree({"acme": provider_dict("acme", kind="casino")})
    out = tmp_path / "registry.toml"
    line = assert_one_line_error(run(runner, "registry", "build", str(tree), "-o", str(out)), status=3)
    assert str(tree / "providers" / "acme.toml") in line
    assert "'kind'" in line
    assert not out.exists()


# --- general -------------------------------------------------------------------------


def test_version_is_printed(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--lang", "fr", "number", "95188"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- number --batch ---------------------------------------------------------------------


def test_batch_writes_one_json_line_per_input_line_with_the_single_verdicts(
    runner: CliRunner, tmp_path: Path
) -> None:
    lines = ["95188", "+86 951880", "hello", "", "13800138000", "95188", "(888) 221-1161"]
    path = tmp_path / "calls.txt"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b"\xff\xfe bad bytes\n")
    result = run(runner, "number", "--batch", str(path), "--region", "CN")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines) + 1
    registry = load_registry()
    expected = [check_number(n, region="CN", registry=registry).to_dict() for n in lines]
    assert out[: len(lines)] == expected
    assert out[-1]["verdict"] == "invalid"  # undecodable bytes: that line only
    assert result.exit_code == 1  # the lookalike is a risk


def test_batch_in_chinese_writes_the_single_verdicts_in_utf8(runner: CliRunner, tmp_path: Path) -> None:
    # Lookalikes name Chinese reporting channels: non-ASCII lines among ASCII ones.
    lines = ["951880", "13800138000", "+1 (201) 555-0123", "95588", "电话", "955881", "0086 138 0013 8000"]
    lines *= 50
    path = tmp_path / "calls.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["--lang", "zh", "number", "--batch", str(path), "--region", "CN"])
    registry = load_registry()
    expected = [check_number(n, region="CN", registry=registry, lang="zh").to_dict() for n in lines]
    assert [json.loads(line) for line in result.stdout_bytes.decode("utf-8").splitlines()] == expected
    assert result.exit_code == 1


def test_batch_output_goes_through_the_text_stream_unless_it_is_utf8() -> None:
    import io

    from callcheck.cli import _utf8_buffer

    raw = io.BytesIO()
    assert _utf8_buffer(io.TextIOWrapper(raw, encoding="utf-8")) is raw
    assert _utf8_buffer(io.TextIOWrapper(io.BytesIO(), encoding="UTF8")) is not None
    assert _utf8_buffer(io.TextIOWrapper(io.BytesIO(), encoding="latin-1")) is None
    assert _utf8_buffer(io.StringIO()) is None


def test_batch_reads_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(main, ["number", "--batch", "-", "--region", "CN"], input="95188\n95588\n")
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    assert verdicts == ["official", "official"]


def test_batch_of_a_missing_file_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    assert_one_line_error(run(runner, "number", "--batch", str(tmp_path / "nope.txt")))


@pytest.mark.parametrize("args", [["number"], ["number", "95188", "--batch", "-"]])
def test_number_wants_either_a_number_or_a_batch(runner: CliRunner, args: list[str]) -> None:
    assert_one_line_error(run(runner, *args))


def test_every_command_loaded_on_first_use_is_listed_with_its_help(runner: CliRunner) -> None:
    from callcheck.cli import _LAZY_COMMANDS

    result = runner.invoke(main, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0
    for name in (*_LAZY_COMMANDS, "number"):
        assert f"  {name} " in result.output
        sub = runner.invoke(main, [name, "--help"], catch_exceptions=False)
        assert sub.exit_code == 0, sub.output
        assert f"Usage: main {name}" in sub.output or f"Usage: callcheck {name}" in sub.output
