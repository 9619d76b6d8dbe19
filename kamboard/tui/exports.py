"""Exports from the command palette: the current account as Markdown minutes (for the customer or
the team), CSV (for most spreadsheets, or Excel set up for a decimal comma), iCalendar or JSON,
and an SVG screenshot of the screen.

Each asks for the output path (prefilled next to the board file), asks before replacing an
existing file, and writes atomically in a thread worker that never touches widgets: the
records are read on the UI thread, the worker only renders and writes, then hands its
notice back with ``call_from_thread``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand

from kamboard import exporting
from kamboard.errors import BoardError
from kamboard.i18n import N_, _
from kamboard.model import ValidationError
from kamboard.tui.reporting import reporting
from kamboard.tui.screens.dialogs import ConfirmDialog, TextPrompt

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp

Doc = dict[str, Any]
SCREENSHOT = N_("Save board screenshot (SVG)")  # translated where shown
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class ExportKind:
    """One export format as the palette offers it (its texts marked with N_, translated where shown)."""

    fmt: str  # md, csv, ics, json
    command: str  # the palette entry
    help: str  # markup (the palette renders it so), {account} is the account name
    what: str  # for the notice: "the customer minutes of ACME"
    ending: str  # appended to the account's slug for the default file name
    options: exporting.ExportOptions = exporting.DEFAULT_OPTIONS


KINDS = (
    ExportKind(
        "md",
        N_("Export minutes for the customer (Markdown)"),
        N_("Minutes of the latest workshop of {account} to send the customer: nothing internal"),
        N_("customer minutes"),
        "-minutes-customer.md",
        exporting.ExportOptions(audience="customer"),
    ),
    ExportKind(
        "md",
        N_("Export minutes for the team (Markdown)"),
        N_("Minutes of the latest workshop of {account} with the gaps, value for us and notes"),
        N_("team minutes"),
        "-minutes-team.md",
    ),
    ExportKind(
        "csv",
        N_("Export support actions (CSV)"),
        N_("Support actions of {account}, for a spreadsheet"),
        N_("actions"),
        "-actions.csv",
    ),
    ExportKind(
        "csv",
        N_("Export support actions for Excel (CSV with semicolons)"),
        N_("Support actions of {account}, for Excel set up for a decimal comma (as in Germany)"),
        N_("actions"),
        "-actions-excel.csv",
        exporting.EXCEL,
    ),
    ExportKind(
        "ics",
        N_("Export calendar (iCalendar)"),
        N_("Due dates and workshops of {account}, for a calendar"),
        N_("calendar"),
        "-calendar.ics",
    ),
    ExportKind(
        "json",
        N_("Export account (JSON)"),
        N_("All of {account}, for `kamboard import` elsewhere"),
        N_("whole account"),
        ".json",
    ),
)


# ---------------------------------------------------------------- pure helpers
def slug(name: str) -> str:
    """A file-name-safe form of an account name: 'Müller & Co. GmbH' -> 'mueller-co-gmbh'
    (ASCII where the name allows it, else its own letters)."""
    folded = name.casefold().translate(_UMLAUTS)
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or re.sub(r"[^\w]+", "-", folded).strip("-_")
    return out[:60].strip("-") or "account"


def markup_literal(value: str) -> str:
    """User text for a markup string (the palette's help lines): every '[' escaped.

    Not ``textual.markup.escape``: it escapes only what looks like a Rich tag, and Textual's
    markup still takes '[ACME]' or '[$x]' in a name for a style (the name vanished)."""
    return value.replace("[", "\\[")


def default_path(board_name: str, file_name: str) -> str:
    """``file_name`` in the board file's folder, written as the board's path is ('./x' for a bare name)."""
    return os.path.join(os.path.dirname(board_name) or ".", file_name)


def check_target(value: str) -> str:
    """A TextPrompt validator: the path to write (``~`` expanded), or ValidationError saying why not."""
    path = os.path.expanduser(value.strip())
    if not path:
        raise ValidationError("path", _("Give a file name."))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValidationError("path", _("The folder {folder} does not exist.").format(folder=folder))
    if os.path.isdir(path):
        raise ValidationError("path", _("{path} is a folder; give a file name.").format(path=value.strip()))
    return path


# ---------------------------------------------------------------- palette entries
def export_commands(app: KamboardApp, account_id: str | None) -> Iterator[SystemCommand]:
    """The exports of ``account_id`` (none without one), and the screenshot."""
    name = ""
    if account_id:
        with suppress(BoardError):
            name = str(app.store.account(account_id).get("name", ""))
    if account_id and name:
        for kind in KINDS:
            help_text = _(kind.help).format(account=markup_literal(name))
            yield SystemCommand(_(kind.command), help_text, partial(start_export, app, account_id, kind))
    yield SystemCommand(
        _(SCREENSHOT),
        _("This screen as an SVG picture, to a file you choose"),
        partial(start_screenshot, app, name),
    )


def ask_path(app: KamboardApp, title: str, default: str, then: Callable[[str], None]) -> None:
    """Ask for a file path (validated); ask before replacing a file; call ``then(path)``.

    Declining to replace asks for the path again, so another name is one edit away.
    """

    def got(path: str | None) -> None:
        if not path:
            return
        if not os.path.exists(path):
            then(path)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then(path)
            else:
                ask_path(app, title, path, then)

        app.push_screen(
            ConfirmDialog(
                _("Replace file?"),
                _("{path} exists. Replace it?").format(path=path),
                yes=_("Replace"),
                no=_("Other name"),
                focus_yes=False,
            ),
            answered,
        )

    app.push_screen(TextPrompt(title, _("Save to file (Enter saves, Esc cancels)"), default, check_target), got)


def start_export(app: KamboardApp, account_id: str, kind: ExportKind) -> None:
    account: Doc | None = None
    with reporting(app):
        account = app.store.account(account_id)
    if account is None:
        return
    name = str(account.get("name", ""))
    default = default_path(app.store.name, slug(name) + kind.ending)
    ask_path(app, f"{_(kind.command)}: {name}", default, partial(write_export, app, account_id, kind))


def write_export(app: KamboardApp, account_id: str, kind: ExportKind, path: str) -> None:
    """Read the account now (UI thread); render and write it in a worker."""
    store = app.store
    read: tuple[Doc, list[Doc], list[Doc]] | None = None
    with reporting(app):
        read = store.account(account_id), store.cards(account_id), store.workshops(account_id)
    if read is None:
        return
    account, cards, workshops = read
    today, user = app.today, store.user

    def produce() -> bytes:
        text = exporting.render(kind.fmt, account, cards, workshops, today=today, user=user, options=kind.options)
        return text.encode("utf-8")

    done = _("Wrote the {what} of {account} to {path}").format(
        what=_(kind.what), account=account.get("name", ""), path=path
    )
    write_in_worker(app, path, produce, done)


def start_screenshot(app: KamboardApp, account_name: str = "") -> None:
    """Ask where to save a picture of the screen (named after ``account_name``'s board, if any)."""
    name = slug(account_name) + "-board" if account_name else "kamboard"
    default = default_path(app.store.name, f"{name}.svg")

    def later(path: str) -> None:  # the prompt must be gone before the picture is taken
        app.set_timer(0.1, partial(save_screenshot, app, path))

    ask_path(app, _(SCREENSHOT), default, later)


def save_screenshot(app: KamboardApp, path: str) -> None:
    """Render the current screen as SVG (UI thread), write it in a worker."""
    svg = app.export_screenshot()
    done = _("Saved a screenshot to {path}").format(path=path)
    write_in_worker(app, path, lambda: svg.encode("utf-8"), done, _("Screenshot"))


def write_in_worker(app: KamboardApp, path: str, produce: Callable[[], bytes], done: str, title: str = "") -> None:
    """Run ``produce`` and write its bytes atomically to ``path`` off the UI thread; notify the outcome
    (``title``: the notices' title, default "Export")."""
    mode = exporting.file_mode(path)  # keeps an existing file's permissions
    title = title or _("Export")

    def work() -> None:
        try:
            exporting.write_export(path, produce(), mode)
        except OSError as exc:
            message = _("Could not write {path}: {error}").format(path=path, error=exc.strerror or exc)
            app.call_from_thread(app.notify, message, title=title, severity="error", markup=False, timeout=10)
            return
        except Exception as exc:  # a bug in a renderer: say so, keep the app running
            message = _("Could not export to {path}: {error}").format(path=path, error=exc)
            app.call_from_thread(app.notify, message, title=title, severity="error", markup=False, timeout=10)
            return
        app.call_from_thread(app.notify, done, title=title, markup=False, timeout=6)

    app.run_worker(work, name=f"export {path}", group="export", thread=True, exit_on_error=False)
