"""Behaviour of the transcript check: risk levels, cited evidence, providers,
numbers, streaming and bounded memory.

Scores are compared with each other, never with fixed numbers: the pattern
weights are tuned as data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callcheck import (
    InvalidNumber,
    Registry,
    Signal,
    TranscriptCheck,
    UnknownProvider,
    check_transcript,
    monitor_call,
)
from callcheck._transcript import MAX_SIGNALS_PER_CATEGORY, normalize

SEEDS = Path("/work/shared/seeds")

CREDENTIAL_SIGNALS = {
    "verification_code_request",
    "password_request",
    "pin_request",
    "card_request",
    "recovery_phrase_request",
}


def ids(result: TranscriptCheck) -> set[str]:
    return {s.id for s in result.signals}


def assert_cites_original(text: str, signal: Signal) -> None:
    """The signal's line and span point at its words in the text as given."""
    lines = text.splitlines()
    assert 1 <= signal.line <= len(lines), signal
    line = lines[signal.line - 1]
    assert 0 <= signal.start < signal.end <= len(line), signal
    assert line[signal.start : signal.end] == signal.words, signal


def assert_all_cited(text: str, result: TranscriptCheck) -> None:
    for signal in result.signals:
        if signal.line:  # meta-signals (provider policy, caller number) cite no words
            assert_cites_original(text, signal)
        else:
            assert signal.words == ""


def only(result: TranscriptCheck, sid: str) -> Signal:
    found = [s for s in result.signals if s.id == sid]
    assert found, f"{sid} not in {sorted(ids(result))}"
    return found[0]


# --- scam scripts ---------------------------------------------------------------------

THREAT = "您好，您的账户涉嫌违规，将被冻结。"

# Line 2 of a classic code-request scam, written plainly and in the ways people paste
# or speech-to-text produces it. The code request starts at the first 验.
CODE_LINES = {
    "plain": "请您立即把手机上收到的验证码报给我。",
    "full-width": "\u3000\u3000请您立即把短信里的验证码报给我，ＯＫ？",
    "spaced": "请 您 立 即 把 验 证 码 报 给 我",
    "zero-width": "请您立即把验\u200b证\u200b码报给我",
    "nbsp-and-tabs": "请您\t立即把验\u00a0证\u3000码 报给我",
}


@pytest.mark.parametrize("variant", CODE_LINES)
def test_chinese_code_request_with_urgency_is_high_and_cites_the_original(
    variant: str, registry: Registry
) -> None:
    line = CODE_LINES[variant]
    text = f"{THREAT}\n{line}"
    result = check_transcript(text, registry=registry)
    assert result.risk == "high"
    assert result.lines == 2
    assert {"verification_code_request", "time_pressure"} <= ids(result)
    code = only(result, "verification_code_request")
    assert code.line == 2
    assert code.start == line.index("验")
    assert "验证码" in normalize(code.words)
    assert "报给" in normalize(code.words)
    urgency = only(result, "time_pressure")
    assert urgency.line == 2
    assert normalize(urgency.words) == "立即"
    assert_all_cited(text, result)


def test_signal_after_many_lines_cites_the_right_line(registry: Registry) -> None:
    filler = ["好的，我知道了。"] * 4999
    text = "\n".join([*filler, "　请把验证码告诉我，马上处理", *filler])
    result = check_transcript(text, registry=registry)
    assert result.lines == 9999
    code = only(result, "verification_code_request")
    assert code.line == 5000
    assert code.start == 3
    assert_all_cited(text, result)


ENGLISH_SCAM = (
    "Hello, this is the security team. Your account has been suspended due to suspicious activity.\n"
    "PLEASE READ ME THE VERIFICATION CODE WE JUST SENT, IMMEDIATELY."
)


def test_english_code_request_with_urgency_is_high_and_keeps_the_original_case(
    registry: Registry,
) -> None:
    result = check_transcript(ENGLISH_SCAM, registry=registry)
    assert result.risk == "high"
    code = only(result, "verification_code_request")
    assert code.line == 2
    assert "VERIFICATION CODE" in code.words
    assert "urgency" in {s.category for s in result.signals}
    assert_all_cited(ENGLISH_SCAM, result)


def test_full_width_english_is_read_and_cited() -> None:
    text = "ＰＬＥＡＳＥ ＲＥＡＤ ＭＥ ＴＨＥ ＶＥＲＩＦＩＣＡＴＩＯＮ　ＣＯＤＥ"
    result = check_transcript(text)
    code = only(result, "verification_code_request")
    assert normalize(code.words).endswith("verification code")
    assert_all_cited(text, result)


def test_mixed_chinese_and_english_scam_is_high() -> None:
    text = "您好，your account 已经被冻结了\n请 tell me the verification code，立即处理"
    result = check_transcript(text)
    assert result.risk == "high"
    code = only(result, "verification_code_request")
    assert code.line == 2
    assert code.words == "tell me the verification code"
    assert {"account_threat", "time_pressure"} <= ids(result)
    assert_all_cited(text, result)


