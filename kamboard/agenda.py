"""The agenda of a workshop: the default 1.5-day agenda, agenda item fields, days and planned times.

Pure, no I/O. Each agenda item belongs to a day (``item["day"]``: 1, 2, ...); the days run in
the agenda's order, so an item's day is never before the one of the item above it. An agenda
written before days were stored has none: its days are guessed as before (the items run on from
the workshop's start and a new day begins when one ends at ``DAY_HOURS``), without writing
anything; the first change to such an agenda stores the guess (:func:`pin_days`), so shortening
item 1 later never moves "Welcome back" to day 1.

Day 1 begins at the workshop's start time, a later day at ``DAY_HOURS``; a day should end by
its hours (the last day: by the workshop's end time). :func:`agenda_days` gives each day its
items with their planned start times, when it ends and by how much it runs past its end.
Notes or decisions taken on an item live in ``item["notes"]`` (text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import model
from .i18n import N_, _
from .model import LANES, ValidationError

Doc = dict[str, Any]

# The default workshop: day 1 09:00-17:00, day 2 09:00-13:00.
DAY_HOURS = ((dt.time(9, 0), dt.time(17, 0)), (dt.time(9, 0), dt.time(13, 0)))
MAX_MINUTES = 600
MAX_DAYS = 9
AGENDA_ITEM_FIELDS = ("title", "lane", "minutes", "day", "notes")

# (title, lane, minutes) per day; each day's minutes fill its hours exactly. The titles are
# written into a new workshop in the language of the moment (``default_agenda``).
DEFAULT_AGENDA: tuple[tuple[tuple[str, str, int], ...], ...] = (
    (
        (N_("Welcome, goals and agenda"), "", 30),
        (N_("Review of last year's commitments"), "support", 60),
        (N_("Coffee break"), "", 15),
        (N_("The customer's topics: what is on their mind"), "topic", 90),
        (N_("Lunch"), "", 60),
        (N_("Their challenges: what their business faces"), "challenge", 105),
        (N_("Coffee break"), "", 15),
        (N_("Challenges: prioritise by dot voting"), "challenge", 45),
        (N_("How we support them: first ideas"), "support", 45),
        (N_("Recap of day 1"), "", 15),
    ),
    (
        (N_("Welcome back: recap of day 1"), "", 15),
        (N_("How we support them: actions and mutual benefit"), "support", 90),
        (N_("Coffee break"), "", 15),
        (N_("What we commit to: owners and due dates"), "support", 75),
        (N_("Wrap-up: commitments, next steps, feedback"), "", 45),
    ),
)


def day_minutes() -> list[int]:
    """Minutes available on each day of the default workshop."""
    return [_minute_of(end) - _minute_of(start) for start, end in DAY_HOURS]


def new_agenda_item(
    title: str, lane: str = "", minutes: int = 30, *, id: str | None = None, day: int | None = None
) -> Doc:
    """A validated agenda item: id, title, lane ('' for general), minutes and, when given, its day."""
    fields: Doc = {"title": title, "lane": lane, "minutes": minutes}
    if day is not None:
        fields["day"] = day
    return {"id": id or model.new_id(), **validate_agenda_fields(fields)}


def default_agenda() -> list[Doc]:
    """A fresh copy of the default 1.5-day agenda (new item ids each time, days stored), its titles
    in the language in use."""
    return [
        new_agenda_item(_(title), lane, minutes, day=number)
        for number, day in enumerate(DEFAULT_AGENDA, 1)
        for title, lane, minutes in day
    ]


def default_times(first_day: dt.date) -> tuple[str, str]:
    """Start and end of a default workshop beginning on ``first_day`` (day 2 skips the weekend)."""
    second = next_working_day(first_day)
    start = dt.datetime.combine(first_day, DAY_HOURS[0][0])
    end = dt.datetime.combine(second, DAY_HOURS[1][1])
    return start.isoformat(timespec="minutes"), end.isoformat(timespec="minutes")


def next_working_day(day: dt.date) -> dt.date:
    """The first day after ``day`` that is not a Saturday or Sunday."""
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# validation
def validate_minutes(value: object, field: str = "minutes") -> int:
    if isinstance(value, bool):
        value = None
    try:
        minutes = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        minutes = None
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        message = _("Minutes {value!r} must be a whole number from 1 to {most}.")
        raise ValidationError(field, message.format(value=value, most=MAX_MINUTES))
    return minutes


def validate_day(value: object, field: str = "day") -> int:
    """A day of the workshop: a whole number from 1 to ``MAX_DAYS``."""
    number: object = None if isinstance(value, bool) else value
    if isinstance(number, str):
        number = int(number.strip()) if number.strip().isdigit() else None
    if not isinstance(number, int) or not 1 <= number <= MAX_DAYS:
        message = _("Day {value!r} must be a whole number from 1 to {most}.")
        raise ValidationError(field, message.format(value=value, most=MAX_DAYS))
    return number


def validate_agenda_fields(fields: dict[str, Any]) -> Doc:
    """Check the given agenda item fields (title, lane, minutes, day, notes)."""
    unknown = set(fields) - set(AGENDA_ITEM_FIELDS)
    if unknown:
        message = _("Unknown agenda item field(s): {fields}.")
        raise ValidationError("agenda", message.format(fields=", ".join(sorted(unknown))))
    out: Doc = {}
    if "title" in fields:
        out["title"] = model.validate_title(fields["title"], "title", N_("Agenda item title"))
    if "lane" in fields:
        out["lane"] = model.validate_choice(fields["lane"], "lane", LANES, N_("lane"), optional=True)
    if "minutes" in fields:
        out["minutes"] = validate_minutes(fields["minutes"])
    if "day" in fields:
        out["day"] = validate_day(fields["day"])
    if "notes" in fields:
        out["notes"] = model.validate_text(fields["notes"], "notes", N_("Notes"))
    return out


def validate_agenda(value: object) -> list[Doc]:
    """A whole agenda: a list of items, each checked (the fields it has; an item without an id gets one)."""
    if not isinstance(value, list | tuple) or not all(isinstance(i, dict) for i in value):
        raise ValidationError("agenda", _("The agenda must be a list of items."))
    out = []
    for item in value:
        given = {k: item.get(k) for k in ("title", "lane", "minutes")}
        given.update({k: item[k] for k in ("day", "notes") if k in item})
        out.append({**item, **validate_agenda_fields(given), "id": item.get("id") or model.new_id()})
    return out


# agenda edits (pure: return a new list)
def find_item(agenda: list[Doc], ref: str) -> int:
    """Index of an agenda item given its id, a unique id prefix or its 1-based number."""
    ref = str(ref).strip()
    if ref.isdigit() and len(ref) <= 3:
        number = int(ref)
        if 1 <= number <= len(agenda):
            return number - 1
    else:
        hits = [i for i, item in enumerate(agenda) if item.get("id") == ref]
        hits = hits or [i for i, item in enumerate(agenda) if ref and str(item.get("id", "")).startswith(ref)]
        if len(hits) == 1:
            return hits[0]
    message = _("No agenda item {ref!r}: give its number (1-{count}) or id.")
    raise ValidationError("agenda", message.format(ref=ref, count=len(agenda)))


def move_item(agenda: list[Doc], ref: str, index: int) -> list[Doc]:
    """The agenda with item ``ref`` moved to ``index`` (0-based, clamped); it takes the day of the
    item it lands after (the first item: of the item it lands before), when the agenda has days."""
    items = list(agenda)
    item = items.pop(find_item(items, ref))
    at = max(0, min(index, len(items)))
    if any("day" in i for i in items) and items:
        neighbour = items[at - 1] if at > 0 else items[0]
        item = {**item, "day": day_of(neighbour)}
    items.insert(at, item)
    return items


def agenda_minutes(agenda: list[Doc]) -> int:
    return sum(int(item.get("minutes", 0)) for item in agenda)


# days
def day_of(item: Doc) -> int:
    """The day stored on ``item`` (1 when it has none or a bad one)."""
    day = item.get("day")
    return day if isinstance(day, int) and not isinstance(day, bool) and day >= 1 else 1


def _has_day(item: Doc) -> bool:
    day = item.get("day")
    return isinstance(day, int) and not isinstance(day, bool) and day >= 1


def _minute_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _start_time(start: str) -> dt.time | None:
    """The time of a workshop start written YYYY-MM-DDTHH:MM (None without a time)."""
    if len(start) < 16:
        return None
    try:
        return dt.datetime.fromisoformat(start).time()
    except ValueError:
        return None


def guess_days(agenda: list[Doc], start: str) -> list[int]:
    """The days an agenda without stored days was shown with: the items run on from the start
    (09:00 without a time) and the rest moves to the next day once a day's hours are over."""
    clock = _minute_of(_start_time(start) or DAY_HOURS[0][0])
    day, out = 0, []
    for item in agenda:
        if clock >= _minute_of(DAY_HOURS[day][1]) and day + 1 < len(DAY_HOURS):
            day += 1
            clock = _minute_of(DAY_HOURS[day][0])
        out.append(day + 1)
        clock += int(item.get("minutes", 0))
    return out


