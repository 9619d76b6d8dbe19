"""SharedJSONStorage: atomic writes, mode, symlinks, stable output, caching, backups."""

from __future__ import annotations

import difflib
import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from kamboard import storage as storage_mod
from kamboard.storage import BACKUP_DIR, TEMP_SUFFIX, SharedJSONStorage, atomic_write, dumps
from kamboard.store import BoardStore


def _board(n: int = 20) -> dict[str, dict[str, Any]]:
    cards = {
        str(i): {"id": f"card{i:04d}", "title": f"Card {i}", "lane": "topic", "position": float(i), "tags": ["a"]}
        for i in range(1, n + 1)
    }
    return {"meta": {"1": {"schema": 1, "title": "T"}}, "cards": cards}


def _temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def _storage(path: Path, **kwargs: Any) -> SharedJSONStorage:
    return SharedJSONStorage(path, indent=2, sort_keys=True, **kwargs)


def test_write_goes_through_a_temp_file_in_the_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    calls: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        calls.append((os.fspath(src), os.fspath(dst)))
        assert json.loads(Path(src).read_bytes()) == _board()  # complete before it is swapped in
        real_replace(src, dst)

    monkeypatch.setattr(storage_mod.os, "replace", spy)
    store.write(_board())
    assert len(calls) == 1
    src, dst = calls[0]
    assert os.path.dirname(src) == str(tmp_path)
    assert src.endswith(TEMP_SUFFIX) and os.path.basename(src).startswith(".board.json.")
    assert dst == str(path)
    assert json.loads(path.read_bytes()) == _board()
    assert _temp_files(tmp_path) == []


