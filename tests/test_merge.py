"""The merge engine, rule by rule: fields, conflicts, deletions, sets, votes, agenda, events, keys."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest

from kamboard import merge_board as mb
from kamboard import model
from kamboard.merge_edit import holds, last_count, replica_id
from kamboard.merge_state import flatten, parse

Doc = dict[str, Any]
T0 = "2026-01-01T09:00:00Z"


def stamp(at: str = T0, by: str = "seed") -> Doc:
    return {"created_at": at, "created_by": by, "updated_at": at, "updated_by": by, "rev": 1}


def card(rid: str, title: str, **fields: Any) -> Doc:
    base = {"account_id": "a0", "lane": "topic", "position": 1.0, "notes": "", "tags": [], "links": [], "votes": 0}
    return {"id": rid, "title": title, **base, **stamp(), **fields}


def board(*cards: Doc, workshop: Doc | None = None, events: Doc | None = None) -> Doc:
    meta = {"id": "b1", "schema": mb.SCHEMA, "title": "Board", "created_at": T0, "created_by": "seed"}
    return {
        "meta": {"1": meta},
        "accounts": {"1": {"id": "a0", "name": "Acme", "owner": "", "notes": "", "archived": False, **stamp()}},
        "cards": {str(i + 1): c for i, c in enumerate(cards)},
        "workshops": {"1": workshop} if workshop else {},
        "events": events or {},
        "tombstones": {},
    }


def workshop(agenda: list[Doc] | None = None, participants: list[Doc] | None = None) -> Doc:
    items = (
        agenda
        if agenda is not None
        else [{"id": f"g{i}", "title": f"Item {i}", "lane": "", "minutes": 30} for i in range(3)]
    )
    people = participants if participants is not None else [{"name": "Kim", "side": "us", "role": "lead"}]
    return {"id": "w0", "account_id": "a0", "title": "WS", "agenda": items, "participants": people, **stamp()}  # fmt: skip


def find(data: Doc, rid: str) -> Doc | None:
    for table in ("accounts", "cards", "workshops"):
        for doc in data.get(table, {}).values():
            if doc.get("id") == rid:
                return doc
    return None


def edit(data: Doc, rid: str, user: str, at: str, change: Any = None, **fields: Any) -> Doc:
    """Change a record as the store does: apply, stamp who/when/rev, stamp_change."""
    rec = find(data, rid)
    assert rec is not None
    before = copy.deepcopy(rec)
    if change is not None:
        change(rec)
    rec.update(fields)
    rec["updated_at"], rec["updated_by"], rec["rev"] = at, user, rec["rev"] + 1
    mb.stamp_change(before, rec, user, at=at)
    return rec


def delete(data: Doc, rid: str, user: str, at: str) -> Doc:
    key, rec = next((k, d) for k, d in data["cards"].items() if d["id"] == rid)
    tomb = mb.stamp_delete(rec, "cards", user, at)
    del data["cards"][key]
    mb.put_tombstone(data, tomb)
    return tomb


def two(data: Doc) -> tuple[Doc, Doc]:
    return copy.deepcopy(data), copy.deepcopy(data)


def both_ways(a: Doc, b: Doc, base: Doc | None = None) -> tuple[Doc, mb.MergeReport]:
    """merge(a, b), checked equal by content to merge(b, a)."""
    ab, report = mb.merge(a, b, base)
    ba, _ = mb.merge(b, a, base)
    assert mb.content(ab) == mb.content(ba)
    return ab, report


# fields
def test_a_field_changed_on_one_side_takes_that_value() -> None:
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="Growth plan")
    edit(b, "c2", "bob", "2026-02-01T09:00:00Z", notes="call them")
    merged, report = both_ways(a, b)
    assert find(merged, "c1")["title"] == "Growth plan"
    assert find(merged, "c2")["notes"] == "call them"
    assert not mb.list_conflicts(merged) and not report.conflicts
    assert report.summary() == "merged 1 card"
    assert report.ours.changed == {"cards": 1} and report.theirs.changed == {"cards": 1}


def test_both_sides_changed_a_field_the_later_wins_the_other_is_kept_for_review() -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="Anna's title")
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", title="Bob's title", notes="bob's notes")
    merged, report = both_ways(a, b)
    rec = find(merged, "c1")
    assert rec["title"] == "Bob's title" and rec["notes"] == "bob's notes"
    [conflict] = report.conflicts
    assert (conflict.field, conflict.value, conflict.by, conflict.at) == (
        "title",
        "Bob's title",
        "bob",
        "2026-02-01T11:00:00Z",
    )
    assert (conflict.other_value, conflict.other_by, conflict.other_at) == (
        "Anna's title",
        "anna",
        "2026-02-01T10:00:00Z",
    )
    assert rec["_conflicts"]["title"][0]["value"] == "Anna's title"  # in the file, with who and when
    assert mb.list_conflicts(merged) == report.conflicts
    assert report.summary() == "merged 1 card; 1 conflict to review"


def test_the_board_title_merges_like_any_field() -> None:
    a, b = two(board())
    for data, who, title in ((a, "anna", "Key accounts"), (b, "bob", "KAM board")):
        meta = data["meta"]["1"]
        before = copy.deepcopy(meta)
        meta["title"] = title
        mb.stamp_change(before, meta, who, at=f"2026-02-01T1{len(who)}:00:00Z")
    merged, report = both_ways(a, b)
    assert merged["meta"]["1"]["title"] == "Key accounts"
    assert [(c.table, c.field, c.other_value) for c in report.conflicts] == [("meta", "title", "KAM board")]
    assert mb.list_conflicts(merged) == report.conflicts


def test_a_tie_in_time_goes_to_the_author_then_the_value() -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="A")
    edit(b, "c1", "bob", "2026-02-01T10:00:00Z", title="B")
    merged, _ = both_ways(a, b)
    assert find(merged, "c1")["title"] == "B"  # 'bob' > 'anna'


def test_the_same_new_value_on_both_sides_is_no_conflict() -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", status="done")
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", status="done")
    merged, report = both_ways(a, b)
    assert find(merged, "c1")["status"] == "done"
    assert not report.conflicts and not mb.list_conflicts(merged)


def test_a_change_made_after_seeing_the_other_replaces_it_without_conflict() -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="Anna's")
    b = copy.deepcopy(mb.merge(b, a)[0])  # bob syncs, then changes it again
    edit(b, "c1", "bob", "2026-02-01T09:00:00Z", title="Bob's, later")  # an earlier clock does not matter
    merged, report = both_ways(a, b)
    assert find(merged, "c1")["title"] == "Bob's, later" and not report.conflicts


def test_concurrent_moves_take_the_later_one_silently() -> None:
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs", position=2.0)))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", lane="challenge", position=5.0)
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", position=2.5)
    merged, report = both_ways(a, b)
    rec = find(merged, "c1")
    assert (rec["lane"], rec["position"]) == ("challenge", 2.5)
    assert not report.conflicts  # position is not worth a review; a card never appears twice
    assert len(merged["cards"]) == 2


# deletions
@pytest.mark.parametrize("order", ["deleter first", "editor first"])
def test_an_edit_beats_a_concurrent_delete(order: str) -> None:
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs")))
    delete(a, "c1", "anna", "2026-02-01T12:00:00Z")
    edit(b, "c1", "bob", "2026-02-01T10:00:00Z", notes="still relevant")
    merged, report = mb.merge(a, b) if order == "deleter first" else mb.merge(b, a)
    rec = find(merged, "c1")
    assert rec is not None and rec["notes"] == "still relevant"
    [note] = rec["_conflicts"]["_deleted"]
    assert (note["by"], note["at"]) == ("anna", "2026-02-01T12:00:00Z")
    [conflict] = report.conflicts
    assert conflict.deleted and conflict.other_by == "anna"
    assert len(merged["tombstones"]) == 1  # the deletion stays known


@pytest.mark.parametrize("order", ["deleter first", "other first"])
def test_a_delete_without_concurrent_edit_removes_the_record(order: str) -> None:
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="Seen by bob")
    b = copy.deepcopy(mb.merge(b, a)[0])
    delete(b, "c1", "bob", "2026-02-01T11:00:00Z")
    edit(a, "c2", "anna", "2026-02-01T12:00:00Z", notes="x")
    merged, report = mb.merge(b, a) if order == "deleter first" else mb.merge(a, b)
    assert find(merged, "c1") is None and find(merged, "c2")["notes"] == "x"
    [tomb] = merged["tombstones"].values()
    assert (tomb["id"], tomb["by"], tomb["record"]["title"]) == ("c1", "bob", "Seen by bob")
    assert not report.conflicts
    removed = report.ours.removed if order == "other first" else report.theirs.removed
    assert removed == {"cards": 1}


def test_a_record_only_on_one_side_without_tombstone_was_added_there() -> None:
    a, b = two(board(card("c1", "Growth")))
    a["cards"]["2"] = card("c2", "New on A", created_at="2026-02-01T10:00:00Z")
    merged, report = both_ways(a, b)
    assert find(merged, "c2")["title"] == "New on A"
    assert report.theirs.added == {"cards": 1} and report.ours.total() == 0


def test_a_revived_record_comes_back_whole() -> None:
    """A title change seen by the deleter, and a concurrent notes change elsewhere: both come back,
    whichever copy is merged first (the tombstone keeps the record)."""
    a, b, c = (copy.deepcopy(board(card("c1", "Growth"))) for _ in range(3))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="Anna's title")
    b = copy.deepcopy(mb.merge(b, a)[0])
    delete(b, "c1", "bob", "2026-02-01T11:00:00Z")
    edit(c, "c1", "carl", "2026-02-01T12:00:00Z", notes="Carl's notes")
    for merged in (mb.merge(mb.merge(a, b)[0], c)[0], mb.merge(a, mb.merge(b, c)[0])[0]):
        rec = find(merged, "c1")
        assert (rec["title"], rec["notes"]) == ("Anna's title", "Carl's notes")


def test_a_link_to_a_card_deleted_elsewhere_is_kept_out_of_the_list_but_not_forgotten() -> None:
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs")))
    delete(a, "c1", "anna", "2026-02-01T12:00:00Z")
    edit(b, "c2", "bob", "2026-02-01T10:00:00Z", links=["c1"])
    merged, _ = both_ways(a, b)
    assert find(merged, "c1") is None
    rec = find(merged, "c2")
    assert rec["links"] == []
    assert rec["_v"]["links\x00c1"]["value"] is True  # back in the list should the card come back


def test_a_hidden_link_shows_again_when_its_card_comes_back() -> None:
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs")))
    tomb = delete(a, "c1", "anna", "2026-02-01T12:00:00Z")
    edit(b, "c2", "bob", "2026-02-01T10:00:00Z", links=["c1"])
    merged = copy.deepcopy(mb.merge(a, b)[0])
    assert find(merged, "c2")["links"] == []
    rec = copy.deepcopy(tomb["record"])  # anna undoes her deletion
    rec["updated_at"] = "2026-02-01T13:00:00Z"
    mb.stamp_restore(rec, next(iter(merged["tombstones"].values())), "anna")
    merged["cards"]["9"] = rec
    assert mb.refresh_links(merged) == ["c2"] and find(merged, "c2")["links"] == ["c1"]
    again, _ = both_ways(merged, b)
    assert find(again, "c2")["links"] == ["c1"] and find(again, "c1") is not None


# sets, votes, agenda, participants
def test_tags_and_links_merge_as_sets() -> None:
    a, b = two(board(card("c1", "Growth", tags=["it", "hr"]), card("c2", "Costs"), card("c3", "Pilot")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", tags=["it", "hr", "ops"], links=["c2"])
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", tags=["it", "sales"], links=["c3"])
    merged, report = both_ways(a, b)
    rec = find(merged, "c1")
    assert rec["tags"] == ["it", "ops", "sales"]  # bob's order (later); anna's addition after its nearest neighbour
    assert sorted(rec["links"]) == ["c2", "c3"]
    assert not report.conflicts


def test_a_tag_added_on_one_side_and_removed_on_the_other_stays() -> None:
    a, b = two(board(card("c1", "Growth", tags=["it"])))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", tags=[])
    edit(a, "c1", "anna", "2026-02-01T10:01:00Z", tags=["it"])  # removed, then added again
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", tags=[])
    merged, _ = both_ways(a, b)
    assert find(merged, "c1")["tags"] == ["it"]  # concurrent add and remove: the add wins


def test_votes_of_two_voters_both_count() -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", voters={"Kim": 2}, votes=2, voted_in="w0")
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", voters={"Lea": 1}, votes=1, voted_in="w0")
    merged, report = both_ways(a, b)
    rec = find(merged, "c1")
    assert rec["voters"] == {"Kim": 2, "Lea": 1} and rec["votes"] == 3
    assert not report.conflicts


def test_agenda_items_merge_by_id_field_by_field() -> None:
    a, b = two(board(workshop=workshop()))

    def anna(ws: Doc) -> None:
        ws["agenda"] = [dict(i) for i in ws["agenda"]]
        ws["agenda"][1]["minutes"] = 45
        ws["agenda"].insert(0, {"id": "ga", "title": "Anna's opener", "lane": "", "minutes": 10})

    def bob(ws: Doc) -> None:
        ws["agenda"] = [dict(i) for i in ws["agenda"]]
        ws["agenda"][1]["title"] = "Bob's title"
        ws["agenda"].append({"id": "gb", "title": "Bob's close", "lane": "", "minutes": 20})

    edit(a, "w0", "anna", "2026-02-01T10:00:00Z", anna)
    edit(b, "w0", "bob", "2026-02-01T11:00:00Z", bob)
    merged, report = both_ways(a, b)
    agenda = find(merged, "w0")["agenda"]
    assert [i["id"] for i in agenda] == ["ga", "g0", "g1", "g2", "gb"]
    assert (agenda[2]["title"], agenda[2]["minutes"]) == ("Bob's title", 45)
    assert not report.conflicts


def test_an_agenda_item_edited_on_one_side_and_removed_on_the_other_stays() -> None:
    a, b = two(board(workshop=workshop()))
    edit(a, "w0", "anna", "2026-02-01T12:00:00Z", lambda ws: ws.update(agenda=ws["agenda"][:1] + ws["agenda"][2:]))

    def bob(ws: Doc) -> None:
        ws["agenda"] = [dict(i) for i in ws["agenda"]]
        ws["agenda"][1]["minutes"] = 90

    edit(b, "w0", "bob", "2026-02-01T10:00:00Z", bob)
    merged, _ = both_ways(a, b)
    assert [(i["id"], i["minutes"]) for i in find(merged, "w0")["agenda"]] == [("g0", 30), ("g1", 90), ("g2", 30)]


def test_an_agenda_item_removed_on_one_side_is_removed() -> None:
    a, b = two(board(workshop=workshop()))
    edit(a, "w0", "anna", "2026-02-01T12:00:00Z", lambda ws: ws.update(agenda=ws["agenda"][1:]))
    edit(b, "w0", "bob", "2026-02-01T10:00:00Z", title="WS 2026")
    merged, _ = both_ways(a, b)
    ws = find(merged, "w0")
    assert [i["id"] for i in ws["agenda"]] == ["g1", "g2"] and ws["title"] == "WS 2026"
    assert ws["_v"]["agenda\x00g0\x00title"]["value"] == "Item 0"  # its fields are kept, out of sight


def test_participants_merge_by_name_and_a_role_changed_twice_is_a_conflict() -> None:
    people = [{"name": "Kim", "side": "us", "role": "lead"}, {"name": "Lea", "side": "customer", "role": ""}]
    a, b = two(board(workshop=workshop(participants=people)))

    def anna(ws: Doc) -> None:
        ws["participants"] = [{**p, "role": "host"} if p["name"] == "Kim" else p for p in ws["participants"]]
        ws["participants"].append({"name": "Max", "side": "us", "role": ""})

    def bob(ws: Doc) -> None:
        ws["participants"] = [{**p, "role": "facilitator"} for p in ws["participants"] if p["name"] != "Lea"]

    edit(a, "w0", "anna", "2026-02-01T10:00:00Z", anna)
    edit(b, "w0", "bob", "2026-02-01T11:00:00Z", bob)
    merged, report = both_ways(a, b)
    ws = find(merged, "w0")
    assert [(p["name"], p["role"]) for p in ws["participants"]] == [("Kim", "facilitator"), ("Max", "")]
    [conflict] = report.conflicts
    assert (conflict.field, conflict.value, conflict.other_value) == ("participants 'Kim': role", "facilitator", "host")


# events, keys, meta
def test_events_merge_by_id_and_keep_the_newest(monkeypatch: pytest.MonkeyPatch) -> None:
    def event(n: int) -> Doc:
        return {"id": f"e{n}", "at": f"2026-02-01T10:00:{n:02d}Z", "by": "x", "kind": "card.edit"}

    a = board(events={"1": event(1), "2": event(2), "3": event(4)})
    b = board(events={"1": event(1), "2": event(3), "3": event(5)})
    merged, _ = both_ways(a, b)
    assert sorted(e["id"] for e in merged["events"].values()) == ["e1", "e2", "e3", "e4", "e5"]
    assert {k: e["id"] for k, e in mb.merge(a, b)[0]["events"].items()} == {
        "1": "e1", "2": "e2", "3": "e4", "4": "e3", "5": "e5"
    }  # fmt: skip  # ours' keys kept, new ones after them: the live view sees them as new
    monkeypatch.setattr(mb, "EVENT_CAP", 3)
    merged, _ = both_ways(a, b)
    assert sorted(e["id"] for e in merged["events"].values()) == ["e3", "e4", "e5"]


def test_document_keys_stay_unique() -> None:
    a, b = two(board(card("c1", "Growth")))
    a["cards"]["2"] = card("ca", "Added on A")
    b["cards"]["2"] = card("cb", "Added on B")
    b["cards"]["7"] = card("cc", "Also on B")
    ab, _ = mb.merge(a, b)
    assert {k: d["id"] for k, d in ab["cards"].items()} == {"1": "c1", "2": "ca", "7": "cc", "8": "cb"}
    ba, _ = mb.merge(b, a)
    assert {k: d["id"] for k, d in ba["cards"].items()} == {"1": "c1", "2": "cb", "7": "cc", "8": "ca"}
    assert mb.content(ab) == mb.content(ba)


def test_two_different_boards_do_not_merge() -> None:
    a, b = two(board())
    b["meta"]["1"]["id"] = "other"
    with pytest.raises(mb.MergeError, match="two different boards"):
        mb.merge(a, b)
    with pytest.raises(mb.MergeError, match="not a kamboard board"):
        mb.merge(a, {"cards": {}})
    b["meta"]["1"].update(id="b1", schema=mb.SCHEMA + 1)
    with pytest.raises(mb.MergeError, match="newer kamboard"):
        mb.merge(a, b)


def test_the_merge_writes_the_new_schema_and_changes_no_input() -> None:
    assert mb.SCHEMA == model.SCHEMA_VERSION + 1 or mb.SCHEMA == model.SCHEMA_VERSION
    a, b = two(board(card("c1", "Growth"), card("c2", "Costs")))
    a["meta"]["1"]["schema"] = 1
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="A")
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", title="B")
    delete(b, "c2", "bob", "2026-02-01T11:00:00Z")
    frozen = orjson.dumps((a, b))
    merged, _ = mb.merge(a, b)
    assert orjson.dumps((a, b)) == frozen
    assert merged["meta"]["1"]["schema"] == mb.SCHEMA
    assert orjson.loads(orjson.dumps(merged)) == merged  # plain JSON


def test_merge_constants_match_the_store() -> None:
    from kamboard import store

    assert mb.EVENT_LIMIT == store.EVENT_LIMIT and mb.EVENT_CAP == store.EVENT_LIMIT + 100


# old files and the common ancestor
def old_board(*cards: Doc) -> Doc:
    data = board(*cards)
    data["meta"]["1"]["schema"] = 1
    del data["meta"]["1"]["id"], data["tombstones"]
    return data


def test_migrate_adds_a_stable_board_id_and_the_tombstones_table() -> None:
    a, b = old_board(card("c1", "Growth")), old_board(card("c1", "Growth"))
    mb.migrate(a)
    assert a["meta"]["1"]["schema"] == mb.SCHEMA and a["tombstones"] == {}
    assert a["meta"]["1"]["id"] == mb.board_id(b)  # two copies of one old file agree on its id
    assert find(a, "c1") == card("c1", "Growth")  # records need no change


def test_an_unstamped_change_is_never_taken_for_an_old_value() -> None:
    """An older kamboard changed a field without stamps; the other copy changed it with stamps."""
    old = old_board(card("c1", "Growth"), card("c2", "Costs"))
    new = mb.migrate(copy.deepcopy(old))
    find(old, "c1").update(title="Old kamboard's title", updated_at="2026-02-01T10:00:00Z", updated_by="olga")
    find(old, "c2").update(notes="only the old side", updated_at="2026-02-01T10:00:00Z", updated_by="olga")
    edit(new, "c1", "nina", "2026-02-01T11:00:00Z", title="New kamboard's title")
    merged, report = both_ways(old, new)
    assert find(merged, "c1")["title"] == "New kamboard's title"
    assert [(c.path, c.other_value, c.other_by) for c in report.conflicts if c.id == "c1"] == [
        ("title", "Old kamboard's title", "olga")
    ]
    assert "only the old side" in (find(merged, "c2")["notes"], find(merged, "c2")["_conflicts"]["notes"][0]["value"])


def test_the_common_ancestor_settles_unstamped_changes_and_deletions() -> None:
    base = old_board(card("c1", "Growth"), card("c2", "Costs"), card("c3", "Pilot"))
    old, new = copy.deepcopy(base), mb.migrate(copy.deepcopy(base))
    find(old, "c2").update(notes="only the old side", updated_at="2026-02-01T10:00:00Z", updated_by="olga")
    del old["cards"]["3"]  # deleted by an older kamboard: no tombstone
    old["events"]["1"] = {
        "id": "e1",
        "at": "2026-02-01T10:05:00Z",
        "by": "olga",
        "kind": "card.delete",
        "record_id": "c3",
    }
    edit(new, "c1", "nina", "2026-02-01T11:00:00Z", title="New title")
    merged, report = both_ways(old, new, base)
    assert find(merged, "c1")["title"] == "New title"
    assert find(merged, "c2")["notes"] == "only the old side" and not report.conflicts
    assert find(merged, "c3") is None
    [tomb] = merged["tombstones"].values()
    assert (tomb["id"], tomb["by"], tomb["at"]) == ("c3", "olga", "2026-02-01T10:05:00Z")
    without, _ = both_ways(old, new)  # without the ancestor nothing is lost either
    assert find(without, "c3") is not None


# stamps, resolving, replicas
def test_stamp_change_stamps_only_the_changed_fields() -> None:
    data = board(card("c1", "Growth", tags=["it"]))
    rec = edit(data, "c1", "anna", "2026-02-01T10:00:00Z", title="New", tags=["it", "hr"])
    assert sorted(rec["_v"]) == ["tags\x00", "tags\x00hr", "title"]
    assert rec["_v"]["title"]["by"] == "anna" and rec["_v"]["title"]["vv"]["anna"] == 1
    rec = edit(data, "c1", "anna", "2026-02-01T10:01:00Z", notes="n")
    assert rec["_v"]["notes"]["vv"]["anna"] == 2  # one counter per writer and record
    assert parse(rec)["title"][-1].value == "New" and flatten(rec)["tags\x00hr"] is True


@pytest.mark.parametrize("choice, expected", [("mine", "B"), ("theirs", "A"), ("both", "B / A")])
def test_resolve_settles_a_conflict_for_good(choice: str, expected: str) -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", title="A")
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", title="B")
    merged = copy.deepcopy(mb.merge(a, b)[0])
    edit(merged, "c1", "carl", "2026-02-01T12:00:00Z", lambda r: mb.resolve(r, "title", choice, "carl"))
    assert find(merged, "c1")["title"] == expected and not mb.list_conflicts(merged)
    again, report = both_ways(merged, a)
    assert find(again, "c1")["title"] == expected and not report.conflicts


def test_resolve_both_joins_multiline_text_with_a_blank_line() -> None:
    a, b = two(board(card("c1", "Growth")))
    edit(a, "c1", "anna", "2026-02-01T10:00:00Z", notes="first")
    edit(b, "c1", "bob", "2026-02-01T11:00:00Z", notes="second")
    merged = copy.deepcopy(mb.merge(a, b)[0])
    assert mb.resolve(find(merged, "c1"), "notes", "both", "carl") == "second\n\nfirst"
    with pytest.raises(ValueError, match="no conflict"):
        mb.resolve(find(merged, "c1"), "notes", "mine", "carl")


def test_keeping_a_record_after_a_deletion_sticks() -> None:
    a, b = two(board(card("c1", "Growth")))
    delete(a, "c1", "anna", "2026-02-01T12:00:00Z")
    edit(b, "c1", "bob", "2026-02-01T10:00:00Z", notes="keep me")
    merged = copy.deepcopy(mb.merge(b, a)[0])
    edit(merged, "c1", "bob", "2026-02-01T13:00:00Z", lambda r: mb.resolve(r, "_deleted", "mine", "bob"))
    assert not mb.list_conflicts(merged)
    again, report = both_ways(merged, a)
    assert find(again, "c1")["notes"] == "keep me" and not report.conflicts


def test_an_undone_deletion_survives_the_merge_with_the_copy_that_saw_it() -> None:
    a = board(card("c1", "Growth"))
    tomb = delete(a, "c1", "anna", "2026-02-01T10:00:00Z")
    b = copy.deepcopy(a)
    rec = copy.deepcopy(tomb["record"])
    mb.stamp_restore(rec, tomb, "anna", "2026-02-01T10:01:00Z")
    a["cards"]["1"] = rec
    merged, _ = both_ways(a, b)
    assert find(merged, "c1") is not None and not mb.list_conflicts(merged)


@pytest.mark.parametrize("tagged", [True, False])
def test_one_person_on_two_copies_must_write_as_two_replicas(tagged: bool) -> None:
    """Anna changes a title on her laptop, and twice on her desktop (or two git branches). With
    one replica name the desktop's second change claims to have seen the laptop's: it is lost.
    With a tag per copy (``replica_id``) it stays as a conflict to review."""
    a, b = two(board(card("c1", "Growth")))
    laptop, desktop = (replica_id("anna", "l1"), replica_id("anna", "d1")) if tagged else ("anna", "anna")
    assert replica_id("anna", "l1") == "anna#l1" and replica_id("anna") != replica_id("anna")
    for data, who, title in ((a, laptop, "On the laptop"), (b, desktop, "Desktop"), (b, desktop, "Desktop 2")):
        rec = find(data, "c1")
        before = copy.deepcopy(rec)
        rec.update(title=title, updated_at="2026-02-01T10:00:00Z", updated_by="anna")
        mb.stamp_change(before, rec, "anna", replica=who)
    assert last_count(find(b, "c1"), desktop) == 2 and holds(find(b, "c1"), desktop, 2)
    assert holds(find(b, "c1"), laptop, 1) is not tagged  # what the store checks before reusing a tag
    merged, report = both_ways(a, b)
    kept = {c.other_value for c in report.conflicts} | {find(merged, "c1")["title"]}
    assert kept == ({"On the laptop", "Desktop 2"} if tagged else {"Desktop 2"})


def test_problems_name_two_accounts_of_the_same_name() -> None:
    a, b = two(board())
    a["accounts"]["2"] = {"id": "a1", "name": "Beta", **stamp()}
    b["accounts"]["2"] = {"id": "a2", "name": "beta", **stamp()}
    _, report = mb.merge(a, b)
    assert report.problems == ["Two accounts are named 'beta': rename one."]
