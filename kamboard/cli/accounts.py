"""`kamboard account ...`: add, list, rename, archive key accounts."""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from ..i18n import N_, _, format_date
from ..model import validate_text, validate_title
from .base import board_options, cli, echo, echo_json, echo_table, open_store, pass_store, short_id


@cli.group("account", help=_("Key accounts: add, list, rename, archive."))
def account() -> None:
    pass


@account.command("add", help=_("Add a key account NAME (creates the board file if needed; its folder must exist)."))
@click.argument("name")
@click.option("--owner", default="", metavar="NAME", help=_("Key account manager."))
@click.option("--notes", default="", help=_("Free notes."))
@board_options
def add(name: str, owner: str, notes: str) -> None:
    # Validate first, so a bad name never leaves a new empty board file behind.
    name = validate_title(name, "name", N_("Account name"))
    owner = validate_text(owner, "owner", N_("Owner"), multiline=False)
    store = open_store(create=True)
    doc = store.add_account(name, owner=owner, notes=notes)
    echo(
        _("Added account {name!r} ({id}) to {board}.").format(
            name=doc["name"], id=short_id(doc["id"]), board=store.name
        )
    )


@account.command("list", help=_("List key accounts with their key figures."))
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@click.option("--all", "include_archived", is_flag=True, help=_("Include archived accounts."))
@pass_store
def list_(store: Any, as_json: bool, include_archived: bool) -> None:
    summaries = store.summaries(include_archived=include_archived)
    if as_json:
        echo_json([dataclasses.asdict(s) for s in summaries])
        return
    if not summaries:
        echo(_("No accounts in {board}; add one with `kamboard account add NAME`.").format(board=store.name))
        return
    rows = [
        (
            s.name + (_(" (archived)") if s.archived else ""),
            s.owner,
            s.counts.get("topic", 0),
            s.counts.get("challenge", 0),
            s.counts.get("support", 0),
            s.open_actions,
            s.overdue_actions,
            format_date(s.last_workshop) if s.last_workshop else "-",
            short_id(s.id),
        )
        for s in summaries
    ]
    headers = (
        _("ACCOUNT"),
        _("OWNER"),
        _("TOPICS"),
        _("CHALLENGES"),
        _("SUPPORT"),
        _("OPEN"),
        _("OVERDUE"),
        _("LAST WORKSHOP"),
        _("ID"),
    )
    echo_table(headers, rows, widths={0: 40, 1: 24})


@account.command("rename", help=_("Rename account OLD (name or id) to NEW."))
@click.argument("old")
@click.argument("new")
@pass_store
def rename(store: Any, old: str, new: str) -> None:
    before = store.account(old)
    doc = store.rename_account(before["id"], new)
    echo(_("Renamed account {old!r} to {new!r}.").format(old=before["name"], new=doc["name"]))


@account.command("archive", help=_("Archive account NAME (hidden from lists; nothing is deleted)."))
@click.argument("name")
@click.option("--undo", is_flag=True, help=_("Bring an archived account back."))
@pass_store
def archive(store: Any, name: str, undo: bool) -> None:
    doc = store.archive_account(store.account(name)["id"], archived=not undo)
    message = _("Restored account {name!r}.") if undo else _("Archived account {name!r}.")
    echo(message.format(name=doc["name"]))