def test_disk_full_during_temp_write_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    store.write(_board(5))
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, payload: bytes) -> int:
            self.handle.write(payload[: len(payload) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_mod.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(OSError) as info:
        store.write(_board(50))
    assert info.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert _temp_files(tmp_path) == []
    monkeypatch.undo()
    # the storage forgot the failed data: it reads the old file again
    assert store.read() == _board(5)


def test_failed_replace_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "board.json"
    atomic_write(str(path), b'{"old": {}}')

    def boom(src: str, dst: str) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(storage_mod.os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(str(path), b'{"new": {}}')
    assert path.read_bytes() == b'{"old": {}}'
    assert _temp_files(tmp_path) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_file_mode_is_kept(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "board.json"
    path.write_text("{}")
    os.chmod(path, mode)
    store = _storage(path)
    store.write(_board(3))
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    store.write(_board(4))
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "board.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    store = _storage(link)
    store.write(_board(3))
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert json.loads(target.read_bytes()) == _board(3)
    assert _temp_files(tmp_path) == [] and _temp_files(real_dir) == []
    # the lock sits beside the real file, so every name for it shares one lock
    assert store.lock.lock_file == str(target) + ".lock"


def test_output_is_sorted_indented_and_diff_friendly(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    data = _board(200)
    store.write(data)
    first = path.read_text()
    assert first == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    data["cards"]["100"]["title"] = "Changed title"
    store.write(data)
    second = path.read_text()
    changed = [
        line
        for line in difflib.unified_diff(first.splitlines(), second.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ['-      "title": "Card 100"', '+      "title": "Changed title"']


def test_non_ascii_text_is_written_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    store.write({"t": {"1": {"title": "Größe – 東京 ✓"}}})
    assert "Größe – 東京 ✓" in path.read_text(encoding="utf-8")
    assert SharedJSONStorage(path).read() == {"t": {"1": {"title": "Größe – 東京 ✓"}}}


def test_dumps_matches_json_for_other_options() -> None:
    data = {"b": {"1": {"x": 1}}, "a": {}}
    assert dumps(data) == json.dumps(data).encode().replace(b", ", b",").replace(b": ", b":")
    assert json.loads(dumps(data, indent=4)) == data
    assert dumps(data, indent=4) == json.dumps(data, indent=4).encode()


def test_rereads_only_when_the_file_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "board.json"
    _storage(path).write(_board(10))
    parses: list[int] = []
    real_loads = storage_mod.orjson.loads

    def counting(raw: bytes) -> Any:
        parses.append(len(raw))
        return real_loads(raw)

    monkeypatch.setattr(storage_mod.orjson, "loads", counting)
    reader = _storage(path)
    for _ in range(20):
        assert reader.read() == _board(10)
    assert len(parses) == 1
    assert not reader.changed()
    # our own write keeps the cache: no parse needed
    reader.write(_board(11))
    assert reader.read() == _board(11)
    assert len(parses) == 1
    # another writer: one new parse, then cached again
    _storage(path).write(_board(12))
    assert reader.changed()
    assert reader.read() == _board(12)
    assert reader.read() == _board(12)
    assert len(parses) == 2
    # a same-size rewrite in place is noticed too (new mtime/ctime)
    raw = path.read_bytes().replace(b'Card 1"', b'Card X"')
    os.utime(path, ns=(1, 1))
    with open(path, "r+b") as handle:
        handle.write(raw)
    assert reader.read()["cards"]["1"]["title"] == "Card X"
    assert len(parses) == 3


def test_keeps_last_ten_backups_beside_the_file(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = _storage(path, backups=10)
    versions = []
    for i in range(1, 16):
        store.write(_board(i))
        versions.append(path.read_bytes())
    folder = tmp_path / BACKUP_DIR
    names = sorted(os.listdir(folder))
    assert len(names) == 10
    assert all(name.startswith("board.json.") for name in names)
    kept = [(folder / name).read_bytes() for name in names]
    # each backup is the version before a write: versions 5..14 (the current file is the 15th)
    assert kept == versions[4:14]
    assert path.read_bytes() == versions[14]


def test_backups_off_by_default(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    store.write(_board(1))
    store.write(_board(2))
    assert not (tmp_path / BACKUP_DIR).exists()


def test_board_store_keeps_ten_backups(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, create=True)
    store.add_account("ACME")
    for i in range(14):
        store.add_card("ACME", "topic", f"Card {i}")
    names = sorted(os.listdir(tmp_path / BACKUP_DIR))
    assert len(names) == 10
    newest = json.loads((tmp_path / BACKUP_DIR / names[-1]).read_bytes())
    assert len(newest["cards"]) == 13  # the version just before the last change


def test_leftover_temp_file_is_cleaned_on_next_open(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    BoardStore(path, create=True).add_account("ACME")
    leftover = tmp_path / f".board.json.abc123_z{TEMP_SUFFIX}"
    leftover.write_bytes(b'{"half": ')
    other = tmp_path / f".other.json.abc123_z{TEMP_SUFFIX}"  # another board's temp file: not ours
    other.write_bytes(b"x")
    before = path.read_bytes()
    store = BoardStore(path)
    assert not leftover.exists()
    assert other.exists()
    assert path.read_bytes() == before
    assert [a["name"] for a in store.accounts()] == ["ACME"]


def test_clean_temp_files_reports_what_it_removed(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    (tmp_path / f".board.json.x1234567{TEMP_SUFFIX}").write_bytes(b"")
    (tmp_path / f".board.json.x2345678{TEMP_SUFFIX}").write_bytes(b"")
    assert sorted(store.clean_temp_files()) == [
        f".board.json.x1234567{TEMP_SUFFIX}",
        f".board.json.x2345678{TEMP_SUFFIX}",
    ]
    assert _temp_files(tmp_path) == []


def test_access_mode_r_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    _storage(path).write(_board(2))
    before = path.read_bytes()
    reader = SharedJSONStorage(path, access_mode="r")
    assert reader.read() == _board(2)
    with pytest.raises(OSError, match='Access mode is "r"'):
        reader.write(_board(3))
    assert path.read_bytes() == before
    assert _temp_files(tmp_path) == []


def test_access_mode_r_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SharedJSONStorage(tmp_path / "missing.json", access_mode="r")
    assert not (tmp_path / "missing.json").exists()


def test_bad_access_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="access_mode"):
        SharedJSONStorage(tmp_path / "b.json", access_mode="w")


def test_empty_file_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = _storage(path)
    assert path.exists() and path.read_bytes() == b""
    assert store.read() is None


def test_create_dirs(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "board.json"
    _storage(path, create_dirs=True).write(_board(1))
    assert json.loads(path.read_bytes()) == _board(1)


def test_boards_sharing_a_folder_keep_their_own_backups_and_temp_files(tmp_path: Path) -> None:
    board = _storage(tmp_path / "board.json", backups=2)
    other = _storage(tmp_path / "board.json.old", backups=2)
    for i in range(4):
        other.write(_board(i + 1))
    for i in range(4):
        board.write(_board(i + 1))
    names = sorted(os.listdir(tmp_path / BACKUP_DIR))
    assert len([n for n in names if n.startswith("board.json.old.")]) == 2
    assert len([n for n in names if not n.startswith("board.json.old.")]) == 2
    others_temp = tmp_path / f".board.json.old.abcd1234{TEMP_SUFFIX}"  # another board's save in progress
    others_temp.write_bytes(b"{")
    assert board.clean_temp_files() == []
    assert others_temp.exists()
    assert other.clean_temp_files() == [others_temp.name]
