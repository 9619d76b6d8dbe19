"""Dot voting on the board: who votes, the v/V/r/s keys, the vote status and the by-votes order.

``VotingMixin`` is a base of ``FacilitationMixin`` (so of ``BoardScreen``); the rules live in
``kamboard.voting``; a vote shows at once and is saved in the background (``Edits``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kamboard import voting
from kamboard.model import ValidationError
from kamboard.tui.edits import Spot
from kamboard.tui.styles import WORKSHOP_STYLES
from kamboard.tui.widgets.text import literal

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.edits import Edits
    from kamboard.tui.widgets.lane import Lane

Doc = dict[str, Any]


class VoterPicker(ModalScreen[str | None]):
    """Choose who votes: one line per participant with the votes they have left."""

    CSS_PATH = WORKSHOP_STYLES  # read when first shown, not at the app's start

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", id="voter.cancel", tooltip="Close without choosing"),
    ]

    def __init__(self, workshop: Doc, cards: list[Doc], current: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.workshop = workshop
        self.cards = cards
        self.current = current

    def compose(self) -> ComposeResult:
        rules_ = voting.rules_of(self.workshop)
        options = []
        for person in self.workshop.get("participants") or []:
            name = str(person.get("name", ""))
            line = Text(literal(name), style="bold")
            extra = ", ".join(literal(str(person.get(k) or "")) for k in ("side", "role") if person.get(k))
            if extra:
                line.append(f" ({extra})")
            left = voting.remaining(self.cards, name, self.workshop)
            line.append(f"  {left} of {rules_.budget} votes left", style="dim")
            options.append(Option(line, id=name))
        with Vertical(id="voter-dialog", classes="dialog"):
            yield Static("Who votes now?", classes="dialog-title", markup=False)
            yield OptionList(*options, id="voter-list", markup=False)
            yield Static("Enter chooses · Esc cancels", classes="field-note", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [o.id for o in options.options]
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    @on(OptionList.OptionSelected, "#voter-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class VotingMixin:
    """The voting keys and state of the board screen (p, v, V, r, s)."""

    if TYPE_CHECKING:  # provided by FacilitationMixin / BoardScreen / Screen
        app: KamboardApp
        current: str
        all_cards: dict[str, list[Doc]]
        workshop: Doc | None
        edits: Edits

        @property
        def lane(self) -> Lane: ...
        def query(self, *args: Any, **kwargs: Any) -> Any: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def refresh_view(self, select: dict[str, str] | None = None) -> None: ...
        def show_cards(self, select: dict[str, str] | None = None, lanes: Any = ...) -> None: ...
        def show_workshop(self, workshop: Doc | None, cards: list[Doc]) -> None: ...
        def _refuse_readonly(self) -> bool: ...
        def _selected(self) -> Doc | None: ...
        def _need_workshop(self, agenda: bool = False, people: bool = False) -> Doc | None: ...

    voter: str = ""
    sorted_lanes: frozenset[str] = frozenset()

    def show_vote_status(self) -> None:
        """The vote status line from the screen's cards."""
        if self.workshop and self.workshop.get("participants"):
            self._show_vote_status([c for lane in self.all_cards.values() for c in lane])

    def _show_vote_status(self, cards: list[Doc]) -> None:
        ws = self.workshop
        found = self.query("#vote-status").results(Static)
        status = next(iter(found), None)
        if status is None:  # no timer line: no workshop to vote in
            return
        if ws is None or not ws.get("participants"):
            status.update("")
            return
        line = Text()
        if self.voter:
            left = voting.remaining(cards, self.voter, ws)
            line.append(literal(self.voter), style="bold")
            line.append(f" {left}/{voting.rules_of(ws).budget} votes left")
        else:
            line.append("p: who votes", style="italic")
        if ws.get("votes_hidden"):
            line.append(" · hidden", style="italic")
        status.update(line)

    def view_order(self, lane: str, cards: list[Doc]) -> list[Doc]:
        """The lane's cards in view order: by votes when that lane is sorted and counts are visible."""
        if lane in self.sorted_lanes and self.workshop and not self.workshop.get("votes_hidden"):
            return voting.sort_by_votes(cards, self.workshop["id"])
        if lane in self.sorted_lanes and self.workshop is None:
            return voting.sort_by_votes(cards)
        return cards

    def sort_note(self, lane: str) -> str:
        if lane not in self.sorted_lanes:
            return ""
        return "  by votes once revealed" if self.workshop and self.workshop.get("votes_hidden") else "  by votes"

    def refuse_sorted(self) -> bool:
        """Cards are not moved by hand while their lane shows by votes (positions would surprise)."""
        if self.current in self.sorted_lanes:
            self.notify("This lane is sorted by votes: press s for the board order, then move the card.")
            return True
        return False

    def action_pick_voter(self, then: Any = None) -> None:
        if (ws := self._need_workshop(people=True)) is None:
            return

        def chosen(name: str | None) -> None:
            if not name:
                return
            self.voter = name
            self.refresh_view()
            if callable(then):
                then()

        cards = [c for lane in self.all_cards.values() for c in lane]
        self.app.push_screen(VoterPicker(ws, cards, self.voter), chosen)

    def action_vote(self, delta: int) -> None:
        if self._refuse_readonly() or (ws := self._need_workshop(people=True)) is None:
            return
        if (card := self._selected()) is None:
            return
        if not self.voter:
            self.action_pick_voter(then=lambda: self.action_vote(delta))
            return
        cards = [c for lane in self.all_cards.values() for c in lane]
        try:  # the rules (budget, per-card limit) on the cards as shown: refused at once
            name = voting.participant_name(ws, self.voter)
            votes = voting.cast(cards, card, name, ws, delta)
        except ValidationError as exc:
            self.app.report(exc)
            return
        mine = voting.voters_in(card, ws["id"]).get(name, 0)  # the base: my votes as I saw them
        card_id, workshop_id = card["id"], ws["id"]
        self.edits.show(card_id, Spot(votes))

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            return store.vote(card_id, name, workshop_id, delta, base=mine)

        self.edits.save(f"Vote not saved ({card.get('title', '')!r})", card_id, None, run, follows=False)

    def action_reveal(self) -> None:
        if self._refuse_readonly() or (ws := self._need_workshop()) is None:
            return
        hide = not ws.get("votes_hidden")
        workshop_id, seen = ws["id"], bool(ws.get("votes_hidden"))
        self.show_workshop({**ws, "votes_hidden": hide}, [c for lane in self.all_cards.values() for c in lane])
        self.show_cards()

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            return store.set_votes_hidden(workshop_id, hide, base=seen)

        self.edits.save("Not saved", "", None, run)
        self.notify("Vote counts hidden: cards show '?'." if hide else "Vote counts revealed.")

    def action_sort_votes(self) -> None:
        lane = self.current
        if lane in self.sorted_lanes:
            self.sorted_lanes = self.sorted_lanes - {lane}
        elif self.workshop and self.workshop.get("votes_hidden"):
            self.notify("The vote counts are hidden: r reveals them, then s sorts.", severity="warning")
            return
        else:
            self.sorted_lanes = self.sorted_lanes | {lane}
        self.show_cards()
        self.lane.scroll_to_cursor()
