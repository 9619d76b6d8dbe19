"""The workshop editor's two lists: the participants, and the agenda by day.

Both are ``ItemList``s with the editor's keys (a add, e or Enter edits, d removes, K/J move; the
editor handles them). ``AgendaList`` shows a heading per day (its date, planned times and length,
and how far it runs past its end) above the day's items, each with its planned start; the
headings cannot be highlighted, and ``item_index`` says which agenda item is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kamboard import agenda as plan
from kamboard.i18n import N_, Labels, _
from kamboard.model import LANE_TITLES
from kamboard.tui.keys import Key, bindings
from kamboard.tui.widgets.text import literal

Doc = dict[str, Any]
SIDES = Labels({"us": N_("us"), "customer": N_("customer"), "both": N_("both")})  # stored ids, as shown
# kamboard's languages, not the locale's names (translated where shown)
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def side_word(side: object) -> str:
    """A participant's or an action's side as the language says it (an unknown one as stored)."""
    return SIDES[side] if isinstance(side, str) and side in SIDES else str(side)


def person_line(person: Doc) -> Text:
    line = Text(literal(str(person.get("name", ""))), style="bold")
    for key in ("side", "role"):
        if person.get(key):
            value = side_word(person[key]) if key == "side" else str(person[key])
            line.append(f" · {literal(value)}")
    return line


def planned_workshop(agenda: list[Doc], start: str, end: str) -> Doc:
    """The workshop as the editor's fields have it now, for the agenda's days and times (``start``
    and ``end`` as typed; a start without a valid time counts as a date only)."""
    start, end = (value.strip().replace(" ", "T", 1) for value in (start, end))
    return {"agenda": agenda, "start": start if len(start) >= 16 else start[:10], "end": end}


def day_heading(day: plan.AgendaDay) -> Text:
    """'Day 1 · Tue 10.03. · 09:00–17:45 · 8 h 45 min · 45 min past 17:00'."""
    parts = [_("Day {number}").format(number=day.number)]
    if day.date:
        date = dt.date.fromisoformat(day.date)
        parts.append(f"{_(WEEKDAYS[date.weekday()])} {date:%d.%m.}")
    if day.ends:
        parts.append(f"{day.starts}–{day.ends}")
    parts.append(plan.format_minutes(day.minutes) if day.items else _("no items"))
    line = Text(" · ".join(parts), style="bold")
    if day.over_minutes:
        past = _("{minutes} past {limit}").format(minutes=plan.format_minutes(day.over_minutes), limit=day.limit)
        line.append(f" · {past}", style="bold reverse")
    return line


def agenda_rows(workshop: Doc) -> list[tuple[int | None, Text]]:
    """The agenda list's lines: a heading per day (index None), then its items (their index in the
    agenda) with number, planned start, minutes, lane and title (✎: it has notes)."""
    rows: list[tuple[int | None, Text]] = []
    number = 0
    for day in plan.agenda_days(workshop):
        rows.append((None, day_heading(day)))
        for time, item in day.items:
            lane = LANE_TITLES.get(str(item.get("lane", "")), "")
            line = Text(f"{number + 1:>2} {time:5} {item.get('minutes', ''):>3}′ ", style="dim")
            line.append(f"{lane[:10]:10} ", style="italic")
            line.append(literal(str(item.get("title", ""))))
            if item.get("notes"):
                line.append(" ✎", style="dim")
            rows.append((number, line))
            number += 1
    return rows


class ItemList(OptionList):
    """A list of participants or agenda items with keys to change it (handled by the editor)."""

    KEYS = (
        Key("a,n,insert", "screen.add_item", _("Add"), "workshop_editor.add", _("Add an entry"), show=True),
        Key("e", "screen.edit_item", _("Edit"), "workshop_editor.edit", _("Edit the highlighted entry"), show=True),
        Key("d,delete", "screen.remove_item", _("Remove"), "workshop_editor.remove", _("Remove it"), show=True),
        Key("K,shift+up", "screen.move_item(-1)", _("Up"), "workshop_editor.up", _("Move it up"), show=True),
        Key("J,shift+down", "screen.move_item(1)", _("Down"), "workshop_editor.down", _("Move it down"), show=True),
    )
    BINDINGS = bindings(KEYS)


class AgendaList(ItemList):
    """The agenda by day: a heading per day, then the day's items with their planned starts."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[int | None] = []  # per option: the agenda item's index, None for a day's heading

    def show(self, workshop: Doc, at: int | None) -> None:
        """Show the agenda of ``workshop`` with item ``at`` highlighted (clamped)."""
        rows = agenda_rows(workshop)
        self.rows = [index for index, _ in rows]
        self.clear_options()
        self.add_options([Option(line, disabled=index is None) for index, line in rows])
        count = len(workshop["agenda"])
        if count:
            self.highlighted = self.rows.index(max(0, min(at or 0, count - 1)))

    @property
    def item_index(self) -> int | None:
        """The highlighted agenda item's index in the agenda (None: none)."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.rows):
            return None
        return self.rows[self.highlighted]
