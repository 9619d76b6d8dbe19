"""The merge engine wired into the store: stamps on every change, tombstones, writer tags,
merge_from in one transaction, conflicts listed and resolved, old files migrated."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kamboard.errors import Conflict, NotFound, ReadOnlyError
from kamboard.merge_board import MergeError
from kamboard.model import SCHEMA_VERSION, ValidationError
from kamboard.stale import STAMPS, refuse_changed, user_fields
from kamboard.storage import BACKUP_DIR
from kamboard.store import BoardStore
from kamboard.store_merge import conflict_id


def ticking(hour: int) -> Callable[[], str]:
    """A clock that moves one second per call, from ``hour`` o'clock: later people write later."""
    seconds = itertools.count()
    return lambda: f"2026-03-01T{hour:02d}:{(n := next(seconds)) // 60:02d}:{n % 60:02d}Z"


def on_disk(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def first(data: dict[str, Any], table: str) -> dict[str, Any]:
    return next(iter(data[table].values()))


def card_on_disk(path: Path, card_id: str) -> dict[str, Any] | None:
    return next((c for c in on_disk(path)["cards"].values() if c["id"] == card_id), None)


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """One board copied to two laptops (two folders): ours and theirs, and its card ids by title."""
    ours = tmp_path / "laptop-anna" / "board.json"
    theirs = tmp_path / "laptop-bob" / "board.json"
    ours.parent.mkdir()
    theirs.parent.mkdir()
    seed = BoardStore(ours, "seed", create=True, clock=ticking(9))
    seed.add_account("ACME")
    ids = {
        t: seed.add_card("ACME", lane, t)["id"]
        for t, lane in [("Growth", "topic"), ("Costs", "challenge"), ("Pilot", "support"), ("Audit", "support")]
    }
    shutil.copy(ours, theirs)
    return ours, theirs, ids


def test_each_change_stamps_the_fields_it_changed_under_one_writer_tag(
    copies: tuple[Path, Path, dict[str, str]],
) -> None:
    ours, _, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    anna.update_card(ids["Growth"], {"title": "Growth 2027", "tags": ["energy"]})
    anna.move_card(ids["Growth"], "challenge", 0)
    stamps = card_on_disk(ours, ids["Growth"])["_v"]
    assert sorted(stamps) == ["lane", "position", "tags\x00", "tags\x00energy", "title"]
    writers = {w for entry in stamps.values() for w in entry["vv"] if not w.startswith("~")}
    assert len(writers) == 1 and writers.pop().startswith("anna#")  # one tag for this store's changes
    assert {entry["by"] for entry in stamps.values()} == {"anna"}
    assert stamps["title"]["vv"][anna._replica] == 1 and stamps["lane"]["vv"][anna._replica] == 2


def test_a_file_replaced_by_another_version_gets_a_new_writer_tag(copies: tuple[Path, Path, dict[str, str]]) -> None:
    """git checkout of an older commit under a running kamboard: its next change must not reuse
    the tag whose last write that version lacks (two diverged copies, one tag: an edit lost)."""
    ours, _, ids = copies
    older = ours.read_bytes()
    anna = BoardStore(ours, "anna", clock=ticking(10))
    anna.update_card(ids["Growth"], {"title": "One"})
    anna.update_card(ids["Costs"], {"title": "Two"})
    first = anna._replica
    anna.update_card(ids["Pilot"], {"title": "Three"})
    assert anna._replica == first  # the file holds the tag's last write: kept
    ours.write_bytes(older)
    anna.update_card(ids["Audit"], {"title": "Four"})
    assert anna._replica != first and anna._replica.startswith("anna#")


def test_a_deletion_leaves_a_tombstone_and_an_edit_made_meanwhile_elsewhere_brings_the_card_back(
    copies: tuple[Path, Path, dict[str, str]],
) -> None:
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    bob = BoardStore(theirs, "bob", clock=ticking(11))
    anna.update_card(ids["Pilot"], {"links": [ids["Costs"]]})
    anna.delete_card(ids["Costs"])
    assert [t["id"] for t in on_disk(ours)["tombstones"].values()] == [ids["Costs"]]
    assert anna.card(ids["Pilot"])["links"] == []
    anna.delete_card(ids["Audit"])
    bob.update_card(ids["Costs"], {"notes": "still open"})  # after the deletion: the edit wins
    report = anna.merge_from(theirs)
    assert anna.card(ids["Costs"])["notes"] == "still open"
    assert anna.card(ids["Pilot"])["links"] == [ids["Costs"]]  # the hidden link shows again
    with pytest.raises(NotFound):
        anna.card(ids["Audit"])  # deleted here, unchanged there: gone
    [deleted] = [c for c in report.conflicts if c.deleted]
    assert (deleted.title, deleted.other_by) == ("Costs", "anna")


def test_an_undone_deletion_stays_through_a_merge(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    anna.restore_card(anna.delete_card(ids["Costs"]))
    shutil.copy(ours, theirs)  # bob got the file with the deletion's tombstone
    anna.merge_from(theirs)
    assert anna.card(ids["Costs"])["title"] == "Costs"
    assert anna.conflicts() == []


def test_a_card_restored_from_its_fields_only_keeps_its_change_stamps(
    copies: tuple[Path, Path, dict[str, str]],
) -> None:
    """The TUI's undo may hold a deleted card without its stamps: the tombstone has them."""
    ours, _, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    anna.update_card(ids["Growth"], {"title": "Growth 2027"})
    stamp = card_on_disk(ours, ids["Growth"])["_v"]["title"]
    anna.restore_card(user_fields(anna.delete_card(ids["Growth"])))
    assert card_on_disk(ours, ids["Growth"])["_v"]["title"] == stamp
    assert anna.card(ids["Growth"])["title"] == "Growth 2027"


def test_a_card_imported_again_after_its_deletion_stays_through_a_merge(
    copies: tuple[Path, Path, dict[str, str]],
) -> None:
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    deleted = anna.delete_card(ids["Costs"])
    shutil.copy(ours, theirs)  # bob's copy has the deletion
    anna.insert_records({"cards": [deleted]}, anna.account("ACME"), "imported the account again")
    anna.merge_from(theirs)
    assert anna.card(ids["Costs"])["title"] == "Costs" and anna.conflicts() == []


def test_merge_from_is_one_transaction_with_a_backup_an_event_and_higher_revs(
    copies: tuple[Path, Path, dict[str, str]],
) -> None:
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    bob = BoardStore(theirs, "bob", clock=ticking(11))
    anna.update_card(ids["Growth"], {"title": "Anna's title"})
    bob.update_card(ids["Growth"], {"notes": "Bob's notes"})
    bob.add_card("ACME", "topic", "Bob's new card")
    seen = anna.card(ids["Growth"])
    before = ours.read_bytes()
    report = anna.merge_from(str(theirs))
    assert report.summary() == "merged 2 cards"
    growth = anna.card(ids["Growth"])
    assert (growth["title"], growth["notes"]) == ("Anna's title", "Bob's notes")
    assert growth["rev"] > max(seen["rev"], bob.card(ids["Growth"])["rev"])  # views from before are stale
    backups = sorted((ours.parent / BACKUP_DIR).iterdir())
    assert backups[-1].read_bytes() == before
    last = anna.events()[-1][1]
    assert (last["kind"], last["by"], last["summary"]) == ("board.merge", "anna", "merged board.json: merged 2 cards")
    with pytest.raises(Conflict):  # a change made from the view before the merge sees it
        anna.update_card(ids["Growth"], {"notes": "mine"}, base=seen)
    assert anna.merge_from(theirs).summary() == "nothing new to merge"
    assert len(sorted((ours.parent / BACKUP_DIR).iterdir())) == len(backups)  # and no write


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: first(d, "cards").update(position="first"), "field 'position' is \"first\", not a number"),
        (lambda d: first(d, "meta").update(id="another board"), "two different boards"),
        (lambda d: first(d, "meta").update(schema=SCHEMA_VERSION + 1), "newer kamboard"),
    ],
)
def test_merge_from_refuses_a_copy_it_cannot_use_and_changes_nothing(
    copies: tuple[Path, Path, dict[str, str]], damage: Callable[[dict[str, Any]], None], message: str
) -> None:
    ours, theirs, _ = copies
    data = on_disk(theirs)
    damage(data)
    theirs.write_text(json.dumps(data))
    before = ours.read_bytes()
    with pytest.raises(MergeError, match=message):
        BoardStore(ours, "anna").merge_from(theirs)
    assert ours.read_bytes() == before


