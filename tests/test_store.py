"""BoardStore: changes, revs, events, merges and conflicts, missing files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from kamboard.errors import BoardNotFound, Conflict, NotFound
from kamboard.model import CARD_FIELDS, SCHEMA_VERSION, ValidationError
from kamboard.store import BoardStore


def _clock() -> Any:
    counter = itertools.count(1)
    return lambda: f"2026-01-01T00:00:{next(counter):02d}Z"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "board.json"


@pytest.fixture
def store(path: Path) -> BoardStore:
    return BoardStore(path, user="alice", create=True, clock=_clock())


def _titles(store: BoardStore, account_id: str, lane: str) -> list[str]:
    return [c["title"] for c in store.cards(account_id, lane)]


def _on_disk(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def test_create_writes_a_board(path: Path, store: BoardStore) -> None:
    data = _on_disk(path)
    assert set(data) == {"meta", "accounts", "cards", "workshops", "events", "tombstones"}
    (meta,) = data["meta"].values()
    assert meta["schema"] == SCHEMA_VERSION
    assert meta["created_by"] == "alice"
    assert store.meta["title"] == "Key accounts"
    assert not store.readonly


def test_create_needs_existing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "board.json"
    with pytest.raises(BoardNotFound) as info:
        BoardStore(missing, create=True)
    assert str(info.value) == f"Cannot create {missing}: the folder {tmp_path / 'nope'} does not exist."
    assert not (tmp_path / "nope").exists()


def test_missing_file_without_create(path: Path) -> None:
    with pytest.raises(BoardNotFound) as info:
        BoardStore(path)
    message = str(info.value)
    assert message.startswith(f"{path} does not exist")
    assert "kamboard demo" in message and "\n" not in message
    assert not path.exists()


def test_opening_an_existing_board_does_not_rewrite_it(path: Path, store: BoardStore) -> None:
    store.add_account("ACME")
    before = path.read_bytes()
    again = BoardStore(path, create=True)
    assert [a["name"] for a in again.accounts()] == ["ACME"]
    assert path.read_bytes() == before


def test_add_account_stamps_and_logs(store: BoardStore, path: Path) -> None:
    acme = store.add_account("  ACME GmbH ", owner="Bob", notes="Machine builder")
    assert acme["name"] == "ACME GmbH"
    assert len(acme["id"]) == 32
    assert acme["rev"] == 1
    assert acme["created_by"] == acme["updated_by"] == "alice"
    assert acme["created_at"] == acme["updated_at"]
    assert acme["archived"] is False
    assert store.account("acme gmbh") == acme
    assert store.account(acme["id"][:6]) == acme
    (key, event), *_ = store.events()
    assert key == 1
    assert event["kind"] == "account.add"
    assert event["record_id"] == acme["id"]
    assert event["by"] == "alice"
    assert "ACME GmbH" in event["summary"]
    stored = next(iter(_on_disk(path)["accounts"].values()))
    assert stored == acme


def test_duplicate_account_name_is_case_insensitive(store: BoardStore, path: Path) -> None:
    store.add_account("Acme")
    before = path.read_bytes()
    with pytest.raises(ValidationError) as info:
        store.add_account("ACME")
    assert info.value.field == "name"
    assert info.value.message == "An account named 'Acme' already exists."
    other = store.add_account("Other")
    with pytest.raises(ValidationError):
        store.rename_account(other["id"], "acme")
    assert path.read_bytes() != before  # 'Other' was added
    assert sorted(a["name"] for a in store.accounts()) == ["Acme", "Other"]


def test_account_validation(store: BoardStore) -> None:
    with pytest.raises(ValidationError, match="Account name must not be empty"):
        store.add_account("")
    with pytest.raises(ValidationError, match="single line"):
        store.add_account("a\nb")
    with pytest.raises(ValidationError, match="Unknown account field"):
        store.update_account("x", colour="red")
    assert store.accounts() == []


def test_rename_and_archive_account(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    renamed = store.rename_account("acme", "ACME Holding")
    assert renamed["name"] == "ACME Holding"
    assert renamed["rev"] == 2
    assert renamed["created_at"] == acme["created_at"]
    assert renamed["updated_at"] > acme["updated_at"]
    archived = store.archive_account(acme["id"])
    assert archived["archived"] is True and archived["rev"] == 3
    assert store.accounts() == []
    assert [a["name"] for a in store.accounts(include_archived=True)] == ["ACME Holding"]
    kinds = [e["kind"] for _, e in store.events()]
    assert kinds == ["account.add", "account.edit", "account.edit"]
    summaries = [e["summary"] for _, e in store.events()]
    assert summaries[1] == "renamed account 'ACME' to 'ACME Holding'"
    assert summaries[2] == "archived account 'ACME Holding'"


def test_unknown_account(store: BoardStore) -> None:
    with pytest.raises(NotFound, match="No account 'nobody'"):
        store.add_card("nobody", "topic", "x")


def test_add_card_defaults_and_order(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    first = store.add_card("ACME", "topic", "First")
    second = store.add_card("ACME", "topic", "Second")
    zeroth = store.add_card("ACME", "topic", "Zeroth", index=0)
    middle = store.add_card("ACME", "topic", "Middle", index=2)
    assert _titles(store, acme["id"], "topic") == ["Zeroth", "First", "Middle", "Second"]
    assert first["account_id"] == acme["id"]
    assert first["rev"] == 1 and first["created_by"] == "alice"
    assert first["votes"] == 0 and first["tags"] == [] and first["links"] == []
    for name in CARD_FIELDS:
        assert name in first
    assert len({c["id"] for c in (first, second, zeroth, middle)}) == 4
    assert [e["kind"] for _, e in store.events()][-4:] == ["card.add"] * 4


def test_add_support_action(store: BoardStore) -> None:
    store.add_account("ACME")
    challenge = store.add_card("ACME", "challenge", "Downtime")
    action = store.add_card(
        "ACME",
        "support",
        "Remote diagnostics",
        owner="Bob",
        side="us",
        due="2026-06-30",
        status="agreed",
        customer_benefit="less downtime",
        our_benefit="service contract",
        links=[challenge["id"]],
        tags="service, remote",
    )
    again = store.card(action["id"][:8])
    assert again == action
    assert again["links"] == [challenge["id"]]
    assert again["tags"] == ["service", "remote"]
    assert (again["side"], again["status"], again["due"]) == ("us", "agreed", "2026-06-30")


@pytest.mark.parametrize(
    ("lane", "fields", "message"),
    [
        ("todo", {}, "Unknown lane 'todo'"),
        ("support", {"status": "open"}, "Unknown status 'open'"),
        ("support", {"due": "30.06.2026"}, "not in the form YYYY-MM-DD"),
        ("support", {"side": "them"}, "Unknown side 'them'"),
        ("topic", {"links": ["0123456789abcdef"]}, "Link to card '0123456789abcdef': no such card."),
    ],
)
def test_add_card_rejects_bad_values(
    store: BoardStore, path: Path, lane: str, fields: dict[str, Any], message: str
) -> None:
    store.add_account("ACME")
    before = path.read_bytes()
    with pytest.raises(ValidationError, match=message):
        store.add_card("ACME", lane, "A card", **fields)
    assert path.read_bytes() == before
    assert store.cards() == []


def test_link_to_missing_card_on_edit_and_to_itself(store: BoardStore, path: Path) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "Alone")
    before = path.read_bytes()
    with pytest.raises(ValidationError) as info:
        store.update_card(card["id"], {"links": ["deadbeef"]})
    assert info.value.field == "links"
    assert info.value.message == "Link to card 'deadbeef': no such card."
    with pytest.raises(ValidationError, match="cannot link to itself"):
        store.update_card(card["id"], {"links": [card["id"]]})
    assert path.read_bytes() == before
    assert store.card(card["id"])["links"] == []


def test_edit_card_bumps_rev_and_logs(store: BoardStore) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "Old title")
    edited = store.update_card(card["id"], {"title": "New title", "notes": "two\nlines"})
    assert edited["title"] == "New title" and edited["notes"] == "two\nlines"
    assert edited["rev"] == 2
    assert edited["created_at"] == card["created_at"]
    assert edited["updated_at"] > card["updated_at"]
    key, event = store.events()[-1]
    assert key == store.last_event_key()
    assert event["kind"] == "card.edit" and event["record_id"] == card["id"]
    assert event["summary"] == "edited 'New title' (notes, title)"
    assert event["account_id"] == card["account_id"]


def test_edit_by_another_user(path: Path, store: BoardStore) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "T")
    bob = BoardStore(path, user="bob")
    edited = bob.update_card(card["id"], {"notes": "by bob"})
    assert edited["updated_by"] == "bob" and edited["created_by"] == "alice"
    assert store.events()[-1][1]["by"] == "bob"


def test_edit_with_no_change_is_a_no_op(store: BoardStore, path: Path) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "T")
    before = path.read_bytes()
    same = store.update_card(card["id"], {"title": "T"}, base=card)
    assert same["rev"] == 1
    assert path.read_bytes() == before


def test_move_card_between_lanes_and_within(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    a, b, c = (store.add_card("ACME", "topic", t) for t in "ABC")
    moved = store.move_card(b["id"], "challenge")
    assert moved["lane"] == "challenge" and moved["rev"] == 2
    assert _titles(store, acme["id"], "topic") == ["A", "C"]
    assert _titles(store, acme["id"], "challenge") == ["B"]
    store.move_card(c["id"], index=0)
    assert _titles(store, acme["id"], "topic") == ["C", "A"]
    store.move_card(c["id"])  # no lane, no index: to the end of its lane
    assert _titles(store, acme["id"], "topic") == ["A", "C"]
    store.move_card(b["id"], "topic", 1)
    assert _titles(store, acme["id"], "topic") == ["A", "B", "C"]
    summaries = [e["summary"] for _, e in store.events() if e["kind"] == "card.move"]
    assert summaries[0] == "moved 'B' to Challenges"
    assert summaries[1] == "moved 'C' within Topics"
    with pytest.raises(ValidationError, match="Unknown lane"):
        store.move_card(a["id"], "done")


def test_reorder_many_times_keeps_order(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    for t in "ABCDE":
        store.add_card("ACME", "topic", t)
    expected = list("ABCDE")
    # always move the last card to index 1: positions keep halving between two neighbours
    for _ in range(80):
        last = store.cards(acme["id"], "topic")[-1]
        store.move_card(last["id"], "topic", 1)
        expected.insert(1, expected.pop())
        assert _titles(store, acme["id"], "topic") == expected
    positions = [c["position"] for c in store.cards(acme["id"], "topic")]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_cards_are_per_account(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    other = store.add_account("Other")
    store.add_card("ACME", "topic", "Mine")
    store.add_card("Other", "topic", "Theirs", index=0)
    assert _titles(store, acme["id"], "topic") == ["Mine"]
    assert _titles(store, other["id"], "topic") == ["Theirs"]
    assert [c["lane"] for c in store.cards()] == ["topic", "topic"]


def test_delete_and_restore_card(store: BoardStore, path: Path) -> None:
    acme = store.add_account("ACME")
    a = store.add_card("ACME", "challenge", "A")
    b = store.add_card("ACME", "challenge", "B")
    action = store.add_card("ACME", "support", "Help", links=[a["id"], b["id"]])
    deleted = store.delete_card(a["id"])
    assert deleted["id"] == a["id"] and deleted["title"] == "A"
    with pytest.raises(NotFound):
        store.card(a["id"])
    cards = _on_disk(path)["cards"].values()
    assert [c["title"] for c in cards if a["id"] in c["links"] or c["id"] == a["id"]] == []  # gone, links to it too
    assert [t["id"] for t in _on_disk(path)["tombstones"].values()] == [a["id"]]  # for merges: deleted here
    assert store.card(action["id"])["links"] == [b["id"]]
    assert store.card(action["id"])["rev"] == 2
    assert _titles(store, acme["id"], "challenge") == ["B"]
    restored = store.restore_card(deleted)
    assert restored["id"] == a["id"] and restored["rev"] == deleted["rev"] + 1
    assert restored["created_at"] == deleted["created_at"]
    assert _titles(store, acme["id"], "challenge") == ["A", "B"]
    assert store.card(action["id"])["links"] == [a["id"], b["id"]]  # the link to it is back too
    with pytest.raises(ValidationError, match="exists already"):
        store.restore_card(deleted)
    kinds = [e["kind"] for _, e in store.events()]
    assert kinds[-2:] == ["card.delete", "card.add"]
    assert store.events()[-1][1]["summary"] == "restored 'A'"


def test_restore_after_the_slot_was_taken_goes_just_ahead_of_it(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    a = store.add_card("ACME", "topic", "A")
    deleted = store.delete_card(a["id"])
    store.add_card("ACME", "topic", "B")  # takes position 1.0
    store.add_card("ACME", "topic", "C")
    restored = store.restore_card(deleted)
    assert _titles(store, acme["id"], "topic") == ["A", "B", "C"]
    assert restored["position"] < store.cards(acme["id"], "topic")[1]["position"]


def test_unknown_card(store: BoardStore) -> None:
    with pytest.raises(NotFound, match="No card 'abc'"):
        store.card("abc")
    with pytest.raises(NotFound):
        store.move_card("abc", "topic")


def test_ambiguous_prefix(store: BoardStore) -> None:
    store.add_account("ACME")
    store.add_card("ACME", "topic", "A", id="abcd0001" + "0" * 24)
    store.add_card("ACME", "topic", "B", id="abcd0002" + "0" * 24)
    with pytest.raises(NotFound, match="matches 2 cards"):
        store.card("abcd")
    assert store.card("abcd0002")["title"] == "B"


def test_unknown_fields_are_kept(path: Path, store: BoardStore) -> None:
    acme = store.add_account("ACME")
    card = store.add_card("ACME", "topic", "T")
    data = _on_disk(path)
    next(iter(data["cards"].values()))["x_future"] = {"nested": [1, 2]}
    next(iter(data["accounts"].values()))["x_colour"] = "teal"
    next(iter(data["meta"].values()))["x_meta"] = True
    data["x_table"] = {"1": {"id": "zzz", "anything": 1}}
    path.write_text(json.dumps(data))
    other = BoardStore(path, user="bob")
    other.update_card(card["id"], {"title": "T2"})
    other.move_card(card["id"], "challenge")
    other.rename_account(acme["id"], "ACME 2")
    after = _on_disk(path)
    stored = next(iter(after["cards"].values()))
    assert stored["x_future"] == {"nested": [1, 2]} and stored["title"] == "T2"
    assert next(iter(after["accounts"].values()))["x_colour"] == "teal"
    assert next(iter(after["meta"].values()))["x_meta"] is True
    assert after["x_table"] == {"1": {"id": "zzz", "anything": 1}}


def test_second_store_change_visible_after_refresh(path: Path, store: BoardStore) -> None:
    acme = store.add_account("ACME")
    other = BoardStore(path, user="bob")
    assert store.refresh() is False
    other.add_card("ACME", "topic", "From Bob")
    assert store.refresh() is True
    assert _titles(store, acme["id"], "topic") == ["From Bob"]
    assert store.refresh() is False
    key, event = store.events()[-1]
    assert event["by"] == "bob" and event["kind"] == "card.add"
    assert store.events(after=key) == []


def test_both_stores_keep_adding_without_losing(path: Path, store: BoardStore) -> None:
    acme = store.add_account("ACME")
    other = BoardStore(path, user="bob")
    for i in range(10):
        store.add_card("ACME", "topic", f"alice {i}")
        other.add_card("ACME", "topic", f"bob {i}")
    titles = _titles(BoardStore(path), acme["id"], "topic")
    assert titles == [f"{who} {i}" for i in range(10) for who in ("alice", "bob")]
    assert len(json.loads(path.read_bytes())["cards"]) == 20
    # record keys stay unique although both stores insert
    assert len(set(_on_disk(path)["cards"])) == 20


def test_conflict_when_both_change_the_same_field(path: Path, store: BoardStore) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "Original")
    bob = BoardStore(path, user="bob")
    bobs_view = bob.card(card["id"])
    store.update_card(card["id"], {"title": "Alice's title"}, base=card)
    before = path.read_bytes()
    with pytest.raises(Conflict) as info:
        bob.update_card(card["id"], {"title": "Bob's title", "notes": "bob's notes"}, base=bobs_view)
    error = info.value
    assert error.fields == {"title": ("Bob's title", "Alice's title")}
    assert error.record_id == card["id"]
    assert error.current["title"] == "Alice's title" and error.current["rev"] == 2
    assert "alice" in str(error) and "title" in str(error)
    assert path.read_bytes() == before  # nothing half-applied
    # resolving: based on the current record, bob's choice goes through
    resolved = bob.update_card(card["id"], {"title": "Bob's title"}, base=error.current)
    assert resolved["title"] == "Bob's title" and resolved["rev"] == 3


def test_same_value_on_both_sides_is_no_conflict(path: Path, store: BoardStore) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "Original")
    bob = BoardStore(path, user="bob")
    store.update_card(card["id"], {"title": "Same"}, base=card)
    result = bob.update_card(card["id"], {"title": "Same", "notes": "n"}, base=card)
    assert result["title"] == "Same" and result["notes"] == "n"


def test_silent_merge_when_fields_differ(path: Path, store: BoardStore) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "support", "Action", owner="Ann")
    bob = BoardStore(path, user="bob")
    bobs_view = bob.card(card["id"])
    store.update_card(card["id"], {"title": "Alice's title", "owner": "Ann"}, base=card)
    merged = bob.update_card(card["id"], {"notes": "Bob's notes", "title": "Action"}, base=bobs_view)
    assert merged["title"] == "Alice's title"  # untouched by bob: kept
    assert merged["notes"] == "Bob's notes"
    assert merged["rev"] == 3
    assert store.card(card["id"])["notes"] == "Bob's notes"
    assert store.card(card["id"])["title"] == "Alice's title"


def test_conflict_with_move_and_edit_merges(path: Path, store: BoardStore) -> None:
    acme = store.add_account("ACME")
    card = store.add_card("ACME", "topic", "T")
    bob = BoardStore(path, user="bob")
    view = bob.card(card["id"])
    store.move_card(card["id"], "challenge")
    edited = bob.update_card(card["id"], {"title": "T edited"}, base=view)
    assert edited["lane"] == "challenge"
    assert _titles(store, acme["id"], "challenge") == ["T edited"]


def test_update_of_a_card_deleted_meanwhile(path: Path, store: BoardStore) -> None:
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "T")
    bob = BoardStore(path, user="bob")
    view = bob.card(card["id"])
    store.delete_card(card["id"])
    with pytest.raises(NotFound):
        bob.update_card(card["id"], {"title": "x"}, base=view)


def test_workshops(store: BoardStore) -> None:
    acme = store.add_account("ACME")
    ws = store.add_workshop("ACME", "Workshop 2026", start="2026-03-01", participants=[{"name": "Eva"}])
    assert ws["rev"] == 1 and ws["account_id"] == acme["id"]
    changed = store.update_workshop(ws["id"], {"location": "Berlin"})
    assert changed["rev"] == 2 and changed["location"] == "Berlin"
    assert store.workshops(acme["id"]) == [changed]
    with pytest.raises(ValidationError):
        store.add_workshop("ACME", "Bad", start="2026-02-31")


def test_events_are_trimmed(store: BoardStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from kamboard import store as store_mod

    monkeypatch.setattr(store_mod, "EVENT_LIMIT", 20)
    store.add_account("ACME")
    for i in range(150):
        store.add_card("ACME", "topic", f"C{i}")
    events = store.events()
    assert len(events) == 20  # trimmed at every change, not 100 at once
    assert events[-1][1]["summary"] == "added 'C149' to Topics"
    keys = [k for k, _ in events]
    assert keys == sorted(keys) and keys[-1] == 151


def test_a_change_past_the_event_limit_touches_few_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git diffs stay small: trimming the log removes one old event per new one."""
    import difflib

    from kamboard import store as store_mod

    monkeypatch.setattr(store_mod, "EVENT_LIMIT", 50)
    path = tmp_path / "b.json"
    store = BoardStore(path, "ann", create=True, backups=0)
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "C")
    for i in range(120):
        before = path.read_text().splitlines()
        store.update_card(card["id"], {"notes": f"n{i}"})
        after = path.read_text().splitlines()
        ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        changed = sum(i2 - i1 + j2 - j1 for tag, i1, i2, j1, j2 in ops if tag != "equal")  # lines, as git counts
        assert changed < 40, (i, changed)


def test_edit_that_changes_nothing_writes_nothing(tmp_path):
    store = BoardStore(tmp_path / "b.json", "ann", create=True)
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "Same")
    before = (tmp_path / "b.json").read_bytes()
    result = store.update_card(card["id"], {"title": "Same"})
    assert result["rev"] == card["rev"]
    assert (tmp_path / "b.json").read_bytes() == before


def test_renumbering_a_lane_bumps_revs(tmp_path):
    store = BoardStore(tmp_path / "b.json", "ann", create=True, backups=0)
    store.add_account("ACME")
    first = store.add_card("ACME", "topic", "first")
    store.add_card("ACME", "topic", "second")
    for i in range(60):  # keep inserting between the first two: the gap shrinks until the lane renumbers
        store.add_card("ACME", "topic", f"new {i}", index=1)
    assert store.card(first["id"])["rev"] > first["rev"]
    titles = [c["title"] for c in store.cards(lane="topic")]
    assert titles[0] == "first" and titles[1] == "new 59" and titles[-1] == "second"
