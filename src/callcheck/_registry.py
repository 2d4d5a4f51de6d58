"""The registry model: providers, their official numbers and policies, and loading.

Two inputs share one validator: the maintainers' source tree (``registry/``, one
TOML file per provider) and the compiled ``registry.toml`` that ships in the
package. Every error names the file, the provider and the field. No network I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from ._errors import Message, RegistryError, Text, UnknownProvider, os_reason
from ._values import Value

if TYPE_CHECKING:
    from pathlib import Path

Kind = Literal["wallet", "payment_app", "bank", "crypto_exchange", "crypto_wallet"]
Use = Literal["inbound", "outbound", "sms"]
CallPolicy = Literal["never", "on_request", "may_call"]
Ask = Literal[
    "verification_code",
    "password",
    "pin",
    "card_number",
    "cvv",
    "id_number",
    "recovery_phrase",
    "private_key",
    "remote_access",
    "safe_account_transfer",
    "payment",
]
Publisher = Literal["provider", "third_party"]
ChannelKind = Literal["phone", "sms", "website", "app", "email"]

KINDS: tuple[str, ...] = get_args(Kind)
USES: tuple[str, ...] = get_args(Use)
CALL_POLICIES: tuple[str, ...] = get_args(CallPolicy)
ASKS: tuple[str, ...] = get_args(Ask)
PUBLISHERS: tuple[str, ...] = get_args(Publisher)
CHANNEL_KINDS: tuple[str, ...] = get_args(ChannelKind)

FORMAT_VERSION = 1
LANGS = ("en", "zh")

MAX_TEXT = 4000  # characters in any one string of a registry; the longest today is ~730

_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
_REGION_RE = re.compile(r"[A-Z]{2}|GLOBAL")
_SOURCE_ID_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")

_set = object.__setattr__  # how a frozen value's __init__ fills in its fields


class Source(Value):
    """Where a fact was checked, and when."""

    __slots__ = ("id", "url", "title", "checked", "publisher")
    id: str
    url: str
    title: str
    checked: dt.date
    publisher: Publisher

    def __init__(self, id: str, url: str, title: str, checked: dt.date, publisher: Publisher) -> None:
        _set(self, "id", id)
        _set(self, "url", url)
        _set(self, "title", title)
        _set(self, "checked", checked)
        _set(self, "publisher", publisher)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "checked": self.checked.isoformat(),
            "publisher": self.publisher,
        }


class OfficialNumber(Value):
    """One published number of a provider.

    ``country_code`` and ``national`` are the number as the phone network sees it
    (``86`` and ``"95188"``); ``number`` is the form the provider publishes.
    """

    __slots__ = ("number", "region", "use", "country_code", "national", "short_code", "note", "sources")
    number: str
    region: str
    use: Use
    country_code: int
    national: str
    short_code: bool
    note: str
    sources: tuple[str, ...]

    def __init__(
        self,
        number: str,
        region: str,
        use: Use,
        country_code: int,
        national: str,
        short_code: bool,
        note: str,
        sources: tuple[str, ...],
    ) -> None:
        _set(self, "number", number)
        _set(self, "region", region)
        _set(self, "use", use)
        _set(self, "country_code", country_code)
        _set(self, "national", national)
        _set(self, "short_code", short_code)
        _set(self, "note", note)
        _set(self, "sources", sources)

    @property
    def key(self) -> str:
        """The number in international form, ``+<country code><national number>``."""
        return f"+{self.country_code}{self.national}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "international": self.key,
            "region": self.region,
            "use": self.use,
            "short_code": self.short_code,
            "note": self.note,
            "sources": list(self.sources),
        }


class Names(Value):
    __slots__ = ("en", "zh", "aliases")
    en: str
    zh: str | None
    aliases: tuple[str, ...]

    def __init__(self, en: str, zh: str | None, aliases: tuple[str, ...]) -> None:
        _set(self, "en", en)
        _set(self, "zh", zh)
        _set(self, "aliases", aliases)

    def all(self) -> tuple[str, ...]:
        return tuple(n for n in (self.en, self.zh, *self.aliases) if n)


class Policy(Value):
    """What a provider says about calling its customers and what it never asks for."""

    __slots__ = ("calls_customers", "never_asks_for", "sources", "note")
    calls_customers: CallPolicy
    never_asks_for: tuple[Ask, ...]
    sources: tuple[str, ...]
    note: str

    def __init__(
        self,
        calls_customers: CallPolicy,
        never_asks_for: tuple[Ask, ...],
        sources: tuple[str, ...],
        note: str,
    ) -> None:
        _set(self, "calls_customers", calls_customers)
        _set(self, "never_asks_for", never_asks_for)
        _set(self, "sources", sources)
        _set(self, "note", note)


class Contact(Value):
    """The official way to reach a provider other than by phone."""

    __slots__ = ("website", "app_path", "sources")
    website: str | None
    app_path: Mapping[str, str]
    sources: tuple[str, ...]

    def __init__(self, website: str | None, app_path: Mapping[str, str], sources: tuple[str, ...]) -> None:
        _set(self, "website", website)
        _set(self, "app_path", app_path)
        _set(self, "sources", sources)


class Provider(Value):
    """A wallet, payment app, bank or crypto service and its official facts."""

    __slots__ = ("id", "kind", "regions", "names", "policy", "contact", "numbers", "sources")
    id: str
    kind: Kind
    regions: tuple[str, ...]
    names: Names
    policy: Policy
    contact: Contact
    numbers: tuple[OfficialNumber, ...]
    sources: tuple[Source, ...]

    def __init__(
        self,
        id: str,
        kind: Kind,
        regions: tuple[str, ...],
        names: Names,
        policy: Policy,
        contact: Contact,
        numbers: tuple[OfficialNumber, ...],
        sources: tuple[Source, ...],
    ) -> None:
        _set(self, "id", id)
        _set(self, "kind", kind)
        _set(self, "regions", regions)
        _set(self, "names", names)
        _set(self, "policy", policy)
        _set(self, "contact", contact)
        _set(self, "numbers", numbers)
        _set(self, "sources", sources)

    def name(self, lang: str = "en") -> str:
        """The provider's name in ``lang`` (``en`` or ``zh``), English if none."""
        if lang == "zh" and self.names.zh:
            return self.names.zh
        return self.names.en

    @property
    def callback_numbers(self) -> tuple[OfficialNumber, ...]:
        """Numbers a customer can call to reach the provider (``use = "inbound"``)."""
        return tuple(n for n in self.numbers if n.use == "inbound")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "regions": list(self.regions),
            "names": {
                "en": self.names.en,
                "zh": self.names.zh,
                "aliases": list(self.names.aliases),
            },
            "policy": {
                "calls_customers": self.policy.calls_customers,
                "never_asks_for": list(self.policy.never_asks_for),
                "note": self.policy.note,
                "sources": list(self.policy.sources),
            },
            "contact": {
                "website": self.contact.website,
                "app_path": dict(self.contact.app_path),
                "sources": list(self.contact.sources),
            },
            "numbers": [n.to_dict() for n in self.numbers],
            "sources": [s.to_dict() for s in self.sources],
        }


