"""The number check: from a caller number (and the provider the caller claims to be)
to a verdict, a risk level, the reasons, and the next step.

Every rule about what a match means lives here; the CLI only prints the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import phonenumbers

from ._advice import display_number, note, reach_note, report_advice
from ._errors import InvalidInput, InvalidNumber
from ._loading import load_registry
from ._numbers import Match, index_for, match, normalize
from ._registry import Provider, Registry
from ._results import Callback, Note, NumberCheck, ProviderRef, ReportTo, Risk, Verdict

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
        raise InvalidInput(f"{region!r} is not a known region code; use two letters such as CN or US")
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
    bounded whatever the length of ``numbers``: results of the most recent
    distinct inputs are kept (call logs repeat numbers), older ones are dropped.

    Raises:
        InvalidInput: ``region`` or ``claims`` is not known.
    """
    registry = registry if registry is not None else load_registry()
    region = normalize_region(region)
    claimed = registry.resolve(claims) if claims is not None else None
    return _check_all(numbers, region, claimed, registry, lang or "en")


# Results kept by check_numbers for repeated inputs; a result is a few KB at most.
BULK_CACHE_SIZE = 4096


def _check_all(
    numbers: Iterable[str], region: str | None, claimed: Provider | None, registry: Registry, lang: str
) -> Iterator[NumberCheck]:
    # A NumberCheck is frozen and depends only on the input text and the settings
    # fixed for the whole batch, so a repeated number can reuse its result.
    recent: dict[str, NumberCheck] = {}
    for number in numbers:
        result = recent.pop(number, None)
        if result is None:
            result = _check(number, region, claimed, registry, lang)
            if len(recent) >= BULK_CACHE_SIZE:
                del recent[next(iter(recent))]  # the least recently used
        recent[number] = result
        yield result


def _check(
    number: str, region: str | None, claimed: Provider | None, registry: Registry, lang: str
) -> NumberCheck:
    expired = registry.is_expired()
    try:
        found = match(normalize(number), region, index_for(registry))
    except InvalidNumber as exc:
        return _invalid(number, exc, registry, expired, lang)
    if found.kind == "official":
        verdict, risk, provider, reasons, advice = _official(found, claimed, lang)
    elif found.kind == "lookalike":
        verdict, risk, provider, reasons, advice = _lookalike(found, claimed, lang)
    else:
        verdict, risk, provider, reasons, advice = _unknown(found, claimed, lang)
    number_region = phonenumbers.region_code_for_country_code(found.located.country_code)
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
    return NumberCheck(
        input=number,
        number=found.located.key,
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


def _lookalike(found: Match, claimed: Provider | None, lang: str) -> _Decision:
    provider, official = found.entries[0]
    name = provider.name(lang)
    reasons = [
        note(
            f"reason.lookalike_{found.how}",
            lang,
            number=display_number(found.located.key),
            provider=name,
            official=official.number,
        )
    ]
    if claimed is not None and claimed.id != provider.id:
        reasons.append(note("reason.not_claimed_number", lang, claimed=claimed.name(lang)))
    target = claimed or provider
    advice = [reach_note("advice.hang_up_lookalike", target, lang), note("advice.never_share", lang)]
    return "lookalike", "high", provider, reasons, advice


def _unknown(found: Match, claimed: Provider | None, lang: str) -> _Decision:
    shown = display_number(found.located.key)
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


def _invalid(number: str, exc: InvalidNumber, registry: Registry, expired: bool, lang: str) -> NumberCheck:
    return NumberCheck(
        input=number,
        number=None,
        region=None,
        verdict="invalid",
        risk=None,
        provider=None,
        claims=None,
        reasons=(Note(exc.code.split(".", 1)[1], exc.message(lang)),)
        + ((_expired_reason(registry, lang),) if expired else ()),
        advice=(note("advice.invalid", lang),) + ((note("advice.update", lang),) if expired else ()),
        callback=(),
        registry_serial=registry.serial,
        registry_expired=expired,
        lang=lang,
    )


def _expired_reason(registry: Registry, lang: str) -> Note:
    return note("reason.registry_expired", lang, date=registry.expires.date().isoformat())


def _use_label(lang: str, use: str) -> str:
    from ._messages import text

    return text(f"use.{use}", lang)
