"""The transcript check: explainable scam-script detection over call text.

Lines are normalised (width, case, invisible characters, look-alike letters,
spaces between Chinese characters), matched against the reviewed patterns, and
the evidence is scored. Every signal cites the words that raised it. The text is
never sent anywhere.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from . import _textinput
from ._advice import note, reach_note, report_advice
from ._messages import text as message
from ._patterns import Patterns, PhraseSet, SignalPattern, load_patterns
from ._registry import Provider, Registry
from ._results import Callback, Note, NumberCheck, ProviderRef, ReportTo, Risk
from ._wording import WordingModel, WordingTracker, load_model, locate

# Invisible characters people paste or that evade keyword filters, dropped outright.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u2060\u2061\u2062\u2063\u2064\ufeff"
)
# Combining marks left after NFKC (stacked on letters to disguise a word: "c̸o̸d̸e̸"),
# dropped too.
_MARKS = "".join(
    chr(c)
    for lo, hi in ((0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
    for c in range(lo, hi + 1)
    if unicodedata.combining(chr(c))
)
# Letters from other scripts that look like Latin ones (after case folding).
_HOMOGLYPHS = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'",
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k",
    "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "μ": "u", "ϲ": "c", "ı": "i",
}  # fmt: skip
# Latin letters with accents or pinyin tone marks, read as the plain letter
# ("yànzhèngmǎ" as "yanzhengma").
_ACCENTED = {
    ch: base[0]
    for ch in map(chr, (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)))
    if ch == ch.casefold()
    and len(base := unicodedata.normalize("NFD", ch)) > 1
    and base[0].isascii()
    and base[0].isalpha()
    and all(unicodedata.combining(c) for c in base[1:])
}
# Lone surrogates (undecodable bytes read with surrogateescape) become U+FFFD, which
# every matcher can take.
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")
_TABLE = str.maketrans({**dict.fromkeys(_INVISIBLE + _MARKS, None), **_HOMOGLYPHS, **_ACCENTED}) | _SURROGATES
_NEEDS_TABLE = re.compile(
    "[" + re.escape(_INVISIBLE + _MARKS + "".join(_HOMOGLYPHS) + "".join(_ACCENTED)) + "\ud800-\udfff]"
)
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_SPACES = re.compile(r"\s+")
# Compatibility characters common in Chinese text, with their NFKC forms. Each maps to
# characters that combine with nothing, so replacing them first leaves NFKC's result
# unchanged, and text that has no others can skip NFKC altogether (it is slow).
_COMMON_COMPAT = tuple(
    (c, unicodedata.normalize("NFKC", c)) for c in "，？！：；（）％＋－／＜＝＞［］～＂＇＆＠\u3000…"
)
_ODD_WHITESPACE = "\t\x1f\u1680"
BLOCK_LINES = 2048  # lines normalised and screened together by the bulk reader
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?:\s|$)")
_WORDISH = re.compile(r"[a-z0-9]")

# Sums of money as people say them: 三千块, 五万, 1500元, $99, 250 dollars, a hundred.
# Found by this expression rather than by phrase; patterns refer to them as "#amount".
AMOUNT = "#amount"
# Each number is tried from its start only (the look-behinds), so a long run of digits
# with no unit after it costs one pass, not one per digit. A sum never spans lines: the
# only space it may hold is " " (normalised text has no other inside a line).
_AMOUNT = re.compile(
    r"(?<![0-9零一二两三四五六七八九十几])[0-9零一二两三四五六七八九十几]+(?:[.,][0-9]+)? ?"
    r"(?:块钱|块|元|万元|万|千|百|美元|美金|刀|u)"
    r"|[$¥€£] ?[0-9]"
    r"|(?<![0-9,.])\b[0-9][0-9,.]* ?(?:dollars?|bucks|pounds|euros|usd|k|rupees|rs|yuan|ringgit)\b"
    r"|\b(?:hundred|thousand|grand|dollars?|bucks|pounds|euros|quid|rupees|lakh)\b"
)

MAX_SIGNALS_PER_CATEGORY = 5  # evidence kept per category; bounds memory on endless input
WORDING_SHOWN = 10  # wording evidence lighter than this counts but is not listed


# Evasions undone after folding, in this order, identically for a line and a block:
# 0. digits and symbols standing for letters in a word ("c0de", "p@ssw0rd", "$afe") are
#    read as those letters;
# 1. letters or digits spelled out one at a time ("c o d e", "p.i.n", "4-7-1-9") are
#    joined, and a joined run of known words split again ("s e n d m e" -> "send me");
# 2. runs of whitespace become one space;
# 3. pinyin of the words that matter, and their usual abbreviations, become the Chinese
#    ("yanzhengma", "yzm" -> 验证码);
# 4. spaces and separators between Chinese characters are dropped ("验.证.码", "验 证 码").
_SEPARATORS = r".\-*_/|~+"  # as a regex character set
# What may stand between spelled-out letters: one separator, or one space.
_GAP = rf"[ \t\x1f{_SEPARATORS}]"
# A run of single letters (or single digits) apart, found from its first gap so the
# regex engine can skip ahead to gaps quickly; the letter before it is the run's first.
_SPELLED = re.compile(
    rf"{_GAP}(?:(?<=[a-z].)(?<![a-z0-9'][a-z].)[a-z](?:{_GAP}[a-z])+"
    rf"|(?<=[0-9].)(?<![a-z0-9'][0-9].)[0-9](?:{_GAP}[0-9])+)(?![a-z0-9'])"
)
_SPELLED_GAP = re.compile(_GAP)
# Inside a word ("c0de", "pa$$word"), or "$" and "@" starting one ("$afe", "@ccount").
_LEET = re.compile(r"[013457@$](?<=[a-z].)[013457@$]*(?=[a-z])|[@$](?<![a-z0-9@$].)(?=[a-z]{2})")
_LEET_LETTERS = str.maketrans("013457@$", "oieastas")
_CJK_SPACE = re.compile(rf" (?<=[{_CJK}] )(?=[{_CJK}])")
_CJK_GAP = re.compile(rf"[ {_SEPARATORS}](?<=[{_CJK}][ {_SEPARATORS}])[ {_SEPARATORS}]*(?=[{_CJK}])")


def _shape(*classes: tuple[str, bytes]) -> bytes:
    """A bytes.translate table: each byte of a class's bytes becomes the class's letter,
    every other byte "x"."""
    table = bytearray(b"x" * 256)
    for letter, members in classes:
        for byte in members:
            table[byte] = ord(letter)
    return bytes(table)


_LOWER, _DIGITS = b"abcdefghijklmnopqrstuvwxyz", b"0123456789"
# What _on_lines screens for. Each needle is a necessary condition of a match of the
# regex on the same line, so lines without one can skip the regex.
_SPELLED_SCREEN = (
    _shape(("a", _LOWER), ("0", _DIGITS), (" ", b" \t\x1f.-*_/|~+"), ("'", b"'")),
    (b" a a ", b" a ax", b"0 0 0"),  # a run's 2nd and 3rd letters, then its end
)
_LEET_SCREEN = (_shape(("a", _LOWER), ("0", b"013457"), ("$", b"@$")), (b"a0a", b"a00", b"a$", b"$aa"))
# UTF-8 lead bytes of Chinese characters, continuation bytes, and separators.
_CJK_SCREEN = (
    _shape(
        ("L", bytes([*range(0xE3, 0xEA), 0xEF])),
        ("c", bytes(range(0x80, 0xC0))),
        ("s", b".-*_/|~+"),
        (" ", b" "),
    ),
    (b"cs", b"c s", b"sL", b"s L"),
)


def _on_lines(text: str, screen: tuple[bytes, tuple[bytes, ...]], pattern: re.Pattern[str], repl: Any) -> str:
    """``pattern.sub(repl, text)``, run only on the lines of ``text`` that ``screen``
    (a shape table and needles) says may match: the regex scan is slower than the
    screen's, and matches are rare."""
    table, needles = screen
    raw = text.encode("utf-8", "surrogatepass")
    shape = raw.translate(table) + b"x"  # a needle may end with the text
    lines: set[tuple[int, int]] = set()
    for needle in needles:
        at = shape.find(needle)
        while at >= 0:
            start = raw.rfind(b"\n", 0, at) + 1
            end = raw.find(b"\n", at)
            end = len(raw) if end < 0 else end
            lines.add((start, end))
            at = shape.find(needle, end)
    if not lines:
        return text
    parts: list[bytes] = []
    last = 0
    for start, end in sorted(lines):
        line = raw[start:end].decode("utf-8", "surrogatepass")
        parts += (raw[last:start], pattern.sub(repl, line).encode("utf-8", "surrogatepass"))
        last = end
    parts.append(raw[last:])
    return b"".join(parts).decode("utf-8", "surrogatepass")


