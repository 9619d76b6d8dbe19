"""`kamboard workshop ...` (add, list, show, edit, agenda, timer, review), `kamboard gaps ACCOUNT`, `kamboard present`.

WORKSHOP is a workshop id, a unique id prefix (4+ characters) or its title (case-insensitive,
when unique). An agenda ITEM is its number in the agenda (1 = first) or its id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from .. import agenda as agenda_rules
from .. import followup
from .. import gaps as gap_rules
from .. import workshop as rules
from ..errors import NotFound
from ..merge_state import MERGE_FIELDS
from ..model import LANE_TITLES, ValidationError, field_labels
from .base import CliError, board_options, cli, echo, echo_json, echo_table, pass_store, settings, short_id

Doc = dict[str, Any]
DAY = click.IntRange(1, agenda_rules.MAX_DAYS)  # a workshop day


def find_workshop(store: Any, ref: str) -> Doc:
    """A workshop by id, unique id prefix or unique title."""
    ref = ref.strip()
    docs = store.workshops()
    for doc in docs:
        if doc.get("id") == ref:
            return doc
    hits = [d for d in docs if len(ref) >= 4 and str(d.get("id", "")).startswith(ref)]
    hits = hits or [d for d in docs if str(d.get("title", "")).casefold() == ref.casefold()]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise NotFound(f"{len(hits)} workshops match {ref!r}; give its id (`kamboard workshop list` shows them).")
    raise NotFound(f"No workshop {ref!r} in {store.name}; `kamboard workshop list` shows them.")


def _lane(value: str | None) -> str | None:
    """'' (general), a lane, or a lane as typed (Topics, general, -)."""
    if value is None:
        return None
    key = value.strip().casefold()
    if key in ("", "-", "general", "none"):
        return ""
    return {"topics": "topic", "challenges": "challenge", "actions": "support"}.get(key, key)


def _times(start: str | None, end: str | None) -> Doc:
    """Start and end; a start without end gets the default 1.5 days (a start date alone begins at 09:00)."""
    out: Doc = {}
    if start:
        out["start"] = rules.validate_when(start, "start", "Start")
        if not end:
            first = dt.date.fromisoformat(out["start"][:10])
            default_start, out["end"] = rules.default_times(first)
            if len(out["start"]) == 10:
                out["start"] = default_start
    if end:
        out["end"] = rules.validate_when(end, "end", "End")
    return out


def _account_name(store: Any, account_id: str) -> str:
    try:
        return str(store.account(account_id).get("name", ""))
    except NotFound:
        return ""


def workshop_json(store: Any, doc: Doc) -> Doc:
    out: Doc = {"id": doc.get("id"), "account": _account_name(store, doc.get("account_id", ""))}
    out.update({k: v for k, v in sorted(doc.items()) if k not in out and k not in MERGE_FIELDS})
    return out


def vote_options(func: Any) -> Any:
    options = [
        click.option("--budget", type=int, default=None, metavar="N", help="Votes per participant (default 5)."),
        click.option(
            "--per-card", type=int, default=None, metavar="N", help="At most N votes on one card (default 3)."
        ),
        click.option(
            "--hide-votes/--show-votes", "votes_hidden", default=None, help="Hide vote counts until revealed."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _vote_fields(budget: int | None, per_card: int | None, votes_hidden: bool | None) -> Doc:
    out: Doc = {}
    if budget is not None:
        out["vote_budget"] = budget
    if per_card is not None:
        out["vote_per_card"] = per_card
    if votes_hidden is not None:
        out["votes_hidden"] = votes_hidden
    return out


@cli.group("workshop")
def workshop() -> None:
    """Workshops of an account: dates, participants, agenda, timer and commitments review."""


@workshop.command("add")
@click.argument("account")
@click.argument("title", required=False)
@click.option("--start", default=None, metavar="DATE[THH:MM]", help="First day (a date alone: 09:00).")
@click.option("--end", default=None, metavar="DATE[THH:MM]", help="End (default: 13:00 on the next working day).")
@click.option("--location", default=None, help="Where it takes place.")
@click.option(
    "--participant",
    "participants",
    multiple=True,
    metavar="NAME[:SIDE[:ROLE]]",
    help="A participant; SIDE is customer or us (repeatable).",
)
@click.option("--notes", default=None, help="Free notes (multi-line).")
@click.option("--empty-agenda", is_flag=True, help="Start with no agenda instead of the default 1.5-day agenda.")
@vote_options
@click.option("--json", "as_json", is_flag=True, help="Print the new workshop as JSON.")
@pass_store
def add(
    store: Any,
    account: str,
    title: str | None,
    start: str | None,
    end: str | None,
    location: str | None,
    participants: tuple[str, ...],
    notes: str | None,
    empty_agenda: bool,
    budget: int | None,
    per_card: int | None,
    votes_hidden: bool | None,
    as_json: bool,
) -> None:
    """Add a workshop to ACCOUNT, with the default 1.5-day agenda unless --empty-agenda."""
    fields: Doc = _times(start, end)
    if not title:
        year = fields.get("start", "")[:4] or str(dt.date.today().year)
        title = f"Key account workshop {year}"
    if location is not None:
        fields["location"] = location
    if notes is not None:
        fields["notes"] = notes
    fields["participants"] = [rules.parse_participant(p) for p in participants]
    fields["agenda"] = [] if empty_agenda else rules.default_agenda()
    fields.update(_vote_fields(budget, per_card, votes_hidden))
    doc = store.add_workshop(account, title, **fields)
    if as_json:
        echo_json(workshop_json(store, doc))
        return
    echo(f"Added workshop {short_id(doc['id'])} {doc['title']!r} ({len(doc['agenda'])} agenda items).")


@workshop.command("list")
@click.argument("account", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_store
def list_(store: Any, account: str | None, as_json: bool) -> None:
    """List workshops (of ACCOUNT, or all), by start."""
    account_id = store.account(account)["id"] if account else None
    docs = store.workshops(account_id)
    if as_json:
        echo_json([workshop_json(store, d) for d in docs])
        return
    if not docs:
        echo("No workshops.")
        return
    names = {a["id"]: a.get("name", "") for a in store.accounts(include_archived=True)}
    rows = [
        (
            short_id(d["id"]),
            names.get(d.get("account_id", ""), ""),
            d.get("title", ""),
            d.get("start", ""),
            d.get("end", ""),
            d.get("location", ""),
            len(d.get("participants") or []),
            len(d.get("agenda") or []),
        )
        for d in docs
    ]
    headers = ("ID", "ACCOUNT", "TITLE", "START", "END", "LOCATION", "PEOPLE", "ITEMS")
    echo_table(headers, rows, widths={1: 28, 2: 40, 5: 24})


def _agenda_row(number: int, day: int, planned: str, item: Doc, current: bool) -> tuple[Any, ...]:
    title = item.get("title", "") + (" (notes)" if item.get("notes") else "")
    lane, short = LANE_TITLES.get(item.get("lane", ""), "-"), short_id(item.get("id", ""))
    return (">" if current else "", number, day, planned, item.get("minutes", ""), lane, title, short)


def _print_agenda(doc: Doc) -> None:
    """Each item's day and planned start, each day's times (and a warning past its end), the notes."""
    agenda = doc.get("agenda") or []
    if not agenda:
        echo("agenda: empty (`kamboard workshop agenda add` adds items)")
        return
    total = rules.agenda_minutes(agenda)
    echo(f"agenda ({total // 60} h {total % 60:02d} min):")
    current = rules.current_index(doc.get("agenda_state"), agenda) if doc.get("agenda_state") else -1
    days = agenda_rules.agenda_days(doc)  # every item, in agenda order
    items = enumerate((day.number, planned, item) for day in days for planned, item in day.items)
    rows = [_agenda_row(i + 1, number, planned, item, i == current) for i, (number, planned, item) in items]
    echo_table(("", "#", "DAY", "TIME", "MIN", "LANE", "TITLE", "ID"), rows, widths={6: 60})
    for day in days:
        span = f" {day.starts}-{day.ends}" if day.ends else ""
        echo(f"day {day.number} {day.date}".rstrip() + f":{span} ({agenda_rules.format_minutes(day.minutes)})")
        if day.warning:
            echo(f"  warning: {day.warning}")
    noted = [item for item in agenda if item.get("notes")]
    for item in noted:
        lines = [f"  {item.get('title', '')}:", *(f"    {x}" for x in str(item["notes"]).splitlines())]
        echo("\n".join(["agenda notes:", *lines] if item is noted[0] else lines))


@workshop.command("show")
@click.argument("ref", metavar="WORKSHOP")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_store
def show(store: Any, ref: str, as_json: bool) -> None:
    """Show a workshop: dates, participants, agenda, timer and open commitments."""
    doc = find_workshop(store, ref)
    if as_json:
        echo_json(workshop_json(store, doc))
        return
    echo(doc.get("title", ""))
    budget = doc.get("vote_budget", rules.DEFAULT_BUDGET)
    per_card = doc.get("vote_per_card", rules.DEFAULT_PER_CARD)
    hidden = ", counts hidden" if doc.get("votes_hidden") else ""
    lines = [
        ("id", doc.get("id")),
        ("account", _account_name(store, doc.get("account_id", ""))),
        ("start", doc.get("start")),
        ("end", doc.get("end")),
        ("location", doc.get("location")),
        ("votes", f"{budget} per participant, at most {per_card} per card{hidden}"),
    ]
    for label, value in lines:
        if value not in (None, ""):
            echo(f"  {label + ':':<14}{value}")
    people = doc.get("participants") or []
    echo(f"participants ({len(people)}):")
    for p in people:
        extra = ", ".join(x for x in (p.get("side", ""), p.get("role", "")) if x)
        echo(f"  {p.get('name', '')}" + (f" ({extra})" if extra else ""))
    _print_agenda(doc)
    if doc.get("agenda_state") and doc.get("agenda"):
        view = rules.view(doc, rules.utc_now())
        state = "running" if view.running else "paused"
        behind = f", {view.schedule_note}" if view.schedule_note else ""
        echo(f"timer: item {view.index + 1} of {view.count}, {state}, {view.status}{behind}")
    commitments = store.open_commitments(doc["id"])
    if commitments:
        echo(f"open commitments from the previous workshop ({len(commitments)}):")
        for card in commitments:
            echo(f"  {short_id(card['id'])} {card.get('title', '')} ({card.get('status') or 'open'})")
    if doc.get("notes"):
        echo("notes:")
        for line in str(doc["notes"]).splitlines():
            echo(f"  {line}")


@workshop.command("edit")
@click.argument("ref", metavar="WORKSHOP")
@click.option("--title", default=None, help="New title.")
@click.option("--start", default=None, metavar="DATE[THH:MM]", help="New start ('' clears).")
@click.option("--end", default=None, metavar="DATE[THH:MM]", help="New end ('' clears).")
@click.option("--location", default=None, help="New location.")
@click.option("--notes", default=None, help="New notes.")
@click.option(
    "--participant",
    "participants",
    multiple=True,
    metavar="NAME[:SIDE[:ROLE]]",
    help="Add or update a participant (repeatable).",
)
@click.option("--remove-participant", "removed", multiple=True, metavar="NAME", help="Remove a participant.")
@click.option("--default-agenda", is_flag=True, help="Replace the agenda with the default 1.5-day agenda.")
@vote_options
@pass_store
def edit(
    store: Any,
    ref: str,
    participants: tuple[str, ...],
    removed: tuple[str, ...],
    default_agenda: bool,
    budget: int | None,
    per_card: int | None,
    votes_hidden: bool | None,
    **values: str | None,
) -> None:
    """Change a workshop; only the options given change."""
    doc = find_workshop(store, ref)
    changes: Doc = {k: v for k, v in values.items() if v is not None and k not in ("start", "end")}
    for key in ("start", "end"):
        if values[key] is not None:
            changes[key] = rules.validate_when(values[key], key, key.capitalize())
    changes.update(_vote_fields(budget, per_card, votes_hidden))
    if participants or removed:
        people = [dict(p) for p in doc.get("participants") or []]
        names = [p["name"].casefold() for p in people]
        for name in removed:
            if name.strip().casefold() not in names:
                raise ValidationError("participants", f"No participant {name!r} in {doc.get('title', '')!r}.")
        people = [p for p in people if p["name"].casefold() not in {n.strip().casefold() for n in removed}]
        for text in participants:
            person = rules.parse_participant(text)
            people = [p for p in people if p["name"].casefold() != person["name"].casefold()] + [person]
        changes["participants"] = people
    if default_agenda:
        changes["agenda"] = rules.default_agenda()
    if not changes:
        raise click.UsageError("Nothing to change: give at least one option, e.g. --title or --participant.")
    new = store.update_workshop(doc["id"], changes)
    echo(f"Changed workshop {short_id(new['id'])} {new['title']!r}: {field_labels(changes)}.")


# agenda items
@workshop.group("agenda")
def agenda() -> None:
    """Agenda items of a workshop: add, edit, move, remove."""


@agenda.command("add")
@click.argument("ref", metavar="WORKSHOP")
@click.argument("title")
@click.option("--lane", default="", metavar="LANE", help="topic, challenge, support, or general (default).")
@click.option("--minutes", default="30", metavar="N", help="Timebox in minutes (default 30).")
@click.option("--at", "position", type=click.IntRange(min=1), default=None, metavar="N", help="Make it item N.")
@click.option("--day", type=DAY, default=None, metavar="N", help="On workshop day N (default: the item before's).")
@pass_store
def agenda_add(
    store: Any, ref: str, title: str, lane: str, minutes: str, position: int | None, day: int | None
) -> None:
    """Add an agenda item TITLE to WORKSHOP (at the end, or at --at N; --day puts it on a day)."""
    doc = find_workshop(store, ref)
    index = None if position is None else position - 1
    item = store.add_agenda_item(doc["id"], title, _lane(lane) or "", minutes, index, day)
    echo(f"Added agenda item {item['title']!r} ({item['minutes']} min, day {item['day']}) to {doc['title']!r}.")
    _warn_days(store.workshop(doc["id"]))


def _warn_days(doc: Doc) -> None:
    """A day that runs past its end, said on stderr after a change."""
    for warning in agenda_rules.day_warnings(doc):
        click.echo(f"warning: {warning}", err=True)


@agenda.command("edit")
@click.argument("ref", metavar="WORKSHOP")
@click.argument("item", metavar="ITEM")
@click.option("--title", default=None, help="New title.")
@click.option("--lane", default=None, metavar="LANE", help="topic, challenge, support, or general.")
@click.option("--minutes", default=None, metavar="N", help="New timebox in minutes.")
@click.option("--day", type=DAY, default=None, metavar="N", help="Move it to workshop day N.")
@click.option("--notes", default=None, help="Its notes or decisions ('' clears them).")
@pass_store
def agenda_edit(store: Any, ref: str, item: str, **values: Any) -> None:
    """Change agenda ITEM (its number or id) of WORKSHOP."""
    doc = find_workshop(store, ref)
    changes = {k: v for k, v in {**values, "lane": _lane(values["lane"])}.items() if v is not None}
    if not changes:
        raise click.UsageError("Nothing to change: give --title, --lane, --minutes, --day or --notes.")
    new = store.update_agenda_item(doc["id"], item, **changes)
    echo(f"Changed agenda item {new['title']!r}: {field_labels(changes)}.")
    if "minutes" in changes or "day" in changes:
        _warn_days(store.workshop(doc["id"]))


@agenda.command("move")
@click.argument("ref", metavar="WORKSHOP")
@click.argument("item", metavar="ITEM")
@click.argument("position", type=click.IntRange(min=1), metavar="N")
@pass_store
def agenda_move(store: Any, ref: str, item: str, position: int) -> None:
    """Move agenda ITEM of WORKSHOP to place N (1 = first)."""
    doc = find_workshop(store, ref)
    title = doc["agenda"][rules.find_item(doc.get("agenda") or [], item)]["title"]
    store.move_agenda_item(doc["id"], item, position - 1)
    echo(f"Moved agenda item {title!r} to place {min(position, len(doc['agenda']))}.")


@agenda.command("remove")
@click.argument("ref", metavar="WORKSHOP")
@click.argument("item", metavar="ITEM")
@pass_store
def agenda_remove(store: Any, ref: str, item: str) -> None:
    """Remove agenda ITEM from WORKSHOP."""
    doc = find_workshop(store, ref)
    old = store.delete_agenda_item(doc["id"], item)
    echo(f"Removed agenda item {old['title']!r}.")


# facilitation from the command line
@workshop.command("timer")
@click.argument("ref", metavar="WORKSHOP")
@click.argument("action", type=click.Choice(["start", "pause", "next", "prev", "extend", "reset", "status"]))
@click.option("--minutes", type=click.IntRange(1, 120), default=rules.EXTEND_MINUTES, help="For extend (default 5).")
@pass_store
def timer(store: Any, ref: str, action: str, minutes: int) -> None:
    """Drive the agenda timer of WORKSHOP (everyone with the file sees the same)."""
    doc = find_workshop(store, ref)
    if action != "status":
        doc = store.timer(doc["id"], action, rules.utc_now(), minutes if action == "extend" else None)
    view = rules.view(doc, rules.utc_now())
    if view.item is None:
        raise CliError("The agenda is empty: add an agenda item first.")
    state = "running" if view.running else "paused"
    behind = f", {view.schedule_note}" if view.schedule_note else ""
    echo(f"{view.index + 1}/{view.count} {view.item.get('title', '')}: {view.status}, {state}{behind}")


@workshop.command("review")
@click.argument("ref", metavar="WORKSHOP")
@click.argument("card_ref", metavar="CARD", required=False)
@click.argument("outcome", type=click.Choice(followup.REVIEW_OUTCOMES), required=False)
@pass_store
def review(store: Any, ref: str, card_ref: str | None, outcome: str | None) -> None:
    """List the open commitments from the previous workshop, or mark CARD done, carry (over) or drop."""
    doc = find_workshop(store, ref)
    if card_ref is None:
        cards = store.open_commitments(doc["id"])
        if not cards:
            echo("No open commitments from the previous workshop.")
        for card in cards:
            echo(f"{short_id(card['id'])}  {card.get('title', '')} ({card.get('status') or 'open'})")
        return
    if outcome is None:
        raise click.UsageError("Give the OUTCOME too: done, carry or drop.")
    card = store.review_commitment(card_ref, doc["id"], outcome)
    what = {"done": "marked done", "carry": "carried over", "drop": "dropped"}[outcome]
    echo(f"{card['title']!r} {what}.")


@cli.command("gaps")
@click.argument("account")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_store
def gaps(store: Any, account: str, as_json: bool) -> None:
    """Gaps on ACCOUNT's board: unanswered challenges, sales pitches, incomplete support actions."""
    acc = store.account(account)
    cards = store.cards(acc["id"])
    found = gap_rules.find_gaps(cards)
    if as_json:
        both, total = gap_rules.mutual_benefit_count(cards)
        echo_json(
            {
                "account": acc.get("name", ""),
                "gaps": [g.as_dict() for g in found],
                "mutual_benefit": {"both": both, "support_actions": total},
            }
        )
        return
    if not found:
        echo(f"No gaps on the board of {acc.get('name', '')}.")
        return
    for kind in gap_rules.KINDS:
        group = [g for g in found if g.kind == kind]
        if group:
            echo(f"{gap_rules.HEADINGS[kind]} ({len(group)}):")
            for gap in group:
                echo(f"  {short_id(gap.card_id)}  {gap.title}: {gap.message}")


@cli.command("present")
@click.argument("file", required=False)
@click.option("--workshop", "ref", default=None, metavar="WORKSHOP", help="Which workshop (default: the running one).")
@click.option("--account", default=None, metavar="NAME", help="Only this account's workshops.")
@board_options
def present(file: str | None, ref: str | None, account: str | None) -> None:
    """Open the read-only presenter view of FILE for the projector; it follows the facilitator live.

    Without --workshop it follows the workshop whose timer runs, else the latest that has started.
    """
    from ..store import BoardStore

    conf = settings()
    store = BoardStore(file or conf.path, conf.author, readonly=True)
    doc: Doc | None
    if ref:
        doc = find_workshop(store, ref)
    else:
        account_id = store.account(account)["id"] if account else None
        doc = rules.pick_workshop(store.workshops(account_id), dt.date.today())
        if doc is None:
            raise CliError(f"No workshop in {store.name}: add one with `kamboard workshop add ACCOUNT`.")
    from ..tui.screens.presenter import run_presenter

    run_presenter(store, doc["id"])
