"""The export dispatch shared by the CLI and the TUI: formats by suffix, rendering by kind, the durable write."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from kamboard import csv_export, exporting, minutes

TODAY = dt.date(2026, 3, 10)
ACCOUNT = {"id": "a1", "name": "ACME"}
CARDS = [{"id": "c1", "account_id": "a1", "lane": "support", "title": "Pilot", "due": "2026-03-20", "status": "agreed"}]
WORKSHOPS = [{"id": "w1", "account_id": "a1", "title": "Kick-off", "start": "2026-03-02"}]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("out.md", "md"),
        ("Out.MARKDOWN", "md"),
        ("a/b.csv", "csv"),
        ("x.ICS", "ics"),
        ("x.ical", "ics"),
        ("acme.json", "json"),
        ("notes.txt", "md"),  # an unknown suffix: the default
        ("", "md"),
        (None, "md"),
    ],
)
def test_the_format_follows_the_file_suffix(path: str | None, fmt: str) -> None:
    assert exporting.format_of(path) == fmt


def test_each_format_renders_with_its_report() -> None:
    def render(fmt: str, **kw: Any) -> str:
        return exporting.render(fmt, ACCOUNT, CARDS, WORKSHOPS, today=TODAY, user="ann", **kw)

    assert render("md") == minutes.minutes_markdown(ACCOUNT, CARDS, WORKSHOPS, today=TODAY)
    assert render("csv") == csv_export.actions_csv(ACCOUNT, CARDS)
    assert "BEGIN:VCALENDAR" in render("ics") and "Pilot" in render("ics")
    data = json.loads(render("json"))
    assert data["exported_by"] == "ann" and [c["id"] for c in data["cards"]] == ["c1"]
    assert "Kick-off" in render("md", workshop_id="w1")
    with pytest.raises(ValueError, match="No workshop 'nope'"):
        render("md", workshop_id="nope")
    assert set(exporting.FORMATS) == set(exporting.SUFFIXES.values())


def test_options_reach_their_format() -> None:
    def render(fmt: str, options: exporting.ExportOptions) -> str:
        return exporting.render(fmt, ACCOUNT, CARDS, WORKSHOPS, today=TODAY, user="ann", options=options)

    customer = exporting.ExportOptions(audience="customer")
    assert render("md", customer) == minutes.minutes_markdown(
        ACCOUNT, CARDS, WORKSHOPS, today=TODAY, audience="customer"
    )
    assert render("csv", exporting.EXCEL) == csv_export.actions_csv(ACCOUNT, CARDS, delimiter=";")
    assert render("md", exporting.EXCEL) == render("md", exporting.DEFAULT_OPTIONS)  # csv's option only
    with pytest.raises(ValueError, match="Unknown time zone 'Nowhere/Land'"):
        render("ics", exporting.ExportOptions(timezone="Nowhere/Land"))
    assert exporting.time_zone("") is None and str(exporting.time_zone("Europe/Berlin")) == "Europe/Berlin"


def test_an_existing_file_keeps_its_mode_a_new_one_gets_the_usual(tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    old.write_bytes(b"old")
    old.chmod(0o600)
    assert exporting.file_mode(str(old)) == 0o600
    mask = os.umask(0o022)
    os.umask(mask)
    assert exporting.file_mode(str(tmp_path / "new.md")) == exporting.new_file_mode() == 0o666 & ~mask


def test_the_write_replaces_the_file_durably_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    exporting.write_export(str(target), b"new \xe2\x82\xac", 0o640)
    assert target.read_bytes() == b"new \xe2\x82\xac"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert len(synced) >= 2  # the file, then its folder
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