# Pinyin (syllables optionally apart) and abbreviations -> the Chinese the patterns use.
_PINYIN = {
    "yan zheng ma": "验证码", "yzm": "验证码", "jiao yan ma": "校验码", "dong tai ma": "动态码",
    "mi ma": "密码", "zhuan zhang": "转账", "hui kuan": "汇款", "an quan zhang hu": "安全账户",
    "zhu ji ci": "助记词", "si yao": "私钥", "dong jie": "冻结", "ping mu gong xiang": "屏幕共享",
    "gong xiang ping mu": "共享屏幕", "gong an ju": "公安局", "gong an": "公安", "jing cha": "警察",
    "yin hang ka": "银行卡", "yhk": "银行卡", "ke fu": "客服", "tui kuan": "退款", "li pei": "理赔",
    "zhu xiao": "注销", "zheng xin": "征信", "dai kuan": "贷款", "bao mi": "保密", "xi qian": "洗钱",
    "dai bu": "逮捕", "shua dan": "刷单", "fan li": "返利", "yuan cheng": "远程", "xia zai": "下载",
    "er wei ma": "二维码", "fu kuan ma": "付款码", "zhi fu bao": "支付宝", "zfb": "支付宝",
    "wei xin": "微信", "qian bao": "钱包", "shen fen zheng": "身份证", "sfz": "身份证",
}  # fmt: skip
# Each written with its syllables solid or apart, with one kind of gap ("anquan
# zhanghu", "an-quan-zhang-hu"); _pinyin_screen looks for exactly these strings.
_PINYIN_WRITTEN = sorted(
    {
        "".join(itertools.chain.from_iterable(zip(syllables, gaps, strict=False))) + syllables[-1]
        for syllables in (k.split() for k in _PINYIN)
        for gap in (" ", "-", "'")
        for gaps in itertools.product(("", gap), repeat=len(syllables) - 1)
    },
    key=len,
)
_PINYIN_FORMS = re.compile(
    "(?<![a-z])(?:" + "|".join(re.escape(form) for form in reversed(_PINYIN_WRITTEN)) + ")(?![a-z])"
)
_PINYIN_JOINED = {k.replace(" ", ""): v for k, v in _PINYIN.items()}
_LATIN = re.compile("[a-z]")
_PINYIN_GAP = re.compile(r"[ '\-]")


def _chinese(match: re.Match[str]) -> str:
    return _PINYIN_JOINED[_PINYIN_GAP.sub("", match.group())]


@functools.cache
def _pinyin_screen() -> Any:
    """Finds the pinyin forms in one pass, so text without any skips the slower regex."""
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(_PINYIN_WRITTEN, implementation=ahocorasick_rs.Implementation.DFA)


def _from_pinyin(text: str) -> str:
    """``text`` with the pinyin forms standing as words put in Chinese: at each place
    the longest form standing as a word, as _PINYIN_FORMS would find it, but from the
    screen's matches (the regex, tried at every character, is slow over a block)."""
    found = [
        (start, end)
        for _, start, end in _pinyin_screen().find_matches_as_indexes(text, overlapping=True)
        if not (start and _LATIN.match(text, start - 1)) and not _LATIN.match(text, end)
    ]
    if not found:
        return text
    found.sort(key=lambda span: (span[0], -span[1]))
    parts: list[str] = []
    last = 0
    for start, end in found:
        if start >= last:
            parts += (text[last:start], _PINYIN_JOINED[_PINYIN_GAP.sub("", text[start:end])])
            last = end
    parts.append(text[last:])
    return "".join(parts)


@functools.cache
def _vocabulary() -> frozenset[str]:
    """The English words of the patterns, and the pinyin above: what a spelled-out run
    may be split back into."""
    from ._patterns import load_patterns

    p = load_patterns()
    words = {
        w for s in (p.terms, p.cues, p.guards, p.identity) for phrase in s.phrases for w in phrase.split()
    }
    return frozenset(w for w in words if w.isascii() and w.isalpha()) | _PINYIN_JOINED.keys()


def _unleet(match: re.Match[str]) -> str:
    return match.group().translate(_LEET_LETTERS)