class ReportingChannel(Value):
    """Where to report a scam in one region: a phone line, text number, website, app or address."""

    __slots__ = ("id", "region", "kind", "contact", "name", "note", "sources")
    id: str
    region: str
    kind: ChannelKind
    contact: str
    name: Mapping[str, str]
    note: Mapping[str, str]
    sources: tuple[str, ...]

    def __init__(
        self,
        id: str,
        region: str,
        kind: ChannelKind,
        contact: str,
        name: Mapping[str, str],
        note: Mapping[str, str],
        sources: tuple[str, ...],
    ) -> None:
        _set(self, "id", id)
        _set(self, "region", region)
        _set(self, "kind", kind)
        _set(self, "contact", contact)
        _set(self, "name", name)
        _set(self, "note", note)
        _set(self, "sources", sources)

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name["en"]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "region": self.region,
            "kind": self.kind,
            "contact": self.contact,
            "name": self.label(lang),
            "note": self.note.get(lang) or self.note.get("en", ""),
        }


@dataclass(frozen=True, eq=False)
class Registry:
    """A validated set of providers with the header that dates it.

    ``origin`` says where it was loaded from (a path, or ``embedded``). Two
    registries are equal only if they are the same object.
    """

    serial: int
    expires: dt.datetime
    providers: tuple[Provider, ...]
    origin: str
    reporting: tuple[ReportingChannel, ...] = ()
    reporting_sources: tuple[Source, ...] = ()

    def reporting_for(self, region: str | None) -> tuple[ReportingChannel, ...]:
        """The channels for reporting a scam in ``region`` (two letters), in registry order."""
        return tuple(c for c in self.reporting if c.region == region) if region else ()

    @functools.cached_property
    def _by_id(self) -> dict[str, Provider]:
        return {p.id: p for p in self.providers}

    @functools.cached_property
    def _name_index(self) -> dict[str, list[Provider]]:
        index: dict[str, list[Provider]] = {}
        for p in self.providers:
            for name in {_fold(n) for n in (p.id, *p.names.all())}:
                index.setdefault(name, []).append(p)
        return index

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        """True once the registry's ``expires`` time has passed."""
        return (now or dt.datetime.now(dt.UTC)) >= self.expires

    def get(self, provider_id: str) -> Provider | None:
        """The provider with exactly this id, or None."""
        return self._by_id.get(provider_id)

    def find(self, query: str) -> list[Provider]:
        """Providers matching ``query``: id or any name, any case, Chinese too.

        Exact matches on an id or name come back alone; otherwise every provider
        with a name containing the query (in registry order).
        """
        q = _fold(query)
        if not q:
            return list(self.providers)
        exact = self._name_index.get(q)
        if exact:
            return list(exact)
        return [p for p in self.providers if any(q in _fold(n) for n in (p.id, *p.names.all()))]

    def resolve(self, query: str) -> Provider:
        """The one provider ``query`` names.

        Raises:
            UnknownProvider: no provider, or several, match.
        """
        found = self.find(query)
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnknownProvider("provider.unknown", query=query)
        raise UnknownProvider("provider.ambiguous", query=query, ids=", ".join(p.id for p in found))


