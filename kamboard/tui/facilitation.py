"""Running the workshop from the board: agenda timer, dot voting, links, gaps, presenter, review.

``FacilitationMixin`` is mixed into ``BoardScreen`` (kept small that way); the voting keys
come from ``VotingMixin`` in ``voting_keys``. The rules live in
``kamboard.workshop``, ``kamboard.voting`` and ``kamboard.gaps``; every change shows at once
and is saved in the background (``Edits``), so a colleague's board (and the presenter view)
follows through the file. The timer uses ``app.clock`` so tests inject a fake clock and never sleep.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from kamboard import workshop as rules
from kamboard.errors import BoardError
from kamboard.model import LANES, ValidationError
from kamboard.tui.voting_keys import VoterPicker as VoterPicker  # re-exported: tests import it here
from kamboard.tui.voting_keys import VotingMixin
from kamboard.tui.widgets.filter_input import FilterInput
from kamboard.tui.widgets.lane import Lane
from kamboard.tui.widgets.timer import AgendaTimer, timer_text

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.edits import Edits

Doc = dict[str, Any]


def _b(key: str, action: str, description: str, ident: str, tooltip: str, show: bool = False) -> Binding:
    return Binding(key, action, description, show=show, id=f"board.{ident}", tooltip=tooltip)


FACILITATION_BINDINGS: list[BindingType] = [
    _b("w", "workshop", "Workshop", "workshop", "Edit the account's workshop (plans one if there is none)", True),
    _b("W", "workshop(True)", "Plan a new workshop", "new_workshop", "Plan the next workshop, default agenda included"),
    _b("t", "timer('toggle')", "Timer start/pause", "timer", "Start or pause the agenda timer"),
    _b("right_square_bracket", "timer('next')", "Next agenda item", "agenda_next", "Go to the next agenda item"),
    _b("left_square_bracket", "timer('prev')", "Previous agenda item", "agenda_prev", "Back to the previous item"),
    _b("plus", "timer('extend')", "+5 minutes", "extend", "Give the current agenda item 5 more minutes"),
    _b("p", "pick_voter", "Who votes", "voter", "Choose the participant whose votes v and V change"),
    _b("v", "vote(1)", "Vote", "vote", "Give the selected card one of the participant's votes"),
    _b("V", "vote(-1)", "Take back a vote", "unvote", "Take back one of the participant's votes on the card"),
    _b("r", "reveal", "Reveal/hide votes", "reveal", "Reveal the vote counts, or hide them ('?') while voting"),
    _b("s", "sort_votes", "Sort by votes", "sort", "Show the focused lane by votes, most first (s again: board order)"),
    _b("g", "gaps", "Gaps", "gaps", "What the board lacks: unanswered challenges, sales pitches, missing owners"),
    _b("c", "commitments", "Commitments review", "commitments", "Review last workshop's open support actions"),
    _b("P", "presenter", "Presenter view", "presenter", "Projector view following the agenda (Esc returns)"),
]
FACILITATION_GROUPS = {
    "workshop": "Workshop",
    "new_workshop": "Workshop",
    "timer": "Workshop",
    "agenda_next": "Workshop",
    "agenda_prev": "Workshop",
    "extend": "Workshop",
    "commitments": "Workshop",
    "presenter": "Workshop",
    "voter": "Voting",
    "vote": "Voting",
    "unvote": "Voting",
    "reveal": "Voting",
    "sort": "Voting",
    "gaps": "View",
}


def board_workshop(workshops: list[Doc], today: dt.date) -> Doc | None:
    """The workshop a board runs: a running one, else one under way today, else the next one
    (undated ones count as being planned), else the latest held."""
    day = today.isoformat()

    def first(w: Doc) -> str:
        return str(w.get("start") or "")[:10]

    def last(w: Doc) -> str:
        return str(w.get("end") or w.get("start") or "")[:10]

    def start(w: Doc) -> str:
        return str(w.get("start") or "")

    running = [w for w in workshops if (w.get("agenda_state") or {}).get("running")]
    under_way = [w for w in workshops if first(w) and first(w) <= day <= last(w)]
    if running or under_way:
        return max(running or under_way, key=start)
    ahead = [w for w in workshops if not first(w) or first(w) > day]
    if ahead:
        return min(ahead, key=lambda w: start(w) or "9999")
    return max(workshops, key=start, default=None)


def timer_shown(workshop: Doc, today: dt.date) -> bool:
    """The timer line shows while the workshop runs, and until its last day has passed."""
    if (workshop.get("agenda_state") or {}).get("running"):
        return True
    last_day = str(workshop.get("end") or workshop.get("start") or "")[:10]
    return not last_day or last_day >= today.isoformat()


def linked_ids(card: Doc | None, backlinks: dict[str, set[str]]) -> set[str]:
    """Cards ``card`` links to and cards linking to it."""
    if card is None:
        return set()
    return set(card.get("links") or ()) | backlinks.get(card["id"], set())


def fitted_timer_text(view: rules.TimerView, width: int) -> Text:
    """The timer line cut to ``width``: the item title gives way, the time left always shows."""
    full = timer_text(view)
    if view.item is None or full.cell_len <= width:
        return full
    tail = f"  {view.label} over" if view.overrun else f"  {view.label} left"
    head = full[: len(full.plain) - len(tail)]
    head.truncate(max(1, width - len(tail)), overflow="ellipsis")
    return Text.assemble(head, (tail, "bold"))


class BoardTimer(AgendaTimer):
    """The agenda timer on the board: one line that never hides the time left."""

    def update(self, content: Any = "", **kwargs: Any) -> None:
        if self.view is not None and self.size.width:
            content = fitted_timer_text(self.view, self.content_region.width)
        super().update(content, **kwargs)

    def on_resize(self) -> None:
        self.tick()


class FacilitationMixin(VotingMixin):
    """Workshop keys and state of the board screen (see ``FACILITATION_BINDINGS``)."""

    if TYPE_CHECKING:  # provided by BoardScreen / Screen
        app: KamboardApp
        account_id: str
        current: str
        filter_text: str
        lanes: dict[str, Lane]
        all_cards: dict[str, list[Doc]]
        focused: Any
        edits: Edits

        @property
        def lane(self) -> Lane: ...
        def query_one(self, *args: Any, **kwargs: Any) -> Any: ...
        def query(self, *args: Any, **kwargs: Any) -> Any: ...
        def mount(self, *args: Any, **kwargs: Any) -> Any: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def refresh_view(self, select: dict[str, str] | None = None) -> None: ...
        def _focus_lane(self, lane: str) -> None: ...
        def _refuse_readonly(self) -> bool: ...
        def _selected(self) -> Doc | None: ...
        def _after_change(self, select: dict[str, str] | None = None) -> None: ...

    workshop: Doc | None = None
    _opened = False  # the first load has happened
    _backlinks: dict[str, set[str]] | None = None  # card id -> ids of the cards linking to it

    # ---- layout and data ---------------------------------------------------------------
    # The timer line is composed only for an account with workshops, else mounted when one
    # appears (its widgets took ~2 ms of the first paint of a board without workshops).
    def compose_workshop_bar(self) -> ComposeResult:
        try:
            planned = bool(self.app.store.workshops(self.account_id))
        except BoardError:
            planned = False
        if planned:
            with Horizontal(id="workshop-bar"):
                yield from self._workshop_bar_parts()

    def _workshop_bar_parts(self) -> ComposeResult:
        yield BoardTimer(None, self.app.clock, id="board-timer")
        yield Static("", id="vote-status", markup=False)

    def _workshop_bar(self, needed: bool) -> Horizontal | None:
        """The timer line; mounted now when ``needed`` and not there yet."""
        for bar in self.query("#workshop-bar").results(Horizontal):
            return bar
        if not needed:
            return None
        bar = Horizontal(id="workshop-bar")
        self.mount(bar, after=self.query_one("#readonly-banner"))
        bar.mount(*self._workshop_bar_parts())
        return bar

    def load_workshop(self, cards: list[Doc]) -> None:
        """Pick the account's current workshop; feed the timer line, the lanes and the vote status."""
        try:
            workshops = self.app.store.workshops(self.account_id)
        except BoardError:
            workshops = []
        self.show_workshop(board_workshop(workshops, self.app.today), cards)

    def show_workshop(self, found: Doc | None, cards: list[Doc]) -> None:
        """Show ``found`` as the board's workshop: timer line, lanes' vote counts, vote status."""
        self.workshop = found
        shown = found is not None and timer_shown(found, self.app.today)
        names = [str(p.get("name", "")) for p in (found or {}).get("participants") or []]
        if self.voter not in names:
            self.voter = ""
        bar = self._workshop_bar(needed=shown or bool(self.voter))
        if bar is not None:
            bar.display = shown or bool(self.voter)  # voting on a past workshop
            timer = bar.query_one(AgendaTimer)
            timer.display = shown
            timer.workshop = found if shown else None
        if found is not None and not self._opened:  # opened mid-workshop: start on the item's lane
            self._opened = True
            state = found.get("agenda_state") or {}
            lane = (rules.current_item(state, list(found.get("agenda") or [])) or {}).get("lane")
            if state.get("running") and lane in LANES:
                self.current = str(lane)
        for lane in self.lanes.values():
            lane.workshop = found
        backlinks: dict[str, set[str]] = {}
        for card in cards:
            for other in card.get("links") or ():
                backlinks.setdefault(other, set()).add(card["id"])
        self._backlinks = backlinks
        self._show_vote_status(cards)

    def capturing_workshop(self) -> str:
        """The id of the workshop under way (running, or today is one of its days): new cards record it."""
        ws = self.workshop
        if ws is None:
            return ""
        if (ws.get("agenda_state") or {}).get("running"):
            return str(ws["id"])
        first, last = str(ws.get("start") or "")[:10], str(ws.get("end") or ws.get("start") or "")[:10]
        return str(ws["id"]) if first and first <= self.app.today.isoformat() <= last else ""

    def show_links(self) -> None:
        """Highlight, in the other lanes, the cards linked with the selected card (either direction)."""
        ids = linked_ids(self.lane.selected_card, self._backlinks or {})
        for name, lane in self.lanes.items():
            lane.set_linked(ids if name != self.current else frozenset())

    def on_lane_selected(self, event: Lane.Selected) -> None:
        if event.lane is self.lanes.get(self.current):
            self.show_links()

    # ---- timer -----------------------------------------------------------------------------
    def on_agenda_timer_item_changed(self, event: AgendaTimer.ItemChanged) -> None:
        """Someone (maybe a colleague) moved the agenda on: focus the lane the item works on."""
        if event.lane in LANES and event.lane != self.current and not isinstance(self.focused, Input):
            self._focus_lane(event.lane)

    def on_agenda_timer_overrun(self, event: AgendaTimer.Overrun) -> None:
        title = str(event.item.get("title", ""))
        self.notify(f"Time is up for {title!r}: + adds 5 minutes, ] goes on.", severity="warning", markup=False)

    def _need_workshop(self, agenda: bool = False, people: bool = False) -> Doc | None:
        ws = self.workshop
        if ws is None:
            self.notify("This account has no workshop yet: press w to plan one.", severity="warning")
        elif agenda and not ws.get("agenda"):
            self.notify("The workshop's agenda is empty: press w to add items.", severity="warning")
        elif people and not ws.get("participants"):
            self.notify("The workshop has no participants yet: press w to add them.", severity="warning")
        else:
            return ws
        return None

    def action_timer(self, action: str) -> None:
        if self._refuse_readonly() or (ws := self._need_workshop(agenda=True)) is None:
            return
        seen = ws.get("agenda_state") or {}  # the base: the state as this screen shows it
        fresh = not seen
        now = self.app.clock()
        try:  # shown at once; the store computes the same from the same state and time
            state = rules.apply(seen, list(ws.get("agenda") or []), action, now)
        except ValidationError as exc:
            self.app.report(exc)
            return
        self.show_workshop({**ws, "agenda_state": state}, [c for lane in self.all_cards.values() for c in lane])
        workshop_id = ws["id"]
        starts = fresh and action in ("toggle", "start")

        def run(store: BoardStore, _base: Doc | None) -> list[Doc]:
            store.timer(workshop_id, action, now, base=seen)
            return store.open_commitments(workshop_id) if starts else []

        def done(open_ones: list[Doc]) -> None:
            if open_ones:  # the workshop starts: review last year's promises
                self.action_commitments()

        self.edits.save("Timer not saved", "", None, run, done)

    # ---- other views ------------------------------------------------------------------------
    def action_workshop(self, new: bool = False) -> None:
        if self._refuse_readonly():
            return
        from kamboard.tui.screens.workshop_editor import WorkshopEditor

        try:
            account = self.app.store.account(self.account_id)
            opened = self.app.store.workshop(self.workshop["id"]) if self.workshop and not new else None
        except BoardError as exc:
            self.app.report(exc)
            return
        editor = WorkshopEditor(opened, str(account.get("name", "")), self.app.today)
        self.app.push_screen(editor, lambda changes: self._save_workshop(opened, changes))

    def _save_workshop(self, opened: Doc | None, changes: Doc | None) -> None:
        if not changes:
            return
        account_id = self.account_id

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            if opened is None:
                fields = dict(changes)
                title = fields.pop("title")
                return store.add_workshop(account_id, title, **fields)
            return store.update_workshop(opened["id"], changes, base=opened)

        def done(saved: Doc) -> None:
            if opened is None:
                self.notify(f"Planned {saved['title']!r}: t starts the timer.", markup=False)
            else:
                self.notify(f"Saved {saved['title']!r}.", markup=False)

        self.edits.save("Workshop not saved", "", None, run, done)

    def action_gaps(self) -> None:
        from kamboard.tui.screens.gaps import GapsScreen

        self.app.push_screen(GapsScreen(self.app.store, self.account_id), self.jump_to)

    def jump_to(self, card_id: str | None) -> None:
        """Select ``card_id`` on the board (clearing a filter that hides it)."""
        if not card_id:
            return
        try:
            card = self.app.store.card(card_id)
        except BoardError as exc:
            self.app.report(exc)
            return
        if self.filter_text:
            self.query_one("#board-filter", FilterInput).conceal()
            self.filter_text = ""
        self.refresh_view({card["lane"]: card["id"]})
        self._focus_lane(card["lane"])

    def action_presenter(self) -> None:
        from kamboard.tui.screens.presenter import BoardPresenter

        if (ws := self._need_workshop(agenda=True)) is None:
            return
        self.app.push_screen(BoardPresenter(self.app.store, ws["id"], self.app.clock), lambda _: self.refresh_view())

    def action_commitments(self) -> None:
        if (ws := self._need_workshop()) is None:
            return
        if self._refuse_readonly():
            return

        def closed(reviewed: int | None) -> None:
            if reviewed:
                self._after_change()

        from kamboard.tui.screens.commitments import CommitmentsScreen

        self.app.push_screen(CommitmentsScreen(self.app.store, ws["id"]), closed)
