"""The board file on disk: failed saves keep the backups, shared boards keep their access, a FIFO is refused.

Some of these run a child process: one limited with RLIMIT_FSIZE (as `ulimit -f 1` does), one
acting as another member of a group (started as root, it drops to that user after its imports),
and every one that a FIFO could block (a timeout there only guards against a hang).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import kamboard
from kamboard import storage as storage_mod
from kamboard.errors import BoardError
from kamboard.storage import BACKUP_DIR, SharedJSONStorage
from kamboard.store import BoardStore

ROOT = str(Path(kamboard.__file__).resolve().parent.parent)
HANG_GUARD = 120  # seconds: only so that a regression fails instead of blocking the suite


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": ROOT, "KAMBOARD_USER": "child"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD,
    )


def kamboard_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_python("import sys; from kamboard.cli import main; sys.argv[0] = 'kamboard'; main()", *args)


def backups(path: Path) -> dict[str, bytes]:
    folder = path.parent / BACKUP_DIR
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    store.add_account("ACME")
    for i in range(12):  # more saves than backups kept: the folder is full
        store.add_card("ACME", "topic", f"Card {i}", notes="Some notes. " * 20)
    return path


# ---- 5. failed saves: file and backups exactly as they were ---------------------------------


def test_saves_refused_by_a_file_size_limit_keep_every_backup(board: Path) -> None:
    before, kept = board.read_bytes(), backups(board)
    assert len(kept) == 10 and len(before) > 1024
    child = run_python(
        """
        import resource, signal, sys
        from kamboard.errors import BoardError
        from kamboard.store import BoardStore

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        store = BoardStore(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))  # ulimit -f 1
        refused = []
        for i in range(10):
            try:
                store.add_card("ACME", "topic", f"Refused {i}")
            except BoardError as exc:
                refused.append(str(exc))
        print(len(refused))
        print(refused[-1])
        """,
        str(board),
    )
    assert child.returncode == 0, child.stderr
    count, message = child.stdout.splitlines()
    assert count == "10"
    assert message == f"Could not save {board}: File too large. The file is unchanged."
    assert board.read_bytes() == before
    assert backups(board) == kept


def test_saves_failing_on_a_full_disk_keep_every_backup(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, kept = board.read_bytes(), backups(board)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    store = BoardStore(board, user="bob")
    monkeypatch.setattr(storage_mod, "atomic_write", disk_full)
    for i in range(10):
        with pytest.raises(BoardError, match="the disk is full"):
            store.add_card("ACME", "topic", f"Refused {i}")
    assert board.read_bytes() == before
    assert backups(board) == kept
    monkeypatch.undo()
    store.add_card("ACME", "topic", "Saved")  # and a save that works rotates as before
    after = backups(board)
    assert len(after) == 10 and list(after)[:-1] == list(kept)[1:]
    assert list(after.values())[-1] == before


def test_a_failed_first_save_leaves_no_backup_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "board.json"
    path.write_bytes(b'{"t": {}}')
    storage = SharedJSONStorage(path, backups=10, indent=2, sort_keys=True)
    monkeypatch.setattr(storage_mod, "atomic_write", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EIO, "I/O")))
    with pytest.raises(OSError):
        storage.write({"t": {"1": {}}})
    assert not (tmp_path / BACKUP_DIR).exists()


# ---- 6. group-shared boards keep mode, group, owner; the lock file follows ------------------


def test_owner_group_and_mode_survive_a_save(board: Path) -> None:
    os.chown(board, 1234, 4321)  # as root: a board another user owns, shared with a group
    os.chmod(board, 0o664)
    BoardStore(board, user="root").add_card("ACME", "topic", "By root")
    st = os.stat(board)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 4321, 0o664)
    # the backup is the old file itself (a hard link): same owner
    newest = sorted((board.parent / BACKUP_DIR).iterdir())[-1]
    assert (newest.stat().st_uid, newest.stat().st_gid) == (1234, 4321)


def test_the_lock_file_gets_the_boards_permissions(board: Path) -> None:
    lock = Path(f"{board}.lock")
    os.chmod(board, 0o664)
    os.chown(board, 0, 4321)
    lock.unlink()
    old_umask = os.umask(0o022)  # a umask that would make it 0644
    try:
        BoardStore(board, user="root").add_card("ACME", "topic", "New lock")
    finally:
        os.umask(old_umask)
    st = os.stat(lock)
    assert stat.S_IMODE(st.st_mode) == 0o664 and st.st_gid == 4321
    # one left by an earlier version (0644, another group) is given the board's permissions
    os.chmod(lock, 0o644)
    os.chown(lock, 0, 0)
    BoardStore(board, user="root").add_card("ACME", "topic", "Old lock")
    st = os.stat(lock)
    assert stat.S_IMODE(st.st_mode) == 0o664 and st.st_gid == 4321


def test_without_the_right_to_give_the_file_away_the_group_is_kept(
    board: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.chown(board, 1234, 4321)
    os.chmod(board, 0o664)
    calls: list[tuple[int, int]] = []
    real_fchown = os.fchown

    def not_root(fd: int, uid: int, gid: int) -> None:  # as a member of group 4321, not root
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        real_fchown(fd, uid, gid)

    monkeypatch.setattr(storage_mod.os, "fchown", not_root)
    BoardStore(board, user="bob").add_card("ACME", "topic", "By bob")
    st = os.stat(board)
    assert (st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 0o664)
    assert (1234, 4321) in calls and (-1, 4321) in calls


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A group-writable folder that other users can reach (pytest's tmp folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="kamboard-shared-"))
    os.chown(folder, 0, 4321)
    os.chmod(folder, 0o775)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_member(uid: int, code: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (with ``store`` open on ``path``) as user ``uid``: primary group ``uid``,
    member of group 4321, umask 022; it starts as root and drops to that user after its imports."""
    return run_python(
        f"""
        import os, sys
        import filelock
        from kamboard.errors import BoardError
        from kamboard.store import BoardStore

        os.setgroups([4321])
        os.setgid({uid})
        os.setuid({uid})
        os.umask(0o022)
        store = BoardStore(sys.argv[1], user="uid{uid}", create=True)
        print("read-only:", store.readonly_reason)
        {code}
        """,
        str(path),
    )


