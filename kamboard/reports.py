"""What every export of one account shares: which cards and workshop it is about, labels,
text cleaning, and the JSON export (the whole account, for `kamboard import`).

The formats live beside it: ``minutes`` (Markdown, with ``md_text``), ``csv_export`` and
``ical``. Pure functions of record dicts (as BoardStore returns them): no I/O, no textual.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .i18n import N_, Labels
from .workshop import first_day

Doc = dict[str, Any]
EXPORT_VERSION = 1
# Labels of stored ids, translated when read; no "" entry (gettext's "" is the catalogue header):
# look them up with .get(id, fallback).
STATUS_LABELS = Labels(
    {
        "proposed": N_("proposed"),
        "agreed": N_("agreed"),
        "in_progress": N_("in progress"),
        "done": N_("done"),
        "dropped": N_("dropped"),
    }
)
SIDE_LABELS = Labels({"us": N_("us"), "customer": N_("customer")})
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(value: object) -> str:
    """Text without control characters (tabs become spaces), newlines normalised to \\n."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub("", text)


# ---------------------------------------------------------------- links and selection
def answered_by(cards: Sequence[Doc]) -> dict[str, list[Doc]]:
    """For each support action id, the topic/challenge cards it answers (links in either direction)."""
    by_id = {c["id"]: c for c in cards}
    pairs: set[tuple[str, str]] = set()
    for card in cards:
        for other_id in card.get("links", ()) or ():
            other = by_id.get(other_id)
            if other is None:
                continue
            if card.get("lane") == "support" and other.get("lane") in ("topic", "challenge"):
                pairs.add((card["id"], other_id))
            elif other.get("lane") == "support" and card.get("lane") in ("topic", "challenge"):
                pairs.add((other_id, card["id"]))
    order = {c["id"]: i for i, c in enumerate(cards)}
    out: dict[str, list[Doc]] = {c["id"]: [] for c in cards if c.get("lane") == "support"}
    for action_id, need_id in sorted(pairs, key=lambda p: (order[p[0]], order[p[1]])):
        out.setdefault(action_id, []).append(by_id[need_id])
    return out


def pick_workshop(workshops: Sequence[Doc], today: dt.date, workshop_id: str | None = None) -> Doc | None:
    """The chosen workshop (id or unique id prefix), else the latest held one, else the next planned one.

    Minutes are of a workshop held, so this prefers the past, unlike ``workshop.board_workshop``
    (the board works on the next one); an undated workshop counts as held here.
    """
    if workshop_id:
        matches = [w for w in workshops if w.get("id") == workshop_id]
        matches = matches or [
            w for w in workshops if len(workshop_id) >= 4 and str(w.get("id", "")).startswith(workshop_id)
        ]
        if len(matches) != 1:
            return None
        return matches[0]
    dated = sorted(workshops, key=lambda w: str(w.get("start", "")))
    held = [w for w in dated if first_day(w) <= today.isoformat()]
    if held:
        return held[-1]
    return dated[0] if dated else None


def support_actions(cards: Iterable[Doc]) -> list[Doc]:
    return [c for c in cards if c.get("lane") == "support"]


def participant(item: object) -> tuple[str, str, str]:
    if isinstance(item, dict):
        return str(item.get("name", "")), str(item.get("side", "")), str(item.get("role", ""))
    return str(item), "", ""


# ---------------------------------------------------------------- JSON
def account_export(
    account: Doc, cards: Sequence[Doc], workshops: Sequence[Doc], *, exported_at: str, exported_by: str = ""
) -> Doc:
    """The documented JSON shape of one account (records as stored, all fields kept)::

    {"kamboard_export": 1, "exported_at": "...Z", "exported_by": "...",
     "account": {...}, "cards": [{...}, ...], "workshops": [{...}, ...]}
    """
    return {
        "kamboard_export": EXPORT_VERSION,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "account": dict(account),
        "cards": [dict(c) for c in cards],
        "workshops": [dict(w) for w in workshops],
    }


def account_json(
    account: Doc, cards: Sequence[Doc], workshops: Sequence[Doc], *, exported_at: str, exported_by: str = ""
) -> str:
    data = account_export(account, cards, workshops, exported_at=exported_at, exported_by=exported_by)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
