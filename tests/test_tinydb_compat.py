"""TinyDB compatibility.

1. A plain ``TinyDB(path)`` (its own JSONStorage) reads a kamboard board file.
2. TinyDB's own JSONStorage tests pass with ``SharedJSONStorage`` in its place.

Part 2 is ported from TinyDB 4.9.0 (https://github.com/msiemens/tinydb, MIT licence,
Copyright (c) Markus Siemens): tests/test_storages.py (every JSONStorage test),
tests/test_tinydb.py (every test on a JSON file, and the core tests that run on the
``db`` fixture of tests/conftest.py with JSONStorage), tests/test_middlewares.py
(``test_caching_json_write``), tests/test_tables.py (``test_multiple_tables``). Apart from the quoting style, ``JSONStorage`` is
``SharedJSONStorage`` here and is passed explicitly where TinyDB relied on its default.

Adapted, because SharedJSONStorage deliberately differs:
- test_create_dirs: the lock file ``db.json.lock`` lives beside the board, so it is
  removed too before the folder is.
- test_json_invalid_mode_warning: JSONStorage only warns about ``access_mode='w'`` and then
  truncates the file; a shared board must never be truncated, so SharedJSONStorage raises
  ValueError instead.
- test_caching_json_write: JSONStorage keeps an open handle (``_handle``) to check; ours
  opens the file only while reading or writing, so that line is dropped.
- test_table_repr (test_tables.py) expects the class name JSONStorage in ``repr``: left out.
The whole TinyDB 4.9.0 suite (218 tests) was also run once with SharedJSONStorage swapped
in: 214 passed and the 4 above failed only for these reasons. Porting it found and fixed
three real differences in storage.py: folders were created without ``create_dirs``, the
``encoding`` argument was ignored on write, and a failed write left TinyDB's in-place
change in the read cache.
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB, where
from tinydb.middlewares import CachingMiddleware, Middleware
from tinydb.storages import JSONStorage as PlainJSONStorage
from tinydb.table import Document

from kamboard.storage import SharedJSONStorage
from kamboard.storage import SharedJSONStorage as JSONStorage
from kamboard.store import TABLES, BoardStore

# --- 1. plain TinyDB reads a kamboard file -------------------------------------------


def _board(path: Path) -> dict[str, Any]:
    store = BoardStore(path, user="alice", create=True)
    acme = store.add_account("ACME", owner="Bob")
    topic = store.add_card("ACME", "topic", "Energy costs", tags=["energy"])
    action = store.add_card("ACME", "support", "Audit", status="agreed", links=[topic["id"]])
    store.add_workshop("ACME", "Workshop 2026", start="2026-03-01")
    return {"acme": acme, "topic": topic, "action": action}


def test_plain_tinydb_reads_a_kamboard_file(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    made = _board(path)
    before = path.read_bytes()
    db = TinyDB(path, storage=PlainJSONStorage, access_mode="r")
    assert db.tables() == set(TABLES)
    cards = db.table("cards")
    assert len(cards) == 2
    assert {c["title"] for c in cards.all()} == {"Energy costs", "Audit"}
    card = Query()
    (audit,) = cards.search(card.lane == "support")
    assert audit["id"] == made["action"]["id"]
    assert audit["links"] == [made["topic"]["id"]]
    assert audit["status"] == "agreed" and audit["rev"] == 1
    assert cards.get(card.tags.any(["energy"]))["title"] == "Energy costs"
    (account,) = db.table("accounts").all()
    assert account == made["acme"]
    assert account.doc_id == int(account["id"][:12], 16)  # the key comes from the record's random id
    assert db.table("meta").all()[0]["schema"] == 2  # change stamps and tombstones since 2
    assert len(db.table("events")) == 4
    assert len(db.table("workshops")) == 1
    db.close()
    assert path.read_bytes() == before


def test_plain_tinydb_default_storage_reads_it_too(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    _board(path)
    with TinyDB(path) as db:
        assert [a["name"] for a in db.table("accounts")] == ["ACME"]


def test_tinydb_with_shared_storage_and_board_store_share_a_file(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    made = _board(path)
    db = TinyDB(path, storage=SharedJSONStorage, indent=2, sort_keys=True)
    db.table("cards").update({"notes": "set by a script"}, Query().id == made["topic"]["id"])
    db.table("x_script").insert({"note": "an extra table"})
    store = BoardStore(path, user="alice")
    assert store.card(made["topic"]["id"])["notes"] == "set by a script"
    store.add_card("ACME", "challenge", "Supply chain")
    assert len(db.table("cards")) == 3  # TinyDB sees the store's change: the file is re-read
    assert db.table("x_script").all() == [{"note": "an extra table"}]


# --- 2. TinyDB's JSONStorage tests with SharedJSONStorage ----------------------------

random.seed()

doc = {
    "none": [None, None],
    "int": 42,
    "float": 3.1415899999999999,
    "list": ["LITE", "RES_ACID", "SUS_DEXT"],
    "dict": {"hp": 13, "sp": 5},
    "bool": [True, False, True, False],
}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[TinyDB]:
    db_ = TinyDB(tmp_path / "test.db", storage=JSONStorage)
    db_.drop_tables()
    db_.insert_multiple({"int": 1, "char": c} for c in "abc")
    yield db_


# tests/test_storages.py


def test_json(tmpdir: Any) -> None:
    path = str(tmpdir.join("test.db"))
    storage = JSONStorage(path)
    storage.write(doc)
    assert doc == storage.read()
    storage.close()


def test_json_kwargs(tmpdir: Any) -> None:
    db_file = tmpdir.join("test.db")
    db = TinyDB(str(db_file), storage=JSONStorage, sort_keys=True, indent=4, separators=(",", ": "))
    db.insert({"b": 1})
    db.insert({"a": 1})
    assert (
        db_file.read()
        == """{
    "_default": {
        "1": {
            "b": 1
        },
        "2": {
            "a": 1
        }
    }
}"""
    )
    db.close()


def test_json_readwrite(tmpdir: Any) -> None:
    """Regression test for issue #1."""
    path = str(tmpdir.join("test.db"))
    db = TinyDB(path, storage=JSONStorage)
    item = {"name": "A very long entry"}
    item2 = {"name": "A short one"}

    def get(s: str) -> Any:
        return db.get(where("name") == s)

    db.insert(item)
    assert get("A very long entry") == item
    db.remove(where("name") == "A very long entry")
    assert get("A very long entry") is None
    db.insert(item2)
    assert get("A short one") == item2
    db.remove(where("name") == "A short one")
    assert get("A short one") is None
    db.close()


