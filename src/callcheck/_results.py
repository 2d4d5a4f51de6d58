"""Result values returned by the checks: frozen, typed, and turned into JSON by ``to_dict``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ._values import Value

if TYPE_CHECKING:
    from ._registry import OfficialNumber, Provider, ReportingChannel

Verdict = Literal["official", "lookalike", "unknown", "invalid"]
Risk = Literal["low", "medium", "high"]
RISKS: tuple[Risk, ...] = ("low", "medium", "high")

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields


class Note(Value):
    """A reason or a piece of advice: a stable machine ``code`` and a human ``message``."""

    __slots__ = ("code", "message")
    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        _set_code(self, code)
        _set_message(self, message)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


_set_code, _set_message = (getattr(Note, name).__set__ for name in Note.__slots__)


class ProviderRef(Value):
    """A provider as named in a result: its registry id and its display name."""

    __slots__ = ("id", "name")
    id: str
    name: str

    def __init__(self, id: str, name: str) -> None:
        _set(self, "id", id)
        _set(self, "name", name)

    @classmethod
    def of(cls, provider: Provider, lang: str) -> ProviderRef:
        return cls(provider.id, provider.name(lang))

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


class Callback(Value):
    """An official number to call a provider back on."""

    __slots__ = ("provider", "number", "international", "region", "note")
    provider: str
    number: str
    international: str
    region: str
    note: str

    def __init__(self, provider: str, number: str, international: str, region: str, note: str) -> None:
        _set(self, "provider", provider)
        _set(self, "number", number)
        _set(self, "international", international)
        _set(self, "region", region)
        _set(self, "note", note)

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


class ReportTo(Value):
    """Where to report the scam: a channel of the person's region, named in their language."""

    __slots__ = ("id", "name", "kind", "contact", "note")
    id: str
    name: str
    kind: str
    contact: str
    note: str

    def __init__(self, id: str, name: str, kind: str, contact: str, note: str) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "kind", kind)
        _set(self, "contact", contact)
        _set(self, "note", note)

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


class NumberCheck(Value):
    """The verdict on one caller number.

    ``number`` is the number in international form (``+8695188``) when it could be
    read. ``provider`` is the provider the number belongs to (``official``) or
    imitates (``lookalike``); ``claims`` the provider the caller claimed to be.
    ``advice`` is ordered: the first note is the next step to take. ``callback``
    lists the official numbers to call back, of the claimed provider when there
    is one. ``report`` lists where to report the call when the risk is high (for
    the region given, else the number's region). ``risk`` is None only for ``invalid``.
    """

    __slots__ = (
        "input",
        "number",
        "region",
        "verdict",
        "risk",
        "provider",
        "claims",
        "reasons",
        "advice",
        "callback",
        "registry_serial",
        "registry_expired",
        "lang",
        "report",
    )
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
    lang: str
    report: tuple[ReportTo, ...]

    def __init__(
        self,
        input: str,
        number: str | None,
        region: str | None,
        verdict: Verdict,
        risk: Risk | None,
        provider: ProviderRef | None,
        claims: ProviderRef | None,
        reasons: tuple[Note, ...],
        advice: tuple[Note, ...],
        callback: tuple[Callback, ...],
        registry_serial: int,
        registry_expired: bool,
        lang: str = "en",
        report: tuple[ReportTo, ...] = (),
    ) -> None:
        # Each slot's own setter (bound below the class): bulk checks make a result per
        # number, and these cost about half as much as object.__setattr__.
        _set_input(self, input)
        _set_number(self, number)
        _set_region(self, region)
        _set_verdict(self, verdict)
        _set_risk(self, risk)
        _set_provider(self, provider)
        _set_claims(self, claims)
        _set_reasons(self, reasons)
        _set_advice(self, advice)
        _set_callback(self, callback)
        _set_registry_serial(self, registry_serial)
        _set_registry_expired(self, registry_expired)
        _set_lang(self, lang)
        _set_report(self, report)

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


(
    _set_input,
    _set_number,
    _set_region,
    _set_verdict,
    _set_risk,
    _set_provider,
    _set_claims,
    _set_reasons,
    _set_advice,
    _set_callback,
    _set_registry_serial,
    _set_registry_expired,
    _set_lang,
    _set_report,
) = (getattr(NumberCheck, name).__set__ for name in NumberCheck.__slots__)


class _Unfrozen(Value):
    """A NumberCheck being made: the same slots in the same places, assignable."""

    __slots__ = NumberCheck.__slots__
    # Both, so that assignment is object's own (not a call through Value's methods).
    __setattr__ = object.__setattr__  # type: ignore[assignment]
    __delattr__ = object.__delattr__


_new = object.__new__


def make_number_check(
    input: str,
    number: str | None,
    region: str | None,
    verdict: Verdict,
    risk: Risk | None,
    provider: ProviderRef | None,
    claims: ProviderRef | None,
    reasons: tuple[Note, ...],
    advice: tuple[Note, ...],
    callback: tuple[Callback, ...],
    registry_serial: int,
    registry_expired: bool,
    lang: str,
    report: tuple[ReportTo, ...],
) -> NumberCheck:
    """``NumberCheck(...)`` with the same arguments, made about three times as fast, for
    bulk checks: the fields are assigned to an _Unfrozen, which then becomes a
    NumberCheck (Python allows changing the class of an object to one with the same
    layout). Setting 14 slots through their descriptors cost ~9,000 instructions."""
    check: Any = _new(_Unfrozen)
    check.input = input
    check.number = number
    check.region = region
    check.verdict = verdict
    check.risk = risk
    check.provider = provider
    check.claims = claims
    check.reasons = reasons
    check.advice = advice
    check.callback = callback
    check.registry_serial = registry_serial
    check.registry_expired = registry_expired
    check.lang = lang
    check.report = report
    check.__class__ = NumberCheck
    made: NumberCheck = check
    return made
