"""The participant screen: the lane the facilitator works on, one row per card, votes, quick-add.

It re-reads the board file every ``interval`` seconds (``store.snapshot()``: a stat unless the
file changed), follows the facilitator's current agenda item (``workshop.view``) and shows
its lane; an item without a lane (welcome, a break) lets the participant pick one with
left/right. Its keys only vote, add (while capture is open) and move: nothing edits, deletes
or exports. The logic is in ``controller.Participation``; this draws it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from kamboard import workshop as rules
from kamboard.i18n import N_, _
from kamboard.model import LANE_QUESTIONS, LANE_TITLES, LANES
from kamboard.tui.participant.card_row import CardRow
from kamboard.tui.participant.controller import CAPTURE_CLOSED, Participation, Saves
from kamboard.tui.screens.presenter import item_heading
from kamboard.tui.widgets.ordered_input import OrderedInput
from kamboard.tui.widgets.text import literal, multiline

Clock = Callable[[], dt.datetime]

HELP = N_("""\
How to take part

  ↑ ↓  (or k j)   pick a card
  v  or a tap     give it one of your votes
  V  or tap −     take one of your votes back
  n               add a card (while the facilitator allows it)
  Enter / Esc     add the card typed / close the field
  ← →             another lane (when the agenda item has none)
  ctrl+q          leave