def test_json_read(tmpdir: Any) -> None:
    """Open a database only for reading."""
    path = str(tmpdir.join("test.db"))
    with pytest.raises(FileNotFoundError):
        TinyDB(path, storage=JSONStorage, access_mode="r")
    db = TinyDB(path, storage=JSONStorage)
    db.insert({"b": 1})
    db.insert({"a": 1})
    db.close()
    db = TinyDB(path, storage=JSONStorage, access_mode="r")
    assert db.get(where("a") == 1) == {"a": 1}  # reading is fine
    with pytest.raises(IOError):
        db.insert({"c": 1})  # writing is not
    # (kamboard) the refused insert must not linger in the read cache either
    assert db.count(where("c") == 1) == 0
    db.close()


def test_create_dirs() -> None:
    temp_dir = tempfile.gettempdir()
    while True:
        dname = os.path.join(temp_dir, str(random.getrandbits(20)))
        if not os.path.exists(dname):
            db_dir = dname
            db_file = os.path.join(db_dir, "db.json")
            break
    with pytest.raises(IOError):
        JSONStorage(db_file)
    assert not os.path.exists(db_dir)  # (kamboard) and no folder was made as a side effect
    JSONStorage(db_file, create_dirs=True).close()
    assert os.path.exists(db_file)
    # Use create_dirs with already existing directory
    JSONStorage(db_file, create_dirs=True).close()
    assert os.path.exists(db_file)
    os.remove(db_file)
    os.remove(db_file + ".lock")  # adapted: the lock file lives beside the board
    os.rmdir(db_dir)


def test_json_invalid_directory() -> None:
    with pytest.raises(IOError), TinyDB("/this/is/an/invalid/path/db.json", storage=JSONStorage):
        pass
    assert not os.path.exists("/this/is/an/invalid")


