"""The exports in German: the customer's minutes of the demo board (golden files), the CSV header,
the calendar's texts, ``ExportOptions.language`` (one export in another language, then back) and
JSON staying language-neutral. Needs the compiled German catalogue (kamboard/locale/de/...mo)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest
from export_board import NOW, TODAY, build, records_of

from kamboard import csv_export, demo, exporting, i18n, ical, minutes

GOLDEN = Path(__file__).parent / "golden"
DEMO_FILES = ("mueller-maschinenbau", "northbridge-hospital-group", "hansa-logistik")
DEMO_TODAY = dt.date(2026, 3, 10)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def german() -> None:
    """German for one test (conftest's fixture goes back to English after it)."""
    i18n.set_language("de")
    assert i18n._("Topics") == "Themen", "no German catalogue: run the build of locale/de first"


def demo_customer_minutes(index: int) -> str:
    accounts, cards, workshops = demo.demo_records(today=DEMO_TODAY)
    account = accounts[index]
    return minutes.minutes_markdown(
        account,
        [c for c in cards if c["account_id"] == account["id"]],
        [w for w in workshops if w["account_id"] == account["id"]],
        today=DEMO_TODAY,
        audience="customer",
    )


@pytest.mark.usefixtures("german")
@pytest.mark.parametrize("index", [0, 1, 2])
def test_german_customer_minutes_of_the_demo_board_match_the_golden_file(index: int) -> None:
    """The German customer minutes of each demo account, as the customer gets them.

    After a deliberate change, rewrite them with ``KAMBOARD_UPDATE_GOLDEN=1 pytest
    tests/test_i18n_exports.py`` and read them before committing: good German, no English left."""
    text = demo_customer_minutes(index)
    golden = GOLDEN / f"customer-minutes-{DEMO_FILES[index]}.de.md"
    if os.environ.get("KAMBOARD_UPDATE_GOLDEN"):
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")
    assert text.startswith("# Protokoll: ")
    assert not ISO_DATE.search(text)  # dates as Germans write them: 14.12.2026
    # our words are German (the cards, part English on the demo board, are the team's)
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Teilnehmende",
        "## Agenda",
        "## Themen",
        "## Herausforderungen",
        "## Vereinbarte Unterstützungsmaßnahmen",
    ]
    labels = re.findall(r"^- \*\*(.+?):\*\*", text, flags=re.M)
    assert labels == ["Datum", "Ort", "Key Account Manager", "Stand"]
    assert "| Maßnahme | Verantwortlich | Fällig | Status | Nutzen für den Kunden | Antwort auf |" in text
    assert "Key account team" not in text and "Key-Account-Team" in text


def test_english_minutes_are_unchanged_after_a_german_export() -> None:
    """A German export through ``ExportOptions.language`` leaves the language as it was: the English
    minutes after it still match the English golden file."""
    accounts, cards, workshops = demo.demo_records(today=DEMO_TODAY)
    account = accounts[0]
    own_cards = [c for c in cards if c["account_id"] == account["id"]]
    own_workshops = [w for w in workshops if w["account_id"] == account["id"]]
    options = exporting.ExportOptions(audience="customer", language="de")
    german = exporting.render("md", account, own_cards, own_workshops, today=DEMO_TODAY, user="t", options=options)
    assert german == (GOLDEN / f"customer-minutes-{DEMO_FILES[0]}.de.md").read_bytes().decode("utf-8")
    assert i18n.language() == "en"
    english = demo_customer_minutes(0)
    assert english == (GOLDEN / f"customer-minutes-{DEMO_FILES[0]}.md").read_bytes().decode("utf-8")
    assert english.startswith("# Minutes: ")


def test_export_language_is_restored_when_the_render_fails(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    options = exporting.ExportOptions(language="de")
    with pytest.raises(ValueError, match="Kein Workshop 'nope'"):
        exporting.render("md", *records_of(store, acc), today=TODAY, user="t", workshop_id="nope", options=options)
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="'fr'"):
        exporting.render(
            "csv", *records_of(store, acc), today=TODAY, user="t", options=exporting.ExportOptions(language="fr")
        )
    assert i18n.language() == "en"


