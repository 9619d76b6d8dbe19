"""The participant app: one process per participant's browser session (``kamboard serve``).

``run_participant`` checks the account, the workshop and the person before anything starts
(exit code 2 and one line on stderr otherwise), then runs ``ParticipantApp`` with the store
acting as that person (their name on each change and in the activity log). The app is locked
down: one screen, no palette entries but its own, no screenshots, no file name on screen.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from kamboard import voting
from kamboard import workshop as rules
from kamboard.errors import BoardError
from kamboard.i18n import _
from kamboard.model import ValidationError
from kamboard.store import BoardStore
from kamboard.tui.participant.controller import BOARD_FILE, safe_message
from kamboard.tui.participant.screen import ParticipantScreen
from kamboard.tui.saver import Saver
from kamboard.tui.styles import stylesheets

Clock = Callable[[], dt.datetime]


class ParticipantApp(App[None]):
    """A participant's session on one workshop of one account."""

    TITLE = "kamboard"
    CSS_PATH = stylesheets("participant.tcss")
    ENABLE_COMMAND_PALETTE = True  # with only the entries of get_system_commands below

    def __init__(
        self,
        store: BoardStore,
        account_id: str,
        workshop_id: str,
        person: str,
        *,
        clock: Clock = rules.utc_now,
        interval: float = 0.5,
    ) -> None:
        super().__init__()
        self.store = store
        self.saver = Saver(self, store)
        self.participant = ParticipantScreen(store, self.saver, account_id, workshop_id, person, clock, interval)

    def get_default_screen(self) -> Screen[Any]:
        return self.participant

    def on_mount(self) -> None:
        self.saver.start()

    def on_unmount(self) -> None:
        self.saver.close()  # the votes given so far are still written

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: these entries only (no themes, screenshots or keys panel)."""
        shown = self.participant
        yield SystemCommand(
            _("Vote"), _("Give the highlighted card one of your votes (v)"), lambda: shown.action_vote(1)
        )
        yield SystemCommand(
            _("Take back a vote"), _("Take one of your votes off the card (V)"), lambda: shown.action_vote(-1)
        )
        yield SystemCommand(_("Add a card"), _("While the facilitator allows it (n)"), shown.action_add)
        yield SystemCommand(_("Help"), _("The keys (?)"), shown.action_help)
        yield SystemCommand(_("Leave"), _("End this session (ctrl+q)"), self.exit)


def check_seat(store: BoardStore, account_id: str, workshop_id: str, person: str) -> str:
    """The person's name as the workshop lists it; BoardError or ValidationError when the
    account or the workshop does not exist, the workshop is another account's, or the person
    is not one of its participants."""
    account = store.account(account_id)
    workshop = store.workshop(workshop_id)
    if workshop.get("account_id") != account["id"]:
        raise ValidationError("workshop", _("That workshop is not on this account's board."))
    return voting.participant_name(workshop, person)


def run_participant(path: str, account_id: str, workshop_id: str, person: str) -> int:
    """Run a participant's session; 0 when it ends, 2 (and a line on stderr) when it cannot start."""
    try:
        store = BoardStore(path, person)
        name = check_seat(store, account_id, workshop_id, person)
        if name != person:  # as listed: their votes and changes carry the workshop's spelling
            store = BoardStore(path, name)
    except (BoardError, ValidationError, OSError) as exc:
        if isinstance(exc, OSError):
            message = _("Cannot open {file}.").format(file=_(BOARD_FILE))
        else:
            message = safe_message(exc, _Paths(path))
        print(f"kamboard participant: {message}", file=sys.stderr)
        return 2
    app = ParticipantApp(store, account_id, workshop_id, name)
    app.run()
    return app.return_code or 0


class _Paths:
    """The path as given, for ``safe_message`` before a store exists."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = path
