"""Wording evidence: how much a call's words resemble the labelled scam calls.

The hand-written patterns (``data/patterns.toml``) recognise the steps of a scam
script. This module adds a second, broader kind of evidence: a linear model over the
words of the call (Chinese character pairs and triples, English words and word
pairs), trained by ``benchmarks/accuracy/train.py`` on the development corpora and
shipped as reviewable data in ``data/wording.tsv``. Each feature present counts once;
the call's logit is the model's bias plus the weights of its features. Weights are
held as integers in thousandths, so the sum is exact whatever order it is taken in.

Its verdict stays explainable: the evidence cites the phrases that weigh most, with
their places in the text. It is bounded: at most ``up`` points towards scam, kept
below the line where a call is flagged, so the wording alone never flags a call (it
corroborates what the patterns find), and at most ``down`` points towards honest.

Long calls are read in windows of ``window`` lines that start every ``hop`` lines;
the evidence is that of the most scam-like window. A call shorter than ``hop``
lines is one window, the whole call. Once a finished window reaches ``up``,
nothing later can raise the evidence, and the rest is not read.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from operator import add
from pathlib import Path

from ._errors import CallcheckError, Message, Text, os_reason

WORDING_PATH = Path(__file__).parent / "data" / "wording.tsv"
FORMAT = 1
CITED = 3  # phrases cited per direction
WIDEST = 12  # characters a cited Chinese phrase may grow to

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z]+(?:'[a-z]+)?|[0-9]+")
_DIGITS = tuple(f"<{n} digits>" for n in range(13))  # digit runs count by length only


class WordingError(CallcheckError):
    """The wording model file is malformed."""


def features(norm: str) -> set[str]:
    """The model's features of one normalised line (see ``_transcript.normalize``).

    Chinese: every pair and triple of adjacent characters. English: every word and
    every pair of adjacent words. Digits: the length of each run.
    """
    out: set[str] = set()
    previous = ""
    for token in _TOKEN.findall(norm):
        first = token[0]
        if first >= "\u3400":
            out.update(map(add, token, token[1:]))
            out.update(map("".join, zip(token, token[1:], token[2:], strict=False)))
            previous = ""
        elif first <= "9":
            out.add(_DIGITS[min(len(token), 12)])
            previous = ""
        else:
            out.add(token)
            if previous:
                out.add(f"{previous} {token}")
            previous = token
    return out


def call_features(text: str) -> set[str]:
    """The features of a whole text, read as one window: the rows the model is trained on."""
    from ._transcript import normalize  # _transcript imports this module

    seen: set[str] = set()
    for line in text.splitlines():
        seen |= features(normalize(line))
    return seen


def locate(feature: str, norm: str) -> tuple[int, int] | None:
    """Where ``feature`` first occurs in the normalised line, or None (digit runs).

    Words are found token by token, as :func:`features` reads them."""
    if feature.startswith("<"):
        return None
    if feature[0] >= "\u3400":
        start = norm.find(feature)
        return (start, start + len(feature)) if start >= 0 else None
    first, _, second = feature.partition(" ")
    previous: re.Match[str] | None = None
    for token in _TOKEN.finditer(norm):
        word = token.group()
        if word[0] >= "\u3400" or word[0] <= "9":
            previous = None
            continue
        if not second and word == first:
            return token.span()
        if second and word == second and previous is not None and previous.group() == first:
            return previous.start(), token.end()
        previous = token
    return None


class WordingModel:
    """The shipped model: weights per feature and how they turn into points."""

    __slots__ = ("bias", "down", "hop", "scale", "source", "up", "weights", "window")

    def __init__(
        self,
        weights: dict[str, int],
        *,
        bias: int,
        scale: float,
        up: int,
        down: int,
        window: int,
        hop: int,
        source: str = "",
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.scale = scale
        self.up = up
        self.down = down
        self.window = window
        self.hop = hop
        self.source = source

    def points(self, logit: int) -> int:
        """Score points for a logit (in thousandths): scaled, rounded and bounded."""
        return max(-self.down, min(self.up, round(self.scale * logit / 1000)))

    def logit(self, text: str) -> int:
        """The logit of a whole text read as one window (for tools and tests)."""
        weights = self.weights
        return self.bias + sum(weights.get(f, 0) for f in call_features(text))


def _thousandths(value: str) -> int:
    number = float(value)
    if not math.isfinite(number) or abs(number) > 1e6:
        raise WordingError("wording.bad_number", value=value)
    return round(number * 1000)


def _scale(value: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise WordingError("wording.bad_scale", value=value)
    return number


def _bound(value: str) -> int:
    number = int(value)
    if number < 0:
        raise WordingError("wording.negative", value=value)
    return number


_SETTINGS: dict[str, Callable[[str], float]] = {
    "bias": _thousandths,
    "scale": _scale,
    "up": _bound,
    "down": _bound,
    "window": int,
    "hop": int,
}


def _problem(exc: ValueError | WordingError) -> Message:
    """What is wrong with a value: our own error, or Python's words for one it cannot read."""
    return exc if isinstance(exc, WordingError) else Text("wording.unreadable", detail=str(exc))


