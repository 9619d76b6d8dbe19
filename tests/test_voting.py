"""Dot voting: budgets, the per-card limit, hidden then revealed counts, sorting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kamboard import voting
from kamboard.model import ValidationError
from kamboard.store import BoardStore


@pytest.fixture
def store(tmp_path: Path) -> BoardStore:
    board = BoardStore(tmp_path / "board.json", user="anna", create=True)
    board.add_account("ACME")
    return board


@pytest.fixture
def ws(store: BoardStore) -> dict[str, Any]:
    people = [{"name": "Eva", "side": "customer", "role": "CIO"}, {"name": "Tom", "side": "us", "role": "KAM"}]
    return store.add_workshop("ACME", "2026", start="2026-03-10", participants=people)


def _cards(store: BoardStore, *titles: str) -> list[dict[str, Any]]:
    return [store.add_card("ACME", "challenge", t) for t in titles]


def test_votes_keep_total_and_voters_in_sync(store: BoardStore, ws: dict[str, Any]) -> None:
    a, b = _cards(store, "Costs", "Skills")
    store.vote(a["id"], "Eva", ws["id"])
    store.vote(a["id"], "eva", ws["id"])  # names match case-insensitively
    card = store.vote(a["id"], "Tom", ws["id"])
    assert card["votes"] == 3 and card["voters"] == {"Eva": 2, "Tom": 1}
    card = store.vote(a["id"], "Eva", ws["id"], -1)
    assert card["votes"] == 2 and card["voters"] == {"Eva": 1, "Tom": 1}
    card = store.vote(a["id"], "Tom", ws["id"], -1)
    assert card["voters"] == {"Eva": 1} and store.card(a["id"])["votes"] == 1
    assert store.card(b["id"])["votes"] == 0
    assert store.events()[-1][1]["kind"] == "card.vote"


def test_per_card_limit(store: BoardStore, ws: dict[str, Any]) -> None:
    (a,) = _cards(store, "Costs")
    for _ in range(3):
        store.vote(a["id"], "Eva", ws["id"])
    with pytest.raises(ValidationError, match="at most 3 per card"):
        store.vote(a["id"], "Eva", ws["id"])
    assert store.card(a["id"])["voters"] == {"Eva": 3}


def test_budget(store: BoardStore, ws: dict[str, Any]) -> None:
    a, b, c = _cards(store, "Costs", "Skills", "Speed")
    store.vote(a["id"], "Eva", ws["id"], 3)
    store.vote(b["id"], "Eva", ws["id"], 2)
    before = store.cards()
    with pytest.raises(ValidationError, match="0 vote\\(s\\) left of 5") as info:
        store.vote(c["id"], "Eva", ws["id"])
    assert "\n" not in str(info.value)
    assert store.cards() == before
    store.vote(c["id"], "Tom", ws["id"])  # Tom has his own budget
    store.vote(b["id"], "Eva", ws["id"], -1)
    assert store.vote(c["id"], "Eva", ws["id"])["voters"] == {"Tom": 1, "Eva": 1}
    assert voting.remaining(store.cards(), "Eva", ws) == 0


def test_rules_are_set_per_workshop(store: BoardStore, ws: dict[str, Any]) -> None:
    a, b = _cards(store, "Costs", "Skills")
    store.update_workshop(ws["id"], {"vote_budget": 2, "vote_per_card": 1})
    ws = store.workshop(ws["id"])
    store.vote(a["id"], "Eva", ws["id"])
    with pytest.raises(ValidationError, match="at most 1 per card"):
        store.vote(a["id"], "Eva", ws["id"])
    store.vote(b["id"], "Eva", ws["id"])
    with pytest.raises(ValidationError, match="left of 2"):
        store.vote(store.add_card("ACME", "topic", "T")["id"], "Eva", ws["id"])


def test_vote_errors(store: BoardStore, ws: dict[str, Any]) -> None:
    (a,) = _cards(store, "Costs")
    with pytest.raises(ValidationError, match="not a participant"):
        store.vote(a["id"], "Mallory", ws["id"])
    with pytest.raises(ValidationError, match="no vote on 'Costs' to take back"):
        store.vote(a["id"], "Eva", ws["id"], -1)
    with pytest.raises(ValidationError, match=r"\+1 or more"):
        store.vote(a["id"], "Eva", ws["id"], 0)
    store.add_account("Globex")
    other = store.add_card("Globex", "topic", "Elsewhere")
    with pytest.raises(ValidationError, match="not on this workshop's board"):
        store.vote(other["id"], "Eva", ws["id"])
    assert store.card(a["id"])["votes"] == 0


def test_last_years_votes_do_not_count(store: BoardStore, ws: dict[str, Any]) -> None:
    (a,) = _cards(store, "Costs")
    old = store.add_workshop("ACME", "2025", start="2025-03-10", participants=[{"name": "Eva"}])
    store.vote(a["id"], "Eva", old["id"], 3)
    assert voting.votes_in(store.card(a["id"]), ws["id"]) == 0
    assert voting.spent(store.cards(), "Eva", ws["id"]) == 0
    card = store.vote(a["id"], "Eva", ws["id"])  # the new workshop's voting starts from zero
    assert card["votes"] == 1 and card["voted_in"] == ws["id"]


def test_hidden_then_revealed(store: BoardStore, ws: dict[str, Any]) -> None:
    a, b = _cards(store, "Costs", "Skills")
    store.set_votes_hidden(ws["id"], True)
    store.vote(a["id"], "Eva", ws["id"], 2)
    ws = store.workshop(ws["id"])
    assert voting.display_votes(store.card(a["id"]), ws) == "?"
    assert voting.display_votes(store.card(b["id"]), ws) == ""
    ws = store.set_votes_hidden(ws["id"], False)
    assert voting.display_votes(store.card(a["id"]), ws) == "2"
    assert voting.display_votes(store.card(a["id"]), None) == "2"


def test_sort_by_votes_is_stable(store: BoardStore, ws: dict[str, Any]) -> None:
    _, b, c, d = _cards(store, "A", "B", "C", "D")
    store.vote(c["id"], "Eva", ws["id"], 2)
    store.vote(b["id"], "Tom", ws["id"], 1)
    store.vote(d["id"], "Tom", ws["id"], 2)
    lane = store.cards(lane="challenge")
    assert [x["title"] for x in voting.sort_by_votes(lane)] == ["C", "D", "B", "A"]
    assert [x["title"] for x in voting.sort_by_votes(lane, ws["id"])] == ["C", "D", "B", "A"]
    assert [x["title"] for x in voting.sort_by_votes(lane, "other")] == ["A", "B", "C", "D"]