@pytest.mark.parametrize("setgid", [False, True], ids=["folder", "setgid folder"])
def test_group_members_take_turns_without_locking_each_other_out(shared_folder: Path, setgid: bool) -> None:
    if setgid:
        os.chmod(shared_folder, 0o2775)
    board = shared_folder / "board.json"
    alice, bob = 1234, 5678
    made = as_member(
        alice,
        "store.add_account('ACME'); os.chown(sys.argv[1], -1, 4321); os.chmod(sys.argv[1], 0o664)",
        board,
    )
    assert made.returncode == 0, made.stderr
    for turn in range(2):
        for uid in (bob, alice):
            done = as_member(uid, f"store.add_card('ACME', 'topic', 'By {uid}, turn {turn}')", board)
            assert done.returncode == 0, done.stderr
            assert done.stdout.splitlines()[0] == "read-only: ", done.stdout
            st = os.stat(board)
            assert (st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 0o664)
    assert len(BoardStore(board).cards()) == 4
    lock = os.stat(f"{board}.lock")
    assert lock.st_gid == 4321 and stat.S_IMODE(lock.st_mode) & 0o060 == 0o060


# ---- 9. a FIFO (or any non-regular file) is refused at once -------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    os.mkfifo(path)
    return path


def test_a_command_on_a_fifo_says_so_at_once(fifo: Path) -> None:
    done = kamboard_cli("-f", str(fifo), "card", "list")
    assert done.returncode == 2
    assert done.stderr == f"Error: {fifo} is not a regular file (a FIFO); give the path of a board file.\n"
    assert "Traceback" not in done.stderr + done.stdout


def test_check_on_a_fifo_says_so_at_once(fifo: Path) -> None:
    done = kamboard_cli("check", str(fifo))
    assert done.returncode == 1
    assert done.stdout == f"{fifo}: cannot read the file: not a regular file (a FIFO)\n"
    repaired = kamboard_cli("check", "--repair", str(fifo))
    assert repaired.returncode == 2
    assert "is not a regular file (a FIFO)" in repaired.stderr


def test_a_board_replaced_by_a_fifo_is_refused_not_waited_for(board: Path) -> None:
    done = run_python(
        """
        import os, sys
        from kamboard.errors import BoardFileError
        from kamboard.store import BoardStore

        store = BoardStore(sys.argv[1])
        os.unlink(sys.argv[1])
        os.mkfifo(sys.argv[1])
        try:
            store.cards()
        except BoardFileError as exc:
            print(exc)
        """,
        str(board),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{board} is not a regular file (a FIFO); give the path of a board file.\n"


def test_other_non_regular_files_are_refused_too(tmp_path: Path) -> None:
    done = kamboard_cli("-f", "/dev/zero", "card", "list")  # would read for ever
    assert done.returncode == 2
    assert "/dev/zero is not a regular file (a character device)" in done.stderr
    demo = kamboard_cli("demo", str(tmp_path / "x.json"), "--no-open", "--cards", "1", "--accounts", "1")
    assert demo.returncode == 0, demo.stderr
    os.mkfifo(tmp_path / "y.json")
    refused = kamboard_cli("demo", str(tmp_path / "y.json"), "--no-open")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
