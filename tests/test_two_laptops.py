"""Two laptops, one synced board, a day of offline work: nothing is lost.

Anna and Bob each have the board in their own synced folder. A small fake sync tool copies one
laptop's board over the other's; when the other had changed too, it keeps that version beside
the board as a conflicted copy named as Syncthing or Dropbox name them, and syncs the copy to
both laptops (as real tools do). Both add, edit, move, delete and vote, morning and afternoon;
each time kamboard opens the board (``absorb_copies``, as the CLI and the TUI do) the copies are
merged in. At the end both laptops hold the same board, every change is on it or in review.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from kamboard import voting
from kamboard.storage import BACKUP_DIR
from kamboard.store import BoardStore
from kamboard.sync_copies import absorb_copies, find_copies

BOARD = "board.json"


class Clock:
    """A laptop's clock: a minute on at every reading, from ``start`` (HH:MM on 2026-09-25)."""

    def __init__(self, start: str) -> None:
        hours, minutes = map(int, start.split(":"))
        self.minutes = hours * 60 + minutes

    def set(self, at: str) -> None:
        hours, minutes = map(int, at.split(":"))
        self.minutes = hours * 60 + minutes

    def __call__(self) -> str:
        self.minutes += 1
        return f"2026-09-25T{self.minutes // 60:02d}:{self.minutes % 60:02d}:00Z"


class Cloud:
    """The fake sync tool: knows the version it synced last; the board it syncs wins."""

    def __init__(self, *folders: Path) -> None:
        self.folders = folders
        self.synced = (folders[0] / BOARD).read_bytes()
        for folder in folders[1:]:
            shutil.copyfile(folders[0] / BOARD, folder / BOARD)

    def sync(self, source: Path, target: Path, copy_name: str) -> None:
        """``source``'s board goes over ``target``'s; a ``target`` that changed since the last sync
        is kept beside it as ``copy_name``, on every laptop."""
        new, old = (source / BOARD).read_bytes(), (target / BOARD).read_bytes()
        if old != self.synced and old != new:
            for folder in self.folders:
                (folder / copy_name).write_bytes(old)
        tmp = target / f".sync-{BOARD}.tmp"
        tmp.write_bytes(new)
        os.replace(tmp, target / BOARD)  # as sync tools do: the file is replaced, not rewritten
        self.synced = new


def open_board(folder: Path, user: str, clock: Clock) -> tuple[BoardStore, list[str]]:
    """Open the board as kamboard does: conflicted copies beside it are merged in first."""
    store = BoardStore(folder / BOARD, user, clock=clock)
    return store, [result.message for result in absorb_copies(store)]


def card(store: BoardStore, card_id: str) -> dict[str, Any] | None:
    return next((c for c in store.cards() if c["id"] == card_id), None)


def in_review(store: BoardStore, record_id: str, field: str, value: Any) -> bool:
    return any(c.id == record_id and c.field == field and value in (c.value, c.other_value) for c in store.conflicts())


def present_or_in_review(store: BoardStore, card_id: str, field: str, value: Any) -> bool:
    found = card(store, card_id)
    return (found is not None and found.get(field) == value) or in_review(store, card_id, field, value)


def deletion_in_review(store: BoardStore, card_id: str) -> bool:
    return any(c.id == card_id and c.deleted for c in store.conflicts())