def test_encoding(tmpdir: Any) -> None:
    japanese_doc = {"Test": "こんにちは世界"}
    path = str(tmpdir.join("test.db"))
    # cp936 is used for japanese encodings
    jap_storage = JSONStorage(path, encoding="cp936")
    jap_storage.write(japanese_doc)
    with pytest.raises(json.decoder.JSONDecodeError):
        # cp037 is used for english encodings
        eng_storage = JSONStorage(path, encoding="cp037")
        eng_storage.read()
    jap_storage = JSONStorage(path, encoding="cp936")
    assert japanese_doc == jap_storage.read()


def test_json_invalid_mode_refused(tmpdir: Any) -> None:
    # adapted from test_json_invalid_mode_warning: refused rather than warned about
    path = str(tmpdir.join("test.db"))
    with pytest.raises(ValueError, match="access_mode"):
        JSONStorage(path, access_mode="w")
    assert not os.path.exists(path)


# tests/test_middlewares.py


def test_caching_json_write(tmpdir: Any) -> None:
    path = str(tmpdir.join("test.db"))
    with TinyDB(path, storage=CachingMiddleware(JSONStorage)) as db:
        db.insert({"key": "value"})
    statinfo = os.stat(path)
    assert statinfo.st_size != 0
    del db
    with TinyDB(path, storage=CachingMiddleware(JSONStorage)) as db:
        assert db.all() == [{"key": "value"}]


# tests/test_tinydb.py: tests on a JSON file


def test_custom_mapping_type_with_json(tmpdir: Any) -> None:
    class CustomDocument(Mapping):  # type: ignore[type-arg]
        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data

        def __getitem__(self, key: str) -> Any:
            return self.data[key]

        def __iter__(self) -> Iterator[str]:
            return iter(self.data)

        def __len__(self) -> int:
            return len(self.data)

    db = TinyDB(str(tmpdir.join("test.db")), storage=JSONStorage)
    db.drop_tables()
    db.insert(CustomDocument({"int": 1, "char": "a"}))
    assert db.count(where("int") == 1) == 1
    db.insert_multiple([CustomDocument({"int": 2, "char": "a"}), CustomDocument({"int": 3, "char": "a"})])
    assert db.count(where("int") == 1) == 1
    assert db.count(where("int") == 2) == 1
    assert db.count(where("int") == 3) == 1
    doc_id = db.get(where("int") == 3).doc_id
    db.update(CustomDocument({"int": 4, "char": "a"}), doc_ids=[doc_id])
    assert db.count(where("int") == 3) == 0
    assert db.count(where("int") == 4) == 1


