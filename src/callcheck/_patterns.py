"""Loading the scam-script patterns (``data/patterns.toml``) and compiling them.

Every phrase list is compiled into one Aho-Corasick automaton of plain literals,
so matching takes time linear in the text and cannot backtrack catastrophically.
No network I/O; the patterns are data reviewed by maintainers.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import CallcheckError, Text, os_reason

PATTERNS_PATH = Path(__file__).parent / "data" / "patterns.toml"


class PatternError(CallcheckError):
    """The patterns file is malformed."""


@dataclass(frozen=True, slots=True)
class SignalPattern:
    """One kind of scam-script evidence, such as a request for a verification code."""

    id: str
    category: str
    weight: int
    negatable: bool
    window: int
    terms: tuple[str, ...]
    cues: tuple[str, ...]
    unless: tuple[str, ...]
    asks: str | None
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    first_lines: int = 0  # only look in the first N lines (0: every line)
    undamped_by: frozenset[str] | None = None  # for negative weights: categories that cancel them
    carry: bool = False  # a cue on the next line may complete it ("…the code." / "Read it to me.")


@dataclass(frozen=True, slots=True)
class Combination:
    categories: tuple[str, ...]
    bonus: int


@dataclass(frozen=True, eq=False)
class Patterns:
    """The whole patterns file, validated, with its matchers compiled."""

    signals: tuple[SignalPattern, ...]
    combinations: tuple[Combination, ...]
    medium: int
    high: int
    repeat_bonus: int
    max_repeat_bonus: int
    no_repeat: frozenset[str]
    halving: frozenset[str]  # categories whose presence halves the evidence of the words
    undamped_by: frozenset[str]
    negation_window: int
    strong_window: int  # reach of a strong negation ("we will never … or ask for …")
    identity_window: int
    # Matchers: one regex per phrase family; the maps say what each phrase means.
    terms: PhraseSet
    term_roles: Mapping[str, tuple[tuple[int, str], ...]]  # phrase -> (signal index, "term"|"unless")
    term_signals: Mapping[str, frozenset[int]]  # phrase -> signals it can raise as their term
    category_signals: Mapping[str, tuple[int, ...]]  # category -> its signals
    cues: PhraseSet
    cue_signals: Mapping[str, frozenset[int]]
    guards: PhraseSet
    guard_kinds: Mapping[str, str]  # phrase -> negation | harmless | protective | reported | own
    identity: PhraseSet
    # Asks that point back at a thing named a few lines earlier ("Read them to me."):
    # they complete a carried term left waiting up to ``relay_lines`` lines before.
    relay_cues: frozenset[str] = frozenset()
    relay_lines: int = 1
    relay_examples: tuple[tuple[str, str], ...] = ()  # (lines, signal id they must raise)
    relay_counterexamples: tuple[tuple[str, str], ...] = ()


_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class PhraseSet:
    """Finds every occurrence of a set of phrases in one pass (Aho-Corasick).

    Matching takes time linear in the text whatever the number of phrases, and
    cannot backtrack. ASCII phrases match only as whole words: "pin" is not found
    in "spinach". With ``overlapping``, each start position yields its longest
    phrase, and phrases starting inside others are found too ("先转" and "转一笔"
    in "先转一笔"); with ``every`` too, all phrases are reported, shorter ones at the
    same start included; without ``overlapping``, matches are leftmost-longest and
    never overlap.
    """

    def __init__(self, phrases: Iterable[str], *, overlapping: bool = True, every: bool = False) -> None:
        import ahocorasick_rs

        # Speech-to-text often drops apostrophes: "don't" also matches "dont".
        wanted = set(phrases)
        self.canonical = {
            p.replace("'", ""): p for p in wanted if "'" in p and p.replace("'", "") not in wanted
        }
        self.phrases = sorted(wanted | set(self.canonical))
        self._reported = [self.canonical.get(p, p) for p in self.phrases]  # what each match reports
        self.overlapping = overlapping
        self.every = every  # with overlapping: every phrase, not only the longest at each start
        # Phrases that begin or end with a letter or digit need a whole-word check.
        self._edges = [(p[0] in _WORDISH, p[-1] in _WORDISH) for p in self.phrases]
        self._bounded = frozenset(i for i, (head, tail) in enumerate(self._edges) if head or tail)
        kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
        self._ac = (
            ahocorasick_rs.AhoCorasick(self.phrases or ["\x00"], matchkind=kind) if self.phrases else None
        )

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, phrase) for every occurrence in ``text``, in order of start."""
        if self._ac is None:
            return []
        found = self._ac.find_matches_as_indexes(text, overlapping=self.overlapping)
        edges = self._edges
        n = len(text)

        def whole(index: int, start: int, end: int) -> bool:
            head, tail = edges[index]
            if head and start > 0 and text[start - 1] in _WORDISH:
                return False
            return not (tail and end < n and text[end] in _WORDISH)

        phrases = self._reported
        bounded = self._bounded  # only these need the whole-word check
        if not self.overlapping:
            return [
                (start, end, phrases[index])
                for index, start, end in found
                if index not in bounded or whole(index, start, end)
            ]
        if self.every:
            return sorted(
                [
                    (start, end, phrases[index])
                    for index, start, end in found
                    if index not in bounded or whole(index, start, end)
                ]
            )
        # The longest phrase at each start that is a whole word there: "transfer it to"
        # running into "today" gives way to "transfer".
        longest: dict[int, tuple[int, int]] = {}
        for index, start, end in found:
            if end > longest.get(start, (0, -1))[1] and whole(index, start, end):
                longest[start] = (index, end)
        return [(start, end, phrases[index]) for start, (index, end) in sorted(longest.items())]

    def __contains__(self, text: str) -> bool:
        return bool(self.find(text))


