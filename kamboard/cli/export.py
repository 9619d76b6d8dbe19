"""`kamboard export`, `kamboard import` and `kamboard due`: results out, accounts across boards, follow-up.

Output is written as UTF-8 bytes (stdout or -o FILE) whatever the terminal's locale.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

import click

from .. import csv_export, exporting, followup, minutes, model, transfer
from ..i18n import _
from .base import CliError, board_options, cli, echo, echo_json, open_store, pass_store, terminal_text


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(model.validate_date(value, "today"))
    except model.ValidationError as exc:
        raise click.BadParameter(exc.message) from None


today_option = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=_parse_today,
    help=_("Take this date as today (default: the real today)."),
)


def write_output(data: bytes, target: str | None, *, exact: bool = False) -> None:
    """Write to stdout (None or '-') or atomically to a file (``exporting.write_export``).

    On a terminal, control characters are escaped (see ``base.echo``) unless ``exact`` (JSON);
    piped or written to a file, the bytes are exact."""
    if not target or target == "-":
        if not exact and sys.stdout.isatty():
            data = terminal_text(data.decode("utf-8")).encode("utf-8")
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (e.g. some IDE consoles)
            click.echo(data.decode("utf-8"), nl=False)
            return
        out.write(data)
        out.flush()
        return
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise CliError(
            _("Cannot write {target}: the folder {folder} does not exist.").format(target=target, folder=folder)
        )
    if os.path.isdir(target):
        raise CliError(_("Cannot write {target}: it is a folder; give a file name.").format(target=target))
    exporting.write_export(target, data, exporting.new_file_mode())  # the CLI gives the usual mode, as before


def render(
    store: Any,
    account_ref: str,
    fmt: str,
    today: dt.date,
    workshop: str | None = None,
    options: exporting.ExportOptions = exporting.DEFAULT_OPTIONS,
) -> str:
    """The export of one account in ``fmt`` (md, csv, ics, json) as text."""
    account = store.account(account_ref)
    cards = store.cards(account["id"])
    workshops = store.workshops(account["id"])
    try:
        return exporting.render(
            fmt, account, cards, workshops, today=today, user=store.user, workshop_id=workshop, options=options
        )
    except ValueError as exc:
        hint = _(" `kamboard workshop list` shows them.") if fmt == "md" and workshop else ""
        raise CliError(f"{exc}{hint}") from None


def _options(
    fmt: str, audience: str | None, delimiter: str | None, excel: bool, timezone: str | None
) -> exporting.ExportOptions:
    """The options of ``fmt``; an option of another format is an error, not silently ignored."""
    given = {
        "--for": (audience is not None, "md", _("the Markdown minutes (--format md)")),
        "--delimiter": (delimiter is not None, "csv", _("CSV (--format csv)")),
        "--excel": (excel, "csv", _("CSV (--format csv)")),
        "--timezone": (timezone is not None, "ics", _("the calendar (--format ics)")),
    }
    for flag, (used, wanted, what) in given.items():
        if used and fmt != wanted:
            raise CliError(_("{flag} applies to {what} only.").format(flag=flag, what=what))
    if excel and delimiter not in (None, ";"):
        raise CliError(_("--excel writes semicolons; leave out --delimiter or give --delimiter ';'."))
    if timezone:
        try:
            exporting.time_zone(timezone)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    return exporting.ExportOptions(
        audience=audience or "team",
        delimiter=csv_export.DELIMITERS[";" if excel else delimiter or ","],
        timezone=timezone or "",
    )


@cli.command(
    "export",
    help=_("Export ACCOUNT (name, id or id prefix) as Markdown minutes, CSV, iCalendar or JSON.")
    + "\n\n\b\n"
    + _("Examples:")
    + "\n  kamboard export ACME --for customer -o minutes.md   # "
    + _("minutes to send the customer")
    + "\n  kamboard export ACME --excel -o actions.csv         # "
    + _("support actions for German Excel")
    + "\n  kamboard export ACME --timezone Europe/Berlin -o acme.ics",
)
@click.argument("account")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(exporting.FORMATS, case_sensitive=False),
    default=None,
    help=_(
        "md: workshop minutes; csv: support actions; ics: due and workshop dates; json: the whole account "
        "(for `kamboard import`). Default: from -o's suffix, else md."
    ),
)
@click.option("-o", "--output", metavar="FILE", default=None, help=_("Write to FILE instead of stdout."))
@click.option("--workshop", metavar="ID", default=None, help=_("Minutes of this workshop (id or prefix; md only)."))
@click.option(
    "--for",
    "audience",
    type=click.Choice(minutes.AUDIENCES, case_sensitive=False),
    default=None,
    help=_(
        "md: minutes for the team (default: everything, with the gaps, value for us and notes) or for the "
        "customer (nothing internal: what was discussed, the agreed support actions, the agenda)."
    ),
)
@click.option(
    "--delimiter",
    type=click.Choice(tuple(csv_export.DELIMITERS)),
    default=None,
    help=_("csv: the field separator (default ','); ';' for spreadsheets set up for a decimal comma, as in Germany."),
)
@click.option(
    "--excel",
    is_flag=True,
    help=_(
        "csv: for Excel, also set up for a decimal comma: semicolons, a UTF-8 byte order mark and CRLF line "
        "ends (the mark and CRLF are always written)."
    ),
)
@click.option(
    "--timezone",
    metavar="ZONE",
    default=None,
    help=_(
        "ics: the time zone of the workshops' times, e.g. Europe/Berlin (default: this computer's); "
        "the calendar gives them in UTC."
    ),
)
@today_option
@pass_store
def export_command(
    store: Any,
    account: str,
    fmt: str | None,
    output: str | None,
    workshop: str | None,
    audience: str | None,
    delimiter: str | None,
    excel: bool,
    timezone: str | None,
    today: dt.date,
) -> None:
    if fmt is None:
        fmt = exporting.format_of(output, "csv" if excel or delimiter else "ics" if timezone else "md")
    fmt = fmt.lower()
    if workshop and fmt != "md":
        raise CliError(_("--workshop applies to the Markdown minutes only (--format md)."))
    options = _options(fmt, audience and audience.lower(), delimiter, excel, timezone)
    text = render(store, account, fmt, today, workshop, options)
    write_output(text.encode("utf-8"), output, exact=fmt == "json")
    if output and output != "-":
        name = store.account(account)["name"]
        echo(_("Wrote {format} export of {name!r} to {output}.").format(format=fmt, name=name, output=output), err=True)


@cli.command(
    "import",
    help=_("Import an account exported with `kamboard export ACCOUNT --format json` (FILE.json, or - for stdin).")
    + "\n\n"
    + _(
        "Ids are kept: importing the same file again changes nothing, and a newer export of the\n"
        "same account adds its new cards and workshops. A record changed on both boards, or another\n"
        "account with the same name, stops the import with a message; nothing is then imported."
    ),
)
@click.argument("file", metavar="FILE.json")
@click.option(
    "--into",
    "into",
    metavar="BOARD",
    default=None,
    help=_("The board to import into (default: -f/--file, $KAMBOARD_FILE, else ./kamboard.json); created if missing."),
)
@board_options
def import_command(file: str, into: str | None) -> None:
    raw = _read_input(file)
    source = "stdin" if file == "-" else file
    data = transfer.parse_export(raw, source)
    store = open_store(create=True, path=into)
    result = transfer.import_account(store, data, source)
    echo(result.summary(store.name))


def _read_input(path: str) -> bytes:
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        return stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8")
    if os.path.isdir(path):
        raise CliError(_("{path} is a folder, not an export file.").format(path=path))
    if not os.path.exists(path):
        raise CliError(
            _("{path} does not exist; make one with `kamboard export ACCOUNT --format json -o {path}`.").format(
                path=path
            )
        )
    with open(path, "rb") as handle:
        return handle.read()


@cli.command(
    "due",
    help=_("Overdue support actions, those due within --days, and accounts whose yearly workshop is due."),
)
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=followup.DEFAULT_DAYS,
    show_default=True,
    help=_("Look this many days ahead."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print as JSON (for scripts)."))
@today_option
@pass_store
def due_command(store: Any, days: int, as_json: bool, today: dt.date) -> None:
    accounts = store.accounts()
    report = followup.due_report(accounts, store.cards(), store.workshops(), today, days)
    names = {a["id"]: a.get("name", "") for a in accounts}
    if as_json:
        echo_json(report.to_dict(names))
    else:
        write_output(terminal_text(followup.due_text(report, names)).encode("utf-8"), None, exact=True)


__all__ = ["due_command", "export_command", "import_command", "render", "write_output"]
