"""Workshops: field validation, the agenda timer, and which workshop runs.

Pure, no I/O. The agenda itself (default agenda, item fields, days, planned times) is in
``kamboard.agenda``; its names are importable from here too. The timer is a small JSON-able state
dict stored in the workshop record (``workshop["agenda_state"]``); every function takes ``now`` so
tests need no sleeping and two processes reading the same record show the same item and time left.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from . import agenda as plan
from . import model
from .agenda import (  # noqa: F401  (the agenda's names, as callers of kamboard.workshop know them)
    DAY_HOURS,
    DEFAULT_AGENDA,
    MAX_MINUTES,
    agenda_minutes,
    day_minutes,
    default_agenda,
    default_times,
    find_item,
    move_item,
    new_agenda_item,
    schedule,
    validate_agenda_fields,
    validate_minutes,
)
from .i18n import N_, _
from .model import SIDES, ValidationError

Doc = dict[str, Any]

DEFAULT_BUDGET = 5
DEFAULT_PER_CARD = 3
EXTEND_MINUTES = 5
TIMER_ACTIONS = ("start", "pause", "toggle", "next", "prev", "extend", "goto", "reset")


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
        message = _("{what} {value!r} is not in the form YYYY-MM-DD or YYYY-MM-DDTHH:MM.")
        raise ValidationError(field, message.format(what=_(what), value=value))
    return when.isoformat(timespec="minutes")


def parse_participant(text: str) -> Doc:
    """``NAME[:SIDE[:ROLE]]`` (side ``customer``, ``us`` or left out) as a participant record."""
    name, _sep, rest = str(text).partition(":")
    side, _sep, role = rest.partition(":")
    return validate_participant({"name": name, "side": side.strip(), "role": role})


def validate_participant(value: object) -> Doc:
    if not isinstance(value, dict):
        raise ValidationError("participants", _("A participant must have a name, a side and a role."))
    name = model.validate_title(value.get("name"), "participants", N_("Participant name"))
    side = model.validate_choice(str(value.get("side") or "").strip(), "participants", SIDES, N_("side"), optional=True)
    role = model.validate_text(value.get("role", ""), "participants", N_("Role"), multiline=False)
    return {"name": name, "side": side, "role": role}


def validate_participants(value: object) -> list[Doc]:
    if not isinstance(value, list | tuple):
        raise ValidationError("participants", _("Participants must be a list."))
    people = [validate_participant(p) for p in value]
    seen: set[str] = set()
    for person in people:
        if person["name"].casefold() in seen:
            message = _("Participant {name!r} is listed twice.")
            raise ValidationError("participants", message.format(name=person["name"]))
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
        message = _("{what} {value!r} must be a whole number from 1 to 99.")
        raise ValidationError(field, message.format(what=_(what), value=value))
    return number


def validate_capture(value: object) -> list[str]:
    """The lanes where participants may add cards, each once, in board order (``model.LANES``)."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValidationError("capture", _("Capture must be a list of lanes."))
    unknown = [str(lane) for lane in value if lane not in model.LANES]
    if unknown:
        message = _("Unknown lane {lane!r} for capture: use {lanes}.")
        raise ValidationError("capture", message.format(lane=unknown[0], lanes=", ".join(model.LANES)))
    return [lane for lane in model.LANES if lane in value]


def capture_lanes(workshop: Doc) -> list[str]:
    """The lanes open for capture in ``workshop``, in board order (a merged record may hold another)."""
    value = workshop.get("capture")
    return [lane for lane in model.LANES if lane in value] if isinstance(value, list) else []


def capture_open(workshop: Doc, lane: str) -> bool:
    """Participants may add cards to ``lane`` now (the facilitator opened capture there)."""
    return lane in capture_lanes(workshop)


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
    "capture",
)


def validate_workshop_fields(fields: dict[str, Any], current: Doc | None = None) -> Doc:
    """Check and normalise user-settable workshop fields; ``current`` is the record being edited."""
    unknown = set(fields) - set(WORKSHOP_FIELDS)
    if unknown:
        message = _("Unknown workshop field(s): {fields}.")
        raise ValidationError(sorted(unknown)[0], message.format(fields=", ".join(sorted(unknown))))
    out: Doc = {}
    for key, value in fields.items():
        if key == "title":
            out[key] = model.validate_title(value, "title", N_("Workshop title"))
        elif key in ("start", "end"):
            out[key] = validate_when(value, key, N_("Start") if key == "start" else N_("End"))
        elif key == "location":
            out[key] = model.validate_text(value, key, N_("Location"), multiline=False)
        elif key == "notes":
            out[key] = model.validate_text(value, key, N_("Notes"))
        elif key == "participants":
            out[key] = validate_participants(value)
        elif key == "agenda":
            out[key] = plan.validate_agenda(value)
        elif key == "vote_budget":
            out[key] = _count(value, key, N_("Vote budget"))
        elif key == "vote_per_card":
            out[key] = _count(value, key, N_("Votes per card"))
        elif key == "votes_hidden":
            out[key] = bool(value)
        elif key == "capture":
            out[key] = validate_capture(value)
    merged = {**(current or {}), **out}
    start, end = str(merged.get("start", "")), str(merged.get("end", ""))
    if start and end and end < start:
        message = _("The workshop ends ({end}) before it starts ({start}).")
        raise ValidationError("end", message.format(end=end, start=start))
    budget = int(merged.get("vote_budget", DEFAULT_BUDGET))
    if int(merged.get("vote_per_card", DEFAULT_PER_CARD)) > budget:
        message = _("Votes per card cannot exceed the vote budget ({budget}).")
        raise ValidationError("vote_per_card", message.format(budget=budget))
    return out


