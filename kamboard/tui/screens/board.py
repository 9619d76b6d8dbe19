"""The board of one account: three lanes headed by the workshop's questions.

``BoardScreen`` composes the board's widgets (a ``LaneColumn`` per lane: header, cards, quick-add
field; the ``WorkshopBar``: timer line and vote status) and hands the keys to controllers free of
Textual, which see it as a ``BoardHost``: ``CardEdits`` (card changes with undo, shown at once and
saved in the background by ``Edits``), ``Voting`` and ``Facilitation`` (the workshop). Its state
(``current`` lane, ``filter_text``, ``voter``, ``sorted_lanes``) is reactive: a watcher shows it.
The keys are one table, ``board_keys.KEYS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import DescendantFocus, ScreenResume
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static

from kamboard.card_filter import filter_words, matches
from kamboard.i18n import _, ngettext
from kamboard.model import LANES
from kamboard.tui.board_dialogs import Dialogs
from kamboard.tui.board_voting import Voting, every_card
from kamboard.tui.card_edits import CardEdits
from kamboard.tui.commands import BoardCommands, Providers, show_keys
from kamboard.tui.edits import Edits
from kamboard.tui.facilitation import Facilitation
from kamboard.tui.history import History
from kamboard.tui.keys import Key, bindings
from kamboard.tui.messages import ShowAccounts
from kamboard.tui.reporting import report, reporting
from kamboard.tui.screens.board_capture import Capture
from kamboard.tui.screens.board_keys import KEYS
from kamboard.tui.widgets.filter_input import FilterInput
from kamboard.tui.widgets.footer import KeyFooter
from kamboard.tui.widgets.lane import Lane
from kamboard.tui.widgets.lane_column import LaneColumn, QuickAdd
from kamboard.tui.widgets.save_status import SaveStatus
from kamboard.tui.widgets.text import text
from kamboard.tui.widgets.timer import AgendaTimer
from kamboard.tui.widgets.workshop_bar import WorkshopBar

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp

Card = dict[str, Any]


def count_text(n: int) -> str:
    """'1 conflict to review', '3 conflicts to review' (the title bar, the review screen)."""
    return ngettext("{n} conflict to review", "{n} conflicts to review", n).format(n=n)


class BoardScreen(Screen[None]):
    """Three lanes of cards for one account; every change shows at once, is saved in the
    background and can be undone."""

    KEYS: ClassVar[tuple[Key, ...]] = KEYS
    # e/Enter (edit) is a priority key: the editor is pushed before the next key is delivered, so
    # what is typed right after it goes to the editor (held until its title has the focus), not to
    # the board's keys (a bubbling binding opened it a few messages later: 'j' moved the cursor,
    # the next 'e' opened another card). In a field it gives way (check_action).
    BINDINGS: ClassVar[list[BindingType]] = [
        replace(binding, priority=True) if isinstance(binding, Binding) and binding.id == "board.edit" else binding
        for binding in bindings(KEYS)
    ]
    COMMANDS: ClassVar[Providers] = {BoardCommands}  # the palette's action plan and exports of this account

    # Focus the first lane while composing: by default Textual focused the (hidden) filter input
    # first, so the first paint showed no focused lane and the lane's restyles came twice.
    AUTO_FOCUS = "Lane"

    # init=False: set before the first paint, they show in the first reload (no extra work)
    current: var[str] = var("topic", init=False)  # the focused lane
    filter_text: var[str] = var("", init=False)
    voter: var[str] = var("", init=False)  # who votes ('': nobody chosen yet)
    sorted_lanes: var[frozenset[str]] = var(frozenset(), init=False)  # lanes shown by votes

    app: KamboardApp

    def __init__(self, account_id: str, history: History | None = None) -> None:
        super().__init__(id="board")
        self.account_id = account_id
        self.all_cards: dict[str, list[Card]] = {lane: [] for lane in LANES}
        self.columns: dict[str, LaneColumn] = {}
        self.lanes: dict[str, Lane] = {}
        self._title = Static(id="title-bar", classes="title-bar")
        self._title_text: Text | None = None
        self._banner = Static(id="readonly-banner", classes="readonly-banner")
        self._bar: WorkshopBar | None = None
        self._lanes = Horizontal(id="lanes")
        self._filter: FilterInput | None = None  # mounted at its first use (/)
        self._resumed = False
        app = self.app
        self.dialogs = dialogs = Dialogs(self)
        self.edits = Edits(self, app.saver, history if history is not None else History())
        self.card_edits = CardEdits(self, self.edits, app.store, dialogs)
        self.voting = Voting(self, self.edits, dialogs)
        self.facilitation = Facilitation(self, self.edits, app.store, dialogs, app.clock, lambda: app.today)
        self.capture = Capture(self)  # quick-add's titles and pastes, Esc that drops nothing by accident

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._banner
        # The timer line only for an account with workshops, else mounted when one appears.
        if self.facilitation.planned():
            self._bar = WorkshopBar(self.app.clock)
            yield self._bar
        with self._lanes:
            for lane in LANES:
                column = LaneColumn(lane, self.app.today, current=lane == self.current)  # no restyle on mount
                self.columns[lane], self.lanes[lane] = column, column.card_list
                yield column
        yield KeyFooter()

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Screen's own handler (_on_screen_resume). The first resume comes right
        # after the screen was composed, every widget styled as it mounted: restyling them all
        # again took ~4 ms of the first paint. Later resumes (back from a dialog, a theme change
        # meanwhile) restyle.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        SaveStatus.mount_after_paint(self)
        self._banner.display = False
        self.reload()
        self.lane.focus()
        self.app.board_changed.subscribe(self, self._board_changed)

    # ---- the board's state ---------------------------------------------------------------------
    @property
    def lane(self) -> Lane:
        """The focused lane."""
        return self.lanes[self.current]

    @property
    def workshop(self) -> Card | None:
        """The workshop the board runs."""
        return self.facilitation.workshop

    def watch_current(self, old: str, new: str) -> None:
        self.columns[old].set_current(False)
        self.columns[new].set_current(True)
        self.show_links()

    def watch_filter_text(self) -> None:
        self.show_cards()

    def watch_voter(self) -> None:
        self.show_cards()

    def watch_sorted_lanes(self) -> None:
        self.show_cards()

    # ---- showing the board -----------------------------------------------------------------------
    def reload(self, select: dict[str, str] | None = None) -> None:
        """Re-read this account's cards; each lane keeps its selected card (or takes ``select``).

        The account, its cards and its workshops come from one parse of the file: a write landing
        meanwhile is left to the next poll, which sees a parse this screen has not shown."""
        store = self.app.store
        with reporting(self), store.snapshot():
            self._show(store.account(self.account_id), store.cards(self.account_id), select)

    def _show(self, account: dict[str, Any], cards: list[Card], select: dict[str, str] | None) -> None:
        """Fill the title, lanes and workshop line (which reads the workshops: call in a snapshot)."""
        store = self.app.store
        conflicts = len(store.conflicts())  # of the whole board: merged copies leave them anywhere
        title = Text.assemble(
            text(account.get("name", ""), "bold"),
            (_("  owner: "), "dim") if account.get("owner") else "",
            text(account.get("owner", "")),
            (_("  (archived)"), "italic") if account.get("archived") else "",
            (f"   {count_text(conflicts)} (C)", "bold reverse") if conflicts else "",
            (_("   q: accounts  ?: keys"), "dim"),
        )
        if title != self._title_text:  # an unchanged title costs no layout (a re-read after each save)
            self._title_text = title
            self._title.update(title)
        if self._banner.display != store.readonly:  # e.g. a newer kamboard upgraded the file meanwhile
            self._banner.display = store.readonly
            self._banner.update(text(_("Read-only: {reason}").format(reason=store.readonly_reason)))
        by_lane: dict[str, list[Card]] = {lane: [] for lane in LANES}
        for card in cards:
            by_lane.setdefault(card.get("lane", ""), []).append(card)
        self.all_cards = by_lane
        self.show_workshop(self.facilitation.find())
        self.show_cards(select)

    def show_cards(self, select: dict[str, str] | None = None, lanes: Iterable[str] = LANES) -> None:
        """Show ``all_cards`` again in ``lanes`` (filtered, ordered), without reading the store."""
        words = filter_words(self.filter_text)
        workshop = self.workshop
        for lane in lanes:
            every = self.all_cards.get(lane, [])
            shown = [c for c in every if matches(c, words)] if words else every
            shown = self.voting.view_order(lane, shown, workshop)
            note = self.voting.sort_note(lane, workshop)
            self.columns[lane].show(shown, len(every), bool(words), note, (select or {}).get(lane))
        self.show_links()
        if workshop and workshop.get("participants"):
            self._show_vote_status()

    def show_workshop(self, workshop: Card | None) -> None:
        """Show ``workshop`` as the board's workshop: timer line, lanes' vote counts, vote status."""
        lane = self.facilitation.take(workshop, every_card(self.all_cards))
        names = [str(p.get("name", "")) for p in (workshop or {}).get("participants") or []]
        if self.voter not in names:
            self.voter = ""
        shown = self.facilitation.timer_shown()
        if self._bar is None and (shown or self.voter or (workshop or {}).get("capture")):
            self._bar = WorkshopBar(self.app.clock)
            self.mount(self._bar, after=self._banner)
        if self._bar is not None:
            self._bar.show(workshop, timer=shown, voting=bool(self.voter))
        if lane is not None:
            self.current = lane
        for widget in self.lanes.values():
            widget.workshop = workshop  # votes show as this workshop counts them
        self._show_vote_status()

    def _show_vote_status(self) -> None:
        if self._bar is not None:
            self._bar.show_votes(self.workshop, self.voter, every_card(self.all_cards))

    def show_links(self) -> None:
        """Highlight, in the other lanes, the cards linked with the selected card (either direction)."""
        ids = self.facilitation.linked_ids(self.lane.selected_card)
        for name, lane in self.lanes.items():
            lane.set_linked(ids if name != self.current else frozenset())

    @on(Lane.Selected)
    def _selected_moved(self, event: Lane.Selected) -> None:
        if event.lane is self.lanes.get(self.current):
            self.show_links()

    def refresh_view(self, select: dict[str, str] | None = None) -> None:
        """Show the board again: re-read it, or while saves are pending show the screen's own
        cards (reading would wait for the saves: the board is re-read once they are made)."""
        if self.edits.busy:
            self.show_cards(select)
        else:
            self.reload(select)

    def _board_changed(self, _: None) -> None:
        """The app's ``board_changed``: a poll found news, saves were made, copies merged."""
        self.refresh_view()

    def settled(self) -> None:
        """Every save is answered, some refused: the board as the file has it."""
        self.reload()

    # ---- for the controllers (BoardHost) ---------------------------------------------------------
    def report(self, error: Exception, prefix: str = "") -> None:
        report(self, error, prefix)

    def focus_lane(self, lane: str) -> None:
        self.current = lane
        self.lanes[lane].focus()

    def refuse_readonly(self) -> bool:
        """Say so and True when the board is read-only (no change can be made)."""
        return self._refuse_readonly()

    def _refuse_readonly(self) -> bool:
        if self.app.store.readonly:
            self.notify(self.app.store.readonly_reason, title=_("Read-only"), severity="warning", markup=False)
            return True
        return False

    def _selected(self) -> Card | None:
        card = self.lane.selected_card
        if card is None:
            self.notify(_("No card selected in this lane."), severity="warning")
        return card

    # ---- moving around ---------------------------------------------------------------------------
    def action_lane(self, delta: int) -> None:
        index = LANES.index(self.current) + delta
        if 0 <= index < len(LANES):
            self.focus_lane(LANES[index])

    def action_cursor(self, delta: int) -> None:
        self.lane.move_cursor(delta)

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, Lane | QuickAdd):
            self.current = event.widget.lane

    # ---- cards -----------------------------------------------------------------------------------
    def action_quick_add(self) -> None:
        if not self._refuse_readonly():
            self.columns[self.current].open_quick_add()

    @on(QuickAdd.Added)
    def _quick_added(self, event: QuickAdd.Added) -> None:
        self.capture.add(event.quick_add, event.title)

    @on(QuickAdd.Pasted)
    def _quick_pasted(self, event: QuickAdd.Pasted) -> None:
        self.capture.paste(event.lane, event.titles)

    @on(QuickAdd.Closed)
    def _quick_closed(self, event: QuickAdd.Closed) -> None:
        event.quick_add.close()
        self.lanes[event.lane].focus()

    @on(Lane.Activated)
    def _activated(self, event: Lane.Activated) -> None:
        self.action_edit(event.card)

    def action_edit(self, card: Card | None = None) -> None:
        if self._refuse_readonly():
            return
        card = card or self._selected()
        if card is not None:
            self.card_edits.edit(card)

    def action_move_lane(self, delta: int) -> None:
        if not self._refuse_readonly() and (card := self._selected()) is not None:
            self.card_edits.move_lane(card, delta)

    def action_reorder(self, delta: int) -> None:
        if self._refuse_readonly() or self.voting.refuse_sorted() or (card := self._selected()) is None:
            return
        lane = self.lane
        neighbour_at = lane.cursor + delta
        if 0 <= neighbour_at < len(lane.cards):
            self.card_edits.reorder(card, lane.cards[neighbour_at])

    def action_delete(self) -> None:
        if not self._refuse_readonly() and (card := self._selected()) is not None:
            self.card_edits.delete(card)

    def action_undo(self) -> None:
        if not self._refuse_readonly():
            self.edits.undo()

    def action_redo(self) -> None:
        if not self._refuse_readonly():
            self.edits.undo(redo=True)

    # ---- voting ----------------------------------------------------------------------------------
    def action_pick_voter(self) -> None:
        if (ws := self.facilitation.need(people=True)) is not None:
            self.voting.pick_voter(ws)

    def action_vote(self, delta: int) -> None:
        if self._refuse_readonly() or (ws := self.facilitation.need(people=True)) is None:
            return
        if (card := self._selected()) is None:
            return
        if not self.voter:  # ask who votes first, then vote
            self.voting.pick_voter(ws, then=lambda: self.action_vote(delta))
            return
        self.voting.vote(ws, card, delta)

    def action_reveal(self) -> None:
        if not self._refuse_readonly() and (ws := self.facilitation.need()) is not None:
            self.voting.reveal(ws)

    def action_sort_votes(self) -> None:
        if self.voting.toggle_sort(self.workshop):
            self.lane.scroll_to_cursor()

    # ---- the workshop ----------------------------------------------------------------------------
    def action_timer(self, action: str) -> None:
        if not self._refuse_readonly() and (ws := self.facilitation.need(agenda=True)) is not None:
            self.facilitation.timer(ws, action, on_start=self.action_commitments)

    def action_agenda_notes(self) -> None:
        if not self._refuse_readonly() and (ws := self.facilitation.need(agenda=True)) is not None:
            self.facilitation.agenda_notes(ws)

    def action_capture(self) -> None:
        if not self._refuse_readonly() and (ws := self.facilitation.need()) is not None:
            self.facilitation.toggle_capture(ws, self.current)

    @on(AgendaTimer.ItemChanged)
    def _agenda_moved(self, event: AgendaTimer.ItemChanged) -> None:
        """Someone (maybe a colleague) moved the agenda on: focus the lane the item works on."""
        if event.lane in LANES and event.lane != self.current and not isinstance(self.focused, Input):
            self.focus_lane(event.lane)

    @on(AgendaTimer.Overrun)
    def _overrun(self, event: AgendaTimer.Overrun) -> None:
        title = str(event.item.get("title", ""))
        self.notify(
            _("Time is up for {title!r}: + adds 5 minutes, ] goes on.").format(title=title),
            severity="warning",
            markup=False,
        )

    def action_workshop(self, new: bool = False) -> None:
        if not self._refuse_readonly():
            self.facilitation.edit_workshop(new)

    def action_gaps(self) -> None:
        from kamboard.tui.screens.gaps import GapsScreen

        self.app.push_screen(GapsScreen(self.app.store, self.account_id), self.jump_to)

    def jump_to(self, card_id: str | None) -> None:
        """Select ``card_id`` on the board (clearing a filter that hides it)."""
        if not card_id:
            return
        with reporting(self):
            card = self.app.store.card(card_id)
            if self.filter_text and self._filter is not None:
                self._filter.conceal()
                self.filter_text = ""
            self.refresh_view({card["lane"]: card["id"]})
            self.focus_lane(card["lane"])

    def action_presenter(self) -> None:
        from kamboard.tui.screens.presenter import BoardPresenter

        if (ws := self.facilitation.need(agenda=True)) is not None:
            presenter = BoardPresenter(self.app.store, ws["id"], self.app.clock)
            self.app.push_screen(presenter, lambda _: self.refresh_view())

    def action_commitments(self) -> None:
        if (ws := self.facilitation.need()) is None or self._refuse_readonly():
            return
        from kamboard.tui.screens.commitments import CommitmentsScreen

        # its decisions are saved by the app's saver (board_changed re-reads the board then) and
        # recorded in the board's history (u undoes them here too)
        self.app.push_screen(CommitmentsScreen(self.app.store, ws["id"], self.app.saver, self.edits.history))

    # ---- the view --------------------------------------------------------------------------------
    def _filter_field(self) -> FilterInput:
        # mounted at its first use: hidden inputs on the first screen cost the first paint
        if self._filter is None:
            placeholder = _("Filter: words, #tag or @owner; Enter keeps it, Esc clears")
            self._filter = FilterInput(placeholder=placeholder, id="board-filter")
            self.mount(self._filter, before=self._lanes)
        return self._filter

    def action_filter(self) -> None:
        self._filter_field().reveal()

    @on(Input.Changed, "#board-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#board-filter")
    def _filter_done(self) -> None:
        filter_field = self._filter_field()
        filter_field.settle(bool(self.filter_text.strip()))
        if not filter_field.shown:  # Enter closed it: an Esc next (to close it) stays on the board
            self.capture.filter_closed()
        self.lane.focus()

    def action_focus_mode(self) -> None:
        self._lanes.toggle_class("-focus-mode")
        self.lane.focus()
        self.call_after_refresh(self.lane.scroll_to_cursor)

    def action_back(self) -> None:
        """Esc: close what is open (asking before typed text is dropped), else back to the accounts;
        right after the filter closed only once pressed again (``Capture.leave_on_purpose``)."""
        focused = self.focused
        if isinstance(focused, QuickAdd):
            self.capture.close(focused)
            return
        for column in self.columns.values():
            if column.quick_add is not None and column.quick_add.shown:
                column.quick_add.close()
        filter_field = self._filter
        if filter_field is not None and (filter_field.shown or self.filter_text):
            filter_field.conceal()
            self.filter_text = ""
            self.capture.filter_closed()
            self.lane.focus()
            return
        if self._lanes.has_class("-focus-mode"):
            self._lanes.remove_class("-focus-mode")
            self.lane.focus()
            return
        if self.capture.leave_on_purpose():
            self.post_message(ShowAccounts())

    def action_help(self) -> None:
        show_keys(self)

    def action_conflicts(self) -> None:
        from kamboard.tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(), lambda _: self.refresh_view())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # an open input types '/' (Textual's footer does not know 'slash' is printable), 'e' and Enter
        # (edit is a priority key)
        return not (action in ("filter", "edit") and isinstance(self.focused, Input))
