"""What to tell the person: notes in their language and how to reach a provider.

Turns decisions made elsewhere into sentences; decides nothing itself.
"""

from __future__ import annotations

import phonenumbers

from ._messages import text
from ._registry import Provider, Registry
from ._results import Note, ReportTo

# How many callback numbers go into one sentence; the full list is in ``callback``.
MAX_NUMBERS_IN_SENTENCE = 2


def note(code: str, lang: str, **params: object) -> Note:
    """A :class:`Note` whose message is the catalogue entry ``code``."""
    return Note(code.split(".", 1)[1], text(code, lang, **params))


def display_number(key: str) -> str:
    """An international number (``+18882211161``) laid out for reading aloud."""
    try:
        parsed = phonenumbers.parse(key, None)
    except phonenumbers.NumberParseException:
        return key
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def how_to_reach(provider: Provider, lang: str) -> str:
    """An instruction to reach ``provider`` officially: call its numbers, else use its app or website."""
    name = provider.name(lang)
    numbers = [n.number for n in provider.callback_numbers][:MAX_NUMBERS_IN_SENTENCE]
    if numbers:
        return text("reach.call", lang, provider=name, numbers=text("reach.or", lang).join(numbers))
    path = provider.contact.app_path.get(lang) or provider.contact.app_path.get("en")
    website = provider.contact.website
    if path and website:
        where = text("reach.app_or_web", lang, path=path, website=website)
    else:
        where = path or website or name
    return text("reach.contact", lang, provider=name, where=where)


def reach_note(code: str, provider: Provider, lang: str) -> Note:
    """Advice ``code`` filled in with how to reach ``provider``."""
    reach = how_to_reach(provider, lang)
    return note(code, lang, provider=provider.name(lang), reach=reach, Reach=reach[:1].upper() + reach[1:])


def report_advice(
    registry: Registry, region: str | None, lang: str
) -> tuple[tuple[ReportTo, ...], list[Note]]:
    """Where to report a high-risk call in ``region``, and the advice note naming it."""
    channels = tuple(ReportTo.of(c, lang) for c in registry.reporting_for(region))
    if not channels:
        return (), []
    where = text("report.join", lang).join(
        text("report.item", lang, name=c.name, contact=c.contact) for c in channels
    )
    return channels, [note("advice.report", lang, where=where)]
