"""The presenter view: a read-only screen for the projector that follows the facilitator.

It shows the current agenda item, its time left in large digits (red once overrun) and the
lane the item works on, large; for a general item (breaks, welcome, wrap-up) the agenda.
It re-reads the board file every ``interval`` seconds (``store.refresh()`` is a cheap stat
unless the file changed), so another process advancing the agenda moves this view too.
It never changes the board.

The vote ranking: the board's sort by votes is the facilitator's screen state, which the
presenter (often another process) cannot see. It needs none: it shows a lane ranked by votes
whenever the current workshop's votes in that lane are visible (revealed, and someone voted),
which is exactly when the board can sort by them (``s`` refuses while the counts are hidden);
while they are hidden it shows the board order with '●?'. Support actions show their
mutual-benefit pair under the title ("for the customer: ..." / "for us: ...").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Static

from kamboard import voting
from kamboard import workshop as rules
from kamboard.errors import BoardError
from kamboard.i18n import N_, _
from kamboard.model import LANE_QUESTIONS, LANE_TITLES
from kamboard.tui.commands import ElsewhereCommands, Providers
from kamboard.tui.keys import Key, bindings
from kamboard.tui.widgets.text import literal

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp

Clock = Callable[[], dt.datetime]
MAX_CARDS = 200  # a projector shows far fewer; the rest is counted


def shows_ranking(cards: list[dict[str, Any]], workshop: dict[str, Any]) -> bool:
    """Whether the presenter shows ``cards`` (one lane) ranked by votes: the workshop's votes
    are revealed and someone voted on one of them (the moment the board can sort by votes)."""
    workshop_id = str(workshop.get("id", ""))
    return (
        bool(workshop_id) and not workshop.get("votes_hidden") and any(voting.votes_in(c, workshop_id) for c in cards)
    )


def ranks(cards: list[dict[str, Any]], workshop_id: str) -> list[int]:
    """Each card's place by votes (cards sorted by votes, most first): equal votes share a place
    ('1, 2, 2, 4'); a card without votes has place 0 (not ranked)."""
    out: list[int] = []
    previous = -1
    for index, card in enumerate(cards):
        count = voting.votes_in(card, workshop_id)
        out.append(0 if not count else (out[-1] if count == previous else index + 1))
        previous = count
    return out


def one_line(value: object) -> str:
    """Free text (a benefit may span lines) on one line, shown literally."""
    return literal(" ".join(str(value or "").split()))


def _benefits(out: Text, card: dict[str, Any]) -> None:
    """The mutual-benefit pair under a support action, when either half is stated ('—' for the other)."""
    pair = [(label, one_line(card.get(name))) for label, name in BENEFIT_LINES]
    if any(value for _, value in pair):
        for label, value in pair:
            out.append(f"\n    {_(label)}: ", style="dim")
            out.append(value or "—", style="" if value else "dim")


BENEFIT_LINES = ((N_("for the customer"), "customer_benefit"), (N_("for us"), "our_benefit"))  # translated when shown


def lane_text(cards: list[dict[str, Any]], workshop: dict[str, Any]) -> Text:
    """The cards of one lane, one per line, with their (possibly hidden) votes: ranked by votes
    (places numbered) once they are revealed (``shows_ranking``), else in board order; a support
    action with its owner and its mutual-benefit pair."""
    if not cards:
        return Text(_("No cards yet."), style="italic")
    out = Text()
    spaced = len(cards) <= 12  # a blank line between cards while they fit on a projector
    places: list[int] = []
    if shows_ranking(cards, workshop):
        cards = voting.sort_by_votes(cards, str(workshop["id"]))
        places = ranks(cards, str(workshop["id"]))
    digits = len(str(len(cards)))
    for index, card in enumerate(cards[:MAX_CARDS]):
        votes = voting.display_votes(card, workshop)
        if places:
            place = places[index]
            out.append(f"{place:>{digits}}. " if place else f"{'':>{digits}}  ", style="bold")
        out.append("• " if not places else "")
        out.append(literal(card.get("title", "")), style="bold")
        if votes:
            out.append(f"  ●{votes}")
        if card.get("lane") == "support":
            if card.get("owner"):
                out.append(f"  ({literal(card['owner'])})", style="dim")
            _benefits(out, card)
        out.append("\n\n" if spaced else "\n")
    if len(cards) > MAX_CARDS:
        out.append("… " + _("and {count} more").format(count=len(cards) - MAX_CARDS), style="italic")
    out.rstrip()
    return out


def agenda_text(workshop: dict[str, Any], current: int) -> Text:
    """The agenda with planned times, the current item marked."""
    agenda = list(workshop.get("agenda") or [])
    times = rules.schedule(agenda, str(workshop.get("start", "")))
    out = Text()
    for i, item in enumerate(agenda):
        mark = "▶ " if i == current else "  "
        minutes = _("{minutes} min").format(minutes=item.get("minutes", ""))
        line = f"{mark}{times[i] or '':5}  {literal(item.get('title', ''))}  ({minutes})\n"
        out.append(line, style="bold" if i == current else ("dim" if i < current else ""))
    out.rstrip()
    return out


def item_heading(index: int, count: int, lane: str, title: str) -> str:
    """'3/8 · Challenges: Rank them': the item's place, its lane and title; the lane is said once
    when the title starts with it ('8/15 · Challenges: prioritise by dot voting')."""
    lane_title = LANE_TITLES.get(lane, "")
    shown = literal(title)
    if lane_title and title.casefold().startswith(lane_title.casefold()):
        return f"{index + 1}/{count} · {shown}"
    where = f" · {lane_title}" if lane_title else ""
    return f"{index + 1}/{count}{where}: {shown}"


class PresenterScreen(Screen[None]):
    """Read-only projector view of a workshop's agenda and current lane."""

    DEFAULT_CSS = """
    PresenterScreen {
        layout: vertical;
        background: $background;
    }
    PresenterScreen #presenter-top {
        height: auto;
        padding: 0 2;
        background: $panel;
    }
    PresenterScreen #presenter-workshop {
        color: $text-muted;
    }
    PresenterScreen #presenter-item {
        text-style: bold;
        color: $accent;
    }
    PresenterScreen #presenter-left {
        width: auto;
        color: $text;
    }
    PresenterScreen #presenter-left.-overrun {
        color: $error;
    }
    PresenterScreen #presenter-question {
        padding: 1 2 0 2;
        text-style: bold italic;
        color: $text-accent;
    }
    PresenterScreen #presenter-body {
        padding: 0 2;
    }
    PresenterScreen #presenter-next {
        dock: bottom;
        height: 1;
        padding: 0 2;
        color: $text-muted;
    }
    """

    KEYS = (Key("escape,q", "close", _("Close"), "presenter.close", _("Leave the presenter view"), show=True),)
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        store: Any,
        workshop_id: str,
        clock: Clock = rules.utc_now,
        *,
        interval: float = 0.5,
    ) -> None:
        super().__init__()
        self.store = store
        self.workshop_id = workshop_id
        self.clock = clock
        self.interval = interval
        self.workshop: dict[str, Any] = {}
        self.cards: list[dict[str, Any]] = []
        self.account_name = ""
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="presenter-top"):
            yield Static("", id="presenter-workshop", markup=False)
            yield Static("", id="presenter-item", markup=False)
            yield Digits("", id="presenter-left")
        yield Static("", id="presenter-question", markup=False)
        with VerticalScroll(id="presenter-body"):
            yield Static("", id="presenter-lane", markup=False)
        yield Static("", id="presenter-next", markup=False)

    def on_mount(self) -> None:
        self.reload()
        if self.interval > 0:
            self.set_interval(self.interval, self.poll)

    _shown = -1  # the store's data generation (parse) last shown

    def poll(self) -> None:
        """Reload when the store holds a parse not shown yet (whichever read made it), else
        redraw (the time left moves on anyway)."""
        try:
            with self.store.snapshot() as generation:
                if generation != self._shown:
                    self.reload()
                    return
        except BoardError as exc:
            self.error = str(exc)
        self.redraw()

    def reload(self) -> None:
        """Fetch the workshop and its account's cards from one parse of the file, then redraw."""
        try:
            with self.store.snapshot() as generation:
                self.workshop = self.store.workshop(self.workshop_id)
                self.cards = self.store.cards(self.workshop.get("account_id"))
                self.account_name = str(self.store.account(self.workshop.get("account_id", "")).get("name", ""))
                self._shown = generation
            self.error = ""
        except BoardError as exc:
            self.error = str(exc)
        self.redraw()

    @property
    def view(self) -> rules.TimerView:
        return rules.view(self.workshop, self.clock())

    def redraw(self) -> None:
        view = self.view
        heading = f"{literal(self.workshop.get('title', ''))} · {literal(self.account_name)}"
        self.query_one("#presenter-workshop", Static).update(self.error or heading)
        digits = self.query_one("#presenter-left", Digits)
        question = self.query_one("#presenter-question", Static)
        body = self.query_one("#presenter-lane", Static)
        following = self.query_one("#presenter-next", Static)
        if view.item is None:
            self.query_one("#presenter-item", Static).update(_("No agenda yet"))
            digits.update("")
            question.update("")
            body.update("")
            following.update("")
            return
        state = "" if view.running else "  " + _("(paused)")
        over = f"  {view.status}" if view.overrun else ""  # the digits count on below zero: '5 min over' in words
        self.query_one("#presenter-item", Static).update(
            f"{item_heading(view.index, view.count, view.lane, str(view.item.get('title', '')))}{state}{over}"
        )
        digits.update(view.label)
        digits.set_class(view.overrun, "-overrun")
        self.set_class(view.overrun, "-overrun")
        if view.lane:
            cards = [c for c in self.cards if c.get("lane") == view.lane]
            ranked = "  " + _("(ranked by votes)") if shows_ranking(cards, self.workshop) else ""
            question.update(LANE_QUESTIONS[view.lane] + ranked)
            body.update(lane_text(cards, self.workshop))
        else:
            question.update(_("Agenda"))
            body.update(agenda_text(self.workshop, view.index))
        agenda = list(self.workshop.get("agenda") or [])
        if view.index + 1 < len(agenda):
            nxt = agenda[view.index + 1]
            minutes = _("{minutes} min").format(minutes=nxt.get("minutes", ""))
            following.update(
                _("Next: {title} ({minutes})").format(title=literal(nxt.get("title", "")), minutes=minutes)
            )
        else:
            following.update(_("Last item"))

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:  # the app's only screen (`kamboard present FILE`)
            self.app.exit()


class BoardPresenter(PresenterScreen):
    """The presenter view opened from a board: it shares the app's store and re-reads it when
    the app says the board changed; closing it lets the board re-read."""

    COMMANDS: ClassVar[Providers] = {ElsewhereCommands}

    app: KamboardApp

    def on_mount(self) -> None:
        self.app.board_changed.subscribe(self, lambda _changed: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)


class PresenterApp(App[None]):
    """`kamboard present FILE`: the presenter view on its own."""

    TITLE = _("kamboard presenter")

    def __init__(self, store: Any, workshop_id: str, clock: Clock = rules.utc_now) -> None:
        super().__init__()
        self.store = store
        self.workshop_id = workshop_id
        self.clock = clock

    def get_default_screen(self) -> Screen[Any]:
        return PresenterScreen(self.store, self.workshop_id, self.clock)


def run_presenter(store: Any, workshop_id: str) -> None:
    PresenterApp(store, workshop_id).run()
