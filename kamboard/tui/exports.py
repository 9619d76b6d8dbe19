"""Exports from the command palette: the current account as Markdown minutes, CSV, iCalendar
or JSON, and an SVG screenshot of the screen.

Each asks for the output path (prefilled next to the board file), asks before replacing an
existing file, and writes atomically in a thread worker that never touches widgets: the
records are read on the UI thread, the worker only renders and writes, then hands its
notice back with ``call_from_thread``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.screen import ModalScreen

from kamboard import model, reports
from kamboard.errors import BoardError
from kamboard.model import ValidationError
from kamboard.storage import atomic_write
from kamboard.tui.screens.dialogs import ConfirmDialog, TextPrompt

if TYPE_CHECKING:
    from textual.screen import Screen

    from kamboard.tui.app import KamboardApp

Doc = dict[str, Any]
SCREENSHOT = "Save board screenshot (SVG)"
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class ExportKind:
    """One export format as the palette offers it."""

    fmt: str  # md, csv, ics, json
    command: str  # the palette entry
    help: str  # markup (the palette renders it so), {} is the account name
    what: str  # for the notice: "minutes of ACME"
    ending: str  # appended to the account's slug for the default file name


KINDS = (
    ExportKind("md", "Export minutes (Markdown)", "Minutes of the latest workshop of {}", "minutes", "-minutes.md"),
    ExportKind(
        "csv", "Export support actions (CSV)", "Support actions of {}, for a spreadsheet", "actions", "-actions.csv"
    ),
    ExportKind(
        "ics",
        "Export calendar (iCalendar)",
        "Due dates and workshops of {}, for a calendar",
        "calendar",
        "-calendar.ics",
    ),
    ExportKind("json", "Export account (JSON)", "All of {}, for `kamboard import` elsewhere", "whole account", ".json"),
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
    """User text for a markup string (the palette's help lines): every '[' escaped."""
    return value.replace("[", "\\[")


def default_path(board_name: str, file_name: str) -> str:
    """``file_name`` in the board file's folder, written as the board's path is ('./x' for a bare name)."""
    return os.path.join(os.path.dirname(board_name) or ".", file_name)


def check_target(value: str) -> str:
    """A TextPrompt validator: the path to write (``~`` expanded), or ValidationError saying why not."""
    path = os.path.expanduser(value.strip())
    if not path:
        raise ValidationError("path", "Give a file name.")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValidationError("path", f"The folder {folder} does not exist.")
    if os.path.isdir(path):
        raise ValidationError("path", f"{value.strip()} is a folder; give a file name.")
    return path


def render_export(fmt: str, account: Doc, cards: list[Doc], workshops: list[Doc], *, today: dt.date, user: str) -> str:
    """The export of one account in ``fmt`` (md, csv, ics, json), from records already read."""
    if fmt == "md":
        return reports.minutes_markdown(account, cards, workshops, today=today)
    if fmt == "csv":
        return reports.actions_csv(account, cards)
    if fmt == "ics":
        return reports.calendar_ics(account, cards, workshops, now=dt.datetime.now(dt.UTC))
    return reports.account_json(account, cards, workshops, exported_at=model.utc_now(), exported_by=user)


@cache
def _new_file_mode() -> int:
    """0o666 less the umask, as a new file would get (read once, on the UI thread)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def file_mode(path: str) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (not mkstemp's 0600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return _new_file_mode()


# ---------------------------------------------------------------- palette entries
def current_account(screen: Screen[object]) -> str | None:
    """The account the screen is about: the board's, the accounts screen's highlighted one,
    or a one-account action plan's."""
    from kamboard.tui.screens.accounts import AccountsScreen
    from kamboard.tui.screens.action_plan import ActionPlanScreen
    from kamboard.tui.screens.board import BoardScreen

    if isinstance(screen, BoardScreen):
        return screen.account_id
    if isinstance(screen, AccountsScreen):
        return screen.selected_id()
    if isinstance(screen, ActionPlanScreen) and not screen.show_all:
        return screen.account_id
    return None


def export_commands(app: KamboardApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """The four exports of the current account, and the screenshot."""
    if isinstance(screen, ModalScreen):
        return
    account_id = current_account(screen)
    name = ""
    if account_id:
        with suppress(BoardError):
            name = str(app.store.account(account_id).get("name", ""))
    if name:
        for kind in KINDS:
            help_text = kind.help.format(markup_literal(name))
            yield SystemCommand(kind.command, help_text, partial(start_export, app, account_id, kind))
    yield SystemCommand(
        SCREENSHOT, "This screen as an SVG picture, to a file you choose", partial(start_screenshot, app)
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
                "Replace file?", f"{path} exists. Replace it?", yes="Replace", no="Other name", focus_yes=False
            ),
            answered,
        )

    app.push_screen(TextPrompt(title, "Save to file (Enter saves, Esc cancels)", default, check_target), got)


def start_export(app: KamboardApp, account_id: str, kind: ExportKind) -> None:
    try:
        account = app.store.account(account_id)
    except BoardError as exc:
        app.report(exc)
        return
    name = str(account.get("name", ""))
    default = default_path(app.store.name, slug(name) + kind.ending)
    ask_path(app, f"{kind.command}: {name}", default, partial(write_export, app, account_id, kind))


def write_export(app: KamboardApp, account_id: str, kind: ExportKind, path: str) -> None:
    """Read the account now (UI thread); render and write it in a worker."""
    store = app.store
    try:
        account = store.account(account_id)
        cards, workshops = store.cards(account_id), store.workshops(account_id)
    except BoardError as exc:
        app.report(exc)
        return
    today, user = app.today, store.user

    def produce() -> bytes:
        return render_export(kind.fmt, account, cards, workshops, today=today, user=user).encode("utf-8")

    write_in_worker(app, path, produce, f"Wrote the {kind.what} of {account.get('name', '')} to {path}")


def start_screenshot(app: KamboardApp) -> None:
    account_id = current_account(app.screen)
    name = "kamboard"
    if account_id:
        with suppress(BoardError):
            name = slug(str(app.store.account(account_id).get("name", ""))) + "-board"
    default = default_path(app.store.name, f"{name}.svg")
    # the prompt must be gone before the picture is taken
    ask_path(app, SCREENSHOT, default, lambda path: app.set_timer(0.1, partial(save_screenshot, app, path)))


def save_screenshot(app: KamboardApp, path: str) -> None:
    """Render the current screen as SVG (UI thread), write it in a worker."""
    svg = app.export_screenshot()
    write_in_worker(app, path, lambda: svg.encode("utf-8"), f"Saved a screenshot to {path}", "Screenshot")


def write_in_worker(
    app: KamboardApp, path: str, produce: Callable[[], bytes], done: str, title: str = "Export"
) -> None:
    """Run ``produce`` and write its bytes atomically to ``path`` off the UI thread; notify the outcome."""
    mode = file_mode(path)

    def work() -> None:
        try:
            atomic_write(path, produce(), mode=mode)
        except OSError as exc:
            message = f"Could not write {path}: {exc.strerror or exc}"
            app.call_from_thread(app.notify, message, title=title, severity="error", markup=False, timeout=10)
            return
        except Exception as exc:  # a bug in a renderer: say so, keep the app running
            message = f"Could not export to {path}: {exc}"
            app.call_from_thread(app.notify, message, title=title, severity="error", markup=False, timeout=10)
            return
        app.call_from_thread(app.notify, done, title=title, markup=False, timeout=6)

    app.run_worker(work, name=f"export {path}", group="export", thread=True, exit_on_error=False)
