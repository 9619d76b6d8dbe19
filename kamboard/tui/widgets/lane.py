"""A lane: a virtualised list of cards drawn with the Line API.

No widget is mounted per card: every card has a fixed height (per lane) and only the
visible rows are rendered, so a lane of thousands of cards opens and scrolls fast.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kamboard import model, voting
from kamboard.followup import is_carried_over
from kamboard.tui.widgets.text import literal

Card = dict[str, Any]


def card_height(lane: str) -> int:
    """Rows per card, including one blank separator row."""
    return 5 if lane == "support" else 3


# What terminals count differently from rich (and from each other), so a row holding it would push
# the lane's border: skin-tone modifiers (tmux counts '👍🏽' 4 cells, rich 2), zero-width joiners
# ('👩‍💻': 2 or 4 cells by terminal) and emoji variation selectors ('❤️': 1 in tmux, 2 in rich).
# A lane draws text without them ('👍', '👩💻', '❤'): what remains is one character per cell or
# two for a wide one, as every terminal counts it. The stored text stays as typed.
_UNEVEN = re.compile("[\U0001f3fb-\U0001f3ff\u200d\ufe0e\ufe0f]")


def drawable(text: str) -> str:
    """``text`` without what terminals measure differently (skin-tone modifiers, zero-width
    joiners, emoji variation selectors): every terminal then gives it the cells rich counts."""
    return _UNEVEN.sub("", text) if _UNEVEN.search(text) else text


def drawn(value: object) -> str:
    """User text as a lane draws it: literal (control characters visible) and drawable."""
    return drawable(literal(value))


Piece = tuple[str, str]  # (text, component class)
Row = tuple[list[Piece], list[Piece]]  # pieces on the left, pieces aligned right


def card_rows(
    card: Card, today: dt.date, width: int = 40, votes: str | None = None, narrow: bool | None = None
) -> list[Row]:
    """The content rows of a card for a lane ``width`` cells wide.

    Every card: the title over up to two rows (else the tags on the second row).
    Support actions then: owner and side; due date (overdue marked), status, "↻ carried over" when
    the commitments review carried it over from an earlier workshop, and "win-win" when both
    benefits are stated. Vote and link markers sit at the right of the title row; ``votes`` is the
    vote count as shown (``voting.display_votes``: '?' while hidden), else the stored total.
    User text is drawn as :func:`drawn` makes it, so every terminal agrees on its width.
    ``narrow`` picks the short words ('! date' for 'overdue date'); the lane decides it once for
    all its cards (``needs_short_words``) so they read alike; None decides for this card alone.
    """
    markers: list[Piece] = []
    shown = votes if votes is not None else str(int(card.get("votes") or 0) or "")
    if shown:
        markers.append((f"●{shown}", "lane--marker"))
    links = len(card.get("links") or ())
    if links:
        markers.append((f"⇄{links}", "lane--marker"))
    markers = _join(markers, " ")
    tags = _join([("#" + drawn(t), "lane--meta") for t in card.get("tags") or ()])
    title = drawn(card.get("title", ""))
    room = max(4, width - 3 - (sum(cell_len(t) for t, _ in markers) + 1 if markers else 0))
    first, rest = _split(title, room, max(4, width - 3))
    rows: list[Row] = [([(first, "lane--title")], markers), ([(rest, "lane--title")] if rest else tags, [])]
    if card.get("lane") != "support":
        return rows
    owner = drawn(card.get("owner") or "no owner")
    side = card.get("side") or ""
    who: list[Piece] = [(owner, "lane--meta")]
    if side:
        who.append((f" ({SIDE_WORDS.get(side, drawn(side))})", "lane--meta"))
    if narrow is None:
        narrow = needs_short_words(card, today, width)
    third = _status_row(card, today, narrow, marked=mutual_benefit(card))
    if _cells(third) > width - 3:
        third = _status_row(card, today, narrow, marked=False)
    return [*rows, (who, []), (third, [])]


SIDE_WORDS = {"us": "us", "customer": "customer"}  # the same words on every card


def _status_row(card: Card, today: dt.date, narrow: bool, marked: bool) -> list[Piece]:
    """Due date (overdue marked), status, the carried-over marker (a glyph and words, not colour
    alone) and, when ``marked``, the win-win marker."""
    due = card.get("due") or ""
    status = (card.get("status") or "no status").replace("_", " ")
    overdue = bool(due) and model.is_overdue(card, today)
    gap = " " if narrow else "  "
    row: list[Piece] = []
    if due:
        label = ("! " if narrow else "overdue ") if overdue else ("" if narrow else "due ")
        row += [(f"{label}{due}", "lane--overdue" if overdue else "lane--meta"), (gap, "")]
    row.append((status, "lane--status"))
    if is_carried_over(card):
        row += [(gap, ""), (CARRIED_SHORT if narrow else CARRIED, "lane--marker")]
    if marked:
        row += [(gap, ""), (WIN_WIN, "lane--marker")]
    return row


def _cells(pieces: list[Piece]) -> int:
    return sum(cell_len(text) for text, _ in pieces)


def needs_short_words(card: Card, today: dt.date, width: int) -> bool:
    """Whether a support action's status row needs the short words to fit ``width``: long words
    with the win-win marker, else short words with it, else long words without it, else short."""
    if card.get("lane") != "support":
        return False
    tries = [(False, True), (True, True)] if mutual_benefit(card) else []
    for narrow, marked in [*tries, (False, False)]:
        if _cells(_status_row(card, today, narrow, marked)) <= width - 3:
            return narrow
    return True


WIN_WIN = "win-win"
CARRIED = "↻ carried over"  # a commitment the review carried over from an earlier workshop
CARRIED_SHORT = "↻ carried"


def mutual_benefit(card: Card) -> bool:
    """Both halves of the mutual-benefit pair are filled in."""
    return bool(str(card.get("customer_benefit") or "").strip() and str(card.get("our_benefit") or "").strip())


def _split(title: str, width: int, next_width: int | None = None) -> tuple[str, str]:
    """Break a title so the first part fits ``width`` cells; the rest goes on the next row.

    The break falls at the last space that fits, unless that leaves most of the row empty: then
    after a hyphen or slash ('Remote-Service-' / 'Portal'), else at that early space when the rest
    then fits ``next_width``. Only a word longer than the row is cut where the row ends.
    """
    if cell_len(title) <= width:
        return title, ""
    next_width = width if next_width is None else next_width
    hard = 0
    while hard < len(title) and cell_len(title[: hard + 1]) <= width:
        hard += 1
    space = title.rfind(" ", 0, hard + 1)
    hyphen = max((i + 1 for i in range(hard) if title[i] in "-/" and i + 1 < len(title)), default=0)
    for cut in (space if space >= width // 2 else 0, hyphen, space):
        if cut <= 0:
            continue
        head, rest = title[:cut].rstrip(), title[cut:].lstrip()
        if head and (cut >= width // 2 or cell_len(rest) <= next_width):
            return head, rest
    return title[:hard], title[hard:].lstrip()


def _join(pieces: list[Piece], gap: str = "  ") -> list[Piece]:
    out: list[Piece] = []
    for index, piece in enumerate(pieces):
        if index:
            out.append((gap, "lane--meta"))
        out.append(piece)
    return out


class Lane(ScrollView, can_focus=True):
    """The cards of one lane; the cursor marks the selected card."""

    inherit_bindings = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page(-1)", "Page up", show=False, id="lane.page_up", tooltip="Up one page"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="lane.page_down", tooltip="Down one page"),
        Binding("home", "first", "First card", show=False, id="lane.first", tooltip="Go to the first card"),
        Binding("end", "last", "Last card", show=False, id="lane.last", tooltip="Go to the last card"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lane--card",
        "lane--cursor",
        "lane--cursor-blurred",
        "lane--title",
        "lane--meta",
        "lane--status",
        "lane--marker",
        "lane--overdue",
        "lane--empty",
        "lane--linked",
        "lane--link-mark",
    }
    DEFAULT_CSS = """
    Lane {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        & > .lane--card { background: $panel; }
        & > .lane--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .lane--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .lane--title { text-style: bold; }
        & > .lane--meta { color: $text-muted; }
        & > .lane--status { color: $text-secondary; }
        & > .lane--marker { color: $text-accent; }
        & > .lane--overdue { color: $error; text-style: bold; }
        & > .lane--empty { color: $text-muted; text-style: italic; }
        & > .lane--linked { background: $accent-muted; }
        & > .lane--link-mark { color: $accent; text-style: bold; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Selected(Message):
        """The cursor moved to another card (or the lane became empty)."""

        def __init__(self, lane: Lane, card: Card | None) -> None:
            super().__init__()
            self.lane = lane
            self.card = card

        @property
        def control(self) -> Lane:
            return self.lane

    class Activated(Message):
        """A card was double-clicked."""

        def __init__(self, lane: Lane, card: Card) -> None:
            super().__init__()
            self.lane = lane
            self.card = card

        @property
        def control(self) -> Lane:
            return self.lane

    def __init__(
        self,
        lane: str,
        today: dt.date,
        *,
        empty_hint: str = "No cards yet: press n to add one.",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.lane = lane
        self.today = today
        self.empty_hint = empty_hint
        self.cards: list[Card] = []
        self.row_height = card_height(lane)
        self._cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(1024)
        self._base_style = Style()
        self._width = 0
        self.workshop: Card | None = None  # votes show as this workshop counts them (hidden: '?')
        self.linked: frozenset[str] = frozenset()  # cards linked with the selected card elsewhere
        self._narrow: tuple[int, bool] | None = None  # (width, short words?) for the cards shown
        self._piece_styles: dict[tuple[str, Any], Style] = {}
        self._look: tuple[object, ...] = ()  # the lane's style and its components' styles, as last drawn

    # data
    @property
    def selected_card(self) -> Card | None:
        if 0 <= self.cursor < len(self.cards):
            return self.cards[self.cursor]
        return None

    @property
    def selected_id(self) -> str | None:
        card = self.selected_card
        return card["id"] if card else None

    def index_of(self, card_id: str | None) -> int | None:
        for index, card in enumerate(self.cards):
            if card["id"] == card_id:
                return index
        return None

    def set_cards(self, cards: list[Card], select_id: str | None = None) -> None:
        """Show ``cards``; keep the cursor on ``select_id`` (else the selected card, else its index)."""
        keep = select_id or self.selected_id
        old_index = self.cursor
        self.cards = cards
        self.virtual_size = Size(0, len(cards) * self.row_height)
        index = self.index_of(keep) if keep else None
        if index is None:
            index = min(old_index, len(cards) - 1)
        # no cache clearing: lines are cached by card id and revision (every change bumps it),
        # so after a move or an edit only the changed cards' lines are drawn again
        self._narrow = None
        index = max(0, index)
        self.set_reactive(Lane.cursor, index)
        self.refresh()
        if self.is_mounted and (select_id or index != old_index):
            # follow the selection; a refresh that keeps it in place keeps the scroll position too
            self.call_after_refresh(self.scroll_to_cursor)

    def set_linked(self, ids: set[str] | frozenset[str]) -> None:
        """Highlight the cards ``ids`` (linked with the card selected in another lane)."""
        ids = frozenset(ids)
        if ids != self.linked:
            self.linked = ids
            self.refresh()

    def select_id(self, card_id: str) -> bool:
        index = self.index_of(card_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # cursor
    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.cards) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to_cursor()
        self.post_message(self.Selected(self, self.selected_card))

    def scroll_to_cursor(self) -> None:
        if not self.cards:
            return
        height = self.row_height
        self.scroll_to_region(
            Region(0, self.cursor * height, max(1, self.scrollable_content_region.width), height),
            animate=False,
            force=True,
        )

    def move_cursor(self, delta: int) -> None:
        self.cursor = self.cursor + delta

    def action_page(self, direction: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // self.row_height)
        self.cursor = self.cursor + direction * per_page

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.cards) - 1

    # mouse
    def index_at(self, y: int) -> int | None:
        index = (y + int(self.scroll_y)) // self.row_height
        return index if 0 <= index < len(self.cards) else None

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.index_at(offset.y)
        self.focus()
        if index is None:
            return
        self.cursor = index
        if event.chain >= 2:
            self.post_message(self.Activated(self, self.cards[index]))

    # rendering
    # Focus changes only the cursor card's colours (the state "cursor" or "blurred" is in the line
    # cache's key): the cached lines stay, and only the cursor card's rows are drawn again.
    def on_focus(self, event: events.Focus) -> None:
        self.refresh_cursor()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh_cursor()

    def refresh_cursor(self) -> None:
        """Draw the selected card's rows again."""
        if self.cards:
            self.refresh_lines(self.cursor * self.row_height, self.row_height)
        else:
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The lane is restyled whenever its column or its focus changes (Textual restyles every
        # descendant), mostly to the same look: the cached lines go only when the look changed.
        look = (self.rich_style, *(self.get_component_styles(name) for name in sorted(self.COMPONENT_CLASSES)))
        if look != self._look:
            self._look = look
            self._cache.clear()
            self._piece_styles.clear()
        self._base_style = self.rich_style  # computed once per paint, not once per row
        self._width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def short_words(self, width: int) -> bool:
        """One choice for the whole lane: short words ('! date') if any card needs them."""
        if self._narrow is None or self._narrow[0] != width:
            short = self.lane == "support" and any(needs_short_words(c, self.today, width) for c in self.cards)
            self._narrow = (width, short)
        return self._narrow[1]

    def render_line(self, y: int) -> Strip:
        width = self._width
        row = y + int(self.scroll_y)
        base = self._base_style
        if not self.cards:
            hint_key = ("empty", self.empty_hint, width, y)  # the hint is wrapped once, not once per row
            hint = self._cache.get(hint_key)
            if hint is None:
                hint = self._cache[hint_key] = self._render_hint_line(y, width, base)
            return hint
        index, line = divmod(row, self.row_height)
        if index >= len(self.cards) or line == self.row_height - 1:
            return Strip.blank(width, base)
        card = self.cards[index]
        state = "cursor" if index == self.cursor else "card"
        if state == "cursor" and not self.has_focus:
            state = "blurred"
        linked = card["id"] in self.linked
        votes = voting.display_votes(card, self.workshop)
        narrow = self.short_words(width)
        key = (card["id"], card.get("rev"), card.get("updated_at"), line, width, state, linked, votes, narrow)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_card_line(card, line, width, state, linked, votes, narrow)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _render_hint_line(self, y: int, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style("lane--empty")
        lines = Text(self.empty_hint, style=style).wrap(self.app.console, max(4, width - 2))
        if 1 <= y <= len(lines):
            hint = Text(" ", style=base) + lines[y - 1]
            hint.truncate(width, overflow="ellipsis", pad=True)
            return Strip(hint.render(self.app.console), width)
        return Strip.blank(width, base)

    def _render_card_line(
        self,
        card: Card,
        line: int,
        width: int,
        state: str,
        linked: bool = False,
        votes: str | None = None,
        narrow: bool | None = None,
    ) -> Strip:
        component = {"cursor": "lane--cursor", "blurred": "lane--cursor-blurred"}.get(state, "lane--card")
        if linked and state != "cursor":  # over the blurred cursor too: the link matters more
            component = "lane--linked"
        background = self.get_component_rich_style(component)
        rows = card_rows(card, self.today, width, votes, narrow)
        left, right = rows[line] if line < len(rows) else ([], [])
        body = self._assemble(left, background, state)
        tail = self._assemble(right, background, state)
        space = max(1, width - 1 - tail.cell_len - (1 if tail.cell_len else 0))
        head = Text(no_wrap=True, end="")
        if linked:  # a bar at the left edge: visible without colour too
            head.append("▌", background + self.get_component_rich_style("lane--link-mark", partial=True))
        else:
            head.append(" ", background)
        head.append_text(body)
        head.truncate(space, overflow="ellipsis")
        if tail.cell_len:
            head.append(" " * (width - 1 - tail.cell_len - head.cell_len), background)
            head.append_text(tail)
        body = head
        segments = list(body.render(self.app.console))
        return Strip(Segment.adjust_line_length(segments, width, style=background), width)

    def _assemble(self, pieces: list[Piece], background: Style, state: str) -> Text:
        out = Text(no_wrap=True, end="")
        for piece, name in pieces:
            style = self._piece_style(name, background) if name else Style()
            if state in ("cursor", "blurred"):
                # on the cursor keep its colours readable: only the weight stays, and an overdue
                # date stands out in reverse (the error colour on the cursor colour is unreadable)
                style = Style(bold=style.bold, reverse=name == "lane--overdue" or None)
            out.append(piece, background + style)
        return out

    def _piece_style(self, name: str, background: Style) -> Style:
        """A component's text style over ``background``, its colour resolved as Textual does for
        widgets: a partial style would drop the alpha and the 'auto' of ``$text-muted``
        ('auto 60%'), drawing white text on the light themes' light cards."""
        key = (name, background.bgcolor)
        style = self._piece_styles.get(key)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            styles = self.get_component_styles(name)
            if styles.has_rule("color") and background.bgcolor is not None:
                under = Color.from_rich_color(background.bgcolor)
                color = styles.color
                resolved = under.get_contrast_text(color.a) if styles.auto_color else under + color
                style += Style(color=resolved.rich_color)
            self._piece_styles[key] = style
        return style
