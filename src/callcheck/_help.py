"""The Chinese text of callcheck's --help; the English is in the commands' docstrings."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "callcheck": (
        "查一查正在通话的来电是否真的来自您的钱包、银行或支付应用。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck number 95188 --region CN\n"
        '  callcheck number "+1 888 221 1161" --claims paypal\n'
        "  callcheck provider 支付宝"
    ),
    "callcheck --version": "显示版本号并退出。",
    "callcheck --lang": "输出所用的语言（默认：根据 LC_ALL / LANG 决定，否则用英文）。",
    "config-path": (
        "显示 callcheck 的配置文件位置，以及已下载登记表的存放位置。\n\n\b\n示例：\n  callcheck config-path"
    ),
    "number": (
        "检查 NUMBER 是否为官方号码。\n"
        "\n"
        "使用 --batch 时，会检查 FILE 的每一行，每得出一个结果就输出一行 JSON 对象（JSON Lines）："
        "从标准输入读取时，每行立即输出；从文件读取时，每次输出一批。不是号码的行会得到 'invalid' 结果，"
        "其余各行照常检查。\n"
        "\n"
        "退出状态：0 表示未发现风险，1 表示发现风险，2 表示不是电话号码或输入有误。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck number 95188 --region CN\n"
        "  callcheck number 13800138000 --region CN --claims alipay\n"
        '  callcheck number "+86 951880" --json\n'
        "  callcheck number --batch calls.txt --region CN > verdicts.jsonl"
    ),
    "number --region": "您手机所属地区的两字母代码，例如 CN 或 US。",
    "number --claims": "来电者自称是哪家机构（ID 或名称）。",
    "number --json": "以 JSON 格式输出结果。",
    "number --batch": "逐行检查 FILE（'-' 表示标准输入）；每行输出一个 JSON 对象。",
    "provider": (
        "显示某个机构的官方号码和政策（不提供 QUERY 时显示所有机构）。\n"
        "\n"
        "QUERY 可以是 ID，也可以是任意名称，英文或中文均可。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck provider\n"
        "  callcheck provider 支付宝\n"
        "  callcheck provider paypal --json"
    ),
    "provider --json": "以 JSON 格式输出机构信息。",
    "registry": (
        "供维护者使用的官方号码登记表管理命令。"
        "\n\n\b\n示例：\n  callcheck registry lint registry/\n  callcheck registry info"
    ),
    "registry build": (
        "将 SOURCE 目录树（默认：registry/）编译成一个登记表文件。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck registry build registry/ -o src/callcheck/data/registry.toml"
    ),
    "registry build --output": "编译后登记表的写入位置。",
    "registry build --previous": "本次构建所替换的登记表（默认：OUTPUT 当前的内容）。",
    "registry build --json": "以 JSON 格式输出构建结果。",
    "registry info": (
        "显示正在使用的登记表：序列号、到期时间、哈希值、签名密钥、来源。"
        "\n\n\b\n示例：\n  callcheck registry info\n  callcheck registry info --json"
    ),
    "registry info --json": "以 JSON 格式输出这些详细信息。",
    "registry keygen": (
        "生成与 minisign 兼容的密钥对，用于为登记表签名。\n"
        "\n"
        "除非指定 --unencrypted，否则私钥会用密码加密（密码会提示您输入，或从 CALLCHECK_KEY_PASSWORD 读取）"
        "。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck registry keygen -p callcheck.pub -s ~/.callcheck/callcheck.key"
    ),
    "registry keygen --public": "公钥的写入位置。",
    "registry keygen --secret": "私钥的写入位置。",
    "registry keygen --unencrypted": "不用密码保护私钥。",
    "registry keygen --force": "覆盖已有的密钥文件。",
    "registry lint": (
        "检查登记表的 SOURCE 目录树（默认：registry/）是否有问题。\n"
        "\n"
        "退出状态：0 表示没有错误（允许有警告），1 表示发现错误。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck registry lint registry/"
    ),
    "registry lint --max-age": "若某个来源上次核实距今已超过这个时长，则判为不通过。",
    "registry lint --json": "以 JSON 格式输出检查结果。",
    "registry sign": (
        "为 FILE 签名，生成 FILE.minisig（minisign 格式）。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck registry sign registry.toml -s ~/.callcheck/callcheck.key"
    ),
    "registry sign --secret": "私钥文件。",
    "registry sign --trusted-comment": "可信注释，会一并签名（默认：时间、文件名、序列号）。",
    "registry verify": (
        "验证 FILE 是否为由受信任密钥签名的登记表。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck registry verify registry.toml -p callcheck.pub"
    ),
    "registry verify --public": "用于验证的公钥文件（可多次指定；默认：受信任的密钥）。",
    "registry verify --signature": "签名文件（默认：FILE.minisig）。",
    "registry verify --json": "以 JSON 格式输出结果。",
    "report": (
        "保存可疑来电的记录，并查看可以向哪里举报。\n"
        "\n"
        "像 'callcheck number' 和 'callcheck transcript' 那样检查这通电话，显示判断结果，"
        "并把一条记录（时间、号码、对方自称的机构、备注、判断结果）追加到本机的一个文件中（用 'callcheck re"
        "port path' 可以查看是哪个文件）。任何内容都不会发送到别处：是否举报由您决定，"
        "可以通过列出的渠道进行。\n"
        "\n"
        "请至少提供 --number，或者 --notes / --transcript。\n"
        "\n"
        "退出状态：0 表示已保存，2 表示输入无法使用，3 表示记录无法保存。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck report --number 13800138000 --region CN --claims alipay\n"
        '  callcheck report -n "+1 888 221 1161" --notes "asked for the code we texted"\n'
        "  callcheck report --transcript call.txt --number 13800138000 --region CN\n"
        "  callcheck report list\n"
        "  callcheck report export --format csv -o calls.csv"
    ),
    "report --number": "来电者的号码，按手机上显示的填写。",
    "report --claims": "来电者自称是哪家机构（ID 或名称）。",
    "report --region": "您手机所属地区的两字母代码；决定向哪里举报。",
    "report --notes": "通话内容，或关于这通电话的备注。",
    "report --transcript": "从 FILE 读取通话内容（'-' 表示标准输入）。",
    "report --json": "以 JSON 格式输出已保存的记录和判断结果。",
    "report export": (
        "将已保存的来电记录导出为 JSON 或 CSV，例如附在举报材料中。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck report export > calls.json\n"
        "  callcheck report export --format csv -o calls.csv"
    ),
    "report export --format": "json（由记录组成的数组）或 csv（先是一行表头，之后每条记录一行）。",
    "report export --output": "写入 FILE（默认：标准输出）。",
    "report list": (
        "列出已保存的来电记录，最早的在前：ID、时间、号码、机构、风险。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck report list\n"
        "  callcheck --lang zh report list\n"
        "  callcheck report list --json"
    ),
    "report list --json": "以 JSON 格式输出记录。",
    "report path": ("显示保存来电记录的文件路径。\n\n\b\n示例：\n  callcheck report path"),
    "transcript": (
        "在通话文字稿（中文或英文）中查找诈骗话术。\n"
        "\n"
        "FILE 存放通话文字稿，每行一句话；FILE 为 '-' 或不提供时，从标准输入读取。使用 --follow 时，"
        "收到一行就读取一行（适用于实时语音转文字），风险一旦变高就立即发出警报。\n"
        "\n"
        "退出状态：0 表示未发现风险，1 表示发现风险，2 表示输入无法使用。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck transcript call.txt --claims alipay\n"
        "  callcheck transcript notes.txt --number 13800138000 --region CN --json\n"
        "  my-speech-to-text | callcheck transcript --follow"
    ),
    "transcript --claims": "来电者自称是哪家机构（ID 或名称）。",
    "transcript --number": "来电者的号码，与通话内容一起检查。",
    "transcript --region": "您手机所属地区的两字母代码，供 --number 使用。",
    "transcript --follow": "逐行读取实时的通话文字稿；一有风险立即发出警报。",
    "transcript --json": "以 JSON 格式输出结果。",
    "update": (
        "下载并安装较新的已签名登记表。\n"
        "\n"
        "新登记表会用受信任的密钥进行验证；如果它比已安装的登记表旧、已过期或签名有误，就会被拒绝，"
        "已安装的登记表保持不变。\n"
        "\n"
        "\b\n"
        "示例：\n"
        "  callcheck update --url https://example.org/callcheck/"
    ),
    "update --url": "已发布登记表的基础地址（默认：配置中的 registry_url）。",
    "update --timeout": "服务器持续无响应达到这个时长就放弃。",
    "update --json": "以 JSON 格式输出结果。",
    "report delete": (
        "按 ID 删除已保存的来电记录（ID 可用 'callcheck report list' 查看），或删除全部记录。"
        "\n\n\b\n示例：\n"
        "  callcheck report delete 3f9c2a7b1d4e5f60\n"
        "  callcheck report delete --all --yes"
    ),
    "report delete --all": "删除全部记录。",
    "report delete --yes": "删除全部记录前不再询问。",
}