def item_days(agenda: list[Doc], start: str = "") -> list[int]:
    """The day of each item: as stored, never before the day of the item above (an item without
    one stays on the day above); an agenda without any stored day has its days guessed."""
    if not any(_has_day(item) for item in agenda):
        return guess_days(agenda, start)
    day, out = 1, []
    for item in agenda:
        if _has_day(item):
            day = max(day, day_of(item))
        out.append(day)
    return out


def pin_days(agenda: list[Doc], start: str = "") -> list[Doc]:
    """The agenda with each item's day stored as :func:`item_days` shows it (copies where one changes)."""
    days = item_days(agenda, start)
    return [item if item.get("day") == day else {**item, "day": day} for item, day in zip(agenda, days, strict=True)]


def set_day(agenda: list[Doc], index: int, day: int) -> tuple[list[Doc], int]:
    """Put item ``index`` on ``day``: it moves to the start of a later day or the end of an earlier
    one (the days keep the agenda's order). Returns the agenda and the item's new index."""
    items = pin_days(agenda)
    old = day_of(items[index])
    item = {**items.pop(index), "day": day}
    days = [day_of(i) for i in items]
    if day == old:
        at = index
    elif day > old:
        at = next((i for i, d in enumerate(days) if d >= day), len(items))
    else:
        at = max((i + 1 for i, d in enumerate(days) if d <= day), default=0)
    items.insert(at, item)
    return items, at


