"""`kamboard check`: find what is wrong with a board file, without changing it. No textual."""

from __future__ import annotations

import os
from typing import Any

import orjson

from . import model, records
from . import workshop as ws_rules
from .i18n import _
from .jsonparse import loads_checked
from .repair import duplicate_lines
from .storage import read_bytes

RECORD_TABLES = ("accounts", "cards", "workshops")


def check_board(path: str | os.PathLike[str]) -> list[str]:
    """Problems found in the board file at ``path``, one line each; [] when it is sound."""
    try:
        raw = read_bytes(path)  # refuses a FIFO or device (reading one would block)
    except OSError as exc:
        return [_("cannot read the file: {reason}").format(reason=exc.strerror or exc)]
    if not raw.strip():
        return [_("the file is empty")]
    try:
        data, found = loads_checked(raw)
    except orjson.JSONDecodeError as exc:
        where = records.utf8_error(raw) if "UTF-8" in str(exc) and "BOM" not in str(exc) else ""
        return [_("not valid JSON: {reason}").format(reason=where or exc)]
    if data is None:
        return [_("the file holds JSON null, not a board")]
    if not isinstance(data, dict):
        return [_("not a kamboard board: the top level is not a JSON object of tables")]
    problems = [
        _("table {name!r} is not an object of records").format(name=name)
        for name, t in data.items()
        if not isinstance(t, dict)
    ]
    if problems:
        return problems
    problems += duplicate_lines(raw, found, os.fspath(path))  # records hidden behind a key held twice
    metas = [d for d in data.get("meta", {}).values() if isinstance(d, dict) and "schema" in d]
    if not metas:
        return [_("not a kamboard board: no meta record with a schema version")]
    # every field of the wrong type or form (records.scan): what makes the store open read-only
    shape = records.scan(data)
    bad = {(p.table, p.key, p.field) for p in shape}
    problems += [
        _("{where}: field {field!r} {problem}").format(
            where=_where(p.table, p.key, data[p.table][p.key]), field=p.field, problem=p.message
        )
        for p in shape
    ]
    if type(metas[0]["schema"]) is int and metas[0]["schema"] > model.SCHEMA_VERSION:
        problems.append(
            _("meta: schema {schema} is newer than this kamboard ({known})").format(
                schema=metas[0]["schema"], known=model.SCHEMA_VERSION
            )
        )
    for name in RECORD_TABLES:
        if name not in data:
            problems.append(_("table {name!r} is missing").format(name=name))
    tables: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name in (*RECORD_TABLES, "events"):
        tables[name] = []
        for key, doc in data.get(name, {}).items():
            if not isinstance(doc, dict):
                problems.append(_("{name}[{key}]: not a record").format(name=name, key=key))
            else:
                tables[name].append((key, doc))
    problems += _check_ids(tables, bad)
    account_ids = {str(d.get("id")) for _, d in tables["accounts"]}
    card_ids = {str(d.get("id")) for _, d in tables["cards"]}
    problems += _check_accounts(tables["accounts"], bad)
    problems += _check_cards(tables["cards"], account_ids, card_ids, bad)
    problems += _check_workshops(tables["workshops"], account_ids, bad)
    return problems


Flagged = set[tuple[str, str, str]]  # (table, key, field) that records.scan reported already


def _where(table: str, key: str, doc: dict[str, Any]) -> str:
    label = doc.get("title") or doc.get("name")
    return f"{table}[{key}]" + (f" {str(label)[:40]!r}" if isinstance(label, str) and label else "")


def _missing_account() -> str:
    return _("{where}: points at missing account {id!r}")


def _check_ids(tables: dict[str, list[tuple[str, dict[str, Any]]]], bad: Flagged) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for table in RECORD_TABLES:
        for key, doc in tables[table]:
            record_id = doc.get("id")
            if (table, key, "id") in bad:
                continue
            if not isinstance(record_id, str) or not record_id:
                problems.append(_("{where}: missing id").format(where=_where(table, key, doc)))
                continue
            if record_id in seen:
                problems.append(
                    _("{where}: duplicate id {id} (also {other})").format(
                        where=_where(table, key, doc), id=record_id, other=seen[record_id]
                    )
                )
            else:
                seen[record_id] = f"{table}[{key}]"
    return problems


def _check_accounts(accounts: list[tuple[str, dict[str, Any]]], bad: Flagged) -> list[str]:
    problems = []
    names: dict[str, str] = {}
    for key, doc in accounts:
        where = _where("accounts", key, doc)
        if ("accounts", key, "name") in bad:
            continue
        try:
            name = model.validate_title(doc.get("name"), "name", _("Account name"))
            model.validate_text(doc.get("owner"), "owner", _("Owner"), multiline=False)
        except model.ValidationError as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        if name.casefold() in names:
            problems.append(
                _("{where}: duplicate account name (also {other})").format(where=where, other=names[name.casefold()])
            )
        names.setdefault(name.casefold(), f"accounts[{key}]")
    return problems


def _check_cards(
    cards: list[tuple[str, dict[str, Any]]], account_ids: set[str], card_ids: set[str], bad: Flagged
) -> list[str]:
    problems = []
    for key, doc in cards:
        where = _where("cards", key, doc)
        if ("cards", key, "account_id") not in bad and doc.get("account_id") not in account_ids:
            problems.append(_missing_account().format(where=where, id=doc.get("account_id")))
        for field in model.CARD_FIELDS:
            if field in doc and ("cards", key, field) not in bad:
                try:
                    model.validate_card_fields({field: doc[field]})
                except model.ValidationError as exc:
                    problems.append(f"{where}: {exc.message}")
        links = doc.get("links", [])
        if ("cards", key, "links") not in bad and isinstance(links, list):
            for link in links:
                if link not in card_ids:
                    problems.append(_("{where}: links to missing card {link!r}").format(where=where, link=link))
    return problems


def _check_workshops(workshops: list[tuple[str, dict[str, Any]]], account_ids: set[str], bad: Flagged) -> list[str]:
    problems = []
    for key, doc in workshops:
        where = _where("workshops", key, doc)
        if ("workshops", key, "account_id") not in bad and doc.get("account_id") not in account_ids:
            problems.append(_missing_account().format(where=where, id=doc.get("account_id")))
        if ("workshops", key, "title") not in bad:
            try:
                model.validate_title(doc.get("title"), "title", _("Workshop title"))
            except model.ValidationError as exc:
                problems.append(f"{where}: {exc.message}")
        for field in ("location", "participants"):
            if field in doc and ("workshops", key, field) not in bad:
                try:
                    ws_rules.validate_workshop_fields({field: doc[field]})
                except model.ValidationError as exc:
                    problems.append(f"{where}: {exc.message}")
    return problems


def counts(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(accounts, cards) in a board file that :func:`check_board` found sound."""
    with open(path, "rb") as handle:
        data = orjson.loads(handle.read())
    return len(data.get("accounts", {})), len(data.get("cards", {}))