# the next workshop
def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def next_year(previous: Doc, today: dt.date) -> Doc:
    """A proposal for the workshop after ``previous``: its participants, location, vote rules and
    agenda (new item ids, no notes; none: the editor's default agenda);
    when it had dates, the same dates and times a year later (a weekend start moves to the
    Monday, the span kept; when that has passed, from ``today``, the first working day); the title
    with its years counted on ("ACME Workshop 2027" from "ACME Workshop 2026"; a dated one's
    title without a year gets the new one)."""
    out: Doc = {k: previous[k] for k in ("location", "vote_budget", "vote_per_card") if k in previous}
    out["participants"] = [dict(p) for p in previous.get("participants") or []]
    if previous.get("agenda"):  # its agenda fits its days: the items again, new ids, no notes
        pinned = plan.pin_days(list(previous["agenda"]), str(previous.get("start") or ""))
        out["agenda"] = [{**{k: v for k, v in item.items() if k != "notes"}, "id": model.new_id()} for item in pinned]
    start, end = str(previous.get("start") or ""), str(previous.get("end") or "")
    try:
        first = dt.date.fromisoformat(start[:10])
    except ValueError:
        first = None
    years = 1
    if first is not None:
        new_first = _working_day(_years_later(first, 1))
        if new_first < today:  # a year later has passed: the overdue one from today
            new_first = _working_day(today)
            years = max(1, new_first.year - first.year)
        out["start"] = new_first.isoformat() + start[10:]
        try:
            span = dt.date.fromisoformat(end[:10]) - first
        except ValueError:
            span = None
        if span is not None:
            out["end"] = _working_day(new_first + span).isoformat() + end[10:]
    title = str(previous.get("title") or "")
    counted = re.sub(r"(?<!\d)20\d\d(?!\d)", lambda m: str(int(m.group()) + years), title)
    if counted != title:
        out["title"] = counted
    elif title and first is not None:
        out["title"] = f"{title} {first.year + years}"
    return out


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
        message = _("Unknown timer action {action!r}: use one of {actions}.")
        raise ValidationError("action", message.format(action=action, actions=", ".join(TIMER_ACTIONS)))
    if not agenda:
        raise ValidationError("agenda", _("The agenda is empty: add an agenda item first."))
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
    behind: int = 0  # minutes behind the plan today (0: in time, ahead, or no planned times)

    @property
    def lane(self) -> str:
        return str(self.item.get("lane", "")) if self.item else ""

    @property
    def label(self) -> str:
        """The time left as a countdown (``-MM:SS`` once overrun)."""
        return format_left(self.left)

    @property
    def status(self) -> str:
        """'12:30 left', or once overrun '5 min over'."""
        return format_over(self.left) if self.overrun else _("{time} left").format(time=self.label)

    @property
    def schedule_note(self) -> str:
        """'behind schedule by 12 min' ('' when not behind)."""
        if not self.behind:
            return ""
        return _("behind schedule by {duration}").format(duration=plan.format_minutes(self.behind))


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
        behind=behind_schedule(workshop, now),
    )


def format_left(seconds: float) -> str:
    """``MM:SS`` (``H:MM:SS`` past an hour), rounded up, with a leading minus once overrun."""
    whole = math.ceil(abs(seconds))  # a countdown: 29:59.5 left shows 30:00
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes:02d}:{secs:02d}"


def format_over(seconds: float) -> str:
    """An overrun of ``-seconds`` in started minutes: '5 min over', '1 h 5 min over'."""
    return _("{duration} over").format(duration=plan.format_minutes(max(1, math.ceil(-seconds / 60))))


def local_time(now: dt.datetime) -> dt.datetime:
    """``now`` as this computer's wall-clock time (naive), as a workshop's planned times are written."""
    return now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now


def behind_schedule(workshop: Doc, now: dt.datetime) -> int:
    """Whole minutes the current item will end after its planned end if it ends when its time is
    up: late to start it, paused, overrun, or given more time. 0 when it is not behind, and on any
    day but the item's planned one (or without planned times)."""
    agenda = list(workshop.get("agenda") or [])
    state = workshop.get("agenda_state")
    index = current_index(state, agenda)
    planned = plan.planned_start(workshop, index)
    local = local_time(now)
    if planned is None or planned.date() != local.date():
        return 0
    planned_end = planned + dt.timedelta(minutes=int(agenda[index].get("minutes", 0)))
    expected_end = local + dt.timedelta(seconds=max(0.0, time_left(state, agenda, now)))
    return max(0, int((expected_end - planned_end).total_seconds() // 60))


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
