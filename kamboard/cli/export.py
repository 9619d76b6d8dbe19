"""`kamboard export`, `kamboard import` and `kamboard due`: results out, accounts across boards, follow-up.

Output is written as UTF-8 bytes (stdout or -o FILE) whatever the terminal's locale.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

import click

from .. import exporting, followup, model, transfer
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


def render(store: Any, account_ref: str, fmt: str, today: dt.date, workshop: str | None = None) -> str:
    """The export of one account in ``fmt`` (md, csv, ics, json) as text."""
    account = store.account(account_ref)
    cards = store.cards(account["id"])
    workshops = store.workshops(account["id"])
    try:
        return exporting.render(fmt, account, cards, workshops, today=today, user=store.user, workshop_id=workshop)
    except ValueError as exc:
        if fmt != "md":  # only the minutes look a workshop up
            raise
        raise CliError(f"{exc} `kamboard workshop list` shows them.") from None


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
@today_option
@pass_store
def export_command(
    store: Any, account: str, fmt: str | None, output: str | None, workshop: str | None, today: dt.date
) -> None:
    """Export ACCOUNT (name, id or id prefix) as Markdown minutes, CSV, iCalendar or JSON."""
    if fmt is None:
        fmt = exporting.format_of(output)
    fmt = fmt.lower()
    if workshop and fmt != "md":
        raise CliError("--workshop applies to the Markdown minutes only (--format md).")
    text = render(store, account, fmt, today, workshop)
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
