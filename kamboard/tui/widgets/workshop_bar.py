"""The line over the board's lanes while a workshop is on: the agenda timer and who votes.

The board mounts it only for an account with workshops (its widgets cost the first paint of a
board without any ~2 ms) and passes the workshop down with :meth:`WorkshopBar.show`; the timer
posts ``AgendaTimer.ItemChanged`` and ``AgendaTimer.Overrun``, which the board handles.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from kamboard import voting
from kamboard.tui.widgets.text import literal
from kamboard.tui.widgets.timer import BoardTimer, Clock

Doc = dict[str, Any]


def vote_status(workshop: Doc | None, voter: str, cards: list[Doc]) -> Text:
    """Who votes and the votes they have left ('' without participants); 'hidden' while hidden."""
    line = Text()
    if workshop is None or not workshop.get("participants"):
        return line
    if voter:
        left = voting.remaining(cards, voter, workshop)
        line.append(literal(voter), style="bold")
        line.append(f" {left}/{voting.rules_of(workshop).budget} votes left")
    else:
        line.append("p: who votes", style="italic")
    if workshop.get("votes_hidden"):
        line.append(" · hidden", style="italic")
    return line


class WorkshopBar(Horizontal):
    """The agenda timer (``#board-timer``) and the vote status (``#vote-status``) on one line."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(id="workshop-bar")
        self.timer = BoardTimer(None, clock, id="board-timer")
        self.status = Static("", id="vote-status", markup=False)
        self._status = Text()

    def compose(self) -> ComposeResult:
        yield self.timer
        yield self.status

    def show(self, workshop: Doc | None, timer: bool, voting: bool) -> None:
        """Show the timer of ``workshop`` when ``timer``; the line shows while either shows."""
        self.display = timer or voting  # voting on a past workshop: no timer
        self.timer.display = timer
        self.timer.workshop = workshop if timer else None

    def show_votes(self, workshop: Doc | None, voter: str, cards: list[Doc]) -> None:
        """The vote status of ``voter`` in ``workshop`` counted over ``cards``."""
        line = vote_status(workshop, voter, cards)
        if line != self._status:  # the same line costs no new layout
            self._status = line
            self.status.update(line)
