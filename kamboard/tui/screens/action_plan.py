"""The action plan: support actions of one account (or all), grouped by status, followed up by key.

Keys: ``]``/``[`` move the selected action's status forward/back, ``1``-``5`` set it
(proposed, agreed, in progress, done, dropped), Enter or ``e`` opens the card editor on it,
``u`` undoes the last change (``ctrl+r`` redoes), ``o`` filters by owner, ``s`` cycles the side
filter (all, us, customer), ``a`` switches between this account and all accounts, Esc closes
(or clears the owner filter first). The cursor starts on an action, not on a group heading; the
Account column shows only when the actions shown come from more than one account.

The changes are saved as on the board (``kamboard.tui.plan_edits``): shown at once, written with
their base, kept in the undo history of the action's account (``u`` on its board undoes them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.color import Color
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from kamboard.errors import BoardError
from kamboard.followup import group_actions
from kamboard.i18n import N_, Labels, _, format_date, ngettext, pgettext
from kamboard.model import STATUSES, is_overdue
from kamboard.store import BoardStore
from kamboard.tui.commands import Providers, ScreenCommands, conflict_commands, export_commands, show_keys
from kamboard.tui.history import History
from kamboard.tui.keys import Key, bindings
from kamboard.tui.plan_edits import InlineSaver, PlanEdits
from kamboard.tui.reporting import report
from kamboard.tui.styles import PLAN_STYLES
from kamboard.tui.widgets.filter_input import FilterInput
from kamboard.tui.widgets.text import text

if TYPE_CHECKING:
    from kamboard.errors import Conflict
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.board_host import Saves

Doc = dict[str, Any]
GROUP_LABELS = {
    "": _("No status"),
    "proposed": _("Proposed"),
    "agreed": _("Agreed"),
    "in_progress": _("In progress"),
    "done": _("Done"),
    "dropped": _("Dropped"),
}  # built at import, after the CLI chose the language (as the key table below)
# a status inside a sentence ("Mark the action in progress"), translated when read
STATUS_WORDS = Labels(
    {
        "proposed": N_("proposed"),
        "agreed": N_("agreed"),
        "in_progress": N_("in progress"),
        "done": N_("done"),
        "dropped": N_("dropped"),
    }
)
SIDE_LABELS = Labels({"us": N_("us"), "customer": N_("customer"), "both": N_("both")})
COLUMN_LABELS = Labels(
    {"Action": N_("Action"), "Account": N_("Account"), "Owner": N_("Owner"), "Side": N_("Side"), "Due": N_("Due")}
)
SIDE_FILTERS = ("", "us", "customer")
_GROUP_KEY = "group:"
GROUP = _("Action plan")  # the key help's

# fmt: off
PLAN_KEYS = (
    # keys, action, description, id, tooltip, group, palette title, shown in the footer
    Key("right_square_bracket", "shift_status(1)", _("Status →"), "plan.next", _("Next status"), GROUP, show=True),
    Key("left_square_bracket", "shift_status(-1)", _("Status ←"), "plan.prev", _("Previous status"), GROUP),
    *[
        Key(str(i), f"set_status('{status}')", GROUP_LABELS[status], f"plan.status.{status}",
            _("Mark the action {status}").format(status=STATUS_WORDS[status]), GROUP)
        for i, status in enumerate(STATUSES, start=1)
    ],
    Key("e,enter", "edit", _("Edit"), "plan.edit", _("Edit the action: owner, due, status, benefits"), GROUP,
        _("Edit the action"), show=True),
    Key("u", "undo", _("Undo"), "plan.undo", _("Undo the last change (u on the account's board undoes it too)"),
        GROUP),
    Key("ctrl+r", "redo", _("Redo"), "plan.redo", _("Redo the last undone change"), GROUP),
    Key("o", "filter_owner", pgettext("key", "Owner"), "plan.owner", _("Filter by owner"), GROUP, _("Filter by owner"), show=True),
    Key("s", "cycle_side", _("Side"), "plan.side", _("Show both sides, ours, or the customer's"), GROUP,
        _("Filter by side"), show=True),
    Key("a", "toggle_scope", _("All/one"), "plan.scope", _("All accounts or just this one"), GROUP,
        _("All accounts or this one"), show=True),
    Key("escape,q", "close", pgettext("key", "Close"), "plan.close", _("Clear the owner filter, else close"), GROUP,
        _("Close the action plan"), show=True),
)
# fmt: on


class ActionPlanScreen(Screen[None]):
    """Support actions grouped by status, with owner, side and due date; overdue ones in the error colour."""

    CSS_PATH = PLAN_STYLES  # read when first shown, not at the app's start

    KEYS = PLAN_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        store: BoardStore,
        account_id: str | None,
        today: dt.date,
        saver: Saves | None = None,
        history_for: Callable[[str], History] | None = None,
    ) -> None:
        """``saver``: the app's (None: each change is written at once); ``history_for``: the undo
        history of an account's board (None: the plan keeps its own)."""
        super().__init__(id="action-plan")
        self.store = store
        self.account_id = account_id
        self.show_all = account_id is None
        self.today = today
        self.owner_filter = ""
        self.side_filter = ""
        self._shown: tuple[list[Doc], dict[str, str]] = ([], {})  # the actions and account names as read
        self.saver: Saves = saver if saver is not None else InlineSaver(store, self.reload)
        histories: dict[str, History] = {}
        own: Callable[[str], History] = lambda account: histories.setdefault(account, History())  # noqa: E731
        self.changes = PlanEdits(self, store, self.saver, PlanDialogs(self), history_for or own, today)

    def compose(self) -> ComposeResult:
        yield Static(id="plan-title", classes="title-bar")
        yield FilterInput(placeholder=_("Owner: type a name; Enter keeps it, Esc clears"), id="plan-owner")
        yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("No support actions match."), id="plan-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._fill())  # overdue in the error colour

    # data
    def _cards(self) -> tuple[list[Doc], dict[str, str]]:
        accounts = self.store.accounts(include_archived=True)
        names = {a["id"]: str(a.get("name", "")) for a in accounts}
        if self.show_all:
            active = {a["id"] for a in accounts if not a.get("archived")}
            return [c for c in self.store.cards(lane="support") if c.get("account_id") in active], names
        return self.store.cards(self.account_id, "support"), names

    def reload(self) -> None:
        """Fill the table from the store, keeping the selected action."""
        selected = self.selected_id()
        try:
            with self.store.snapshot():  # names and cards from one parse (a write meanwhile: next poll)
                cards, names = self._cards()
        except BoardError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._shown = (cards, names)
        self._fill(selected)

    def _fill(self, selected: str | None = None) -> None:
        """Fill the table from the actions as last read (``_shown``), keeping the selected one."""
        cards, names = self._shown
        table = self.query_one(DataTable)
        selected = selected or self.selected_id()
        groups = group_actions(cards, self.owner_filter, self.side_filter)
        accounts = {c.get("account_id", "") for _, found in groups for c in found}
        by_account = self.show_all and len(accounts) > 1  # one account: its name is in the title
        table.clear(columns=True)
        columns = ["Action", *(["Account"] if by_account else []), "Owner", "Side", "Due"]
        widths = self._widths(columns)
        for label in columns:
            table.add_column(COLUMN_LABELS[label], key=label.lower(), width=widths[label])
        error = Style(color=Color.parse(self.app.theme_variables.get("error", "red")).rich_color, bold=True)
        overdue_count = 0
        for status, found in groups:
            header = Text(f"{GROUP_LABELS[status]} ({len(found)})", style="bold")
            table.add_row(header, *[Text("")] * (len(columns) - 1), key=_GROUP_KEY + status)  # a status heading
            for card in found:
                late = is_overdue(card, self.today)
                overdue_count += late
                due = Text(("! " if late else "") + format_date(str(card.get("due", ""))), style=error if late else "")
                row = [
                    _cut(text(card.get("title", "")), widths["Action"]),
                    *([_cut(text(names.get(card.get("account_id", ""), "")), widths["Account"])] if by_account else []),
                    _cut(text(card.get("owner", "")), widths["Owner"]),
                    text(_side(card.get("side", ""))),
                    due,
                ]
                table.add_row(*row, key=card["id"])
        self.query_one("#plan-empty").display = not groups
        table.display = bool(groups)
        only = next(iter(accounts)) if self.show_all and len(accounts) == 1 else None
        self._update_title(sum(len(f) for _, f in groups), overdue_count, names, only)
        if not (selected and self.select(selected)):
            self._first_action()

    def _widths(self, columns: list[str]) -> dict[str, int]:
        """Fixed widths that fit the screen (no sideways scroll): the action title takes the rest."""
        fixed = {"Owner": 14, "Side": 8, "Due": 12, "Account": 16}
        widths = {label: fixed.get(label, 0) for label in columns}
        padding = 2 * len(columns) + 2
        widths["Action"] = max(16, self.size.width - sum(widths.values()) - padding)
        return widths

    def on_resize(self) -> None:
        self.reload()

    def _update_title(self, count: int, overdue: int, names: dict[str, str], only: str | None = None) -> None:
        """The scope and the figures; ``only``: the one account all the actions shown are of."""
        scope = text(_("all accounts") if self.show_all else names.get(self.account_id or "", ""))
        if only is not None:
            scope.append(" · ")
            scope.append_text(text(names.get(only, "")))
            scope.append(_(" only"))
        actions = ngettext("{count} action", "{count} actions", count).format(count=count)
        title = Text.assemble((_("Action plan"), "bold"), ": ", scope, f"  {actions}")
        if overdue:
            title.append(_(", {count} overdue").format(count=overdue))
        if self.side_filter:
            title.append("  " + _("side: {side}").format(side=_side(self.side_filter)))
        if self.owner_filter:
            title.append("  " + _("owner: "))
            title.append_text(text(self.owner_filter))
        self.query_one("#plan-title", Static).update(title)

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None
        return None if key.startswith(_GROUP_KEY) else key

    def select(self, card_id: str) -> bool:
        """Put the cursor on ``card_id``; False when it is not shown."""
        table = self.query_one(DataTable)
        try:
            row = table.get_row_index(card_id)
        except Exception:
            return False
        table.move_cursor(row=row, animate=False)
        return True

    def _first_action(self) -> None:
        """The cursor on the first action (below the first group heading)."""
        table = self.query_one(DataTable)
        for row in table.ordered_rows:
            if not str(row.key.value).startswith(_GROUP_KEY):
                self.select(str(row.key.value))
                return

    # for the changes (PlanView)
    @property
    def actions(self) -> list[Doc]:
        return self._shown[0]

    def show_actions(self, select: str | None = None) -> None:
        self._fill(select)

    def report(self, error: Exception, prefix: str = "") -> None:
        report(self, error, prefix)

    # status changes
    def action_shift_status(self, step: int) -> None:
        card = self._selected_card()
        if card is None:
            return
        current = card.get("status", "")
        index = STATUSES.index(current) + step if current in STATUSES else 0
        self._set(card, STATUSES[max(0, min(index, len(STATUSES) - 1))])

    def action_set_status(self, status: str) -> None:
        card = self._selected_card()
        if card is not None:
            self._set(card, status)

    def _selected_card(self) -> Doc | None:
        """The selected action as shown (the base of its status change)."""
        card_id = self.selected_id()
        if card_id is None:
            self.notify(_("Select a support action first."), severity="warning")
            return None
        return next((dict(c) for c in self._shown[0] if c["id"] == card_id), None)

    def _set(self, card: Doc, status: str) -> None:
        if status == card.get("status", "") or self._refuse_readonly():
            return
        self.changes.set_status(card, status, STATUS_WORDS[status])

    def _refuse_readonly(self) -> bool:
        if self.store.readonly:
            self.notify(self.store.readonly_reason, title=_("Read-only"), severity="warning", markup=False)
        return self.store.readonly

    # the card editor, undo
    def action_edit(self) -> None:
        card = self._selected_card()
        if card is not None and not self._refuse_readonly():
            self.changes.edit(card)

    @on(DataTable.RowSelected, "#plan-table")
    def _row_chosen(self) -> None:  # Enter (the table's own key) or a click on the selected row
        self.action_edit()

    def action_undo(self) -> None:
        if not self._refuse_readonly():
            self.changes.undo(self.account_id if not self.show_all else None)

    def action_redo(self) -> None:
        if not self._refuse_readonly():
            self.changes.undo(self.account_id if not self.show_all else None, redo=True)

    # filters
    def action_filter_owner(self) -> None:
        self.query_one("#plan-owner", FilterInput).reveal()

    @on(Input.Changed, "#plan-owner")
    def _owner_changed(self, event: Input.Changed) -> None:
        self.owner_filter = event.value
        self._fill()

    @on(Input.Submitted, "#plan-owner")
    def _owner_done(self) -> None:
        self.query_one("#plan-owner", FilterInput).settle(bool(self.owner_filter))
        self.query_one(DataTable).focus()

    def action_cycle_side(self) -> None:
        self.side_filter = SIDE_FILTERS[(SIDE_FILTERS.index(self.side_filter) + 1) % len(SIDE_FILTERS)]
        self._fill()

    def action_toggle_scope(self) -> None:
        if self.account_id is None:
            self.notify(_("Open the action plan from an account's board to see one account."), markup=False)
            return
        self.show_all = not self.show_all
        self.reload()

    def action_close(self) -> None:
        field = self.query_one("#plan-owner", FilterInput)
        if field.shown or self.owner_filter:
            field.conceal()
            self.owner_filter = ""
            self.reload()
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)