def _fold(text: str) -> str:
    """Fold a name for matching: compatibility forms, case, spaces and punctuation."""
    # NFKC leaves ASCII as it is, and casefold() is lower() there: the common case, cheaply.
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return text if text.isalnum() else "".join(filter(str.isalnum, text))


# --- validation -------------------------------------------------------------------


class _Where:
    """Names the place of a value for error messages: file, provider, field."""

    def __init__(self, file: str, provider: str | None = None, what: str = "provider") -> None:
        self.file = file
        self.provider = provider
        self.what = what

    def error(self, field: str, problem: str, /, **params: object) -> RegistryError:
        """The error at ``field`` here: ``problem`` is a catalogue key, filled in with ``params``."""
        item = None
        if self.provider is not None:
            item = (
                Text("registry.channel", id=self.provider)
                if self.what == "channel"
                else Text("registry.provider", id=self.provider)
            )
        place = at(self.file, item, field, Text(problem, **params))
        return RegistryError(place.code, **place.params)


def at(file: str, item: Message | None, field: str | None, problem: Message) -> Text:
    """``problem`` at its place: "FILE: provider 'x': field 'y': PROBLEM", in either language."""
    if item is None:
        if field:
            return Text("registry.at_field", file=file, field=field, problem=problem)
        return Text("registry.at", file=file, problem=problem)
    if field:
        return Text("registry.at_item_field", file=file, item=item, field=field, problem=problem)
    return Text("registry.at_item", file=file, item=item, problem=problem)


def _table(where: _Where, data: Any, field: str) -> Mapping[str, Any]:
    if type(data) is not dict and not isinstance(data, Mapping):
        raise where.error(field, "registry.not_a_table")
    return data


def _check_keys(
    where: _Where, data: Mapping[str, Any], field: str, required: Iterable[str], optional: Iterable[str]
) -> None:
    required = tuple(required)
    allowed = _allowed_keys(required, tuple(optional))
    if not allowed.issuperset(data):
        for key in data:
            if key not in allowed:
                name = f"{field}.{key}" if field else key
                raise where.error(name, "registry.unknown_field", allowed=", ".join(sorted(allowed)))
    for key in required:
        if key not in data:
            raise where.error(f"{field}.{key}" if field else key, "registry.field_missing")


@functools.cache
def _allowed_keys(required: tuple[str, ...], optional: tuple[str, ...]) -> frozenset[str]:
    return frozenset(required) | frozenset(optional)  # the same few pairs, thousands of times


