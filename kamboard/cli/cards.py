"""`kamboard card ...`: add, list, show, edit, move, delete cards.

Card commands need an existing board (a card needs an account: `kamboard account add`
creates the file). CARD is a card id or a unique id prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from ..dates import parse_date
from ..i18n import _, format_date
from ..merge_state import MERGE_FIELDS
from ..model import CARD_FIELDS, LANE_TITLES, LANES, SIDES, STATUSES, field_labels
from .base import cli, echo, echo_json, echo_table, pass_store, short_id

_LANE_ALIASES = {"topics": "topic", "challenges": "challenge", "supports": "support", "actions": "support"}
# Order of keys in --json output; any other field follows.
_JSON_FIRST = ("id", "account", "account_id", "lane", "title", "position")


def lane_name(value: str) -> str:
    """A lane as the user may type it (Topics, challenges, ...) -> its stored name."""
    key = value.strip().casefold()
    return _LANE_ALIASES.get(key, key)


def _due(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--due as people type it (kamboard.dates), as YYYY-MM-DD."""
    return None if value is None else parse_date(value, dt.date.today())


def card_fields(func: Callable[..., Any]) -> Callable[..., Any]:
    """The optional card fields shared by `card add` and `card edit` (None: not given)."""
    options = [
        click.option("--notes", default=None, help=_("Free notes (multi-line).")),
        click.option("--tag", "tags", multiple=True, metavar="TAG", help=_("A tag (repeatable; replaces the tags).")),
        click.option("--owner", default=None, metavar="NAME", help=_("Who follows up this support action.")),
        click.option("--side", default=None, metavar="|".join(SIDES), help=_("Whose side the owner is on.")),
        click.option(
            "--due",
            default=None,
            metavar="DATE",
            callback=_due,
            help=_(
                "Due date: 2026-12-14, 14.12.2026, 14.12. (the next one), +14 (days), +2w, fri, today; "
                "stored as YYYY-MM-DD ('' clears)."
            ),
        ),
        click.option(
            "--status",
            default=None,
            metavar="STATUS",
            help=_("One of {statuses}.").format(statuses=", ".join(STATUSES)),
        ),
        click.option("--customer-benefit", default=None, metavar="TEXT", help=_("Value for the customer.")),
        click.option("--our-benefit", default=None, metavar="TEXT", help=_("Value for us.")),
        click.option(
            "--link",
            "links",
            multiple=True,
            metavar="CARD",
            help=_("A card this one answers (id or prefix; repeatable; replaces the links; '' clears)."),
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _changes(store: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The card fields the user gave, with link prefixes resolved to ids."""
    changes = {k: v for k, v in values.items() if k in CARD_FIELDS and v is not None and k not in ("tags", "links")}
    if values.get("tags"):
        changes["tags"] = [t for t in values["tags"] if t.strip()]
    if values.get("links"):
        changes["links"] = [store.card(ref)["id"] for ref in values["links"] if ref.strip()]
    return changes


def card_json(card: dict[str, Any], account_name: str) -> dict[str, Any]:
    out = {"id": card.get("id"), "account": account_name}
    out.update({k: card.get(k) for k in _JSON_FIRST if k not in out})
    out.update({k: v for k, v in sorted(card.items()) if k not in out and k not in MERGE_FIELDS})
    return out


json_option = click.option("--json", "as_json", is_flag=True, help=_("Print the card as JSON."))


def _done(store: Any, doc: dict[str, Any], as_json: bool, message: str) -> None:
    """Report a changed card: as JSON (for scripts) or as a sentence."""
    if as_json:
        echo_json(card_json(doc, _account_names(store).get(doc.get("account_id", ""), "")))
    else:
        echo(message)


def _account_names(store: Any) -> dict[str, str]:
    return {a["id"]: a.get("name", "") for a in store.accounts(include_archived=True)}


@cli.group("card", help=_("Cards in an account's lanes (topic, challenge, support)."))
def card() -> None:
    pass


@card.command("add", help=_("Add a card TITLE to ACCOUNT's LANE (topic, challenge or support)."))
@click.argument("account")
@click.argument("lane")
@click.argument("title")
@card_fields
@json_option
@pass_store
def add(store: Any, account: str, lane: str, title: str, as_json: bool, **values: Any) -> None:
    doc = store.add_card(account, lane_name(lane), title, **_changes(store, values))
    message = _("Added card {id} {title!r} to {lane}.")
    _done(
        store, doc, as_json, message.format(id=short_id(doc["id"]), title=doc["title"], lane=LANE_TITLES[doc["lane"]])
    )


@card.command("list", help=_("List cards, ordered by account, lane and position."))
@click.argument("account", required=False)
@click.option("--lane", default=None, metavar="LANE", help=_("Only this lane (topic, challenge, support)."))
@click.option("--all", "include_archived", is_flag=True, help=_("Include the cards of archived accounts."))
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_store
def list_(store: Any, account: str | None, lane: str | None, include_archived: bool, as_json: bool) -> None:
    if lane is not None:
        from ..model import validate_lane

        lane = validate_lane(lane_name(lane))
    accounts = [store.account(account)] if account else store.accounts(include_archived=include_archived)
    order = {name: i for i, name in enumerate(LANES)}
    wanted = {a["id"]: a.get("name", "") for a in accounts}
    cards = [c for c in store.cards(lane=lane) if c.get("account_id") in wanted]
    cards.sort(
        key=lambda c: (
            wanted[c["account_id"]].casefold(),
            c["account_id"],
            order.get(c.get("lane"), 9),
            c.get("position", 0),
        )
    )
    if as_json:
        echo_json([card_json(c, wanted[c["account_id"]]) for c in cards])
        return
    if not cards:
        echo(_("No cards."))
        return
    rows = [
        (
            short_id(c["id"]),
            wanted[c["account_id"]],
            c.get("lane", ""),
            c.get("title", ""),
            c.get("owner", ""),
            format_date(c.get("due") or ""),
            c.get("status", ""),
        )
        for c in cards
    ]
    headers = (_("ID"), _("ACCOUNT"), _("LANE"), _("TITLE"), _("OWNER"), _("DUE"), _("STATUS"))
    echo_table(headers, rows, widths={1: 28, 3: 60, 4: 20})


@card.command("show", help=_("Show every field of CARD (id or unique id prefix)."))
@click.argument("card_ref", metavar="CARD")
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_store
def show(store: Any, card_ref: str, as_json: bool) -> None:
    doc = store.card(card_ref)
    names = _account_names(store)
    account_name = names.get(doc.get("account_id", ""), "")
    if as_json:
        echo_json(card_json(doc, account_name))
        return
    echo(doc.get("title", ""))
    changed = _("{at} by {by} (rev {rev})").format(
        at=doc.get("updated_at", ""), by=doc.get("updated_by", ""), rev=doc.get("rev", "")
    )
    lines = [
        (_("id:"), doc.get("id")),
        (_("account:"), account_name),
        (_("lane:"), LANE_TITLES.get(doc.get("lane", ""), doc.get("lane"))),
        (_("tags:"), ", ".join(doc.get("tags") or [])),
        (_("owner:"), doc.get("owner")),
        (_("side:"), doc.get("side")),
        (_("due:"), format_date(str(doc.get("due") or ""))),
        (_("status:"), doc.get("status")),
        (_("customer benefit:"), doc.get("customer_benefit")),
        (_("our benefit:"), doc.get("our_benefit")),
        (_("votes:"), doc.get("votes") or ""),
        (_("changed:"), changed),
    ]
    answers, answered_by = _("answers:"), _("answered by:")
    # 18 columns as in English; a longer (translated) label widens the column for all
    width = max(18, *(len(label) + 1 for label in (*(label for label, _value in lines), answers, answered_by)))
    for label, value in lines:
        if value not in (None, ""):
            echo(f"  {label:<{width}}{value}")
    for link in doc.get("links") or []:
        try:
            target = store.card(link)
            echo(f"  {answers:<{width}}{short_id(link)} {target.get('title', '')} ({target.get('lane', '')})")
        except Exception:
            missing = _("(missing card)")
            echo(f"  {answers:<{width}}{short_id(link)} {missing}")
    for other in store.cards():
        if doc["id"] in (other.get("links") or []):
            echo(f"  {answered_by:<{width}}{short_id(other['id'])} {other.get('title', '')} ({other.get('lane', '')})")
    if doc.get("notes"):
        echo("")
        for line in str(doc["notes"]).splitlines():
            echo(f"  {line}")


@card.command("edit", help=_("Change fields of CARD; only the options given change."))
@click.argument("card_ref", metavar="CARD")
@click.option("--title", default=None, help=_("New title (one line)."))
@card_fields
@json_option
@pass_store
def edit(store: Any, card_ref: str, title: str | None, as_json: bool, **values: Any) -> None:
    doc = store.card(card_ref)
    changes = _changes(store, values)
    if title is not None:
        changes["title"] = title
    if not changes:
        raise click.UsageError(_("Nothing to change: give at least one option, e.g. --title or --status."))
    new = store.update_card(doc["id"], changes)
    message = _("Changed card {id} {title!r}: {fields}.")
    _done(store, new, as_json, message.format(id=short_id(new["id"]), title=new["title"], fields=field_labels(changes)))


@card.command("move", help=_("Move CARD to LANE (topic, challenge, support), at the end or at --position N."))
@click.argument("card_ref", metavar="CARD")
@click.argument("lane")
@click.option(
    "--position",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help=_("Place it Nth in the lane (1 = top; default: the end)."),
)
@json_option
@pass_store
def move(store: Any, card_ref: str, lane: str, position: int | None, as_json: bool) -> None:
    doc = store.move_card(card_ref, lane_name(lane), None if position is None else position - 1)
    message = _("Moved card {id} {title!r} to {lane}.")
    _done(
        store, doc, as_json, message.format(id=short_id(doc["id"]), title=doc["title"], lane=LANE_TITLES[doc["lane"]])
    )


@card.command("delete", help=_("Delete CARD (and the links other cards have to it)."))
@click.argument("card_ref", metavar="CARD")
@pass_store
def delete(store: Any, card_ref: str) -> None:
    doc = store.delete_card(card_ref)
    echo(_("Deleted card {id} {title!r}.").format(id=short_id(doc["id"]), title=doc["title"]))
