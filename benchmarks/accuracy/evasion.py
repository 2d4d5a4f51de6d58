"""Measure how well the transcript check resists disguised words.

Takes the held-out calls, disguises the words a scammer would hide from a keyword
filter (codes, passwords, transfers, remote apps, police...) with one trick at a
time, and measures recall and false-positive rate as ``run.py`` does. Honest calls get
the same disguise, so a trick that makes honest calls look like scams shows up too.

    python benchmarks/accuracy/evasion.py                 # every held-out split
    python benchmarks/accuracy/evasion.py --split heldout8
    python benchmarks/accuracy/evasion.py --json

The bar is the same as for the plain calls (recall >= 90%, false-positive rate <= 5%
per language), and no trick may cost more than MAX_DROP of recall against the plain
calls. The exit status is 1 if any trick misses either.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable

from run import BARS, is_held_out, records

import callcheck

MAX_DROP = 0.03  # recall a trick may cost, against the same calls undisguised

# Words a scammer disguises, per language (longest first when matched).
HIDDEN = {
    "zh": [
        "验证码", "校验码", "动态码", "密码", "转账", "汇款", "安全账户", "助记词", "私钥", "冻结",
        "屏幕共享", "共享屏幕", "公安", "警察", "银行卡", "客服", "注销", "征信", "保密", "远程",
        "下载", "退款", "理赔",
    ],
    "en": [
        "verification code", "security code", "one-time", "code", "password", "pin", "otp",
        "seed phrase", "recovery phrase", "private key", "safe account", "secure account",
        "transfer", "wire", "gift card", "anydesk", "teamviewer", "remote", "screen", "police",
        "frozen", "suspended", "urgent", "bitcoin", "crypto", "refund", "secret",
    ],
}  # fmt: skip
PINYIN = {
    "验证码": "yanzhengma", "校验码": "jiaoyanma", "动态码": "dongtaima", "密码": "mima",
    "转账": "zhuanzhang", "汇款": "huikuan", "安全账户": "anquan zhanghu", "助记词": "zhujici",
    "私钥": "siyao", "冻结": "dongjie", "屏幕共享": "pingmu gongxiang", "共享屏幕": "gongxiang pingmu",
    "公安": "gongan", "警察": "jingcha", "银行卡": "yinhangka", "客服": "kefu", "注销": "zhuxiao",
    "征信": "zhengxin", "保密": "baomi", "远程": "yuancheng", "下载": "xiazai", "退款": "tuikuan",
    "理赔": "lipei",
}  # fmt: skip
TONED = {"yanzhengma": "yànzhèngmǎ", "mima": "mìmǎ", "zhuanzhang": "zhuǎnzhàng", "dongjie": "dòngjié"}
CYRILLIC = str.maketrans("aeopcxyi", "аеорсхуі")


def _fullwidth(word: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)


# trick -> how it disguises one word
TRICKS: dict[str, Callable[[str], str]] = {
    "zero-width": lambda w: "\u200b".join(w),
    "homoglyph": lambda w: w.translate(CYRILLIC),
    "full-width": _fullwidth,
    "combining": lambda w: "".join(c + "\u0338" if c.isalpha() and c.isascii() else c for c in w),
    "spaced": lambda w: "   ".join(" ".join(part) for part in w.split()),
    "dotted": lambda w: " ".join(".".join(part) for part in w.split()),
    "dashed": lambda w: " ".join("-".join(part) for part in w.split()),
    "starred": lambda w: " ".join("*".join(part) for part in w.split()),
    "pinyin": lambda w: PINYIN.get(w, w),
    "pinyin-toned": lambda w: TONED.get(PINYIN.get(w, w), PINYIN.get(w, w)),
}


def disguise(text: str, lang: str, trick: str) -> str:
    """``text`` with every hidden word of ``lang`` disguised by ``trick``."""
    words = sorted(HIDDEN["zh" if lang == "zh" else "en"], key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    change = TRICKS[trick]
    return pattern.sub(lambda m: change(m.group()), text)


def measure(splits: list[str] | None = None) -> list[dict[str, object]]:
    """Recall and false-positive rate per trick and language, with the plain figures."""
    registry = callcheck.load_registry()
    calls = [(s, r) for s, r in records() if is_held_out(s) and (not splits or s in splits)]
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for trick in ("plain", *TRICKS):
        for _, record in calls:
            lang = record.get("lang", "en")
            if lang not in HIDDEN or (trick.startswith("pinyin") and lang != "zh"):
                continue
            text = record["text"] if trick == "plain" else disguise(record["text"], lang, trick)
            flagged = callcheck.check_transcript(text, registry=registry).risky
            scam = record["label"] == "scam"
            c = counts[trick, lang]
            c["scam" if scam else "legit"] += 1
            c["tp" if scam and flagged else "fn" if scam else "fp" if flagged else "tn"] += 1
    rows = []
    for (trick, lang), c in counts.items():
        recall = c["tp"] / c["scam"] if c["scam"] else float("nan")
        fpr = c["fp"] / c["legit"] if c["legit"] else float("nan")
        plain = counts["plain", lang]
        drop = plain["tp"] / plain["scam"] - recall if plain["scam"] else 0.0
        ok = recall >= BARS["recall"] and fpr <= BARS["fpr"] and drop <= MAX_DROP
        rows.append(
            {"trick": trick, "lang": lang, "scam": c["scam"], "legit": c["legit"], "recall": recall,
             "fpr": fpr, "recall_drop": drop, "meets_bar": ok}
        )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", action="append", help="measure only this held-out split (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = measure(args.split)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
    else:
        print(f"{'trick':<14}{'lang':<6}{'scam':>6}{'legit':>7}{'recall':>9}{'drop':>8}{'FPR':>8}  bar")
        for r in rows:
            print(
                f"{r['trick']:<14}{r['lang']:<6}{r['scam']:>6}{r['legit']:>7}{r['recall']:>9.1%}"
                f"{r['recall_drop']:>8.1%}{r['fpr']:>8.1%}  {'ok' if r['meets_bar'] else 'MISSED'}"
            )
        print(
            f"bar: recall >= {BARS['recall']:.0%}, false-positive rate <= {BARS['fpr']:.0%}, "
            f"recall at most {MAX_DROP:.0%} below the plain calls"
        )
    return 0 if all(r["meets_bar"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
