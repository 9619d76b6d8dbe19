"""The board of one account: three lanes headed by the workshop's questions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, ScreenResume
from textual.screen import Screen
from textual.widgets import Input, Static

from kamboard import model
from kamboard.errors import BoardError
from kamboard.model import LANE_QUESTIONS, LANE_TITLES, LANES, ValidationError
from kamboard.tui.edits import Edits
from kamboard.tui.facilitation import FACILITATION_BINDINGS, FACILITATION_GROUPS, FacilitationMixin
from kamboard.tui.screens.board_edit import BoardEditMixin
from kamboard.tui.widgets.filter_input import FilterInput
from kamboard.tui.widgets.footer import KeyFooter
from kamboard.tui.widgets.lane import Lane
from kamboard.tui.widgets.save_status import SaveStatus
from kamboard.tui.widgets.text import text

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.history import History

Card = dict[str, Any]
EMPTY_HINT = "No cards yet: press n to add one."
NOUNS = {"topic": "topic", "challenge": "challenge", "support": "support action"}


def count_text(n: int) -> str:
    """'1 conflict to review', '3 conflicts to review' (the title bar, the review screen)."""
    return f"{n} conflict{'' if n == 1 else 's'} to review"


def _b(key: str, action: str, description: str, ident: str, tooltip: str, show: bool = False) -> Binding:
    return Binding(key, action, description, show=show, id=f"board.{ident}", tooltip=tooltip)


# Help groups by binding id, for the key help.
HELP_GROUPS = {
    "lane_left": "Move around",
    "lane_right": "Move around",
    "cursor_up": "Move around",
    "cursor_down": "Move around",
    "add": "Cards",
    "edit": "Cards",
    "move_left": "Cards",
    "move_right": "Cards",
    "move_up": "Cards",
    "move_down": "Cards",
    "delete": "Cards",
    "undo": "Cards",
    "redo": "Cards",
    "filter": "View",
    "focus_mode": "View",
    "back": "View",
    "help": "View",
    "conflicts": "View",
    **FACILITATION_GROUPS,
}


def matches(card: Card, words: list[str]) -> bool:
    """Filter: every word must match; '#x' matches a tag, '@x' the owner, else any text of the card."""
    tags = [str(t).casefold() for t in card.get("tags") or ()]
    owner = str(card.get("owner") or "").casefold()
    haystack = " ".join(
        str(card.get(k) or "") for k in ("title", "notes", "owner", "customer_benefit", "our_benefit", "status")
    ).casefold()
    haystack += " " + " ".join(tags)
    for word in words:
        if word.startswith("#") and len(word) > 1:
            if not any(tag.startswith(word[1:]) for tag in tags):
                return False
        elif word.startswith("@") and len(word) > 1:
            if word[1:] not in owner:
                return False
        elif word not in haystack:
            return False
    return True


class BoardScreen(BoardEditMixin, FacilitationMixin, Screen[None]):
    """Three lanes of cards for one account; every change goes through the store and can be undone.

    Card changes live in ``BoardEditMixin`` (board_edit.py), workshop keys in ``FacilitationMixin``;
    every change shows at once and is saved in the background (``Edits``, the app's saver).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        _b("left,h", "lane(-1)", "Lane left", "lane_left", "Focus the lane to the left"),
        _b("right,l", "lane(1)", "Lane right", "lane_right", "Focus the lane to the right"),
        _b("up,k", "cursor(-1)", "Card up", "cursor_up", "Select the card above"),
        _b("down,j", "cursor(1)", "Card down", "cursor_down", "Select the card below"),
        _b("n", "quick_add", "Add", "add", "Quick-add cards to the focused lane (Enter adds, Esc closes)", True),
        _b("e,enter", "edit", "Edit", "edit", "Edit the selected card", True),
        _b("H,shift+left", "move_lane(-1)", "Move to lane left", "move_left", "Move the card to the previous lane"),
        _b("L,shift+right", "move_lane(1)", "Move to lane right", "move_right", "Move the card to the next lane"),
        _b("K,shift+up", "reorder(-1)", "Move card up", "move_up", "Move the card up in its lane"),
        _b("J,shift+down", "reorder(1)", "Move card down", "move_down", "Move the card down in its lane"),
        _b("d", "delete", "Delete", "delete", "Delete the selected card (after asking)", True),
        _b("u", "undo", "Undo", "undo", "Undo the last change made in this run", True),
        _b("ctrl+r", "redo", "Redo", "redo", "Redo the last undone change"),
        _b("slash", "filter", "Filter", "filter", "Filter cards by text, #tag or @owner", True),
        _b("z", "focus_mode", "Focus lane", "focus_mode", "Show the focused lane large (for a projector)", True),
        *FACILITATION_BINDINGS,
        _b("C", "conflicts", "Conflicts", "conflicts", "Review the conflicts merged copies of the board left"),
        _b("q,escape", "back", "Back", "back", "Close the input or focus mode, else back to the accounts", True),
        _b("question_mark", "help", "Keys", "help", "Show every key", True),
    ]

    # Focus the first lane while composing: by default Textual focused the (hidden) filter input
    # first, so the first paint showed no focused lane and the lane's restyles came twice.
    AUTO_FOCUS = "Lane"

    app: KamboardApp  # type: ignore[assignment]

    def __init__(self, account_id: str) -> None:
        super().__init__(id="board")
        self.account_id = account_id
        self.current = "topic"
        self.filter_text = ""
        self.all_cards: dict[str, list[Card]] = {lane: [] for lane in LANES}
        self.lanes: dict[str, Lane] = {}
        self._heads: dict[str, Text] = {}
        self.edits = Edits(self)

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar", classes="title-bar")
        yield Static(id="readonly-banner", classes="readonly-banner")
        yield from self.compose_workshop_bar()
        with Horizontal(id="lanes"):
            for lane in LANES:
                current = " -current" if lane == self.current else ""  # set now: no restyle on mount
                with Vertical(id=f"col-{lane}", classes="lane-column" + current):
                    yield Static(id=f"head-{lane}", classes="lane-header")
                    self.lanes[lane] = Lane(lane, self.app.today, id=f"lane-{lane}")
                    yield self.lanes[lane]
        yield KeyFooter()

    _resumed = False

    def _on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Screen's own handler. The first resume comes right after the screen was
        # composed, every widget styled as it mounted: restyling them all again took ~4 ms of
        # the first paint. Later resumes (back from a dialog, a theme change meanwhile) restyle.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        SaveStatus.mount_after_paint(self)
        self.query_one("#readonly-banner", Static).display = False
        self.reload()
        self.lanes[self.current].focus()
        self._mark_current()

    # data
    @property
    def history(self) -> History:
        return self.app.history_for(self.account_id)

    def reload(self, select: dict[str, str] | None = None) -> None:
        """Re-read this account's cards; each lane keeps its selected card (or takes ``select``).

        The account, its cards and its workshops come from one parse of the file: a write landing
        meanwhile is left to the next poll, which sees a parse this screen has not shown."""
        store = self.app.store
        try:
            with store.snapshot():
                self._show(store.account(self.account_id), store.cards(self.account_id), select)
        except BoardError as exc:
            self.app.report(exc)

    def _show(self, account: dict[str, Any], cards: list[Card], select: dict[str, str] | None) -> None:
        """Fill the title, lanes and workshop line (which reads the workshops: call in a snapshot)."""
        store = self.app.store
        conflicts = len(store.conflicts())  # of the whole board: merged copies leave them anywhere
        self.query_one("#title-bar", Static).update(
            Text.assemble(
                text(account.get("name", ""), "bold"),
                ("  owner: ", "dim") if account.get("owner") else "",
                text(account.get("owner", "")),
                ("  (archived)", "italic") if account.get("archived") else "",
                (f"   {count_text(conflicts)} (C)", "bold reverse") if conflicts else "",
                ("   q: accounts  ?: keys", "dim"),
            )
        )
        banner = self.query_one("#readonly-banner", Static)
        if banner.display != store.readonly:  # e.g. a newer kamboard upgraded the file meanwhile
            banner.display = store.readonly
            banner.update(text(f"Read-only: {store.readonly_reason}"))
        by_lane: dict[str, list[Card]] = {lane: [] for lane in LANES}
        for card in cards:
            by_lane.setdefault(card.get("lane", ""), []).append(card)
        self.all_cards = by_lane
        self.load_workshop(cards)
        self.show_cards(select)

    def show_cards(self, select: dict[str, str] | None = None, lanes: Iterable[str] = LANES) -> None:
        """Show ``all_cards`` again in ``lanes`` (filtered, ordered), without reading the store."""
        words = self.filter_text.casefold().split()
        for lane in lanes:
            every = self.all_cards.get(lane, [])
            shown = [c for c in every if matches(c, words)] if words else every
            shown = self.view_order(lane, shown)
            self.lanes[lane].empty_hint = (
                "No card matches the filter (Esc clears it)." if words and every else EMPTY_HINT
            )
            self.lanes[lane].set_cards(shown, (select or {}).get(lane))
            head = Text.assemble(
                (LANE_TITLES[lane], "bold"),
                "  ",
                (f"{len(shown)} of {len(every)}" if words else str(len(shown)), "bold"),
                (self.sort_note(lane), "italic"),
                "\n",
                (LANE_QUESTIONS[lane], "italic"),
            )
            if head != self._heads.get(lane):  # an unchanged header costs no new layout
                self._heads[lane] = head
                self.query_one(f"#head-{lane}", Static).update(head)
        self.show_links()
        self.show_vote_status()

    def refresh_view(self, select: dict[str, str] | None = None) -> None:
        """Show the board again: re-read it, or while saves are pending show the screen's own
        cards (reading would wait for the saves); the board is re-read once they are done."""
        if self.edits.busy:
            self.show_cards(select)
            self.app.saver.when_idle(self.edits.settle)
        else:
            self.reload(select)

    def reload_from_store(self) -> None:
        self.refresh_view()

    @property
    def lane(self) -> Lane:
        return self.lanes[self.current]

    def _mark_current(self) -> None:
        for lane in LANES:
            self.query_one(f"#col-{lane}").set_class(lane == self.current, "-current")
        self.show_links()

    def _focus_lane(self, lane: str) -> None:
        self.current = lane
        self._mark_current()
        self.lanes[lane].focus()

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        lane = getattr(event.widget, "lane", None)
        if isinstance(lane, str) and lane in LANES and lane != self.current:
            self.current = lane
            self._mark_current()

    def _refuse_readonly(self) -> bool:
        if self.app.store.readonly:
            self.notify(self.app.store.readonly_reason, title="Read-only", severity="warning", markup=False)
            return True
        return False

    def _selected(self) -> Card | None:
        card = self.lane.selected_card
        if card is None:
            self.notify("No card selected in this lane.", severity="warning")
        return card

    def _after_change(self, select: dict[str, str] | None = None) -> None:
        """Another screen changed the board (its own save): show it."""
        if self.edits.busy:
            self.refresh_view(select)  # the board is re-read when the saves are done
            return
        self.app.changed()
        self.reload(select)

    # navigation
    def action_lane(self, delta: int) -> None:
        index = LANES.index(self.current) + delta
        if 0 <= index < len(LANES):
            self._focus_lane(LANES[index])

    def action_cursor(self, delta: int) -> None:
        self.lane.move_cursor(delta)

    # changes
    def action_quick_add(self) -> None:
        if self._refuse_readonly():
            return
        field = self._quick_field(self.current)
        field.add_class("-shown")
        field.focus()

    # The filter and quick-add inputs are mounted at their first use: four hidden inputs on the
    # first screen cost ~6 ms of the first paint.
    def _mounted_input(self, selector: str) -> Input | None:
        for field in self.query(selector).results(Input):
            return field
        return None

    def _quick_field(self, lane: str) -> Input:
        field = self._mounted_input(f"#col-{lane} .quick-add")
        if field is None:
            # short enough to show whole in a lane at 80-100 columns (was cut to 'Type a new support action;')
            field = Input(placeholder="Enter adds · Esc closes", classes="quick-add")
            field.tooltip = f"Type a new {NOUNS[lane]}; Enter adds it and stays open for the next, Esc closes"
            field.lane = lane  # type: ignore[attr-defined]
            self.query_one(f"#col-{lane}").mount(field)
        return field

    def _filter_field(self) -> FilterInput:
        for field in self.query("#board-filter").results(FilterInput):
            return field
        field = FilterInput(placeholder="Filter: words, #tag or @owner; Enter keeps it, Esc clears", id="board-filter")
        self.mount(field, before=self.query_one("#lanes"))
        return field

    @on(Input.Submitted, ".quick-add")
    def _quick_added(self, event: Input.Submitted) -> None:
        field = event.input
        lane: str = field.lane  # type: ignore[attr-defined]
        title = event.value.strip()
        if not title:
            self._close_quick_add(field)
            return
        if self._refuse_readonly():
            return
        # a support action captured in the room starts as proposed (was: 'no status')
        status = {"status": "proposed"} if lane == "support" else {}
        try:
            fields = model.validate_card_fields({"title": title, **status})
        except ValidationError as exc:
            self.app.report(exc)  # the text stays in the field
            return
        workshop_id = self.capturing_workshop()
        card = {**model.CARD_DEFAULTS, "id": model.new_id(), "account_id": self.account_id, "lane": lane, **fields}
        card["tags"], card["links"] = [], []
        if workshop_id:
            card["workshop_id"] = workshop_id
        field.value = ""  # shown at once, saved in the background: the next title can be typed now
        self._add(
            card,
            "adding",
            lambda store: store.add_card(
                self.account_id, lane, title, id=card["id"], workshop_id=workshop_id, **status
            ),
        )
        if self.filter_text and not matches(card, self.filter_text.casefold().split()):
            self.notify(f"Added {card['title']!r}; the filter hides it.", markup=False)

    def _close_quick_add(self, field: Input) -> None:
        field.value = ""
        field.remove_class("-shown")
        self.lanes[field.lane].focus()  # type: ignore[attr-defined]

    @on(Lane.Activated)  # @on handlers stay here: Textual collects them only on its own classes
    def _activated(self, event: Lane.Activated) -> None:
        self.action_edit(event.card)

    # view
    def action_filter(self) -> None:
        self._filter_field().reveal()

    @on(Input.Changed, "#board-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refresh_view()

    @on(Input.Submitted, "#board-filter")
    def _filter_done(self) -> None:
        self.query_one("#board-filter", FilterInput).settle(bool(self.filter_text.strip()))
        self.lane.focus()

    def action_focus_mode(self) -> None:
        self.query_one("#lanes").toggle_class("-focus-mode")
        self.lane.focus()
        self.call_after_refresh(self.lane.scroll_to_cursor)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.has_class("quick-add"):
            self._close_quick_add(focused)
            return
        for field in self.query(".quick-add.-shown").results(Input):
            field.value = ""
            field.remove_class("-shown")
        filter_field = self._mounted_input("#board-filter")
        if isinstance(filter_field, FilterInput) and (filter_field.shown or self.filter_text):
            filter_field.conceal()
            self.filter_text = ""
            self.refresh_view()
            self.lane.focus()
            return
        lanes = self.query_one("#lanes")
        if lanes.has_class("-focus-mode"):
            lanes.remove_class("-focus-mode")
            self.lane.focus()
            return
        self.app.show_accounts()

    def action_help(self) -> None:
        self.app.show_keys(self)

    def action_conflicts(self) -> None:
        from kamboard.tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(), lambda _: self.refresh_view())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # an open input types '/' (Textual's footer does not know 'slash' is printable)
        return not (action == "filter" and isinstance(self.focused, Input))