# Every string of a registry is shown to people as it is, so none may hold a character
# that acts on a terminal or hides (controls, bidirectional overrides, zero-width
# characters and every space but U+0020: what str.isprintable refuses), and none may be
# longer than MAX_TEXT. Checked inline where strings are read: ~2,000 per load.


def _str(where: _Where, data: Mapping[str, Any], key: str, field: str, *, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"{field}.{key}" if field else key, "registry.empty_string")
    if not value.isprintable() or len(value) > MAX_TEXT:
        raise _text_error(where, value, f"{field}.{key}" if field else key)
    return value


def _note(where: _Where, data: Mapping[str, Any], name: str) -> str:
    """An optional note (``note`` in ``data``): any string, empty by default."""
    note = data.get("note", "")
    if not isinstance(note, str):
        raise where.error(name, "registry.not_a_string")
    if not note.isprintable() or len(note) > MAX_TEXT:
        raise _text_error(where, note, name)
    return note


def _text_error(where: _Where, value: str, name: str) -> RegistryError:
    """The error for a string that is too long or holds a character that is not printable."""
    if len(value) > MAX_TEXT:
        return where.error(name, "registry.text_too_long", limit=MAX_TEXT)
    char = next(ch for ch in value if not ch.isprintable())
    return where.error(name, "registry.unprintable", char=f"U+{ord(char):04X}")


def _brief(value: Any) -> object:
    """``value`` as an error may show it: short, whatever a signed file put there."""
    if isinstance(value, str):
        return value if len(value) <= 40 else value[:40] + "…"
    if isinstance(value, (list, dict)):
        return "[…]" if isinstance(value, list) else "{…}"
    return value