class PlanDialogs:
    """The questions the plan's changes ask (``plan_edits.ActionDialogs``), pushed over the plan
    as on the board."""

    def __init__(self, screen: ActionPlanScreen) -> None:
        self.screen = screen

    def confirm(self, title: str, question: str, yes: str, no: str, then: Callable[[bool | None], None]) -> None:
        from kamboard.tui.screens.dialogs import ConfirmDialog

        self.screen.app.push_screen(ConfirmDialog(title, question, yes=yes, no=no), then)

    def edit_card(self, card: Doc, links: list[tuple[str, str]], then: Callable[[Doc | None], None]) -> None:
        self.edit_action(card, links, [], then)

    def edit_action(
        self, card: Doc, links: list[tuple[str, str]], owners: list[str], then: Callable[[Doc | None], None]
    ) -> None:
        from kamboard.tui.screens.card_editor import CardEditor

        self.screen.app.push_screen(CardEditor(card, links, owners=owners, today=self.screen.today), then)

    def resolve_conflict(self, conflict: Conflict, then: Callable[[str | None, dict[str, str]], None]) -> None:
        from kamboard.tui.screens.dialogs import ConflictDialog, keep_both

        def answered(choice: str | None) -> None:
            then(choice, keep_both(conflict.fields) if choice == "both" else {})

        self.screen.app.push_screen(ConflictDialog(conflict), answered)