def _undisguised(folded: str) -> str:
    """Steps 0 and 1 above."""
    return _on_lines(_on_lines(folded, _LEET_SCREEN, _LEET, _unleet), _SPELLED_SCREEN, _SPELLED, _unspell)


def _without_cjk_gaps(text: str) -> str:
    """Step 4 above."""
    if text.isascii():
        return text
    return _on_lines(_CJK_SPACE.sub("", text), _CJK_SCREEN, _CJK_GAP, "")


def _unspell(match: re.Match[str]) -> str:
    """The run found by _SPELLED joined (and split into words where it reads as some),
    without its first letter, which stands before the match."""
    joined = _SPELLED_GAP.sub("", match.string[match.start() - 1] + match.group())
    if joined[0].isdigit():
        return joined[1:]
    return (_words(joined) or joined)[1:]


_MAX_SPLIT = 64  # longest spelled-out run split back into words (the search is quadratic)


def _words(run: str) -> str | None:
    """``run`` as the fewest words of the vocabulary, or None."""
    vocabulary = _vocabulary()
    if run in vocabulary:
        return run
    if len(run) > _MAX_SPLIT:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 24), end):
            before = best[start]
            if before is not None and run[start:end] in vocabulary:
                current = best[end]
                if current is None or len(before) + 1 < len(current):
                    best[end] = [*before, run[start:end]]
    found = best[-1]
    return " ".join(found) if found else None


def _fold(text: str) -> str:
    """Compatibility forms, case, invisible characters, marks and look-alike letters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _NEEDS_TABLE.search(folded):
        folded = folded.translate(_TABLE)
    return folded


def normalize(line: str) -> str:
    """Fold ``line`` into the form the patterns are written in."""
    folded = _SPACES.sub(" ", _undisguised(_fold(line)))
    return _without_cjk_gaps(_from_pinyin(folded)).strip()


def _normalize_block(block: str) -> str:
    """:func:`normalize` for many lines joined by newlines, keeping the newlines.

    Used only to screen lines quickly: a phrase :func:`normalize` would find in a
    line is found in that line's part of the block too.
    """
    if not block.isascii():
        for compat, plain in _COMMON_COMPAT:
            if compat in block:
                block = block.replace(compat, plain)
        if not unicodedata.is_normalized("NFKC", block):
            block = unicodedata.normalize("NFKC", block)
    folded = block.casefold()
    if _NEEDS_TABLE.search(folded):
        # Usually a few distinct characters (curly quotes): one replace each is faster
        # than translating every character.
        present = set(_NEEDS_TABLE.findall(folded))
        if len(present) <= 16:
            for ch in present:
                folded = folded.replace(ch, _TABLE.get(ord(ch)) or "")
        else:
            folded = folded.translate(_TABLE)
    folded = _undisguised(folded)
    # After splitlines() and NFKC the only whitespace left besides the plain space and
    # the newline is the tab, U+001F and U+1680: replace those, then halve runs of
    # spaces until none is left (all in C, unlike a regex over every run).
    for ch in _ODD_WHITESPACE:
        if ch in folded:
            folded = folded.replace(ch, " ")
    while "  " in folded:
        folded = folded.replace("  ", " ")
    return _without_cjk_gaps(_from_pinyin(folded))


def _normalize_mapped(line: str) -> tuple[str, list[int]]:
    """Like :func:`normalize`, and for each output character the index of the input
    character it came from, so evidence can be cited in the original text."""
    out: list[str] = []
    where: list[int] = []
    start = 0
    # Fold a character with the combining marks that follow it, as NFKC sees them.
    for end in range(1, len(line) + 1):
        if end < len(line) and unicodedata.combining(line[end]):
            continue
        piece = _fold(line[start:end])
        out.append(piece)
        where.extend([start] * len(piece))
        start = end
    text = "".join(out)
    for pattern, replace_with in (
        (_LEET, _unleet),
        (_SPELLED, _unspell),
        (_SPACES, lambda m: " "),
        (_PINYIN_FORMS, _chinese),
        (_CJK_GAP, lambda m: ""),
    ):
        text, where = _sub_mapped(pattern, replace_with, text, where)
    stripped = text.lstrip()
    skip = len(text) - len(stripped)
    stripped = stripped.rstrip()
    return stripped, where[skip : skip + len(stripped)]


def _sub_mapped(
    pattern: re.Pattern[str], replace_with: Any, text: str, where: list[int]
) -> tuple[str, list[int]]:
    """``pattern.sub(replace_with, text)``, carrying ``where`` along: each new character
    points at the original character of the part of the match it stands for."""
    parts: list[str] = []
    new_where: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        s, e = match.span()
        parts.append(text[last:s])
        new_where.extend(where[last:s])
        new = replace_with(match)
        parts.append(new)
        new_where.extend(where[s + (k * (e - s)) // len(new)] for k in range(len(new)))
        last = e
    if not parts:
        return text, where
    parts.append(text[last:])
    new_where.extend(where[last:])
    return "".join(parts), new_where


def _original_span(where: list[int], start: int, end: int, length: int) -> tuple[int, int]:
    """Where ``start:end`` of a line's mapped form (see :func:`_normalize_mapped`) lies
    in the original line of ``length`` characters."""
    return (
        where[start] if start < len(where) else length,
        where[end - 1] + 1 if 0 < end <= len(where) else length,
    )


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence: which pattern, the words that raised it, and where.

    ``line`` is 1-based; ``start`` and ``end`` are character offsets within that line
    of the original text.
    """

    id: str
    category: str
    words: str
    line: int
    start: int
    end: int
    weight: int
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "words": self.words,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "weight": self.weight,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class TranscriptCheck:
    """The verdict on a call transcript.

    ``signals`` are the evidence, strongest categories first; ``provider`` is the
    provider the caller claimed to be (given, or recognised in the text), with its
    official ``callback`` numbers. ``number`` is the caller-number check when a
    number was given; its verdict is already folded into ``risk`` and ``score``.
    """

    risk: Risk
    score: int
    signals: tuple[Signal, ...]
    advice: tuple[Note, ...]
    provider: ProviderRef | None
    mentioned: tuple[ProviderRef, ...]
    callback: tuple[Callback, ...]
    number: NumberCheck | None
    lines: int
    registry_serial: int
    registry_expired: bool
    lang: str = "en"
    report: tuple[ReportTo, ...] = ()

    @property
    def risky(self) -> bool:
        return self.risk in ("medium", "high")

    def to_dict(self) -> dict[str, Any]:
        return {
            "risk": self.risk,
            "score": self.score,
            "signals": [s.to_dict() for s in self.signals],
            "advice": [a.to_dict() for a in self.advice],
            "provider": self.provider.to_dict() if self.provider else None,
            "mentioned": [p.to_dict() for p in self.mentioned],
            "callback": [c.to_dict() for c in self.callback],
            "number": self.number.to_dict() if self.number else None,
            "report": [r.to_dict() for r in self.report],
            "lines": self.lines,
            "registry": {"serial": self.registry_serial, "expired": self.registry_expired},
            "lang": self.lang,
        }


