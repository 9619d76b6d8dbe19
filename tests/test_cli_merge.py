"""`kamboard merge`, `kamboard conflicts` and the merge driver git calls: diverged copies merged,
conflicts listed and resolved, every refusal a one-line exit 2 that leaves the board as it was."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kamboard.check import check_board
from kamboard.cli import cli
from kamboard.storage import BACKUP_DIR
from kamboard.store import BoardStore


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def fails(*args: str, message: str, code: int = 2) -> Result:
    result = run(*args)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
    err = result.stderr.strip()
    assert "\n" not in err and message in err, err
    assert "Traceback" not in result.output
    return result


def ticking(hour: int) -> Callable[[], str]:
    seconds = itertools.count()
    return lambda: f"2026-03-01T{hour:02d}:{(n := next(seconds)) // 60:02d}:{n % 60:02d}Z"


def titles(path: Path) -> dict[str, str]:
    return {c["id"]: c["title"] for c in json.loads(path.read_bytes())["cards"].values()}


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """One board, copied before anna and bob changed it on their laptops; its card ids by title."""
    ours, theirs = tmp_path / "ours.json", tmp_path / "bob" / "board.json"
    theirs.parent.mkdir()
    seed = BoardStore(ours, "seed", create=True, clock=ticking(9))
    seed.add_account("ACME")
    ids = {t: seed.add_card("ACME", "topic", t)["id"] for t in ("Growth", "Costs", "Pilot", "Audit")}
    shutil.copy(ours, tmp_path / "base.json")
    shutil.copy(ours, theirs)
    anna = BoardStore(ours, "anna", clock=ticking(10))
    bob = BoardStore(theirs, "bob", clock=ticking(11))
    anna.update_card(ids["Growth"], {"title": "Growth (Anna)"})
    bob.update_card(ids["Growth"], {"title": "Growth (Bob)"})  # both: a conflict, bob's is later
    anna.update_card(ids["Costs"], {"notes": "Anna's notes"})
    bob.update_card(ids["Costs"], {"tags": ["energy"]})
    anna.delete_card(ids["Audit"])
    bob.move_card(ids["Pilot"], "support")
    ids["New"] = bob.add_card("ACME", "challenge", "Bob's new card")["id"]
    return ours, theirs, ids


def test_merge_two_diverged_copies(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, theirs, ids = copies
    result = ok("merge", str(ours), str(theirs))
    assert result.stdout.splitlines() == [
        f"{ours}: merged 4 cards; 1 conflict to review.",
        f"Review them with `kamboard conflicts -f {ours}`.",
    ]
    store = BoardStore(ours)
    assert store.card(ids["Growth"])["title"] == "Growth (Bob)"
    costs = store.card(ids["Costs"])
    assert (costs["notes"], costs["tags"]) == ("Anna's notes", ["energy"])
    assert store.card(ids["Pilot"])["lane"] == "support"
    assert store.card(ids["New"])["title"] == "Bob's new card"
    assert ids["Audit"] not in titles(ours)
    assert check_board(ours) == []
    assert len(list((ours.parent / BACKUP_DIR).iterdir())) >= 1
    assert store.events()[-1][1]["summary"] == "merged board.json: merged 4 cards; 1 conflict to review"
    again = ok("merge", str(ours), str(theirs))
    assert again.stdout == f"{ours}: nothing new to merge.\n"


def test_conflicts_are_listed_and_resolved(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, theirs, ids = copies
    ok("merge", str(ours), str(theirs))
    listed = ok("conflicts", "-f", str(ours)).stdout.splitlines()
    assert listed[0].split() == ["ID", "RECORD", "FIELD", "SHOWN", "(mine)", "OTHER", "(theirs)"]
    [(cid, row)] = [(line.split()[0], line) for line in listed[1:-1]]
    assert "card Growth (Bob)" in row and "title" in row
    assert "Growth (Bob) (bob, 2026-03-01 11:00)" in row and "Growth (Anna) (anna, 2026-03-01 10:00)" in row
    assert listed[-1] == "1 conflict(s) to review: `kamboard conflicts resolve ID mine|theirs|both`."
    [entry] = json.loads(ok("conflicts", "--json", "-f", str(ours)).stdout)
    assert entry["id"] == cid and len(cid) == 8
    assert {k: entry[k] for k in ("table", "record_id", "field", "value", "by", "other_value", "other_by")} == {
        "table": "cards",
        "record_id": ids["Growth"],
        "field": "title",
        "value": "Growth (Bob)",
        "by": "bob",
        "other_value": "Growth (Anna)",
        "other_by": "anna",
    }
    done = ok("conflicts", "resolve", cid[:4], "theirs", "-f", str(ours))
    assert done.stdout == f"Settled {cid[:4]} (theirs): kept 'Growth (Anna)'; 0 conflict(s) left to review in {ours}.\n"
    assert titles(ours)[ids["Growth"]] == "Growth (Anna)"
    assert ok("conflicts", "-f", str(ours)).stdout == f"No conflicts to review in {ours}.\n"
    assert json.loads(ok("conflicts", "--json", "-f", str(ours)).stdout) == []
    fails("conflicts", "resolve", cid, "mine", "-f", str(ours), message=f"No conflict {cid!r} to review")
    ok("merge", str(ours), str(theirs))  # bob's copy does not bring it back
    assert titles(ours)[ids["Growth"]] == "Growth (Anna)" and BoardStore(ours).conflicts() == []


@pytest.mark.parametrize("choice, expected", [("mine", "Bob's notes"), ("both", "Bob's notes\n\nAnna's notes")])
def test_resolving_keeps_mine_or_both_texts(tmp_path: Path, choice: str, expected: str) -> None:
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    seed = BoardStore(ours, "seed", create=True, clock=ticking(9))
    seed.add_account("ACME")
    card = seed.add_card("ACME", "topic", "Growth")["id"]
    shutil.copy(ours, theirs)
    BoardStore(ours, "anna", clock=ticking(10)).update_card(card, {"notes": "Anna's notes"})
    BoardStore(theirs, "bob", clock=ticking(11)).update_card(card, {"notes": "Bob's notes"})
    ok("merge", str(ours), str(theirs))
    [entry] = json.loads(ok("conflicts", "--json", "-f", str(ours)).stdout)
    ok("conflicts", "resolve", entry["id"], choice, "-f", str(ours))
    assert BoardStore(ours).card(card)["notes"] == expected
    fails("conflicts", "resolve", entry["id"], "neither", "-f", str(ours), message="'neither' is not one of")


def test_an_edit_beats_a_deletion_and_the_deletion_is_listed(copies: tuple[Path, Path, dict[str, str]]) -> None:
    ours, theirs, ids = copies
    BoardStore(theirs, "bob", clock=ticking(12)).update_card(ids["Audit"], {"notes": "Bob still needs it"})
    ok("merge", str(ours), str(theirs))
    assert titles(ours)[ids["Audit"]] == "Audit"
    found = json.loads(ok("conflicts", "--json", "-f", str(ours)).stdout)
    [deleted] = [c for c in found if c["deleted"]]
    assert (deleted["title"], deleted["other_by"], deleted["field"]) == ("Audit", "anna", "deleted")
    assert "deleted (anna, 2026-03-01 10:00)" in ok("conflicts", "-f", str(ours)).stdout
    ok("conflicts", "resolve", deleted["id"], "theirs", "-f", str(ours))  # apply the deletion after all
    assert ids["Audit"] not in titles(ours)


def test_merge_to_another_file_leaves_ours_as_it_is(copies: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    ours, theirs, ids = copies
    before = ours.read_bytes()
    out = tmp_path / "merged.json"
    result = ok("merge", str(ours), str(theirs), "--base", str(tmp_path / "base.json"), "-o", str(out))
    assert result.stdout.startswith(f"{out}: merged 4 cards; 1 conflict to review.")
    assert ours.read_bytes() == before
    assert check_board(out) == []
    assert titles(out)[ids["Growth"]] == "Growth (Bob)" and ids["New"] in titles(out)
    assert json.loads(out.read_bytes())["meta"] == json.loads(before)["meta"]


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_bytes())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def _meta(path: Path, **fields: Any) -> None:
    _rewrite(path, lambda d: next(iter(d["meta"].values())).update(fields))


def _text(path: Path, text: str) -> None:
    path.write_text(text)


# how to spoil (ours, theirs) -> what the refusal says
REFUSALS: dict[str, tuple[Callable[[Path, Path], object], str]] = {
    "different boards": (lambda ours, theirs: _meta(theirs, id="x" * 32), "These are two different boards"),
    "not json": (lambda ours, theirs: _text(theirs, "{ not json"), "is not valid JSON"),
    "git conflict markers": (
        lambda ours, theirs: _text(theirs, '<<<<<<< HEAD\n{"meta": 1}\n=======\n{}\n>>>>>>> b\n'),
        "conflict markers: run `kamboard git-setup`",
    ),
    "theirs newer": (lambda ours, theirs: _meta(theirs, schema=99), "written by a newer kamboard (schema 99)"),
    "ours newer": (
        lambda ours, theirs: _meta(ours, schema=99),
        "was written by a newer kamboard (schema 99, this one knows 2)",
    ),
    "missing": (lambda ours, theirs: theirs.unlink(), "does not exist"),
    "a folder": (lambda ours, theirs: (theirs.unlink(), theirs.mkdir()), "Cannot read"),
    "bad record": (
        lambda ours, theirs: _rewrite(theirs, lambda d: next(iter(d["cards"].values())).update(lane="nowhere")),
        "field 'lane' is \"nowhere\"",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_are_one_line_and_change_nothing(copies: tuple[Path, Path, dict[str, str]], case: str) -> None:
    ours, theirs, _ = copies
    spoil, message = REFUSALS[case]
    spoil(ours, theirs)
    before = ours.read_bytes()
    fails("merge", str(ours), str(theirs), message=message)
    assert ours.read_bytes() == before


def test_the_merge_driver_writes_ours_and_uses_the_ancestor(
    copies: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    ours, theirs, ids = copies
    base = tmp_path / "base.json"
    card = ids["Pilot"]  # changed by hand in theirs (no stamp): the ancestor tells it is the only change
    _rewrite(theirs, lambda d: next(c for c in d["cards"].values() if c["id"] == card).update(notes="by hand"))
    result = ok("merge-driver", str(base), str(ours), str(theirs))
    assert result.stdout == ""
    assert result.stderr == "kamboard: merged 4 cards; 1 conflict to review.\n"
    assert check_board(ours) == []
    store = BoardStore(ours)
    assert store.card(card)["notes"] == "by hand"
    assert [c.field for c in store.conflicts()] == ["title"]


def test_the_merge_driver_without_an_ancestor_and_when_it_cannot_merge(
    copies: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    ours, theirs, ids = copies
    empty = tmp_path / "empty"
    empty.write_bytes(b"")  # git's %O when the file has no common ancestor
    ok("merge-driver", str(empty), str(ours), str(theirs))
    assert titles(ours)[ids["New"]] == "Bob's new card"
    _rewrite(theirs, lambda d: next(iter(d["meta"].values())).update(id="x" * 32))
    before = ours.read_bytes()
    result = run("merge-driver", str(empty), str(ours), str(theirs))
    assert result.exit_code == 1 and "two different boards" in result.stderr
    assert ours.read_bytes() == before


def test_git_setup_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    fails("git-setup", message="Not in a git repository")


def test_card_and_workshop_json_leave_the_merge_stamps_out(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    store = BoardStore(path, "anna", create=True)
    store.add_account("ACME")
    card = store.add_card("ACME", "topic", "Growth")
    store.update_card(card["id"], {"title": "Growth 2027", "tags": ["a"]})
    workshop = store.add_workshop("ACME", "Workshop 2027")
    store.update_workshop(workshop["id"], {"location": "Hamburg"})
    assert "_v" in store.card(card["id"]) and "_v" in store.workshop(workshop["id"])  # stamped in the file
    shown = json.loads(ok("-f", str(path), "card", "show", card["id"], "--json").stdout)
    listed = json.loads(ok("-f", str(path), "card", "list", "--json").stdout)
    ws = json.loads(ok("-f", str(path), "workshop", "show", workshop["id"], "--json").stdout)
    assert shown["title"] == "Growth 2027" and listed[0]["tags"] == ["a"] and ws["location"] == "Hamburg"
    for doc in (shown, listed[0], ws):
        assert not {"_v", "_conflicts"} & set(doc)
