"""Gap rules: unanswered challenges, sales pitches, support actions missing benefit, owner or due date."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamboard import gaps
from kamboard.store import BoardStore


@pytest.fixture
def store(tmp_path: Path) -> BoardStore:
    board = BoardStore(tmp_path / "board.json", user="anna", create=True)
    board.add_account("ACME")
    return board


FULL = {"owner": "Tom", "due": "2026-06-30", "customer_benefit": "Faster audits", "our_benefit": "A reference"}


def _kinds(store: BoardStore) -> list[tuple[str, str]]:
    return [(g.kind, g.title) for g in gaps.find_gaps(store.cards())]


def test_complete_board_has_no_gaps(store: BoardStore) -> None:
    topic = store.add_card("ACME", "topic", "Compliance")
    challenge = store.add_card("ACME", "challenge", "Audit effort", links=[topic["id"]])
    store.add_card("ACME", "support", "Audit kit", links=[challenge["id"]], **FULL)
    store.add_card("ACME", "support", "Topic talk", links=[topic["id"]], **FULL)
    assert gaps.find_gaps(store.cards()) == []


def test_unanswered_challenge(store: BoardStore) -> None:
    topic = store.add_card("ACME", "topic", "Compliance")
    answered = store.add_card("ACME", "challenge", "Answered")
    store.add_card("ACME", "challenge", "Only a topic link", links=[topic["id"]])
    store.add_card("ACME", "support", "Kit", links=[answered["id"]], **FULL)
    assert _kinds(store) == [("unanswered", "Only a topic link")]
    gap = gaps.find_gaps(store.cards())[0]
    assert gap.message == "no support action answers it" and gap.lane == "challenge"


def test_a_link_from_the_challenge_side_counts(store: BoardStore) -> None:
    kit = store.add_card("ACME", "support", "Kit", **FULL)
    store.add_card("ACME", "challenge", "Linked back", links=[kit["id"]])
    assert _kinds(store) == []


def test_dropped_support_answers_nothing(store: BoardStore) -> None:
    challenge = store.add_card("ACME", "challenge", "Costs")
    store.add_card("ACME", "support", "Old idea", links=[challenge["id"]], status="dropped")
    assert _kinds(store) == [("unanswered", "Costs")]


def test_sales_pitch(store: BoardStore) -> None:
    other = store.add_card("ACME", "support", "Helper", **FULL)
    store.add_card("ACME", "support", "Premium licence", links=[other["id"]], **FULL)
    found = gaps.find_gaps(store.cards())
    assert [(g.kind, g.title) for g in found] == [("pitch", "Helper"), ("pitch", "Premium licence")]
    assert found[0].message == "no customer need behind it: a sales pitch?"
    assert found[0].as_dict()["card_id"] == other["id"]


def test_incomplete_support_actions(store: BoardStore) -> None:
    topic = store.add_card("ACME", "topic", "Cloud")
    both = {"customer_benefit": "x", "our_benefit": "y"}
    store.add_card("ACME", "support", "No benefit", links=[topic["id"]], owner="Tom", due="2026-06-30")
    store.add_card("ACME", "support", "No owner", links=[topic["id"]], due="2026-06-30", **both)
    store.add_card("ACME", "support", "No due", links=[topic["id"]], owner="Tom", **both)
    store.add_card("ACME", "support", "Done anyway", links=[topic["id"]], status="done")
    assert _kinds(store) == [
        ("no_benefit", "No benefit"),
        ("no_our_benefit", "No benefit"),
        ("no_owner", "No owner"),
        ("no_due", "No due"),
    ]


def test_gaps_come_grouped_by_kind_in_board_order(store: BoardStore) -> None:
    store.add_card("ACME", "support", "Bare")
    store.add_card("ACME", "challenge", "C2")
    store.add_card("ACME", "challenge", "C1", index=0)
    assert _kinds(store) == [
        ("unanswered", "C1"),
        ("unanswered", "C2"),
        ("pitch", "Bare"),
        ("no_benefit", "Bare"),
        ("no_our_benefit", "Bare"),
        ("no_owner", "Bare"),
        ("no_due", "Bare"),
    ]
    assert set(gaps.HEADINGS) == set(gaps.KINDS) == set(gaps.MESSAGES)


def test_links_to_missing_cards_are_ignored() -> None:
    cards = [{"id": "s1", "lane": "support", "title": "S", "links": ["gone"], **FULL}]
    assert [g.kind for g in gaps.find_gaps(cards)] == ["pitch"]


def test_mutual_benefit_count(store: BoardStore) -> None:
    store.add_card("ACME", "support", "Both", customer_benefit="a", our_benefit="b")
    store.add_card("ACME", "support", "Half", customer_benefit="a", our_benefit="  ")
    store.add_card("ACME", "support", "Dropped", customer_benefit="a", our_benefit="b", status="dropped")
    store.add_card("ACME", "topic", "Not support", customer_benefit="a", our_benefit="b")
    assert gaps.mutual_benefit_count(store.cards()) == (1, 2)


def test_an_action_without_value_for_us_is_a_gap(store: BoardStore) -> None:
    topic = store.add_card("ACME", "topic", "Cloud")
    half = {**FULL, "our_benefit": "  "}
    store.add_card("ACME", "support", "Only the customer's value", links=[topic["id"]], **half)
    store.add_card("ACME", "support", "Closed", links=[topic["id"]], **half, status="done")
    found = gaps.find_gaps(store.cards())
    assert [(g.kind, g.title) for g in found] == [("no_our_benefit", "Only the customer's value")]
    assert found[0].message == "no value for us stated"
    assert gaps.HEADINGS["no_our_benefit"] == "Support actions without value for us"
    assert gaps.MESSAGES["no_benefit"] == "no value for the customer stated"


def test_which_actions_lack_a_benefit(store: BoardStore) -> None:
    store.add_card("ACME", "support", "Both", customer_benefit="a", our_benefit="b")
    store.add_card("ACME", "support", "Ours only", our_benefit="b")
    store.add_card("ACME", "support", "Neither")
    store.add_card("ACME", "support", "Done, theirs only", customer_benefit="a", status="done")
    store.add_card("ACME", "support", "Dropped", status="dropped")
    lacking = [(card["title"], missing) for card, missing in gaps.lacking_benefit(store.cards())]
    assert lacking == [
        ("Ours only", ["value for the customer"]),
        ("Neither", ["value for the customer", "value for us"]),
        ("Done, theirs only", ["value for us"]),
    ]
    both, total = gaps.mutual_benefit_count(store.cards())
    assert (both, total - len(lacking)) == (1, 1)  # the count and the names agree