@dataclass(slots=True)
class _Hit:
    signal: int
    start: int
    end: int


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, b_start - a_end, a_start - b_end)


Found = list[tuple[int, int, str]]


def find_terms(norm: str, patterns: Patterns, amounts: bool = True) -> Found:
    """The pattern terms in ``norm``, sums of money included, in order of start.

    Every phrase is reported, shorter ones inside longer ones too ("逮捕" in
    "逮捕令"), except inside a phrase of the ignore list ("支付" in "支付宝").
    ``amounts=False`` leaves sums of money out (when they can no longer matter).
    """
    terms = patterns.terms.find(norm)
    ignore_only, shadowed = _ignore_sets(patterns)
    ignored = [(s, e) for s, e, t in terms if t in ignore_only]
    if ignored:
        starts = [s for s, _ in ignored]
        reach = list(itertools.accumulate((e for _, e in ignored), max))  # furthest end so far
        terms = [
            t
            for t in terms
            if t[2] not in shadowed
            or (
                t[2] not in ignore_only
                and not ((i := bisect.bisect_right(starts, t[0]) - 1) >= 0 and reach[i] >= t[1])
            )
        ]
    if not amounts:
        return terms
    found = [(m.start(), m.end(), AMOUNT) for m in _AMOUNT.finditer(norm)]
    return sorted(terms + found) if found else terms


@functools.lru_cache(maxsize=4)
def _ignore_sets(patterns: Patterns) -> tuple[frozenset[str], frozenset[str]]:
    """Phrases matched only to be ignored, and every phrase that can lie inside one of
    them (only those need the check whether they do)."""
    roles = patterns.term_roles
    ignore_only = frozenset(t for t, r in roles.items() if not r and t != AMOUNT)
    shadowed = frozenset(t for t in roles if any(t in i for i in ignore_only))
    return ignore_only, shadowed


def scan(norm: str, patterns: Patterns, line_number: int = 1) -> list[_Hit]:
    """The signals raised by one normalised line, at most one per signal."""
    terms = find_terms(norm, patterns)
    if not terms:
        return []
    return _judge(norm, patterns, line_number, terms, patterns.cues.find(norm), patterns.guards.find(norm))[0]


class _Line:
    """Where things stand in one normalised line, for fast lookups while judging.

    Every question asked of it (cues near a term, a negation before a word, a
    warning in the same sentence) is answered by binary search, so judging a line
    takes time close to linear in its length even when it repeats a phrase
    thousands of times.
    """

    def __init__(self, norm: str, patterns: Patterns, terms: Found, cues: Found, found_guards: Found) -> None:
        self.norm = norm
        self.patterns = patterns
        self.ends = [m.start() for m in _SENTENCE_END.finditer(norm)]
        # Guards do not overlap: "能不能" (harmless) hides the "不能" inside it.
        kinds = patterns.guard_kinds
        self.strong_ends = [e for _, e, g in found_guards if kinds[g] == "strong"]
        self.negation_ends = [e for _, e, g in found_guards if kinds[g] in ("negation", "strong")]
        self.own_ends = [e for _, e, g in found_guards if kinds[g] == "own"]
        self.protected = {self.sentence(s) for s, _, g in found_guards if kinds[g] == "protective"}
        self.reported: dict[int, int] = {}  # sentence -> where its first reporting phrase starts
        for st, _, g in found_guards:
            if kinds[g] == "reported":
                sid = self.sentence(st)
                self.reported[sid] = min(st, self.reported.get(sid, st))
        self.cues = cues
        self.cue_starts = [c[0] for c in cues]
        self.terms = terms
        self.term_starts = [t[0] for t in terms]
        self.longest_term = max((e - s for s, e, _ in terms), default=0)
        self.unless: dict[int, list[tuple[int, int]]] = {}
        for start, end, term in terms:
            for index, role in patterns.term_roles[term]:
                if role == "unless":
                    self.unless.setdefault(index, []).append((start, end))

    def sentence(self, pos: int) -> int:
        return bisect.bisect_left(self.ends, pos)

    def crosses(self, a: int, b: int) -> bool:
        return self.sentence(min(a, b)) != self.sentence(max(a, b))

    def is_reported(self, pos: int) -> bool:
        first = self.reported.get(self.sentence(pos))
        return first is not None and first <= pos

    def is_protected(self, pos: int) -> bool:
        return self.sentence(pos) in self.protected

    def negated(self, heads: Iterable[int], ends: list[int], window: int) -> bool:
        """A negation within ``window`` units before a head, in the same clause."""
        for head in heads:
            lo = bisect.bisect_left(ends, head - 8 * window)
            for ne in ends[lo : bisect.bisect_right(ends, head)]:
                gap = self.norm[ne:head]
                if not _CLAUSE_BREAK.search(gap) and _units(gap) <= window:
                    return True
        return False

    def cues_near(self, index: int, start: int, end: int, window: int) -> list[tuple[int, int]]:
        cue_signals = self.patterns.cue_signals
        lo = bisect.bisect_left(self.cue_starts, start - window - _LONGEST_CUE)
        hi = bisect.bisect_right(self.cue_starts, end + window)
        return [
            (cs, ce)
            for cs, ce, cue in self.cues[lo:hi]
            if index in cue_signals[cue]
            and _gap(start, end, cs, ce) <= window
            # A cue may follow its term into the next sentence ("…a code. Read it
            # back to me."), never precede it from an earlier one.
            and (cs >= start or not self.crosses(cs, start))
            and not self.inside_other_term(cs, ce, index, (start, end))
        ]

    def inside_other_term(self, cs: int, ce: int, index: int, term: tuple[int, int] | None = None) -> bool:
        """True if a cue is part of a longer term of other signals (验证 in 验证码), one
        that does not also hold the term being judged ("bitcoin" and "atm" in "bitcoin atm")."""
        roles = self.patterns.term_roles
        lo = bisect.bisect_left(self.term_starts, cs - self.longest_term)
        hi = bisect.bisect_right(self.term_starts, cs)
        containing = [t for t in self.terms[lo:hi] if t[1] >= ce and (t[0], t[1]) != (cs, ce)]
        if any(index == i for t in containing for i, _ in roles[t[2]]):
            return False  # part of one of this signal's own terms: "you" in "you requested"
        return any(term is None or not (ts <= term[0] and term[1] <= te) for ts, te, _ in containing)

    def unless_near(self, index: int, span: tuple[int, int], window: int, own: tuple[int, int]) -> bool:
        return any(_gap(us, ue, *span) <= window and (us, ue) != own for us, ue in self.unless.get(index, ()))

    def cancelled(self, sig: SignalPattern, heads: tuple[int, ...], span: tuple[int, int]) -> bool:
        """Negated, warned against in its sentence, or said of the speaker's own things
        ("my password"; ``heads[0]`` is where the term starts)."""
        window = self.patterns.negation_window
        return sig.negatable and (
            self.negated(heads, self.negation_ends, window)
            or self.negated(heads, self.strong_ends, self.patterns.strong_window)
            or self.is_protected(span[0])
            or self.negated(heads[:1], self.own_ends, 2)
        )


