"""Conflicted copies beside a board: names, same or other board, unreadable copies, the move
into the backups folder, and the messages (kamboard.sync_copies)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kamboard.storage import BACKUP_DIR
from kamboard.store import BoardStore
from kamboard.sync_copies import CopyName, absorb_copies, copy_name, find_copies, folder_signature

DROPBOX = "board (Anna's conflicted copy 2026-09-25).json"
SYNCTHING = "board.sync-conflict-20260925-143012-ABCDEFG.json"
NEXTCLOUD = "board (conflicted copy 2026-09-25 143012).json"
NEXTCLOUD_USER = "board (conflicted copy Anna 2026-09-25 143012).json"
ONEDRIVE = "board-LAPTOP.json"


# ---- names ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (DROPBOX, CopyName("Dropbox", who="Anna", when="2026-09-25")),
        ("board (Anna’s conflicted copy 2026-09-25).json", CopyName("Dropbox", who="Anna", when="2026-09-25")),
        (
            "board (Anna Maria's conflicted copy 2026-09-25) (1).json",
            CopyName("Dropbox", "Anna Maria", when="2026-09-25"),
        ),
        (SYNCTHING, CopyName("Syncthing", device="ABCDEFG", when="2026-09-25 14:30:12")),
        (NEXTCLOUD, CopyName("Nextcloud", when="2026-09-25 14:30:12")),
        (NEXTCLOUD_USER, CopyName("Nextcloud", who="Anna", when="2026-09-25 14:30:12")),
        ("board (conflicted copy 2026-09-25).json", CopyName("", when="2026-09-25")),
        (ONEDRIVE, CopyName("OneDrive", device="LAPTOP", needs_id=True)),
        ("board-DESKTOP-7F3K2L.json", CopyName("OneDrive", device="DESKTOP-7F3K2L", needs_id=True)),
    ],
)
def test_names_of_copies(name: str, expected: CopyName) -> None:
    assert copy_name("board.json", name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "board.json",  # the board itself
        "board.json.lock",
        ".board.json.abcd1234.tmp",
        "other (Anna's conflicted copy 2026-09-25).json",  # another file's copy
        "board (Anna's conflicted copy 2026-09-25).csv",  # another extension
        "board.sync-conflict-20260925-143012-ABCDEFG.csv",
        "board-old.json",  # a name someone gave: lower case is no Windows computer name
        "board-2025.json",  # digits only
        "board-VERYLONGCOMPUTERNAME.json",  # over 15 characters
        "board (conflicted copy).json",
        "board (Anna's conflicted copy 2026-09-25) (Bob's conflicted copy 2026-09-26).json",
    ],
)
def test_names_that_are_no_copies(name: str) -> None:
    assert copy_name("board.json", name) is None


def test_a_board_without_extension() -> None:
    assert copy_name("board", "board (Anna's conflicted copy 2026-09-25)") == CopyName(
        "Dropbox", who="Anna", when="2026-09-25"
    )
    assert copy_name("board", "board.sync-conflict-20260925-143012-ABCDEFG") is not None
    assert copy_name("board", "board (Anna's conflicted copy 2026-09-25).json") is None


def test_a_board_name_with_pattern_characters() -> None:
    board = "team (emea) v1.2.json"
    assert copy_name(board, "team (emea) v1.2 (Anna's conflicted copy 2026-09-25).json") is not None
    assert copy_name(board, "team (emea) v1x2 (Anna's conflicted copy 2026-09-25).json") is None


@pytest.mark.parametrize(
    ("name", "label"),
    [
        (DROPBOX, "Anna's conflicted copy (Dropbox)"),
        (SYNCTHING, "the conflicted copy from device ABCDEFG (Syncthing)"),
        (NEXTCLOUD, "the conflicted copy of 2026-09-25 14:30:12 (Nextcloud)"),
        (NEXTCLOUD_USER, "Anna's conflicted copy (Nextcloud)"),
        (ONEDRIVE, "the copy from LAPTOP (OneDrive)"),
        ("board (conflicted copy 2026-09-25).json", "the conflicted copy of 2026-09-25"),
    ],
)
def test_labels(name: str, label: str) -> None:
    found = copy_name("board.json", name)
    assert found is not None
    assert found.label() == label


def test_find_copies_lists_only_copies_of_this_board(tmp_path: Path) -> None:
    for name in ("board.json", DROPBOX, SYNCTHING, NEXTCLOUD, ONEDRIVE, "notes.txt", "other.json", "board-old.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "other (Bob's conflicted copy 2026-09-25).json").write_text("{}")
    assert [p.name for p in find_copies(tmp_path / "board.json")] == sorted([DROPBOX, SYNCTHING, NEXTCLOUD, ONEDRIVE])


def test_find_copies_follows_a_symlinked_board(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "board.json").write_text("{}")
    (real / DROPBOX).write_text("{}")
    (tmp_path / "link.json").symlink_to(real / "board.json")
    assert find_copies(tmp_path / "link.json") == [real / DROPBOX]


def test_folder_signature_changes_when_a_file_arrives(tmp_path: Path) -> None:
    (tmp_path / "board.json").write_text("{}")
    before = folder_signature(tmp_path / "board.json")
    (tmp_path / DROPBOX).write_text("{}")
    assert folder_signature(tmp_path / "board.json") != before


# ---- absorbing ------------------------------------------------------------------------
@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, "anna", create=True)
    store.add_account("ACME")
    return path


def _copy(board: Path, name: str) -> Path:
    target = board.parent / name
    shutil.copyfile(board, target)
    return target


def _store(path: Path, user: str) -> BoardStore:
    return BoardStore(path, user)


def test_a_copy_of_the_same_board_is_merged_and_moved(board: Path) -> None:
    copy = _copy(board, DROPBOX)
    other = _store(copy, "bob")
    account = other.account("ACME")
    for title in ("One", "Two", "Three"):
        other.add_card(account["id"], "topic", title)
    store = _store(board, "anna")
    results = absorb_copies(store)
    assert [r.message for r in results] == ["Merged Anna's conflicted copy (Dropbox): 3 cards"]
    assert sorted(c["title"] for c in store.cards()) == ["One", "Three", "Two"]
    assert not copy.exists()
    assert results[0].moved_to == board.parent / BACKUP_DIR / DROPBOX
    assert results[0].moved_to.is_file()


def test_a_merge_with_a_conflict_says_so(board: Path) -> None:
    store = _store(board, "anna")
    card = store.add_card(store.account("ACME")["id"], "topic", "Pricing")
    copy = _copy(board, SYNCTHING)
    _store(copy, "bob").update_card(card["id"], {"title": "Pricing 2027"})
    store.update_card(card["id"], {"title": "Pricing model"})
    (result,) = absorb_copies(store)
    assert result.message == "Merged the conflicted copy from device ABCDEFG (Syncthing): 1 card, 1 conflict to review"
    assert len(store.conflicts()) == 1


def test_a_copy_of_another_board_is_left_and_reported(board: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "board.json"
    other.parent.mkdir()
    BoardStore(other, "bob", create=True)
    copy = board.parent / "board (conflicted copy 2026-09-25).json"
    shutil.copyfile(other, copy)
    before = board.read_bytes()
    results = absorb_copies(_store(board, "anna"))
    assert [r.message for r in results] == [
        "Left board (conflicted copy 2026-09-25).json alone: not a copy of this board (another board id)"
    ]
    assert copy.exists()
    assert board.read_bytes() == before


def test_a_onedrive_name_holding_another_board_is_no_copy(board: Path, tmp_path: Path) -> None:
    other = tmp_path / "board-EMEA.json"
    BoardStore(other, "bob", create=True)
    (tmp_path / "board-NOTES.json").write_text("not json")
    assert absorb_copies(_store(board, "anna")) == []
    assert other.exists()


def test_a_onedrive_copy_of_this_board_is_merged(board: Path) -> None:
    copy = _copy(board, ONEDRIVE)
    _store(copy, "bob").add_account("Globex")
    store = _store(board, "anna")
    assert [r.message for r in absorb_copies(store)] == ["Merged the copy from LAPTOP (OneDrive): 1 account"]
    assert [a["name"] for a in store.accounts()] == ["ACME", "Globex"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"meta": {"1": {"schema"', "not a readable board (not valid JSON; still being synced?)"),
        (b"[1, 2]", "not a readable board (not a kamboard file)"),
        (b'{"cards": {}}', "not a readable board (no kamboard meta record)"),
        (b"\xff\xfe", "not a readable board (not valid JSON; still being synced?)"),
    ],
)
def test_an_unreadable_copy_is_left_and_reported(board: Path, content: bytes, reason: str) -> None:
    copy = board.parent / NEXTCLOUD_USER
    copy.write_bytes(content)
    results = absorb_copies(_store(board, "anna"))
    assert [r.message for r in results] == [f"Left {NEXTCLOUD_USER} alone: {reason}"]
    assert copy.read_bytes() == content


def test_a_copy_from_a_newer_kamboard_is_left(board: Path) -> None:
    copy = _copy(board, DROPBOX)
    data = json.loads(copy.read_text())
    for meta in data["meta"].values():
        meta["schema"] = 99
    copy.write_text(json.dumps(data))
    (result,) = absorb_copies(_store(board, "anna"))
    assert not result.merged
    assert result.message.startswith(f"Left {DROPBOX} alone: not merged: ")
    assert "newer kamboard" in result.message
    assert copy.exists()


def test_a_taken_name_in_the_backups_gets_a_stamp(board: Path) -> None:
    backups = board.parent / BACKUP_DIR
    backups.mkdir(exist_ok=True)
    (backups / DROPBOX).write_text("an older copy")
    _copy(board, DROPBOX)
    (result,) = absorb_copies(_store(board, "anna"))
    assert result.moved_to is not None
    assert result.moved_to.parent == backups
    assert result.moved_to.name.startswith(DROPBOX + ".")
    assert (backups / DROPBOX).read_text() == "an older copy"


def test_several_copies_in_one_go(board: Path) -> None:
    for name, user, account in ((DROPBOX, "bob", "Globex"), (SYNCTHING, "carla", "Initech")):
        _store(_copy(board, name), user).add_account(account)
    store = _store(board, "anna")
    messages = [r.message for r in absorb_copies(store)]
    assert messages == [
        "Merged Anna's conflicted copy (Dropbox): 1 account",
        "Merged the conflicted copy from device ABCDEFG (Syncthing): 1 account",
    ]
    assert [a["name"] for a in store.accounts()] == ["ACME", "Globex", "Initech"]
    assert find_copies(board) == []


def test_known_copies_are_said_once_until_they_change(board: Path) -> None:
    copy = board.parent / DROPBOX
    copy.write_text("{")
    store = _store(board, "anna")
    known: dict[Path, tuple[int, int, int]] = {}
    assert len(absorb_copies(store, known)) == 1
    assert absorb_copies(store, known) == []  # unchanged: not read nor said again
    shutil.copyfile(board, copy)  # the sync tool finished writing it
    _store(copy, "bob").add_account("Globex")
    assert [r.merged for r in absorb_copies(store, known)] == [True]
    assert known == {}


def test_a_read_only_board_merges_nothing(board: Path) -> None:
    copy = _copy(board, DROPBOX)
    store = BoardStore(board, "anna", readonly=True)
    (result,) = absorb_copies(store)
    assert result.message == f"Left {DROPBOX} alone: not merged, the board is read-only (read-only mode was asked for)"
    assert copy.exists()


def test_a_copy_with_a_damaged_record_is_left(board: Path) -> None:
    copy = _copy(board, DROPBOX)
    data = json.loads(copy.read_text())
    data["cards"] = {"1": {"id": "x", "title": "No lane", "account_id": "a"}}
    copy.write_text(json.dumps(data))
    before = board.read_bytes()
    (result,) = absorb_copies(_store(board, "anna"))
    assert not result.merged
    assert result.message.startswith(f"Left {DROPBOX} alone: not merged: ")
    assert board.read_bytes() == before
    assert copy.exists()


# ---- the command line -------------------------------------------------------------------
def test_a_command_merges_copies_first_and_says_so_on_stderr(board: Path) -> None:
    from click.testing import CliRunner

    from kamboard.cli import cli

    _store(_copy(board, DROPBOX), "bob").add_account("Globex")
    result = CliRunner().invoke(cli, ["account", "list", "--json", "-f", str(board)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "Merged Anna's conflicted copy (Dropbox): 1 account\n"
    assert [a["name"] for a in json.loads(result.stdout)] == ["ACME", "Globex"]
    assert not (board.parent / DROPBOX).exists()
