"""The accounts screen: key figures per account; add, rename, archive, filter, open."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.color import Color
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable, Input, Static

from kamboard import followup, model
from kamboard.errors import BoardError
from kamboard.i18n import _, language
from kamboard.model import LANES
from kamboard.tui.commands import (
    OpenActionPlan,
    Providers,
    ScreenCommands,
    conflict_commands,
    export_commands,
    show_keys,
)
from kamboard.tui.keys import Key, bindings
from kamboard.tui.messages import OpenBoard
from kamboard.tui.screens.account_changes import AccountChanges
from kamboard.tui.styles import ACCOUNTS_STYLES
from kamboard.tui.widgets.accounts_table import (
    ARCHIVED,
    AccountsTable,
    column_widths,
    columns_for,
    days_cell,
    next_cell,
    welcome_text,
)
from kamboard.tui.widgets.filter_input import FilterInput
from kamboard.tui.widgets.footer import KeyFooter
from kamboard.tui.widgets.save_status import SaveStatus
from kamboard.tui.widgets.text import literal, text

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp

GROUP = _("Accounts")
# German labels are longer: at 80 columns the footer keeps ? and q by leaving r to the key help
RENAME_IN_FOOTER = language() == "en"

# fmt: off
ACCOUNT_KEYS = (
    # keys, action, description, id, tooltip, group, palette title, shown in the footer
    Key("enter", "open", _("Open board"), "accounts.open", _("Open the selected account's board"),
        GROUP, _("Open account's board"), show=True),
    Key("a", "add", _("Add"), "accounts.add", _("Add a key account"), GROUP, _("Add account"), show=True),
    Key("r", "rename", _("Rename"), "accounts.rename", _("Rename the selected account"), GROUP,
        _("Rename account"), show=RENAME_IN_FOOTER),
    # in the key help and the palette; the footer keeps room for ? and q at 80 columns
    Key("x", "archive", _("Archive"), "accounts.archive",
        _("Archive the selected account, or restore an archived one (after asking)"),
        GROUP, _("Archive or restore account")),
    Key("A", "toggle_archived", _("Show archived"), "accounts.show_archived", _("Show or hide archived accounts"),
        GROUP, _("Show or hide archived accounts")),
    Key("p", "plan", _("Action plan"), "accounts.plan",
        _("Support actions of all accounts by status (a: just the selected account)"), GROUP, show=True),
    Key("slash", "filter", _("Filter"), "accounts.filter", _("Filter accounts by typing"), GROUP,
        _("Filter accounts"), show=True),
    Key("escape", "clear_filter", _("Clear filter"), "accounts.clear", _("Clear the filter"),
        GROUP, _("Clear the account filter")),
    Key("question_mark", "help", _("Keys"), "accounts.help", _("Show every key"), GROUP, show=True),
    Key("q", "quit", _("Quit"), "accounts.quit", _("Quit kamboard"), GROUP, show=True),
)
# fmt: on


class AccountsCommands(ScreenCommands):
    """The accounts screen's palette entries: the conflicts to review (no key here opens them),
    the highlighted account's exports, the screenshot (the plan has its key, p)."""

    def commands(self) -> Iterable[SystemCommand]:
        yield from conflict_commands(self.kamboard)
        yield from export_commands(self.kamboard, cast("AccountsScreen", self.screen).selected_id())