_LONGEST_CUE = 40  # characters; longer cues than this would be missed at the window's edge


def _judge(
    norm: str,
    patterns: Patterns,
    line_number: int,
    terms: Found,
    cues: Found,
    found_guards: Found,
    carried: frozenset[int] = frozenset(),
    relayed: frozenset[int] = frozenset(),
) -> tuple[list[_Hit], frozenset[int]]:
    """The signals raised by a line, given the phrases found in it.

    ``carried`` are signals whose term ended the previous line without its cue
    ("…a confirmation code." / "Just read it to me."): a cue here completes them.
    ``relayed`` were left waiting a few lines before: only an ask that points back
    (a relay cue: "read them to me") completes them.
    Returns the hits and the signals this line leaves waiting for a cue.
    """
    line = _Line(norm, patterns, terms, cues, found_guards)
    hits: dict[int, _Hit] = {}
    waiting: set[int] = set()
    for start, end, term in terms:
        for index, role in patterns.term_roles[term]:
            if role != "term" or index in hits:
                continue
            sig = patterns.signals[index]
            if sig.first_lines and line_number > sig.first_lines:
                continue
            span = (start, end)
            heads: tuple[int, ...] = (start,)
            if sig.cues:
                near = line.cues_near(index, start, end, sig.window)
                if not near:
                    # Left for the next line's cue, unless this line already cancels it
                    # ("我们不会索要短信里的数字。" / "有疑问请挂断后核实").
                    if (
                        sig.carry
                        and not line.cancelled(sig, heads, span)
                        and not line.is_reported(start)
                        and not line.unless_near(index, span, sig.window, span)
                    ):
                        waiting.add(index)
                    continue
                cs, ce = min(near, key=lambda c: _gap(start, end, *c))
                span = (min(start, cs), max(end, ce))
                heads = (start, cs)
            if line.unless_near(index, span, sig.window, (start, end)):
                continue
            if sig.weight > 0 and line.is_reported(span[0]):
                continue
            if line.cancelled(sig, heads, span):
                continue
            hits[index] = _Hit(index, *span)
    for index in (carried | relayed) - hits.keys():
        sig = patterns.signals[index]
        relay_only = index not in carried
        for cs, ce, cue in cues:
            if index not in patterns.cue_signals[cue] or line.inside_other_term(cs, ce, index):
                continue
            if relay_only and cue not in patterns.relay_cues:
                continue
            if (
                not line.is_reported(cs)
                and not line.cancelled(sig, (cs,), (cs, ce))
                and not line.unless_near(index, (cs, ce), sig.window, (cs, ce))
            ):
                hits[index] = _Hit(index, cs, ce)
            break
    return list(hits.values()), frozenset(waiting - hits.keys())


# What ends the reach of a negation: clause punctuation (but not the enumeration
# comma 、) and words that turn the sentence.
_CLAUSE_BREAK = re.compile(r"[,，;；:：.。!?！？]|\b(?:but|however|just|only)\b|但是|不过|只需要|只要|就行")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_WORD = re.compile(r"[a-z0-9']+")


def _units(gap: str) -> int:
    """How far apart two phrases are: a Chinese character counts 1, an English word 2
    (a word carries about as much as two characters)."""
    return len(_CJK_CHAR.findall(gap)) + 2 * len(_WORD.findall(gap))


def _provider_of(registry: Registry, name: str) -> Provider:
    return _provider_matcher(registry)[1][name]


@functools.lru_cache(maxsize=8)
def _provider_matcher(registry: Registry) -> tuple[PhraseSet, dict[str, Provider]]:
    names: dict[str, Provider] = {}
    for p in registry.providers:
        for name in (p.id.replace("_", " "), *p.names.all()):
            folded = normalize(name)
            if len(folded) >= 2 and not (folded.isascii() and len(folded) < 3):
                names.setdefault(folded, p)
    return PhraseSet(names), names


def _cut(line: str) -> list[str]:
    """``line`` in pieces of at most ``MAX_LINE_CHARS`` characters (an empty line: itself)."""
    size = _textinput.MAX_LINE_CHARS
    return [line[i : i + size] for i in range(0, len(line), size)] or [line]


