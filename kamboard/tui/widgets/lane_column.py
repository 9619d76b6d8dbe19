"""One column of the board: the lane's header (title, count, question), its cards, its quick-add field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from kamboard.i18n import N_, Labels, _
from kamboard.model import LANE_QUESTIONS, LANE_TITLES
from kamboard.tui.widgets.lane import Lane
from kamboard.tui.widgets.ordered_input import OrderedInput

Card = dict[str, Any]
EMPTY_HINT = N_("No cards yet: press n to add one.")
FILTERED_HINT = N_("No card matches the filter (Esc clears it).")
# the quick-add field's tooltip, one sentence per lane (the noun's gender differs in German)
TOOLTIPS = Labels(
    {
        "topic": N_("Type a new topic; Enter adds it and stays open for the next, Esc closes"),
        "challenge": N_("Type a new challenge; Enter adds it and stays open for the next, Esc closes"),
        "support": N_("Type a new support action; Enter adds it and stays open for the next, Esc closes"),
    }
)


class QuickAdd(OrderedInput):
    """The field at the foot of a lane that adds cards to it: Enter adds the title typed and
    stays open for the next (``Added``), Enter on an empty field closes it (``Closed``); a paste
    of several lines adds a card per line (``Pasted``).

    Enter is taken in the field's own key handler, in the order the keys came, and empties the
    field there: keys typed right after it (a fast typist, a burst read from the terminal, an
    unbracketed paste) start the next title. Textual's Input submits on an ``enter`` binding,
    which runs once the key has bubbled up to the app, after the keys typed behind it were
    already typed into the field: the title ran on into the next one, or lost its first letter
    when the screen emptied the field later."""

    class Added(Message):
        def __init__(self, quick_add: QuickAdd, title: str) -> None:
            super().__init__()
            self.quick_add = quick_add
            self.lane = quick_add.lane
            self.title = title

    class Pasted(Message):
        """Several lines were pasted: ``titles``, the non-empty lines stripped, in order."""

        def __init__(self, quick_add: QuickAdd, titles: list[str]) -> None:
            super().__init__()
            self.quick_add = quick_add
            self.lane = quick_add.lane
            self.titles = titles

    class Closed(Message):
        def __init__(self, quick_add: QuickAdd) -> None:
            super().__init__()
            self.quick_add = quick_add
            self.lane = quick_add.lane

    def __init__(self, lane: str) -> None:
        # short enough to show whole in a lane at 80-100 columns (was cut to 'Type a new support action;')
        super().__init__(placeholder=_("Enter adds · Esc closes"), classes="quick-add")
        self.lane = lane
        self.tooltip = TOOLTIPS[lane]

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def open(self) -> None:
        self.add_class("-shown")
        self.focus()

    def close(self) -> None:
        self.value = ""
        self.remove_class("-shown")

    def refused(self, title: str) -> None:
        """Put a refused ``title`` back in front of what was typed after it, the cursor after it."""
        self.value = title + self.value
        self.cursor_position = len(title)

    @property
    def typed(self) -> bool:
        """Whether the field holds text (Esc asks before dropping it)."""
        return bool(self.value.strip())

    async def on_key(self, event: events.Key) -> None:
        if event.key != "enter":
            return
        event.stop()
        event.prevent_default()  # not Input's enter binding (see the class)
        title = self.value.strip()
        if not title:
            self.post_message(self.Closed(self))
            return
        self.value = ""
        self.post_message(self.Added(self, title))

    def on_paste(self, event: events.Paste) -> None:
        titles = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(titles) < 2 and len(event.text.splitlines()) < 2:
            return  # one line: Input inserts it at the cursor
        event.stop()
        event.prevent_default()  # Input keeps only the first line, even an empty one
        if len(titles) == 1:  # one line and line breaks: the line, at the cursor
            self.replace(titles[0], *self.selection)
        elif titles:
            self.post_message(self.Pasted(self, titles))


class LaneColumn(Vertical):
    """The column of ``lane``: the board marks the current one with the ``-current`` class."""

    def __init__(self, lane: str, today: dt.date, current: bool = False) -> None:
        super().__init__(id=f"col-{lane}", classes="lane-column -current" if current else "lane-column")
        self.lane = lane
        self.header = Static(id=f"head-{lane}", classes="lane-header")
        self.card_list = Lane(lane, today, id=f"lane-{lane}")
        self._head: Text | None = None
        self._quick_add: QuickAdd | None = None

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.card_list

    def set_current(self, current: bool) -> None:
        """Mark the column current (or not). Only the column and its header are restyled: a class
        change restyles every descendant, and restyling the lane (its scrollbar, its eleven
        component classes) cost each lane change ~3 ms for the same look. So no rule for the lane
        or the quick-add field may depend on ``-current`` (styles/board.tcss says so too)."""
        if self.has_class("-current") != current:
            self.set_class(current, "-current", update=False)
            self.app.stylesheet.update_nodes((self, self.header), animate=True)

    def show(self, cards: list[Card], total: int, filtering: bool, note: str, select: str | None = None) -> None:
        """Show ``cards`` of the lane's ``total`` (``filtering``: the rest is filtered out);
        ``note`` follows the count ('by votes'); the cursor keeps its card, or takes ``select``."""
        self.card_list.empty_hint = _(FILTERED_HINT) if filtering and total else _(EMPTY_HINT)
        self.card_list.set_cards(cards, select)
        head = Text.assemble(
            (LANE_TITLES[self.lane], "bold"),
            "  ",
            (_("{shown} of {total}").format(shown=len(cards), total=total) if filtering else str(len(cards)), "bold"),
            (note, "italic"),
            "\n",
            (LANE_QUESTIONS[self.lane], "italic"),
        )
        if head != self._head:  # an unchanged header costs nothing
            self._head = head
            self._update_header(head)

    def _update_header(self, head: Text) -> None:
        """Show ``head``; lay the screen out again only when the header's height changes (a new
        count mostly keeps it): a layout of the board costs a moving card several milliseconds."""
        header = self.header
        width = header.content_size.width
        if not width:  # not laid out yet
            header.update(head)
            return
        size = header.content_size
        before = header.get_content_height(size, size, width)
        header.update(head, layout=False)
        if header.get_content_height(size, size, width) != before:
            header.refresh(layout=True)

    # The quick-add field is mounted at its first use: hidden inputs in every lane cost the
    # first paint ~6 ms.
    @property
    def quick_add(self) -> QuickAdd | None:
        """The lane's quick-add field, if it was ever opened."""
        return self._quick_add

    def open_quick_add(self) -> QuickAdd:
        """Show the quick-add field (mounted now at its first use) and focus it."""
        if self._quick_add is None:
            self._quick_add = QuickAdd(self.lane)
            self.mount(self._quick_add)
        self._quick_add.open()
        return self._quick_add
