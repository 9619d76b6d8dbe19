"""One card as a participant sees it: one row with the title, their votes, the total, a "−".

The row is drawn for its width: the title (literal, cut with '…') on the left; on the right
'you ●●' (the participant's own votes; 'you 12' when a card may take more than ``MAX_DOTS``),
the total once revealed ('all 7', 'all ?' while hidden) and a '−' to take a vote back. A click
or tap on the row adds a vote; on the '−' (the last ``MINUS_CELLS`` cells) takes one back.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from kamboard import voting
from kamboard.i18n import _
from kamboard.tui.widgets.card_text import drawn

Doc = dict[str, Any]
MINUS = " − "
MINUS_CELLS = 4  # the '−' and a cell either side, plus the row's right padding: an easy tap
MAX_DOTS = 5  # a per-card limit up to this draws dots; above it, a number (the limit may be 99)


def cut(title: str, width: int) -> str:
    """``title`` in at most ``width`` cells, cut with '…' when longer."""
    if cell_len(title) <= width:
        return title
    if width <= 1:
        return "…"[:width]
    out = ""
    for char in title:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


def vote_marks(card: Doc, workshop: Doc, person: str) -> str:
    """'you ●●   all 7': the participant's votes and the total once revealed ('all ?' while
    hidden); '' when neither. The votes take the same room on every row, so the rows line up:
    as many dots as one card may take, or, above ``MAX_DOTS``, the widest number ('you 12')."""
    mine = voting.voters_in(card, str(workshop.get("id", ""))).get(person, 0)
    total = voting.display_votes(card, workshop)
    if not mine and not total:
        return ""
    most = max(mine, voting.rules_of(workshop).per_card)
    you = _("you")  # 'you ●●': the participant's own votes
    if most <= MAX_DOTS:
        own, room = f"{you} {'●' * mine}", cell_len(you) + 1 + most
    else:
        own, room = f"{you} {mine}", cell_len(you) + 1 + len(str(most))
    own = (own if mine else "").ljust(room)
    every = _("all {total}").format(total=total) if total else ""
    return f"{own}  {every:>6}"


def row_text(card: Doc, workshop: Doc, person: str, width: int, cursor: bool) -> Text:
    """The row for ``width`` cells: marker, title, vote marks, '−' (when the participant has a vote)."""
    mine = voting.voters_in(card, str(workshop.get("id", ""))).get(person, 0)
    marks = vote_marks(card, workshop, person)
    right = f"  {marks} " if marks else " "
    minus = MINUS if mine else " " * len(MINUS)
    marker = "▶ " if cursor else "  "
    room = max(1, width - len(marker) - cell_len(right) - len(minus))
    title = cut(drawn(" ".join(str(card.get("title", "")).split())), room)
    out = Text(no_wrap=True, end="")
    out.append(marker, style="bold")
    out.append(title, style="bold")
    out.append(" " * max(0, room - cell_len(title)))
    if marks:
        out.append(right)
    out.append(minus, style="bold reverse" if mine else "")
    return out


class CardRow(Widget):
    """A card's row; posts ``CardRow.Pressed`` on a click (``delta`` 1, or -1 on the '−')."""

    DEFAULT_CSS = """
    CardRow {
        height: 1;
        width: 1fr;
        padding: 0 1 0 0;
    }
    """

    class Pressed(Message):
        def __init__(self, row: CardRow, delta: int) -> None:
            super().__init__()
            self.row = row
            self.delta = delta

    def __init__(self, card: Doc, workshop: Doc, person: str, index: int) -> None:
        super().__init__()
        self.card = card
        self.workshop = workshop
        self.person = person
        self.index = index
        self.cursor = False

    def show(self, card: Doc, workshop: Doc, cursor: bool) -> None:
        self.card, self.workshop, self.cursor = card, workshop, cursor
        self.set_class(cursor, "-cursor")
        self.refresh()

    def render(self) -> Text:
        return row_text(self.card, self.workshop, self.person, self.content_size.width, self.cursor)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        mine = voting.voters_in(self.card, str(self.workshop.get("id", ""))).get(self.person, 0)
        on_minus = event.x >= self.size.width - MINUS_CELLS
        self.post_message(self.Pressed(self, -1 if on_minus and mine else 1))
