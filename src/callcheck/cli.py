"""The ``callcheck`` command: parses arguments, calls the library, prints the result.

No verdict logic lives here. Exit statuses are documented in the README.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from ._check import check_number
from ._errors import CallcheckError, InvalidInput
from ._loading import load_default
from ._messages import resolve_lang, text

if TYPE_CHECKING:
    from ._loading import Loaded
    from ._registry import Registry
    from ._results import Callback, NumberCheck, ReportTo

EXIT_OK = 0  # no risk found
EXIT_RISK = 1  # medium or high risk
EXIT_INPUT = 2  # the input is not usable: not a number, unknown provider, bad option
EXIT_ERROR = 3  # callcheck could not do its job: registry missing or invalid, disk error
EXIT_INTERRUPTED = 130  # stopped with Ctrl-C

_RISK_COLOURS = {"low": "green", "medium": "yellow", "high": "red"}

# Characters that act on a terminal instead of showing: C0 controls (but tab and
# newline), DEL, C1 controls, and the separators and bidirectional controls that move
# or reorder what is on screen. Text from outside (a signature's trusted comment, a file
# name) is printed with each of them written as an escape. (Patterns, not compiled here:
# compiling them would cost every start ~0.5 ms, and most output never needs them.)
_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSHOWABLE = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]"
# In JSON the C0 controls are escaped already, and every one of these is inside a string.
# Lone surrogates too (an argument with bytes that are not UTF-8): as escapes they are
# the same value to a JSON reader, and a strict UTF-8 output can write them.
_UNSHOWABLE_IN_JSON = f"[\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]"


# The other commands, by name: the function in ``_commands`` that defines each. They are
# imported on first use, so a number check (the command people run while a call is on)
# neither imports their code nor builds their options.
_LAZY_COMMANDS = {
    "config-path": "config_path_command",
    "provider": "provider",
    "registry": "registry",
    "report": "report",
    "transcript": "transcript",
    "update": "update",
}


class _Command(click.Command):
    """A command whose help follows the output language and whose usage errors are one line."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from ._helpfmt import format_help_zh

        if _lang(ctx) == "zh":
            format_help_zh(self, ctx, formatter)
        else:
            super().format_help(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            from ._helpfmt import one_line

            raise one_line(exc, ctx) from None


class _SubGroup(_Command, click.Group):
    """A group of commands (``registry``, ``report``) made of callcheck's own commands."""

    command_class = _Command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            from ._helpfmt import no_such_command, one_line

            name = args[0] if args else ""
            if name and self.get_command(ctx, name) is None and not name.startswith("-"):
                raise no_such_command(name, self.list_commands(ctx), ctx) from None
            raise one_line(exc, ctx) from None


class _Group(_SubGroup):
    """The ``callcheck`` group: also turns every callcheck error into one line on stderr
    and an exit status."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY_COMMANDS:
            from . import _commands

            self.add_command(getattr(_commands, _LAZY_COMMANDS[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidInput as exc:
            _fail(ctx, exc, EXIT_INPUT)
        except CallcheckError as exc:
            _fail(ctx, exc, EXIT_ERROR)
        except BrokenPipeError:
            raise
        except OSError as exc:
            from ._errors import os_reason

            _fail(ctx, os_reason(exc), EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo(file=sys.stderr)
            _fail(ctx, text("cli.interrupted", _lang(ctx)), EXIT_INTERRUPTED)


def _lang(ctx: click.Context) -> str:
    """The language of the run ``ctx`` belongs to, as far as it is known yet: before the
    group has run (help, a bad option) it comes from ``--lang`` if read, else the locale."""
    root = ctx.find_root()
    if isinstance(root.obj, dict) and "lang" in root.obj:
        return str(root.obj["lang"])
    lang = root.params.get("lang")
    return resolve_lang(lang if isinstance(lang, str) else None)


def _fail(ctx: click.Context, error: object, status: int) -> NoReturn:
    lang = _lang(ctx)
    message = error.message(lang) if hasattr(error, "message") and callable(error.message) else str(error)
    click.echo(_shown(text("cli.error", lang, message=message)), err=True, color=_colour())
    ctx.exit(status)
    raise AssertionError  # ctx.exit raises; this keeps type checkers content


def _colour() -> bool | None:
    # None lets Click decide (colour on a terminal only); NO_COLOR turns it off everywhere.
    return False if os.environ.get("NO_COLOR") else None


def _shown(message: str) -> str:
    """``message`` safe to print: what would act on a terminal written as an escape (``\\x1b``)."""
    if message.isprintable():  # nearly always: nothing to look for
        return message
    return re.sub(_UNSHOWABLE, _escape, message)


def _escape(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]


def _echo(message: str = "", **style: Any) -> None:
    message = _shown(message)
    click.echo(click.style(message, **style) if style else message, color=_colour())


def _print_json(data: Any) -> None:
    import json

    out = json.dumps(data, ensure_ascii=False, indent=2)
    # The same values, with what would act on a terminal written as \u escapes.
    click.echo(re.sub(_UNSHOWABLE_IN_JSON, lambda m: f"\\u{ord(m.group()):04x}", out))


def _loaded() -> Loaded:
    """The trusted registry; anything ignored while choosing it is reported on stderr."""
    loaded = load_default()
    lang = (click.get_current_context().obj or {}).get("lang", "en")
    for warning in loaded.warnings:
        click.echo(_shown(text("cli.warning", lang, message=warning.message(lang))), err=True)
    return loaded


def _registry() -> Registry:
    return _loaded().registry


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="callcheck", message="%(prog)s %(version)s")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default=None,
    is_eager=True,  # read before --help, so that the help is in that language
    help="Language of the output (default: from LC_ALL / LANG, else English).",
)
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """Is the call you are on really from your wallet, bank or payment app?

    \b
    Examples:
      callcheck number 95188 --region CN
      callcheck number "+1 888 221 1161" --claims paypal
      callcheck provider 支付宝
    """
    ctx.obj = {"lang": resolve_lang(lang)}


@main.command()
@click.argument("number", required=False)
@click.option("--region", "-r", metavar="CC", help="Two-letter region of your phone, e.g. CN or US.")
@click.option("--claims", "-c", metavar="PROVIDER", help="Who the caller says they are (id or name).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--batch",
    "-b",
    metavar="FILE|-",
    help="Check every line of FILE ('-': standard input); print one JSON object per line.",
)
@click.pass_context
def number(
    ctx: click.Context,
    number: str | None,
    region: str | None,
    claims: str | None,
    as_json: bool,
    batch: str | None,
) -> None:
    """Check whether NUMBER is an official number.

    With --batch, every line of FILE is checked and one JSON object per line
    (JSON Lines) is written as results come (from standard input, each line at
    once; from a file, a block of lines at a time); a line that is not a number
    gives an ``invalid`` result and the rest go on.

    Exit status: 0 no risk found, 1 risk found, 2 not a phone number or bad input.

    \b
    Examples:
      callcheck number 95188 --region CN
      callcheck number 13800138000 --region CN --claims alipay
      callcheck number "+86 951880" --json
      callcheck number --batch calls.txt --region CN > verdicts.jsonl
    """
    lang = ctx.obj["lang"]
    if (number is None) == (batch is None):
        raise InvalidInput("input.number_or_batch")
    if batch is not None:
        ctx.exit(_check_batch(batch, region, claims, lang))
    assert number is not None
    result = check_number(number, region=region, claims=claims, registry=_registry(), lang=lang)
    if as_json:
        _print_json(result.to_dict())
    elif result.verdict == "invalid":
        click.echo(text("cli.error", lang, message=result.reasons[0].message), err=True)
    else:
        _show_number(result, lang)
    ctx.exit(_status(result))


def _check_batch(path: str, region: str | None, claims: str | None, lang: str) -> int:
    from ._bulk import json_line_blocks
    from ._textinput import open_line_blocks

    # Lines are written a block at a time (from standard input a block is a line, written
    # as soon as it is known), as bytes when standard output is UTF-8: one block's text
    # holding a single non-ASCII character would otherwise be re-encoded wholly the slow way.
    binary = _utf8_buffer(sys.stdout)
    risky = False
    with open_line_blocks(path) as blocks:
        for lines, block_risky in json_line_blocks(
            blocks, region=region, claims=claims, registry=_registry(), lang=lang
        ):
            risky = risky or block_risky
            if not lines:
                continue
            lines.append("")
            if binary is not None:
                binary.write(b"\n".join([line.encode() for line in lines]))
            else:
                sys.stdout.write("\n".join(lines))
    sys.stdout.flush()
    return EXIT_RISK if risky else EXIT_OK


def _utf8_buffer(stream: Any) -> Any:
    """The binary buffer under ``stream`` if it writes UTF-8 straight to it, else None."""
    import codecs

    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    if buffer is None or not encoding or codecs.lookup(encoding).name != "utf-8":
        return None
    stream.flush()
    return buffer


def _status(result: NumberCheck) -> int:
    if result.verdict == "invalid":
        return EXIT_INPUT
    return EXIT_RISK if result.risky else EXIT_OK


def _show_number(result: NumberCheck, lang: str) -> None:
    assert result.risk is not None
    colour = _RISK_COLOURS[result.risk]
    _echo(result.advice[0].message, fg=colour, bold=True)
    provider = result.provider.name if result.provider else ""
    headline = text(f"verdict.{result.verdict}", lang, provider=provider)
    verdict = text(f"label.{result.verdict}", lang)
    _echo(
        text(
            "cli.headline", lang, verdict=verdict, risk=text(f"risk.{result.risk}", lang), headline=headline
        ),
        fg=colour,
    )
    _echo()
    _echo(text("cli.reasons", lang), bold=True)
    for note in (*result.reasons, *result.advice[1:]):
        if note.code != "report":  # listed in full below
            _echo(f"  - {note.message}")
    _show_callback_and_report(result.callback, result.report, lang)


def _show_callback_and_report(
    callback: tuple[Callback, ...], report: tuple[ReportTo, ...], lang: str
) -> None:
    if callback:
        _echo()
        _echo(text("cli.callback", lang), bold=True)
        for cb in callback:
            region = text("cli.region", lang, region=cb.region)
            _echo(f"  {cb.number}  {region}" + (f" {cb.note}" if cb.note else ""))
    if report:
        _echo()
        _echo(text("cli.report", lang), bold=True)
        for r in report:
            _echo(f"  {r.contact}  {r.name}" + (f"  {r.note}" if r.note else ""))


def run() -> None:  # pragma: no cover - console-script entry point
    """Entry point that keeps a closed pipe (``callcheck ... | head``) quiet."""
    try:
        main()
    except BrokenPipeError:
        # Whoever read our output has gone; say nothing more and do not let
        # Python complain about the pipe again while flushing at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
    finally:
        # At exit Python runs full garbage collections over every object the process
        # made (phonenumbers' metadata, the registry, the modules) looking for cycles
        # that are about to go away with the process anyway: ~15 ms of a number
        # check. Frozen objects are left out of them; output is still flushed.
        import gc

        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    run()