def shift_item(agenda: list[Doc], index: int, delta: int) -> tuple[list[Doc], int]:
    """Move item ``index`` one place up (``delta`` -1) or down (+1) as the editor's K and J do:
    past its neighbour on the same day, else over the line into the day before or after (the
    item keeps its place, its day changes; down from the last day opens the next one, up to
    ``MAX_DAYS``). Returns the agenda and the item's new index."""
    items = pin_days(agenda)
    if not 0 <= index < len(items):
        return items, index
    day = day_of(items[index])
    other = index + delta
    if 0 <= other < len(items) and day_of(items[other]) == day:
        items[index], items[other] = items[other], items[index]
        return items, other
    if 1 <= day + delta <= MAX_DAYS:
        items[index] = {**items[index], "day": day + delta}
    return items, index


# planned times
def schedule(agenda: list[Doc], start: str) -> list[str]:
    """Planned start time (HH:MM) of each item: day 1 from the workshop's start, a later day from
    its hours in ``DAY_HOURS``; '' for every item when ``start`` has no time."""
    first = _start_time(start)
    if first is None:
        return [""] * len(agenda)
    clock, day, times = 0, 0, []
    for item, item_day in zip(agenda, item_days(agenda, start), strict=True):
        if item_day != day:
            day = item_day
            clock = _minute_of(first) if day == 1 else _minute_of(_hours(day)[0])
        times.append(clock_text(clock))
        clock += int(item.get("minutes", 0))
    return times


def clock_text(minute: int) -> str:
    """Minutes after midnight as HH:MM (past midnight the hours go on: 24:15)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_minutes(minutes: int) -> str:
    """'5 min', '1 h', '1 h 5 min'."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _hours(day: int) -> tuple[dt.time, dt.time]:
    return DAY_HOURS[min(day, len(DAY_HOURS)) - 1]