def _strs(data: Mapping[str, Any], key: str, where: Text, *, required: bool = True) -> tuple[str, ...]:
    value = data.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PatternError("patterns.not_a_string_list", where=where, key=key)
    for v in value:
        if v != v.casefold() or v != v.strip():
            raise PatternError("patterns.not_lower_case", where=where, key=key, value=v)
    return tuple(value)


def _bool(data: Mapping[str, Any], key: str, where: Text) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise PatternError("patterns.not_a_bool", where=where, key=key)
    return value


def _int(data: Mapping[str, Any], key: str, where: Text, *, signed: bool = False) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or (value < 0 and not signed):
        if signed:
            raise PatternError("patterns.not_an_int", where=where, key=key)
        raise PatternError("patterns.not_a_count", where=where, key=key)
    return value


def _relay_cases(
    relay: Mapping[str, Any], kind: str, ids: set[str], where: Text
) -> tuple[tuple[str, str], ...]:
    cases = relay.get(kind, [])
    if not isinstance(cases, list) or not all(
        isinstance(c, list) and len(c) == 2 and all(isinstance(v, str) and v for v in c) for c in cases
    ):
        raise PatternError("patterns.not_relay_cases", where=where, key=kind)
    for _, sid in cases:
        if sid not in ids:
            raise PatternError("patterns.unknown_signal", where=where, key=kind, id=sid)
    return tuple((text, sid) for text, sid in cases)


