"""Workshops: the default 1.5-day agenda, field validation, the agenda timer, and which workshop runs.

Pure, no I/O. The timer is a small JSON-able state dict stored in the workshop record
(``workshop["agenda_state"]``); every function takes ``now`` so tests need no sleeping
and two processes reading the same record show the same item and time left.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from . import model
from .model import LANES, SIDES, ValidationError

Doc = dict[str, Any]

# The default workshop: day 1 09:00-17:00, day 2 09:00-13:00.
DAY_HOURS = ((dt.time(9, 0), dt.time(17, 0)), (dt.time(9, 0), dt.time(13, 0)))
DEFAULT_BUDGET = 5
DEFAULT_PER_CARD = 3
MAX_MINUTES = 600
EXTEND_MINUTES = 5
TIMER_ACTIONS = ("start", "pause", "toggle", "next", "prev", "extend", "goto", "reset")

# (title, lane, minutes) per day; each day's minutes fill its hours exactly.
DEFAULT_AGENDA: tuple[tuple[tuple[str, str, int], ...], ...] = (
    (
        ("Welcome, goals and agenda", "", 30),
        ("Review of last year's commitments", "support", 60),
        ("Coffee break", "", 15),
        ("The customer's topics: what is on their mind", "topic", 90),
        ("Lunch", "", 60),
        ("Their challenges: what their business faces", "challenge", 105),
        ("Coffee break", "", 15),
        ("Challenges: prioritise by dot voting", "challenge", 45),
        ("How we support them: first ideas", "support", 45),
        ("Recap of day 1", "", 15),
    ),
    (
        ("Welcome back: recap of day 1", "", 15),
        ("How we support them: actions and mutual benefit", "support", 90),
        ("Coffee break", "", 15),
        ("What we commit to: owners and due dates", "support", 75),
        ("Wrap-up: commitments, next steps, feedback", "", 45),
    ),
)


def day_minutes() -> list[int]:
    """Minutes available on each day of the default workshop."""
    return [(end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) for start, end in DAY_HOURS]


def new_agenda_item(title: str, lane: str = "", minutes: int = 30, *, id: str | None = None) -> Doc:
    """A validated agenda item: id, title, lane ('' for general) and minutes."""
    return {"id": id or model.new_id(), **validate_agenda_fields({"title": title, "lane": lane, "minutes": minutes})}


def default_agenda() -> list[Doc]:
    """A fresh copy of the default 1.5-day agenda (new item ids each time)."""
    return [new_agenda_item(title, lane, minutes) for day in DEFAULT_AGENDA for title, lane, minutes in day]


def default_times(first_day: dt.date) -> tuple[str, str]:
    """Start and end of a default workshop beginning on ``first_day`` (day 2 skips the weekend)."""
    second = first_day + dt.timedelta(days=1)
    while second.weekday() >= 5:
        second += dt.timedelta(days=1)
    start = dt.datetime.combine(first_day, DAY_HOURS[0][0])
    end = dt.datetime.combine(second, DAY_HOURS[1][1])
    return start.isoformat(timespec="minutes"), end.isoformat(timespec="minutes")


# validation
def validate_when(value: object, field: str, what: str) -> str:
    """'' or a date/time written YYYY-MM-DD or YYYY-MM-DDTHH:MM (a space instead of T works too)."""
    if value in (None, ""):
        return ""
    text = str(value).strip().replace(" ", "T", 1)
    if len(text) == 10:
        return model.validate_date(text, field)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is not None or len(text) < 16:
        raise ValidationError(field, f"{what} {value!r} is not in the form YYYY-MM-DD or YYYY-MM-DDTHH:MM.")
    return when.isoformat(timespec="minutes")


def validate_minutes(value: object, field: str = "minutes") -> int:
    if isinstance(value, bool):
        value = None
    try:
        minutes = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        minutes = None
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError(field, f"Minutes {value!r} must be a whole number from 1 to {MAX_MINUTES}.")
    return minutes


def validate_agenda_fields(fields: dict[str, Any]) -> Doc:
    """Check the given agenda item fields (title, lane, minutes)."""
    unknown = set(fields) - {"title", "lane", "minutes"}
    if unknown:
        raise ValidationError("agenda", f"Unknown agenda item field(s): {', '.join(sorted(unknown))}.")
    out: Doc = {}
    if "title" in fields:
        out["title"] = model.validate_title(fields["title"], "title", "Agenda item title")
    if "lane" in fields:
        out["lane"] = model.validate_choice(fields["lane"], "lane", LANES, "lane", optional=True)
    if "minutes" in fields:
        out["minutes"] = validate_minutes(fields["minutes"])
    return out


def parse_participant(text: str) -> Doc:
    """``NAME[:SIDE[:ROLE]]`` (side ``customer``, ``us`` or left out) as a participant record."""
    name, _, rest = str(text).partition(":")
    side, _, role = rest.partition(":")
    return validate_participant({"name": name, "side": side.strip(), "role": role})


def validate_participant(value: object) -> Doc:
    if not isinstance(value, dict):
        raise ValidationError("participants", "A participant must have a name, a side and a role.")
    name = model.validate_title(value.get("name"), "participants", "Participant name")
    side = model.validate_choice(str(value.get("side") or "").strip(), "participants", SIDES, "side", optional=True)
    role = model.validate_text(value.get("role", ""), "participants", "Role", multiline=False)
    return {"name": name, "side": side, "role": role}


def validate_participants(value: object) -> list[Doc]:
    if not isinstance(value, list | tuple):
        raise ValidationError("participants", "Participants must be a list.")
    people = [validate_participant(p) for p in value]
    seen: set[str] = set()
    for person in people:
        if person["name"].casefold() in seen:
            raise ValidationError("participants", f"Participant {person['name']!r} is listed twice.")
        seen.add(person["name"].casefold())
    return people


def _count(value: object, field: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        value = str(value)
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 99:
        raise ValidationError(field, f"{what} {value!r} must be a whole number from 1 to 99.")
    return number


WORKSHOP_FIELDS = (
    "title",
    "start",
    "end",
    "location",
    "participants",
    "agenda",
    "notes",
    "vote_budget",
    "vote_per_card",
    "votes_hidden",
)


def validate_workshop_fields(fields: dict[str, Any], current: Doc | None = None) -> Doc:
    """Check and normalise user-settable workshop fields; ``current`` is the record being edited."""
    unknown = set(fields) - set(WORKSHOP_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Unknown workshop field(s): {', '.join(sorted(unknown))}.")
    out: Doc = {}
    for key, value in fields.items():
        if key == "title":
            out[key] = model.validate_title(value, "title", "Workshop title")
        elif key in ("start", "end"):
            out[key] = validate_when(value, key, key.capitalize())
        elif key == "location":
            out[key] = model.validate_text(value, key, "Location", multiline=False)
        elif key == "notes":
            out[key] = model.validate_text(value, key, "Notes")
        elif key == "participants":
            out[key] = validate_participants(value)
        elif key == "agenda":
            if not isinstance(value, list | tuple) or not all(isinstance(i, dict) for i in value):
                raise ValidationError("agenda", "The agenda must be a list of items.")
            out[key] = [
                {
                    **i,
                    **validate_agenda_fields({k: i.get(k) for k in ("title", "lane", "minutes")}),
                    "id": i.get("id") or model.new_id(),
                }
                for i in value
            ]
        elif key == "vote_budget":
            out[key] = _count(value, key, "Vote budget")
        elif key == "vote_per_card":
            out[key] = _count(value, key, "Votes per card")
        elif key == "votes_hidden":
            out[key] = bool(value)
    merged = {**(current or {}), **out}
    start, end = str(merged.get("start", "")), str(merged.get("end", ""))
    if start and end and end < start:
        raise ValidationError("end", f"The workshop ends ({end}) before it starts ({start}).")
    budget = int(merged.get("vote_budget", DEFAULT_BUDGET))
    if int(merged.get("vote_per_card", DEFAULT_PER_CARD)) > budget:
        raise ValidationError("vote_per_card", f"Votes per card cannot exceed the vote budget ({budget}).")
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
    raise ValidationError("agenda", f"No agenda item {ref!r}: give its number (1-{len(agenda)}) or id.")


def move_item(agenda: list[Doc], ref: str, index: int) -> list[Doc]:
    """The agenda with item ``ref`` moved to ``index`` (0-based, clamped)."""
    items = list(agenda)
    item = items.pop(find_item(items, ref))
    items.insert(max(0, min(index, len(items))), item)
    return items


def agenda_minutes(agenda: list[Doc]) -> int:
    return sum(int(item.get("minutes", 0)) for item in agenda)


def schedule(agenda: list[Doc], start: str) -> list[str]:
    """Planned start time (HH:MM) of each item, from the workshop's start; a new day at DAY_HOURS boundaries.

    Items simply run on; when the running time passes the end of a day's hours, the rest moves to
    the next day's start. Returns '' for every item when ``start`` has no time.
    """
    if len(start) < 16:
        return [""] * len(agenda)
    clock = dt.datetime.fromisoformat(start)
    day, times = 0, []
    for item in agenda:
        end_of_day = DAY_HOURS[min(day, len(DAY_HOURS) - 1)][1]
        if clock.time() >= end_of_day and day + 1 < len(DAY_HOURS):
            day += 1
            clock = dt.datetime.combine(clock.date() + dt.timedelta(days=1), DAY_HOURS[day][0])
        times.append(clock.strftime("%H:%M"))
        clock += dt.timedelta(minutes=int(item.get("minutes", 0)))
    return times


# the agenda timer
def initial_state() -> Doc:
    """A timer that has not started: first item, paused, nothing elapsed."""
    return {"index": 0, "item_id": "", "running": False, "started_at": "", "elapsed": 0.0, "extra": 0}


def _parse(when: str) -> dt.datetime:
    return dt.datetime.fromisoformat(when)


def _stamp(now: dt.datetime) -> str:
    return now.isoformat()


def _state(state: Doc | None) -> Doc:
    return {**initial_state(), **(state or {})}


def current_index(state: Doc | None, agenda: list[Doc]) -> int:
    """Index of the current item: followed by id (reorders keep it), else the stored index, clamped."""
    state = _state(state)
    if not agenda:
        return 0
    if state["item_id"]:
        for i, item in enumerate(agenda):
            if item.get("id") == state["item_id"]:
                return i
    return max(0, min(int(state["index"]), len(agenda) - 1))


def current_item(state: Doc | None, agenda: list[Doc]) -> Doc | None:
    return agenda[current_index(state, agenda)] if agenda else None


def elapsed(state: Doc | None, now: dt.datetime) -> float:
    """Seconds spent on the current item (paused time excluded)."""
    state = _state(state)
    spent = float(state["elapsed"])
    if state["running"] and state["started_at"]:
        spent += max(0.0, (now - _parse(state["started_at"])).total_seconds())
    return spent


def time_left(state: Doc | None, agenda: list[Doc], now: dt.datetime) -> float:
    """Seconds left for the current item (negative once overrun)."""
    item = current_item(state, agenda)
    if item is None:
        return 0.0
    return int(item.get("minutes", 0)) * 60 + int(_state(state)["extra"]) - elapsed(state, now)


def is_overrun(state: Doc | None, agenda: list[Doc], now: dt.datetime) -> bool:
    return bool(agenda) and time_left(state, agenda, now) < 0


def _at(state: Doc, agenda: list[Doc], index: int, now: dt.datetime) -> Doc:
    """The state moved to item ``index`` with a fresh timebox, keeping running/paused."""
    index = max(0, min(index, len(agenda) - 1))
    return {
        **state,
        "index": index,
        "item_id": agenda[index].get("id", ""),
        "elapsed": 0.0,
        "extra": 0,
        "started_at": _stamp(now) if state["running"] else "",
    }


def apply(state: Doc | None, agenda: list[Doc], action: str, now: dt.datetime, arg: int | None = None) -> Doc:
    """The timer state after ``action`` at ``now``.

    start, pause, toggle; next and prev (a fresh timebox; no-op at either end); extend (+5 min,
    or ``arg`` minutes); goto (item ``arg``, 0-based); reset (first item, paused).
    """
    if action not in TIMER_ACTIONS:
        raise ValidationError("action", f"Unknown timer action {action!r}: use one of {', '.join(TIMER_ACTIONS)}.")
    if not agenda:
        raise ValidationError("agenda", "The agenda is empty: add an agenda item first.")
    state = _state(state)
    index = current_index(state, agenda)
    state = {**state, "index": index, "item_id": agenda[index].get("id", "")}
    if action == "toggle":
        action = "pause" if state["running"] else "start"
    if action == "start" and not state["running"]:
        return {**state, "running": True, "started_at": _stamp(now)}
    if action == "pause" and state["running"]:
        return {**state, "running": False, "started_at": "", "elapsed": elapsed(state, now)}
    if action == "next" and index + 1 < len(agenda):
        return _at(state, agenda, index + 1, now)
    if action == "prev" and index > 0:
        return _at(state, agenda, index - 1, now)
    if action == "goto":
        return _at(state, agenda, int(arg or 0), now)
    if action == "extend":
        minutes = EXTEND_MINUTES if arg is None else int(arg)
        return {**state, "extra": int(state["extra"]) + minutes * 60}
    if action == "reset":
        return _at({**state, "running": False}, agenda, 0, now)
    return state


@dataclass(frozen=True)
class TimerView:
    """What a timer display shows at one moment."""

    item: Doc | None
    index: int
    count: int
    left: float
    running: bool
    overrun: bool

    @property
    def lane(self) -> str:
        return str(self.item.get("lane", "")) if self.item else ""

    @property
    def label(self) -> str:
        return format_left(self.left)


def view(workshop: Doc, now: dt.datetime) -> TimerView:
    """The timer of ``workshop`` as of ``now``."""
    agenda = list(workshop.get("agenda") or [])
    state = workshop.get("agenda_state")
    return TimerView(
        item=current_item(state, agenda),
        index=current_index(state, agenda),
        count=len(agenda),
        left=time_left(state, agenda, now),
        running=bool(_state(state)["running"]) and bool(agenda),
        overrun=is_overrun(state, agenda, now),
    )


def format_left(seconds: float) -> str:
    """``MM:SS`` (``H:MM:SS`` past an hour), rounded up, with a leading minus once overrun."""
    whole = math.ceil(abs(seconds))  # a countdown: 29:59.5 left shows 30:00
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes:02d}:{secs:02d}"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# which workshop: the dates and the running timer, read once here
def first_day(workshop: Doc) -> str:
    """The workshop's first day, YYYY-MM-DD ('' when undated)."""
    return str(workshop.get("start") or "")[:10]


