"""The number check: from a caller number (and the provider the caller claims to be)
to a verdict, a risk level, the reasons, and the next step.

Every rule about what a match means lives here; the CLI only prints the result.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers

from . import _numberplan
from ._advice import display_number, note, reach_note, report_advice
from ._errors import InvalidInput, InvalidNumber
from ._loading import load_registry
from ._messages import text
from ._numbers import Match, index_for, match, match_plain, normalize
from ._registry import Provider, Registry
from ._results import (
    Callback,
    Note,
    NumberCheck,
    ProviderRef,
    ReportTo,
    Risk,
    Verdict,
    make_number_check,
)

if TYPE_CHECKING:
    from ._transcript import TranscriptCheck, TranscriptMonitor

_RISK_ORDER = {"low": 0, "medium": 1, "high": 2}


def _higher(a: Risk, b: Risk) -> Risk:
    return a if _RISK_ORDER[a] >= _RISK_ORDER[b] else b


def normalize_region(region: str | None) -> str | None:
    """Upper-case a region code and check phonenumbers knows it.

    Raises:
        InvalidInput: the region is not a known two-letter code.
    """
    if region is None:
        return None
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput("error.region_unknown", region=region)
    return code


def check_number(
    number: str,
    *,
    region: str | None = None,
    claims: str | None = None,
    registry: Registry | None = None,
    lang: str | None = None,
) -> NumberCheck:
    """Check a caller number against the registry of official numbers.

    Args:
        number: the number as shown on the phone, in any common layout.
        region: the two-letter region the phone is in, used for numbers written
            without a country code. Without it callcheck tries the regions the
            registry has numbers for.
        claims: the provider the caller says they are (id or any name).
        registry: the registry to use; the trusted default if None.
        lang: ``en`` or ``zh``, the language of messages (default ``en``).

    Returns:
        A :class:`NumberCheck`. A number that cannot be read gives the verdict
        ``invalid`` rather than an exception, so bulk checks keep going.

    Raises:
        InvalidInput: ``region`` or ``claims`` is not known.
    """
    registry = registry if registry is not None else load_registry()
    region = normalize_region(region)
    claimed = registry.resolve(claims) if claims is not None else None
    return _check(number, region, claimed, registry, lang or "en")


def check_transcript(
    text: str,
    *,
    claims: str | None = None,
    number: str | None = None,
    region: str | None = None,
    registry: Registry | None = None,
    lang: str | None = None,
) -> TranscriptCheck:
    """Look for a scam script in a call transcript (Chinese, English or both).

    Args:
        text: the transcript, one utterance per line (typed notes or speech-to-text).
        claims: the provider the caller says they are (id or any name); without it,
            a provider the caller names ("我是支付宝客服") counts as claimed.
        number: the caller's number; its check is folded into the verdict.
        region: the region of your phone, for reading ``number``.
        registry: the registry to use; the trusted default if None.
        lang: ``en`` or ``zh``, the language of messages (default ``en``).

    Returns:
        A :class:`TranscriptCheck` whose signals cite the words that raised them.

    Raises:
        InvalidInput: ``claims`` or ``region`` is not known, or ``number`` is not a number.
    """
    monitor = monitor_call(claims=claims, number=number, region=region, registry=registry, lang=lang)
    monitor.read(text)
    return monitor.result()


def monitor_call(
    *,
    claims: str | None = None,
    number: str | None = None,
    region: str | None = None,
    registry: Registry | None = None,
    lang: str | None = None,
) -> TranscriptMonitor:
    """A :class:`TranscriptMonitor` for a call in progress: feed it lines as they come.

    Takes the same arguments as :func:`check_transcript`.

    Raises:
        InvalidInput: ``claims`` or ``region`` is not known, or ``number`` is not a number.
    """
    lang = lang or "en"
    registry = registry if registry is not None else load_registry()
    region = normalize_region(region)
    claimed = registry.resolve(claims) if claims is not None else None
    number_check = None
    if number is not None:
        number_check = _check(number, region, claimed, registry, lang)
        if number_check.verdict == "invalid":
            raise InvalidNumber("invalid." + number_check.reasons[0].code, number)
    report_region = region or (number_check.region if number_check else None)
    from ._transcript import TranscriptMonitor

    return TranscriptMonitor(registry, claims=claimed, number=number_check, lang=lang, region=report_region)


def check_numbers(
    numbers: Iterable[str],
    *,
    region: str | None = None,
    claims: str | None = None,
    registry: Registry | None = None,
    lang: str | None = None,
) -> Iterator[NumberCheck]:
    """Check many numbers lazily, one result per input, in order.

    Gives the same results as :func:`check_number` on each number. Memory stays
    bounded whatever the length of ``numbers``: the results of inputs repeated
    among the most recent ones are kept (call logs repeat numbers), older ones are
    dropped.

    Raises:
        InvalidInput: ``region`` or ``claims`` is not known.
    """
    from ._bulk import BulkChecker

    registry = registry if registry is not None else load_registry()
    region = normalize_region(region)
    claimed = registry.resolve(claims) if claims is not None else None
    return BulkChecker(region, claimed, registry, lang or "en").results(numbers)


def _check(
    number: str,
    region: str | None,
    claimed: Provider | None,
    registry: Registry,
    lang: str,
    *,
    bulk: bool = False,
) -> NumberCheck:
    # ``bulk``: one of many numbers, worth the compiled numbering plans and shared
    # result frames. Both ways give the same result (tests compare them).
    expired = registry.is_expired()
    index = index_for(registry)
    found = match_plain(number, region, index) if bulk else None
    if found is None:
        try:
            found = match(normalize(number), region, index, plans=bulk)
        except InvalidNumber as exc:
            return _invalid(number, exc, registry, expired, lang)
    located = found.located
    number_region = phonenumbers.region_code_for_country_code(located.country_code)
    if not bulk or found.kind == "official":
        shown = "" if found.kind == "official" else display_number(located.key)
        frame = _frame(found, claimed, registry, region, number_region, lang, expired, shown)
        return frame.result(number, located.key, shown)
    # Everything but the number shown in the reasons is the same for every number
    # with the same match and settings: build it once per registry.
    shown = _numberplan.international_of(located.country_code, located.national) or display_number(
        located.key
    )
    frames = _frames_for(registry)
    first = found.entries[0][1] if found.entries else None
    key = (
        found.kind,
        found.how,
        id(first),  # entries are the registry's, alive as long as ``frames``
        located.exists,
        claimed.id if claimed else None,
        region,
        number_region,
        lang,
        expired,
    )
    shared = frames.get(key)
    if shared is None:
        if len(frames) >= _MAX_FRAMES:
            frames.clear()
        shared = frames[key] = _shared_frame(
            found, claimed, registry, region, number_region, lang, expired, shown
        )
    if shared is _NO_FRAME:
        shared = _frame(found, claimed, registry, region, number_region, lang, expired, shown)
    return shared.result(number, located.key, shown)


# Stands for the number in the reasons of a shared frame (a private-use character).
_SLOT = "\ue000"
_MAX_FRAMES = 4096


@dataclass(frozen=True, slots=True)
class _Frame:
    """A NumberCheck without its input and number; reasons at ``slots`` name the
    number as ``_SLOT``."""

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
    slots: tuple[int, ...] = ()

    def result(self, number: str, key: str | None, shown: str) -> NumberCheck:
        reasons = self.reasons
        if self.slots == (0,) and len(reasons) == 1:
            reasons = (Note(reasons[0].code, reasons[0].message.replace(_SLOT, shown)),)
        elif self.slots:
            filled = list(reasons)
            for i in self.slots:
                filled[i] = Note(reasons[i].code, reasons[i].message.replace(_SLOT, shown))
            reasons = tuple(filled)
        return NumberCheck(
            number,
            key,
            self.region,
            self.verdict,
            self.risk,
            self.provider,
            self.claims,
            reasons,
            self.advice,
            self.callback,
            self.registry_serial,
            self.registry_expired,
            self.lang,
            self.report,
        )

    def maker(self) -> Callable[[str, str | None, str], NumberCheck]:
        """:meth:`result` as a function with the frame's fields bound, for many numbers."""
        region, verdict, risk = self.region, self.verdict, self.risk
        provider, claims, reasons = self.provider, self.claims, self.reasons
        advice, callback, serial = self.advice, self.callback, self.registry_serial
        expired, lang, report = self.registry_expired, self.lang, self.report
        # The reasons naming the number: their code and their message cut where it goes.
        cut = [(i, reasons[i].code, reasons[i].message.split(_SLOT)) for i in self.slots]
        if not cut:

            def make(number: str, key: str | None, shown: str) -> NumberCheck:
                return make_number_check(
                    number, key, region, verdict, risk, provider, claims, reasons,
                    advice, callback, serial, expired, lang, report,
                )  # fmt: skip

        elif len(cut) == len(reasons) == 1:
            ((_, code, parts),) = cut

            def make(number: str, key: str | None, shown: str) -> NumberCheck:
                return make_number_check(
                    number, key, region, verdict, risk, provider, claims, (Note(code, shown.join(parts)),),
                    advice, callback, serial, expired, lang, report,
                )  # fmt: skip

        elif len(cut) == len(reasons) == 2:
            (_, code, parts), (_, code2, parts2) = cut

            def make(number: str, key: str | None, shown: str) -> NumberCheck:
                filled = (Note(code, shown.join(parts)), Note(code2, shown.join(parts2)))
                return make_number_check(
                    number, key, region, verdict, risk, provider, claims, filled,
                    advice, callback, serial, expired, lang, report,
                )  # fmt: skip

        else:

            def make(number: str, key: str | None, shown: str) -> NumberCheck:
                filled = list(reasons)
                for i, code, parts in cut:
                    filled[i] = Note(code, shown.join(parts))
                return make_number_check(
                    number, key, region, verdict, risk, provider, claims, tuple(filled),
                    advice, callback, serial, expired, lang, report,
                )  # fmt: skip

        return make


