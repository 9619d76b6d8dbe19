"""Exports and the SVG screenshot from the command palette, driven with keys like a user."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import icalendar
import pytest
from board_helpers import TODAY, make_store, notifications, wait_for
from markdown_it import MarkdownIt
from test_followup_tui import palette_entries, run_command
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input

from kamboard.csv_export import CSV_HEADERS
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.exports import KINDS, check_target, default_path, slug, write_export
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.dialogs import ConfirmDialog, TextPrompt

HOSTILE = '[bold]Müller[/] | "Co", =1+1 🎉'


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


async def export_via_palette(pilot: Pilot[Any], command: str, target: Path | None = None) -> TextPrompt:
    """Run ``command`` from the palette; optionally replace the prefilled path; return the prompt."""
    await run_command(pilot, command, command)
    prompt = pilot.app.screen
    assert isinstance(prompt, TextPrompt)
    if target is not None:
        prompt.query_one(Input).value = str(target)
    return prompt


async def wait_written(pilot: Pilot[Any], path: Path) -> str:
    app = pilot.app
    assert await wait_for(pilot, lambda: any(str(path) in n for n in notifications(app)))
    await app.workers.wait_for_complete()
    return path.read_text(encoding="utf-8")


async def test_each_export_from_a_board_writes_a_file_that_parses(store: BoardStore, board_path: Path) -> None:
    folder = board_path.parent
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, BoardScreen)

        prompt = await export_via_palette(pilot, "Export minutes for the team (Markdown)")
        assert prompt.query_one(Input).value == str(folder / "acme-minutes-team.md")  # next to the board
        await pilot.press("enter")
        md = await wait_written(pilot, folder / "acme-minutes-team.md")
        tokens = MarkdownIt("commonmark").enable("table").parse(md)
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert headings[0].startswith("Minutes: ACME")
        assert any(t.type == "table_open" for t in tokens)
        assert "Joint pilot" in md and "Gaps" in headings
        assert isinstance(app.screen, BoardScreen)  # back where we were

        await export_via_palette(pilot, "Export minutes for the customer (Markdown)")
        await pilot.press("enter")
        md = await wait_written(pilot, folder / "acme-minutes-customer.md")
        tokens = MarkdownIt("commonmark").enable("table").parse(md)
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert headings[0].startswith("Minutes: ACME") and "Gaps" not in headings and "Value for us" not in md

        await export_via_palette(pilot, "Export support actions (CSV)")
        await pilot.press("enter")
        data = await wait_written(pilot, folder / "acme-actions.csv")
        assert data.startswith("\ufeff")  # so a spreadsheet reads it as UTF-8
        table = list(csv.DictReader(io.StringIO(data[1:])))
        assert sorted((r[CSV_HEADERS[2]], r[CSV_HEADERS[3]]) for r in table) == [
            ("Joint pilot", "Bob"),
            ("Training", "Carla"),
        ]

        await export_via_palette(pilot, "Export support actions for Excel (CSV with semicolons)")
        await pilot.press("enter")
        excel = await wait_written(pilot, folder / "acme-actions-excel.csv")
        assert excel.startswith("\ufeffID;Account;Action;")
        assert list(csv.reader(io.StringIO(excel[1:]), delimiter=";")) == list(csv.reader(io.StringIO(data[1:])))

        await export_via_palette(pilot, "Export calendar (iCalendar)")
        await pilot.press("enter")
        ics = await wait_written(pilot, folder / "acme-calendar.ics")
        calendar = icalendar.Calendar.from_ical(ics)
        summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT") + calendar.walk("VTODO")]
        assert any("Joint pilot" in s for s in summaries)

        await export_via_palette(pilot, "Export account (JSON)")
        await pilot.press("enter")
        exported = json.loads(await wait_written(pilot, folder / "acme.json"))
        assert exported["account"]["name"] == "ACME"
        assert len(exported["cards"]) == len(store.cards(store.account("ACME")["id"]))
        # a new file gets the usual permissions, not a temp file's 0600
        assert (folder / "acme.json").stat().st_mode & 0o777 == 0o666 & ~umask()


async def test_export_from_the_accounts_screen_takes_the_highlighted_account(store: BoardStore, tmp_path: Path) -> None:
    app = KamboardApp(store, today=TODAY)
    target = tmp_path / "out" / "g.json"
    target.parent.mkdir()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down")  # Globex
        prompt = await export_via_palette(pilot, "Export account (JSON)", target)
        assert "Globex" in str(prompt.query_one(".dialog-title").render())
        await pilot.press("enter")
        assert json.loads(await wait_written(pilot, target))["account"]["name"] == "Globex"


async def test_an_existing_file_is_replaced_only_after_asking(store: BoardStore, board_path: Path) -> None:
    target = board_path.parent / "acme-minutes-team.md"
    target.write_text("keep me\n")
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await export_via_palette(pilot, "Export minutes for the team (Markdown)")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert str(target) in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("n")  # another name, please: the path is asked again
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value == str(target)
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_text() == "keep me\n"
        assert not app.workers  # no export was started

        await export_via_palette(pilot, "Export minutes for the team (Markdown)")
        await pilot.press("enter", "y")
        text = await wait_written(pilot, target)
        assert text.startswith("# Minutes: ACME")


async def test_bad_paths_are_refused_in_the_prompt(store: BoardStore, tmp_path: Path) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = await export_via_palette(pilot, "Export support actions (CSV)", tmp_path / "missing" / "a.csv")
        await pilot.pause()
        error = prompt.query_one("#prompt-error")
        assert "does not exist" in str(error.render())
        await pilot.press("enter")
        assert app.screen is prompt  # refused: stays open
        prompt.query_one(Input).value = str(tmp_path)
        await pilot.pause()
        assert "is a folder" in str(error.render())
        await pilot.press("enter")
        assert app.screen is prompt
        await pilot.press("escape")
    assert not list((tmp_path / "missing").parent.glob("*.csv"))


async def test_write_errors_are_reported_not_raised(store: BoardStore, tmp_path: Path) -> None:
    # a folder appeared where the file should go after the prompt checked the path
    target = tmp_path / "x.json"
    target.mkdir()
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        json_kind = next(kind for kind in KINDS if kind.fmt == "json")
        write_export(app, store.account("ACME")["id"], json_kind, str(target))
        await app.workers.wait_for_complete()
        assert await wait_for(pilot, lambda: any(f"Could not write {target}" in n for n in notifications(app)))
        assert app.is_running
    assert target.is_dir()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".x.json")]  # no temp file left behind


async def test_screenshot_from_the_palette_is_svg_without_the_prompt(store: BoardStore, board_path: Path) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        titles = await palette_entries(app)
        assert "Save board screenshot (SVG)" in titles and "Screenshot" not in titles  # not Textual's own
        prompt = await export_via_palette(pilot, "Save board screenshot (SVG)")
        target = board_path.parent / "acme-board.svg"
        assert prompt.query_one(Input).value == str(target)
        await pilot.press("enter")
        svg = await wait_written(pilot, target)
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Cost&#160;pressure" in svg or "Cost pressure" in svg  # a card of the board
    assert "Save&#160;to&#160;file" not in svg and "Save to file" not in svg  # the prompt was gone


async def test_hostile_account_names_stay_literal_in_the_palette(board_path: Path) -> None:
    s = make_store(board_path)
    account = s.add_account(HOSTILE, "x")
    s.add_card(account["id"], "support", "=HYPERLINK(1)", owner=HOSTILE)
    app = KamboardApp(s, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        helps = {title: hit.help or "" for title, hit in (await palette_entries(app)).items()}
        shown = Content.from_markup(helps["Export minutes for the customer (Markdown)"]).plain
        assert shown == f"Minutes of the latest workshop of {HOSTILE} to send the customer: nothing internal"
        prompt = await export_via_palette(pilot, "Export support actions (CSV)")
        target = prompt.query_one(Input).value
        assert target == default_path(s.name, slug(HOSTILE) + "-actions.csv")
        await pilot.press("enter")
        data = await wait_written(pilot, Path(target))
    (row,) = list(csv.DictReader(io.StringIO(data[1:])))
    assert row["Account"] == row["Owner"] == HOSTILE  # quoted, umlaut and emoji intact
    assert row["Action"] == "'=HYPERLINK(1)"  # no formula


def test_helpers() -> None:
    assert slug("Müller & Co. GmbH") == "mueller-co-gmbh"
    assert slug("Straße Café") == "strasse-cafe"
    assert slug("東京 Tokyo") == "tokyo"
    assert slug("東京") == "東京"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("!!!") == "account"
    assert default_path("board.json", "a.md") == os.path.join(".", "a.md")
    assert default_path("/x/y/board.json", "a.md") == "/x/y/a.md"
    with pytest.raises(Exception, match="Give a file name"):
        check_target("   ")
    assert check_target("~/x.md") == os.path.expanduser("~/x.md")
