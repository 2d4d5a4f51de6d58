"""The wording evidence: features of a line, the model file, the windowed tracker,
and how its verdict joins the transcript check (cited, bounded, deterministic)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from callcheck import CallcheckError, Registry, check_transcript, load_registry
from callcheck._patterns import load_patterns
from callcheck._transcript import BLOCK_LINES, WORDING_SHOWN, Signal, TranscriptMonitor, normalize
from callcheck._wording import (
    FORMAT,
    WordingError,
    WordingModel,
    WordingTracker,
    features,
    load_model,
    locate,
    parse_model,
)
from tests.scripts import accuracy_script

SCAM_OPENER = "您好，您的账户涉嫌违规，将被冻结。"
HONEST_OPENER = "hello, this is your dentist office confirming your appointment tomorrow at nine"


# -- helpers ------------------------------------------------------------------


def _model(
    weights: dict[str, int],
    *,
    bias: int = 0,
    scale: float = 10.0,
    up: int = 40,
    down: int = 40,
    window: int = 6,
    hop: int = 3,
) -> WordingModel:
    """A hand-made model; weights in thousandths (10 points per 1000 at scale 10)."""
    return WordingModel(
        weights, bias=bias, scale=scale, up=up, down=down, window=window, hop=hop, source="test"
    )


# Nonsense words no scam pattern knows, so the score is the wording evidence alone.
TOY = _model({"alpha": 1500, "beta": 1000, "alpha beta": 500, "gamma": -9000, "delta": 900})


def _wording(monitor: TranscriptMonitor) -> Signal | None:
    found = [s for s in monitor.signals() if s.category == "wording"]
    assert len(found) <= 1
    return found[0] if found else None


def _feed_all(registry: Registry, text: str, model: WordingModel | None = None) -> TranscriptMonitor:
    monitor = TranscriptMonitor(registry, wording=model)
    for line in text.splitlines():
        monitor.feed(line)
    return monitor


def _read_all(registry: Registry, text: str, model: WordingModel | None = None) -> TranscriptMonitor:
    monitor = TranscriptMonitor(registry, wording=model)
    monitor.read(text)
    return monitor


def _tracker_points(model: WordingModel, text: str) -> int:
    tracker = WordingTracker(model)
    for number, line in enumerate(text.splitlines(), 1):
        tracker.add(number, line, normalize(line))
    return tracker.points


def _words(count: int) -> list[str]:
    """``count`` distinct lowercase words, each read as one English feature."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [f"hon{letters[i // 26]}{letters[i % 26]}" for i in range(count)]


# -- features -----------------------------------------------------------------


def test_chinese_features_are_pairs_and_triples() -> None:
    assert features("安全账户") == {"安全", "全账", "账户", "安全账", "全账户"}


def test_a_single_chinese_character_gives_no_feature() -> None:
    assert features("您") == set()
    assert not any(len(f) == 1 for f in features("您的安全账户"))


def test_english_features_are_words_and_adjacent_pairs() -> None:
    assert features("read me the code") == {
        "read",
        "me",
        "the",
        "code",
        "read me",
        "me the",
        "the code",
    }


def test_apostrophes_stay_inside_english_words() -> None:
    assert features("don't go") == {"don't", "go", "don't go"}


def test_digit_runs_count_by_length_only() -> None:
    assert features("123456") == {"<6 digits>"}
    assert features("7") == {"<1 digits>"}
    assert features("1" * 20) == {"<12 digits>"}
    assert features("call 4008 now") == {"call", "<4 digits>", "now"}


def test_punctuation_does_not_break_english_pairs() -> None:
    norm = normalize("hello, world. again!")
    assert features(norm) == {"hello", "world", "again", "hello world", "world again"}


def test_chinese_and_digits_break_english_pairs() -> None:
    assert features("read 安全 me") == {"read", "me", "安全"}
    assert features("read 12 me") == {"read", "me", "<2 digits>"}
    assert "read me" not in features("read安全me")


def test_features_are_read_from_the_normalised_line() -> None:
    assert features(normalize("ＲＥＡＤ　ＭＥ")) == {"read", "me", "read me"}
    assert features(normalize("您 的 账 户")) == features("您的账户")


# -- locate -------------------------------------------------------------------


def test_locate_finds_chinese_by_substring() -> None:
    assert locate("账户", "您的账户") == (2, 4)
    assert locate("冻结", "您的账户") is None


def test_locate_finds_english_pairs_across_punctuation() -> None:
    norm = "my phone. can you"
    span = locate("phone can", norm)
    assert span == (3, 13)
    assert norm[span[0] : span[1]] == "phone. can"


def test_locate_respects_word_boundaries() -> None:
    assert locate("code", "the codex") is None
    assert locate("code", "codex code") == (6, 10)
    assert locate("one", "phone one") == (6, 9)
    assert locate("read me", "read 12 me") is None  # digits break a pair, as in features()


def test_locate_does_not_place_digit_runs() -> None:
    assert locate("<6 digits>", "123456") is None


# -- the model file ------------------------------------------------------------

VALID = (
    "# a comment\n"
    "@format\t1\n"
    "@bias\t-1.001\n"
    "@scale\t10.0\n"
    "@up\t35\n"
    "@down\t40\n"
    "@window\t6\n"
    "@hop\t3\n"
    "安全\t1.001\n"
    "read me\t-1.25\n"
)


def test_parse_model_reads_settings_and_weights_in_thousandths() -> None:
    model = parse_model(VALID, "toy.tsv")
    assert model.weights == {"安全": 1001, "read me": -1250}  # rounded, not truncated
    assert model.bias == -1001
    assert model.scale == 10.0
    assert (model.up, model.down, model.window, model.hop) == (35, 40, 6, 3)
    assert model.source == "toy.tsv"


def test_model_points_scale_round_and_bound() -> None:
    model = _model({}, scale=10.0, up=35, down=40)
    assert model.points(1000) == 10
    assert model.points(1260) == 13
    assert model.points(-2040) == -20
    assert model.points(3400) == 34
    assert model.points(10_000) == 35
    assert model.points(-3900) == -39
    assert model.points(-10_000) == -40


@pytest.mark.parametrize(
    ("line", "bad", "message"),
    [
        (2, "@format\t2", "format 2"),
        (3, "@colour\tred", "unknown setting 'colour'"),
        (9, "安全\tlots", ""),
        (10, "no tab here", "expected a name"),
        (9, "\t0.5", "expected a name"),
        (5, "@up\tforty", ""),
    ],
)
def test_parse_model_errors_name_the_line(line: int, bad: str, message: str) -> None:
    lines = VALID.split("\n")
    lines[line - 1] = bad
    with pytest.raises(WordingError, match=rf"^toy\.tsv:{line}: .*{message}"):
        parse_model("\n".join(lines), "toy.tsv")


def test_parse_model_names_missing_settings() -> None:
    text = "\n".join(line for line in VALID.split("\n") if not line.startswith(("@up", "@hop")))
    with pytest.raises(WordingError, match="missing settings: hop, up"):
        parse_model(text, "toy.tsv")


@pytest.mark.parametrize(("window", "hop"), [(3, 4), (6, 0)])
def test_parse_model_refuses_a_hop_outside_the_window(window: int, hop: int) -> None:
    text = VALID.replace("@window\t6", f"@window\t{window}").replace("@hop\t3", f"@hop\t{hop}")
    with pytest.raises(WordingError, match="hop <= window"):
        parse_model(text)


def test_wording_error_is_a_callcheck_error() -> None:
    assert issubclass(WordingError, CallcheckError)


def test_load_model_reports_a_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(WordingError, match=r"nothing\.tsv"):
        load_model(tmp_path / "nothing.tsv")
    garbled = tmp_path / "garbled.tsv"
    garbled.write_bytes(b"@format\t1\n\xff\xfe\t0.5\n")
    with pytest.raises(WordingError, match=r"garbled\.tsv"):
        load_model(garbled)


def test_the_shipped_model_loads() -> None:
    model = load_model()
    assert model.weights
    assert all(isinstance(w, int) for w in model.weights.values())
    assert 0 < model.hop <= model.window
    assert model.up > 0 and model.down > 0


def test_the_shipped_wording_alone_never_flags_a_call() -> None:
    assert load_model().up < load_patterns().medium


# -- the tracker ---------------------------------------------------------------


def test_a_call_shorter_than_hop_is_one_window(registry: Registry) -> None:
    text = "alpha beta\ndelta"
    assert len(text.splitlines()) < TOY.hop
    expected = TOY.points(TOY.logit(text))
    assert expected == 39  # 1500 + 1000 + 500 + 900
    monitor = _read_all(registry, text, TOY)
    signal = _wording(monitor)
    assert signal is not None
    assert signal.weight == expected
    assert monitor.score == expected


def test_a_feature_repeated_across_lines_counts_once(registry: Registry) -> None:
    once = _read_all(registry, "alpha", TOY)
    twice = _read_all(registry, "alpha\nalpha", TOY)
    assert once.score == twice.score == 15
    assert _tracker_points(TOY, "delta\ndelta alpha\nalpha delta") == 24


def test_the_bounds_clamp_both_ways(registry: Registry) -> None:
    model = _model({"alpha": 3000, "beta": 3000, "gamma": -9000}, up=35, down=40)
    scam = _read_all(registry, "alpha\nbeta", model)
    honest = _read_all(registry, "gamma", model)
    scam_signal, honest_signal = _wording(scam), _wording(honest)
    assert scam_signal is not None and honest_signal is not None
    assert (scam_signal.id, scam_signal.weight) == ("wording_scam", 35)
    assert (honest_signal.id, honest_signal.weight) == ("wording_honest", -40)
    assert scam.score == 35
    assert scam.risk == "low"
    assert honest.score == 0  # the evidence of the words never goes below zero


def test_a_scam_passage_late_in_a_long_honest_call_still_counts(registry: Registry) -> None:
    honest = _words(100)
    model = _model({**dict.fromkeys(honest, -100), "alpha": 1500, "beta": 1000, "alpha beta": 500})
    text = "\n".join(honest + ["alpha beta"] * 6)
    assert model.points(model.logit(text)) == -40  # read as one window the call is honest
    monitor = _feed_all(registry, text, model)
    signal = _wording(monitor)
    assert signal is not None
    assert signal.id == "wording_scam"
    assert signal.weight == model.points(model.logit("alpha beta")) == 30
    assert 100 < signal.line <= 106
    assert signal.words == "alpha beta"


def test_lines_further_apart_than_a_window_do_not_add_up() -> None:
    model = _model({"alpha": 1500, "beta": 1000}, window=4, hop=2)
    text = "\n".join(["alpha", *["filler"] * 8, "beta"])
    assert model.points(model.logit(text)) == 25
    assert _tracker_points(model, text) == 15


def test_a_finished_window_at_the_upper_bound_saturates() -> None:
    model = _model({"alpha": 3000, "beta": 2000, "gamma": -9000}, up=30, down=40, window=4, hop=2)
    tracker = WordingTracker(model)
    assert tracker.add(1, "alpha beta", "alpha beta") is True
    assert tracker.points == 30
    assert not tracker.saturated  # its window is still open
    for number in (2, 3):
        assert tracker.add(number, "", "") is False
        assert not tracker.saturated
    tracker.add(4, "", "")
    assert tracker.saturated
    assert tracker.add(5, "gamma", "gamma") is False
    assert tracker.add(6, "gamma", "gamma") is False
    assert tracker.points == 30


def test_an_open_window_at_the_upper_bound_does_not_saturate() -> None:
    # Its later lines may still weigh it down, so the rest of the call must be read.
    model = _model({"alpha": 3000, "beta": 2000, "gamma": -9000, "delta": 900}, up=30, window=4, hop=2)
    tracker = WordingTracker(model)
    for number, line in enumerate(["delta", "", "", "", "alpha beta"], 1):
        tracker.add(number, line, line)
    assert tracker.points == 30
    assert not tracker.saturated
    assert tracker.add(6, "gamma", "gamma") is True
    assert tracker.points == 9  # back to the best finished window: "delta"


def test_honest_evidence_at_the_lower_bound_does_not_saturate() -> None:
    model = _model({"alpha": 3000, "beta": 2000, "gamma": -9000}, up=30, down=40, window=4, hop=2)
    tracker = WordingTracker(model)
    for number in range(1, 9):
        tracker.add(number, "gamma", "gamma")
    assert tracker.points == -40
    assert not tracker.saturated
    assert tracker.add(9, "alpha beta", "alpha beta") is True
    assert tracker.points == 30


def test_light_wording_counts_but_is_not_listed(registry: Registry) -> None:
    below = _model({"delta": (WORDING_SHOWN - 1) * 100})
    at = _model({"delta": WORDING_SHOWN * 100})
    quiet = _read_all(registry, "delta", below)
    shown = _read_all(registry, "delta", at)
    assert quiet.score == WORDING_SHOWN - 1
    assert _wording(quiet) is None
    assert shown.score == WORDING_SHOWN
    signal = _wording(shown)
    assert signal is not None
    assert signal.weight == WORDING_SHOWN


# -- read() and feed() agree ------------------------------------------------------

_LONG = "\n".join(
    [
        *(f"thanks for calling, your order {n} ships on monday" for n in range(BLOCK_LINES + 10)),
        # longer than a window, so one window holds nothing else
        *["您好，您的账户涉嫌洗钱，请把钱转到安全账户"] * 45,
        *["ok see you then"] * 40,
    ]
)

TEXTS = {
    "spaced": "您 好 您 的 账 户 涉 嫌 洗 钱\n请 您 配 合 调 查",
    "full_width": "ＹＯＵＲ ＡＣＣＯＵＮＴ ＷＩＬＬ ＢＥ ＦＲＯＺＥＮ\n您的账户将被冻结，请提供验证码。",
    "scam": SCAM_OPENER + "\n请提供您的银行卡号和验证码。",
    "honest": HONEST_OPENER + "\nplease call us back if you need to reschedule",
    "long": _LONG,
}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_read_and_feed_give_the_same_wording_verdict(registry: Registry, name: str) -> None:
    text = TEXTS[name]
    read = _read_all(registry, text)
    fed = _feed_all(registry, text)
    assert read.score == fed.score
    assert read.risk == fed.risk
    a, b = _wording(read), _wording(fed)
    assert a is not None and b is not None, "each text is meant to carry shown wording evidence"
    assert a == b  # id, words, line, start, end, weight and explanation


def test_the_long_text_spans_several_read_blocks() -> None:
    assert len(_LONG.splitlines()) > BLOCK_LINES


def test_the_long_text_cites_the_late_scam_passage(registry: Registry) -> None:
    signal = _wording(_read_all(registry, _LONG))
    assert signal is not None
    assert signal.id == "wording_scam"
    assert signal.line > BLOCK_LINES


# -- citations -----------------------------------------------------------------


CITED_TEXTS = [
    SCAM_OPENER,
    HONEST_OPENER,
    "您 好 您 的 账 户 涉 嫌 洗 钱",
    "ＹＯＵＲ ＡＣＣＯＵＮＴ ＨＡＳ ＢＥＥＮ ＳＵＳＰＥＮＤＥＤ， "
    "ＶＥＲＩＦＹ ＹＯＵＲ ＩＤＥＮＴＩＴＹ ＮＯＷ ＯＲ ＩＴ ＷＩＬＬ ＢＥ ＦＲＯＺＥＮ",
    "Ｈｅｌｌｏ，ｔｈｉｓ ｉｓ ｙｏｕｒ ｄｅｎｔｉｓｔ ｏｆｆｉｃｅ "
    "ｃｏｎｆｉｒｍｉｎｇ ｙｏｕｒ ａｐｐｏｉｎｔｍｅｎｔ",
    "  Hello?  This is the bank.\n\n您好，我是客服，您的快递丢失了，我们给您理赔。",
    "my phone. can you read me the code we just sent",
]


@pytest.mark.parametrize("text", CITED_TEXTS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_wording_signals_cite_the_text_as_written(text: str, lang: str) -> None:
    result = check_transcript(text, lang=lang)
    wording = [s for s in result.signals if s.category == "wording"]
    assert len(wording) == 1, "each text is meant to carry shown wording evidence"
    for signal in wording:
        assert signal.id in ("wording_scam", "wording_honest")
        assert signal.words
        assert text.splitlines()[signal.line - 1][signal.start : signal.end] == signal.words
        assert signal.words.strip() in signal.explanation
        assert abs(signal.weight) >= WORDING_SHOWN
        assert (signal.weight > 0) == (signal.id == "wording_scam")


def test_a_scam_opener_reads_as_scam_wording() -> None:
    result = check_transcript(SCAM_OPENER)
    signal = next(s for s in result.signals if s.category == "wording")
    assert signal.id == "wording_scam"
    assert signal.weight > 0
    assert signal.line == 1


def test_an_honest_opener_reads_as_honest_wording() -> None:
    result = check_transcript(HONEST_OPENER)
    signal = next(s for s in result.signals if s.category == "wording")
    assert signal.id == "wording_honest"
    assert signal.weight < 0
    assert result.risk == "low"


@pytest.mark.parametrize("text", [SCAM_OPENER, HONEST_OPENER])
def test_explanations_exist_in_english_and_chinese(text: str) -> None:
    en = next(s for s in check_transcript(text, lang="en").signals if s.category == "wording")
    zh = next(s for s in check_transcript(text, lang="zh").signals if s.category == "wording")
    assert en.explanation and zh.explanation
    assert en.explanation != zh.explanation
    assert (en.id, en.words, en.weight) == (zh.id, zh.words, zh.weight)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh.explanation.replace(zh.words, ""))


# -- the registry's evidence stands ------------------------------------------------


def _never_calls(registry: Registry) -> str:
    never = [p for p in registry.providers if p.policy.calls_customers == "never"]
    assert never, "the shipped registry has providers that never call"
    return never[0].id


def test_honest_wording_does_not_cancel_the_provider_policy(registry: Registry) -> None:
    text = HONEST_OPENER + "\nplease call us back if you need to reschedule, thank you"
    result = check_transcript(text, claims=_never_calls(registry), registry=registry)
    ids = [s.id for s in result.signals]
    assert "provider_never_calls" in ids
    assert "wording_honest" in ids
    assert result.score >= 60


def test_wording_only_moves_the_evidence_of_the_words(registry: Registry) -> None:
    provider = registry.get(_never_calls(registry))
    assert provider is not None
    monitor = TranscriptMonitor(registry, claims=provider, wording=TOY)
    monitor.read("gamma")
    signal = _wording(monitor)
    assert signal is not None and signal.weight == -40
    assert monitor.score == 60


# -- determinism -----------------------------------------------------------------

_SHIPPED_PROBE = """
import json, sys
from callcheck import check_transcript
result = check_transcript(sys.stdin.read())
print(json.dumps([result.score, [s.to_dict() for s in result.signals if s.category == "wording"]]))
"""

# Equal weights: which phrases are cited must not depend on the order of a set.
_TIED_PROBE = """
import json, sys
from callcheck import load_registry
from callcheck._transcript import TranscriptMonitor
from callcheck._wording import WordingModel
words = ("alpha", "beta", "delta", "epsilon", "kappa", "omega", "sigma")
model = WordingModel(dict.fromkeys(words, 800), bias=0, scale=10.0, up=40, down=40, window=6, hop=3)
monitor = TranscriptMonitor(load_registry(), wording=model)
monitor.read(sys.stdin.read())
print(json.dumps([monitor.score, [s.to_dict() for s in monitor.signals() if s.category == "wording"]]))
"""

_MIXED = "\n".join(
    [
        SCAM_OPENER,
        "我们是公安局的，请把钱转到安全账户，这个卡上的钱要交一下",
        "you need to read me the code, your sim will be blocked",
        HONEST_OPENER,
    ]
)


def _run_probe(probe: str, text: str, **env: str) -> str:
    """What ``probe`` prints, run in a fresh interpreter with ``text`` on stdin."""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **env},
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize(
    ("probe", "text"),
    [(_SHIPPED_PROBE, _MIXED), (_TIED_PROBE, "sigma, kappa; omega. epsilon delta - beta alpha")],
    ids=["shipped", "tied"],
)
def test_the_wording_verdict_does_not_depend_on_the_hash_seed(probe: str, text: str) -> None:
    seeds = ("0", "1", "2", "3", "12345", "987654")
    outputs = {_run_probe(probe, text, PYTHONHASHSEED=seed) for seed in seeds}
    assert len(outputs) == 1, outputs
    score, wording = json.loads(outputs.pop())
    assert score > 0
    assert len(wording) == 1 and wording[0]["words"]


def test_the_shipped_probe_agrees_with_this_process() -> None:
    score, wording = json.loads(_run_probe(_SHIPPED_PROBE, _MIXED))
    result = check_transcript(_MIXED)
    assert score == result.score
    assert wording == [s.to_dict() for s in result.signals if s.category == "wording"]


# -- train.py ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def train() -> ModuleType:
    """benchmarks/accuracy/train.py."""
    return accuracy_script("train")


ROWS: list[tuple[set[str], int]] = [
    ({"common", "scammy"}, 1),
    ({"common", "kind"}, 0),
    ({"scammy"}, 1),
    ({"kind"}, 0),
    ({"common"}, 1),
    ({"common"}, 0),
]


def test_fit_is_deterministic(train: ModuleType) -> None:
    first = train.fit([(set(f), label) for f, label in ROWS])
    second = train.fit([(set(f), label) for f, label in ROWS])
    assert first == second


def test_bagged_fit_is_the_average_of_fits_in_different_orders(train: ModuleType) -> None:
    fits = [train.fit(ROWS, seed=train.SEED + k) for k in range(3)]
    assert fits[0] != fits[1], "the orders must differ for the average to mean anything"
    weights, bias = train.fit_bagged(ROWS, bag=3)
    assert weights["scammy"] == pytest.approx(sum(w["scammy"] for w, _ in fits) / 3)
    assert bias == pytest.approx(sum(b for _, b in fits) / 3)
    assert train.fit_bagged(ROWS, bag=3) == (weights, bias)


def test_fit_weighs_features_by_their_labels(train: ModuleType) -> None:
    weights, _bias = train.fit(ROWS)
    assert weights["scammy"] > 0
    assert weights["kind"] < 0
    assert abs(weights["common"]) < weights["scammy"]


def test_a_rendered_model_parses_back(train: ModuleType) -> None:
    text = train.render({"scammy": 1.2344, "kind": -0.75, "faint": 0.05}, 0.1234, "0" * 64, 6)
    model = parse_model(text)
    assert model.weights == {"scammy": 1234, "kind": -750}  # rounded to thousandths, faint pruned
    assert model.bias == 123
    assert (model.scale, model.up, model.down, model.window, model.hop) == (
        train.SETTINGS["scale"],
        train.SETTINGS["up"],
        train.SETTINGS["down"],
        train.SETTINGS["window"],
        train.SETTINGS["hop"],
    )
    assert train.stored_digest(text) == "0" * 64
    assert f"@format\t{FORMAT}" in text.splitlines()


def test_the_shipped_model_uses_the_training_settings(train: ModuleType) -> None:
    model = load_model()
    assert model.scale == train.SETTINGS["scale"]
    assert (model.up, model.down, model.window, model.hop) == (
        train.SETTINGS["up"],
        train.SETTINGS["down"],
        train.SETTINGS["window"],
        train.SETTINGS["hop"],
    )


def test_check_fails_for_a_model_trained_on_another_corpus(train: ModuleType, tmp_path: Path) -> None:
    digest = train.corpus_digest()
    current = tmp_path / "current.tsv"
    current.write_text(train.render({"scammy": 1.0}, 0.0, digest, 1), "utf-8")
    stale = tmp_path / "stale.tsv"
    wrong = ("0" if digest[0] != "0" else "1") + digest[1:]
    stale.write_text(train.render({"scammy": 1.0}, 0.0, wrong, 1), "utf-8")
    assert train.main(["--check", "-o", str(current)]) == 0
    assert train.main(["--check", "-o", str(stale)]) == 1
    assert train.main(["--check", "-o", str(tmp_path / "missing.tsv")]) == 1


# -- fixed after review --------------------------------------------------------


def test_digit_run_features_survive_the_model_file() -> None:
    # A feature file line for a digit run must not read as a comment.
    model = parse_model(
        "@format\t1\n@bias\t0\n@scale\t10\n@up\t35\n@down\t40\n@window\t40\n@hop\t20\n<6 digits>\t0.5\n"
    )
    assert model.weights == {"<6 digits>": 500}
    assert any(f.endswith("digits>") for f in load_model().weights)


def test_quoted_words_are_cited_where_they_count() -> None:
    model = _model({"programme": 2000, "rebate": 2000})
    for text in ("the ‘programme’ and the ‘rebate’", "the 'programme' and the 'rebate'"):
        monitor = TranscriptMonitor(load_registry(), wording=model)
        monitor.read(text)
        signal = _wording(monitor)
        assert signal is not None, text
        assert signal.words in ("programme", "rebate")
        assert text[signal.start : signal.end] == signal.words


@pytest.mark.parametrize(
    ("setting", "value"),
    [("bias", "inf"), ("bias", "1e400"), ("scale", "nan"), ("scale", "-1"), ("up", "-5"), ("down", "-1")],
)
def test_unusable_settings_are_refused(setting: str, value: str) -> None:
    settings = {"bias": "0", "scale": "10", "up": "35", "down": "40", "window": "40", "hop": "20"}
    settings[setting] = value
    text = "@format\t1\n" + "".join(f"@{k}\t{v}\n" for k, v in settings.items())
    with pytest.raises(WordingError, match=f"@{setting}: "):
        parse_model(text)


def test_unusable_weight_is_refused_with_its_line() -> None:
    with pytest.raises(WordingError, match=":9:"):
        parse_model(
            "@format\t1\n@bias\t0\n@scale\t10\n@up\t35\n@down\t40\n@window\t40\n@hop\t20\nok\t1\nbad\tinf\n"
        )