# --- honest calls and warnings ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "支付宝不会向您索要验证码",
        "we will never ask for your code",
        "please don't share your password",
        "验证码不要告诉任何人，任何索要验证码的都是诈骗",
        "Never tell anyone your PIN or the code we text you.",
    ],
)
def test_protective_statement_is_low_risk(text: str) -> None:
    result = check_transcript(text)
    assert result.risk == "low"
    assert not (ids(result) & CREDENTIAL_SIGNALS)


@pytest.mark.parametrize(
    "text",
    [
        "您好，您昨天投诉的快递丢失问题我们已经处理，退款会原路退回到您的付款账户。\n请问还有其他问题吗？",
        "您好，我是京东客服，您昨天申请的退款我们已经处理了。\n退款会原路退回到您的银行卡，三到五个工作日到账。",
        "Hi, this is Sarah from the bank, I'm calling back about the refund you requested yesterday.\n"
        "The money will go back to your original payment method within three days.",
    ],
    ids=["zh-complaint", "zh-jd-refund", "en-refund"],
)
def test_refund_the_customer_asked_for_is_low_risk(text: str) -> None:
    result = check_transcript(text)
    assert result.risk == "low"
    assert not result.risky


# Advice articles about wallet callbacks: full of the words scams use, but warnings.
SEED_XFAIL: dict[str, str] = {}


def _seed_params() -> list[object]:
    if not SEEDS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SEEDS} is missing"), id="no-seeds")]
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no seeds in {SEEDS}"), id="no-seeds")]
    return [
        pytest.param(
            f,
            id=f.stem,
            marks=[pytest.mark.xfail(reason=SEED_XFAIL[f.name], strict=True)] if f.name in SEED_XFAIL else [],
        )
        for f in files
    ]


