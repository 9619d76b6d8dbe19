"""Random sequences of store operations match a simple in-memory model.

Two BoardStore objects share one file and take turns, so every step also goes
through the "another process changed the file" path.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, precondition, rule

from kamboard.errors import NotFound
from kamboard.model import LANES, ValidationError
from kamboard.store import BoardStore

NAMES = st.sampled_from(["ACME", "acme", "Beta", "Gamma", "BETA", "Delta"])
TITLES = st.text(alphabet="abcXYZ äß1 ", min_size=1, max_size=12).filter(lambda t: t.strip())
INDEX = st.none() | st.integers(min_value=0, max_value=6)


class BoardMachine(RuleBasedStateMachine):
    deleted = Bundle("deleted")

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="kamboard-hyp-")
        path = Path(self.folder) / "board.json"
        self.stores = [BoardStore(path, user="a", create=True), BoardStore(path, user="b")]
        self.turn = 0
        self.accounts: dict[str, str] = {}  # casefolded name -> id
        self.lanes: dict[tuple[str, str], list[str]] = {}  # (account id, lane) -> card ids in order
        self.titles: dict[str, str] = {}  # card id -> title
        self.revs: dict[str, int] = {}

    @property
    def store(self) -> BoardStore:
        self.turn += 1
        return self.stores[self.turn % 2]

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _where(self, card_id: str) -> tuple[str, str]:
        return next(key for key, ids in self.lanes.items() if card_id in ids)

    def _insert(self, key: tuple[str, str], card_id: str, index: int | None) -> None:
        ids = self.lanes.setdefault(key, [])
        ids.insert(len(ids) if index is None else index, card_id)

    def _slots(self, key: tuple[str, str]) -> list[tuple[str, float]]:
        """The lane's cards and positions (a move within a lane keeps its order, not its slots)."""
        return [(c["id"], c["position"]) for c in self.stores[0].cards(*key)]

    @property
    def card_ids(self) -> list[str]:
        return sorted(self.titles)

    @rule(name=NAMES)
    def add_account(self, name: str) -> None:
        if name.casefold() in self.accounts:
            try:
                self.store.add_account(name)
            except ValidationError as error:
                assert error.field == "name"
            else:
                raise AssertionError(f"duplicate account {name!r} was accepted")
            return
        doc = self.store.add_account(name)
        self.accounts[name.casefold()] = doc["id"]

    @precondition(lambda self: self.accounts)
    @rule(data=st.data(), lane=st.sampled_from(LANES), title=TITLES, index=INDEX)
    def add_card(self, data: st.DataObject, lane: str, title: str, index: int | None) -> None:
        account_id = data.draw(st.sampled_from(sorted(self.accounts.values())))
        doc = self.store.add_card(account_id, lane, title, index=index)
        assert doc["rev"] == 1
        self.titles[doc["id"]] = title.strip()
        self.revs[doc["id"]] = 1
        key = (account_id, lane)
        self._insert(key, doc["id"], None if index is None else min(index, len(self.lanes.get(key, []))))

    @precondition(lambda self: self.titles)
    @rule(data=st.data(), title=TITLES)
    def edit(self, data: st.DataObject, title: str) -> None:
        card_id = data.draw(st.sampled_from(self.card_ids))
        doc = self.store.update_card(card_id, {"title": title})
        if title.strip() != self.titles[card_id]:  # an edit that changes nothing writes nothing
            self.revs[card_id] += 1
        self.titles[card_id] = title.strip()
        assert doc["rev"] == self.revs[card_id]

    @precondition(lambda self: self.titles)
    @rule(data=st.data(), lane=st.none() | st.sampled_from(LANES), index=INDEX)
    def move(self, data: st.DataObject, lane: str | None, index: int | None) -> None:
        card_id = data.draw(st.sampled_from(self.card_ids))
        doc = self.store.move_card(card_id, lane, index)
        account_id, old_lane = self._where(card_id)
        self.lanes[(account_id, old_lane)].remove(card_id)
        key = (account_id, lane or old_lane)
        size = len(self.lanes.get(key, []))
        self._insert(key, card_id, None if index is None else min(index, size))
        self.revs[card_id] += 1
        assert doc["rev"] == self.revs[card_id] and doc["lane"] == key[1]

    @precondition(lambda self: self.titles)
    @rule(target=deleted, data=st.data())
    def delete(self, data: st.DataObject) -> dict[str, Any]:
        card_id = data.draw(st.sampled_from(self.card_ids))
        doc = self.store.delete_card(card_id)
        key = self._where(card_id)
        index = self.lanes[key].index(card_id)
        self.lanes[key].remove(card_id)
        del self.titles[card_id]
        assert doc["title"] == doc["title"].strip()
        return {"doc": doc, "key": key, "index": index, "lane_then": self._slots(key)}

    @rule(item=consumes(deleted))
    def restore(self, item: dict[str, Any]) -> None:
        doc = item["doc"]
        key = item["key"]
        unchanged = self._slots(key) == item["lane_then"]  # same cards in the same places
        restored = self.store.restore_card(doc)
        assert restored["id"] == doc["id"] and restored["rev"] == doc["rev"] + 1
        actual = [c["id"] for c in self.stores[0].cards(key[0], key[1])]
        # the other cards keep their order; an untouched lane gets the card back in its old slot
        assert [i for i in actual if i != doc["id"]] == self.lanes.get(key, [])
        if unchanged:
            assert actual.index(doc["id"]) == item["index"]
        self.lanes[key] = actual
        self.titles[doc["id"]] = doc["title"]
        self.revs[doc["id"]] = restored["rev"]

    @precondition(lambda self: self.titles)
    @rule(data=st.data())
    def delete_twice_fails(self, data: st.DataObject) -> None:
        card_id = data.draw(st.sampled_from(self.card_ids))
        doc = self.store.delete_card(card_id)
        try:
            self.store.delete_card(card_id)
        except NotFound:
            pass
        else:
            raise AssertionError("a deleted card was deleted again")
        self.store.restore_card(doc)
        key = self._where(card_id)
        self.lanes[key] = [c["id"] for c in self.stores[0].cards(key[0], key[1])]
        self.revs[card_id] += 1

    def _check(self, store: BoardStore) -> None:
        cards = store.cards()
        assert {c["id"]: c["title"] for c in cards} == self.titles
        for (account_id, lane), ids in self.lanes.items():
            assert [c["id"] for c in store.cards(account_id, lane)] == ids
        assert {a["name"].casefold(): a["id"] for a in store.accounts()} == self.accounts

    @invariant()
    def matches_model(self) -> None:
        for store in self.stores:
            self._check(store)

    def check_fresh_reader(self) -> None:
        self._check(BoardStore(self.stores[0].path))

    @invariant()
    def file_matches_model(self) -> None:
        if self.turn % 5 == 0:
            self.check_fresh_reader()


BoardMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBoardMachine = BoardMachine.TestCase
