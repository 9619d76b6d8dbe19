"""A board with one demo-like account, with hostile text everywhere if asked, for the export tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kamboard.store import BoardStore

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
HOSTILE = 'Müller & Söhne [red]x[/] | pipe `tick` *bold* _u_ <b>html</b> &amp; # "quoted", comma; 🎉'
HOSTILE_LINES = "first | line\n# not a heading\n- not a list\n=SUM(A1)\n---\n<script>alert(1)</script>\n```"
AGENDA_NOTES = "Decided: # not a heading | no cell\n- no list & no &amp; entity"
FORMULAS = ["=1+2", "+49 30 1234", "-5", "@SUM(A1)"]


def build(tmp_path: Path, hostile: bool = True) -> tuple[BoardStore, dict[str, Any]]:
    """A board with one demo-like account (and optionally hostile text everywhere)."""
    store = BoardStore(tmp_path / "board.json", "tester", create=True)
    name = "ACME Müller | GmbH 🎉" if hostile else "ACME"
    acc = store.add_account(name, owner="Dana [b]KAM[/b]")
    t1 = store.add_card(acc["id"], "topic", "Growth in Asia " + (HOSTILE if hostile else ""), notes=HOSTILE_LINES)
    c1 = store.add_card(acc["id"], "challenge", "Supply chain | delays" if hostile else "Supply chain delays")
    c2 = store.add_card(acc["id"], "challenge", "# Unanswered challenge")
    s1 = store.add_card(
        acc["id"],
        "support",
        HOSTILE if hostile else "Joint forecast",
        owner="Ann, O'Neil",
        side="us",
        due="2026-03-01",
        status="agreed",
        customer_benefit=HOSTILE_LINES if hostile else "Fewer stock-outs",
        our_benefit='=HYPERLINK("http://x")' if hostile else "Bigger share",
        links=[c1["id"], t1["id"]],
    )
    s2 = store.add_card(acc["id"], "support", FORMULAS[0], status="proposed")  # no owner, due, benefit, links
    s3 = store.add_card(
        acc["id"], "support", "Training", owner="Bo", side="customer", due="2026-03-20", status="in_progress",
        customer_benefit="Skills", links=[c1["id"]],
    )  # fmt: skip
    ws_old = store.add_workshop(acc["id"], "Workshop 2025", start="2025-03-01")
    ws = store.add_workshop(
        acc["id"],
        "Yearly workshop; 2026, part 1" + (" | [i]x[/i]" if hostile else ""),
        start="2026-03-02",
        end="2026-03-03",
        location="Berlin, Room 1; \\ floor",
        participants=[
            {"name": "Ann, O'Neil", "side": "us", "role": "KAM | lead"},
            {"name": "Jürgen 😀", "side": "customer", "role": "<i>CFO</i>"},
        ],
        agenda=[
            {"title": "Topics | round", "minutes": 30, "day": 1, "notes": AGENDA_NOTES if hostile else "Agreed: pilot"},
            {"title": "Challenges [b]and[/b] more", "minutes": 45, "day": 2},
        ],
        notes=HOSTILE_LINES,
    )
    store._test_ids = {"t1": t1, "c1": c1, "c2": c2, "s1": s1, "s2": s2, "s3": s3, "ws": ws, "ws_old": ws_old}  # type: ignore[attr-defined]
    return store, acc


def records_of(store: BoardStore, acc: dict[str, Any]) -> tuple[dict, list, list]:
    return store.account(acc["id"]), store.cards(acc["id"]), store.workshops(acc["id"])