def last_day(workshop: Doc) -> str:
    """The workshop's last day (its end, else its start), YYYY-MM-DD ('' when undated)."""
    return str(workshop.get("end") or workshop.get("start") or "")[:10]


def is_running(workshop: Doc) -> bool:
    """Its agenda timer runs."""
    return bool((workshop.get("agenda_state") or {}).get("running"))


def is_under_way(workshop: Doc, today: dt.date) -> bool:
    """Today is one of its days."""
    first = first_day(workshop)
    return bool(first) and first <= today.isoformat() <= last_day(workshop)


def board_workshop(workshops: list[Doc], today: dt.date) -> Doc | None:
    """The workshop a board runs: a running one, else one under way today, else the next one
    (undated ones count as being planned), else the latest held."""
    day = today.isoformat()

    def start(w: Doc) -> str:
        return str(w.get("start") or "")

    running = [w for w in workshops if is_running(w)]
    under_way = [w for w in workshops if is_under_way(w, today)]
    if running or under_way:
        return max(running or under_way, key=start)
    ahead = [w for w in workshops if not first_day(w) or first_day(w) > day]
    if ahead:
        return min(ahead, key=lambda w: start(w) or "9999")
    return max(workshops, key=start, default=None)


def timer_shown(workshop: Doc, today: dt.date) -> bool:
    """The timer line shows while the workshop runs, and until its last day has passed."""
    if is_running(workshop):
        return True
    last = last_day(workshop)
    return not last or last >= today.isoformat()


def capture_workshop_id(workshop: Doc | None, today: dt.date) -> str:
    """The id of ``workshop`` if it is under way (running, or today is one of its days), else '':
    new cards record it."""
    if workshop is None:
        return ""
    return str(workshop["id"]) if is_running(workshop) or is_under_way(workshop, today) else ""


def pick_workshop(workshops: list[Doc], today: dt.date) -> Doc | None:
    """The workshop the presenter follows: one whose timer runs, else the latest that has started, else the next.

    Unlike ``board_workshop`` (which plans the next one), a projector started without a
    workshop shows the one just held until the next one's first day (`kamboard present` help).
    """
    if not workshops:
        return None

    def start(w: Doc) -> str:
        return str(w.get("start", ""))

    running = [w for w in workshops if is_running(w)]
    if running:
        return max(running, key=start)
    started = [w for w in workshops if first_day(w) and first_day(w) <= today.isoformat()]
    if started:
        return max(started, key=start)
    return min(workshops, key=lambda w: start(w) or "9999")