class TranscriptMonitor:
    """Reads a transcript line by line and keeps a running verdict.

    Memory stays flat however long the call runs: only the strongest evidence per
    category is kept. ``feed`` returns True the first time the risk reaches high.
    """

    def __init__(
        self,
        registry: Registry,
        *,
        claims: Provider | None = None,
        number: NumberCheck | None = None,
        lang: str = "en",
        patterns: Patterns | None = None,
        region: str | None = None,
        wording: WordingModel | None = None,
    ) -> None:
        self.registry = registry
        self.region = region
        self.patterns = patterns or load_patterns()
        self.claims = claims
        self.number = number
        self.lang = lang
        self.lines = 0
        self._kept: dict[str, list[Signal]] = {}
        self._best: dict[str, int] = {}
        self._undamped: dict[str, frozenset[str] | None] = {}
        self._seen_lines: dict[str, int] = {}
        self._asks: set[str] = set()
        self._claimed = claims
        self._mentioned: dict[str, Provider] = {}
        self._alerted = False
        self._score: int | None = None
        # Signals whose term was left without its cue -> the line that left them.
        self._waiting: dict[int, int] = {}
        # Signals that can no longer change the verdict or the evidence kept (see
        # _settled); lines that could raise only these are not judged again.
        self._saturated: set[int] = set()
        p = self.patterns
        steps = -(-p.max_repeat_bonus // p.repeat_bonus) if p.repeat_bonus > 0 else 0
        self._seen_cap = max(2, 1 + steps)  # further lines of a category add nothing
        self._losses = 0  # how often a saturated signal reopened
        # Signals limited to the first lines of a call, soonest retired first.
        self._first_lines = sorted((s.first_lines, i) for i, s in enumerate(p.signals) if s.first_lines)
        self._retired: set[int] = set()
        self._screen_for: tuple[frozenset[int], frozenset[str] | None] | None = None
        self._screen_set: PhraseSet | None = None
        self._wording = WordingTracker(wording or load_model())

    # -- reading --------------------------------------------------------------

    def feed(self, line: str) -> bool:
        """Read one more line; True if this line made the risk high for the first time.

        A line longer than ``MAX_LINE_CHARS`` (64 Ki characters) is read as lines of
        that many characters, as :meth:`read` reads it.
        """
        if len(line) <= _textinput.MAX_LINE_CHARS:
            return self._feed(line, normalize(line))
        alert = False
        for piece in _cut(line):
            alert = self._feed(piece, normalize(piece)) or alert
        return alert

    def _feed(
        self,
        line: str,
        norm: str,
        found: tuple[Found, Found, Found, Found] | None = None,
        worded: bool = False,
    ) -> bool:
        """Judge one line; ``worded`` when the wording model has read it already."""
        self.lines += 1
        self._retire(self.lines - 1)
        if not worded and self._wording.add(self.lines, line, norm):
            self._score = None
        if not norm:
            return self._alert()
        p = self.patterns
        carried = self._carried(self.lines - 1)
        relayed = self._pending(self.lines - 1) - carried
        if found is None:
            matcher = _provider_matcher(self.registry)[0]
            terms = find_terms(norm, p)
            busy = bool(terms or carried or relayed)
            found = (
                terms,
                p.cues.find(norm) if busy else [],
                p.guards.find(norm) if busy else [],
                matcher.find(norm),
            )
        terms, cues, guards, names = found
        if self._settled(terms, names, carried | relayed):
            return self._alert()
        changed = self._find_providers(norm, names)
        hits: list[_Hit] = []
        if terms or carried or relayed:
            hits, waiting = _judge(norm, p, self.lines, terms, cues, guards, carried, relayed)
            self._wait(hits, waiting)
        if hits:
            changed = True
            where: list[int] | None = None  # None: each character stayed in place
            if norm != line.casefold():
                mapped, where = _normalize_mapped(line)
                if mapped != norm:  # the mapped form is authoritative for spans
                    found_mapped = (find_terms(mapped, p), p.cues.find(mapped), p.guards.find(mapped))
                    hits = _judge(mapped, p, self.lines, *found_mapped, carried, relayed)[0]
            for hit in hits:
                self._record(hit, line, where)
            self._update_saturated({p.signals[hit.signal].category for hit in hits})
        if changed:
            self._score = None
        return self._alert()

    def _alert(self) -> bool:
        """True the first time the risk is high."""
        if not self._alerted and self.risk == "high":
            self._alerted = True
            return True
        return False

    def read(self, text: str) -> None:
        """Read a whole transcript at once (the same verdict as feeding each line).

        Lines are screened in blocks: only those that contain a pattern phrase or
        a provider name are read one by one. A line longer than ``MAX_LINE_CHARS``
        (64 Ki characters) is read as lines of that many characters, so that no line
        is too long to judge; reading a text in pieces that end where its lines end
        (or where such a line is cut) gives the verdict reading it whole gives.
        """
        p = self.patterns
        matcher = _provider_matcher(self.registry)[0]
        lines = text.splitlines()
        if lines and max(map(len, lines)) > _textinput.MAX_LINE_CHARS:
            lines = [piece for line in lines for piece in _cut(line)]
        for first in range(0, len(lines), BLOCK_LINES):
            chunk = lines[first : first + BLOCK_LINES]
            base = self.lines
            self._retire(base)
            block = _normalize_block("\n".join(chunk))
            parts = block.split("\n")  # each is normalize() of its line, once stripped
            wording = self._wording
            if not wording.saturated:
                for index, part in enumerate(parts):
                    if wording.add(base + index + 1, chunk[index], part.strip()):
                        self._score = None
            screen = self._screen()
            pending = self._pending(base)
            if screen is not None and not screen.find(block) and pending <= self._saturated:
                self.lines = base + len(chunk)
                continue  # no phrase that could still change anything
            terms = find_terms(block, p, amounts=not p.term_signals[AMOUNT] <= self._saturated)
            names = matcher.find(block)
            if (terms or names or pending) and not self._settled(terms, names, pending):
                self._read_block(chunk, parts, base, terms, names)
            self.lines = base + len(chunk)

    def _read_block(self, chunk: list[str], parts: list[str], base: int, terms: Found, names: Found) -> None:
        """Judge the lines of a block (``parts``: the normalised block split into its
        lines) that can still change the verdict."""
        p = self.patterns
        starts = list(itertools.accumulate((len(part) + 1 for part in parts[:-1]), initial=0))
        term_starts = [t[0] for t in terms]
        name_starts = [n[0] for n in names]
        term_lines = {bisect.bisect_right(starts, s) - 1 for s in term_starts}
        reach = p.relay_lines
        # Lines before the block that left a term waiting count as term lines here
        # (as negative indexes): the lines they may reach are read as followers.
        earlier = {line - base - 1 for line in self._waiting.values() if line > base - reach}
        term_lines |= earlier

        def todo(after: int) -> list[int]:
            # Lines with a term of a signal still open, lines naming a provider, and
            # the line after a term line (its cue may complete that term).
            saturated, term_signals = self._saturated, p.term_signals
            open_terms = (t for t in terms if not term_signals[t[2]] <= saturated)
            live = {bisect.bisect_right(starts, t[0]) - 1 for t in open_terms}
            named = {bisect.bisect_right(starts, s) - 1 for s in name_starts}
            live |= earlier
            followers = {i + k for i in live for k in range(1, reach + 1) if 0 <= i + k < len(chunk)}
            return sorted(i for i in live | named | followers if i > after)

        def on_line(found: Found, found_starts: list[int], index: int) -> Found:
            lo = bisect.bisect_left(found_starts, starts[index])
            hi = bisect.bisect_left(found_starts, starts[index] + len(parts[index]) + 1)
            if lo == hi:
                return []
            # Offsets within the line once it is stripped, as normalize() does.
            shift = starts[index] + len(parts[index]) - len(parts[index].lstrip())
            return [(s - shift, e - shift, phrase) for s, e, phrase in found[lo:hi]]

        queue = todo(-1)
        position = 0
        while position < len(queue):
            index = queue[position]
            position += 1
            self.lines = base + index
            line_terms = on_line(terms, term_starts, index)
            line_names = on_line(names, name_starts, index)
            if self._settled(line_terms, line_names, self._pending(self.lines)):
                continue
            # The block's normalised line is exactly normalize(line).
            norm = parts[index].strip()
            busy = bool(line_terms) or any(index - k in term_lines for k in range(1, reach + 1))
            cues = p.cues.find(norm) if busy else []
            guards = p.guards.find(norm) if busy else []
            losses = self._losses
            self._feed(chunk[index], norm, (line_terms, cues, guards, line_names), worded=True)
            if self._losses != losses:
                queue, position = todo(index), 0  # a signal reopened: look again at the rest

    def _screen(self) -> PhraseSet | None:
        """A matcher for just the phrases that could still change the verdict: terms of
        signals not yet saturated and names of providers not yet seen. Blocks without
        any are skipped after one quick pass. None while that is no short list."""
        p = self.patterns
        still_open = frozenset(range(len(p.signals))) - self._saturated
        if len(still_open) > len(p.signals) // 4 or not p.term_signals[AMOUNT] <= self._saturated:
            return None
        seen = frozenset(self._mentioned) if self._claimed is not None else None
        if self._screen_for != (still_open, seen):
            phrases = {t for t, signals in p.term_signals.items() if signals & still_open}
            names = _provider_matcher(self.registry)[1]
            phrases.update(n for n, provider in names.items() if seen is None or provider.id not in seen)
            self._screen_for = (still_open, seen)
            self._screen_set = PhraseSet(phrases)
        return self._screen_set

    def _retire(self, read: int) -> None:
        """Close the signals that only count in the first lines, once ``read`` lines
        have gone by: they can raise nothing more."""
        first_lines = self._first_lines
        while first_lines and first_lines[0][0] <= read:
            index = first_lines.pop(0)[1]
            self._retired.add(index)
            self._saturated.add(index)

    def _carried(self, before: int) -> frozenset[int]:
        """Signals left waiting for a cue by line ``before`` (0: none)."""
        return frozenset(index for index, line in self._waiting.items() if line == before)

    def _pending(self, before: int) -> frozenset[int]:
        """Signals left waiting by line ``before`` or by the lines just before it that
        a relay cue on line ``before + 1`` may still complete."""
        reach = self.patterns.relay_lines
        return frozenset(index for index, line in self._waiting.items() if before - reach < line <= before)

    def _wait(self, hits: list[_Hit], waiting: frozenset[int]) -> None:
        """Keep the signals this line left waiting; forget those it completed and
        those too far back to be completed."""
        kept = self._waiting
        for hit in hits:
            kept.pop(hit.signal, None)
        for index in waiting:
            kept[index] = self.lines
        oldest = self.lines - self.patterns.relay_lines
        for index in [index for index, line in kept.items() if line <= oldest]:
            del kept[index]

    def _settled(self, terms: Found, names: Found, carried: frozenset[int]) -> bool:
        """True if text with these phrases cannot change anything: every signal its
        terms could raise is saturated, and every provider it names is known.

        This keeps long transcripts linear and cheap: once each category has its
        evidence, its best weight and its repeat bonus, more of the same is skipped
        with the same verdict and the same evidence as reading it.
        """
        saturated = self._saturated
        if not carried <= saturated:
            return False
        if names and (
            self._claimed is None
            or any(_provider_of(self.registry, n[2]).id not in self._mentioned for n in names)
        ):
            return False
        term_signals = self.patterns.term_signals
        return all(term_signals[t[2]] <= saturated for t in terms)

    def _update_saturated(self, categories: set[str]) -> None:
        p = self.patterns
        for category in categories:
            kept = len(self._kept.get(category, ())) >= MAX_SIGNALS_PER_CATEGORY
            seen = self._seen_lines.get(category, 0) >= self._seen_cap
            best = self._best.get(category)
            for index in p.category_signals[category]:
                sig = p.signals[index]
                if index in self._retired or (
                    kept
                    and seen
                    and best is not None
                    and best >= sig.weight
                    and (sig.weight >= 0 or self._undamped.get(category) == sig.undamped_by)
                    and (not sig.asks or sig.asks in self._asks)
                ):
                    self._saturated.add(index)
                elif index in self._saturated:
                    self._saturated.discard(index)
                    self._losses += 1

    def _find_providers(self, norm: str, found: Found) -> bool:
        if not found:
            return False
        names = _provider_matcher(self.registry)[1]
        idents = [(s, e) for s, e, _ in self.patterns.identity.find(norm)]
        for start, end, name in found:
            provider = names[name]
            self._mentioned.setdefault(provider.id, provider)
            if self._claimed is None and any(
                _gap(start, end, s, e) <= self.patterns.identity_window for s, e in idents
            ):
                self._claimed = provider
        return True

    def _record(self, hit: _Hit, line: str, where: list[int] | None) -> None:
        sig = self.patterns.signals[hit.signal]
        if where is None:
            start, end = hit.start, hit.end
        else:
            start, end = _original_span(where, hit.start, hit.end, len(line))
        words = line[start:end]
        category = sig.category
        if sig.asks:
            self._asks.add(sig.asks)
        if self._seen_lines.get(category, 0) < self._seen_cap:
            self._seen_lines[category] = self._seen_lines.get(category, 0) + 1
        self._best[category] = max(self._best.get(category, sig.weight), sig.weight)
        if sig.weight < 0:
            self._undamped[category] = sig.undamped_by
        kept = self._kept.setdefault(category, [])
        # The same words written another way (a look-alike letter, an invisible
        # character) are the same evidence: compared as the patterns read them.
        if len(kept) < MAX_SIGNALS_PER_CATEGORY and not any(
            k.id == sig.id and normalize(k.words) == normalize(words) for k in kept
        ):
            explanation = message(f"signal.{sig.id}", self.lang, words=words.strip())
            kept.append(Signal(sig.id, category, words, self.lines, start, end, sig.weight, explanation))

    # -- scoring --------------------------------------------------------------

    def _extra(self) -> list[Signal]:
        """Signals from the registry and the number check rather than from the words."""
        out: list[Signal] = []
        claimed = self._claimed
        if claimed is not None:
            name = claimed.name(self.lang)
            if claimed.policy.calls_customers == "never":
                out.append(self._meta("provider_never_calls", "provider_policy", 60, provider=name))
            refused = sorted(self._asks & set(claimed.policy.never_asks_for))
            if refused:
                asks = ", ".join(message(f"ask.{a}", self.lang) for a in refused)
                out.append(self._meta("provider_never_asks", "provider_policy", 40, provider=name, asks=asks))
        n = self.number
        if n is not None:
            if n.verdict == "lookalike":
                out.append(self._meta("number_lookalike", "caller_number", 60, number=n.input))
            elif n.verdict == "unknown" and claimed is not None:
                out.append(self._meta("number_not_official", "caller_number", 30, number=n.input))
            elif (
                n.verdict == "official" and claimed is not None and n.provider and n.provider.id != claimed.id
            ):
                out.append(self._meta("number_other_provider", "caller_number", 40, number=n.input))
            elif n.risk == "medium":
                out.append(self._meta("number_suspicious", "caller_number", 20, number=n.input))
            # What the number check says alone is the least the combined verdict says:
            # its first signal weighs at least that risk's line.
            floor = {"high": self.patterns.high, "medium": self.patterns.medium}.get(n.risk or "", 0)
            if out and out[-1].category == "caller_number" and out[-1].weight < floor:
                out[-1] = replace(out[-1], weight=floor)
        return out

    def _meta(self, sid: str, category: str, weight: int, **params: object) -> Signal:
        return Signal(sid, category, "", 0, 0, 0, weight, message(f"signal.{sid}", self.lang, **params))

    @property
    def score(self) -> int:
        if self._score is None:
            self._score = self._compute_score()
        return self._score

    def _compute_score(self) -> int:
        p = self.patterns
        positive = 0
        negative = 0
        halve = False
        categories = set(self._best)
        extras = self._extra()
        categories.update(e.category for e in extras)
        for category, best in self._best.items():
            if best < 0:
                # Negative evidence counts twice when it recurs: a call that warns
                # again and again is a warning call.
                cancel = self._undamped.get(category)
                if not categories & (p.undamped_by if cancel is None else cancel):
                    negative += best * min(self._seen_lines.get(category, 1), 2)
                    halve = halve or category in p.halving
                continue
            repeats = 0 if category in p.no_repeat else self._seen_lines.get(category, 1) - 1
            positive += best + min(repeats * p.repeat_bonus, p.max_repeat_bonus)
        for combo in p.combinations:
            if all(c in categories for c in combo.categories):
                positive += combo.bonus
        if halve:
            # A story about a scam quotes the whole script: its words count half.
            positive //= 2
        # The wording adds to (or takes from) the evidence of the words only; what
        # the registry and the caller's number say stands whatever the wording.
        words = max(positive + negative + self._wording.points, 0)
        return words + sum(e.weight for e in extras)

    @property
    def risk(self) -> Risk:
        score = self.score
        if score >= self.patterns.high:
            return "high"
        return "medium" if score >= self.patterns.medium else "low"

    def signals(self) -> tuple[Signal, ...]:
        """The evidence, meta-signals first, then categories by weight; the wording
        evidence where its weight puts it."""
        order = sorted(self._kept, key=lambda c: -abs(self._best[c]))
        words = [s for c in order for s in self._kept[c]]
        wording = self._wording_signal()
        if wording is not None:
            at = next((i for i, s in enumerate(words) if abs(s.weight) < abs(wording.weight)), len(words))
            words.insert(at, wording)
        return tuple(self._extra()) + tuple(words)

    def _wording_signal(self) -> Signal | None:
        """The wording evidence, citing its strongest phrases as written."""
        points = self._wording.points
        cited = self._wording.cited()
        if abs(points) < WORDING_SHOWN or not cited:
            return None
        places: list[tuple[int, int, int, str]] = []
        for c in cited:
            start, end = c.start, c.end
            if c.norm != c.line.casefold():
                mapped, where = _normalize_mapped(c.line)
                if mapped != c.norm:  # the mapped form is authoritative for spans
                    start, end = locate(c.feature, mapped) or (0, 0)
                start, end = _original_span(where, start, end, len(c.line))
            for i, (n, s, e, line) in enumerate(places):
                if n == c.number and start <= e and s <= end:  # overlapping phrases: cite once
                    places[i] = (n, min(s, start), max(e, end), line)
                    break
            else:
                places.append((c.number, start, end, c.line))
        number, start, end, line = places[0]
        quoted = ", ".join(dict.fromkeys(line[s:e].strip() for _, s, e, line in places))
        sid = "wording_scam" if points > 0 else "wording_honest"
        explanation = message(f"signal.{sid}", self.lang, words=quoted)
        return Signal(sid, "wording", line[start:end], number, start, end, points, explanation)

    def result(self) -> TranscriptCheck:
        """The verdict on everything read so far."""
        risk = self.risk
        claimed = self._claimed
        target = claimed
        if target is None and len(self._mentioned) == 1:
            target = next(iter(self._mentioned.values()))
        advice = _advice(risk, target, self.lang)
        report: tuple[ReportTo, ...] = ()
        if risk == "high":
            report, report_notes = report_advice(self.registry, self.region, self.lang)
            advice.extend(report_notes)
        expired = self.registry.is_expired()
        if expired:
            advice.append(note("advice.update", self.lang))
        callback = tuple(Callback.of(target, n) for n in target.callback_numbers) if target else ()
        return TranscriptCheck(
            risk=risk,
            score=self.score,
            signals=self.signals(),
            advice=tuple(advice),
            provider=ProviderRef.of(claimed, self.lang) if claimed else None,
            mentioned=tuple(ProviderRef.of(p, self.lang) for p in self._mentioned.values()),
            callback=callback,
            number=self.number,
            lines=self.lines,
            registry_serial=self.registry.serial,
            registry_expired=expired,
            lang=self.lang,
            report=report,
        )


def _advice(risk: Risk, provider: Provider | None, lang: str) -> list[Note]:
    if risk == "high":
        first = (
            reach_note("advice.transcript_high_provider", provider, lang)
            if provider
            else note("advice.transcript_high", lang)
        )
    elif risk == "medium":
        first = (
            reach_note("advice.transcript_medium_provider", provider, lang)
            if provider
            else note("advice.transcript_medium", lang)
        )
    else:
        first = note("advice.transcript_low", lang)
    return [first, note("advice.never_share", lang)]