def _choice(where: _Where, value: Any, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise where.error(name, "registry.not_a_choice", choices=", ".join(choices), value=_brief(value))
    return str(value)


def _str_list(
    where: _Where, value: Any, name: str, *, nonempty: bool = False, text: bool = False
) -> tuple[str, ...]:
    """A list of distinct non-empty strings; ``text``: free text, held to the rules of
    every shown string (the other lists' items must each match a pattern or a choice)."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise where.error(name, "registry.not_a_string_list")
    if nonempty and not value:
        raise where.error(name, "registry.empty_list")
    if len(set(value)) != len(value):
        raise where.error(name, "registry.value_twice")
    if text:
        for v in value:
            if not v.isprintable() or len(v) > MAX_TEXT:
                raise _text_error(where, v, name)
    return tuple(value)


def _source_refs(
    where: _Where, data: Mapping[str, Any], field: str, known: Mapping[str, Source]
) -> tuple[str, ...]:
    name = f"{field}.sources" if field else "sources"
    refs = _str_list(where, data.get("sources"), name, nonempty=True)
    for ref in refs:
        if ref not in known:
            raise where.error(name, "registry.unknown_source", ref=ref)
    return refs


def _parse_sources(where: _Where, value: Any) -> dict[str, Source]:
    if not isinstance(value, list) or not value:
        raise where.error("sources", "registry.no_sources")
    out: dict[str, Source] = {}
    for i, raw in enumerate(value):
        field = f"sources[{i}]"
        data = _table(where, raw, field)
        _check_keys(where, data, field, ("id", "url", "title", "checked", "publisher"), ())
        sid = _str(where, data, "id", field)
        if not _SOURCE_ID_RE.fullmatch(sid):
            raise where.error(f"{field}.id", "registry.bad_source_id")
        if sid in out:
            raise where.error(f"{field}.id", "registry.source_twice", id=sid)
        url = _str(where, data, "url", field)
        if not url.startswith(("https://", "http://")):
            raise where.error(f"{field}.url", "registry.not_http")
        checked = data["checked"]
        if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
            raise where.error(f"{field}.checked", "registry.not_a_date")
        out[sid] = Source(
            id=sid,
            url=url,
            title=_str(where, data, "title", field),
            checked=checked,
            publisher=_choice(where, data["publisher"], f"{field}.publisher", PUBLISHERS),  # type: ignore[arg-type]
        )
    return out


def _digits_of(text: str) -> str:
    """The ASCII digits of ``text``, whatever script its digits are written in."""
    return "".join(str(d) for ch in text if (d := unicodedata.decimal(ch, None)) is not None)


def _locate_number(where: _Where, field: str, number: str, region: str, short_code: bool) -> tuple[int, str]:
    """Work out the country code and national number of a source-tree number."""
    import phonenumbers

    if short_code:
        digits = _digits_of(number)
        if not 3 <= len(digits) <= 8 or not re.fullmatch(r"[\d\s-]+", number):
            raise where.error(f"{field}.number", "registry.bad_short_code")
        cc = phonenumbers.country_code_for_region(region)
        if not cc:
            raise where.error(f"{field}.region", "registry.no_country_code", region=region)
        return cc, digits
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as exc:
        raise where.error(
            f"{field}.number", "registry.unparsable_number", region=region, detail=str(exc)
        ) from None
    return int(parsed.country_code or 0), phonenumbers.national_significant_number(parsed)


def _parse_numbers(
    where: _Where, value: Any, sources: Mapping[str, Source], compiled: bool
) -> tuple[OfficialNumber, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise where.error("numbers", "registry.not_a_table_array", name="numbers")
    out: list[OfficialNumber] = []
    for i, raw in enumerate(value):
        field = f"numbers[{i}]"
        data = _table(where, raw, field)
        extra = ("country_code", "national") if compiled else ()
        _check_keys(
            where, data, field, ("number", "region", "use", "sources", *extra), ("short_code", "note")
        )
        number = _str(where, data, "number", field)
        region = _str(where, data, "region", field)
        if not re.fullmatch(r"[A-Z]{2}", region):
            raise where.error(f"{field}.region", "registry.bad_region")
        short_code = data.get("short_code", False)
        if not isinstance(short_code, bool):
            raise where.error(f"{field}.short_code", "registry.not_a_bool")
        note = _note(where, data, f"{field}.note")
        if compiled:
            cc, national = data["country_code"], data["national"]
            if not isinstance(cc, int) or isinstance(cc, bool) or not 1 <= cc <= 999:
                raise where.error(f"{field}.country_code", "registry.bad_country_code")
            if not isinstance(national, str) or not national.isascii() or not national.isdigit():
                raise where.error(f"{field}.national", "registry.not_digits")
        else:
            cc, national = _locate_number(where, field, number, region, short_code)
        out.append(
            OfficialNumber(
                number=number,
                region=region,
                use=_choice(where, data["use"], f"{field}.use", USES),  # type: ignore[arg-type]
                country_code=cc,
                national=national,
                short_code=short_code,
                note=note,
                sources=_source_refs(where, data, field, sources),
            )
        )
    return tuple(out)


def parse_provider(data: Any, file: str, *, compiled: bool = False) -> Provider:
    """Validate one provider table and build a :class:`Provider`.

    ``compiled`` tables carry each number's country code and national number;
    source tables have them worked out here (which needs phonenumbers).

    Raises:
        RegistryError: naming the file, provider and field at fault.
    """
    where = _Where(file)
    data = _table(where, data, "")
    pid = data.get("id")
    if not isinstance(pid, str) or not _ID_RE.fullmatch(pid):
        raise where.error("id", "registry.bad_provider_id")
    where.provider = pid
    _check_keys(
        where, data, "", ("id", "kind", "regions", "names", "policy", "contact", "sources"), ("numbers",)
    )
    regions = _str_list(where, data["regions"], "regions", nonempty=True)
    for region in regions:
        if not _REGION_RE.fullmatch(region):
            raise where.error("regions", "registry.bad_regions_entry", region=region)
    sources = _parse_sources(where, data["sources"])

    names_t = _table(where, data["names"], "names")
    _check_keys(where, names_t, "names", ("en",), ("zh", "aliases"))
    zh = names_t.get("zh")
    if zh is not None:
        zh = _str(where, names_t, "zh", "names")
    names = Names(
        en=_str(where, names_t, "en", "names"),
        zh=zh,
        aliases=_str_list(where, names_t.get("aliases", []), "names.aliases", text=True),
    )

    policy_t = _table(where, data["policy"], "policy")
    _check_keys(where, policy_t, "policy", ("calls_customers", "never_asks_for", "sources"), ("note",))
    asks = _str_list(where, policy_t["never_asks_for"], "policy.never_asks_for")
    for ask in asks:
        _choice(where, ask, "policy.never_asks_for", ASKS)
    note = _note(where, policy_t, "policy.note")
    policy = Policy(
        calls_customers=_choice(  # type: ignore[arg-type]
            where, policy_t["calls_customers"], "policy.calls_customers", CALL_POLICIES
        ),
        never_asks_for=asks,  # type: ignore[arg-type]
        sources=_source_refs(where, policy_t, "policy", sources),
        note=note,
    )

    contact_t = _table(where, data["contact"], "contact")
    _check_keys(where, contact_t, "contact", ("sources",), ("website", "app_path"))
    website = contact_t.get("website")
    if website is not None:
        website = _str(where, contact_t, "website", "contact")
        if not website.startswith("https://"):
            raise where.error("contact.website", "registry.not_https")
    app_path = _table(where, contact_t.get("app_path", {}), "contact.app_path")
    _check_keys(where, app_path, "contact.app_path", (), LANGS)
    for lang in app_path:
        _str(where, app_path, lang, "contact.app_path")
    contact = Contact(
        website=website,
        app_path=dict(app_path),
        sources=_source_refs(where, contact_t, "contact", sources),
    )
    if website is None and not app_path:
        raise where.error("contact", "registry.no_contact")

    numbers = _parse_numbers(where, data.get("numbers"), sources, compiled)
    return Provider(
        id=pid,
        kind=_choice(where, data["kind"], "kind", KINDS),  # type: ignore[arg-type]
        regions=regions,
        names=names,
        policy=policy,
        contact=contact,
        numbers=numbers,
        sources=tuple(sources.values()),
    )


def _parse_header(where: _Where, data: Mapping[str, Any]) -> tuple[int, dt.datetime]:
    serial = data.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 1:
        raise where.error("serial", "registry.bad_serial")
    expires = data.get("expires")
    if not isinstance(expires, dt.datetime) or expires.tzinfo is None:
        raise where.error("expires", "registry.bad_expires")
    return serial, expires


def _check_unique(providers: Iterable[Provider], file: str) -> None:
    seen_ids: set[str] = set()
    for p in providers:
        if p.id in seen_ids:
            raise _Where(file, p.id).error("id", "registry.provider_twice")
        seen_ids.add(p.id)


class Clash(Value):
    """``provider`` lists at ``field`` a ``kind`` of thing (a number or a name, ``value``
    as written) that belongs to ``owner``, a provider listed before it."""

    __slots__ = ("provider", "field", "kind", "value", "owner")
    provider: str
    field: str
    kind: Literal["number", "name"]
    value: str
    owner: str

    def __init__(
        self, provider: str, field: str, kind: Literal["number", "name"], value: str, owner: str
    ) -> None:
        _set(self, "provider", provider)
        _set(self, "field", field)
        _set(self, "kind", kind)
        _set(self, "value", value)
        _set(self, "owner", owner)

    @property
    def problem(self) -> Text:
        """What is wrong, without the place."""
        if self.kind == "number":
            return Text("registry.number_twice", number=self.value, owner=self.owner)
        return Text("registry.name_twice", name=self.value, owner=self.owner)


def clashes(providers: Iterable[Provider]) -> Iterator[Clash]:
    """Every official number, and every name (id, names, aliases), that two providers share.

    A number is the same after normalisation (its international form, short codes with
    their region's country code); a name is the same once folded as :meth:`Registry.find`
    folds a query. One provider may list the same number or name twice.
    """
    numbers: dict[str, str] = {}
    names: dict[str, str] = {}
    for p in providers:
        for i, n in enumerate(p.numbers):
            if (owner := numbers.setdefault(n.key, p.id)) != p.id:
                yield Clash(p.id, f"numbers[{i}]", "number", n.number, owner)
        for name in (p.id, *p.names.all()):
            folded = _fold(name)
            # (A name of no letter or digit is found by no query: it cannot clash.)
            if folded and (owner := names.setdefault(folded, p.id)) != p.id:
                yield Clash(p.id, _name_field(p, name), "name", name, owner)


def _name_field(p: Provider, name: str) -> str:
    if name == p.id:
        return "id"
    if name == p.names.en:
        return "names.en"
    return "names.zh" if name == p.names.zh else "names.aliases"


def _check_claims(providers: Iterable[Provider], origin: str) -> None:
    """Refuse a registry in which a provider lists another's number or name: a number
    would then be official for a provider it does not belong to, and a name would lead
    ``--claims`` to the wrong provider (or to none)."""
    for clash in clashes(providers):
        where = _Where(origin, clash.provider)
        if clash.kind == "number":
            raise where.error(clash.field, "registry.number_twice", number=clash.value, owner=clash.owner)
        raise where.error(clash.field, "registry.name_twice", name=clash.value, owner=clash.owner)


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # maintainers' source trees only; signed registries are read in _trust

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise RegistryError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError("file.not_toml", path=str(path), detail=str(exc)) from None
    except RecursionError:  # arrays or inline tables nested deeper than Python's stack
        raise RegistryError(
            "file.not_toml", path=str(path), detail=Text("registry.nested_too_deep")
        ) from None
    except UnicodeDecodeError:
        raise RegistryError("file.not_utf8", path=str(path)) from None


def _localised(where: _Where, data: Any, field: str, *, required: bool) -> dict[str, str]:
    table = _table(where, data if data is not None else {}, field)
    _check_keys(where, table, field, ("en",) if required else (), LANGS)
    for lang in table:
        _str(where, table, lang, field)
    if table and "en" not in table:
        raise where.error(f"{field}.en", "registry.field_missing")
    return dict(table)


def parse_reporting(data: Any, file: str) -> tuple[tuple[ReportingChannel, ...], tuple[Source, ...]]:
    """Validate the reporting channels (``[[channels]]`` citing ``[[sources]]``).

    Raises:
        RegistryError: naming the file, the channel and the field at fault.
    """
    top = _Where(file, what="channel")
    data = _table(top, data, "")
    _check_keys(top, data, "", ("channels", "sources"), ())
    sources = _parse_sources(top, data["sources"])
    raw = data["channels"]
    if not isinstance(raw, list):
        raise top.error("channels", "registry.not_a_table_array", name="channels")
    channels: list[ReportingChannel] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = _Where(file, what="channel")
        item = _table(where, item, f"channels[{i}]")
        cid = item.get("id")
        if not isinstance(cid, str) or not _SOURCE_ID_RE.fullmatch(cid):
            raise where.error(f"channels[{i}].id", "registry.bad_source_id")
        where.provider = cid
        if cid in seen:
            raise where.error("id", "registry.channel_twice")
        seen.add(cid)
        _check_keys(where, item, "", ("id", "region", "kind", "contact", "name", "sources"), ("note",))
        region = _str(where, item, "region", "")
        if not re.fullmatch(r"[A-Z]{2}", region):
            raise where.error("region", "registry.bad_region")
        channels.append(
            ReportingChannel(
                id=cid,
                region=region,
                kind=_choice(where, item["kind"], "kind", CHANNEL_KINDS),  # type: ignore[arg-type]
                contact=_str(where, item, "contact", ""),
                name=_localised(where, item["name"], "name", required=True),
                note=_localised(where, item.get("note"), "note", required=False),
                sources=_source_refs(where, item, "", sources),
            )
        )
    return tuple(channels), tuple(sources.values())


def parse_registry(data: Mapping[str, Any], origin: str) -> Registry:
    """Validate a compiled registry document (already parsed from TOML).

    Raises:
        RegistryError: naming the origin, provider and field at fault.
    """
    where = _Where(origin)
    _check_keys(where, data, "", ("format", "serial", "expires", "providers"), ("built", "reporting"))
    if data["format"] != FORMAT_VERSION:
        raise where.error(
            "format", "registry.bad_format", expected=FORMAT_VERSION, found=_brief(data["format"])
        )
    serial, expires = _parse_header(where, data)
    raw = data["providers"]
    if not isinstance(raw, list):
        raise where.error("providers", "registry.not_a_table_array", name="providers")
    if not raw:  # a registry that knows no one would call every number unknown
        raise where.error("providers", "registry.empty_list")
    providers = tuple(parse_provider(p, origin, compiled=True) for p in raw)
    _check_unique(providers, origin)
    _check_claims(providers, origin)
    channels, channel_sources = (
        parse_reporting(data["reporting"], origin) if "reporting" in data else ((), ())
    )
    return Registry(serial, expires, providers, origin, channels, channel_sources)


def load_registry_file(path: Path, origin: str | None = None) -> Registry:
    """Load and validate a compiled ``registry.toml``."""
    return parse_registry(_read_toml(path), origin or str(path))


def load_source_tree(directory: Path) -> Registry:
    """Load the maintainers' tree: ``header.toml`` and ``providers/*.toml``.

    Raises:
        RegistryError: a file is missing or malformed (named in the message).
    """
    from pathlib import Path  # maintainers' trees only

    directory = Path(directory)
    if not directory.is_dir():
        raise RegistryError("registry.not_a_directory", path=str(directory))
    header_path = directory / "header.toml"
    header = _read_toml(header_path)
    where = _Where(str(header_path))
    _check_keys(where, header, "", ("serial", "expires"), ())
    serial, expires = _parse_header(where, header)
    files = sorted((directory / "providers").glob("*.toml"))
    if not files:
        raise RegistryError("registry.no_provider_files", path=str(directory / "providers"))
    providers = []
    for path in files:
        provider = parse_provider(_read_toml(path), str(path))
        if provider.id != path.stem:
            raise _Where(str(path), provider.id).error("id", "registry.id_not_file_name", name=path.stem)
        providers.append(provider)
    _check_unique(providers, str(directory))
    reporting_path = directory / "reporting.toml"
    channels, channel_sources = (
        parse_reporting(_read_toml(reporting_path), str(reporting_path))
        if reporting_path.exists()
        else ((), ())
    )
    return Registry(serial, expires, tuple(providers), str(directory), channels, channel_sources)


def compile_registry(registry: Registry, *, built: dt.datetime | None = None) -> dict[str, Any]:
    """The compiled document for ``registry``, ready for ``tomli_w``."""
    providers = []
    for p in registry.providers:
        numbers = []
        for n in p.numbers:
            entry: dict[str, Any] = {
                "number": n.number,
                "region": n.region,
                "use": n.use,
                "country_code": n.country_code,
                "national": n.national,
            }
            if n.short_code:
                entry["short_code"] = True
            if n.note:
                entry["note"] = n.note
            entry["sources"] = list(n.sources)
            numbers.append(entry)
        names: dict[str, Any] = {"en": p.names.en}
        if p.names.zh:
            names["zh"] = p.names.zh
        names["aliases"] = list(p.names.aliases)
        policy: dict[str, Any] = {
            "calls_customers": p.policy.calls_customers,
            "never_asks_for": list(p.policy.never_asks_for),
            "sources": list(p.policy.sources),
        }
        if p.policy.note:
            policy["note"] = p.policy.note
        contact: dict[str, Any] = {}
        if p.contact.website:
            contact["website"] = p.contact.website
        if p.contact.app_path:
            contact["app_path"] = dict(p.contact.app_path)
        contact["sources"] = list(p.contact.sources)
        entry_p: dict[str, Any] = {
            "id": p.id,
            "kind": p.kind,
            "regions": list(p.regions),
            "names": names,
            "policy": policy,
            "contact": contact,
        }
        if numbers:
            entry_p["numbers"] = numbers
        entry_p["sources"] = [_source_dict(s) for s in p.sources]
        providers.append(entry_p)
    doc: dict[str, Any] = {"format": FORMAT_VERSION, "serial": registry.serial, "expires": registry.expires}
    if built is not None:
        doc["built"] = built
    doc["providers"] = providers
    if registry.reporting:
        channels = []
        for c in registry.reporting:
            channel: dict[str, Any] = {
                "id": c.id,
                "region": c.region,
                "kind": c.kind,
                "contact": c.contact,
                "name": dict(c.name),
            }
            if c.note:
                channel["note"] = dict(c.note)
            channel["sources"] = list(c.sources)
            channels.append(channel)
        doc["reporting"] = {
            "channels": channels,
            "sources": [_source_dict(s) for s in registry.reporting_sources],
        }
    return doc


def _source_dict(s: Source) -> dict[str, Any]:
    return {"id": s.id, "url": s.url, "title": s.title, "checked": s.checked, "publisher": s.publisher}
