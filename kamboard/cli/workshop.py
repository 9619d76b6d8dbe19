"""`kamboard workshop ...` (add, list, show, edit, timer, review), `kamboard gaps ACCOUNT`, `kamboard present`.

WORKSHOP is a workshop id, a unique id prefix (4+ characters) or its title (case-insensitive,
when unique). `kamboard workshop agenda ...` is in cli/agenda.py, loaded when it runs.
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
from ..i18n import _, format_date
from ..merge_state import MERGE_FIELDS
from ..model import LANE_TITLES, ValidationError, field_labels
from .base import CliError, LazyGroup, board_options, cli, echo, echo_json, echo_table, pass_store, settings, short_id

Doc = dict[str, Any]


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
        message = _("{count} workshops match {ref!r}; give its id (`kamboard workshop list` shows them).")
        raise NotFound(message.format(count=len(hits), ref=ref))
    raise NotFound(
        _("No workshop {ref!r} in {board}; `kamboard workshop list` shows them.").format(ref=ref, board=store.name)
    )


def _times(start: str | None, end: str | None) -> Doc:
    """Start and end; a start without end gets the default 1.5 days (a start date alone begins at 09:00)."""
    out: Doc = {}
    if start:
        out["start"] = rules.validate_when(start, "start", _("Start"))
        if not end:
            first = dt.date.fromisoformat(out["start"][:10])
            default_start, out["end"] = rules.default_times(first)
            if len(out["start"]) == 10:
                out["start"] = default_start
    if end:
        out["end"] = rules.validate_when(end, "end", _("End"))
    return out


def shown_when(value: str) -> str:
    """A stored start or end (YYYY-MM-DD[THH:MM]) as the language writes it ('14.12.2026 09:00')."""
    day = format_date(value[:10])
    return value if day == value[:10] else day + value[10:].replace("T", " ", 1)


def _status(card: Doc) -> str:
    """A commitment's status as stored, 'open' when it has none."""
    return str(card.get("status") or _("open"))


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
        click.option("--budget", type=int, default=None, metavar="N", help=_("Votes per participant (default 5).")),
        click.option(
            "--per-card", type=int, default=None, metavar="N", help=_("At most N votes on one card (default 3).")
        ),
        click.option(
            "--hide-votes/--show-votes", "votes_hidden", default=None, help=_("Hide vote counts until revealed.")
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


# Sub-command name -> the module that registers it on ``workshop`` (loaded when it runs).
SUBCOMMAND_MODULES = {"agenda": "kamboard.cli.agenda"}


@cli.group(
    "workshop",
    cls=LazyGroup,
    lazy_commands=SUBCOMMAND_MODULES,
    help=_("Workshops of an account: dates, participants, agenda, timer and commitments review."),
)
def workshop() -> None:
    pass


@workshop.command("add", help=_("Add a workshop to ACCOUNT, with the default 1.5-day agenda unless --empty-agenda."))
@click.argument("account")
@click.argument("title", required=False)
@click.option("--start", default=None, metavar="DATE[THH:MM]", help=_("First day (a date alone: 09:00)."))
@click.option("--end", default=None, metavar="DATE[THH:MM]", help=_("End (default: 13:00 on the next working day)."))
@click.option("--location", default=None, help=_("Where it takes place."))
@click.option(
    "--participant",
    "participants",
    multiple=True,
    metavar="NAME[:SIDE[:ROLE]]",
    help=_("A participant; SIDE is customer or us (repeatable)."),
)
@click.option("--notes", default=None, help=_("Free notes (multi-line)."))
@click.option("--empty-agenda", is_flag=True, help=_("Start with no agenda instead of the default 1.5-day agenda."))
@vote_options
@click.option("--json", "as_json", is_flag=True, help=_("Print the new workshop as JSON."))
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
    fields: Doc = _times(start, end)
    if not title:
        year = fields.get("start", "")[:4] or str(dt.date.today().year)
        title = _("Key account workshop {year}").format(year=year)  # in the language of the moment
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
    message = _("Added workshop {id} {title!r} ({count} agenda items).")
    echo(message.format(id=short_id(doc["id"]), title=doc["title"], count=len(doc["agenda"])))


@workshop.command("list", help=_("List workshops (of ACCOUNT, or all), by start."))
@click.argument("account", required=False)
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_store
def list_(store: Any, account: str | None, as_json: bool) -> None:
    account_id = store.account(account)["id"] if account else None
    docs = store.workshops(account_id)
    if as_json:
        echo_json([workshop_json(store, d) for d in docs])
        return
    if not docs:
        echo(_("No workshops."))
        return
    names = {a["id"]: a.get("name", "") for a in store.accounts(include_archived=True)}
    rows = [
        (
            short_id(d["id"]),
            names.get(d.get("account_id", ""), ""),
            d.get("title", ""),
            shown_when(d.get("start") or ""),
            shown_when(d.get("end") or ""),
            d.get("location", ""),
            len(d.get("participants") or []),
            len(d.get("agenda") or []),
        )
        for d in docs
    ]
    headers = (_("ID"), _("ACCOUNT"), _("TITLE"), _("START"), _("END"), _("LOCATION"), _("PEOPLE"), _("ITEMS"))
    echo_table(headers, rows, widths={1: 28, 2: 40, 5: 24})


def _agenda_row(number: int, day: int, planned: str, item: Doc, current: bool) -> tuple[Any, ...]:
    title = item.get("title", "") + (_(" (notes)") if item.get("notes") else "")
    lane, short = LANE_TITLES.get(item.get("lane", ""), "-"), short_id(item.get("id", ""))
    return (">" if current else "", number, day, planned, item.get("minutes", ""), lane, title, short)


def _print_agenda(doc: Doc) -> None:
    """Each item's day and planned start, each day's times (and a warning past its end), the notes."""
    agenda = doc.get("agenda") or []
    if not agenda:
        echo(_("agenda: empty (`kamboard workshop agenda add` adds items)"))
        return
    total = rules.agenda_minutes(agenda)
    echo(_("agenda ({hours} h {minutes:02d} min):").format(hours=total // 60, minutes=total % 60))
    current = rules.current_index(doc.get("agenda_state"), agenda) if doc.get("agenda_state") else -1
    days = agenda_rules.agenda_days(doc)  # every item, in agenda order
    items = enumerate((day.number, planned, item) for day in days for planned, item in day.items)
    rows = [_agenda_row(i + 1, number, planned, item, i == current) for i, (number, planned, item) in items]
    headers = ("", "#", _("DAY"), _("TIME"), _("MIN"), _("LANE"), _("TITLE"), _("ID"))
    echo_table(headers, rows, widths={6: 60})
    for day in days:
        span = f" {day.starts}-{day.ends}" if day.ends else ""
        name = _("day {number} {date}").format(number=day.number, date=format_date(day.date or "")).rstrip()
        echo(f"{name}:{span} ({agenda_rules.format_minutes(day.minutes)})")
        if day.warning:
            echo("  " + _("warning: {warning}").format(warning=day.warning))
    noted = [item for item in agenda if item.get("notes")]
    for item in noted:
        lines = [f"  {item.get('title', '')}:", *(f"    {x}" for x in str(item["notes"]).splitlines())]
        echo("\n".join([_("agenda notes:"), *lines] if item is noted[0] else lines))


@workshop.command("show", help=_("Show a workshop: dates, participants, agenda, timer and open commitments."))
@click.argument("ref", metavar="WORKSHOP")
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_store
def show(store: Any, ref: str, as_json: bool) -> None:
    doc = find_workshop(store, ref)
    if as_json:
        echo_json(workshop_json(store, doc))
        return
    echo(doc.get("title", ""))
    budget = doc.get("vote_budget", rules.DEFAULT_BUDGET)
    per_card = doc.get("vote_per_card", rules.DEFAULT_PER_CARD)
    hidden = _(", counts hidden") if doc.get("votes_hidden") else ""
    votes = _("{budget} per participant, at most {per_card} per card").format(budget=budget, per_card=per_card)
    lines = [
        (_("id:"), doc.get("id")),
        (_("account:"), _account_name(store, doc.get("account_id", ""))),
        (_("start:"), shown_when(str(doc.get("start") or ""))),
        (_("end:"), shown_when(str(doc.get("end") or ""))),
        (_("location:"), doc.get("location")),
        (_("votes:"), votes + hidden),
    ]
    width = max(14, *(len(label) + 1 for label, _value in lines))  # 14 in English
    for label, value in lines:
        if value not in (None, ""):
            echo(f"  {label:<{width}}{value}")
    people = doc.get("participants") or []
    echo(_("participants ({count}):").format(count=len(people)))
    for p in people:
        extra = ", ".join(x for x in (p.get("side", ""), p.get("role", "")) if x)
        echo(f"  {p.get('name', '')}" + (f" ({extra})" if extra else ""))
    _print_agenda(doc)
    if doc.get("agenda_state") and doc.get("agenda"):
        view = rules.view(doc, rules.utc_now())
        state = _("running") if view.running else _("paused")
        behind = f", {view.schedule_note}" if view.schedule_note else ""
        timer = _("timer: item {number} of {count}, {state}, {status}").format(
            number=view.index + 1, count=view.count, state=state, status=view.status
        )
        echo(timer + behind)
    commitments = store.open_commitments(doc["id"])
    if commitments:
        echo(_("open commitments from the previous workshop ({count}):").format(count=len(commitments)))
        for card in commitments:
            echo(f"  {short_id(card['id'])} {card.get('title', '')} ({_status(card)})")
    if doc.get("notes"):
        echo(_("notes:"))
        for line in str(doc["notes"]).splitlines():
            echo(f"  {line}")


@workshop.command("edit", help=_("Change a workshop; only the options given change."))
@click.argument("ref", metavar="WORKSHOP")
@click.option("--title", default=None, help=_("New title."))
@click.option("--start", default=None, metavar="DATE[THH:MM]", help=_("New start ('' clears)."))
@click.option("--end", default=None, metavar="DATE[THH:MM]", help=_("New end ('' clears)."))
@click.option("--location", default=None, help=_("New location."))
@click.option("--notes", default=None, help=_("New notes."))
@click.option(
    "--participant",
    "participants",
    multiple=True,
    metavar="NAME[:SIDE[:ROLE]]",
    help=_("Add or update a participant (repeatable)."),
)
@click.option("--remove-participant", "removed", multiple=True, metavar="NAME", help=_("Remove a participant."))
@click.option("--default-agenda", is_flag=True, help=_("Replace the agenda with the default 1.5-day agenda."))
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
    doc = find_workshop(store, ref)
    changes: Doc = {k: v for k, v in values.items() if v is not None and k not in ("start", "end")}
    for key in ("start", "end"):
        if values[key] is not None:
            changes[key] = rules.validate_when(values[key], key, _("Start") if key == "start" else _("End"))
    changes.update(_vote_fields(budget, per_card, votes_hidden))
    if participants or removed:
        people = [dict(p) for p in doc.get("participants") or []]
        names = [p["name"].casefold() for p in people]
        for name in removed:
            if name.strip().casefold() not in names:
                message = _("No participant {name!r} in {title!r}.").format(name=name, title=doc.get("title", ""))
                raise ValidationError("participants", message)
        people = [p for p in people if p["name"].casefold() not in {n.strip().casefold() for n in removed}]
        for text in participants:
            person = rules.parse_participant(text)
            people = [p for p in people if p["name"].casefold() != person["name"].casefold()] + [person]
        changes["participants"] = people
    if default_agenda:
        changes["agenda"] = rules.default_agenda()
    if not changes:
        raise click.UsageError(_("Nothing to change: give at least one option, e.g. --title or --participant."))
    new = store.update_workshop(doc["id"], changes)
    message = _("Changed workshop {id} {title!r}: {fields}.")
    echo(message.format(id=short_id(new["id"]), title=new["title"], fields=field_labels(changes)))


# facilitation from the command line
@workshop.command("timer", help=_("Drive the agenda timer of WORKSHOP (everyone with the file sees the same)."))
@click.argument("ref", metavar="WORKSHOP")
@click.argument("action", type=click.Choice(["start", "pause", "next", "prev", "extend", "reset", "status"]))
@click.option("--minutes", type=click.IntRange(1, 120), default=rules.EXTEND_MINUTES, help=_("For extend (default 5)."))
@pass_store
def timer(store: Any, ref: str, action: str, minutes: int) -> None:
    doc = find_workshop(store, ref)
    if action != "status":
        doc = store.timer(doc["id"], action, rules.utc_now(), minutes if action == "extend" else None)
    view = rules.view(doc, rules.utc_now())
    if view.item is None:
        raise CliError(_("The agenda is empty: add an agenda item first."))
    state = _("running") if view.running else _("paused")
    behind = f", {view.schedule_note}" if view.schedule_note else ""
    echo(f"{view.index + 1}/{view.count} {view.item.get('title', '')}: {view.status}, {state}{behind}")


@workshop.command(
    "review",
    help=_("List the open commitments from the previous workshop, or mark CARD done, carry (over) or drop."),
)
@click.argument("ref", metavar="WORKSHOP")
@click.argument("card_ref", metavar="CARD", required=False)
@click.argument("outcome", type=click.Choice(followup.REVIEW_OUTCOMES), required=False)
@pass_store
def review(store: Any, ref: str, card_ref: str | None, outcome: str | None) -> None:
    doc = find_workshop(store, ref)
    if card_ref is None:
        cards = store.open_commitments(doc["id"])
        if not cards:
            echo(_("No open commitments from the previous workshop."))
        for card in cards:
            echo(f"{short_id(card['id'])}  {card.get('title', '')} ({_status(card)})")
        return
    if outcome is None:
        raise click.UsageError(_("Give the OUTCOME too: done, carry or drop."))
    card = store.review_commitment(card_ref, doc["id"], outcome)
    said = {"done": _("{title!r} marked done."), "carry": _("{title!r} carried over."), "drop": _("{title!r} dropped.")}
    echo(said[outcome].format(title=card["title"]))


@cli.command(
    "gaps", help=_("Gaps on ACCOUNT's board: unanswered challenges, sales pitches, incomplete support actions.")
)
@click.argument("account")
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_store
def gaps(store: Any, account: str, as_json: bool) -> None:
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
        echo(_("No gaps on the board of {account}.").format(account=acc.get("name", "")))
        return
    for kind in gap_rules.KINDS:
        group = [g for g in found if g.kind == kind]
        if group:
            echo(f"{gap_rules.HEADINGS[kind]} ({len(group)}):")
            for gap in group:
                echo(f"  {short_id(gap.card_id)}  {gap.title}: {gap.text}")


@cli.command(
    "present",
    help=_("Open the read-only presenter view of FILE for the projector; it follows the facilitator live.")
    + "\n\n"
    + _("Without --workshop it follows the workshop whose timer runs, else the latest that has started."),
)
@click.argument("file", required=False)
@click.option(
    "--workshop", "ref", default=None, metavar="WORKSHOP", help=_("Which workshop (default: the running one).")
)
@click.option("--account", default=None, metavar="NAME", help=_("Only this account's workshops."))
@board_options
def present(file: str | None, ref: str | None, account: str | None) -> None:
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
            raise CliError(
                _("No workshop in {board}: add one with `kamboard workshop add ACCOUNT`.").format(board=store.name)
            )
    from ..tui.screens.presenter import run_presenter

    run_presenter(store, doc["id"])
