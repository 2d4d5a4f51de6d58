"""``callcheck registry lint``: the review checks on the registry sources."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from callcheck._lint import lint
from callcheck.cli import main
from tests.signing_helpers import BASE_ENV, REPO, REPO_REGISTRY, provider, run_cli, write_tree

TODAY = dt.date.today()


def lint_cli(*args: str) -> Result:
    return CliRunner(env=BASE_ENV).invoke(main, ["registry", "lint", *args])


def full_number(
    pid: str, number: str = "+1-888-221-1161", region: str = "US", **extra: Any
) -> dict[str, Any]:
    data = provider(pid, region=region)
    data["numbers"] = [
        {
            "number": number,
            "region": region,
            "use": "inbound",
            "short_code": False,
            "sources": ["s1"],
            **extra,
        }
    ]
    return data


def dated(pid: str, checked: dt.date) -> dict[str, Any]:
    data = provider(pid)
    data["sources"] = [{**data["sources"][0], "checked": checked}]
    return data


def test_repository_registry_passes(tmp_path: Path) -> None:
    done = run_cli(["registry", "lint", "registry/"], config_dir=tmp_path, data_dir=tmp_path, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout
    assert not any(line.startswith("error:") for line in done.stderr.splitlines())
    assert [p for p in lint(REPO_REGISTRY) if p.level == "error"] == []


def test_clean_tree_passes(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme"), "bolt": full_number("bolt")})
    result = lint_cli(str(tree))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("0 errors, 0 warnings")


def test_same_number_under_two_providers_is_an_error(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        providers={"acme": full_number("acme"), "bolt": full_number("bolt", number="+1 (888) 221-1161")},
    )
    result = lint_cli(str(tree))
    assert result.exit_code == 1
    assert (
        f"error: {tree / 'providers' / 'bolt.toml'}: provider 'bolt': field 'numbers[0]': "
        "+1 (888) 221-1161 is also listed by provider 'acme'"
    ) in result.stderr
    assert "1 errors" in result.stdout


def test_same_short_code_under_two_providers_is_an_error(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme"), "bolt": provider("bolt")})
    result = lint_cli(str(tree), "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(p["level"], p["provider"], p["field"]) for p in problems] == [("error", "bolt", "numbers[0]")]


def test_same_name_under_two_providers_is_an_error(tmp_path: Path) -> None:
    # Clients refuse a compiled registry like this: --claims "acme pay" would find bolt.
    bolt = provider("bolt", number="95566")
    bolt["names"]["aliases"] = ["ACME pay"]
    tree = write_tree(tmp_path / "t", providers={"acme": provider("acme"), "bolt": bolt})
    result = lint_cli(str(tree))
    assert result.exit_code == 1
    assert (
        f"error: {tree / 'providers' / 'bolt.toml'}: provider 'bolt': field 'names.aliases': "
        "'ACME pay' is also a name of provider 'acme'"
    ) in result.stderr
    assert "1 errors" in result.stdout


def test_same_number_twice_in_one_provider_is_allowed(tmp_path: Path) -> None:
    data = provider("acme")
    data["numbers"].append({**data["numbers"][0], "use": "sms"})
    tree = write_tree(tmp_path / "t", providers={"acme": data})
    assert lint_cli(str(tree)).exit_code == 0


@pytest.mark.parametrize(
    ("number", "region"),
    [("+86 12345", "CN"), ("+1 555 010", "US"), ("0800 000", "GB")],
)
def test_number_that_cannot_exist_is_an_error(tmp_path: Path, number: str, region: str) -> None:
    tree = write_tree(tmp_path / "t", providers={"acme": full_number("acme", number=number, region=region)})
    result = lint_cli(str(tree))
    assert result.exit_code == 1
    assert "field 'numbers[0].number'" in result.stderr
    assert f"is not a valid number in {region}" in result.stderr
    assert "short_code = true" in result.stderr


def test_stale_checked_date_is_an_error(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "t", providers={"acme": dated("acme", TODAY - dt.timedelta(days=400))})
    result = lint_cli(str(tree))
    assert result.exit_code == 1
    assert "field 'sources[0].checked': last checked 400 days ago (limit 365)" in result.stderr
    assert lint_cli(str(tree), "--max-age", "400").exit_code == 0
    short = lint_cli(str(tree), "--max-age", "399")
    assert short.exit_code == 1
    assert "limit 399" in short.stderr


def test_checked_date_in_the_future_is_an_error(tmp_path: Path) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    tree = write_tree(tmp_path / "t", providers={"acme": dated("acme", tomorrow)})
    result = lint_cli(str(tree))
    assert result.exit_code == 1
    assert f"field 'sources[0].checked': {tomorrow.isoformat()} is in the future" in result.stderr


def test_today_is_neither_stale_nor_future(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "t", providers={"acme": dated("acme", TODAY)})
    assert lint_cli(str(tree), "--max-age", "0").exit_code == 0


def test_unreferenced_source_is_a_warning_only(tmp_path: Path) -> None:
    data = provider("acme")
    data["sources"].append({**data["sources"][0], "id": "s2"})
    tree = write_tree(tmp_path / "t", providers={"acme": data})
    result = lint_cli(str(tree))
    assert result.exit_code == 0
    assert "warning:" in result.stdout and "source 's2' is not referred to" in result.stdout
    assert result.stdout.strip().endswith("0 errors, 1 warnings")


def test_schema_error_fails_lint_with_one_problem(tmp_path: Path) -> None:
    data = provider("acme")
    data["numbers"][0]["use"] = "incoming"
    tree = write_tree(tmp_path / "t", providers={"acme": data})
    result = lint_cli(str(tree))
    assert result.exit_code == 1
    assert "field 'numbers[0].use'" in result.stderr
    assert "Traceback" not in result.output


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        providers={
            "acme": full_number("acme"),
            "bolt": full_number("bolt"),
            "cool": full_number("cool", number="+86 12345", region="CN"),
            "dull": dated("dull", TODAY + dt.timedelta(days=3)),
        },
    )
    problems = lint(tree)
    assert sorted((p.provider, p.field) for p in problems if p.level == "error") == [
        ("bolt", "numbers[0]"),
        ("cool", "numbers[0].number"),
        ("dull", "sources[0].checked"),
    ]
    assert lint_cli(str(tree)).exit_code == 1
