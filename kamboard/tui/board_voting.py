"""Dot voting on the board: who votes, casting and taking back votes, hiding the counts, the
by-votes order. No Textual here.

The rules live in ``kamboard.voting``; ``Voting`` applies them to the cards as the screen shows
them (a vote over the budget is refused at once), shows each vote at once and saves it in the
background (``Edits``). Who votes and which lanes show by votes are the screen's state
(``BoardHost.voter``, ``BoardHost.sorted_lanes``): setting them shows the cards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kamboard import voting
from kamboard.i18n import _
from kamboard.model import ValidationError
from kamboard.tui.edits import Edits, Spot

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.board_host import BoardDialogs, BoardHost

Doc = dict[str, Any]


def every_card(lanes: dict[str, list[Doc]]) -> list[Doc]:
    return [card for cards in lanes.values() for card in cards]


class Voting:
    """The voting keys of the board (p, v, V, r, s)."""

    def __init__(self, host: BoardHost, edits: Edits, dialogs: BoardDialogs) -> None:
        self.host = host
        self.edits = edits
        self.dialogs = dialogs

    # ---- the view --------------------------------------------------------------------------
    def view_order(self, lane: str, cards: list[Doc], workshop: Doc | None) -> list[Doc]:
        """The lane's cards in view order: by votes when that lane is sorted and counts are visible."""
        if lane not in self.host.sorted_lanes:
            return cards
        if workshop is None:
            return voting.sort_by_votes(cards)
        if not workshop.get("votes_hidden"):
            return voting.sort_by_votes(cards, workshop["id"])
        return cards

    def sort_note(self, lane: str, workshop: Doc | None) -> str:
        """What the lane's header says after its count."""
        if lane not in self.host.sorted_lanes:
            return ""
        return _("  by votes once revealed") if workshop and workshop.get("votes_hidden") else _("  by votes")

    def refuse_sorted(self) -> bool:
        """Cards are not moved by hand while their lane shows by votes (positions would surprise)."""
        if self.host.current in self.host.sorted_lanes:
            self.host.notify(_("This lane is sorted by votes: press s for the board order, then move the card."))
            return True
        return False

    # ---- the keys --------------------------------------------------------------------------
    def pick_voter(self, workshop: Doc, then: Callable[[], None] | None = None) -> None:
        """Ask who votes; ``then`` runs once someone is chosen."""

        def chosen(name: str | None) -> None:
            if not name:
                return
            self.host.voter = name
            if then is not None:
                then()

        self.dialogs.pick_voter(workshop, every_card(self.host.all_cards), self.host.voter, chosen)

    def vote(self, workshop: Doc, card: Doc, delta: int) -> None:
        """Give ``card`` one of the voter's votes (``delta`` 1), or take one back (-1)."""
        cards = every_card(self.host.all_cards)
        try:  # the rules (budget, per-card limit) on the cards as shown: refused at once
            name = voting.participant_name(workshop, self.host.voter)
            votes = voting.cast(cards, card, name, workshop, delta)
        except ValidationError as exc:
            self.host.report(exc)
            return
        mine = voting.voters_in(card, workshop["id"]).get(name, 0)  # the base: my votes as I saw them
        card_id, workshop_id = card["id"], workshop["id"]
        self.edits.show(card_id, Spot(votes))

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            return store.vote(card_id, name, workshop_id, delta, base=mine)

        self.edits.save(
            _("Vote not saved ({title!r})").format(title=card.get("title", "")), card_id, None, run, follows=False
        )

    def reveal(self, workshop: Doc) -> None:
        """Hide the vote counts ('?') while voting, or reveal them."""
        hide = not workshop.get("votes_hidden")
        workshop_id, seen = workshop["id"], bool(workshop.get("votes_hidden"))
        self.host.show_workshop({**workshop, "votes_hidden": hide})
        self.host.show_cards()

        def run(store: BoardStore, _base: Doc | None) -> Doc:
            return store.set_votes_hidden(workshop_id, hide, base=seen)

        self.edits.save(_("Not saved"), "", None, run)
        self.host.notify(_("Vote counts hidden: cards show '?'.") if hide else _("Vote counts revealed."))

    def toggle_sort(self, workshop: Doc | None) -> bool:
        """Show the current lane by votes, or in board order again; False when refused (said so)."""
        lane = self.host.current
        if lane in self.host.sorted_lanes:
            self.host.sorted_lanes = self.host.sorted_lanes - {lane}
        elif workshop and workshop.get("votes_hidden"):
            self.host.notify(_("The vote counts are hidden: r reveals them, then s sorts."), severity="warning")
            return False
        else:
            self.host.sorted_lanes = self.host.sorted_lanes | {lane}
        return True