def test_unique_ids(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    with TinyDB(path, storage=JSONStorage) as _db:
        _db.insert({"x": 1})
    with TinyDB(path, storage=JSONStorage) as _db:
        _db.insert({"x": 1})
    with TinyDB(path, storage=JSONStorage) as _db:
        data = _db.all()
        assert data[0].doc_id != data[1].doc_id
    with TinyDB(path, storage=JSONStorage) as _db:
        _db.drop_tables()
        _db.insert_multiple({"x": i} for i in range(5))
        _db.remove(where("x") == 2)
        assert len(_db) == 4
        ids = [e.doc_id for e in _db.all()]
        assert len(ids) == len(set(ids))


def test_lastid_after_open(tmpdir: Any) -> None:
    """Regression test for issue #34."""
    num = 100
    path = str(tmpdir.join("db.json"))
    with TinyDB(path, storage=JSONStorage) as _db:
        _db.insert_multiple({"i": i} for i in range(num))
    with TinyDB(path, storage=JSONStorage) as _db:
        assert _db._get_next_id() - 1 == num


def test_doc_ids_json(tmpdir: Any) -> None:
    """Regression test for issue #45."""
    path = str(tmpdir.join("db.json"))
    with TinyDB(path, storage=JSONStorage) as _db:
        _db.drop_tables()
        assert _db.insert({"int": 1, "char": "a"}) == 1
        assert _db.insert({"int": 1, "char": "a"}) == 2
        _db.drop_tables()
        assert _db.insert_multiple([{"int": 1, "char": "a"}, {"int": 1, "char": "b"}, {"int": 1, "char": "c"}]) == [
            1,
            2,
            3,
        ]
        assert _db.contains(doc_id=1)
        assert _db.contains(doc_id=2)
        assert not _db.contains(doc_id=88)
        _db.update({"int": 2}, doc_ids=[1, 2])
        assert _db.count(where("int") == 2) == 2
        el = _db.all()[0]
        assert _db.get(doc_id=el.doc_id) == el
        assert _db.get(doc_id=float("NaN")) is None  # type: ignore[arg-type]
        _db.remove(doc_ids=[1, 2])
        assert len(_db) == 1


def test_insert_string(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    with TinyDB(path, storage=JSONStorage) as _db:
        data = [{"int": 1}, {"int": 2}]
        _db.insert_multiple(data)
        with pytest.raises(ValueError):
            _db.insert([1, 2, 3])  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            _db.insert({"bark"})  # type: ignore[arg-type]
        assert data == _db.all()
        _db.insert({"int": 3})  # Does not fail


def test_insert_invalid_dict(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    with TinyDB(path, storage=JSONStorage) as _db:
        data = [{"int": 1}, {"int": 2}]
        _db.insert_multiple(data)
        with pytest.raises(TypeError):
            _db.insert({"int": _db})  # Fails
        assert data == _db.all()
        _db.insert({"int": 3})  # Does not fail


def test_gc(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    db = TinyDB(path, storage=JSONStorage)
    table = db.table("foo")
    table.insert({"something": "else"})
    table.insert({"int": 13})
    assert len(table.search(where("int") == 13)) == 1
    assert table.all() == [{"something": "else"}, {"int": 13}]
    db.close()


def test_empty_write(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))

    class ReadOnlyMiddleware(Middleware):
        def write(self, data: Any) -> None:
            raise AssertionError("No write for unchanged db")

    TinyDB(path, storage=JSONStorage).close()
    TinyDB(path, storage=ReadOnlyMiddleware(JSONStorage)).close()


def test_repr(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    db = TinyDB(path, storage=JSONStorage)
    db.insert({"a": 1})
    assert re.match(
        r"<TinyDB "
        r"tables=\[u?\'_default\'\], "
        r"tables_count=1, "
        r"default_table_documents_count=1, "
        r"all_tables_documents_count=\[\'_default=1\'\]>",
        repr(db),
    )


def test_delete(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    db = TinyDB(path, storage=JSONStorage, ensure_ascii=False)
    q = Query()
    db.insert({"network": {"id": "114", "name": "ok", "rpc": "dac", "ticker": "mkay"}})
    assert db.search(q.network.id == "114") == [
        {"network": {"id": "114", "name": "ok", "rpc": "dac", "ticker": "mkay"}}
    ]
    db.remove(q.network.id == "114")
    assert db.search(q.network.id == "114") == []


def test_insert_on_existing_db(tmpdir: Any) -> None:
    path = str(tmpdir.join("db.json"))
    db = TinyDB(path, storage=JSONStorage, ensure_ascii=False)
    db.insert({"foo": "bar"})
    assert len(db) == 1
    db.close()
    db = TinyDB(path, storage=JSONStorage, ensure_ascii=False)
    db.insert({"foo": "bar"})
    db.insert({"foo": "bar"})
    assert len(db) == 3


# tests/test_tinydb.py and test_tables.py: core tests on the ``db`` fixture (JSON variant)


def test_drop_tables(db: TinyDB) -> None:
    db.drop_tables()
    db.insert({})
    db.drop_tables()
    assert len(db) == 0


def test_all(db: TinyDB) -> None:
    db.drop_tables()
    for _ in range(10):
        db.insert({})
    assert len(db.all()) == 10


def test_insert(db: TinyDB) -> None:
    db.drop_tables()
    db.insert({"int": 1, "char": "a"})
    assert db.count(where("int") == 1) == 1
    db.drop_tables()
    db.insert({"int": 1, "char": "a"})
    db.insert({"int": 1, "char": "b"})
    db.insert({"int": 1, "char": "c"})
    assert db.count(where("int") == 1) == 3
    assert db.count(where("char") == "a") == 1


def test_insert_with_doc_id(db: TinyDB) -> None:
    db.drop_tables()
    assert db.insert({"int": 1, "char": "a"}) == 1
    assert db.insert(Document({"int": 1, "char": "a"}, 12)) == 12
    assert db.insert(Document({"int": 1, "char": "a"}, 77)) == 77
    assert db.insert({"int": 1, "char": "a"}) == 78


def test_insert_with_duplicate_doc_id(db: TinyDB) -> None:
    db.drop_tables()
    assert db.insert({"int": 1, "char": "a"}) == 1
    with pytest.raises(ValueError):
        db.insert(Document({"int": 1, "char": "a"}, 1))


def test_insert_multiple_with_doc_ids(db: TinyDB) -> None:
    db.drop_tables()
    assert db.insert_multiple([Document({"int": 1, "char": "a"}, 12), Document({"int": 1, "char": "b"}, 77)]) == [
        12,
        77,
    ]
    assert db.get(doc_id=12) == {"int": 1, "char": "a"}
    assert db.get(doc_id=77) == {"int": 1, "char": "b"}
    with pytest.raises(ValueError):
        db.insert_multiple([Document({"int": 1, "char": "a"}, 12)])


def test_remove(db: TinyDB) -> None:
    db.remove(where("char") == "b")
    assert len(db) == 2
    assert db.count(where("int") == 1) == 2


def test_remove_ids(db: TinyDB) -> None:
    db.remove(doc_ids=[1, 2])
    assert len(db) == 1


def test_remove_returns_ids(db: TinyDB) -> None:
    assert db.remove(where("char") == "b") == [2]


def test_update(db: TinyDB) -> None:
    assert len(db) == 3
    db.update({"int": 2}, where("char") == "a")
    assert db.count(where("int") == 2) == 1
    assert db.count(where("int") == 1) == 2


def test_update_all(db: TinyDB) -> None:
    assert db.count(where("int") == 1) == 3
    db.update({"newField": True})
    assert db.count(where("newField") == True) == 3  # noqa: E712


def test_update_returns_ids(db: TinyDB) -> None:
    db.drop_tables()
    assert db.insert({"int": 1, "char": "a"}) == 1
    assert db.insert({"int": 1, "char": "a"}) == 2
    assert db.update({"char": "b"}, where("int") == 1) == [1, 2]


def test_upsert(db: TinyDB) -> None:
    assert len(db) == 3
    db.upsert({"int": 5}, where("char") == "a")
    assert db.count(where("int") == 5) == 1
    assert db.upsert({"int": 9, "char": "x"}, where("char") == "x") == [4]
    assert db.count(where("int") == 9) == 1


def test_upsert_by_id(db: TinyDB) -> None:
    assert len(db) == 3
    assert db.upsert(Document({"char": "v"}, doc_id=1)) == [1]
    found = db.get(where("char") == "v")
    assert isinstance(found, Document) and found.doc_id == 1
    assert len(db) == 3
    assert db.upsert(Document({"int": 5, "char": "w"}, doc_id=5)) == [5]
    found = db.get(where("char") == "w")
    assert isinstance(found, Document) and found.doc_id == 5
    assert len(db) == 4
    with pytest.raises(ValueError, match=r"(?=.*\bdoc_id\b)(?=.*\bquery\b)"):
        db.upsert({"no_Document": "no_query"})
    assert db.insert({"check": "_next_id"}) == 6


def test_search(db: TinyDB) -> None:
    assert not db._query_cache
    assert len(db.search(where("int") == 1)) == 3
    assert len(db._query_cache) == 1
    assert len(db.search(where("int") == 1)) == 3  # Query result from cache


def test_get_ids(db: TinyDB) -> None:
    el = db.all()[0]
    assert db.get(doc_id=el.doc_id) == el
    assert db.get(doc_id=float("NaN")) is None  # type: ignore[arg-type]


def test_count_and_contains(db: TinyDB) -> None:
    assert db.count(where("int") == 1) == 3
    assert db.count(where("char") == "d") == 0
    assert db.contains(where("int") == 1)
    assert not db.contains(where("int") == 0)
    assert db.contains(doc_id=1)
    assert not db.contains(doc_id=88)


def test_multiple_tables(db: TinyDB) -> None:
    table1 = db.table("table1")
    table2 = db.table("table2")
    table3 = db.table("table3")
    table1.insert({"int": 1, "char": "a"})
    table2.insert({"int": 1, "char": "b"})
    table3.insert({"int": 1, "char": "c"})
    assert table1.count(where("char") == "a") == 1
    assert table2.count(where("char") == "b") == 1
    assert table3.count(where("char") == "c") == 1
    db.drop_tables()
    assert len(table1) == 0
    assert len(table2) == 0
    assert len(table3) == 0
