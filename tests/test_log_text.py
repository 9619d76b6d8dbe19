"""The activity log: stored in English whatever the language (the file stays language-neutral),
shown in the language in use (``log_text.shown`` through ``stale.readable_summary``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kamboard import i18n
from kamboard.stale import readable_summary
from kamboard.store import BoardStore


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    try:
        yield
    finally:
        i18n.set_language("en")


def logged(store: BoardStore) -> list[dict[str, str]]:
    return [event for _, event in store.events()]


def test_a_german_session_writes_the_log_in_english(tmp_path: Path, german: None) -> None:
    store = BoardStore(tmp_path / "b.json", user="eva", create=True)
    acme = store.add_account("ACME")["id"]
    card = store.add_card(acme, "topic", "Growth in Asia")
    store.move_card(card["id"], "challenge")
    ws = store.add_workshop(acme, "Spring", participants=[{"name": "eva", "side": "customer"}])
    store.set_capture(ws["id"], "support", True)
    summaries = [event["summary"] for event in logged(store)]
    assert "added 'Growth in Asia' to Topics" in summaries
    assert "moved 'Growth in Asia' to Challenges" in summaries
    assert "opened capture in Support for participants" in summaries
    assert not any("Themen" in s or "Herausforderungen" in s or "Unterstützung" in s for s in summaries)


CASES = [
    ("card.add", "added 'Growth in Asia' to Topics", "hat 'Growth in Asia' zu Themen hinzugefügt"),
    ("card.move", 'moved "It\'s late" to Support', 'hat "It\'s late" nach Unterstützung verschoben'),
    ("card.move", "moved 'X' within Challenges", "hat 'X' innerhalb von Herausforderungen verschoben"),
    ("card.delete", "deleted 'X'", "hat 'X' gelöscht"),
    ("card.vote", "Eva voted for 'X'", "Eva hat 'X' einen Punkt gegeben"),
    ("card.edit", "edited 'X' (our_benefit, title)", "hat 'X' bearbeitet (Nutzen für uns, Titel)"),
    ("workshop.capture", "closed capture in Topics for participants", "hat Sammeln in Themen geschlossen"),
    ("workshop.edit", "edited workshop 'Spring'", "edited workshop 'Spring'"),  # other forms: as written
]


@pytest.mark.parametrize(("kind", "stored", "german_text"), CASES)
def test_the_log_shows_in_the_language_in_use(kind: str, stored: str, german_text: str) -> None:
    event = {"kind": kind, "summary": stored}
    english = readable_summary(event)
    expected = stored.replace("our_benefit, title", "title, value for us")
    assert english == expected  # English: as stored, an edit's fields by their labels
    i18n.set_language("de")
    try:
        assert readable_summary(event) == german_text
    finally:
        i18n.set_language("en")
