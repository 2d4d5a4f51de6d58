"""Result values returned by the checks: frozen, typed, and turned into JSON by ``to_dict``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ._registry import OfficialNumber, Provider, ReportingChannel

Verdict = Literal["official", "lookalike", "unknown", "invalid"]
Risk = Literal["low", "medium", "high"]
RISKS: tuple[Risk, ...] = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Note:
    """A reason or a piece of advice: a stable machine ``code`` and a human ``message``."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class ProviderRef:
    """A provider as named in a result: its registry id and its display name."""

    id: str
    name: str

    @classmethod
    def of(cls, provider: Provider, lang: str) -> ProviderRef:
        return cls(provider.id, provider.name(lang))

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class Callback:
    """An official number to call a provider back on."""

    provider: str
    number: str
    international: str
    region: str
    note: str

    @classmethod
    def of(cls, provider: Provider, number: OfficialNumber) -> Callback:
        return cls(provider.id, number.number, number.key, number.region, number.note)

    def to_dict(self) -> dict[str, str]:
        return {
            "provider": self.provider,
            "number": self.number,
            "international": self.international,
            "region": self.region,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class ReportTo:
    """Where to report the scam: a channel of the person's region, named in their language."""

    id: str
    name: str
    kind: str
    contact: str
    note: str

    @classmethod
    def of(cls, channel: ReportingChannel, lang: str) -> ReportTo:
        data = channel.to_dict(lang)
        return cls(channel.id, data["name"], channel.kind, channel.contact, data["note"])

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "contact": self.contact,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class NumberCheck:
    """The verdict on one caller number.

    ``number`` is the number in international form (``+8695188``) when it could be
    read. ``provider`` is the provider the number belongs to (``official``) or
    imitates (``lookalike``); ``claims`` the provider the caller claimed to be.
    ``advice`` is ordered: the first note is the next step to take. ``callback``
    lists the official numbers to call back, of the claimed provider when there
    is one. ``report`` lists where to report the call when the risk is high (for
    the region given, else the number's region). ``risk`` is None only for ``invalid``.
    """

    input: str
    number: str | None
    region: str | None
    verdict: Verdict
    risk: Risk | None
    provider: ProviderRef | None
    claims: ProviderRef | None
    reasons: tuple[Note, ...]
    advice: tuple[Note, ...]
    callback: tuple[Callback, ...]
    registry_serial: int
    registry_expired: bool
    lang: str = "en"
    report: tuple[ReportTo, ...] = ()

    @property
    def risky(self) -> bool:
        """True when the verdict calls for caution (medium or high risk)."""
        return self.risk in ("medium", "high")

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "number": self.number,
            "region": self.region,
            "verdict": self.verdict,
            "risk": self.risk,
            "provider": self.provider.to_dict() if self.provider else None,
            "claims": self.claims.to_dict() if self.claims else None,
            "reasons": [n.to_dict() for n in self.reasons],
            "advice": [n.to_dict() for n in self.advice],
            "callback": [c.to_dict() for c in self.callback],
            "report": [r.to_dict() for r in self.report],
            "registry": {"serial": self.registry_serial, "expired": self.registry_expired},
            "lang": self.lang,
        }
