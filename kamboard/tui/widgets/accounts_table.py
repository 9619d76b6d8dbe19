"""The accounts table and its cells: columns that fit the terminal, days since the last
workshop, when the next one is due, the welcome text of an empty board."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from kamboard import followup
from kamboard.model import LANE_QUESTIONS, LANE_TITLES, LANES

# (key, header, fixed width or None for the flexible name and owner columns)
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("name", "Account", None),
    ("owner", "Owner", None),
    ("topic", "Topics", 6),
    ("challenge", "Chall.", 6),
    ("support", "Support", 7),
    ("open", "Open", 4),
    ("overdue", "Overdue", 7),
    ("last", "Workshop", 10),
    ("days", "Ago", 5),
    ("next", "Next", 10),
)
ARCHIVED = " (archived)"
# Below this width the three lane counts share one column, "T/C/S", and the last workshop
# shows only how many days ago it was.
COMPACT_BELOW = 114
COMPACT_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("name", "Account", None),
    ("owner", "Owner", None),
    ("cards", "T/C/S", 9),
    ("open", "Open", 4),
    ("overdue", "Overdue", 7),
    ("days", "Last", 5),
    ("next", "Next", 10),
)


def columns_for(total: int) -> tuple[tuple[str, str, int | None], ...]:
    return COMPACT_COLUMNS if total < COMPACT_BELOW else COLUMNS


def column_widths(total: int, name_len: int = 30, owner_len: int = 20) -> dict[str, int]:
    """Widths that fit ``total`` cells: the fixed columns, then name and owner as long as they
    need, shortened (owner first) when the terminal is narrow."""
    columns = columns_for(total)
    fixed = sum(w for _, _, w in columns if w) + 2 * len(columns)  # one cell of padding each side
    free = max(20, total - fixed - 2)
    name, owner = max(7, name_len), max(5, owner_len)
    if name + owner > free:
        owner = max(5, min(owner, free * 2 // 5))
        name = max(7, free - owner)
    widths = {key: width or 0 for key, _, width in columns}
    widths["name"], widths["owner"] = name, owner
    return widths


def welcome_text() -> Text:
    out = Text()
    out.append("Welcome to kamboard\n\n", style="bold")
    out.append("A board for yearly key-account workshops. Each account's board asks three questions:\n\n")
    for lane in LANES:
        out.append(f"  {LANE_TITLES[lane]:<11}", style="bold")
        out.append(f"{LANE_QUESTIONS[lane]}\n")
    out.append("\nPress ")
    out.append("a", style="bold reverse")
    out.append(" to add your first account, then ")
    out.append("Enter", style="bold reverse")
    out.append(" to open its board. ")
    out.append("?", style="bold reverse")
    out.append(" shows every key.")
    return out


def days_cell(health: followup.AccountHealth | None) -> Text:
    """Days since the last workshop held: '371d', or '-' when there was none."""
    if health is None or health.days_since_workshop is None:
        return Text("-")
    return Text(f"{health.days_since_workshop}d")


def next_cell(health: followup.AccountHealth | None, due_style: Style | str = "") -> Text:
    """The next workshop: its date when planned, 'due' (in ``due_style``) when the yearly one
    is due, else 'by YYYY-MM' (the month it falls due)."""
    if health is None:
        return Text("-")
    if health.next_workshop:
        return Text(health.next_workshop)
    if health.workshop_due or not health.last_workshop:
        return Text("due", style=due_style)
    last = dt.date.fromisoformat(health.last_workshop)
    return Text(f"by {followup.add_months(last, followup.WORKSHOP_EVERY_MONTHS):%Y-%m}", style="dim")


class AccountsTable(DataTable[Text]):
    """The accounts table; its own Enter binding is named, so the footer shows "Open board"
    (DataTable's hidden Enter binding used to hide the screen's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "select_cursor", "Open board", id="accounts.open", tooltip="Open the selected account's board"
        ),
        # j and k move as on the board
        Binding("j", "cursor_down", "Down", show=False, id="accounts.down", tooltip="Select the account below"),
        Binding("k", "cursor_up", "Up", show=False, id="accounts.up", tooltip="Select the account above"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor" and not self.row_count:
            return None  # shown greyed out while there is no account
        return True
