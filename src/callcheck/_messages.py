"""Every sentence callcheck shows a person, in English and Simplified Chinese.

Code refers to messages by key; this module holds the text. A test checks that
both catalogues have the same keys and the same placeholders.
"""

from __future__ import annotations

import os
from typing import Final, Literal

Lang = Literal["en", "zh"]
DEFAULT_LANG: Final = "en"

EN: Final[dict[str, str]] = {
    # verdict headlines
    "verdict.official": "Official number of {provider}",
    "verdict.lookalike": "Lookalike of {provider}'s official number",
    "verdict.unknown": "Not an official number in the registry",
    "verdict.invalid": "Not a phone number",
    "risk.low": "low risk",
    "risk.medium": "medium risk",
    "risk.high": "high risk",
    # reasons
    "reason.official": "{number} is listed as an official number of {provider}.",
    "reason.caller_id_forgeable": "Caller ID can be forged: a matching number is a hint, not proof.",
    "reason.never_calls": (
        "{provider} says it never phones its customers, so a call showing this number is still suspicious."
    ),
    "reason.calls_on_request": "{provider} only calls back when you have asked it to.",
    "reason.not_a_calling_number": (
        "{number} is {provider}'s number for {use}; {provider} does not use it to phone people."
    ),
    "reason.other_region": (
        "{number} is {provider}'s number in {region}; a call from there would normally show its country code."
    ),
    "reason.claims_other_provider": (
        "The caller says they are {claimed}, but this number belongs to {provider}."
    ),
    "reason.lookalike_extra_digits": (
        "{number} is {provider}'s official number {official} with extra digits added."
    ),
    "reason.lookalike_country_code": (
        "{number} puts {provider}'s official digits {official} behind the wrong country code."
    ),
    "reason.lookalike_digit_changed": (
        "{number} differs from {provider}'s official number {official} in one digit."
    ),
    "reason.lookalike_digits_swapped": (
        "{number} is {provider}'s official number {official} with two digits swapped."
    ),
    "reason.unknown": "{number} is not an official number of any provider in the registry.",
    "reason.not_claimed_number": "This is not {claimed}'s number.",
    "reason.claimed_never": "{claimed} says it never phones its customers.",
    "reason.claimed_on_request": "{claimed} only calls back when you have asked it to.",
    "reason.claimed_may_call": (
        "{claimed} may call customers, but not from this number as far as the registry knows."
    ),
    "reason.not_assigned": (
        "{number} cannot exist in its country's numbering plan: caller ID showing it is forged."
    ),
    "reason.registry_expired": (
        "The registry of official numbers expired on {date} and may be out of date: run 'callcheck update'."
    ),
    # why input is not a number
    "invalid.empty": "{input!r} is not a phone number: it is empty.",
    "invalid.letters": "{input!r} is not a phone number: it contains letters or symbols.",
    "invalid.too_short": "{input!r} is not a phone number: it has too few digits.",
    "invalid.too_long": "{input!r} is not a phone number: it has too many digits.",
    "invalid.plus": "{input!r} is not a phone number: '+' may only stand at the start.",
    "invalid.country_code": "{input!r} is not a phone number: it starts with no known country code.",
    "invalid.unparsable": "{input!r} is not a phone number.",
    # transcript signals: {words} are the words that raised the signal
    "signal.verification_code_request": 'Asks for a verification code ("{words}"): no real company needs it.',
    "signal.password_request": 'Asks for a password ("{words}").',
    "signal.pin_request": 'Asks for a PIN ("{words}").',
    "signal.card_request": 'Asks for card details ("{words}").',
    "signal.id_number_request": 'Asks for an ID number ("{words}").',
    "signal.recovery_phrase_request": (
        'Asks for a recovery phrase or private key ("{words}"): whoever has it owns the wallet.'
    ),
    "signal.remote_access_app": 'Wants control of or a view of your screen ("{words}").',
    "signal.meeting_app_for_support": 'Asks you to install or join a meeting app ("{words}").',
    "signal.safe_account": "Talks of a 'safe account' (\"{words}\"): no bank or police uses one.",
    "signal.transfer_to_verify": "Asks you to move money to 'verify' something (\"{words}\").",
    "signal.fee_to_release": 'Asks for a fee or deposit to release money ("{words}").',
    "signal.gift_cards": 'Mentions paying with gift cards ("{words}").',
    "signal.crypto_purchase": 'Asks you to buy or send crypto ("{words}").',
    "signal.loan_or_credit_lure": 'Offers to close, fix or raise a loan or credit service ("{words}").',
    "signal.account_threat": 'Threatens your account ("{words}").',
    "signal.time_pressure": 'Puts you under time pressure ("{words}").',
    "signal.legal_threat": 'Threatens arrest or legal action ("{words}").',
    "signal.authority": 'Claims to be police, a court or an agency ("{words}").',
    "signal.refund_or_prize": 'Offers a refund, compensation or prize ("{words}").',
    "signal.secrecy": 'Wants secrecy or to keep you on the line ("{words}").',
    "signal.channel_switch": 'Moves the conversation to another app or link ("{words}").',
    "signal.account_number_request": 'Asks for a bank account number ("{words}").',
    "signal.tech_support_scam": 'Claims your computer or phone is infected ("{words}").',
    "signal.unsolicited_refund": 'Offers money you did not ask for ("{words}").',
    "signal.institution_claim": 'Says they speak for a company\'s service team ("{words}").',
    "signal.person_called_service": (
        'You seem to have rung the service yourself ("{words}"), which makes identity questions normal.'
    ),
    "signal.person_asked_for_it": (
        'The call follows up something you asked for ("{words}"), which is how honest service calls start.'
    ),
    "signal.pay_before_payout": 'Asks you to pay before you can receive money ("{words}").',
    "signal.transfer_to_account": 'Tells you to send money to an account or address they give ("{words}").',
    "signal.money_request": 'Asks you for money ("{words}").',
    "signal.identity_change": (
        'Says they have a new number or phone ("{words}"), a way to pose as someone you know.'
    ),
    "signal.investment_or_task": 'Promises easy returns or paid tasks ("{words}").',
    "signal.coached_lie": 'Tells you what to say if your bank asks ("{words}").',
    "signal.balance_request": 'Asks how much money you have ("{words}").',
    "signal.warning_given": 'The call warns against scams ("{words}"), as honest banks and police do.',
    "signal.retold_scam": 'Someone is retelling a scam ("{words}"); what they quote is a story.',
    "signal.secrecy_from_others": 'Tells you to keep this from family, colleagues or the bank ("{words}").',
    "signal.platform_recharge": 'Asks you to top up an account on a platform ("{words}").',
    "signal.payment_demand": 'Asks you to pay or send a sum of money ("{words}").',
    "signal.p2p_payment": 'Wants the money through a payment app, wire or QR code ("{words}").',
    "signal.guided_banking": 'Wants to guide you through your banking app or an ATM ("{words}").',
    "signal.loan_out_and_send": 'Asks you to borrow against your credit and send it on ("{words}").',
    "signal.blackmail": 'Threatens you or someone close to you ("{words}").',
    "signal.changed_bank_details": 'Says the bank details for a payment have changed ("{words}").',
    "signal.donation_request": 'Asks for a donation ("{words}").',
    "signal.pay_me_directly": 'Wants the money paid to them personally ("{words}").',
    "signal.mistaken_transfer": 'Says money was sent to you by mistake and asks for it back ("{words}").',
    "signal.fake_subscription": 'Talks of a subscription or membership charging you ("{words}").',
    "signal.handoff": 'Passes you to another "department" or official ("{words}").',
    "signal.favor_request": 'Asks you for a favour ("{words}").',
    "signal.spy_app": 'Wants an app that reads your contacts ("{words}").',
    "signal.official_channel": (
        'Sends you to the official app, website or counter ("{words}"), as honest callers do.'
    ),
    "signal.mistaken_payment": 'Says money reached you by mistake ("{words}").',
    "signal.yes_capture": 'Tries to get you to say "yes" ("{words}").',
    "signal.code_by_mistake": 'Says a code was sent to you by mistake and wants it ("{words}").',
    "signal.sign_in_approval": 'Wants you to approve a sign-in or pass on what it shows ("{words}").',
    "signal.wording_scam": "Its wording is close to the scam calls callcheck learned from ({words}).",
    "signal.wording_honest": "Its wording is close to the honest calls callcheck learned from ({words}).",
    "signal.callback_request": 'Wants you to press a key or call back another number ("{words}").',
    "signal.romance_story": 'Tells a story used in romance scams ("{words}").',
    "signal.money_mule": 'Wants you to pass other people\'s money through your account ("{words}").',
    "signal.emergency_story": 'Tells of an accident, arrest or hospital stay ("{words}").',
    "signal.utility_shutoff": 'Threatens to cut off your power, water or gas ("{words}").',
    "signal.advance_deposit": 'Wants a deposit before you have seen what you pay for ("{words}").',
    "signal.bypass_approval": 'Wants money moved now and the approval done later ("{words}").',
    "signal.reshipping_job": 'Offers a job receiving and re-sending parcels ("{words}").',
    "signal.gift_card_prize": 'Offers a gift card as a prize ("{words}").',
    "signal.provider_never_calls": "The caller claims to be {provider}, which never phones its customers.",
    "signal.provider_never_asks": "The caller claims to be {provider}, which never asks for {asks}.",
    "signal.number_lookalike": "The caller's number {number} imitates an official number.",
    "signal.number_not_official": (
        "The caller's number {number} is not an official number of the company they claim."
    ),
    "signal.number_other_provider": "The caller's number {number} belongs to a different company.",
    "signal.number_suspicious": "The caller's number {number} is suspicious.",
    "advice.transcript_high": (
        "Hang up now: this call follows a known scam script. "
        "Call the company yourself on its official number."
    ),
    "advice.transcript_high_provider": "Hang up now: this call follows a known scam script. {Reach}.",
    "advice.transcript_medium": (
        "Be careful: this call has signs of a scam. Do not share codes or move money; hang up and call "
        "the company yourself on its official number."
    ),
    "advice.transcript_medium_provider": (
        "Be careful: this call has signs of a scam. Do not share codes or move money. {Reach}."
    ),
    "advice.transcript_low": "No scam script found in what was said. If that changes, hang up.",
    # advice
    "advice.check_official": "If anything feels wrong, hang up and {reach}.",
    "advice.hang_up_not_official": "Hang up. This is not {provider}'s number. {Reach}.",
    "advice.hang_up_lookalike": "Hang up. This number imitates {provider}. {Reach}.",
    "advice.hang_up_never_calls": "Hang up. {provider} does not phone its customers. {Reach}.",
    "advice.unknown": (
        "If the caller says they are from a bank, wallet or payment app, hang up and call "
        "that company's official number yourself."
    ),
    "advice.never_share": (
        "Never read out a verification code, password, PIN, recovery phrase or private key, "
        "and never move money to a 'safe account'."
    ),
    "advice.invalid": "Check the number you typed and try again.",
    "advice.update": "Run 'callcheck update' to fetch the latest registry.",
    "advice.report": "Report the call: {where}.",
    "report.item": "{name} ({contact})",
    "report.join": "; ",
    "cli.report": "Where to report it:",
    # call records (callcheck report)
    "record.nothing": (
        "nothing to record: give the caller's number (--number) or what was said (--notes or --transcript)"
    ),
    "record.notes_and_transcript": "give either --notes or --transcript, not both",
    "record.notes_too_long": (
        "the notes are too long to save (over {limit} characters); keep the part that matters"
    ),
    "record.options_with_command": (
        "--number, --claims, --region, --notes and --transcript save a record; "
        "they do not go with 'callcheck report {command}'"
    ),
    "record.bad_format": "{format!r} is not an export format; use one of: {formats}",
    "record.cannot_write": "cannot save to {path}: {reason}",
    "record.cannot_read": "cannot read the call records in {path}: {reason}",
    "record.saved": "Saved as record {id} in {path}. Nothing was sent anywhere.",
    "record.no_channels": "The registry names no place to report calls in {region}; tell your local police.",
    "record.no_region": "Give --region (such as CN or US) to see where to report the call.",
    "record.none": "No call records yet. Save one with: callcheck report --number NUMBER --notes TEXT",
    "record.skipped": "warning: {count} unreadable line(s) in {path} were skipped",
    "record.exported": "{count} record(s) written to {path}",
    # pieces
    "reach.call": "call {provider} yourself on {numbers}",
    "reach.contact": "contact {provider} yourself through {where}",
    "reach.or": " or ",
    "reach.app_or_web": "its app ({path}) or {website}",
    "use.inbound": "customer calls",
    "use.outbound": "calling customers",
    "use.sms": "text messages",
    "region.any": "another country",
    # CLI labels
    "cli.reasons": "Why:",
    "cli.callback": "Official numbers to call back:",
    "cli.contact": "Official contact:",
    "cli.website": "Website",
    "cli.app_path": "In the app",
    "cli.policy": "Calls customers",
    "cli.never_asks": "Never asks for",
    "cli.sources": "Sources",
    "cli.numbers": "Official numbers",
    "cli.no_numbers": "no phone number: it offers no phone support",
    "cli.no_match": "No provider matches {query!r}.",
    "cli.error": "error: {message}",
    "cli.alert": "HIGH RISK at line {line}: this call follows a scam script.",
    "cli.transcript_headline": "{risk}, score {score}, {lines} lines read",
    "cli.at_line": "line {line}: ",
    "cli.headline": "{verdict} · {risk}: {headline}",
    "cli.region": "({region})",
    "cli.number_where": "({region}, {use})",
    "cli.list_sep": ", ",
    "cli.title": "{name} ({other})",
    "cli.label": "{label}: {value}",
    "cli.sources_count": "{count} (last checked {checked})",
    "cli.yes": "yes",
    "cli.no": "no",
    "label.official": "OFFICIAL",
    "label.lookalike": "LOOKALIKE",
    "label.unknown": "UNKNOWN",
    "label.invalid": "INVALID",
    # maintainers' and housekeeping commands
    "cli.built": "built {path}: serial {serial}, {providers} providers, expires {expires}",
    "cli.password_new": "Password for the new secret key",
    "cli.password": "Password for the secret key",
    "cli.password_repeat": "Repeat the password",
    "cli.keygen": "key id {id}: public key in {public}, secret key in {secret}",
    "cli.public_key": "public key: {key}",
    "cli.lint_summary": "{errors} errors, {warnings} warnings",
    "cli.signed": "signed {file} with key {key}: {signature}",
    "cli.verified": "{file}: signature by key {key} verified; serial {serial}, {providers} providers",
    "cli.trusted_comment": "trusted comment: {comment}",
    "cli.updated": "updated: registry serial {serial}, signed by key {key}",
    "cli.updated_from": "updated: registry serial {serial} (was {previous}), signed by key {key}",
    "cli.up_to_date": "already up to date: registry serial {serial}",
    "cli.config_path": "config: {path}",
    "cli.data_path": "data:   {path}",
    "cli.origin_embedded": "embedded (shipped with callcheck)",
    "info.serial": "serial",
    "info.expires": "expires",
    "info.expired": "expired",
    "info.providers": "providers",
    "info.sha256": "sha256",
    "info.key_id": "key_id",
    "info.origin": "origin",
    # the command line itself
    "usage.hint": "; see '{command} --help'",
    "usage.no_such_option": "no such option: {option}",
    "usage.no_such_command": "no such command: {name!r}",
    "usage.did_you_mean": " (did you mean {choices}?)",
    "usage.needs_value": "{option} needs a value",
    "usage.missing": "missing {what}",
    "usage.choice": "{what} must be one of {choices}",
    "usage.number": "{what} must be a number",
    "usage.bad_value": "bad value for {what}: {detail}",
    "usage.extra": "unexpected extra argument: {args}",
    "cli.interrupted": "stopped (Ctrl-C)",
    "policy.never": "never",
    "policy.on_request": "only when you asked for a call back",
    "policy.may_call": "may call",
    "ask.verification_code": "verification codes",
    "ask.password": "passwords",
    "ask.pin": "PINs",
    "ask.card_number": "card numbers",
    "ask.cvv": "card security codes (CVV)",
    "ask.id_number": "ID numbers",
    "ask.recovery_phrase": "recovery phrases",
    "ask.private_key": "private keys",
    "ask.remote_access": "remote access to your device",
    "ask.safe_account_transfer": "transfers to a 'safe account'",
    "ask.payment": "payments to release or protect your money",
}

