"""The merge laws on random histories of two and three copies diverging from one ancestor.

Each copy belongs to one person and changes records the way the store does (``stamp_change``,
``stamp_delete``), now and then merging another copy into itself (a sync). Laws, on content
(records by id): merge(A, B) == merge(B, A); merge(A, A) == A; merge(merge(A, B), C) ==
merge(A, merge(B, C)); and every value written after the divergence is in the result (shown
or kept as a conflict to review) or was replaced by someone who had seen it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kamboard import merge_board as mb
from kamboard.merge_edit import review
from kamboard.merge_state import ABSENT, DELETED, Version, leq, parse, reviewable

Doc = dict[str, Any]
USERS = ("anna", "bob", "carl")
TITLES = ("Growth", "Costs", "Pilot", "Audit")
TAGS = ("it", "hr", "ops")
LANES = ("topic", "challenge", "support")
PEOPLE = ("Kim", "Lea", "Max")
OPS = (
    "edit",
    "edit",
    "tag",
    "link",
    "vote",
    "move",
    "delete",
    "add",
    "agenda",
    "participant",
    "sync",
    "sync",
    "resolve",
    "restore",
    "account",
)


def ancestor() -> Doc:
    stamp = {"created_at": "2026-01-01T09:00:00Z", "created_by": "seed", "rev": 1}
    stamp |= {"updated_at": stamp["created_at"], "updated_by": "seed"}
    cards = {}
    for i in range(4):
        cards[str(i + 1)] = {
            "id": f"c{i}",
            "account_id": "a0",
            "lane": LANES[i % 3],
            "position": float(i + 1),
            "title": TITLES[i],
            "notes": "",
            "owner": "",
            "status": "",
            "tags": ["it"] if i % 2 else [],
            "links": ["c0"] if i == 3 else [],
            "votes": 0,
            **stamp,
        }
    agenda = [{"id": f"g{i}", "title": f"Item {i}", "lane": "", "minutes": 30} for i in range(3)]
    people = [{"name": n, "side": "us", "role": ""} for n in PEOPLE[:2]]
    return mb.migrate(
        {
            "meta": {
                "1": {"id": "board", "schema": 1, "title": "B", "created_at": stamp["created_at"], "created_by": "seed"}
            },
            "accounts": {"1": {"id": "a0", "name": "Acme", "owner": "", "notes": "", "archived": False, **stamp}},
            "cards": cards,
            "workshops": {
                "1": {"id": "w0", "account_id": "a0", "title": "WS", "agenda": agenda, "participants": people, **stamp}
            },
            "events": {},
        }
    )


@dataclass
class World:
    """Copies of one board, each changed by its own person; ``writes`` logs every version written."""

    copies: list[Doc]
    step: int = 0
    serial: int = 0
    writes: list[tuple[str, Version]] = field(default_factory=list)

    def at(self) -> str:
        self.step += 1
        return f"2026-03-01T10:{self.step // 3 // 60:02d}:{self.step // 3 % 60:02d}Z"  # ties now and then

    def change(self, i: int, table: str, key: str, apply: Any) -> None:
        board = self.copies[i]
        rec = board[table][key]
        before = copy.deepcopy(rec)
        apply(rec)
        at = self.at()
        rec["updated_at"], rec["updated_by"], rec["rev"] = at, USERS[i], rec.get("rev", 0) + 1
        mb.stamp_change(before, rec, USERS[i], at=at)
        self.log(rec, parse(before))
        self.event(i, rec["id"], at, "edit")

    def log(self, rec: Doc, old: dict[str, list[Version]]) -> None:
        for path, versions in parse(rec).items():
            known = {(v.vvkey, v.vkey) for v in old.get(path, ())}
            self.writes += [(rec["id"], v) for v in versions if (v.vvkey, v.vkey) not in known]

    def event(self, i: int, rid: str, at: str, kind: str) -> None:
        events = self.copies[i]["events"]
        key = str(max((int(k) for k in events), default=0) + 1)
        self.serial += 1
        events[key] = {"id": f"e{self.serial}", "at": at, "by": USERS[i], "kind": kind, "record_id": rid}


def live(board: Doc, table: str) -> list[str]:
    return sorted(board[table], key=lambda k: board[table][k]["id"])


def play(world: World, i: int, op: str, x: int, y: int) -> None:
    board = world.copies[i]
    cards = live(board, "cards")
    if op == "sync":
        j = y % len(world.copies)
        if j != i:
            world.copies[i] = copy.deepcopy(mb.merge(board, world.copies[j])[0])  # shares records with its inputs
        return
    if op == "add":
        rid = f"n{world.step}-{i}"
        key = str(max((int(k) for k in board["cards"]), default=0) + 1)
        at = world.at()
        board["cards"][key] = {
            "id": rid, "account_id": "a0", "lane": LANES[x % 3], "position": y / 7, "title": TITLES[x % 4],
            "notes": "", "tags": [TAGS[y % 3]], "links": [], "votes": 0, "rev": 1,
            "created_at": at, "created_by": USERS[i], "updated_at": at, "updated_by": USERS[i],
        }  # fmt: skip
        world.log(board["cards"][key], {})
        return
    if op == "restore":  # undo a deletion: the record back as it was, marked as kept
        tombs = [t for t in board["tombstones"].values() if "record" in t]
        if tombs:
            tomb = sorted(tombs, key=lambda t: t["id"])[x % len(tombs)]
            rec = copy.deepcopy(tomb["record"])
            before = copy.deepcopy(rec)
            at = world.at()
            alive = {d["id"] for d in board["cards"].values()}
            rec["links"] = [x for x in rec.get("links", []) if x in alive]  # as the store's restore_card
            rec["updated_at"], rec["updated_by"] = at, USERS[i]
            mb.stamp_change(before, rec, USERS[i], at=at)
            mb.stamp_restore(rec, tomb, USERS[i], at)
            board["cards"][str(max((int(k) for k in board["cards"]), default=0) + 1)] = rec
            mb.refresh_links(board)
            world.log(rec, parse(before))
        return
    if op == "account":
        name = ("Acme", "Acme AG", "Beta")[y % 3]
        world.change(i, "accounts", "1", lambda a: a.update(name=name) if x % 2 else a.update(notes=f"n{y}"))
        return
    if op in ("agenda", "participant"):
        world.change(i, "workshops", "1", lambda ws: _workshop_op(ws, op, x, y))
        return
    if not cards:
        return
    key = cards[x % len(cards)]
    card = board["cards"][key]
    if op == "edit":
        name = ("title", "notes", "owner", "status", "lane")[y % 5]
        value = {"title": TITLES, "lane": LANES, "status": ("", "agreed", "done")}.get(name, ("", "a", "b"))
        world.change(i, "cards", key, lambda c: c.__setitem__(name, value[(x + y) % len(value)]))
    elif op == "tag":
        tag = TAGS[y % 3]
        world.change(i, "cards", key, lambda c: _toggle(c, "tags", tag))
    elif op == "link":
        target = board["cards"][cards[y % len(cards)]]["id"]
        if target != card["id"]:
            world.change(i, "cards", key, lambda c: _toggle(c, "links", target))
    elif op == "vote":
        voter = PEOPLE[y % 3]
        world.change(i, "cards", key, lambda c: _vote(c, voter, 1 if x % 3 else -1))
    elif op == "move":
        world.change(i, "cards", key, lambda c: c.update(lane=LANES[y % 3], position=(x % 9) + 0.5))
    elif op == "delete":
        at = world.at()
        tomb = mb.stamp_delete(card, "cards", USERS[i], at)
        del board["cards"][key]
        mb.put_tombstone(board, tomb)
        for other in live(board, "cards"):
            if card["id"] in board["cards"][other].get("links", ()):
                world.change(i, "cards", other, lambda c: _toggle(c, "links", card["id"]))
        world.event(i, card["id"], at, "card.delete")
    elif op == "resolve":
        found = mb.list_conflicts(board)
        if found:
            conflict = found[x % len(found)]
            table, docs = conflict.table, board[conflict.table]
            rkey = next(k for k, d in docs.items() if d["id"] == conflict.id)
            choice = ("mine", "theirs", "both")[y % 3]
            if conflict.deleted or not isinstance(conflict.value, str) or not isinstance(conflict.other_value, str):
                choice = "mine" if choice == "both" or conflict.deleted else choice
            world.change(i, table, rkey, lambda r: mb.resolve(r, conflict.path, choice, USERS[i], at=world.at()))


def _toggle(card: Doc, name: str, value: str) -> None:
    items = list(card.get(name) or [])
    card[name] = [v for v in items if v != value] if value in items else [*items, value]


def _vote(card: Doc, voter: str, delta: int) -> None:
    voters = dict(card.get("voters") or {})
    voters[voter] = max(0, voters.get(voter, 0) + delta)
    card["voters"] = {k: v for k, v in voters.items() if v > 0}
    card["votes"] = sum(card["voters"].values())


def _workshop_op(ws: Doc, op: str, x: int, y: int) -> None:
    if op == "agenda":
        agenda = [dict(item) for item in ws.get("agenda", [])]
        what = y % 4
        if what == 0 or not agenda:
            agenda.insert(x % (len(agenda) + 1), {"id": f"g{x}-{y}", "title": f"New {x}", "lane": "", "minutes": 15})
        elif what == 1:
            agenda[x % len(agenda)]["minutes"] = 5 + x % 50
        elif what == 2:
            agenda.pop(x % len(agenda))
        else:
            agenda.insert(y % len(agenda), agenda.pop(x % len(agenda)))
        ws["agenda"] = agenda
    else:
        people = [dict(p) for p in ws.get("participants", [])]
        name = PEOPLE[x % 3]
        here = [p for p in people if p["name"] == name]
        if here and y % 2:
            people = [p for p in people if p["name"] != name]
        elif here:
            here[0]["role"] = f"role {y % 4}"
        else:
            people.append({"name": name, "side": "customer", "role": ""})
        ws["participants"] = people


def check_nothing_lost(world: World, result: Doc) -> None:
    """Every write is in the result, or dominated by a version (or tombstone) whose author had seen it."""
    records = {d["id"]: (t, d) for t in ("accounts", "cards", "workshops") for d in result[t].values()}
    tombs = {t["id"]: t for t in result["tombstones"].values()}
    states = {rid: parse(doc) for rid, (_, doc) in records.items()}
    reviews = {rid: {(c.path, c.other_by, c.other_at) for c in review(t, d)} for rid, (t, d) in records.items()}
    voted = {rid for rid, v in world.writes if v.path.startswith("voters\0")}
    for rid, written in world.writes:
        if written.path == "votes" and rid in voted:
            continue  # the sum of voters since someone voted: not a value of its own
        if rid not in records:
            assert rid in tombs and leq(written.vv, tombs[rid]["vv"]), f"{rid} {written} deleted unseen"
            continue
        versions = states[rid].get(written.path, [])
        assert any(leq(written.vv, v.vv) for v in versions), f"{rid} lost {written}"
        same = [v for v in versions if v.vv == written.vv and v.vkey == written.vkey]
        if same and same[0] is not versions[-1] and reviewable(written.path, versions[-1], same[0]):
            assert (written.path, same[0].by, same[0].at) in reviews[rid]
    for rid, (_, doc) in records.items():  # a deletion overruled by an edit is kept for review
        if rid in tombs and not leq(tombs[rid]["vv"], mb.join_vv(v.vv for v in states[rid].get("_kept", ()))):
            assert doc["_conflicts"][DELETED]
    links = {x for d in result["cards"].values() for x in d.get("links", [])}
    assert links <= {d["id"] for d in result["cards"].values()}


def same(a: Doc, b: Doc) -> bool:
    return mb.content(a) == mb.content(b)


def diverge(n: int, ops: list[tuple[int, str, int, int]]) -> World:
    world = World([copy.deepcopy(ancestor()) for _ in range(n)])
    for i, op, x, y in ops:
        play(world, i % n, op, x, y)
    return world


OP_LISTS = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(OPS), st.integers(0, 99), st.integers(0, 99)), max_size=30
)


@settings(max_examples=100, deadline=None)
@given(OP_LISTS)
def test_two_copies(ops: list[tuple[int, str, int, int]]) -> None:
    world = diverge(2, ops)
    a, b = world.copies
    ab, _ = mb.merge(a, b)
    assert same(ab, mb.merge(b, a)[0])
    for board in (a, b, ab):
        assert same(mb.merge(board, board)[0], board)
    assert same(mb.merge(ab, a)[0], ab)  # merging what is already in: no change
    assert same(mb.merge(a, b, ancestor())[0], ab)  # every change is stamped: the ancestor adds nothing
    check_nothing_lost(world, ab)


@settings(max_examples=100, deadline=None)
@given(OP_LISTS)
def test_three_copies(ops: list[tuple[int, str, int, int]]) -> None:
    world = diverge(3, ops)
    a, b, c = world.copies
    left = mb.merge(mb.merge(a, b)[0], c)[0]
    right = mb.merge(a, mb.merge(b, c)[0])[0]
    assert same(left, right)
    assert same(left, mb.merge(mb.merge(c, a)[0], b)[0])
    check_nothing_lost(world, left)


def test_the_oracle_catches_a_lost_value() -> None:
    """The check itself fails when a merge drops a concurrent value."""
    world = diverge(2, [(0, "edit", 4, 5), (1, "edit", 4, 10)])  # both change card c0's title
    result, _ = mb.merge(*world.copies)
    card = next(d for d in result["cards"].values() if d["id"] == "c0")
    assert card["_conflicts"]["title"]
    del card["_conflicts"]
    try:
        check_nothing_lost(world, result)
    except AssertionError:
        return
    raise AssertionError("the oracle missed a lost value")


_ = ABSENT