def parse_patterns(data: Mapping[str, Any], origin: str = "patterns.toml") -> Patterns:
    """Validate a parsed patterns document and compile its matchers.

    Raises:
        PatternError: naming the signal and field at fault.
    """
    if data.get("format") != 1:
        raise PatternError("patterns.bad_format", origin=origin)
    scoring = data.get("scoring", {})
    signals: list[SignalPattern] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("signals", [])):
        where = Text("patterns.at", origin=origin, part=f"signals[{i}]")
        sid = raw.get("id")
        if not isinstance(sid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", sid):
            raise PatternError("patterns.bad_id", where=where)
        if sid in seen:
            raise PatternError("patterns.id_twice", where=where, id=sid)
        seen.add(sid)
        where = Text("patterns.signal", origin=origin, id=sid)
        category = raw.get("category")
        if not isinstance(category, str) or not category:
            raise PatternError("patterns.not_a_string", where=where, key="category")
        asks = raw.get("asks")
        if asks is not None and not isinstance(asks, str):
            raise PatternError("patterns.not_a_string", where=where, key="asks")
        negatable = _bool(raw, "negatable", where)
        signals.append(
            SignalPattern(
                id=sid,
                category=category,
                weight=_int(raw, "weight", where, signed=True),
                negatable=negatable,
                window=_int(raw, "window", where),
                terms=_strs(raw, "terms", where),
                cues=_strs(raw, "cues", where, required=False),
                unless=_strs(raw, "unless", where, required=False),
                asks=asks,
                examples=tuple(raw.get("examples", ())),
                counterexamples=tuple(raw.get("counterexamples", ())),
                first_lines=_int(raw, "first_lines", where) if "first_lines" in raw else 0,
                undamped_by=frozenset(_strs(raw, "undamped_by", where)) if "undamped_by" in raw else None,
                carry=_bool(raw, "carry", where),
            )
        )
    categories = {s.category for s in signals}
    combinations = []
    for i, raw in enumerate(data.get("combinations", [])):
        where = Text("patterns.at", origin=origin, part=f"combinations[{i}]")
        cats = _strs(raw, "categories", where)
        unknown = set(cats) - categories
        if unknown:
            raise PatternError("patterns.unknown_category", where=where, category=sorted(unknown)[0])
        combinations.append(Combination(cats, _int(raw, "bonus", where)))
    negation = data.get("negation", {})
    identity = data.get("identity", {})
    relay = data.get("relay", {})
    at_relay = Text("patterns.at", origin=origin, part="relay")
    relay_cues = _strs(relay, "cues", at_relay, required=False)
    relay_lines = _int(relay, "lines", at_relay) if "lines" in relay else 1
    if relay_lines < 1:
        raise PatternError("patterns.relay_lines", where=at_relay)
    relay_cases = {
        kind: _relay_cases(relay, kind, seen, at_relay) for kind in ("examples", "counterexamples")
    }

    term_roles: dict[str, list[tuple[int, str]]] = {}
    cue_signals: dict[str, set[int]] = {}
    term_roles["#amount"] = []  # sums of money, found by the transcript reader itself
    # Phrases matched only so that shorter terms inside them are not: 支付 in 支付宝.
    at_ignore = Text("patterns.at", origin=origin, part="ignore")
    for term in _strs(data.get("ignore", {}), "terms", at_ignore, required=False):
        term_roles.setdefault(term, [])
    for index, s in enumerate(signals):
        for term in s.terms:
            term_roles.setdefault(term, []).append((index, "term"))
        for term in s.unless:
            term_roles.setdefault(term, []).append((index, "unless"))
        for cue in s.cues + (relay_cues if s.carry else ()):
            cue_signals.setdefault(cue, set()).add(index)
    guard_kinds: dict[str, str] = {}
    kinds = (
        ("negation", "words"),
        ("strong", "strong"),
        ("protective", "protective"),
        ("reported", "reported"),
        ("own", "own"),
        ("harmless", "harmless"),
    )
    at_negation = Text("patterns.at", origin=origin, part="negation")
    at_scoring = Text("patterns.at", origin=origin, part="scoring")
    at_identity = Text("patterns.at", origin=origin, part="identity")
    for kind, key in kinds:
        for phrase in _strs(negation, key, at_negation, required=kind in ("negation", "harmless")):
            guard_kinds[phrase] = kind
    return Patterns(
        signals=tuple(signals),
        combinations=tuple(combinations),
        medium=_int(scoring, "medium", at_scoring),
        high=_int(scoring, "high", at_scoring),
        repeat_bonus=_int(scoring, "repeat_bonus", at_scoring),
        max_repeat_bonus=_int(scoring, "max_repeat_bonus", at_scoring),
        no_repeat=frozenset(_strs(scoring, "no_repeat", at_scoring, required=False)),
        halving=frozenset(_strs(scoring, "halving", at_scoring, required=False)),
        undamped_by=frozenset(_strs(scoring, "undamped_by", at_scoring, required=False)),
        negation_window=_int(negation, "window", at_negation),
        strong_window=_int(
            negation, "strong_window" if "strong_window" in negation else "window", at_negation
        ),
        identity_window=_int(identity, "window", at_identity),
        terms=PhraseSet(term_roles, every=True),
        term_roles={k: tuple(v) for k, v in term_roles.items()},
        term_signals={k: frozenset(i for i, role in v if role == "term") for k, v in term_roles.items()},
        category_signals={
            c: tuple(i for i, s in enumerate(signals) if s.category == c)
            for c in {s.category for s in signals}
        },
        # Every cue counts, also one inside a longer cue of another signal: "enter" in "enter your".
        cues=PhraseSet(cue_signals, every=True),
        cue_signals={k: frozenset(v) for k, v in cue_signals.items()},
        guards=PhraseSet(guard_kinds, overlapping=False),
        guard_kinds=guard_kinds,
        identity=PhraseSet(_strs(identity, "cues", at_identity)),
        relay_cues=frozenset(relay_cues),
        relay_lines=relay_lines,
        relay_examples=relay_cases["examples"],
        relay_counterexamples=relay_cases["counterexamples"],
    )


@functools.cache
def load_patterns(path: Path = PATTERNS_PATH) -> Patterns:
    """The shipped patterns, loaded once per process."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise PatternError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternError("file.not_toml", path=str(path), detail=str(exc)) from None
    return parse_patterns(data, str(path))