ZH: Final[dict[str, str]] = {
    "verdict.official": "{provider}的官方号码",
    "verdict.lookalike": "冒充{provider}官方号码的相似号码",
    "verdict.unknown": "不在官方号码登记表中",
    "verdict.invalid": "不是电话号码",
    "risk.low": "低风险",
    "risk.medium": "中风险",
    "risk.high": "高风险",
    "reason.official": "{number} 是登记在册的{provider}官方号码。",
    "reason.caller_id_forgeable": "来电显示可以伪造：号码一致只是线索，不是证明。",
    "reason.never_calls": "{provider}表示从不打电话给用户，所以显示这个号码的来电仍然可疑。",
    "reason.calls_on_request": "{provider}只在您主动要求时才会回电。",
    "reason.not_a_calling_number": "{number} 是{provider}用于{use}的号码，{provider}不用它给人打电话。",
    "reason.other_region": "{number} 是{provider}在{region}的号码；从那里打来的电话通常会显示国家代码。",
    "reason.claims_other_provider": "来电者自称是{claimed}，但这个号码属于{provider}。",
    "reason.lookalike_extra_digits": "{number} 是在{provider}官方号码 {official} 前后加了数字。",
    "reason.lookalike_country_code": "{number} 把{provider}的官方号码 {official} 放在了错误的国家代码后面。",
    "reason.lookalike_digit_changed": "{number} 与{provider}的官方号码 {official} 只差一位数字。",
    "reason.lookalike_digits_swapped": "{number} 是把{provider}的官方号码 {official} 中两位数字调换了位置。",
    "reason.unknown": "{number} 不是登记表中任何机构的官方号码。",
    "reason.not_claimed_number": "这不是{claimed}的号码。",
    "reason.claimed_never": "{claimed}表示从不打电话给用户。",
    "reason.claimed_on_request": "{claimed}只在您主动要求时才会回电。",
    "reason.claimed_may_call": "{claimed}可能会致电用户，但据登记表所知不会用这个号码。",
    "reason.not_assigned": "{number} 在其所属国家的号码规则中不可能存在：显示这个号码的来电是伪造的。",
    "reason.registry_expired": (
        "官方号码登记表已于 {date} 过期，数据可能已经过时：请运行 'callcheck update'。"
    ),
    "invalid.empty": "{input!r} 不是电话号码：内容为空。",
    "invalid.letters": "{input!r} 不是电话号码：含有字母或符号。",
    "invalid.too_short": "{input!r} 不是电话号码：数字太少。",
    "invalid.too_long": "{input!r} 不是电话号码：数字太多。",
    "invalid.plus": "{input!r} 不是电话号码：'+' 只能出现在开头。",
    "invalid.country_code": "{input!r} 不是电话号码：开头不是已知的国家代码。",
    "invalid.unparsable": "{input!r} 不是电话号码。",
    "signal.verification_code_request": "索要验证码（“{words}”）：正规机构不会要这个。",
    "signal.password_request": "索要密码（“{words}”）。",
    "signal.pin_request": "索要 PIN 码（“{words}”）。",
    "signal.card_request": "索要银行卡信息（“{words}”）。",
    "signal.id_number_request": "索要身份证件号码（“{words}”）。",
    "signal.recovery_phrase_request": "索要助记词或私钥（“{words}”）：谁拿到它，谁就拥有这个钱包。",
    "signal.remote_access_app": "想要控制或查看您的屏幕（“{words}”）。",
    "signal.meeting_app_for_support": "让您安装或加入会议软件（“{words}”）。",
    "signal.safe_account": "提到“安全账户”（“{words}”）：银行和警方都没有这种账户。",
    "signal.transfer_to_verify": "让您转账来“验证”（“{words}”）。",
    "signal.fee_to_release": "要求交费或保证金才能放款或解冻（“{words}”）。",
    "signal.gift_cards": "提到用礼品卡付款（“{words}”）。",
    "signal.crypto_purchase": "让您购买或转出虚拟币（“{words}”）。",
    "signal.loan_or_credit_lure": "以关闭、注销或提升贷款、信用服务为由（“{words}”）。",
    "signal.account_threat": "威胁您的账户（“{words}”）。",
    "signal.time_pressure": "制造时间压力（“{words}”）。",
    "signal.legal_threat": "以逮捕或法律责任相威胁（“{words}”）。",
    "signal.authority": "自称警方、法院或政府机构（“{words}”）。",
    "signal.refund_or_prize": "以退款、赔偿或中奖为诱饵（“{words}”）。",
    "signal.secrecy": "要求保密或不让您挂电话（“{words}”）。",
    "signal.channel_switch": "把对话转到其他软件或链接（“{words}”）。",
    "signal.account_number_request": "索要银行账号（“{words}”）。",
    "signal.tech_support_scam": "声称您的电脑或手机中了病毒（“{words}”）。",
    "signal.unsolicited_refund": "主动提出给您退款或赔偿（“{words}”）。",
    "signal.institution_claim": "自称某公司的客服或服务人员（“{words}”）。",
    "signal.person_called_service": "看起来是您自己拨打的服务电话（“{words}”），对方核实身份属于正常。",
    "signal.person_asked_for_it": "这通电话是在跟进您自己提出的事情（“{words}”），正规客服回访通常如此。",
    "signal.pay_before_payout": "要求您先付钱才能拿到钱（“{words}”）。",
    "signal.transfer_to_account": "让您把钱转到对方指定的账户或地址（“{words}”）。",
    "signal.money_request": "向您要钱或借钱（“{words}”）。",
    "signal.identity_change": "说自己换了号码或手机（“{words}”）：这是冒充熟人的常见开场。",
    "signal.investment_or_task": "承诺轻松赚钱或有偿任务（“{words}”）。",
    "signal.coached_lie": "教您在银行询问时怎么说（“{words}”）。",
    "signal.balance_request": "打听您有多少钱（“{words}”）。",
    "signal.warning_given": "通话中在提醒防范诈骗（“{words}”），正规银行和警方会这样做。",
    "signal.retold_scam": "有人在讲述一次已经发生的诈骗（“{words}”），其中引用的话是在讲故事。",
    "signal.secrecy_from_others": "让您瞒着家人、同事或银行（“{words}”）。",
    "signal.platform_recharge": "让您往某个平台充值（“{words}”）。",
    "signal.payment_demand": "要求您付一笔钱或转一笔钱（“{words}”）。",
    "signal.p2p_payment": "要求通过支付软件、电汇或收款码付钱（“{words}”）。",
    "signal.guided_banking": "要一步步指导您操作手机银行或 ATM（“{words}”）。",
    "signal.loan_out_and_send": "让您把额度借出来再转走（“{words}”）。",
    "signal.blackmail": "威胁您或您的亲人（“{words}”）。",
    "signal.changed_bank_details": "声称收款账户换了（“{words}”）。",
    "signal.donation_request": "请求捐款（“{words}”）。",
    "signal.pay_me_directly": "要求把钱直接转给个人（“{words}”）。",
    "signal.mistaken_transfer": "称误转了钱给您并要求退回（“{words}”）。",
    "signal.fake_subscription": "声称某个会员或订阅在扣您的钱（“{words}”）。",
    "signal.handoff": "把您转接给另一个“部门”或“官员”（“{words}”）。",
    "signal.favor_request": "请您帮个忙（“{words}”）。",
    "signal.spy_app": "让您安装读取通讯录的软件（“{words}”）。",
    "signal.official_channel": "引导您通过官方 App、网站或柜台办理（“{words}”），正规来电会这样做。",
    "signal.mistaken_payment": "声称钱误转给了您（“{words}”）。",
    "signal.yes_capture": "想让您说“是”（“{words}”）。",
    "signal.code_by_mistake": "说验证码“误发”到了您手机，想让您告诉他（“{words}”）。",
    "signal.sign_in_approval": "让您同意一个登录请求，或把它显示的内容告诉他（“{words}”）。",
    "signal.wording_scam": "这通电话的用语与 callcheck 学习过的诈骗电话相近（“{words}”）。",
    "signal.wording_honest": "这通电话的用语与 callcheck 学习过的正常电话相近（“{words}”）。",
    "signal.callback_request": "让您按键或回拨另一个号码（“{words}”）。",
    "signal.romance_story": "讲述情感诈骗常用的故事（“{words}”）。",
    "signal.money_mule": "让您用自己的账户替别人收款、转款（“{words}”）。",
    "signal.emergency_story": "讲述车祸、被抓或住院等紧急情况（“{words}”）。",
    "signal.utility_shutoff": "威胁要停电、停水或停气（“{words}”）。",
    "signal.advance_deposit": "还没见到东西就要您先交定金（“{words}”）。",
    "signal.bypass_approval": "要求先转钱、手续以后再补（“{words}”）。",
    "signal.reshipping_job": "提供代收转寄包裹的工作（“{words}”）。",
    "signal.gift_card_prize": "以礼品卡作为奖品诱惑（“{words}”）。",
    "signal.provider_never_calls": "来电者自称{provider}，但{provider}从不打电话给用户。",
    "signal.provider_never_asks": "来电者自称{provider}，但{provider}从不索要{asks}。",
    "signal.number_lookalike": "来电号码 {number} 在模仿官方号码。",
    "signal.number_not_official": "来电号码 {number} 不是来电者自称机构的官方号码。",
    "signal.number_other_provider": "来电号码 {number} 属于另一家机构。",
    "signal.number_suspicious": "来电号码 {number} 可疑。",
    "advice.transcript_high": "请立即挂断：这通电话符合已知的诈骗话术。请自己拨打该机构的官方号码。",
    "advice.transcript_high_provider": "请立即挂断：这通电话符合已知的诈骗话术。请{Reach}。",
    "advice.transcript_medium": (
        "请小心：这通电话有诈骗迹象。不要提供验证码，不要转账；挂断后自己拨打该机构的官方号码。"
    ),
    "advice.transcript_medium_provider": "请小心：这通电话有诈骗迹象。不要提供验证码，不要转账。请{Reach}。",
    "advice.transcript_low": "通话内容中没有发现诈骗话术。如果情况有变，请立即挂断。",
    "advice.check_official": "如有任何不对劲，请挂断电话，{reach}。",
    "advice.hang_up_not_official": "请挂断电话。这不是{provider}的号码。请{Reach}。",
    "advice.hang_up_lookalike": "请挂断电话。这个号码在冒充{provider}。请{Reach}。",
    "advice.hang_up_never_calls": "请挂断电话。{provider}不会打电话给用户。请{Reach}。",
    "advice.unknown": "如果来电者自称是银行、钱包或支付平台，请挂断电话，自己拨打该机构的官方号码。",
    "advice.never_share": "绝不要说出验证码、密码、PIN、助记词或私钥，也绝不要把钱转到所谓的“安全账户”。",
    "advice.invalid": "请检查输入的号码后重试。",
    "advice.update": "请运行 'callcheck update' 获取最新的登记表。",
    "advice.report": "请举报这通电话：{where}。",
    "report.item": "{name}（{contact}）",
    "report.join": "；",
    "cli.report": "举报渠道：",
    "record.nothing": "没有可记录的内容：请给出来电号码（--number）或通话内容（--notes 或 --transcript）",
    "record.notes_and_transcript": "--notes 和 --transcript 只能二选一",
    "record.notes_too_long": "备注太长，无法保存（超过 {limit} 个字符）；请只保留重要的部分",
    "record.options_with_command": (
        "--number、--claims、--region、--notes 和 --transcript 用于保存记录，"
        "不能与 'callcheck report {command}' 一起使用"
    ),
    "record.bad_format": "{format!r} 不是可用的导出格式；请使用：{formats}",
    "record.cannot_write": "无法保存到 {path}：{reason}",
    "record.cannot_read": "无法读取 {path} 中的来电记录：{reason}",
    "record.saved": "已保存为记录 {id}，位于 {path}。没有向任何地方发送任何内容。",
    "record.no_channels": "登记表中没有 {region} 的举报渠道；请向当地警方报案。",
    "record.no_region": "请用 --region（如 CN 或 US）指明地区，以查看举报渠道。",
    "record.none": "还没有来电记录。保存一条：callcheck report --number 号码 --notes 内容",
    "record.skipped": "警告：已跳过 {path} 中 {count} 行无法读取的内容",
    "record.exported": "已将 {count} 条记录写入 {path}",
    "reach.call": "自己拨打{provider}的官方号码 {numbers}",
    "reach.contact": "自己通过{where}联系{provider}",
    "reach.or": " 或 ",
    "reach.app_or_web": "其 App（{path}）或官网 {website}",
    "use.inbound": "客户来电",
    "use.outbound": "致电客户",
    "use.sms": "发送短信",
    "region.any": "其他国家或地区",
    "cli.reasons": "原因：",
    "cli.callback": "可回拨的官方号码：",
    "cli.contact": "官方联系方式：",
    "cli.website": "网站",
    "cli.app_path": "App 内路径",
    "cli.policy": "是否致电用户",
    "cli.never_asks": "从不索要",
    "cli.sources": "来源",
    "cli.numbers": "官方号码",
    "cli.no_match": "没有找到与 {query!r} 匹配的机构。",
    "cli.no_numbers": "没有电话号码：不提供电话客服",
    "cli.error": "错误：{message}",
    "cli.alert": "第 {line} 行出现高风险：这通电话符合诈骗话术。",
    "cli.transcript_headline": "{risk}，评分 {score}，已读 {lines} 行",
    "cli.at_line": "第 {line} 行：",
    "cli.headline": "{verdict} · {risk}：{headline}",
    "cli.region": "（{region}）",
    "cli.number_where": "（{region}，{use}）",
    "cli.list_sep": "、",
    "cli.title": "{name}（{other}）",
    "cli.label": "{label}：{value}",
    "cli.sources_count": "{count} 个（最近核实于 {checked}）",
    "cli.yes": "是",
    "cli.no": "否",
    "label.official": "官方号码",
    "label.lookalike": "仿冒号码",
    "label.unknown": "未知号码",
    "label.invalid": "无效号码",
    "cli.built": "已生成 {path}：序列号 {serial}，{providers} 个机构，有效期至 {expires}",
    "cli.password_new": "新私钥的密码",
    "cli.password": "私钥的密码",
    "cli.password_repeat": "请再输入一次密码",
    "cli.keygen": "密钥 ID {id}：公钥已写入 {public}，私钥已写入 {secret}",
    "cli.public_key": "公钥：{key}",
    "cli.lint_summary": "{errors} 个错误，{warnings} 个警告",
    "cli.signed": "已用密钥 {key} 为 {file} 签名：{signature}",
    "cli.verified": "{file}：密钥 {key} 的签名验证通过；序列号 {serial}，{providers} 个机构",
    "cli.trusted_comment": "可信注释：{comment}",
    "cli.updated": "已更新：登记表序列号 {serial}，由密钥 {key} 签名",
    "cli.updated_from": "已更新：登记表序列号 {serial}（原为 {previous}），由密钥 {key} 签名",
    "cli.up_to_date": "已是最新：登记表序列号 {serial}",
    "cli.config_path": "配置文件：{path}",
    "cli.data_path": "数据目录：{path}",
    "cli.origin_embedded": "内置（随 callcheck 安装）",
    "info.serial": "序列号",
    "info.expires": "有效期至",
    "info.expired": "已过期",
    "info.providers": "机构数",
    "info.sha256": "SHA-256 摘要",
    "info.key_id": "签名密钥 ID",
    "info.origin": "来源",
    "usage.hint": "；请查看 '{command} --help'",
    "usage.no_such_option": "没有这个选项：{option}",
    "usage.no_such_command": "没有这个命令：{name!r}",
    "usage.did_you_mean": "（您是不是想用 {choices}？）",
    "usage.needs_value": "{option} 后面需要一个值",
    "usage.missing": "缺少 {what}",
    "usage.choice": "{what} 只能是 {choices} 之一",
    "usage.number": "{what} 必须是数字",
    "usage.bad_value": "{what} 的值无效：{detail}",
    "usage.extra": "多余的参数：{args}",
    "cli.interrupted": "已停止（Ctrl-C）",
    "policy.never": "从不",
    "policy.on_request": "仅在您要求回电时",
    "policy.may_call": "可能会致电",
    "ask.verification_code": "验证码",
    "ask.password": "密码",
    "ask.pin": "PIN 码",
    "ask.card_number": "银行卡号",
    "ask.cvv": "卡片安全码（CVV）",
    "ask.id_number": "身份证号",
    "ask.recovery_phrase": "助记词",
    "ask.private_key": "私钥",
    "ask.remote_access": "远程控制您的设备",
    "ask.safe_account_transfer": "转账到“安全账户”",
    "ask.payment": "以解冻或保护资金为由付款",
}

CATALOGUES: Final[dict[str, dict[str, str]]] = {"en": EN, "zh": ZH}


def text(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in."""
    catalogue = CATALOGUES.get(lang, EN)
    return catalogue[key].format(**params)


def resolve_lang(lang: str | None = None) -> Lang:
    """Pick the output language: ``lang`` if given, else the locale, else English.

    Accepts forms such as ``zh``, ``zh_CN.UTF-8``, ``zh-Hans`` and ``en_US``.
    """
    if not lang:
        # POSIX order: the first of these that is set decides.
        lang = next((v for k in ("LC_ALL", "LC_MESSAGES", "LANG") if (v := os.environ.get(k))), "")
    return "zh" if lang.strip().lower().startswith(("zh", "cn")) else "en"
