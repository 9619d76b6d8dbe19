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
from .i18n import N_, _, ngettext
from .reports import EXPORT_VERSION
from .store import BoardStore

Doc = dict[str, Any]


_KINDS = {"account": N_("account"), "card": N_("card"), "workshop": N_("workshop")}
_ID_OF = {  # a record holding the id of another kind of record on the board
    "account": N_("{record} has the id of an account on the board"),
    "card": N_("{record} has the id of a card on the board"),
    "workshop": N_("{record} has the id of a workshop on the board"),
}
_ID_OF_OTHER = {
    "card": N_("{record} has the id of a card of another account"),
    "workshop": N_("{record} has the id of a workshop of another account"),
}


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
        """What was imported, as the user reads it (in the language of the moment)."""
        name = self.account.get("name", "")
        if not self.changed:
            return _("{name!r} is already in {board} as in the file: nothing to import.").format(name=name, board=board)
        what = [_("the account")] if self.account_added else []
        what.append(ngettext("{n} card", "{n} cards", self.cards_added).format(n=self.cards_added))
        what.append(ngettext("{n} workshop", "{n} workshops", self.workshops_added).format(n=self.workshops_added))
        kept = _(" ({n} already there)").format(n=self.unchanged) if self.unchanged else ""
        return _("Imported {records} of {name!r} into {board}{kept}.").format(
            records=", ".join(what), name=name, board=board, kept=kept
        )

    def log_summary(self, board: str) -> str:
        """:meth:`summary` in English, as the activity log stores it."""
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


