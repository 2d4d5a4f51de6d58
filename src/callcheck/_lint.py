"""Review checks on the registry sources, beyond what the loader enforces.

The loader refuses what cannot be used (bad fields, facts without a source). Lint
adds what a reviewer must catch before a release: one number or name claimed by two
providers (which clients refuse in a compiled registry), numbers the numbering plan
says cannot exist, stale or future checked-dates, sources nothing refers to. No
network I/O.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ._errors import Message, RegistryError, Text
from ._messages import text
from ._registry import Clash, Registry, Source, at, clashes, load_source_tree

DEFAULT_MAX_AGE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: ``error`` fails the lint, ``warning`` is shown but passes.

    ``finding`` is catalogued text: :meth:`render` says the whole finding in English
    or Chinese; ``str()``, :attr:`message` and :meth:`to_dict` are English.
    """

    level: Literal["error", "warning"]
    file: str
    provider: str | None
    field: str | None
    finding: Message

    @property
    def message(self) -> str:
        """What is wrong, in English, without the place."""
        return self.finding.message("en")

    def render(self, lang: str) -> str:
        """The finding as ``registry lint`` prints it: level, place and what is wrong, in ``lang``."""
        item = Text("registry.provider", id=self.provider) if self.provider else None
        if item is None and self.field is None and self.message.startswith(f"{self.file}:"):
            problem = self.finding.message(lang)  # a loader error that names its place already
        else:
            problem = at(self.file, item, self.field, self.finding).message(lang)
        return text("lint.error" if self.level == "error" else "lint.warning", lang, problem=problem)

    def __str__(self) -> str:
        return self.render("en")

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
        return [Problem("error", str(directory), None, None, Text.of(exc))]
    return _check(registry, directory, max_age_days, today or dt.date.today())


def _check(registry: Registry, directory: Path, max_age_days: int, today: dt.date) -> list[Problem]:
    import phonenumbers

    problems: list[Problem] = []
    # A number or name of one provider listed by another: every client refuses a
    # compiled registry holding one, so each is an error here.
    shared: dict[str, list[Clash]] = {}
    for clash in clashes(registry.providers):
        shared.setdefault(clash.provider, []).append(clash)
    for p in registry.providers:
        file = str(directory / "providers" / f"{p.id}.toml")
        problems += [Problem("error", file, p.id, c.field, c.problem) for c in shared.get(p.id, [])]
        for i, n in enumerate(p.numbers):
            field = f"numbers[{i}]"
            if not n.short_code:
                parsed = phonenumbers.parse(n.number, n.region)
                if not phonenumbers.is_valid_number(parsed):
                    problems.append(
                        Problem(
                            "error",
                            file,
                            p.id,
                            f"{field}.number",
                            Text("lint.number_impossible", number=n.number, region=n.region),
                        )
                    )
                elif (actual := phonenumbers.region_code_for_number(parsed)) != n.region:
                    problems.append(
                        Problem(
                            "warning",
                            file,
                            p.id,
                            f"{field}.region",
                            Text("lint.number_elsewhere", number=n.number, region=actual),
                        )
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
            problems.append(
                Problem("error", file, owner, field, Text("lint.checked_future", date=src.checked))
            )
        elif age > max_age_days:
            problems.append(
                Problem(
                    "error",
                    file,
                    owner,
                    field,
                    Text("lint.checked_stale", age=age, limit=max_age_days, url=src.url),
                )
            )
        if src.id not in used:
            problems.append(
                Problem("warning", file, owner, f"sources[{j}]", Text("lint.source_unused", id=src.id))
            )
    return problems
