"""Import of an account export (see :func:`kamboard.reports.account_export`) into a board.

Records keep their ids, revs and timestamps, so the same account can live on two boards
and be imported again: a record already there unchanged is skipped (importing the same
file twice changes nothing); a record there with different content, an id used by
another kind of record, or another account with the same name is a conflict, and then
nothing is imported. All checks run before the one write, which is all or nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import model, records
from . import workshop as ws_rules
from .errors import BoardError
from .reports import EXPORT_VERSION
from .store import BoardStore

Doc = dict[str, Any]


class TransferError(BoardError):
    """The file cannot be imported; ``str()`` is a one-line message."""


@dataclass
class ImportResult:
    account: Doc
    account_added: bool = False
    cards_added: int = 0
    workshops_added: int = 0
    unchanged: int = 0
    new_records: dict[str, list[Doc]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.account_added or bool(self.cards_added or self.workshops_added)

    def summary(self, board: str) -> str:
        name = self.account.get("name", "")
        if not self.changed:
            return f"{name!r} is already in {board} as in the file: nothing to import."
        what = []
        if self.account_added:
            what.append("the account")
        what.append(f"{self.cards_added} card{'s' if self.cards_added != 1 else ''}")
        what.append(f"{self.workshops_added} workshop{'s' if self.workshops_added != 1 else ''}")
        kept = f" ({self.unchanged} already there)" if self.unchanged else ""
        return f"Imported {', '.join(what)} of {name!r} into {board}{kept}."


def parse_export(text: str | bytes, source: str = "the file") -> Doc:
    """Parse and check an export; raises TransferError with a one-line message."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TransferError(f"{source} is not UTF-8 text; is it a kamboard JSON export?") from None
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise TransferError(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    hint = "make one with `kamboard export ACCOUNT --format json`"
    if not isinstance(data, dict) or "kamboard_export" not in data:
        raise TransferError(f"{source} is not a kamboard account export (no 'kamboard_export' key); {hint}.")
    version = data["kamboard_export"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError(f"{source} has an invalid export version {version!r}; {hint}.")
    if version > EXPORT_VERSION:
        raise TransferError(
            f"{source} was exported by a newer kamboard (format {version}; this one reads {EXPORT_VERSION}): upgrade kamboard."
        )
    account = data.get("account")
    if not isinstance(account, dict) or not _good_id(account.get("id")):
        raise TransferError(f"{source}: 'account' must be a record with an 'id'; {hint}.")
    _check(source, "account", lambda: model.validate_title(account.get("name"), "name", "Account name"))
    for table in ("cards", "workshops"):
        records = data.get(table, [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TransferError(f"{source}: {table!r} must be a list of records.")
    seen: set[str] = {account["id"]}
    for table in ("cards", "workshops"):
        for i, doc in enumerate(data.get(table, [])):
            where = f"{table[:-1]} {i + 1}"
            if not _good_id(doc.get("id")):
                raise TransferError(f"{source}: {where} has no valid 'id'.")
            if doc["id"] in seen:
                raise TransferError(f"{source}: id {doc['id']} occurs twice.")
            seen.add(doc["id"])
            if doc.get("account_id") != account["id"]:
                raise TransferError(f"{source}: {where} ({doc.get('title', '')!r}) belongs to another account.")
            if table == "cards":
                _check_card(source, where, doc)
            else:
                _check_workshop(source, where, doc)
            _check_shape(source, where, table, doc)
    _check_shape(source, "account", "accounts", account)
    data.setdefault("cards", [])
    data.setdefault("workshops", [])
    return data


def _good_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64 and value.isprintable() and " " not in value


def _check(source: str, where: str, fn: Any) -> None:
    try:
        fn()
    except model.ValidationError as exc:
        raise TransferError(f"{source}: {where}: {exc.message}") from None


def _check_shape(source: str, where: str, table: str, doc: Doc) -> None:
    """Each field of the type a board needs: never import what the store would then refuse to read."""
    problems = records.record_problems(table, doc)
    if problems:
        raise TransferError(f"{source}: {where}: {problems[0]}.")


def _check_card(source: str, where: str, doc: Doc) -> None:
    _check(source, where, lambda: model.validate_lane(doc.get("lane")))
    fields = {k: doc[k] for k in model.CARD_FIELDS if k in doc}
    fields.setdefault("title", doc.get("title"))
    _check(source, where, lambda: model.validate_card_fields(fields))
    votes = doc.get("votes", 0)
    if not isinstance(votes, int) or isinstance(votes, bool) or votes < 0:
        raise TransferError(f"{source}: {where}: votes must be a whole number of at least 0.")
    position = doc.get("position", 0)
    if not isinstance(position, int | float) or isinstance(position, bool):
        raise TransferError(f"{source}: {where}: position must be a number.")


def _check_workshop(source: str, where: str, doc: Doc) -> None:
    fields = {k: doc[k] for k in ws_rules.WORKSHOP_FIELDS if k in doc}
    fields.setdefault("title", doc.get("title"))
    _check(source, where, lambda: ws_rules.validate_workshop_fields(fields))


def plan_import(store: BoardStore, data: Doc, source: str = "the file") -> ImportResult:
    """What importing ``data`` (from :func:`parse_export`) would add; raises TransferError on conflicts."""
    account = data["account"]
    board = store.name
    existing: dict[str, tuple[str, Doc]] = {}
    for a in store.accounts(include_archived=True):
        existing[a["id"]] = ("account", a)
        if a["id"] != account["id"] and str(a.get("name", "")).casefold() == str(account["name"]).strip().casefold():
            raise TransferError(
                f"{board} already has another account named {a['name']!r} (id {a['id'][:8]}, the file's is "
                f"{account['id'][:8]}): rename one of them, then import again. Nothing was imported."
            )
    existing.update((c["id"], ("card", c)) for c in store.cards())
    existing.update((w["id"], ("workshop", w)) for w in store.workshops())
    result = ImportResult(account=account, new_records={"accounts": [], "cards": [], "workshops": []})
    conflicts: list[str] = []
    for kind, table, docs in (
        ("account", "accounts", [account]),
        ("card", "cards", data["cards"]),
        ("workshop", "workshops", data["workshops"]),
    ):
        for doc in docs:
            label = f"{kind} {doc.get('name', doc.get('title', ''))!r}"
            found = existing.get(doc["id"])
            if found is None:
                result.new_records[table].append(doc)
            elif found[0] != kind:
                conflicts.append(
                    f"{label} has the id of {'an' if found[0][0] in 'aeiou' else 'a'} {found[0]} on the board"
                )
            elif kind != "account" and found[1].get("account_id") != account["id"]:
                conflicts.append(f"{label} has the id of a {kind} of another account")
            elif found[1] != doc:
                changed = sorted(k for k in set(doc) | set(found[1]) if doc.get(k) != found[1].get(k))
                changed = [k for k in changed if k not in ("_v", "_conflicts")] or changed  # change stamps: noise
                conflicts.append(f"{label} ({', '.join(changed[:5])})")
            else:
                result.unchanged += 1
    if conflicts:
        more = f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else ""
        raise TransferError(
            f"Cannot import {source} into {board}: {len(conflicts)} record(s) there differ from the file: "
            f"{'; '.join(conflicts[:3])}{more}. Nothing was imported."
        )
    known = set(existing) | {c["id"] for c in data["cards"]}
    for card in data["cards"]:
        for link in card.get("links", []) or []:
            if link not in known:
                raise TransferError(
                    f"{source}: card {card.get('title', '')!r} links to card {link}, which is in neither the file nor {board}."
                )
    result.account_added = bool(result.new_records["accounts"])
    result.cards_added = len(result.new_records["cards"])
    result.workshops_added = len(result.new_records["workshops"])
    return result


def import_account(store: BoardStore, data: Doc, source: str = "the file") -> ImportResult:
    """Import a parsed export into ``store``; writes nothing when everything is already there."""
    result = plan_import(store, data, source)
    if result.changed:
        records = {table: docs for table, docs in result.new_records.items() if docs}
        try:
            store.insert_records(records, data["account"], result.summary(store.name))
        except model.ValidationError as exc:  # someone added the same ids meanwhile
            raise TransferError(f"Cannot import {source}: {exc.message} Nothing was imported.") from None
    return result