def parse_export(text: str | bytes, source: str | None = None) -> Doc:
    """Parse and check an export; raises TransferError with a one-line message."""
    source = source or _("the file")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TransferError(
                _("{source} is not UTF-8 text; is it a kamboard JSON export?").format(source=source)
            ) from None
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise TransferError(
            _("{source} is not valid JSON (line {line}, column {column}: {reason}).").format(
                source=source, line=exc.lineno, column=exc.colno, reason=exc.msg
            )
        ) from None
    hint = _("make one with `kamboard export ACCOUNT --format json`")
    if not isinstance(data, dict) or "kamboard_export" not in data:
        raise TransferError(
            _("{source} is not a kamboard account export (no 'kamboard_export' key); {hint}.").format(
                source=source, hint=hint
            )
        )
    version = data["kamboard_export"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError(
            _("{source} has an invalid export version {version!r}; {hint}.").format(
                source=source, version=version, hint=hint
            )
        )
    if version > EXPORT_VERSION:
        raise TransferError(
            _(
                "{source} was exported by a newer kamboard (format {version}; this one reads {known}): upgrade kamboard."
            ).format(source=source, version=version, known=EXPORT_VERSION)
        )
    account = data.get("account")
    if not isinstance(account, dict) or not _good_id(account.get("id")):
        raise TransferError(
            _("{source}: 'account' must be a record with an 'id'; {hint}.").format(source=source, hint=hint)
        )
    _check(source, _("account"), lambda: model.validate_title(account.get("name"), "name", _("Account name")))
    for table in ("cards", "workshops"):
        records = data.get(table, [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TransferError(_("{source}: {table!r} must be a list of records.").format(source=source, table=table))
    seen: set[str] = {account["id"]}
    for table in ("cards", "workshops"):
        for i, doc in enumerate(data.get(table, [])):
            where = (_("card {n}") if table == "cards" else _("workshop {n}")).format(n=i + 1)
            if not _good_id(doc.get("id")):
                raise TransferError(_("{source}: {where} has no valid 'id'.").format(source=source, where=where))
            if doc["id"] in seen:
                raise TransferError(_("{source}: id {id} occurs twice.").format(source=source, id=doc["id"]))
            seen.add(doc["id"])
            if doc.get("account_id") != account["id"]:
                raise TransferError(
                    _("{source}: {where} ({title!r}) belongs to another account.").format(
                        source=source, where=where, title=doc.get("title", "")
                    )
                )
            if table == "cards":
                _check_card(source, where, doc)
            else:
                _check_workshop(source, where, doc)
            _check_shape(source, where, table, doc)
    _check_shape(source, _("account"), "accounts", account)
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
        raise TransferError(
            _("{source}: {where}: votes must be a whole number of at least 0.").format(source=source, where=where)
        )
    position = doc.get("position", 0)
    if not isinstance(position, int | float) or isinstance(position, bool):
        raise TransferError(_("{source}: {where}: position must be a number.").format(source=source, where=where))


def _check_workshop(source: str, where: str, doc: Doc) -> None:
    fields = {k: doc[k] for k in ws_rules.WORKSHOP_FIELDS if k in doc}
    fields.setdefault("title", doc.get("title"))
    _check(source, where, lambda: ws_rules.validate_workshop_fields(fields))


def plan_import(store: BoardStore, data: Doc, source: str | None = None) -> ImportResult:
    """What importing ``data`` (from :func:`parse_export`) would add; raises TransferError on conflicts."""
    source = source or _("the file")
    account = data["account"]
    board = store.name
    existing: dict[str, tuple[str, Doc]] = {}
    for a in store.accounts(include_archived=True):
        existing[a["id"]] = ("account", a)
        if a["id"] != account["id"] and str(a.get("name", "")).casefold() == str(account["name"]).strip().casefold():
            raise TransferError(
                _(
                    "{board} already has another account named {name!r} (id {id}, the file's is {file_id}): "
                    "rename one of them, then import again. Nothing was imported."
                ).format(board=board, name=a["name"], id=a["id"][:8], file_id=account["id"][:8])
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
            label = f"{_(_KINDS[kind])} {doc.get('name', doc.get('title', ''))!r}"
            found = existing.get(doc["id"])
            if found is None:
                result.new_records[table].append(doc)
            elif found[0] != kind:
                conflicts.append(_(_ID_OF[found[0]]).format(record=label))
            elif kind != "account" and found[1].get("account_id") != account["id"]:
                conflicts.append(_(_ID_OF_OTHER[kind]).format(record=label))
            elif found[1] != doc:
                changed = sorted(k for k in set(doc) | set(found[1]) if doc.get(k) != found[1].get(k))
                changed = [k for k in changed if k not in ("_v", "_conflicts")] or changed  # change stamps: noise
                conflicts.append(f"{label} ({', '.join(changed[:5])})")
            else:
                result.unchanged += 1
    if conflicts:
        more = _(" and {n} more").format(n=len(conflicts) - 3) if len(conflicts) > 3 else ""
        raise TransferError(
            _(
                "Cannot import {source} into {board}: {n} record(s) there differ from the file: "
                "{records}{more}. Nothing was imported."
            ).format(source=source, board=board, n=len(conflicts), records="; ".join(conflicts[:3]), more=more)
        )
    known = set(existing) | {c["id"] for c in data["cards"]}
    for card in data["cards"]:
        for link in card.get("links", []) or []:
            if link not in known:
                raise TransferError(
                    _(
                        "{source}: card {title!r} links to card {link}, which is in neither the file nor {board}."
                    ).format(source=source, title=card.get("title", ""), link=link, board=board)
                )
    result.account_added = bool(result.new_records["accounts"])
    result.cards_added = len(result.new_records["cards"])
    result.workshops_added = len(result.new_records["workshops"])
    return result


def import_account(store: BoardStore, data: Doc, source: str | None = None) -> ImportResult:
    """Import a parsed export into ``store``; writes nothing when everything is already there."""
    source = source or _("the file")
    result = plan_import(store, data, source)
    if result.changed:
        records = {table: docs for table, docs in result.new_records.items() if docs}
        try:
            store.insert_records(records, data["account"], result.log_summary(store.name))
        except model.ValidationError as exc:  # someone added the same ids meanwhile
            raise TransferError(
                _("Cannot import {source}: {reason} Nothing was imported.").format(source=source, reason=exc.message)
            ) from None
    return result