@pytest.mark.usefixtures("german")
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_german_csv_header_keeps_the_columns_and_the_delimiter(tmp_path: Path, delimiter: str) -> None:
    store, acc = build(tmp_path, hostile=False)
    account, cards = store.account(acc["id"]), store.cards(acc["id"])
    text = csv_export.actions_csv(account, cards, delimiter=delimiter)
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))
    assert rows[0] == [
        "ID",
        "Account",
        "Maßnahme",
        "Verantwortlich",
        "Seite",
        "Fällig",
        "Status",
        "Nutzen für den Kunden",
        "Nutzen für uns",
        "Antwort auf",
        "Schlagwörter",
        "Notizen",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))  # the cells stay as stored: ids, ISO dates
    assert (first["Maßnahme"], first["Fällig"], first["Status"], first["Seite"]) == (
        "Joint forecast",
        "2026-03-01",
        "agreed",
        "us",
    )


def test_english_csv_header_follows_an_export_language_only_for_that_export(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    records = records_of(store, acc)
    german = exporting.render("csv", *records, today=TODAY, user="t", options=exporting.ExportOptions(language="de"))
    english = exporting.render("csv", *records, today=TODAY, user="t")
    assert german.splitlines()[0].startswith("\ufeffID,Account,Maßnahme,Verantwortlich,")
    assert english.splitlines()[0] == "\ufeff" + ",".join(csv_export.CSV_HEADERS)


@pytest.mark.usefixtures("german")
def test_german_team_minutes_translate_labels_dates_and_gaps(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    text = minutes.minutes_markdown(*records_of(store, acc), today=TODAY)
    assert "- **Datum:** 02.03.2026 bis 03.03.2026" in text
    assert "- **Stand des Boards:** 10.03.2026" in text
    assert "### Tag 1 (02.03.2026)" in text
    assert "| Joint forecast | Ann, O'Neil | wir | 01.03.2026 (überfällig) | vereinbart |" in text
    assert "| Training | Bo | Kunde | 20.03.2026 | in Arbeit |" in text
    assert "- =1+2: ohne Nutzen für den Kunden, ohne Nutzen für uns, ohne Verantwortliche(n), ohne Fälligkeit" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Teilnehmende",
        "## Agenda",
        "## Themen",
        "## Herausforderungen",
        "## Unterstützungsmaßnahmen",
        "## Lücken",
        "## Offene Zusagen",
        "## Notizen",
    ]
    assert not ISO_DATE.search(text)


@pytest.mark.usefixtures("german")
def test_german_calendar_texts_and_the_same_structure(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    account, cards, workshops = records_of(store, acc)
    text = ical.calendar_ics(account, cards, workshops, now=NOW, tz=dt.UTC)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Workshop-Tag 1 von 2: Yearly workshop\\; 2026\\, part 1 (ACME)" in unfolded
    assert "SUMMARY:Fällig: Training (ACME)" in unfolded
    assert "DESCRIPTION:Account: ACME\\nVerantwortlich: Bo\\nSeite: Kunde\\nStatus: in Arbeit\\n" in unfolded
    i18n.set_language("en")
    english = ical.calendar_ics(account, cards, workshops, now=NOW, tz=dt.UTC)
    structure = [line.split(":")[0] for line in english.replace("\r\n ", "").splitlines()]
    assert [line.split(":")[0] for line in unfolded.splitlines()] == structure


def test_json_export_is_the_same_in_every_language(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    records = records_of(store, acc)
    outputs = []
    for language in ("en", "de"):
        text = exporting.render(
            "json", *records, today=TODAY, user="t", options=exporting.ExportOptions(language=language)
        )
        data = json.loads(text)
        data.pop("exported_at")
        outputs.append(data)
    assert outputs[0] == outputs[1]
    assert {c["status"] for c in outputs[1]["cards"]} >= {"agreed", "in_progress"}
