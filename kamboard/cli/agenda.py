"""`kamboard workshop agenda ...` (add, edit, move, remove): the agenda items of a workshop.

WORKSHOP is as for `kamboard workshop` (id, id prefix or title); an agenda ITEM is its number in
the agenda (1 = first) or its id. The workshop group loads this module when `agenda` runs
(``SUBCOMMAND_MODULES`` in cli/workshop.py).
"""

from __future__ import annotations

from typing import Any

import click

from .. import agenda as agenda_rules
from .. import workshop as rules
from ..i18n import _
from ..model import field_labels
from .base import echo, pass_store
from .workshop import Doc, find_workshop, workshop

DAY = click.IntRange(1, agenda_rules.MAX_DAYS)  # a workshop day


def _lane(value: str | None) -> str | None:
    """'' (general), a lane, or a lane as typed (Topics, general, -)."""
    if value is None:
        return None
    key = value.strip().casefold()
    if key in ("", "-", "general", "none"):
        return ""
    return {"topics": "topic", "challenges": "challenge", "actions": "support"}.get(key, key)


@workshop.group("agenda", help=_("Agenda items of a workshop: add, edit, move, remove."))
def agenda() -> None:
    pass


@agenda.command(
    "add", help=_("Add an agenda item TITLE to WORKSHOP (at the end, or at --at N; --day puts it on a day).")
)
@click.argument("ref", metavar="WORKSHOP")
@click.argument("title")
@click.option("--lane", default="", metavar="LANE", help=_("topic, challenge, support, or general (default)."))
@click.option("--minutes", default="30", metavar="N", help=_("Timebox in minutes (default 30)."))
@click.option("--at", "position", type=click.IntRange(min=1), default=None, metavar="N", help=_("Make it item N."))
@click.option("--day", type=DAY, default=None, metavar="N", help=_("On workshop day N (default: the item before's)."))
@pass_store
def agenda_add(
    store: Any, ref: str, title: str, lane: str, minutes: str, position: int | None, day: int | None
) -> None:
    doc = find_workshop(store, ref)
    index = None if position is None else position - 1
    item = store.add_agenda_item(doc["id"], title, _lane(lane) or "", minutes, index, day)
    message = _("Added agenda item {title!r} ({minutes} min, day {day}) to {workshop!r}.")
    echo(message.format(title=item["title"], minutes=item["minutes"], day=item["day"], workshop=doc["title"]))
    _warn_days(store.workshop(doc["id"]))


def _warn_days(doc: Doc) -> None:
    """A day that runs past its end, said on stderr after a change."""
    for warning in agenda_rules.day_warnings(doc):
        click.echo(_("warning: {warning}").format(warning=warning), err=True)


@agenda.command("edit", help=_("Change agenda ITEM (its number or id) of WORKSHOP."))
@click.argument("ref", metavar="WORKSHOP")
@click.argument("item", metavar="ITEM")
@click.option("--title", default=None, help=_("New title."))
@click.option("--lane", default=None, metavar="LANE", help=_("topic, challenge, support, or general."))
@click.option("--minutes", default=None, metavar="N", help=_("New timebox in minutes."))
@click.option("--day", type=DAY, default=None, metavar="N", help=_("Move it to workshop day N."))
@click.option("--notes", default=None, help=_("Its notes or decisions ('' clears them)."))
@pass_store
def agenda_edit(store: Any, ref: str, item: str, **values: Any) -> None:
    doc = find_workshop(store, ref)
    changes = {k: v for k, v in {**values, "lane": _lane(values["lane"])}.items() if v is not None}
    if not changes:
        raise click.UsageError(_("Nothing to change: give --title, --lane, --minutes, --day or --notes."))
    new = store.update_agenda_item(doc["id"], item, **changes)
    echo(_("Changed agenda item {title!r}: {fields}.").format(title=new["title"], fields=field_labels(changes)))
    if "minutes" in changes or "day" in changes:
        _warn_days(store.workshop(doc["id"]))


@agenda.command("move", help=_("Move agenda ITEM of WORKSHOP to place N (1 = first)."))
@click.argument("ref", metavar="WORKSHOP")
@click.argument("item", metavar="ITEM")
@click.argument("position", type=click.IntRange(min=1), metavar="N")
@pass_store
def agenda_move(store: Any, ref: str, item: str, position: int) -> None:
    doc = find_workshop(store, ref)
    title = doc["agenda"][rules.find_item(doc.get("agenda") or [], item)]["title"]
    store.move_agenda_item(doc["id"], item, position - 1)
    echo(
        _("Moved agenda item {title!r} to place {place}.").format(title=title, place=min(position, len(doc["agenda"])))
    )


@agenda.command("remove", help=_("Remove agenda ITEM from WORKSHOP."))
@click.argument("ref", metavar="WORKSHOP")
@click.argument("item", metavar="ITEM")
@pass_store
def agenda_remove(store: Any, ref: str, item: str) -> None:
    doc = find_workshop(store, ref)
    old = store.delete_agenda_item(doc["id"], item)
    echo(_("Removed agenda item {title!r}.").format(title=old["title"]))