_NO_FRAME = _Frame(None, "unknown", "low", None, None, (), (), (), 0, False, "", ())


@functools.lru_cache(maxsize=8)
def _frames_for(registry: Registry) -> dict[tuple[object, ...], _Frame]:
    return {}


def _shared_frame(
    found: Match,
    claimed: Provider | None,
    registry: Registry,
    region: str | None,
    number_region: str,
    lang: str,
    expired: bool,
    shown: str,
) -> _Frame:
    """A frame for every number like this one, or _NO_FRAME if the messages do not
    name the number in a way a frame can fill in (checked against this number)."""
    frame = _frame(found, claimed, registry, region, number_region, lang, expired, _SLOT)
    frame = dataclasses.replace(
        frame, slots=tuple(i for i, n in enumerate(frame.reasons) if _SLOT in n.message)
    )
    direct = _frame(found, claimed, registry, region, number_region, lang, expired, shown)
    if _SLOT in shown or frame.result("", "", shown) != direct.result("", "", shown):
        return _NO_FRAME
    return frame


def _frame(
    found: Match,
    claimed: Provider | None,
    registry: Registry,
    region: str | None,
    number_region: str,
    lang: str,
    expired: bool,
    shown: str,
) -> _Frame:
    if found.kind == "official":
        verdict, risk, provider, reasons, advice = _official(found, claimed, lang)
    elif found.kind == "lookalike":
        verdict, risk, provider, reasons, advice = _lookalike(found, claimed, lang, shown)
    else:
        verdict, risk, provider, reasons, advice = _unknown(found, claimed, lang, shown)
    report: tuple[ReportTo, ...] = ()
    if risk == "high":
        report, report_notes = report_advice(registry, region or number_region, lang)
        advice.extend(report_notes)
    if expired:
        reasons.append(_expired_reason(registry, lang))
        advice.append(note("advice.update", lang))
    callback_from = claimed or provider
    callback = (
        tuple(Callback.of(callback_from, n) for n in callback_from.callback_numbers) if callback_from else ()
    )
    return _Frame(
        region=number_region,
        verdict=verdict,
        risk=risk,
        provider=ProviderRef.of(provider, lang) if provider else None,
        claims=ProviderRef.of(claimed, lang) if claimed else None,
        reasons=tuple(reasons),
        advice=tuple(advice),
        callback=callback,
        registry_serial=registry.serial,
        registry_expired=expired,
        lang=lang,
        report=report,
    )