def parse_model(text: str, source: str = "<wording>") -> WordingModel:
    """Read the model file: ``#`` comments, ``name<TAB>value`` settings and then
    ``feature<TAB>weight`` lines."""
    settings: dict[str, float | int] = {}
    weights: dict[str, int] = {}
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw or raw.startswith("#"):
            continue
        key, sep, value = raw.rpartition("\t")
        try:
            if not sep or not key:
                raise WordingError("wording.no_tab")
            if key.startswith("@"):
                name = key[1:]
                if name == "format":
                    if int(value) != FORMAT:
                        raise WordingError("wording.bad_format", found=value, expected=FORMAT)
                    continue
                if name not in _SETTINGS:
                    raise WordingError("wording.unknown_setting", name=name)
                try:
                    settings[name] = _SETTINGS[name](value)
                except (ValueError, WordingError) as exc:
                    raise WordingError("wording.at_setting", name=name, problem=_problem(exc)) from None
            else:
                weights[key] = _thousandths(value)
        except (ValueError, WordingError) as exc:
            raise WordingError("wording.at_line", source=source, line=number, problem=_problem(exc)) from None
    missing = sorted(set(_SETTINGS) - set(settings))
    if missing:
        raise WordingError("wording.missing_settings", source=source, names=", ".join(missing))
    window, hop = int(settings["window"]), int(settings["hop"])
    if not 0 < hop <= window:
        raise WordingError("wording.bad_hop", source=source)
    return WordingModel(
        weights,
        bias=int(settings["bias"]),
        scale=float(settings["scale"]),
        up=int(settings["up"]),
        down=int(settings["down"]),
        window=window,
        hop=hop,
        source=source,
    )


