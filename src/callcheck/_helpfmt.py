"""Help pages in Chinese, and usage errors in one line in either language.

Click writes help and usage errors in English. ``cli`` hands them here: the Chinese
help comes from ``_help.ZH`` (the English stays in the commands' docstrings), and a
usage error becomes one catalogued line such as ``error: no such option: --regoin
(did you mean --region?); see 'callcheck number --help'``. Only loaded when help
is shown or the command line is wrong.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator

import click

from ._messages import text
from .cli import _colour, _lang

# Click's own options, which no command defines.
_BUILTIN_HELP = {"--help": "显示本帮助并退出。"}


def help_key(ctx: click.Context) -> str:
    """The key of a command in ``_help.ZH``: its path without ``callcheck``, or ``callcheck``."""
    return " ".join(ctx.command_path.split()[1:]) or "callcheck"


# -- help ---------------------------------------------------------------------------


def format_help_zh(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """Write the help of ``command`` in Chinese, laid out as Click lays out English help."""
    from ._help import ZH

    key = help_key(ctx)
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix="用法：")
    body = ZH.get(key, command.help or "")
    if body:
        formatter.write_paragraph()
        _write_text(formatter, body)
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or not isinstance(param, click.Option):
            continue
        name = max(param.opts, key=len)
        rows.append((record[0], ZH.get(f"{key} {name}", _BUILTIN_HELP.get(name, "")) + _extras(param)))
    if rows:
        formatter.write_paragraph()
        formatter.write_text("选项：")
        _write_rows(formatter, rows)
    if isinstance(command, click.Group):
        commands = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                summary = ZH.get(f"{key} {name}" if key != "callcheck" else name, sub.help or "")
                commands.append((name, summary.split("\n", 1)[0]))
        if commands:
            formatter.write_paragraph()
            formatter.write_text("命令：")
            _write_rows(formatter, commands)


def _extras(option: click.Option) -> str:
    if option.required:
        return "（必填）"
    if option.show_default and option.default is not None and not option.is_flag:
        return f"（默认：{option.default}）"
    return ""


def _write_text(formatter: click.HelpFormatter, body: str) -> None:
    """Paragraphs wrapped by display width (Chinese has no spaces to break at); a
    paragraph whose first line is ``\\b`` is written as it is."""
    width = max(formatter.width - formatter.current_indent - 2, 20)
    for i, paragraph in enumerate(body.strip("\n").split("\n\n")):
        if i:
            formatter.write("\n")
        lines = paragraph.split("\n")
        if lines[0].strip() == "\b":
            chosen: list[str] = lines[1:]
        else:
            chosen = list(_wrap(" ".join(line.strip() for line in lines), width))
        for line in chosen:
            formatter.write(f"{'':>{formatter.current_indent + 2}}{line}\n")


def _write_rows(formatter: click.HelpFormatter, rows: list[tuple[str, str]]) -> None:
    first = min(max(_width(r[0]) for r in rows), 30)
    indent = formatter.current_indent + 2
    width = max(formatter.width - indent - first - 2, 20)
    for term, definition in rows:
        lines = list(_wrap(definition, width)) or [""]
        if _width(term) > first:
            formatter.write(f"{'':>{indent}}{term}\n")
        else:
            lines[0] = term + " " * (first - _width(term) + 2) + lines[0]
            formatter.write(f"{'':>{indent}}{lines.pop(0)}\n")
        for line in lines:
            formatter.write(f"{'':>{indent + first + 2}}{line}\n")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _wrap(s: str, width: int) -> Iterator[str]:
    """Lines of at most ``width`` columns, broken between words or Chinese characters,
    never before closing punctuation."""
    line, used = "", 0
    for token in re.findall(r" |[\u2e80-\uffff]|[^ \u2e80-\uffff]+", s):
        w = _width(token)
        fits = used + w <= width or not line.strip()
        if not fits and token not in _NO_BREAK_BEFORE and line[-1] not in _NO_BREAK_AFTER:
            yield line.rstrip()
            line, used = ("", 0) if token == " " else (token, w)
        else:
            line, used = line + token, used + w
    if line.strip():
        yield line.rstrip()


_NO_BREAK_BEFORE = frozenset("，。、；：）」』”！？")
_NO_BREAK_AFTER = frozenset("（「『“")


# -- usage errors -------------------------------------------------------------------


class OneLineUsageError(click.UsageError):
    """A usage error already rendered as the one line callcheck prints."""

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True, color=_colour())


def one_line(error: click.UsageError, ctx: click.Context) -> OneLineUsageError:
    """``error`` as one line in the run's language, with where to find help."""
    if isinstance(error, OneLineUsageError):
        return error
    lang = _lang(ctx)
    where = error.ctx or ctx
    message = _describe(error, where, lang) + text("usage.hint", lang, command=where.command_path)
    return OneLineUsageError(text("cli.error", lang, message=message), where)


def no_such_command(name: str, choices: list[str], ctx: click.Context) -> OneLineUsageError:
    lang = _lang(ctx)
    message = text("usage.no_such_command", lang, name=name) + _did_you_mean(
        difflib.get_close_matches(name, choices, n=2), lang
    )
    message += text("usage.hint", lang, command=ctx.command_path)
    return OneLineUsageError(text("cli.error", lang, message=message), ctx)


def _describe(error: click.UsageError, ctx: click.Context, lang: str) -> str:
    if isinstance(error, click.NoSuchOption):
        return text("usage.no_such_option", lang, option=error.option_name) + _did_you_mean(
            sorted(error.possibilities or ()), lang
        )
    if isinstance(error, click.BadOptionUsage) and "requires an argument" in error.message:
        return text("usage.needs_value", lang, option=error.option_name)
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return text("usage.missing", lang, what=error.param.get_error_hint(ctx))
    if isinstance(error, click.BadParameter) and error.param is not None:
        what = error.param.get_error_hint(ctx)
        kind = error.param.type
        if isinstance(kind, click.Choice):
            choices = text("cli.list_sep", lang).join(str(c) for c in kind.choices)
            return text("usage.choice", lang, what=what, choices=choices)
        if isinstance(kind, (click.types.FloatParamType, click.types.IntParamType)):
            return text("usage.number", lang, what=what)
        return text("usage.bad_value", lang, what=what, detail=error.message)
    extra = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", error.message)
    if extra:
        return text("usage.extra", lang, args=extra.group(1))
    return error.message


def _did_you_mean(choices: list[str], lang: str) -> str:
    if not choices:
        return ""
    return text("usage.did_you_mean", lang, choices=text("reach.or", lang).join(choices))
