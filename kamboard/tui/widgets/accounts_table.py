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
from kamboard.i18n import _, format_date
from kamboard.model import LANE_QUESTIONS, LANE_TITLES, LANES

# (key, header, fixed width or None for the flexible name and owner columns; a longer header
# widens its column: German ones are; built at import, as the key tables)
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("name", _("Account"), None),
    ("owner", _("Owner"), None),
    ("topic", _("Topics"), 6),
    ("challenge", _("Chall."), 6),
    ("support", _("Support"), 7),
    ("open", _("Open"), 4),
    ("overdue", _("Overdue"), 7),
    ("last", _("Workshop"), 10),
    ("days", _("Ago"), 5),
    ("next", _("Next"), 10),
)
ARCHIVED = _(" (archived)")
# Below this width the three lane counts share one column, "T/C/S", and the last workshop
# shows only how many days ago it was.
COMPACT_BELOW = 114
COMPACT_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("name", _("Account"), None),
    ("owner", _("Owner"), None),
    ("cards", _("T/C/S"), 9),
    ("open", _("Open"), 4),
    ("overdue", _("Overdue"), 7),
    ("days", _("Last"), 5),
    ("next", _("Next"), 10),
)


def columns_for(total: int) -> tuple[tuple[str, str, int | None], ...]:
    return COMPACT_COLUMNS if total < COMPACT_BELOW else COLUMNS


def column_widths(total: int, name_len: int = 30, owner_len: int = 20) -> dict[str, int]:
    """Widths that fit ``total`` cells: the fixed columns, then name and owner as long as they
    need, shortened (owner first) when the terminal is narrow."""
    columns = columns_for(total)
    fixed_widths = {key: max(width, len(header)) for key, header, width in columns if width}
    fixed_widths["next"] = max(fixed_widths["next"], len(_("by {month}").format(month="2027-09")))  # 'bis 2027-09'
    fixed = sum(fixed_widths.values()) + 2 * len(columns)  # one cell of padding each side
    free = max(20, total - fixed - 2)
    name, owner = max(7, name_len), max(5, owner_len)
    if name + owner > free:
        owner = max(5, min(owner, free * 2 // 5))
        name = max(7, free - owner)
    widths = {key: fixed_widths.get(key, 0) for key, _header, _width in columns}
    widths["name"], widths["owner"] = name, owner
    return widths


def welcome_text() -> Text:
    out = Text()
    out.append(_("Welcome to kamboard") + "\n\n", style="bold")
    out.append(_("A board for yearly key-account workshops. Each account's board asks three questions:") + "\n\n")
    pad = max(11, *(len(LANE_TITLES[lane]) + 1 for lane in LANES))
    for lane in LANES:
        out.append(f"  {LANE_TITLES[lane]:<{pad}}", style="bold")
        out.append(f"{LANE_QUESTIONS[lane]}\n")
    # "Press [a] to add your first account, then [Enter] to open its board. [?] shows every key."
    out.append("\n" + _("Press "))
    out.append("a", style="bold reverse")
    out.append(_(" to add your first account, then "))
    out.append("Enter", style="bold reverse")
    out.append(_(" to open its board. "))
    out.append("?", style="bold reverse")
    out.append(_(" shows every key."))
    return out


def days_cell(health: followup.AccountHealth | None) -> Text:
    """Days since the last workshop held: '371d', or '-' when there was none."""
    if health is None or health.days_since_workshop is None:
        return Text("-")
    return Text(_("{days}d").format(days=health.days_since_workshop))


def next_cell(health: followup.AccountHealth | None, due_style: Style | str = "") -> Text:
    """The next workshop: its date when planned, 'due' (in ``due_style``) when the yearly one
    is due, else 'by YYYY-MM' (the month it falls due)."""
    if health is None:
        return Text("-")
    if health.next_workshop:
        return Text(format_date(health.next_workshop))
    if health.workshop_due or not health.last_workshop:
        return Text(_("due"), style=due_style)
    last = dt.date.fromisoformat(health.last_workshop)
    month = f"{followup.add_months(last, followup.WORKSHOP_EVERY_MONTHS):%Y-%m}"
    return Text(_("by {month}").format(month=month), style="dim")


class AccountsTable(DataTable[Text]):
    """The accounts table; its own Enter binding is named, so the footer shows "Open board"
    (DataTable's hidden Enter binding used to hide the screen's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            _("Open board"),
            id="accounts.open",
            tooltip=_("Open the selected account's board"),
        ),
        # j and k move as on the board
        Binding("j", "cursor_down", _("Down"), show=False, id="accounts.down", tooltip=_("Select the account below")),
        Binding("k", "cursor_up", _("Up"), show=False, id="accounts.up", tooltip=_("Select the account above")),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor" and not self.row_count:
            return None  # shown greyed out while there is no account
        return True