class AccountsScreen(AccountChanges):
    """A table of accounts with their key figures."""

    CSS_PATH = ACCOUNTS_STYLES  # read when first shown (see KamboardApp.get_default_screen)

    KEYS = ACCOUNT_KEYS
    BINDINGS = bindings(KEYS)
    COMMANDS: ClassVar[Providers] = {AccountsCommands}

    show_archived: var[bool] = var(False, init=False)
    """Archived accounts are listed too (A)."""
    filter_text: var[str] = var("", init=False)
    """Only the accounts whose name or owner hold every word (/)."""

    app: KamboardApp

    def __init__(self) -> None:
        super().__init__(id="accounts")
        self._columns_for: dict[str, int] = {}
        self._stale = True

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar", classes="title-bar")
        yield Static(id="readonly-banner", classes="readonly-banner")
        yield FilterInput(
            placeholder=_("Filter accounts: type a name or owner; Enter keeps it, Esc clears"), id="account-filter"
        )
        with Vertical(id="accounts-body"):
            yield Static(welcome_text(), id="welcome")
            yield AccountsTable(id="accounts-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#title-bar", Static).update(
            Text.assemble(
                ("kamboard", "bold"), "  ", text(self.app.store.meta.get("title", "")), "  ", text(self.app.store.name)
            )
        )
        self.query_one("#readonly-banner", Static).display = False
        self.query_one(DataTable).focus()
        # 'waiting for the file' while another process holds the lock (hidden otherwise)
        SaveStatus.mount_after_paint(self)
        self.app.board_changed.subscribe(self, self._board_changed)
        # the overdue and due colours come from the theme, known only once it is applied
        self.app.theme_changed_signal.subscribe(self, self._board_changed)

    def on_screen_resume(self) -> None:
        # filled whenever shown: coming back from a board, its figures have changed
        self.reload()

    # data (the changes not saved yet and adding, renaming, archiving: AccountChanges)
    def reload(self) -> None:
        """Fill the table from the store, keeping the selected account."""
        self._stale = False
        banner = self.query_one("#readonly-banner", Static)
        if banner.display != self.app.store.readonly:
            banner.display = self.app.store.readonly
            banner.update(text(_("Read-only: {reason}").format(reason=self.app.store.readonly_reason)))
        table = self.query_one(DataTable)
        selected = self.selected_id()
        store, today = self.app.store, self.app.today
        try:
            with store.snapshot():  # figures and health from one parse (a write meanwhile: next poll)
                summaries = store.summaries(today=today, include_archived=self.show_archived)
                health = followup.health_by_account(
                    store.accounts(include_archived=self.show_archived),
                    store.cards(lane="support"),
                    store.workshops(),
                    today,
                )
        except BoardError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        summaries = self._with_unsaved(summaries)
        self._shown = {s.id: s for s in summaries}
        words = self.filter_text.casefold().split()
        shown = [s for s in summaries if all(w in f"{s.name} {s.owner}".casefold() for w in words)]
        self._fit_columns(shown)
        table.clear()
        error, warning = self._theme_style("error", "red"), self._theme_style("warning", "yellow")
        compact = "cards" in self._columns_for
        for s in shown:
            h = health.get(s.id)
            late = h.overdue_actions if h else s.overdue_actions
            overdue = Text(str(late), style=error if late else "")
            counts = [str(s.counts.get(lane, 0)) for lane in LANES]
            name, owner = text(s.name), text(s.owner)
            if s.archived:
                name.append(ARCHIVED, style="italic")
            name.truncate(self._columns_for["name"], overflow="ellipsis")
            owner.truncate(self._columns_for["owner"], overflow="ellipsis")
            table.add_row(
                name,
                owner,
                *([Text("/".join(counts))] if compact else [Text(c) for c in counts]),
                Text(str(s.open_actions)),
                overdue,
                *([] if compact else [Text((h.last_workshop if h else s.last_workshop) or "-")]),
                days_cell(h),
                next_cell(h, warning),
                key=s.id,
            )
        empty = not summaries
        self.query_one("#welcome").display = empty
        table.display = not empty
        if selected:
            self.select(selected)

    def _with_unsaved(self, summaries: list[model.AccountSummary]) -> list[model.AccountSummary]:
        """The file's accounts with the changes not saved yet applied (added, renamed, archived)."""
        if not self._unsaved:
            return summaries
        known = {s.id for s in summaries}
        out = [replace(s, **self._fields(s.id)) if s.id in self._unsaved else s for s in summaries]
        for account_id, changes in self._unsaved.items():
            if changes.get("new") and account_id not in known:
                out.append(
                    model.AccountSummary(
                        **{"id": account_id, "name": "", "owner": "", "archived": False, **self._fields(account_id)},
                        counts=dict.fromkeys(LANES, 0),
                    )
                )
        if not self.show_archived:
            out = [s for s in out if not s.archived]
        return sorted(out, key=lambda s: s.name.casefold())

    def _fields(self, account_id: str) -> dict[str, Any]:
        return {k: v for k, v in self._unsaved[account_id].items() if k in ("name", "owner", "archived")}

    def _theme_style(self, name: str, fallback: str) -> Style:
        return Style(color=Color.parse(self.app.theme_variables.get(name, fallback)).rich_color, bold=True)

    def _fit_columns(self, shown: list[model.AccountSummary]) -> None:
        """(Re)build the columns when the widths change, so nothing needs a sideways scroll."""
        table = self.query_one(DataTable)
        width = self.size.width - 2
        widths = column_widths(
            width,
            max((cell_len(literal(s.name)) + (len(ARCHIVED) if s.archived else 0) for s in shown), default=7),
            max((cell_len(literal(s.owner)) for s in shown), default=5),
        )
        if widths == self._columns_for:
            return
        self._columns_for = widths
        table.clear(columns=True)
        for key, label, _width in columns_for(width):
            table.add_column(label, key=key, width=widths[key])

    def on_resize(self) -> None:
        if self.is_mounted and self.is_current and not self._stale:
            self.reload()

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def select(self, account_id: str) -> None:
        table = self.query_one(DataTable)
        with suppress(Exception):
            table.move_cursor(row=table.get_row_index(account_id), animate=False)

    def _board_changed(self, _: object = None) -> None:
        """The board changed (or the theme): reload now if shown, else when shown again."""
        if self.is_current:
            self.reload()
        else:
            self._stale = True

    def watch_show_archived(self) -> None:
        self.reload()

    def watch_filter_text(self) -> None:
        self.reload()

    # actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename", "archive", "open"):
            return self.selected_id() is not None or None
        # an open input types '/' (Textual's footer does not know 'slash' is printable)
        return not (action == "filter" and isinstance(self.focused, Input))

    def action_open(self) -> None:
        account_id = self.selected_id()
        if account_id:
            self._open(account_id)

    def action_plan(self) -> None:
        self.post_message(OpenActionPlan(self.selected_id(), show_all=True))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def _open(self, account_id: str) -> None:
        def open_board() -> None:
            self.post_message(OpenBoard(account_id))

        if self._unsaved.get(account_id, {}).get("new"):  # its board opens once the file has it
            self.app.saver.when_idle(open_board)
        else:
            open_board()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.notify(_("Showing archived accounts too.") if self.show_archived else _("Archived accounts hidden."))

    def action_filter(self) -> None:
        self.query_one("#account-filter", FilterInput).reveal()

    def action_clear_filter(self) -> None:
        field = self.query_one("#account-filter", FilterInput)
        if field.shown or self.filter_text:
            field.conceal()
            self.filter_text = ""
            self.query_one(DataTable).focus()

    @on(Input.Changed, "#account-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#account-filter")
    def _filter_done(self) -> None:
        self.query_one("#account-filter", FilterInput).settle(bool(self.filter_text))
        self.query_one(DataTable).focus()

    def action_help(self) -> None:
        show_keys(self)

    def action_quit(self) -> None:
        self.app.exit()