_Decision = tuple[Verdict, Risk, Provider | None, list[Note], list[Note]]


def _official(found: Match, claimed: Provider | None, lang: str) -> _Decision:
    provider, official = found.entries[0]
    shown = official.number
    name = provider.name(lang)
    reasons = [note("reason.official", lang, number=shown, provider=name)]
    risk: Risk = "low"
    if found.other_region:
        reasons.append(note("reason.other_region", lang, number=shown, provider=name, region=official.region))
        risk = "medium"
    uses = {entry[1].use for entry in found.entries}
    if "sms" in uses and len(uses) == 1:
        use = _use_label(lang, "sms")
        reasons.append(note("reason.not_a_calling_number", lang, number=shown, provider=name, use=use))
        risk = _higher(risk, "medium")
    if provider.policy.calls_customers == "never":
        reasons.append(note("reason.never_calls", lang, provider=name))
        risk = "high"
    elif provider.policy.calls_customers == "on_request":
        reasons.append(note("reason.calls_on_request", lang, provider=name))
    if claimed is not None and claimed.id != provider.id:
        reasons.append(note("reason.claims_other_provider", lang, claimed=claimed.name(lang), provider=name))
        risk = "high"
    reasons.append(note("reason.caller_id_forgeable", lang))
    target = claimed or provider
    if risk == "high":
        code = (
            "advice.hang_up_never_calls"
            if target.policy.calls_customers == "never"
            else "advice.hang_up_not_official"
        )
        first = reach_note(code, target, lang)
    else:
        first = reach_note("advice.check_official", target, lang)
    return "official", risk, provider, reasons, [first, note("advice.never_share", lang)]


