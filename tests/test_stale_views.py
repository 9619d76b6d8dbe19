"""Three people change one board at once, each from a view that may be stale (issue 8).

Each person is a BoardStore of their own on the same file, with a History, and a view: the
cards as they last read them (refreshed only sometimes). They change cards the way the TUI
does: edit fields, move, reorder and delete from the card as shown (``base=``), add cards
with links, undo and redo. After every change:

- it was applied, or raised to its author (Conflict, NotFound, ValidationError, UndoError),
  and a refused change left the file byte for byte as it was;
- an applied change replaced only values its author had seen (in their view or in what their
  own changes returned): nothing anyone saw as saved is overwritten by someone who never saw
  it; links to a deleted card count as gone from the links anyone saw, and a delete takes
  the links to the deleted card out of other cards;
- a change made from a view that is up to date with the card is never refused as a conflict;
- what a change returned is what the file holds.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kamboard.errors import Conflict, NotFound, UndoError
from kamboard.model import LANES, ValidationError
from kamboard.stale import STAMPS, user_fields
from kamboard.store import BoardStore
from kamboard.tui.history import History

Doc = dict[str, Any]
T = TypeVar("T")
REFUSED = (Conflict, NotFound, ValidationError, UndoError)
PEOPLE = st.integers(min_value=0, max_value=2)
WORDS = st.sampled_from(["a", "b", "c", "new", "old"])
VALUES = {"title": WORDS, "notes": st.sampled_from(["", "x", "y", "z"]), "owner": st.sampled_from(["", "Ann", "Bob"])}


def _frozen(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


class Person:
    def __init__(self, store: BoardStore) -> None:
        self.store = store
        self.history = History()
        self.view: dict[str, Doc] = {}  # card id -> the card as this person last read it
        self.seen: dict[str, dict[str, set[str]]] = {}  # card id -> field -> every value seen

    def saw(self, card: Doc) -> None:
        fields = self.seen.setdefault(card["id"], {})
        for key, value in user_fields(card).items():
            fields.setdefault(key, set()).add(_frozen(value))

    def lane(self, lane: str) -> list[Doc]:
        return sorted((c for c in self.view.values() if c["lane"] == lane), key=lambda c: c["position"])


class StaleViews(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="kamboard-stale-")
        self.path = Path(self.folder) / "board.json"
        first = BoardStore(self.path, user="ann", create=True)
        self.account = first.add_account("ACME")["id"]
        self.people = [
            Person(first),
            Person(BoardStore(self.path, user="bob")),
            Person(BoardStore(self.path, user="carol")),
        ]
        self.added = 0  # card ids are counted, not random: hypothesis must replay the same draws

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _cards(self) -> dict[str, Doc]:
        return {c["id"]: c for c in json.loads(self.path.read_bytes())["cards"].values()}

    def _attempt(self, person: Person, change: Callable[[], T], card_id: str = "") -> T | None:
        """Make ``change`` as ``person``; check it was applied or refused cleanly; None if refused."""
        raw = self.path.read_bytes()
        before = {c["id"]: c for c in json.loads(raw)["cards"].values()}
        fresh = card_id in before and user_fields(before[card_id]) == user_fields(person.view.get(card_id, {}))
        try:
            result = change()
        except REFUSED as exc:
            assert self.path.read_bytes() == raw, f"a refused change wrote the file: {exc}"
            assert not (fresh and isinstance(exc, Conflict)), f"refused from an up-to-date view: {exc}"
            assert not isinstance(exc, UndoError) or exc.dropped, str(exc)
            return None
        after = self._cards()
        self._check_overwrites(person, before, after)
        for card in after.values():
            if before.get(card["id"]) != card:
                person.saw(card)
        return result

    def _check_overwrites(self, person: Person, before: dict[str, Doc], after: dict[str, Doc]) -> None:
        deleted = set(before) - set(after)
        for card_id, old in before.items():
            new = after.get(card_id)
            if new is None:
                changed = set(user_fields(old))
            else:
                changed = {k for k in set(old) | set(new) if k not in STAMPS and old.get(k) != new.get(k)}
                if "links" in changed and set(new["links"]) == set(old["links"]) - deleted:
                    changed.discard("links")  # links to the card this change deleted
            seen = dict(person.seen.get(card_id, {}))
            if "links" in seen:  # a link to a card deleted since went from the links as seen, too
                seen["links"] = {_frozen([x for x in json.loads(v) if x in before]) for v in seen["links"]}
            for field in changed:
                assert _frozen(old.get(field)) in seen.get(field, set()), (
                    f"{person.store.user} overwrote {field}={old.get(field)!r} of {old['title']!r} without seeing it"
                )

    def _keep(self, person: Person, card: Doc) -> None:
        """A change returned ``card``: the person sees it, and the file holds it."""
        assert self._cards()[card["id"]] == dict(card)
        person.view[card["id"]] = dict(card)
        person.saw(card)

    def _pick(self, data: st.DataObject) -> tuple[Person, Doc]:
        """Someone whose view shows a card, and a card of their view."""
        person = data.draw(st.sampled_from([p for p in self.people if p.view]))
        return person, person.view[data.draw(st.sampled_from(sorted(person.view)))]

    def _anyone_sees_a_card(self) -> bool:
        return any(p.view for p in self.people)

    @initialize()
    def three_cards_everybody_sees(self) -> None:
        for lane, title in (("topic", "a"), ("topic", "b"), ("challenge", "c")):
            self.added += 1
            self.people[0].store.add_card(self.account, lane, title, id=f"{self.added:032x}")
        for who in range(len(self.people)):
            self.refresh(who)

    @rule(who=PEOPLE)
    def refresh(self, who: int) -> None:
        person = self.people[who]
        person.view = {c["id"]: c for c in person.store.cards()}
        for card in person.view.values():
            person.saw(card)

    @rule(who=PEOPLE, lane=st.sampled_from(LANES), title=WORDS, data=st.data())
    def add(self, who: int, lane: str, title: str, data: st.DataObject) -> None:
        person = self.people[who]
        links = (
            data.draw(st.lists(st.sampled_from(sorted(person.view)), max_size=2, unique=True)) if person.view else []
        )
        self.added += 1
        card_id = f"{self.added:032x}"
        card = self._attempt(person, lambda: person.store.add_card(self.account, lane, title, links=links, id=card_id))
        if card is not None:
            person.history.added(card)
            self._keep(person, card)

    @precondition(_anyone_sees_a_card)
    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        person, shown = self._pick(data)
        field = data.draw(st.sampled_from([*VALUES, "links"]))
        if field == "links":
            others = sorted(set(person.view) - {shown["id"]})
            value: Any = data.draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
        else:
            value = data.draw(VALUES[field])
        saved = self._attempt(
            person, lambda: person.store.update_card(shown["id"], {field: value}, base=shown), shown["id"]
        )
        if saved is None:
            return
        if field == "links":
            assert set(saved.dropped_links) <= set(value) and not set(saved.dropped_links) & set(self._cards())
        before, after = {field: shown[field]}, {field: saved[field]}
        if before != after:
            person.history.edited(saved, before, after)
        self._keep(person, saved)

    @precondition(_anyone_sees_a_card)
    @rule(data=st.data(), lane=st.sampled_from(LANES), index=st.integers(min_value=0, max_value=4))
    def move(self, data: st.DataObject, lane: str, index: int) -> None:
        person, shown = self._pick(data)
        source = (shown["lane"], [c["id"] for c in person.lane(shown["lane"])].index(shown["id"]))
        if lane == shown["lane"]:  # K/J: a reorder within the lane
            target = (lane, min(index, len(person.lane(lane)) - 1))
            change = lambda: person.store.move_card(shown["id"], lane, target[1], base=shown)  # noqa: E731
        else:  # H/L: to the end of another lane
            target = (lane, len(person.lane(lane)))
            change = lambda: person.store.move_card(shown["id"], lane, base=shown)  # noqa: E731
        moved = self._attempt(person, change, shown["id"])
        if moved is not None:
            assert moved["lane"] == lane
            person.history.moved(moved, source, target)
            self._keep(person, moved)

    @precondition(_anyone_sees_a_card)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        person, shown = self._pick(data)
        deleted = self._attempt(person, lambda: person.store.delete_card(shown["id"], base=shown), shown["id"])
        if deleted is not None:
            assert shown["id"] not in self._cards()
            person.history.deleted(deleted)
            del person.view[shown["id"]]

    @rule(who=PEOPLE)
    def undo(self, who: int) -> None:
        history = self.people[who].history
        if history.can_undo:
            self._attempt(self.people[who], lambda: history.undo(self.people[who].store))

    @rule(who=PEOPLE)
    def redo(self, who: int) -> None:
        history = self.people[who].history
        if history.can_redo:
            self._attempt(self.people[who], lambda: history.redo(self.people[who].store))

    @invariant()
    def one_record_per_id(self) -> None:
        ids = [c["id"] for c in json.loads(self.path.read_bytes())["cards"].values()]
        assert len(ids) == len(set(ids))


StaleViews.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStaleViews = StaleViews.TestCase
