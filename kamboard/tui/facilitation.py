"""Running the workshop from the board: which workshop it runs, the agenda timer, the workshop
editor, the links between cards. No Textual here.

The rules live in ``kamboard.workshop``; ``Facilitation`` keeps the board's workshop and applies
the timer keys to it at once (the store computes the same from the same state and time) and
saves them in the background (``Edits``), so a colleague's board and the presenter view follow
through the file. The clock is injected, so tests use a fake one and never sleep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kamboard import workshop as rules
from kamboard.errors import BoardError, Conflict
from kamboard.i18n import _
from kamboard.model import LANE_TITLES, LANES, ValidationError
from kamboard.tui.edits import Edits

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.board_host import BoardDialogs, BoardHost

Doc = dict[str, Any]


def backlinks_of(cards: list[Doc]) -> dict[str, set[str]]:
    """Card id -> ids of the cards linking to it."""
    backlinks: dict[str, set[str]] = {}
    for card in cards:
        for other in card.get("links") or ():
            backlinks.setdefault(other, set()).add(card["id"])
    return backlinks


class Facilitation:
    """The board's workshop and its keys (w, W, t, ], [, +, N, o)."""

    def __init__(
        self,
        host: BoardHost,
        edits: Edits,
        store: BoardStore,
        dialogs: BoardDialogs,
        clock: Callable[[], dt.datetime],
        today: Callable[[], dt.date],
    ) -> None:
        self.host = host
        self.edits = edits
        self.store = store
        self.dialogs = dialogs
        self.clock = clock
        self.today = today
        self.workshop: Doc | None = None
        self._backlinks: dict[str, set[str]] = {}
        self._opened = False  # a workshop was shown once

    # ---- the board's workshop ----------------------------------------------------------------
    def planned(self) -> bool:
        """The account has a workshop (read from the store)."""
        try:
            return bool(self.store.workshops(self.host.account_id))
        except BoardError:
            return False

    def find(self) -> Doc | None:
        """The workshop the board runs, read from the store (call in a snapshot)."""
        try:
            workshops = self.store.workshops(self.host.account_id)
        except BoardError:
            workshops = []
        return rules.board_workshop(workshops, self.today())

    def take(self, workshop: Doc | None, cards: list[Doc]) -> str | None:
        """Make ``workshop`` the board's, over ``cards``; the lane to open on when the first
        workshop shown is running (opened mid-workshop: start on its item's lane), else None."""
        self.workshop = workshop
        self._backlinks = backlinks_of(cards)
        if workshop is None or self._opened:
            return None
        self._opened = True
        state = workshop.get("agenda_state") or {}
        lane = (rules.current_item(state, list(workshop.get("agenda") or [])) or {}).get("lane")
        return str(lane) if state.get("running") and lane in LANES else None

    def timer_shown(self) -> bool:
        return self.workshop is not None and rules.timer_shown(self.workshop, self.today())

    def capture_id(self) -> str:
        """The id of the workshop under way (running, or today is one of its days): new cards record it."""
        return rules.capture_workshop_id(self.workshop, self.today())

    def linked_ids(self, card: Doc | None) -> set[str]:
        """Cards ``card`` links to and cards linking to it."""
        if card is None:
            return set()
        return set(card.get("links") or ()) | self._backlinks.get(card["id"], set())

    def need(self, agenda: bool = False, people: bool = False) -> Doc | None:
        """The board's workshop, when it has what a key needs (else None, said why)."""
        ws = self.workshop
        if ws is None:
            self.host.notify(_("This account has no workshop yet: press w to plan one."), severity="warning")
        elif agenda and not ws.get("agenda"):
            self.host.notify(_("The workshop's agenda is empty: press w to add items."), severity="warning")
        elif people and not ws.get("participants"):
            self.host.notify(_("The workshop has no participants yet: press w to add them."), severity="warning")
        else:
            return ws
        return None

    # ---- the keys --------------------------------------------------------------------------
    def timer(self, workshop: Doc, action: str, on_start: Callable[[], None]) -> None:
        """Apply the timer ``action`` ('toggle', 'next', 'prev', 'extend'); ``on_start`` runs
        when it started the workshop and the last one left open commitments."""
        seen = workshop.get("agenda_state") or {}  # the base: the state as this screen shows it
        fresh = not seen
        now = self.clock()
        try:  # shown at once; the store computes the same from the same state and time
            state = rules.apply(seen, list(workshop.get("agenda") or []), action, now)
        except ValidationError as exc:
            self.host.report(exc)
            return
        self.host.show_workshop({**workshop, "agenda_state": state})
        workshop_id = workshop["id"]
        starts = fresh and action in ("toggle", "start")

        def run(store: BoardStore, _base: Doc | None) -> list[Doc]:
            store.timer(workshop_id, action, now, base=seen)
            return store.open_commitments(workshop_id) if starts else []

        def done(open_ones: list[Doc]) -> None:
            if open_ones:  # the workshop starts: review last year's promises
                on_start()

        self.edits.save(_("Timer not saved"), "", None, run, done)

    def toggle_capture(self, workshop: Doc, lane: str) -> None:
        """o: open ``lane`` for participants to add cards, or close it again. Shown at once; the
        store sets the same on the file as it is then (a colleague's toggles of other lanes stay)."""
        opening = not rules.capture_open(workshop, lane)
        lanes = rules.capture_lanes(workshop)
        shown = [*lanes, lane] if opening else [x for x in lanes if x != lane]
        self.host.show_workshop({**workshop, "capture": rules.validate_capture(shown)})
        workshop_id = workshop["id"]

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            return store.set_capture(workshop_id, lane, opening)

        self.edits.save(_("Capture not saved"), "", None, run, follows=False)
        title = LANE_TITLES[lane]
        message = _("Participants can add cards to {lane}") if opening else _("Capture closed in {lane}")
        self.host.notify(message.format(lane=title))

    def edit_workshop(self, new: bool = False) -> None:
        """The workshop editor on the board's workshop (``new``, or none yet: plan one; after an
        earlier one, proposed from the latest: its people, next year in the title and the dates)."""
        try:
            account = self.store.account(self.host.account_id)
            opened = self.store.workshop(self.workshop["id"]) if self.workshop and not new else None
            shown = opened
            if opened is None and (earlier := self.store.workshops(self.host.account_id)):
                latest = max(earlier, key=lambda w: str(w.get("start") or ""))
                shown = rules.next_year(latest, self.today())  # no id: a new workshop
        except BoardError as exc:
            self.host.report(exc)
            return
        self.dialogs.edit_workshop(
            shown, str(account.get("name", "")), lambda changes: self._save_workshop(opened, changes)
        )

    def agenda_notes(self, workshop: Doc) -> None:
        """N: notes or decisions on the current agenda item, saved with the item as shown as base."""
        item = rules.current_item(workshop.get("agenda_state"), list(workshop.get("agenda") or []))
        if item is None:
            return

        def answered(text: str | None) -> None:
            if text is not None and text != str(item.get("notes") or ""):
                self._save_notes(workshop["id"], item, text, item)

        self.dialogs.edit_agenda_notes(item, answered)

    def _save_notes(self, workshop_id: str, item: Doc, text: str, base: Doc) -> None:
        title = str(item.get("title", ""))

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            return store.update_agenda_item(workshop_id, item["id"], notes=text, base=base)

        def done(_saved: Doc) -> None:
            self.host.notify(_("Notes on {title!r} saved.").format(title=title), markup=False)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, Conflict):
                self.host.report(exc, prefix=_("Notes not saved: "))
                return

            def resolved(choice: str | None, both: dict[str, str]) -> None:
                if choice in ("mine", "both"):  # written over the notes as they are now
                    self._save_notes(workshop_id, item, both.get("notes", text), exc.current)

            self.dialogs.resolve_conflict(exc, resolved)

        self.edits.save(_("Notes not saved"), "", None, run, done, failed, follows=False)

    def _save_workshop(self, opened: Doc | None, changes: Doc | None) -> None:
        if not changes:
            return
        account_id = self.host.account_id

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            if opened is None:
                fields = dict(changes)
                title = fields.pop("title")
                return store.add_workshop(account_id, title, **fields)
            return store.update_workshop(opened["id"], changes, base=opened)

        def done(saved: Doc) -> None:
            if opened is None:
                self.host.notify(_("Planned {title!r}: t starts the timer.").format(title=saved["title"]), markup=False)
            else:
                self.host.notify(_("Saved {title!r}.").format(title=saved["title"]), markup=False)

        self.edits.save(_("Workshop not saved"), "", None, run, done)