@pytest.mark.parametrize("path", _seed_params())
def test_advice_article_is_never_high_risk(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = check_transcript(text)
    assert result.risk != "high", [(s.id, s.words, s.line) for s in result.signals]


# --- scoring ------------------------------------------------------------------------------


def test_code_request_with_urgency_scores_higher_than_either_alone() -> None:
    code = check_transcript("请把验证码告诉我")
    urgency = check_transcript("必须今天之内处理")
    both = check_transcript("请把验证码告诉我\n必须今天之内处理")
    assert "verification_code_request" in ids(code)
    assert "time_pressure" in ids(urgency)
    assert both.score > code.score
    assert both.score > urgency.score
    assert both.score > code.score + urgency.score  # the combination adds a bonus
    assert both.risk == "high"


def test_police_impersonation_with_safe_account_is_high() -> None:
    result = check_transcript("我是公安局的，你涉嫌洗钱\n请立即把验证码告诉我，转到安全账户")
    assert result.risk == "high"
    assert {"authority", "safe_account", "verification_code_request"} <= ids(result)


# --- provider and number ------------------------------------------------------------------


def test_claimed_provider_that_never_calls_makes_a_bland_call_high(registry: Registry) -> None:
    text = "今天天气不错。\n我们明天见。"
    assert check_transcript(text, registry=registry).risk == "low"
    result = check_transcript(text, claims="tokenpocket", registry=registry)
    assert result.risk == "high"
    assert "provider_never_calls" in ids(result)
    assert result.provider is not None
    assert result.provider.id == "tokenpocket"


def test_claimed_alipay_asking_for_a_code_adds_provider_never_asks(registry: Registry) -> None:
    text = "请把验证码告诉我"
    plain = check_transcript(text, registry=registry)
    claimed = check_transcript(text, claims="alipay", registry=registry)
    assert "provider_never_asks" not in ids(plain)
    assert "provider_never_asks" in ids(claimed)
    assert claimed.score > plain.score
    meta = only(claimed, "provider_never_asks")
    assert (meta.line, meta.words) == (0, "")


def test_claims_accepts_a_chinese_name(registry: Registry) -> None:
    result = check_transcript("请把验证码告诉我", claims="支付宝", registry=registry)
    assert result.provider is not None
    assert result.provider.id == "alipay"


def test_lookalike_number_adds_number_lookalike_and_makes_it_high(registry: Registry) -> None:
    text = "hello, how are you"
    assert check_transcript(text, registry=registry).risk == "low"
    result = check_transcript(text, number="+86 951880", registry=registry)
    assert "number_lookalike" in ids(result)
    assert result.risk == "high"
    assert result.number is not None
    assert result.number.verdict == "lookalike"


def test_number_that_is_not_a_number_raises_invalid_number(registry: Registry) -> None:
    with pytest.raises(InvalidNumber):
        check_transcript("hello", number="hello", registry=registry)


def test_unknown_provider_raises_unknown_provider(registry: Registry) -> None:
    with pytest.raises(UnknownProvider):
        check_transcript("hello", claims="nosuch", registry=registry)


def test_provider_named_by_the_caller_counts_as_claimed(registry: Registry) -> None:
    result = check_transcript("您好，我是支付宝客服", registry=registry)
    assert result.provider is not None
    assert result.provider.id == "alipay"
    assert "95188" in [c.number for c in result.callback]


def test_provider_only_mentioned_is_not_claimed_but_gives_callback(registry: Registry) -> None:
    result = check_transcript("支付宝不会向您索要验证码", registry=registry)
    assert result.provider is None
    assert [p.id for p in result.mentioned] == ["alipay"]
    assert "95188" in [c.number for c in result.callback]


# --- results ----------------------------------------------------------------------------


def test_to_dict_is_json_and_round_trips_the_key_fields(registry: Registry) -> None:
    text = "我是支付宝客服\n请把验证码告诉我，立即处理"
    result = check_transcript(text, registry=registry, lang="zh")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["risk"] == result.risk == "high"
    assert data["score"] == result.score
    assert data["lines"] == 2
    assert data["lang"] == "zh"
    assert data["provider"]["id"] == "alipay"
    assert data["registry"] == {"serial": registry.serial, "expired": False}
    assert [(s["id"], s["words"], s["line"], s["start"], s["end"]) for s in data["signals"]] == [
        (s.id, s.words, s.line, s.start, s.end) for s in result.signals
    ]
    assert [c["number"] for c in data["callback"]] == [c.number for c in result.callback]
    assert all(s["explanation"] for s in data["signals"])


def test_explanations_follow_the_language(registry: Registry) -> None:
    text = "请把验证码告诉我"
    en = only(check_transcript(text, registry=registry), "verification_code_request")
    zh = only(check_transcript(text, registry=registry, lang="zh"), "verification_code_request")
    assert en.words in en.explanation  # it quotes the Chinese words as said
    assert zh.words in zh.explanation
    assert "索要验证码" in zh.explanation
    assert "verification code" in en.explanation


# --- streaming --------------------------------------------------------------------------

CALL = [
    "喂，您好。",
    "您好，我是客服中心的工作人员。",
    "您的账户涉嫌违规，将被冻结。",
    "请您把手机上收到的验证码报给我。",
    "请立即处理，否则今天之内账户注销。",
    "把验证码告诉我。",
    "好的。",
]


def test_monitor_alerts_exactly_once_on_the_line_that_makes_risk_high(registry: Registry) -> None:
    first_high = next(
        n
        for n in range(1, len(CALL) + 1)
        if check_transcript("\n".join(CALL[:n]), registry=registry).risk == "high"
    )
    assert first_high > 1
    monitor = monitor_call(registry=registry)
    alerts = [monitor.feed(line) for line in CALL]
    assert alerts.count(True) == 1
    assert alerts.index(True) + 1 == first_high
    assert monitor.result().risk == "high"


def test_monitor_and_check_transcript_agree(registry: Registry) -> None:
    texts = [
        "\n".join(CALL),
        f"{THREAT}\n" + "\n".join(CODE_LINES.values()),
        ENGLISH_SCAM,
        "\n".join(["  ", "好的", "\t请 把 验 证 码 告 诉 我  ", "", "ok"] * 1000),
    ]
    for text in texts:
        monitor = monitor_call(registry=registry)
        for line in text.splitlines():
            monitor.feed(line)
        assert monitor.result().to_dict() == check_transcript(text, registry=registry).to_dict()


def test_memory_stays_bounded_on_an_endless_scam(registry: Registry) -> None:
    variants = [
        "请立即把验证码告诉我，否则冻结",
        "请立即把动态码告诉我，否则注销",
        "把校验码报给我，马上，不然封号",
        "短信码念一下，赶紧",
        "把确认码发给我，尽快",
        "授权码说一下，今天之内",
        "激活码告诉我，立刻",
    ]
    monitor = monitor_call(registry=registry)
    alerts = 0
    for n in range(20_000):
        alerts += monitor.feed(variants[n % len(variants)])
    result = monitor.result()
    assert alerts == 1
    assert result.lines == 20_000
    assert result.risk == "high"
    per_category: dict[str, int] = {}
    for s in result.signals:
        per_category[s.category] = per_category.get(s.category, 0) + 1
    assert max(per_category.values()) <= MAX_SIGNALS_PER_CATEGORY
    assert per_category["credential_request"] == MAX_SIGNALS_PER_CATEGORY  # the cap was reached
    assert len(result.signals) <= 40


# --- the number check sets a floor on the combined verdict ----------------------------

_RANK = {"low": 0, "medium": 1, "high": 2}


@pytest.mark.parametrize(
    ("number", "claims"),
    [
        ("13812345678", "alipay"),  # unknown number claiming Alipay: medium alone
        ("+86 21 95188", "alipay"),  # lookalike: high alone
        ("95588", "alipay"),  # another provider's official number
        ("95188", "alipay"),  # the official number: low alone
    ],
)
@pytest.mark.parametrize("notes", ["said my account was frozen", "thanks, bye", "您好，请问有什么可以帮您"])
def test_combined_verdict_is_never_lower_than_the_number_check_alone(
    number: str, claims: str, notes: str
) -> None:
    from callcheck import check_number

    alone = check_number(number, region="CN", claims=claims)
    combined = check_transcript(notes, number=number, claims=claims)
    assert alone.risk is not None
    assert _RANK[combined.risk] >= _RANK[alone.risk], (alone.risk, combined.risk, combined.score)
