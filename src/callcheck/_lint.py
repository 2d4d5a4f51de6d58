"""Review checks on the registry sources, beyond what the loader enforces.

The loader refuses what cannot be used (bad fields, facts without a source). Lint
adds what a reviewer must catch before a release: one number claimed by two
providers, numbers the numbering plan says cannot exist, stale or future
checked-dates, sources nothing refers to. No network I/O.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ._errors import RegistryError
from ._registry import Registry, Source, load_source_tree

DEFAULT_MAX_AGE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: ``error`` fails the lint, ``warning`` is shown but passes."""

    level: Literal["error", "warning"]
    file: str
    provider: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.provider:
            parts.append(f"provider {self.provider!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return f"{self.level}: " + ": ".join(parts) + ": " + self.message

    def to_dict(self) -> dict[str, str | None]:
        return {
            "level": self.level,
            "file": self.file,
            "provider": self.provider,
            "field": self.field,
            "message": self.message,
        }


def lint(
    source: str | os.PathLike[str],
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    today: dt.date | None = None,
) -> list[Problem]:
    """Check the registry source tree ``source``; an empty list means it passes."""
    directory = Path(source)
    try:
        registry = load_source_tree(directory)
    except RegistryError as exc:
        return [Problem("error", str(directory), None, None, str(exc))]
    return _check(registry, directory, max_age_days, today or dt.date.today())


def _check(registry: Registry, directory: Path, max_age_days: int, today: dt.date) -> list[Problem]:
    import phonenumbers

    problems: list[Problem] = []
    owners: dict[str, str] = {}
    for p in registry.providers:
        file = str(directory / "providers" / f"{p.id}.toml")
        for i, n in enumerate(p.numbers):
            field = f"numbers[{i}]"
            owner = owners.setdefault(n.key, p.id)
            if owner != p.id:
                problems.append(
                    Problem("error", file, p.id, field, f"{n.number} is also listed by provider {owner!r}")
                )
            if not n.short_code:
                parsed = phonenumbers.parse(n.number, n.region)
                if not phonenumbers.is_valid_number(parsed):
                    problems.append(
                        Problem(
                            "error",
                            file,
                            p.id,
                            f"{field}.number",
                            f"{n.number} is not a valid number in {n.region} "
                            "(mark carrier service codes with short_code = true)",
                        )
                    )
                elif (actual := phonenumbers.region_code_for_number(parsed)) != n.region:
                    problems.append(
                        Problem("warning", file, p.id, f"{field}.region", f"{n.number} belongs to {actual}")
                    )
        used = set(p.policy.sources) | set(p.contact.sources)
        for n in p.numbers:
            used.update(n.sources)
        problems += _check_sources(p.sources, used, file, p.id, max_age_days, today)
    used = {ref for c in registry.reporting for ref in c.sources}
    reporting = str(directory / "reporting.toml")
    problems += _check_sources(registry.reporting_sources, used, reporting, None, max_age_days, today)
    return problems


def _check_sources(
    sources: tuple[Source, ...],
    used: set[str],
    file: str,
    owner: str | None,
    max_age_days: int,
    today: dt.date,
) -> list[Problem]:
    """Sources checked too long ago or in the future, and sources nothing refers to."""
    problems = []
    for j, src in enumerate(sources):
        field = f"sources[{j}].checked"
        age = (today - src.checked).days
        if age < 0:
            problems.append(Problem("error", file, owner, field, f"{src.checked} is in the future"))
        elif age > max_age_days:
            problems.append(
                Problem(
                    "error",
                    file,
                    owner,
                    field,
                    f"last checked {age} days ago (limit {max_age_days}); re-check {src.url}",
                )
            )
        if src.id not in used:
            problems.append(
                Problem("warning", file, owner, f"sources[{j}]", f"source {src.id!r} is not referred to")
            )
    return problems