The lane follows the facilitator's agenda. Vote totals show once the
facilitator reveals them. Press any key to close this help.""")  # translated when shown


class HelpScreen(ModalScreen[None]):
    """A short help; any key or click closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Static {
        width: auto; max-width: 76; height: auto;
        padding: 1 2; border: round $accent; background: $panel;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(_(HELP), markup=False)

    def on_key(self, event: events.Key) -> None:
        if event.key not in ("ctrl+q", "ctrl+c"):
            event.stop()
            self.dismiss(None)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.dismiss(None)


class CardList(VerticalScroll, can_focus=False):
    """The rows of the lane shown (never focused: the arrows move the highlight, not the scroll)."""


class ParticipantScreen(Screen[None]):
    """One participant's view of the workshop's current lane."""

    AUTO_FOCUS = ""  # nothing: the keys go to the screen (None would take the app's)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (a ClassVar in Textual)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", _("Down"), show=False),
        Binding("up,k", "move(-1)", _("Up"), show=False),
        Binding("v", "vote(1)", _("Vote")),
        Binding("V", "vote(-1)", _("Take back")),
        Binding("n", "add", _("Add a card")),
        Binding("left", "lane(-1)", _("Lane"), show=False),
        Binding("right", "lane(1)", _("Lane"), show=False),
        Binding("escape", "close_add", _("Close the field")),
        Binding("question_mark", "help", _("Help")),
    ]

    def __init__(
        self, store: Any, saver: Saves, account_id: str, workshop_id: str, person: str, clock: Clock, interval: float
    ) -> None:
        super().__init__()
        self.clock = clock
        self.interval = interval
        self.ctl = Participation(self, store, saver, account_id, workshop_id, person)
        self._row_ids: list[str] = []
        self._rows: list[CardRow] = []  # the rows of the cards shown, in order
        self._adding = False  # the quick-add field is open
        self._capture_was_open = False

    def compose(self) -> ComposeResult:
        with Vertical(id="p-top"):
            yield Static("", id="p-title", markup=False)
            yield Static("", id="p-item", markup=False)
        yield Static("", id="p-lane", markup=False)
        yield Static("", id="p-budget", markup=False)
        yield CardList(id="p-cards")
        yield Static("", id="p-add", markup=False)
        field = OrderedInput(id="p-input", max_length=200)
        field.display = False  # opened by n
        yield field
        yield Footer()

    def on_mount(self) -> None:
        self.ctl.reload(force=True)
        self.ctl.follow(self.view)
        self.redraw()
        if self.interval > 0:
            self.set_interval(self.interval, self.poll)

    @property
    def view(self) -> rules.TimerView:
        return rules.view(self.ctl.workshop, self.clock())

    def poll(self) -> None:
        self.ctl.reload()
        self.ctl.follow(self.view)
        self.redraw()

    # ---- Host ----------------------------------------------------------------------------------
    def notify_user(self, message: str, error: bool = False) -> None:
        self.app.notify(multiline(message), severity="error" if error else "information", markup=False, timeout=4)

    def redraw(self) -> None:
        ctl = self.ctl
        view = self.view
        workshop = ctl.workshop
        # who you are first: a narrow screen cuts the end of the line, never the name
        you = _("You are {name}").format(name=literal(ctl.person))
        title = f"{you} · {literal(workshop.get('title', ''))} · {literal(ctl.account_name)}"
        self.query_one("#p-title", Static).update(title)
        self.query_one("#p-item", Static).update(ctl.error or self._item_line(view))
        lane_title = LANE_TITLES.get(ctl.lane, ctl.lane)
        self.query_one("#p-lane", Static).update(f"{lane_title}: {LANE_QUESTIONS.get(ctl.lane, '')}")
        hidden = "  ·  " + _("totals show once revealed") if workshop.get("votes_hidden") else ""
        self.query_one("#p-budget", Static).update(f"{ctl.budget()}{hidden}")
        self._draw_rows()
        self._draw_add()

    def _item_line(self, view: rules.TimerView) -> str:
        if view.item is None:
            return _("Now: no agenda yet") + "  ·  " + _("← → switch lanes")
        heading = item_heading(view.index, view.count, view.lane, str(view.item.get("title", "")))
        state = view.status if view.running else _("paused")
        now = _("Now: {heading}").format(heading=heading)
        if view.lane not in LANES:
            return f"{now}  ·  {state}  ·  " + _("← → switch lanes")
        return f"{now}  ·  {state}"

    def _draw_rows(self) -> None:
        cards = self.ctl.lane_cards()
        self.ctl.current_card()  # keeps the highlight on a card
        ids = [str(c.get("id")) for c in cards]
        if ids != self._row_ids:
            self._row_ids = ids
            box = self.query_one(CardList)
            box.remove_children()
            self._rows = [CardRow(card, self.ctl.workshop, self.ctl.person, i) for i, card in enumerate(cards)]
            box.mount_all(self._rows or [Static(_("No cards in this lane yet."), classes="p-empty", markup=False)])
        for row, card in zip(self._rows, cards, strict=True):
            row.person = self.ctl.person
            row.show(card, self.ctl.workshop, row.index == self.ctl.cursor)

    def _draw_add(self) -> None:
        is_open = self.ctl.capture_open()
        field = self.query_one("#p-input", OrderedInput)
        line = self.query_one("#p-add", Static)
        lane = LANE_TITLES.get(self.ctl.lane, "")
        if self._adding and not is_open and self._capture_was_open:
            if field.value.strip():
                self.notify_user(_("{closed}. Your text is kept.").format(closed=_(CAPTURE_CLOSED)))
            else:
                self._close_field()
        self._capture_was_open = is_open
        field.placeholder = _("A card for {lane}: Enter adds it, Esc closes").format(lane=lane)
        if is_open:
            line.update("" if self._adding else _("+ Add a card to {lane}  (n)").format(lane=lane))
        else:
            line.update(_(CAPTURE_CLOSED))
        line.set_class(is_open, "-open")
        line.display = not (self._adding and is_open)

    def _scroll_to_cursor(self) -> None:
        if 0 <= self.ctl.cursor < len(self._rows):
            self.query_one(CardList).scroll_to_widget(self._rows[self.ctl.cursor], animate=False)

    # ---- actions -------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.ctl.move(step)
        self.redraw()
        self._scroll_to_cursor()

    def action_vote(self, delta: int) -> None:
        self.ctl.vote(delta)

    def on_card_row_pressed(self, message: CardRow.Pressed) -> None:
        self.ctl.cursor = message.row.index
        self.ctl.vote(message.delta, message.row.card)
        self.redraw()

    def action_lane(self, step: int) -> None:
        if self.ctl.switch_lane(step, self.view):
            self.redraw()

    def action_add(self) -> None:
        if not self.ctl.capture_open():
            self.notify_user(_(CAPTURE_CLOSED))
            return
        self._adding = True
        self.refresh_bindings()
        field = self.query_one("#p-input", OrderedInput)
        field.display = True
        self._draw_add()
        field.focus()

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "p-add":
            self.action_add()

    def on_input_submitted(self, event: OrderedInput.Submitted) -> None:
        event.stop()
        field = self.query_one("#p-input", OrderedInput)
        if self.ctl.add(event.value):
            field.value = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc (and its footer entry) only while the quick-add field is open."""
        return self._adding if action == "close_add" else True

    def action_close_add(self) -> None:
        if self._adding:
            self._close_field()

    def _close_field(self) -> None:
        field = self.query_one("#p-input", OrderedInput)
        self._adding = False
        self.refresh_bindings()
        field.display = False
        self.set_focus(None)
        self._draw_add()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
