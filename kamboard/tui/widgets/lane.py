"""A lane: a virtualised list of cards drawn with the Line API.

No widget is mounted per card: every card has a fixed height (per lane) and only the
visible rows are rendered, so a lane of thousands of cards opens and scrolls fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

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

from kamboard import voting
from kamboard.i18n import _
from kamboard.tui.widgets.card_text import Card, Piece, card_height, card_rows, needs_short_words


class Lane(ScrollView, can_focus=True):
    """The cards of one lane; the cursor marks the selected card."""

    inherit_bindings = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page(-1)", _("Page up"), show=False, id="lane.page_up", tooltip=_("Up one page")),
        Binding("pagedown", "page(1)", _("Page down"), show=False, id="lane.page_down", tooltip=_("Down one page")),
        Binding("home", "first", _("First card"), show=False, id="lane.first", tooltip=_("Go to the first card")),
        Binding("end", "last", _("Last card"), show=False, id="lane.last", tooltip=_("Go to the last card")),
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
        empty_hint: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.lane = lane
        self.today = today
        self.empty_hint = _("No cards yet: press n to add one.") if empty_hint is None else empty_hint
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