def _lookalike(found: Match, claimed: Provider | None, lang: str, shown: str) -> _Decision:
    provider, official = found.entries[0]
    name = provider.name(lang)
    reasons = [
        note(
            f"reason.lookalike_{found.how}",
            lang,
            number=shown,
            provider=name,
            official=official.number,
        )
    ]
    if claimed is not None and claimed.id != provider.id:
        reasons.append(note("reason.not_claimed_number", lang, claimed=claimed.name(lang)))
    target = claimed or provider
    advice = [reach_note("advice.hang_up_lookalike", target, lang), note("advice.never_share", lang)]
    return "lookalike", "high", provider, reasons, advice


def _unknown(found: Match, claimed: Provider | None, lang: str, shown: str) -> _Decision:
    reasons = [note("reason.unknown", lang, number=shown)]
    risk: Risk = "low"
    if not found.located.exists:
        reasons.append(note("reason.not_assigned", lang, number=shown))
        risk = "medium"
    if claimed is None:
        return (
            "unknown",
            risk,
            None,
            reasons,
            [note("advice.unknown", lang), note("advice.never_share", lang)],
        )
    cname = claimed.name(lang)
    reasons.append(note("reason.not_claimed_number", lang, claimed=cname))
    policy = claimed.policy.calls_customers
    reasons.append(note(f"reason.claimed_{policy}", lang, claimed=cname))
    risk = _higher(risk, "medium" if policy == "may_call" else "high")
    code = "advice.hang_up_never_calls" if policy == "never" else "advice.hang_up_not_official"
    return "unknown", risk, None, reasons, [reach_note(code, claimed, lang), note("advice.never_share", lang)]


def _invalid_frame(code: str, registry: Registry, expired: bool, lang: str) -> _Frame:
    """A frame for every input found invalid for the reason ``code``: the input's
    ``repr`` goes where the message names it (``shown``)."""
    message = text(code, lang, input=_SLOT).replace(repr(_SLOT), _SLOT)
    return _Frame(
        region=None,
        verdict="invalid",
        risk=None,
        provider=None,
        claims=None,
        reasons=_invalid_reasons(Note(code.split(".", 1)[1], message), registry, expired, lang),
        advice=_invalid_advice(expired, lang),
        callback=(),
        registry_serial=registry.serial,
        registry_expired=expired,
        lang=lang,
        report=(),
        slots=(0,) if message.count(_SLOT) == 1 else (),
    )


def _invalid(number: str, exc: InvalidNumber, registry: Registry, expired: bool, lang: str) -> NumberCheck:
    return NumberCheck(
        input=number,
        number=None,
        region=None,
        verdict="invalid",
        risk=None,
        provider=None,
        claims=None,
        reasons=_invalid_reasons(Note(exc.code.split(".", 1)[1], exc.message(lang)), registry, expired, lang),
        advice=_invalid_advice(expired, lang),
        callback=(),
        registry_serial=registry.serial,
        registry_expired=expired,
        lang=lang,
    )


def _invalid_reasons(why: Note, registry: Registry, expired: bool, lang: str) -> tuple[Note, ...]:
    return (why, _expired_reason(registry, lang)) if expired else (why,)


def _invalid_advice(expired: bool, lang: str) -> tuple[Note, ...]:
    invalid = note("advice.invalid", lang)
    return (invalid, note("advice.update", lang)) if expired else (invalid,)


def _expired_reason(registry: Registry, lang: str) -> Note:
    return note("reason.registry_expired", lang, date=registry.expires.date().isoformat())


def _use_label(lang: str, use: str) -> str:
    return text(f"use.{use}", lang)