@functools.cache
def load_model(path: Path = WORDING_PATH) -> WordingModel:
    """The shipped model, loaded once per process."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise WordingError("file.not_utf8", path=str(path)) from None
    except OSError as exc:
        raise WordingError("file.cannot_read", path=str(path), reason=os_reason(exc)) from None
    return parse_model(text, str(path))


def widen(norm: str, start: int, end: int, weights: dict[str, int], sign: int) -> tuple[int, int]:
    """Grow a cited run of Chinese characters while the character triples that
    extend it weigh the same way, so "您的账" is cited as "您的账户涉嫌违规"."""

    def leans(triple: str) -> bool:
        return triple[-1] >= "\u3400" and triple[0] >= "\u3400" and weights.get(triple, 0) * sign > 0

    limit = WIDEST - (end - start)
    while limit > 0 and end < len(norm) and leans(norm[end - 2 : end + 1]):
        end += 1
        limit -= 1
    while limit > 0 and start > 0 and leans(norm[start - 1 : start + 2]):
        start -= 1
        limit -= 1
    return start, end


class Cited:
    """A phrase the evidence cites: its feature, weight and place (normalised line)."""

    __slots__ = ("end", "feature", "line", "norm", "number", "start", "weight")

    def __init__(
        self, feature: str, weight: int, number: int, line: str, norm: str, start: int, end: int
    ) -> None:
        self.feature = feature
        self.weight = weight
        self.number = number  # 1-based line number
        self.line = line  # the original line, to cite it as written
        self.norm = norm
        self.start = start  # offsets in the normalised line
        self.end = end


# (weight, feature, line number, line, normalised line): where a feature was first seen
_Seen = tuple[int, str, int, str, str]


class _Window:
    __slots__ = ("last", "logit", "negative", "positive", "seen")

    def __init__(self, bias: int, last: int) -> None:
        self.logit = bias
        self.last = last  # number of its last line
        self.seen: set[str] = set()
        self.positive: list[_Seen] = []  # the heaviest features, heaviest first, at most CITED
        self.negative: list[_Seen] = []

    def add(self, found: dict[str, int], number: int, line: str, norm: str) -> None:
        new = found.keys() - self.seen
        if not new:
            return
        self.seen |= new
        weights = [found[f] for f in new]
        self.logit += sum(weights)
        for feature, weight in zip(new, weights, strict=True):
            cited = self.positive if weight > 0 else self.negative
            if len(cited) < CITED or (-abs(weight), feature) < (-abs(cited[-1][0]), cited[-1][1]):
                cited.append((weight, feature, number, line, norm))
                cited.sort(key=lambda c: (-abs(c[0]), c[1]))
                del cited[CITED:]

    def cited(self, positive: bool, weights: dict[str, int]) -> list[Cited]:
        out = []
        for weight, feature, number, line, norm in self.positive if positive else self.negative:
            span = locate(feature, norm)
            if span is None:
                continue
            if feature[0] >= "\u3400":
                span = widen(norm, *span, weights, 1 if weight > 0 else -1)
            out.append(Cited(feature, weight, number, line, norm, *span))
        return out


class WordingTracker:
    """The wording evidence of a call read line by line, in bounded memory."""

    __slots__ = ("_active", "_best", "model", "points", "saturated")

    def __init__(self, model: WordingModel) -> None:
        self.model = model
        self._active: list[_Window] = []
        self._best: _Window | None = None  # the most scam-like finished window
        self.points = 0
        self.saturated = False  # the evidence is at its most and cannot change

    def add(self, number: int, line: str, norm: str) -> bool:
        """Read line ``number`` (1-based); True if the evidence changed."""
        if self.saturated:
            return False
        model = self.model
        if (number - 1) % model.hop == 0:
            self._active.append(_Window(model.bias, number + model.window - 1))
        if norm:
            weights = model.weights
            present = features(norm) & weights.keys()
            if present:
                found = {f: weights[f] for f in present}
                for window in self._active:
                    window.add(found, number, line, norm)
        while self._active and self._active[0].last <= number:
            done = self._active.pop(0)
            if done.seen and (self._best is None or done.logit > self._best.logit):
                self._best = done
        before = self.points
        self.points = self._points()
        if self._best is not None and model.points(self._best.logit) >= model.up:
            self.saturated = True
            self._active.clear()
        return self.points != before

    def _strongest(self) -> _Window | None:
        windows = [w for w in self._active if w.seen]
        if self._best is not None:
            windows.append(self._best)
        return max(windows, key=lambda w: w.logit, default=None)

    def _points(self) -> int:
        window = self._strongest()
        return 0 if window is None else self.model.points(window.logit)

    def cited(self) -> list[Cited]:
        """The phrases behind the evidence, strongest first, in its direction."""
        window = self._strongest()
        if window is None or self.points == 0:
            return []
        return window.cited(self.points > 0, self.model.weights)