def day_dates(workshop: Doc, count: int) -> list[str]:
    """YYYY-MM-DD of days 1..``count`` (all '' for an undated workshop): day 1 is the start's date,
    the last day the end's date when it comes later, the days between working days."""
    start = str(workshop.get("start") or "")[:10]
    end = str(workshop.get("end") or "")[:10]
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        return [""] * count
    out = []
    for number in range(1, count + 1):
        if number > 1:
            day = next_working_day(day)
            if number == count and len(end) == 10 and end > day.isoformat():
                day = dt.date.fromisoformat(end)
        out.append(day.isoformat())
    return out


def day_limit(workshop: Doc, number: int, date: str) -> str:
    """When day ``number`` (on ``date``) should end, HH:MM: the workshop's end time on its last
    date, else the day's hours in ``DAY_HOURS``."""
    end = str(workshop.get("end") or "")
    end_time = _start_time(end)
    if end_time is not None and date and end[:10] == date:
        return clock_text(_minute_of(end_time))
    return clock_text(_minute_of(_hours(number)[1]))


@dataclass(frozen=True)
class AgendaDay:
    """One day of a workshop's agenda.

    ``items``: (planned start 'HH:MM' or '', item) in agenda order; ``ends``: when its last item
    ends ('' without times); ``over_minutes``: how far that is past ``limit``, the time the day
    should end by ('' without times); 0 when it is not."""

    number: int
    date: str  # YYYY-MM-DD or ''
    items: list[tuple[str, Doc]]
    ends: str
    over_minutes: int
    limit: str = ""

    @property
    def starts(self) -> str:
        """Planned start of its first item ('' without times or items)."""
        return self.items[0][0] if self.items else ""

    @property
    def minutes(self) -> int:
        return agenda_minutes([item for _, item in self.items])

    @property
    def warning(self) -> str:
        """'Day 1 ends at 17:20, 50 min after 16:30' ('' when the day ends in time)."""
        if not self.over_minutes:
            return ""
        message = _("Day {number} ends at {ends}, {duration} after {limit}")
        return message.format(
            number=self.number, ends=self.ends, duration=format_minutes(self.over_minutes), limit=self.limit
        )


def agenda_days(workshop: dict[str, Any]) -> list[AgendaDay]:
    """The workshop's agenda by day: days 1 to the last item's day (a day without items included)."""
    agenda = list(workshop.get("agenda") or [])
    start = str(workshop.get("start") or "")
    days = item_days(agenda, start)
    times = schedule(agenda, start)
    count = max(days, default=0)
    dates = day_dates(workshop, count)
    out = []
    for number, date in zip(range(1, count + 1), dates, strict=True):
        items = [(times[i], item) for i, item in enumerate(agenda) if days[i] == number]
        ends, over, limit = "", 0, ""
        if items and items[0][0]:
            hours, minutes = items[0][0].split(":")
            end_minute = int(hours) * 60 + int(minutes) + agenda_minutes([item for _, item in items])
            limit = day_limit(workshop, number, date)
            limit_hours, limit_minutes = limit.split(":")
            ends = clock_text(end_minute)
            over = max(0, end_minute - (int(limit_hours) * 60 + int(limit_minutes)))
        out.append(AgendaDay(number, date, items, ends, over, limit))
    return out


def day_warnings(workshop: Doc) -> list[str]:
    """One line for each day that runs past its end ('Day 1 ends at 17:20, 50 min after 16:30')."""
    return [day.warning for day in agenda_days(workshop) if day.over_minutes]


def planned_start(workshop: Doc, index: int) -> dt.datetime | None:
    """When item ``index`` is planned to start (local wall-clock time), None without dates and times."""
    agenda = list(workshop.get("agenda") or [])
    if not 0 <= index < len(agenda):
        return None
    start = str(workshop.get("start") or "")
    time = schedule(agenda, start)[index]
    days = item_days(agenda, start)
    date = day_dates(workshop, max(days))[days[index] - 1] if time else ""
    if not date:
        return None
    hours, minutes = (int(part) for part in time.split(":"))
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time()) + dt.timedelta(hours=hours, minutes=minutes)
