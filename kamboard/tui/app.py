"""The kamboard Textual app: accounts screen, boards, live sharing, remembered theme.

Screens talk to the app by messages (``OpenBoard``, ``ShowAccounts``, ``OpenActionPlan``,
``ReviewConflicts``) and hear from it by one signal, ``board_changed``: published after a poll
found the file changed, after the saver went idle having saved, and so after synced copies
were merged. A screen showing the board subscribes to it in ``on_mount``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.notifications import Notification, SeverityLevel
from textual.screen import Screen
from textual.signal import Signal

from kamboard.config import load_config, save_config
from kamboard.errors import BoardError
from kamboard.i18n import _
from kamboard.store import BoardStore
from kamboard.tui.commands import OpenActionPlan, ReviewConflicts, binding_commands
from kamboard.tui.history import History
from kamboard.tui.internals import (
    give_result_callback,
    keep_parsed_stylesheet,
    replace_notice,
    without_textual_screenshot,
)
from kamboard.tui.language import Restart, language_command
from kamboard.tui.messages import OpenBoard, ShowAccounts
from kamboard.tui.reporting import report
from kamboard.tui.saver import Saver
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.startup import freeze_startup_objects, pause_collector, resume_collector
from kamboard.tui.styles import APP_STYLES, stylesheets
from kamboard.tui.styles import styles_dir as styles_dir  # re-exported
from kamboard.tui.watch import POLL_SECONDS, BoardWatcher, describe
from kamboard.tui.widgets.text import multiline
from kamboard.workshop import utc_now

QUIET_KINDS = frozenset({"card.vote"})  # others' changes that show without a notice
NEWS_SECONDS = 5.0

if TYPE_CHECKING:
    from kamboard.tui.synced import SyncedCopies


def css_paths() -> list[str | PurePath]:
    """The stylesheets loaded at the start: the app's and the board's. Every other screen loads
    its own through its ``CSS_PATH`` when first shown (see kamboard.tui.styles)."""
    return [path for path in stylesheets(*APP_STYLES) if Path(path).is_file()]


class KamboardApp(App[None]):
    """Facilitators' board: accounts, then each account's three lanes."""

    TITLE = "kamboard"
    CSS_PATH = css_paths()
    restart: Restart | None = None  # set by the palette's language switch: run() starts kamboard again

    def __init__(
        self,
        store: BoardStore,
        account: str | None = None,
        today: dt.date | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__()
        keep_parsed_stylesheet(self)  # the theme's reparse keeps what was parsed (~3 ms of the first paint)
        freeze_startup_objects()
        self.store = store
        self.clock: Callable[[], dt.datetime] = clock or utc_now  # the agenda timer's clock; tests inject one
        self.start_account = account
        self._today = today
        self.watcher = BoardWatcher(store)
        self.board_changed: Signal[None] = Signal(self, "board-changed")
        # every change of the board is written in the background; once saved, the screens re-read
        self.saver = Saver(self, store, on_saved=self._saved)
        self.copies: SyncedCopies | None = None  # sync tools' conflicted copies: watched once painted
        self.histories: dict[str, History] = {}
        self._config: dict[str, object] = {}
        self._start_error: BoardError | None = None

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def get_default_screen(self) -> Screen[None]:
        # A board asked for on the command line is the first screen itself (no empty screen
        # under it to mount and style first): the accounts screen is built only when the user
        # goes back to it, replacing the board (a faster start on big files).
        if self.start_account:
            try:
                return self._board(self.store.account(self.start_account)["id"])
            except BoardError as exc:
                self._start_error = exc
        from kamboard.tui.screens.accounts import AccountsScreen

        screen = AccountsScreen()
        for path in screen.css_path:  # Textual reads a pushed screen's CSS_PATH, not the first one's
            self.stylesheet.read(path)
        return screen

    # The collector waits while the first screen is built and painted: its passes over Textual's
    # new widgets and styles took ~3 ms of the first paint (nothing there is garbage yet).
    def on_load(self) -> None:
        pause_collector()

    def on_unmount(self) -> None:
        resume_collector()  # also when the app ends before its first paint
        self.saver.close()  # the saves given so far are still written

    def on_mount(self) -> None:
        self.saver.start()
        self.call_after_refresh(self._first_painted)
        self._load_theme()
        if self._start_error:
            report(self, self._start_error)
        self.set_interval(POLL_SECONDS, self.poll)
        self.call_after_refresh(self._watch_copies)

    def _first_painted(self) -> None:
        """The first screen is painted: the collector runs again, and a board opened for one
        account's first paint (store_preview) reads and checks the whole file now; the screens
        then show what it found (a damaged record elsewhere: read-only, its banner)."""
        resume_collector()
        if self.store.finish_opening():
            self.board_changed.publish(None)

    def _watch_copies(self) -> None:
        """Merge the sync tools' conflicted copies beside the board, now and while the app runs
        (started after the first paint: its imports and the folder listing are not needed for it)."""
        from kamboard.tui.synced import SyncedCopies

        self.copies = SyncedCopies(self)
        self.copies.start()

    # what the screens ask for
    def history_for(self, account_id: str) -> History:
        """The undo history of ``account_id``'s board in this run (kept while its board is closed)."""
        return self.histories.setdefault(account_id, History())

    def _board(self, account_id: str) -> BoardScreen:
        return BoardScreen(account_id, history=self.history_for(account_id))

    def open_board(self, account: str) -> None:
        """Open the board of ``account`` (id or name) over the current screen."""
        try:
            account_id = self.store.account(account)["id"]
        except BoardError as exc:
            report(self, exc)
            return
        self.push_screen(self._board(account_id))

    def on_open_board(self, message: OpenBoard) -> None:
        self.open_board(message.account_id)

    def show_accounts(self) -> None:
        """Back to the accounts screen (built now if the app started on a board)."""
        from kamboard.tui.screens.accounts import AccountsScreen

        if len(self.screen_stack) > 1 and isinstance(self.screen_stack[-2], AccountsScreen):
            self.pop_screen()
            return
        if len(self.screen_stack) == 1:
            give_result_callback(self.screen)  # the board the app started on (Textual issue #2650)
        self.switch_screen(AccountsScreen())

    def on_show_accounts(self, _message: ShowAccounts) -> None:
        self.show_accounts()

    def on_open_action_plan(self, message: OpenActionPlan) -> None:
        from kamboard.tui.screens.action_plan import AppActionPlan  # imported when first opened

        # its changes go to the saver and the undo history of the action's board
        plan = AppActionPlan(self.store, message.account_id, self.today, self.saver, self.history_for)
        plan.show_all = message.show_all
        self.push_screen(plan)

    def on_review_conflicts(self, _message: ReviewConflicts) -> None:
        from kamboard.tui.screens.conflicts import ConflictsScreen  # imported when first opened

        self.push_screen(ConflictsScreen())

    # theme
    def _load_theme(self) -> None:
        config, warning = load_config()
        self._config = dict(config)
        if warning:
            self.notify(warning, title=_("Settings"), severity="warning", markup=False, timeout=10)
        theme = config.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(
                _("Unknown theme {theme!r} in the settings; using the default.").format(theme=theme), markup=False
            )
        self.watch(self, "theme", self._save_theme, init=False)

    def _save_theme(self, theme: str) -> None:
        """Remember the theme (a screen drawing with the theme's colours redraws itself on
        ``theme_changed_signal``)."""
        if self._config.get("theme") == theme:
            return
        self._config["theme"] = theme
        try:
            save_config(self._config)
        except OSError as exc:
            self.notify(
                _("Could not save the theme: {error}").format(error=exc.strerror or exc),
                severity="warning",
                markup=False,
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's toast, with control characters from user text made visible (the terminal
        would obey an escape sequence in a card title quoted in a notice)."""
        super().notify(multiline(message), title=multiline(title), severity=severity, timeout=timeout, markup=markup)

    # live sharing
    def _saved(self) -> None:
        """The saver went idle having saved: this process's own events are no news for the
        watcher (others' read with them still are), and the screens show the file."""
        self.announce(self.watcher.mark_seen())
        self.board_changed.publish(None)

    def poll(self) -> None:
        """Pick up changes other processes wrote; the screens showing the board re-read it.

        ``board_changed`` goes out whenever the store holds a parse the screens were not told
        of, whichever read made it: a write landing during a re-read shows at the next poll."""
        if self.saver.busy:
            return  # the saves re-read the file; the screens re-read the board when they are done
        if not self.is_running:
            return  # the app is closing: its screens are being taken apart
        with self.watcher.poll() as change:
            if change is None:
                return
            if change.error:
                self.notify(change.error, title=_("Board file"), severity="error", markup=False, timeout=10)
                return
            self.board_changed.publish(None)
        # no events and no change found by this poll: another read had parsed it (a reload, a
        # save of ours, announced then): the screens caught up, nothing to say
        if change.events or change.file_changed:
            self.announce(change.events, unlogged=not change.events)

    _news: Notification | None = None  # the "Changed by others" notice showing

    def announce(self, events: list[dict[str, Any]], *, unlogged: bool = False) -> None:
        """Others' changes in one notice, replacing the one before (12 participants voting made
        a stack of them); votes are left out: the cards' counts and "voted N/M" show them."""
        news = [event for event in events if event.get("kind") not in QUIET_KINDS]
        if news or unlogged:
            text = multiline(describe(news))
            self._news = replace_notice(self, self._news, text, _("Changed by others"), NEWS_SECONDS)

    # command palette: Textual's own, and every key of the current screen (a screen's own
    # entries come from its COMMANDS providers)
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        titles = []
        for command in without_textual_screenshot(super().get_system_commands(screen)):
            titles.append(command.title)
            yield command
        yield language_command(self)
        yield from binding_commands(screen, taken=titles)


def run(store: BoardStore, account: str | None = None, *, headless: bool = False) -> int:
    """Run the app on ``store``; with ``account`` (id or name) open that board directly.

    Returns the app's exit code: 0, or non-zero when it crashed (Textual shows the traceback)."""
    app = KamboardApp(store, account=account)
    app.run(headless=headless)
    if app.restart is not None:  # the language was switched: the same board again, in that language
        from kamboard.cli.base import restart

        restart(app.restart.path, app.restart.account, app.restart.language)
    return app.return_code or 0
