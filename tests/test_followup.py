"""Follow-up rules with an injected today: overdue, due soon, yearly workshop due, health."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kamboard import followup
from kamboard.store import BoardStore

TODAY = dt.date(2026, 3, 10)


def action(due: str, status: str = "agreed", aid: str = "a1", cid: str = "x") -> dict:
    return {"id": cid, "account_id": aid, "lane": "support", "title": f"do {cid}", "due": due, "status": status}


@pytest.mark.parametrize(
    ("due", "status", "overdue", "soon"),
    [
        ("2026-03-09", "agreed", True, False),
        ("2026-03-09", "", True, False),  # no status counts as open
        ("2026-03-09", "done", False, False),
        ("2026-03-09", "dropped", False, False),
        ("2026-03-10", "in_progress", False, True),  # due today: not overdue yet
        ("2026-03-24", "proposed", False, True),  # exactly 14 days ahead
        ("2026-03-25", "proposed", False, False),
        ("", "agreed", False, False),
    ],
)
def test_overdue_and_due_within(due: str, status: str, overdue: bool, soon: bool) -> None:
    cards = [action(due, status)]
    assert bool(followup.overdue_actions(cards, TODAY)) is overdue
    assert bool(followup.actions_due_within(cards, TODAY, 14)) is soon


def test_only_support_actions_count_and_order_is_by_due() -> None:
    cards = [
        action("2026-03-05", cid="b"),
        action("2026-03-01", cid="a"),
        {**action("2026-03-01", cid="t"), "lane": "topic"},
        action("2026-03-12", cid="d"),
        action("2026-03-11", cid="c"),
    ]
    assert [c["id"] for c in followup.overdue_actions(cards, TODAY)] == ["a", "b"]
    assert [c["id"] for c in followup.actions_due_within(cards, TODAY, 2)] == ["c", "d"]
    assert [c["id"] for c in followup.actions_due_within(cards, TODAY, 1)] == ["c"]
    assert followup.actions_due_within(cards, TODAY, 0) == []


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (None, True),
        ("2025-04-10", False),  # exactly 11 months ago: not yet
        ("2025-04-09", True),  # a day more than 11 months
        ("2026-01-01", False),
        ("2024-12-31", True),
    ],
)
def test_workshop_due_after_eleven_months(last: str | None, due: bool) -> None:
    last_date = dt.date.fromisoformat(last) if last else None
    assert followup.workshop_is_due(last_date, TODAY) is due


def test_add_months_clamps_to_month_end() -> None:
    assert followup.add_months(dt.date(2025, 3, 31), 11) == dt.date(2026, 2, 28)
    assert followup.add_months(dt.date(2023, 3, 31), 11) == dt.date(2024, 2, 29)
    assert followup.add_months(dt.date(2025, 12, 15), 1) == dt.date(2026, 1, 15)


def test_health_uses_held_workshops_only() -> None:
    account = {"id": "a1", "name": "ACME"}
    workshops = [
        {"id": "w1", "account_id": "a1", "start": "2025-01-20T09:00"},
        {"id": "w2", "account_id": "a1", "start": "2026-04-01"},  # planned, not held
        {"id": "w3", "account_id": "other", "start": "2026-03-01"},
    ]
    cards = [action("2026-03-01", cid="late"), action("2026-04-01", cid="later"), action("2026-03-01", aid="other")]
    health = followup.account_health(account, cards, workshops, TODAY)
    assert health.overdue_actions == 1
    assert health.open_actions == 2
    assert health.last_workshop == "2025-01-20"
    assert health.days_since_workshop == (TODAY - dt.date(2025, 1, 20)).days
    assert health.next_workshop == "2026-04-01"
    assert health.workshop_due is True
    fresh = followup.account_health({"id": "other", "name": "B"}, cards, workshops, TODAY)
    assert (fresh.workshop_due, fresh.days_since_workshop, fresh.overdue_actions) == (False, 9, 1)


def test_health_by_account_with_no_workshops() -> None:
    accounts = [{"id": "a1", "name": "ACME"}, {"id": "a2", "name": "Beta"}]
    health = followup.health_by_account(accounts, [action("2026-03-01")], [], TODAY)
    assert set(health) == {"a1", "a2"}
    assert health["a2"].last_workshop == "" and health["a2"].days_since_workshop is None
    assert health["a2"].workshop_due and health["a1"].overdue_actions == 1


def test_due_report_text_and_json(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acme = store.add_account("ACME [red]x[/]")
    beta = store.add_account("Beta")
    archived = store.add_account("Old")
    store.add_card(acme["id"], "support", "Late one", owner="Ann", side="us", due="2026-03-08", status="agreed")
    store.add_card(acme["id"], "support", "Soon", due="2026-03-11", status="proposed")
    store.add_card(beta["id"], "support", "Far", due="2026-06-01", status="agreed")
    store.add_card(archived["id"], "support", "Hidden", due="2026-03-01")
    store.archive_account(archived["id"])
    store.add_workshop(beta["id"], "WS", start="2026-01-15")
    accounts = store.accounts()
    report = followup.due_report(accounts, store.cards(), store.workshops(), TODAY, days=7)
    names = {a["id"]: a["name"] for a in accounts}
    assert [c["title"] for c in report.overdue] == ["Late one"]
    assert [c["title"] for c in report.upcoming] == ["Soon"]
    assert [h.name for h in report.workshops_due] == ["ACME [red]x[/]"]
    text = followup.due_text(report, names)
    assert "Overdue actions (1):" in text
    assert "2026-03-08  2 days overdue" in text and "ACME [red]x[/]: Late one  [Ann (us)]" in text
    assert "in 1 day " in text and "Due within 7 days (1):" in text
    assert "ACME [red]x[/]: no workshop yet" in text
    assert "Hidden" not in text and "Far" not in text
    data = json.loads(json.dumps(report.to_dict(names)))
    assert data["today"] == "2026-03-10" and data["days"] == 7
    assert data["overdue"][0]["days_left"] == -2 and data["overdue"][0]["account"] == "ACME [red]x[/]"
    assert data["due_soon"][0]["title"] == "Soon"
    assert data["workshops_due"][0]["account_id"] == acme["id"]


def test_due_text_when_nothing_is_due() -> None:
    report = followup.due_report([], [], [], TODAY)
    assert followup.due_text(report, {}).count("  none") == 3


def test_group_actions_orders_groups_and_due_dates() -> None:
    cards = [
        {"id": "1", "lane": "support", "title": "b", "status": "agreed", "due": "", "owner": "Bob", "side": "us"},
        {"id": "2", "lane": "support", "title": "a", "status": "agreed", "due": "2026-01-02", "owner": "Ann"},
        {"id": "3", "lane": "support", "title": "c", "status": "weird"},
        {"id": "4", "lane": "topic", "title": "t"},
        {"id": "5", "lane": "support", "title": "d", "status": "done", "owner": "bob", "side": "us"},
        {"id": "6", "lane": "support", "title": "B", "status": "agreed", "due": "", "owner": "Cy"},
    ]
    groups = followup.group_actions(cards)
    assert [(s, [c["id"] for c in found]) for s, found in groups] == [
        ("", ["3"]),  # an unknown status joins the actions without one
        ("agreed", ["2", "1", "6"]),  # dated first, then by title (case-insensitive, stable)
        ("done", ["5"]),
    ]
    assert [s for s, _ in groups] == [s for s in followup.ACTION_GROUPS if s in ("", "agreed", "done")]
    assert [c["id"] for _, f in followup.group_actions(cards, owner="BOB") for c in f] == ["1", "5"]
    assert [c["id"] for _, f in followup.group_actions(cards, owner="bo b") for c in f] == ["1", "5"]
    assert [c["id"] for _, f in followup.group_actions(cards, side="us") for c in f] == ["1", "5"]
    assert followup.group_actions([]) == []


def test_the_commitments_to_review_are_the_previous_workshops_open_actions() -> None:
    old = {"id": "w1", "account_id": "a1", "start": "2025-03-10"}
    other = {"id": "w9", "account_id": "a2", "start": "2025-06-01"}  # another account's
    new = {"id": "w2", "account_id": "a1", "start": "2026-03-10"}
    assert followup.previous_workshop([old, other, new], new) == old
    assert followup.previous_workshop([old, other, new], old) is None
    cards = [
        {**action("", "agreed", cid="kept"), "workshop_id": "w1"},
        {**action("", "", cid="no status"), "workshop_id": "w1"},
        {**action("", "done", cid="done"), "workshop_id": "w1"},
        {**action("", "agreed", cid="later"), "workshop_id": "w2"},
    ]
    assert [c["id"] for c in followup.open_commitments(cards, "w1")] == ["kept", "no status"]
