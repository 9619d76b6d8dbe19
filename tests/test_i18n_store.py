"""The store's messages in German: errors, `kamboard check` lines, merge and import notices; English
unchanged; the activity log stays English whatever the language (the file is language-neutral).

Needs the compiled German catalogue (kamboard/locale/de/LC_MESSAGES/kamboard.mo)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kamboard import i18n
from kamboard.check import check_board
from kamboard.errors import BoardError, BoardFileError, NotFound
from kamboard.jsonparse import loads_checked
from kamboard.model import ValidationError
from kamboard.repair import duplicate_lines
from kamboard.store import BoardStore
from kamboard.transfer import ImportResult, TransferError, parse_export


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="ann", create=True)
    account = store.add_account("Acme")
    store.add_card(account["id"], "topic", "Energy costs")
    return path


def load(path: Path) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())


def damage(path: Path) -> None:
    """A card with a position that is no number, and one pointing at an account that is not there."""
    data = load(path)
    card = next(iter(data["cards"].values()))
    card["position"] = "first"
    other = dict(card, id="c" * 32, title="Orphan", account_id="gone", position=2)
    data["cards"]["999"] = other
    path.write_bytes(orjson.dumps(data))


def test_a_file_that_is_not_json_reads_german(tmp_path: Path, german: None) -> None:
    path = tmp_path / "notes.json"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(BoardFileError) as info:
        BoardStore(path)
    assert str(info.value).startswith(f"{path} ist kein gültiges JSON (")
    assert str(info.value).endswith("); Datei korrigieren.")


def test_a_file_that_is_not_json_reads_english(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(BoardFileError) as info:
        BoardStore(path)
    assert str(info.value).startswith(f"{path} is not valid JSON (")
    assert str(info.value).endswith("); fix it.")


def test_unknown_account_and_missing_board_read_german(board: Path, tmp_path: Path, german: None) -> None:
    store = BoardStore(board, user="ann")
    with pytest.raises(NotFound) as info:
        store.account("Globex")
    assert str(info.value) == f"Kein Account 'Globex' in {board}; `kamboard account list` zeigt alle."
    missing = tmp_path / "nowhere.json"
    with pytest.raises(BoardError) as gone:
        BoardStore(missing)
    assert str(gone.value).startswith(f"{missing} existiert nicht: mit `kamboard demo {missing}`")


def test_unknown_account_reads_english(board: Path) -> None:
    with pytest.raises(NotFound) as info:
        BoardStore(board, user="ann").account("Globex")
    assert str(info.value) == f"No account 'Globex' in {board}; `kamboard account list` shows them."


def test_validation_errors_read_german(board: Path, german: None) -> None:
    store = BoardStore(board, user="ann")
    with pytest.raises(ValidationError) as info:
        store.add_account("acme")
    assert info.value.message == "Ein Account namens 'Acme' existiert bereits."
    card = store.cards()[0]
    with pytest.raises(ValidationError) as linked:
        store.update_card(card["id"], {"links": [card["id"]]})
    assert linked.value.message == "Eine Karte kann nicht mit sich selbst verknüpft werden."


def test_check_lines_read_german(board: Path, german: None) -> None:
    damage(board)
    problems = check_board(board)
    assert any(p.endswith(": Feld 'position' ist \"first\", erwartet: Zahl") for p in problems), problems
    assert any(p.endswith("'Orphan': verweist auf fehlenden Account 'gone'") for p in problems), problems
    # the damaged board opens read-only with the first problem, in German too
    reason = BoardStore(board, user="ann").readonly_reason
    assert "Feld 'position' ist \"first\", erwartet: Zahl" in reason
    assert "erwartet: Zahl; Datei korrigieren oder eine Kopie aus " in reason
    assert reason.endswith(".kamboard-backups wiederherstellen.")


def test_check_lines_read_english(board: Path) -> None:
    damage(board)
    problems = check_board(board)
    assert any(p.endswith(": field 'position' is \"first\", not a number") for p in problems), problems
    assert any(p.endswith("'Orphan': points at missing account 'gone'") for p in problems), problems


def test_empty_file_and_duplicate_keys_read_german(tmp_path: Path, german: None) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    assert check_board(empty) == ["die Datei ist leer"]
    raw = b'{"cards": {"1": {"id": "a", "title": "One"}, "1": {"id": "b", "title": "Two"}}}'
    _, found = loads_checked(raw)
    (line,) = duplicate_lines(raw, found, "b.json")
    assert line == (
        "Tabelle 'cards' enthält Schlüssel '1' zweimal (Karte 'One' (id a…), Karte 'Two' (id b…)): "
        "nur der letzte wird verwendet; `kamboard check --repair b.json` ausführen"
    )


def test_merge_report_reads_german_and_the_log_stays_english(board: Path, tmp_path: Path, german: None) -> None:
    copy = tmp_path / "copy.json"
    shutil.copy(board, copy)
    theirs = BoardStore(copy, user="bob")
    account = theirs.accounts()[0]
    theirs.add_card(account["id"], "challenge", "Supply chain")
    theirs.add_card(account["id"], "support", "Joint pilot")
    report = BoardStore(board, user="ann").merge_from(copy)
    assert report.summary() == "zusammengeführt: 2 Karten"
    assert report.log_summary() == "merged 2 cards"
    events = load(board)["events"].values()
    merged = [e["summary"] for e in events if e["kind"] == "board.merge"]
    assert merged == [f"merged {copy.name}: merged 2 cards"]
    # the store's own log lines too: added in German, stored in English
    assert any(e["summary"] == "added account 'Acme'" for e in events)


def test_merge_report_reads_english(board: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    shutil.copy(board, copy)
    theirs = BoardStore(copy, user="bob")
    theirs.add_card(theirs.accounts()[0]["id"], "challenge", "Supply chain")
    report = BoardStore(board, user="ann").merge_from(copy)
    assert report.summary() == report.log_summary() == "merged 1 card"


def test_import_summary_reads_german_and_logs_english(german: None) -> None:
    result = ImportResult(account={"name": "Acme"}, account_added=True, cards_added=1, workshops_added=2, unchanged=3)
    assert result.summary("b.json") == (
        "Importiert aus 'Acme' nach b.json: der Account, 1 Karte, 2 Workshops (3 bereits vorhanden)."
    )
    assert (
        result.log_summary("b.json")
        == "Imported the account, 1 card, 2 workshops of 'Acme' into b.json (3 already there)."
    )
    with pytest.raises(TransferError) as info:
        parse_export(b"[]", "acme.json")
    assert str(info.value) == (
        "acme.json ist kein kamboard-Account-Export (kein Schlüssel 'kamboard_export'); "
        "einen mit `kamboard export ACCOUNT --format json` erstellen."
    )


def test_import_summary_reads_english() -> None:
    result = ImportResult(account={"name": "Acme"}, cards_added=0, workshops_added=1)
    assert (
        result.summary("b.json")
        == result.log_summary("b.json")
        == "Imported 0 cards, 1 workshop of 'Acme' into b.json."
    )