def test_a_day_on_two_laptops(tmp_path: Path) -> None:
    laptop_a, laptop_b = tmp_path / "anna", tmp_path / "bob"
    laptop_a.mkdir()
    laptop_b.mkdir()
    anna_clock, bob_clock = Clock("08:00"), Clock("08:00")

    # the board as both have it in the morning
    anna = BoardStore(laptop_a / BOARD, "anna", create=True, clock=anna_clock)
    acme = anna.add_account("ACME", "Alice")["id"]
    ids = {t: anna.add_card(acme, "topic", t)["id"] for t in ("Growth", "Pricing", "Roadmap")}
    ids |= {t: anna.add_card(acme, "challenge", t)["id"] for t in ("Costs", "Skills", "Churn")}
    ids["Pilot"] = anna.add_card(acme, "support", "Pilot", status="proposed", owner="Bob")["id"]
    people = [{"name": "Eva", "side": "customer", "role": "CIO"}, {"name": "Tom", "side": "us", "role": "KAM"}]
    workshop = anna.add_workshop(acme, "Yearly workshop", start="2026-09-25", participants=people)["id"]
    cloud = Cloud(laptop_a, laptop_b)

    # morning, both offline
    anna_clock.set("09:00")
    anna, said = open_board(laptop_a, "anna", anna_clock)
    assert said == []
    ids["A: New CEO"] = anna.add_card(acme, "topic", "A: New CEO")["id"]
    anna.update_card(ids["Pricing"], {"title": "Pricing model"})
    anna.update_card(ids["Roadmap"], {"notes": "Anna's notes"})
    anna.move_card(ids["Growth"], "challenge")
    anna.delete_card(ids["Skills"])
    anna.vote(ids["Costs"], "Eva", workshop)
    anna.update_account(acme, notes="Renewal in March")

    bob_clock.set("09:10")
    bob, said = open_board(laptop_b, "bob", bob_clock)
    assert said == []
    ids["B: Training"] = bob.add_card(acme, "support", "B: Training", owner="Bob")["id"]
    bob.update_card(ids["Pricing"], {"title": "Pricing 2027"})
    bob.update_card(ids["Roadmap"], {"title": "Roadmap 2027"})
    bob.move_card(ids["Costs"], "challenge", 2)  # to the end of its lane
    bob.delete_card(ids["Growth"])  # Anna moved it meanwhile: her change keeps it
    bob.update_card(ids["Skills"], {"notes": "Bob's notes"})  # Anna deleted it meanwhile
    bob.delete_card(ids["Churn"])
    bob.vote(ids["Costs"], "Tom", workshop)
    bob.update_workshop(workshop, {"notes": "Bring the pilot figures"})

    # noon: Syncthing syncs Anna's board to Bob; Bob's version stays beside it, on both laptops
    syncthing = "board.sync-conflict-20260925-120000-BOBLAPT.json"
    cloud.sync(laptop_a, laptop_b, syncthing)
    assert (laptop_a / syncthing).is_file() and (laptop_b / syncthing).is_file()

    bob_clock.set("13:00")
    bob, said = open_board(laptop_b, "bob", bob_clock)
    assert len(said) == 1 and said[0].startswith("Merged the conflicted copy from device BOBLAPT (Syncthing): ")
    assert "conflict" in said[0]
    anna_clock.set("13:05")
    anna, said = open_board(laptop_a, "anna", anna_clock)
    assert len(said) == 1 and "(Syncthing)" in said[0]  # the same copy, merged on her laptop too

    # afternoon, both offline again
    anna.update_card(ids["Pilot"], {"status": "agreed"})
    ids["A: Budget"] = anna.add_card(acme, "challenge", "A: Budget")["id"]
    anna.vote(ids["Pilot"], "Eva", workshop)
    bob_clock.set("14:00")
    bob.update_card(ids["Pilot"], {"due": "2026-12-01"})
    bob.delete_card(ids["A: New CEO"])  # he saw it: a deletion to keep
    ids["B: Follow-up"] = bob.add_card(acme, "support", "B: Follow-up")["id"]
    bob.move_card(ids["B: Training"], "support", 0)

    # evening: Dropbox syncs Bob's board to Anna; hers stays beside it as her conflicted copy
    dropbox = "board (Anna's conflicted copy 2026-09-25).json"
    cloud.sync(laptop_b, laptop_a, dropbox)
    anna_clock.set("18:00")
    anna, said = open_board(laptop_a, "anna", anna_clock)
    assert len(said) == 1 and said[0].startswith("Merged Anna's conflicted copy (Dropbox): ")
    cloud.sync(laptop_a, laptop_b, "not made: Bob's board is as synced last")
    bob_clock.set("18:05")
    bob, said = open_board(laptop_b, "bob", bob_clock)
    assert said == ["Merged Anna's conflicted copy (Dropbox): nothing new"]  # her board has it all

    # both laptops hold one board; no copy is left beside it, each is in the backups
    assert (laptop_a / BOARD).read_bytes() == (laptop_b / BOARD).read_bytes()
    board = BoardStore(laptop_a / BOARD, "anna")
    for folder in (laptop_a, laptop_b):
        assert find_copies(folder / BOARD) == []
        assert {syncthing, dropbox} <= set(os.listdir(folder / BACKUP_DIR))

    # every change of the day is on the board or in review
    titles = {c["id"]: c["title"] for c in board.cards()}
    assert ids["A: Budget"] in titles and ids["B: Follow-up"] in titles
    assert present_or_in_review(board, ids["Pricing"], "title", "Pricing model")
    assert present_or_in_review(board, ids["Pricing"], "title", "Pricing 2027")
    assert in_review(board, ids["Pricing"], "title", "Pricing model")  # both wrote it: one waits for review
    assert card(board, ids["Roadmap"])["title"] == "Roadmap 2027"  # type: ignore[index]
    assert card(board, ids["Roadmap"])["notes"] == "Anna's notes"  # type: ignore[index]
    growth = card(board, ids["Growth"])  # moved by Anna, deleted by Bob: the move keeps it
    assert growth is not None and growth["lane"] == "challenge" and deletion_in_review(board, ids["Growth"])
    skills = card(board, ids["Skills"])  # deleted by Anna, edited by Bob: the edit keeps it
    assert skills is not None and skills["notes"] == "Bob's notes" and deletion_in_review(board, ids["Skills"])
    assert ids["Churn"] not in titles  # deleted by Bob, untouched by Anna: gone
    assert ids["A: New CEO"] not in titles  # added by Anna, deleted by Bob after he saw it
    costs = card(board, ids["Costs"])
    assert costs is not None and voting.voters_in(costs, workshop) == {"Eva": 1, "Tom": 1}
    assert costs["votes"] == 2
    challenge = [c["title"] for c in board.cards(acme, "challenge")]
    assert challenge.index("Costs") > challenge.index("Skills")  # Bob moved it to the end
    pilot = card(board, ids["Pilot"])
    assert pilot is not None and (pilot["status"], pilot["due"]) == ("agreed", "2026-12-01")
    assert voting.voters_in(pilot, workshop) == {"Eva": 1}
    assert board.cards(acme, "support")[0]["title"] == "B: Training"
    assert board.account(acme)["notes"] == "Renewal in March"
    assert board.workshop(workshop)["notes"] == "Bring the pilot figures"
    assert len(board.conflicts()) == 3  # Pricing's title, Growth and Skills kept over a deletion
