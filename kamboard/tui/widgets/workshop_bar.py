"""The line over the board's lanes while a workshop is on: the agenda timer, where participants
may add cards and how many have voted ("capture: Topics · voted 3/8 · 12 votes"), and who votes here.

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
from kamboard import workshop as rules
from kamboard.i18n import _, ngettext
from kamboard.model import LANE_TITLES, LANES
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
        line.append(_(" {left}/{budget} votes left").format(left=left, budget=voting.rules_of(workshop).budget))
    else:
        line.append(_("p: who votes"), style="italic")
    if workshop.get("votes_hidden"):
        line.append(_(" · hidden"), style="italic")
    return line


def live_parts(workshop: Doc | None, cards: list[Doc], short: bool = False) -> list[Text]:
    """What the room does now, most wanted first: the lanes open for capture ('capture: Topics';
    ``short``: 'capture: 2 lanes'), who has voted of the participants ('voted 3/8') and the votes
    cast ('12 votes'). Empty parts are left out."""
    if workshop is None:
        return []
    parts: list[Text] = []
    lanes = rules.capture_lanes(workshop)
    if lanes:
        named = _("all lanes") if len(lanes) == len(LANES) else ", ".join(LANE_TITLES[lane] for lane in lanes)
        if short and len(lanes) > 1:
            named = _("{n} lanes").format(n=len(lanes))
        parts.append(Text.assemble(_("capture: "), (named, "bold")))
    people = {str(p.get("name", "")).casefold() for p in workshop.get("participants") or []}
    if people:
        workshop_id = str(workshop.get("id", ""))
        voted = [name for name in voting.who_voted(cards, workshop_id) if name.casefold() in people]
        parts.append(Text(_("voted {voted}/{people}").format(voted=len(voted), people=len(people))))
        total = voting.total_votes(cards, workshop_id)
        if total:
            parts.append(Text(ngettext("{n} vote", "{n} votes", total).format(n=total)))
    return parts


def live_status(workshop: Doc | None, cards: list[Doc], width: int | None = None) -> Text:
    """The live parts on one line of at most ``width`` cells (None: any): the vote total gives
    way first, then the names of the open lanes; what still does not fit ends in '…'."""
    for short, keep in ((False, 3), (False, 2), (True, 2)):
        line = Text(" · ").join(live_parts(workshop, cards, short)[:keep])
        if width is None or line.cell_len <= width:
            return line
    line.truncate(max(1, width or 1), overflow="ellipsis")
    return line


class WorkshopBar(Horizontal):
    """The agenda timer (``#board-timer``), what the room does (``#workshop-live``: capture and
    who voted) and the vote status (``#vote-status``) on one line."""

    DEFAULT_CSS = """
    WorkshopBar #workshop-live {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """
    LIVE_SHARE = 0.4  # of the line's width at most, so the timer keeps its time left at 80 columns

    def __init__(self, clock: Clock) -> None:
        super().__init__(id="workshop-bar")
        self.timer = BoardTimer(None, clock, id="board-timer")
        self.live = Static("", id="workshop-live", markup=False)
        self.status = Static("", id="vote-status", markup=False)
        self._status = Text()
        self._live = Text()
        self._seen: tuple[Doc | None, list[Doc]] = (None, [])

    def compose(self) -> ComposeResult:
        yield self.timer
        yield self.live
        yield self.status

    def show(self, workshop: Doc | None, timer: bool, voting: bool) -> None:
        """Show the timer of ``workshop`` when ``timer``; the line shows while the timer or the vote
        status shows, or capture is open."""
        capture = workshop is not None and bool(rules.capture_lanes(workshop))
        self.display = timer or voting or capture  # voting on a past workshop: no timer
        self.timer.display = timer
        self.timer.workshop = workshop if timer else None

    def show_votes(self, workshop: Doc | None, voter: str, cards: list[Doc]) -> None:
        """The vote status of ``voter`` in ``workshop`` counted over ``cards``, and the live parts."""
        line = vote_status(workshop, voter, cards)
        if line != self._status:  # the same line costs no new layout
            self._status = line
            self.status.update(line)
        self._seen = (workshop, cards)
        self._show_live()

    def _show_live(self) -> None:
        width = int(self.size.width * self.LIVE_SHARE) - 2 if self.size.width else None  # 2: padding
        line = live_status(*self._seen, width)
        self.live.display = bool(line)
        if line != self._live:
            self._live = line
            self.live.update(line)

    def on_resize(self) -> None:
        self._show_live()