def _side(side: object) -> str:
    """A stored side as the language says it (an unknown one as stored)."""
    return SIDE_LABELS[side] if isinstance(side, str) and side in SIDE_LABELS else str(side)


def _cut(value: Text, width: int) -> Text:
    value.truncate(width, overflow="ellipsis")
    return value


class PlanCommands(ScreenCommands):
    """The action plan's palette entries: the conflicts to review, a one-account plan's exports,
    the screenshot."""

    def commands(self) -> Iterable[SystemCommand]:
        plan = cast(ActionPlanScreen, self.screen)
        yield from conflict_commands(self.kamboard)
        yield from export_commands(self.kamboard, None if plan.show_all else plan.account_id)


class AppActionPlan(ActionPlanScreen):
    """The action plan inside the app (given the app's saver and ``history_for``): ``?`` lists
    its keys; it re-reads the board when the app says it changed."""

    KEYS = (Key("question_mark", "help", _("Keys"), "plan.help", _("Show every key"), GROUP, show=True),)
    BINDINGS = bindings(KEYS)
    COMMANDS: ClassVar[Providers] = {PlanCommands}

    app: KamboardApp

    def on_mount(self) -> None:
        self.app.board_changed.subscribe(self, self._board_changed)

    def action_help(self) -> None:
        show_keys(self)

    def _settle(self) -> None:
        """Every save is answered: show the plan as the file has it."""
        if self.is_attached:
            self.reload()

    def _board_changed(self, _: None) -> None:
        if self.saver.busy:
            self.saver.when_idle(self._settle)  # reading now would wait for the saves
        else:
            self._settle()
