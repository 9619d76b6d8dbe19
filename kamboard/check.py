"""`kamboard check`: find what is wrong with a board file, without changing it. No textual."""

from __future__ import annotations

import os
from typing import Any

import orjson

from . import model

RECORD_TABLES = ("accounts", "cards", "workshops")


def check_board(path: str | os.PathLike[str]) -> list[str]:
    """Problems found in the board file at ``path``, one line each; [] when it is sound."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return [f"cannot read the file: {exc.strerror or exc}"]
    if not raw.strip():
        return ["the file is empty"]
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return [f"not valid JSON: {exc}"]
    if not isinstance(data, dict):
        return ["not a kamboard board: the top level is not a JSON object of tables"]
    problems = [f"table {name!r} is not an object of records" for name, t in data.items() if not isinstance(t, dict)]
    if problems:
        return problems
    metas = [d for d in data.get("meta", {}).values() if isinstance(d, dict) and "schema" in d]
    if not metas:
        return ["not a kamboard board: no meta record with a schema version"]
    if not isinstance(metas[0]["schema"], int):
        problems.append(f"meta: schema {metas[0]['schema']!r} is not a number")
    elif metas[0]["schema"] > model.SCHEMA_VERSION:
        problems.append(f"meta: schema {metas[0]['schema']} is newer than this kamboard ({model.SCHEMA_VERSION})")
    for name in RECORD_TABLES:
        if name not in data:
            problems.append(f"table {name!r} is missing")
    records: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name in (*RECORD_TABLES, "events"):
        records[name] = []
        for key, doc in data.get(name, {}).items():
            if not isinstance(doc, dict):
                problems.append(f"{name}[{key}]: not a record")
            else:
                records[name].append((key, doc))
    problems += _check_ids(records)
    account_ids = {str(d.get("id")) for _, d in records["accounts"]}
    card_ids = {str(d.get("id")) for _, d in records["cards"]}
    problems += _check_accounts(records["accounts"])
    problems += _check_cards(records["cards"], account_ids, card_ids)
    problems += _check_workshops(records["workshops"], account_ids)
    return problems


def _where(table: str, key: str, doc: dict[str, Any]) -> str:
    label = doc.get("title") or doc.get("name")
    return f"{table}[{key}]" + (f" {str(label)[:40]!r}" if isinstance(label, str) and label else "")


def _check_ids(records: dict[str, list[tuple[str, dict[str, Any]]]]) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for table in RECORD_TABLES:
        for key, doc in records[table]:
            record_id = doc.get("id")
            if not isinstance(record_id, str) or not record_id:
                problems.append(f"{_where(table, key, doc)}: missing id")
                continue
            if record_id in seen:
                problems.append(f"{_where(table, key, doc)}: duplicate id {record_id} (also {seen[record_id]})")
            else:
                seen[record_id] = f"{table}[{key}]"
    return problems


def _check_accounts(accounts: list[tuple[str, dict[str, Any]]]) -> list[str]:
    problems = []
    names: dict[str, str] = {}
    for key, doc in accounts:
        where = _where("accounts", key, doc)
        try:
            name = model.validate_title(doc.get("name"), "name", "Account name")
        except model.ValidationError as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        if name.casefold() in names:
            problems.append(f"{where}: duplicate account name (also {names[name.casefold()]})")
        names.setdefault(name.casefold(), f"accounts[{key}]")
    return problems


def _check_cards(cards: list[tuple[str, dict[str, Any]]], account_ids: set[str], card_ids: set[str]) -> list[str]:
    problems = []
    for key, doc in cards:
        where = _where("cards", key, doc)
        if doc.get("account_id") not in account_ids:
            problems.append(f"{where}: points at missing account {doc.get('account_id')!r}")
        try:
            model.validate_lane(doc.get("lane"))
        except model.ValidationError as exc:
            problems.append(f"{where}: {exc.message}")
        if "title" not in doc:
            problems.append(f"{where}: missing title")
        fields = {k: doc[k] for k in model.CARD_FIELDS if k in doc}
        for field, value in fields.items():
            try:
                model.validate_card_fields({field: value})
            except model.ValidationError as exc:
                problems.append(f"{where}: {exc.message}")
        position = doc.get("position")
        if not isinstance(position, int | float) or isinstance(position, bool):
            problems.append(f"{where}: position {position!r} is not a number")
        links = doc.get("links", [])
        if isinstance(links, list):
            for link in links:
                if link not in card_ids:
                    problems.append(f"{where}: links to missing card {link!r}")
    return problems


def _check_workshops(workshops: list[tuple[str, dict[str, Any]]], account_ids: set[str]) -> list[str]:
    problems = []
    for key, doc in workshops:
        where = _where("workshops", key, doc)
        if doc.get("account_id") not in account_ids:
            problems.append(f"{where}: points at missing account {doc.get('account_id')!r}")
        try:
            model.validate_title(doc.get("title"), "title", "Workshop title")
        except model.ValidationError as exc:
            problems.append(f"{where}: {exc.message}")
        for field in ("start", "end"):
            value = doc.get(field)
            if value:
                try:
                    model.validate_date(str(value)[:10], field)
                except model.ValidationError as exc:
                    problems.append(f"{where}: {field}: {exc.message}")
    return problems


def counts(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(accounts, cards) in a board file that :func:`check_board` found sound."""
    with open(path, "rb") as handle:
        data = orjson.loads(handle.read())
    return len(data.get("accounts", {})), len(data.get("cards", {}))
