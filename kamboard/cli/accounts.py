"""`kamboard account ...`: add, list, rename, archive key accounts."""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from ..model import validate_text, validate_title
from .base import board_options, cli, echo, echo_json, echo_table, open_store, pass_store, short_id


@cli.group("account")
def account() -> None:
    """Key accounts: add, list, rename, archive."""


@account.command("add")
@click.argument("name")
@click.option("--owner", default="", metavar="NAME", help="Key account manager.")
@click.option("--notes", default="", help="Free notes.")
@board_options
def add(name: str, owner: str, notes: str) -> None:
    """Add a key account NAME (creates the board file if needed; its folder must exist)."""
    # Validate first, so a bad name never leaves a new empty board file behind.
    name = validate_title(name, "name", "Account name")
    owner = validate_text(owner, "owner", "Owner", multiline=False)
    store = open_store(create=True)
    doc = store.add_account(name, owner=owner, notes=notes)
    echo(f"Added account {doc['name']!r} ({short_id(doc['id'])}) to {store.name}.")


@account.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--all", "include_archived", is_flag=True, help="Include archived accounts.")
@pass_store
def list_(store: Any, as_json: bool, include_archived: bool) -> None:
    """List key accounts with their key figures."""
    summaries = store.summaries(include_archived=include_archived)
    if as_json:
        echo_json([dataclasses.asdict(s) for s in summaries])
        return
    if not summaries:
        echo(f"No accounts in {store.name}; add one with `kamboard account add NAME`.")
        return
    rows = [
        (
            s.name + (" (archived)" if s.archived else ""),
            s.owner,
            s.counts.get("topic", 0),
            s.counts.get("challenge", 0),
            s.counts.get("support", 0),
            s.open_actions,
            s.overdue_actions,
            s.last_workshop or "-",
            short_id(s.id),
        )
        for s in summaries
    ]
    headers = ("ACCOUNT", "OWNER", "TOPICS", "CHALLENGES", "SUPPORT", "OPEN", "OVERDUE", "LAST WORKSHOP", "ID")
    echo_table(headers, rows, widths={0: 40, 1: 24})


@account.command("rename")
@click.argument("old")
@click.argument("new")
@pass_store
def rename(store: Any, old: str, new: str) -> None:
    """Rename account OLD (name or id) to NEW."""
    before = store.account(old)
    doc = store.rename_account(before["id"], new)
    echo(f"Renamed account {before['name']!r} to {doc['name']!r}.")


@account.command("archive")
@click.argument("name")
@click.option("--undo", is_flag=True, help="Bring an archived account back.")
@pass_store
def archive(store: Any, name: str, undo: bool) -> None:
    """Archive account NAME (hidden from lists; nothing is deleted)."""
    doc = store.archive_account(store.account(name)["id"], archived=not undo)
    echo(f"{'Restored' if undo else 'Archived'} account {doc['name']!r}.")
