"""Exports: CSV (read back with the csv module), JSON; the formats import no textual."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from export_board import FORMULAS, HOSTILE, HOSTILE_LINES, build, records_of

from kamboard import csv_export, reports


# ---------------------------------------------------------------- CSV
def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_quoting_bom_and_formula_neutralised(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = csv_export.actions_csv(store.account(acc["id"]), store.cards(acc["id"]))
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf") and "Müller".encode() in raw and "🎉".encode() in raw
    rows = read_csv(text)
    assert rows[0] == list(csv_export.CSV_HEADERS)
    assert len(rows) == 4 and all(len(r) == len(csv_export.CSV_HEADERS) for r in rows)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["ID"] == ids["s1"]["id"]
    assert first["Action"] == HOSTILE
    assert first["Owner"] == "Ann, O'Neil"
    assert first["Value for the customer"] == HOSTILE_LINES  # newlines and quotes kept inside one cell
    assert first["Value for us"] == '\'=HYPERLINK("http://x")'
    assert first["Answers"] == f"{ids['t1']['title']}; {ids['c1']['title']}"
    assert rows[2][2] == "'=1+2"


@pytest.mark.parametrize("value", [*FORMULAS, "\tx", "\rx"])
def test_csv_cell_neutralises_formula_prefixes(value: str) -> None:
    assert csv_export.csv_cell(value).startswith("'")


@pytest.mark.parametrize("value", ["plain", "Müller", "a=b", "", "'quoted"])
def test_csv_cell_leaves_plain_text(value: str) -> None:
    assert csv_export.csv_cell(value) == value


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_another_delimiter_reads_back_the_same(tmp_path: Path, delimiter: str) -> None:
    store, acc = build(tmp_path)
    account, cards = store.account(acc["id"]), store.cards(acc["id"])
    text = csv_export.actions_csv(account, cards, delimiter=delimiter)
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    assert text.splitlines()[0] == "\ufeff" + delimiter.join(csv_export.CSV_HEADERS)
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))
    assert rows == read_csv(csv_export.actions_csv(account, cards))  # same cells as with commas


@pytest.mark.parametrize("delimiter", ["", ";;", '"', "\n"])
def test_csv_refuses_a_delimiter_that_breaks_it(delimiter: str) -> None:
    with pytest.raises(ValueError, match="one character"):
        csv_export.actions_csv({"name": "x"}, [], delimiter=delimiter)


# ---------------------------------------------------------------- JSON and hygiene
def test_account_json_shape(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    text = reports.account_json(*records_of(store, acc), exported_at="2026-03-10T12:00:00Z", exported_by="tester")
    data = json.loads(text)
    assert data["kamboard_export"] == reports.EXPORT_VERSION
    assert set(data) == {"kamboard_export", "exported_at", "exported_by", "account", "cards", "workshops"}
    assert data["account"] == store.account(acc["id"])
    assert data["cards"] == store.cards(acc["id"])
    assert data["workshops"] == store.workshops(acc["id"])
    assert "Müller" in text  # not \u-escaped


def test_reports_and_followup_do_not_import_textual() -> None:
    code = "import sys, kamboard.exporting, kamboard.followup, kamboard.transfer; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
