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
    help="Take this date as today (default: the real today).",
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
        raise CliError(f"Cannot write {target}: the folder {folder} does not exist.")
    if os.path.isdir(target):
        raise CliError(f"Cannot write {target}: it is a folder; give a file name.")
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
        hint = " `kamboard workshop list` shows them." if fmt == "md" and workshop else ""
        raise CliError(f"{exc}{hint}") from None


def _options(
    fmt: str, audience: str | None, delimiter: str | None, excel: bool, timezone: str | None
) -> exporting.ExportOptions:
    """The options of ``fmt``; an option of another format is an error, not silently ignored."""
    given = {
        "--for": (audience is not None, "md", "the Markdown minutes (--format md)"),
        "--delimiter": (delimiter is not None, "csv", "CSV (--format csv)"),
        "--excel": (excel, "csv", "CSV (--format csv)"),
        "--timezone": (timezone is not None, "ics", "the calendar (--format ics)"),
    }
    for flag, (used, wanted, what) in given.items():
        if used and fmt != wanted:
            raise CliError(f"{flag} applies to {what} only.")
    if excel and delimiter not in (None, ";"):
        raise CliError("--excel writes semicolons; leave out --delimiter or give --delimiter ';'.")
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


@cli.command("export")
@click.argument("account")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(exporting.FORMATS, case_sensitive=False),
    default=None,
    help="md: workshop minutes; csv: support actions; ics: due and workshop dates; json: the whole account "
    "(for `kamboard import`). Default: from -o's suffix, else md.",
)
@click.option("-o", "--output", metavar="FILE", default=None, help="Write to FILE instead of stdout.")
@click.option("--workshop", metavar="ID", default=None, help="Minutes of this workshop (id or prefix; md only).")
@click.option(
    "--for",
    "audience",
    type=click.Choice(minutes.AUDIENCES, case_sensitive=False),
    default=None,
    help="md: minutes for the team (default: everything, with the gaps, value for us and notes) or for the "
    "customer (nothing internal: what was discussed, the agreed support actions, the agenda).",
)
@click.option(
    "--delimiter",
    type=click.Choice(tuple(csv_export.DELIMITERS)),
    default=None,
    help="csv: the field separator (default ','); ';' for spreadsheets set up for a decimal comma, as in Germany.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="csv: for Excel, also set up for a decimal comma: semicolons, a UTF-8 byte order mark and CRLF line "
    "ends (the mark and CRLF are always written).",
)
@click.option(
    "--timezone",
    metavar="ZONE",
    default=None,
    help="ics: the time zone of the workshops' times, e.g. Europe/Berlin (default: this computer's); "
    "the calendar gives them in UTC.",
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
    """Export ACCOUNT (name, id or id prefix) as Markdown minutes, CSV, iCalendar or JSON.

    \b
    Examples:
      kamboard export ACME --for customer -o minutes.md   # minutes to send the customer
      kamboard export ACME --excel -o actions.csv         # support actions for German Excel
      kamboard export ACME --timezone Europe/Berlin -o acme.ics
    """
    if fmt is None:
        fmt = exporting.format_of(output, "csv" if excel or delimiter else "ics" if timezone else "md")
    fmt = fmt.lower()
    if workshop and fmt != "md":
        raise CliError("--workshop applies to the Markdown minutes only (--format md).")
    options = _options(fmt, audience and audience.lower(), delimiter, excel, timezone)
    text = render(store, account, fmt, today, workshop, options)
    write_output(text.encode("utf-8"), output, exact=fmt == "json")
    if output and output != "-":
        echo(f"Wrote {fmt} export of {store.account(account)['name']!r} to {output}.", err=True)


@cli.command("import")
@click.argument("file", metavar="FILE.json")
@click.option(
    "--into",
    "into",
    metavar="BOARD",
    default=None,
    help="The board to import into (default: -f/--file, $KAMBOARD_FILE, else ./kamboard.json); created if missing.",
)
@board_options
def import_command(file: str, into: str | None) -> None:
    """Import an account exported with `kamboard export ACCOUNT --format json` (FILE.json, or - for stdin).

    Ids are kept: importing the same file again changes nothing, and a newer export of the
    same account adds its new cards and workshops. A record changed on both boards, or another
    account with the same name, stops the import with a message; nothing is then imported.
    """
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
        raise CliError(f"{path} is a folder, not an export file.")
    if not os.path.exists(path):
        raise CliError(f"{path} does not exist; make one with `kamboard export ACCOUNT --format json -o {path}`.")
    with open(path, "rb") as handle:
        return handle.read()


@cli.command("due")
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=followup.DEFAULT_DAYS,
    show_default=True,
    help="Look this many days ahead.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (for scripts).")
@today_option
@pass_store
def due_command(store: Any, days: int, as_json: bool, today: dt.date) -> None:
    """Overdue support actions, those due within --days, and accounts whose yearly workshop is due."""
    accounts = store.accounts()
    report = followup.due_report(accounts, store.cards(), store.workshops(), today, days)
    names = {a["id"]: a.get("name", "") for a in accounts}
    if as_json:
        echo_json(report.to_dict(names))
    else:
        write_output(terminal_text(followup.due_text(report, names)).encode("utf-8"), None, exact=True)


__all__ = ["due_command", "export_command", "import_command", "render", "write_output"]