def test_conflicts_are_listed_with_ids_and_resolved_for_good(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    bob = BoardStore(theirs, "bob", clock=ticking(11))
    anna.update_card(ids["Growth"], {"title": "Anna's", "notes": "anna"})
    bob.update_card(ids["Growth"], {"title": "Bob's", "notes": "bob"})
    anna.merge_from(theirs)
    found = {c.field: c for c in anna.conflicts()}
    assert {f: (c.value, c.other_value) for f, c in found.items()} == {
        "title": ("Bob's", "Anna's"),
        "notes": ("bob", "anna"),
    }
    title, notes = conflict_id(found["title"]), conflict_id(found["notes"])
    assert len({title, notes}) == 2 and all(len(i) == 8 for i in (title, notes))
    assert anna.resolve_conflict(title[:5], "theirs") == "Anna's"
    with pytest.raises(NotFound, match="No conflict"):
        anna.resolve_conflict(title, "mine")
    assert anna.resolve_conflict(notes, "both") == "bob\n\nanna"
    assert anna.conflicts() == []
    assert (anna.card(ids["Growth"])["title"], anna.card(ids["Growth"])["notes"]) == ("Anna's", "bob\n\nanna")
    assert [e["kind"] for _, e in anna.events()][-2:] == ["card.resolve", "card.resolve"]
    anna.merge_from(theirs)  # settled for good: bob's copy brings no conflict back
    assert anna.conflicts() == [] and anna.card(ids["Growth"])["title"] == "Anna's"


def test_a_conflict_resolved_as_shown_is_no_change_to_a_view_from_before(
    copies: tuple[Path, Path, dict[str, str]],
) -> None:
    """Resolving 'mine' changes the record's stamps only: a view from before may still delete it
    (the stale-base check leaves _v and _conflicts out)."""
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    BoardStore(theirs, "bob", clock=ticking(11)).update_card(ids["Pilot"], {"title": "Bob's"})
    anna.update_card(ids["Pilot"], {"title": "Anna's"})
    anna.merge_from(theirs)
    seen = anna.card(ids["Pilot"])
    [pilot] = anna.conflicts()
    anna.resolve_conflict(conflict_id(pilot), "mine")
    assert {"_v", "_conflicts"} <= STAMPS
    refuse_changed(anna.card(ids["Pilot"]), seen)  # no Conflict
    anna.delete_card(ids["Pilot"], base=seen)


def test_a_deletion_to_review_keeps_the_card_or_deletes_it(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, theirs, ids = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    bob = BoardStore(theirs, "bob", clock=ticking(11))
    anna.delete_card(ids["Growth"])
    anna.delete_card(ids["Costs"])
    for name in ("Growth", "Costs"):
        bob.update_card(ids[name], {"notes": "edited after"})
    anna.merge_from(theirs)
    found = {c.title: c for c in anna.conflicts()}
    assert all(c.deleted for c in found.values()) and set(found) == {"Growth", "Costs"}
    anna.resolve_conflict(conflict_id(found["Growth"]), "mine")
    anna.resolve_conflict(conflict_id(found["Costs"]), "theirs")
    assert anna.card(ids["Growth"])["notes"] == "edited after"
    with pytest.raises(NotFound):
        anna.card(ids["Costs"])
    anna.merge_from(theirs)  # both decisions hold against bob's copy
    assert anna.card(ids["Growth"])["title"] == "Growth" and anna.conflicts() == []
    with pytest.raises(NotFound):
        anna.card(ids["Costs"])


def test_only_a_card_is_deleted_by_resolving(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, _, _ = copies
    anna = BoardStore(ours, "anna")
    with pytest.raises(ValidationError, match="Unknown choice"):
        anna.resolve_conflict("abcd", "neither")
    with pytest.raises(NotFound, match="No conflict 'abcd'"):
        anna.resolve_conflict("abcd", "mine")


# old files
def write_schema_1(path: Path) -> dict[str, Any]:
    """A board as kamboard wrote it before change stamps (schema 1: no board id, no tombstones)."""
    stamp = {
        "created_at": "2026-01-05T09:00:00Z",
        "created_by": "olga",
        "updated_at": "2026-01-05T09:00:00Z",
        "updated_by": "olga",
        "rev": 1,
    }
    data = {
        "meta": {
            "1": {"schema": 1, "title": "Key accounts", "created_at": "2026-01-05T09:00:00Z", "created_by": "olga"}
        },
        "accounts": {"1": {"id": "a" * 32, "name": "ACME", "owner": "", "notes": "", "archived": False, **stamp}},
        "cards": {
            "1": {
                "id": "c" * 32,
                "account_id": "a" * 32,
                "lane": "topic",
                "title": "Growth",
                "position": 1.0,
                "notes": "",
                "tags": [],
                "links": [],
                "votes": 0,
                **stamp,
            },
        },
        "workshops": {},
        "events": {},
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return data


def test_an_old_file_opens_migrates_on_its_first_write_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    old = write_schema_1(path)
    before = path.read_bytes()
    store = BoardStore(path, "nina")
    assert store.card("c" * 8)["title"] == "Growth" and not store.readonly
    assert path.read_bytes() == before  # reading changes nothing
    store.update_card("c" * 32, {"title": "Growth 2027"})
    data = on_disk(path)
    meta = data["meta"]["1"]
    assert meta["schema"] == SCHEMA_VERSION == 2 and meta["id"] and data["tombstones"] == {}
    assert data["accounts"] == old["accounts"]  # records need no change
    assert data["cards"]["1"]["_v"]["title"]["by"] == "nina"
    again = BoardStore(path, "olga")
    assert again.card("c" * 32)["title"] == "Growth 2027" and again.meta["id"] == meta["id"]
    assert again.accounts()[0]["name"] == "ACME"


def test_two_copies_of_an_old_file_merge_by_the_id_derived_from_it(tmp_path: Path) -> None:
    """An older kamboard's change has no stamp: without the common ancestor it is kept for review
    (never taken for an old value); with the ancestor (git's %O) it simply wins."""
    ours, theirs, base = tmp_path / "ours.json", tmp_path / "theirs.json", tmp_path / "base.json"
    write_schema_1(base)
    data = write_schema_1(theirs)  # an older kamboard changed the title, without stamps
    data["cards"]["1"].update(title="Old kamboard's", updated_at="2026-02-01T09:00:00Z", updated_by="olga", rev=2)
    theirs.write_text(json.dumps(data))
    for ancestor in (None, base):
        write_schema_1(ours)
        store = BoardStore(ours, "nina")
        store.update_card("c" * 32, {"notes": "new kamboard"})
        store.merge_from(theirs, ancestor)
        card = store.card("c" * 32)
        kept = {c.other_value for c in store.conflicts()}
        assert card["notes"] == "new kamboard"
        if ancestor is None:
            assert (card["title"], kept) == ("Growth", {"Old kamboard's"})
        else:
            assert (card["title"], kept) == ("Old kamboard's", set())


def test_a_file_from_a_newer_kamboard_stays_read_only(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    data = write_schema_1(path)
    data["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data))
    store = BoardStore(path, "nina")
    assert store.readonly and "newer kamboard" in store.readonly_reason
    with pytest.raises(ReadOnlyError):
        store.merge_from(tmp_path / "new.json")
    assert os.path.getsize(path) == len(json.dumps(data))
