"""The commands other than ``number``: providers, transcripts, updates and the maintainers' ones.

``cli`` imports this module only when one of them is run (or listed in the help), so a
number check builds none of their options. Like ``cli``, it decides nothing itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ._errors import InvalidInput
from ._messages import text
from ._records import FORMATS
from .cli import (
    _RISK_COLOURS,
    EXIT_OK,
    EXIT_RISK,
    _Command,
    _echo,
    _loaded,
    _print_json,
    _registry,
    _show_callback_and_report,
    _shown,
    _SubGroup,
)

if TYPE_CHECKING:
    from ._records import Records
    from ._registry import Provider, Registry
    from ._transcript import TranscriptCheck


@click.command(cls=_Command)
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the providers as JSON.")
@click.pass_context
def provider(ctx: click.Context, query: str | None, as_json: bool) -> None:
    """Show a provider's official numbers and policy (all providers without QUERY).

    QUERY is an id or any name, English or Chinese.

    \b
    Examples:
      callcheck provider
      callcheck provider 支付宝
      callcheck provider paypal --json
    """
    lang = ctx.obj["lang"]
    registry = _registry()
    found = registry.find(query) if query else list(registry.providers)
    if not found:
        raise InvalidInput("cli.no_match", query=query)
    if as_json:
        _print_json([p.to_dict() for p in found])
        return
    for i, p in enumerate(found):
        if i:
            _echo()
        _show_provider(p, lang)


def _show_provider(p: Provider, lang: str) -> None:
    other = p.names.zh if lang == "en" else p.names.en
    title = p.name(lang)
    if other and other != title:
        title = text("cli.title", lang, name=title, other=other)
    _echo(f"{title}  [{p.id}]", bold=True)
    label = _label_writer(lang)
    if p.numbers:
        label(text("cli.numbers", lang), "")
        for n in p.numbers:
            where = text("cli.number_where", lang, region=n.region, use=text(f"use.{n.use}", lang))
            _echo(f"    {n.number}  {where}" + (f"  {n.note}" if n.note else ""))
    else:
        label(text("cli.numbers", lang), text("cli.no_numbers", lang))
    label(text("cli.policy", lang), text(f"policy.{p.policy.calls_customers}", lang))
    if p.policy.never_asks_for:
        asks = text("cli.list_sep", lang).join(text(f"ask.{a}", lang) for a in p.policy.never_asks_for)
        label(text("cli.never_asks", lang), asks)
    if p.contact.website:
        label(text("cli.website", lang), p.contact.website)
    path = p.contact.app_path.get(lang) or p.contact.app_path.get("en")
    if path:
        label(text("cli.app_path", lang), path)
    checked = max(s.checked for s in p.sources).isoformat()
    label(text("cli.sources", lang), text("cli.sources_count", lang, count=len(p.sources), checked=checked))


def _label_writer(lang: str) -> Callable[[str, str], None]:
    def write(label: str, value: str) -> None:
        _echo("  " + text("cli.label", lang, label=label, value=value).rstrip())

    return write


@click.group(cls=_SubGroup)
def registry() -> None:
    """Maintainer commands for the registry of official numbers.

    \b
    Examples:
      callcheck registry lint registry/
      callcheck registry info
    """


@registry.command()
@click.argument("source", type=click.Path(file_okay=False, path_type=str), default="registry")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=str),
    default="registry.toml",
    show_default=True,
    help="Where to write the compiled registry.",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, path_type=str),
    help="The registry this build replaces (default: OUTPUT as it is now).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was built as JSON.")
@click.pass_context
def build(ctx: click.Context, source: str, output: str, previous: str | None, as_json: bool) -> None:
    """Compile the SOURCE tree (default: registry/) into one registry file.

    \b
    Example:
      callcheck registry build registry/ -o src/callcheck/data/registry.toml
    """
    from ._maintain import build_registry, shipped_serial

    # A new build must outrank the registry shipped in the package, which every
    # client trusts already; otherwise clients would refuse it as a rollback.
    result = build_registry(source, output, previous=previous, min_serial=shipped_serial() + 1)
    if as_json:
        _print_json(result.to_dict())
    else:
        _echo(
            text(
                "cli.built",
                ctx.obj["lang"],
                path=result.path,
                serial=result.serial,
                providers=result.providers,
                expires=result.expires.isoformat(),
            )
        )


@click.command(cls=_Command)
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option("--claims", "-c", metavar="PROVIDER", help="Who the caller says they are (id or name).")
@click.option(
    "--number", "-n", metavar="NUMBER", help="The caller's number, checked together with the words."
)
@click.option("--region", "-r", metavar="CC", help="Two-letter region of your phone, for --number.")
@click.option(
    "--follow", "-f", is_flag=True, help="Read a live transcript line by line; alert at once when risky."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def transcript(
    ctx: click.Context,
    file: str,
    claims: str | None,
    number: str | None,
    region: str | None,
    follow: bool,
    as_json: bool,
) -> None:
    """Look for a scam script in a call transcript (Chinese or English).

    FILE holds the transcript, one utterance per line; '-' or nothing reads
    standard input. With --follow, lines are read as they arrive (for live
    speech-to-text) and an alert is printed the moment the risk turns high.

    Exit status: 0 no risk found, 1 risk found, 2 unusable input.

    \b
    Examples:
      callcheck transcript call.txt --claims alipay
      callcheck transcript notes.txt --number 13800138000 --region CN --json
      my-speech-to-text | callcheck transcript --follow
    """
    from ._check import monitor_call
    from ._textinput import follow_lines, transcript_pieces

    lang = ctx.obj["lang"]
    registry = _registry()
    monitor = monitor_call(claims=claims, number=number, region=region, registry=registry, lang=lang)
    if follow:
        with follow_lines(file) as lines:
            for line in lines:
                if monitor.feed(line) and not as_json:
                    _alert(monitor.result(), monitor.lines, lang)
    else:
        # Read in pieces, whatever the size: the verdict check_transcript gives on the
        # whole text, in memory that does not grow with the transcript.
        with transcript_pieces(file) as pieces:
            for piece in pieces:
                monitor.read(piece)
    result = monitor.result()
    if as_json:
        _print_json(result.to_dict())
    else:
        _show_transcript(result, lang)
    ctx.exit(EXIT_RISK if result.risky else EXIT_OK)


def _alert(result: TranscriptCheck, line: int, lang: str) -> None:
    _echo(text("cli.alert", lang, line=line), fg="red", bold=True)
    for signal in result.signals:
        if signal.line == line:
            _echo(f"  - {signal.explanation}", fg="red")
    _echo(f"  {result.advice[0].message}", fg="red", bold=True)
    sys.stdout.flush()


def _show_transcript(result: TranscriptCheck, lang: str) -> None:
    colour = _RISK_COLOURS[result.risk]
    _echo(result.advice[0].message, fg=colour, bold=True)
    _echo(
        text(
            "cli.transcript_headline",
            lang,
            risk=text(f"risk.{result.risk}", lang),
            score=result.score,
            lines=result.lines,
        ),
        fg=colour,
    )
    if result.number is not None:
        n = result.number
        provider = n.provider.name if n.provider else ""
        _echo(f"{n.input}: {text(f'verdict.{n.verdict}', lang, provider=provider)}")
    evidence = [s for s in result.signals if s.weight > 0]
    if evidence:
        _echo()
        _echo(text("cli.reasons", lang), bold=True)
        for s in evidence:
            where = text("cli.at_line", lang, line=s.line) if s.line else ""
            _echo(f"  - {where}{s.explanation}")
    for extra in result.advice[1:]:
        if extra.code != "report":  # listed in full below
            _echo(f"  - {extra.message}")
    _show_callback_and_report(result.callback, result.report, lang)


def _password(prompt: str, lang: str, *, confirm: bool = False) -> str:
    """The key password: from CALLCHECK_KEY_PASSWORD if set, else asked for without echo."""
    env = os.environ.get("CALLCHECK_KEY_PASSWORD")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise InvalidInput("input.password_needed")
    repeat = text("cli.password_repeat", lang) if confirm else False
    value: str = click.prompt(text(prompt, lang), hide_input=True, confirmation_prompt=repeat)
    return value


@registry.command()
@click.option(
    "--public",
    "-p",
    "public_path",
    default="callcheck.pub",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the public key.",
)
@click.option(
    "--secret",
    "-s",
    "secret_path",
    default="callcheck.key",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the secret key.",
)
@click.option("--unencrypted", "-W", is_flag=True, help="Do not protect the secret key with a password.")
@click.option("--force", "-f", is_flag=True, help="Overwrite existing key files.")
@click.pass_context
def keygen(ctx: click.Context, public_path: str, secret_path: str, unencrypted: bool, force: bool) -> None:
    """Make a minisign-compatible key pair for signing registries.

    The secret key is encrypted with a password (asked for, or taken from
    CALLCHECK_KEY_PASSWORD) unless --unencrypted is given.

    \b
    Example:
      callcheck registry keygen -p callcheck.pub -s ~/.callcheck/callcheck.key
    """
    from ._maintain import keygen as make_keys

    lang = ctx.obj["lang"]
    password = None if unencrypted else _password("cli.password_new", lang, confirm=True)
    key = make_keys(public_path, secret_path, password, force=force)
    _echo(text("cli.keygen", lang, id=key.id, public=public_path, secret=secret_path))
    _echo(text("cli.public_key", lang, key=key.base64))


@registry.command("lint")
@click.argument("source", type=click.Path(file_okay=False), default="registry")
@click.option(
    "--max-age",
    default=365,
    show_default=True,
    metavar="DAYS",
    help="Fail on sources last checked longer ago than this.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def lint_command(ctx: click.Context, source: str, max_age: int, as_json: bool) -> None:
    """Check the registry SOURCE tree (default: registry/) for problems.

    Exit status: 0 no errors (warnings allowed), 1 errors found.

    \b
    Example:
      callcheck registry lint registry/
    """
    from ._lint import lint

    problems = lint(source, max_age_days=max_age)
    errors = sum(p.level == "error" for p in problems)
    if as_json:
        _print_json([p.to_dict() for p in problems])
    else:
        for p in problems:
            click.echo(_shown(p.render(ctx.obj["lang"])), err=p.level == "error")
        _echo(text("cli.lint_summary", ctx.obj["lang"], errors=errors, warnings=len(problems) - errors))
    ctx.exit(EXIT_RISK if errors else EXIT_OK)


@registry.command("sign")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--secret",
    "-s",
    "secret_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The secret key file.",
)
@click.option("--trusted-comment", "-t", help="Signed comment (default: time, file name, serial).")
@click.pass_context
def sign_command(ctx: click.Context, file: str, secret_path: str, trusted_comment: str | None) -> None:
    """Sign FILE into FILE.minisig (minisign format).

    \b
    Example:
      callcheck registry sign registry.toml -s ~/.callcheck/callcheck.key
    """
    from ._maintain import read_secret_key, secret_key_is_encrypted, sign_file

    lang = ctx.obj["lang"]
    password = _password("cli.password", lang) if secret_key_is_encrypted(secret_path) else None
    key = read_secret_key(secret_path, password)
    out = sign_file(file, key, trusted_comment=trusted_comment)
    _echo(text("cli.signed", lang, file=file, key=key.public_key.id, signature=out))


@registry.command("verify")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--public",
    "-p",
    "public_paths",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Public key file to verify with (repeatable; default: the trusted keys).",
)
@click.option(
    "--signature",
    "-x",
    "sig_path",
    type=click.Path(dir_okay=False),
    help="Signature file (default: FILE.minisig).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def verify_command(
    ctx: click.Context, file: str, public_paths: tuple[str, ...], sig_path: str | None, as_json: bool
) -> None:
    """Verify that FILE is a registry signed by a trusted key.

    \b
    Example:
      callcheck registry verify registry.toml -p callcheck.pub
    """
    from ._config import load_config
    from ._loading import read_signed
    from ._maintain import read_public_key
    from ._trust import verify_registry

    keys = [read_public_key(p) for p in public_paths] if public_paths else list(load_config().keys)
    data, signature = read_signed(file, sig_path)
    verified = verify_registry(data, signature, keys, origin=file)
    info = _info_dict(verified.registry, verified.sha256, verified.key_id, file)
    info["trusted_comment"] = verified.trusted_comment
    if as_json:
        _print_json(info)
    else:
        lang = ctx.obj["lang"]
        providers = len(verified.registry.providers)
        _echo(
            text(
                "cli.verified",
                lang,
                file=file,
                key=verified.key_id,
                serial=verified.serial,
                providers=providers,
            )
        )
        _echo(text("cli.trusted_comment", lang, comment=verified.trusted_comment))


def _info_dict(reg: Registry, sha256: str, key_id: str, origin: str) -> dict[str, Any]:
    return {
        "serial": reg.serial,
        "expires": reg.expires.isoformat(),
        "expired": reg.is_expired(),
        "providers": len(reg.providers),
        "sha256": sha256,
        "key_id": key_id,
        "origin": origin,
    }


@registry.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the details as JSON.")
@click.pass_context
def info_command(ctx: click.Context, as_json: bool) -> None:
    """Show the registry in use: serial, expiry, hash, signing key, where it came from.

    \b
    Examples:
      callcheck registry info
      callcheck registry info --json
    """
    loaded = _loaded()
    info = _info_dict(loaded.registry, loaded.verified.sha256, loaded.verified.key_id, loaded.origin)
    if as_json:
        _print_json(info)
        return
    lang = ctx.obj["lang"]
    info["expired"] = text("cli.yes" if info["expired"] else "cli.no", lang)
    if info["origin"] == "embedded":
        info["origin"] = text("cli.origin_embedded", lang)
    for key, value in info.items():
        _echo(text("cli.label", lang, label=text(f"info.{key}", lang), value=value))


@click.command(cls=_Command)
@click.option("--url", help="Base address of the published registry (default: registry_url from the config).")
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up when the server is silent this long.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def update(ctx: click.Context, url: str | None, timeout: float, as_json: bool) -> None:
    """Download and install a newer signed registry.

    The registry is verified against the trusted keys and refused if it is older
    than the one installed, expired, or badly signed; the installed registry is
    then left as it was.

    \b
    Example:
      callcheck update --url https://example.org/callcheck/
    """
    from ._update import update as run_update

    result = run_update(url, timeout=timeout, deadline=timeout * 6)
    if as_json:
        _print_json(result.to_dict())
    elif result.status == "updated":
        lang = ctx.obj["lang"]
        key = "cli.updated" if result.previous_serial is None else "cli.updated_from"
        _echo(text(key, lang, serial=result.serial, previous=result.previous_serial, key=result.key_id))
    else:
        _echo(text("cli.up_to_date", ctx.obj["lang"], serial=result.serial))


@click.command("config-path", cls=_Command)
@click.pass_context
def config_path_command(ctx: click.Context) -> None:
    """Print where callcheck reads its config file and keeps downloaded registries.

    \b
    Example:
      callcheck config-path
    """
    from ._config import config_path, data_dir

    lang = ctx.obj["lang"]
    _echo(text("cli.config_path", lang, path=config_path()))
    _echo(text("cli.data_path", lang, path=data_dir()))


@click.group(cls=_SubGroup, invoke_without_command=True)
@click.option("--number", "-n", metavar="NUMBER", help="The caller's number, as the phone showed it.")
@click.option("--claims", "-c", metavar="PROVIDER", help="Who the caller said they were (id or name).")
@click.option(
    "--region", "-r", metavar="CC", help="Two-letter region of your phone; decides where to report."
)
@click.option("--notes", metavar="TEXT", help="What was said, or notes about the call.")
@click.option(
    "--transcript", "-t", metavar="FILE|-", help="Read what was said from FILE ('-': standard input)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the saved record and verdict as JSON.")
@click.pass_context
def report(
    ctx: click.Context,
    number: str | None,
    claims: str | None,
    region: str | None,
    notes: str | None,
    transcript: str | None,
    as_json: bool,
) -> None:
    """Save a record of a suspicious call and see where to report it.

    Checks the call as 'callcheck number' and 'callcheck transcript' do, prints the
    verdict, and appends a record (time, number, claimed provider, notes, verdict)
    to a file on this computer ('callcheck report path' shows it). Nothing is ever
    sent anywhere: reporting the call is up to you, through the channels listed.

    Give at least --number or --notes / --transcript.

    Exit status: 0 saved, 2 unusable input, 3 the record could not be saved.

    \b
    Examples:
      callcheck report --number 13800138000 --region CN --claims alipay
      callcheck report -n "+1 888 221 1161" --notes "asked for the code we texted"
      callcheck report --transcript call.txt --number 13800138000 --region CN
      callcheck report list
      callcheck report export --format csv -o calls.csv
    """
    from ._errors import InvalidRecord

    if ctx.invoked_subcommand is not None:
        if any(v is not None for v in (number, claims, region, notes, transcript)):
            raise InvalidRecord("record.options_with_command", command=ctx.invoked_subcommand)
        return
    from ._records import MAX_NOTES_CHARS, save_record
    from ._textinput import read_transcript

    lang = ctx.obj["lang"]
    if notes is not None and transcript is not None:
        raise InvalidRecord("record.notes_and_transcript")
    if transcript is not None:
        notes = read_transcript(transcript, MAX_NOTES_CHARS)
    saved = save_record(
        number=number, claims=claims, notes=notes, region=region, registry=_registry(), lang=lang
    )
    if as_json:
        _print_json(saved.to_dict())
        return
    from ._results import NumberCheck
    from .cli import _show_number

    if isinstance(saved.check, NumberCheck):
        _show_number(saved.check, lang)
    else:
        _show_transcript(saved.check, lang)
    if not saved.report:
        _echo()
        _echo(text("cli.report", lang), bold=True)
        region = saved.record.region
        missing = (
            text("record.no_channels", lang, region=region) if region else text("record.no_region", lang)
        )
        _echo(f"  {missing}")
    _echo()
    _echo(text("record.saved", lang, id=saved.record.id, path=saved.path))


def _load_records(lang: str) -> Records:
    from ._records import load_records

    loaded = load_records()
    if loaded.skipped:
        click.echo(text("record.skipped", lang, count=loaded.skipped, path=loaded.path), err=True)
    return loaded


@report.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@click.pass_context
def report_list(ctx: click.Context, as_json: bool) -> None:
    """List the saved call records, oldest first: id, time, number, provider, risk.

    \b
    Examples:
      callcheck report list
      callcheck --lang zh report list
      callcheck report list --json
    """
    lang = ctx.obj["lang"]
    loaded = _load_records(lang)
    if as_json:
        _print_json(loaded.to_dict())
        return
    if not loaded.records:
        _echo(text("record.none", lang))
        return
    registry = _registry()
    for r in loaded.records:
        provider = registry.get(r.claims) if r.claims else None
        name = provider.name(lang) if provider else (r.claims or "-")
        risk = text(f"risk.{r.risk}", lang)
        _echo(f"{r.id}  {r.time}  {r.number or '-'}  {name}  {risk}", fg=_RISK_COLOURS[r.risk])


@report.command("export")
@click.option(
    "--format",
    "-f",
    "fmt",
    metavar="|".join(FORMATS),
    default="json",
    show_default=True,
    help="json (an array of records) or csv (a header row, then one row per record).",
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (default: standard output).")
@click.pass_context
def report_export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Export the saved call records as JSON or CSV, e.g. to attach to a report.

    \b
    Examples:
      callcheck report export > calls.json
      callcheck report export --format csv -o calls.csv
    """
    from ._records import export_format, export_records, write_export

    lang = ctx.obj["lang"]
    fmt = export_format(fmt)  # a bad format is an input error, whatever state the records are in
    loaded = _load_records(lang)
    data = export_records(loaded.records, fmt)
    if output is None or output == "-":
        click.echo(data, nl=False)
        return
    write_export(data, output)
    click.echo(text("record.exported", lang, count=len(loaded.records), path=output), err=True)


@report.command("delete")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "everything", is_flag=True, help="Delete every record.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting every record.")
@click.pass_context
def report_delete(ctx: click.Context, ids: tuple[str, ...], everything: bool, yes: bool) -> None:
    """Delete saved call records by their ids (see 'callcheck report list'), or all of them.

    \b
    Examples:
      callcheck report delete 3f9c2a7b1d4e5f60
      callcheck report delete --all --yes
    """
    from ._errors import InvalidRecord
    from ._records import delete_records, records_path

    lang = ctx.obj["lang"]
    if bool(ids) == everything:
        raise InvalidRecord("record.delete_what")
    if everything and not yes:
        if not sys.stdin.isatty():
            raise InvalidRecord("record.confirm_all")
        if not click.confirm(text("record.confirm_prompt", lang, path=records_path()), default=False):
            _echo(text("record.kept", lang))
            return
    count = delete_records(None if everything else ids)
    _echo(text("record.deleted", lang, count=count, path=records_path()))


@report.command("path")
def report_path() -> None:
    """Print the file the call records are kept in.

    \b
    Example:
      callcheck report path
    """
    from ._records import records_path

    _echo(str(records_path()))
