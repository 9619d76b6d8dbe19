"""The workshop editor: plan a workshop from the board, fields checked as typed, Esc asks."""

from __future__ import annotations

import datetime as dt

from board_helpers import T0, TODAY, notifications, wait_for_saves
from textual.widgets import Input, Label, OptionList, TextArea

from kamboard import workshop as rules
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.dialogs import ConfirmDialog
from kamboard.tui.screens.workshop_editor import (
    AgendaItemDialog,
    ParticipantDialog,
    WorkshopEditor,
    first_working_day,
    new_workshop,
)
from kamboard.workshop import board_workshop


def board_app(store: BoardStore) -> KamboardApp:
    return KamboardApp(store, account="ACME", today=TODAY, clock=lambda: T0)


def editor(app: KamboardApp) -> WorkshopEditor:
    assert isinstance(app.screen, WorkshopEditor)
    return app.screen


def error_of(app: KamboardApp, name: str) -> str:
    label = app.screen.query_one(f"#error-{name}", Label)
    return str(label.render()) if label.has_class("-shown") else ""


async def replace(pilot, field: Input, text: str) -> None:  # type: ignore[no-untyped-def]
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def test_new_workshop_defaults() -> None:
    fields = new_workshop(dt.date(2026, 3, 14))  # a Saturday: starts on Monday
    assert first_working_day(dt.date(2026, 3, 14)) == dt.date(2026, 3, 16)
    assert (fields["start"], fields["end"]) == ("2026-03-16T09:00", "2026-03-17T13:00")
    assert [i["title"] for i in fields["agenda"]] == [i["title"] for i in rules.default_agenda()]
    assert rules.agenda_minutes(fields["agenda"]) == sum(rules.day_minutes())


async def test_create_a_workshop_with_people_and_an_adapted_agenda(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert store.workshops() == []
        await pilot.press("w")
        await pilot.pause()
        ed = editor(app)
        assert ed.query_one("#input-start", Input).value == "2026-03-16T09:00"
        await replace(pilot, ed.query_one("#input-title", Input), "Spring 2026")
        await replace(pilot, ed.query_one("#input-location", Input), "Berlin")
        # a participant
        ed.query_one("#list-participants", OptionList).focus()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantDialog)
        await pilot.press(*"Eva", "tab", "enter", "down", "enter", "tab", *"CFO", "enter")
        await pilot.pause()
        assert ed.participants == [{"name": "Eva", "side": "customer", "role": "CFO"}]
        await pilot.press("a")  # the same name twice is refused in the dialog
        await pilot.press(*"eva", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantDialog)
        assert "'eva' is already a participant." in str(app.screen.query_one("#entry-error", Label).render())
        await pilot.press("escape")
        await pilot.pause()
        # the agenda: remove the first item, move the second down, edit it, add one
        agenda = ed.query_one("#list-agenda", OptionList)
        agenda.focus()
        first_titles = [i["title"] for i in ed.agenda]
        await pilot.press("d")
        await pilot.pause()
        assert [i["title"] for i in ed.agenda] == first_titles[1:]
        await pilot.press("J")
        assert [i["title"] for i in ed.agenda][:2] == [first_titles[2], first_titles[1]]
        assert ed.agenda_index() == 1  # the list shows a heading per day: the item, not the option
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, AgendaItemDialog)
        minutes = app.screen.query_one("#entry-minutes", Input)
        minutes.value = ""
        minutes.focus()
        await pilot.press("7", "5", "enter")
        await pilot.pause()
        assert ed.agenda[1]["minutes"] == 75
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Dinner", "enter")
        await pilot.pause()
        assert ed.agenda[-1]["title"] == "Dinner" and ed.agenda[-1]["lane"] == ""
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert isinstance(app.screen, BoardScreen)
        (saved,) = store.workshops(store.account("ACME")["id"])
        assert saved["title"] == "Spring 2026" and saved["location"] == "Berlin"
        assert saved["participants"] == [{"name": "Eva", "side": "customer", "role": "CFO"}]
        assert [i["title"] for i in saved["agenda"]][-1] == "Dinner"
        assert saved["agenda"][1]["minutes"] == 75 and len(saved["agenda"]) == len(first_titles)
        assert any("Planned 'Spring 2026'" in n for n in notifications(app))
        # the board now shows the timer line
        assert app.screen.query_one("#workshop-bar").display
        # editing again changes only what changed
        await pilot.press("w")
        await pilot.pause()
        notes = editor(app).query_one("#input-notes", TextArea)
        notes.focus()
        await pilot.press(*"Bring the pilot figures")
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        again = store.workshop(saved["id"])
        assert again["notes"] == "Bring the pilot figures" and again["rev"] == saved["rev"] + 1
        assert again["agenda"] == saved["agenda"]


async def test_bad_fields_are_explained_and_block_saving(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        ed = editor(app)
        await replace(pilot, ed.query_one("#input-start", Input), "16.03.2026")
        assert "is not in the form YYYY-MM-DD" in error_of(app, "start")
        assert ed.query_one("#field-start").has_class("-invalid")
        await replace(pilot, ed.query_one("#input-start", Input), "2026-03-20T09:00")
        assert error_of(app, "start") == ""
        assert "ends (2026-03-17T13:00) before it starts" in error_of(app, "end")
        await replace(pilot, ed.query_one("#input-end", Input), "2026-03-21T13:00")
        await replace(pilot, ed.query_one("#input-vote_per_card", Input), "6")
        assert "cannot exceed the vote budget (5)" in error_of(app, "vote_per_card")
        await replace(pilot, ed.query_one("#input-title", Input), "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopEditor)  # refused
        assert any(n.startswith("Not saved:") for n in notifications(app))
        assert app.focused is ed.query_one("#input-title", Input)
        assert store.workshops() == []
        await replace(pilot, ed.query_one("#input-title", Input), "Fixed")
        await replace(pilot, ed.query_one("#input-vote_per_card", Input), "2")
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        (saved,) = store.workshops()
        assert (saved["title"], saved["start"], saved["vote_per_card"]) == ("Fixed", "2026-03-20T09:00", 2)


async def test_escape_asks_before_dropping_changes(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("x")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, WorkshopEditor)
        assert app.screen.query_one("#input-title", Input).value.endswith("x")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert store.workshops() == []


def test_the_board_runs_the_running_then_current_then_next_workshop() -> None:
    past = {"id": "a", "start": "2025-03-10T09:00", "end": "2025-03-11T13:00"}
    later = {"id": "b", "start": "2026-09-01T09:00", "end": "2026-09-02T13:00"}
    undated = {"id": "c", "start": "", "end": ""}
    today = {"id": "d", "start": "2026-03-15T09:00", "end": "2026-03-16T13:00"}
    assert board_workshop([], TODAY) is None
    assert board_workshop([past], TODAY)["id"] == "a"  # only a past one: it is shown (votes, notes)
    assert board_workshop([past, undated, later], TODAY)["id"] == "b"
    assert board_workshop([past, undated], TODAY)["id"] == "c"
    assert board_workshop([past, later, today], TODAY)["id"] == "d"
    running = {**past, "agenda_state": {"running": True}}
    assert board_workshop([running, later, today], TODAY)["id"] == "a"


async def test_shift_w_plans_the_next_workshop_after_a_past_one(store: BoardStore) -> None:
    old = store.add_workshop("ACME", "Last year", start="2025-03-10T09:00", end="2025-03-11T13:00")
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#workshop-bar").display  # a past workshop: no timer
        await pilot.press("w")
        await pilot.pause()
        assert "held already" in str(editor(app).query_one(".dialog-title").render())
        assert editor(app).query_one("#input-title", Input).value == "Last year"
        await pilot.press("escape", "W")
        await pilot.pause()
        assert editor(app).is_new
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        new = next(w for w in store.workshops() if w["id"] != old["id"])
        assert new["start"] == "2026-03-16T09:00" and len(new["agenda"]) == len(rules.default_agenda())
        assert app.screen.workshop["id"] == new["id"]  # the board now runs the new one
        assert "1/15 Welcome, goals and agenda" in str(app.screen.query_one("#board-timer").render())


def agenda_prompts(ed: WorkshopEditor) -> list[str]:
    agenda = ed.query_one("#list-agenda", OptionList)
    return [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]


async def test_the_agenda_by_day_with_times_and_a_warning_past_the_day(store: BoardStore) -> None:
    old_agenda = [{k: v for k, v in item.items() if k != "day"} for item in rules.default_agenda()]
    ws = store.add_workshop("ACME", "Spring", start="2026-03-16T09:00", end="2026-03-17T13:00", agenda=old_agenda)
    app = board_app(store)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        ed = editor(app)
        prompts = agenda_prompts(ed)
        assert prompts[0] == "Day 1 · Mon 16.03. · 09:00–17:00 · 8 h"
        assert prompts[11] == "Day 2 · Tue 17.03. · 09:00–13:00 · 4 h"
        assert prompts[1].startswith(" 1 09:00  30′") and prompts[12].startswith("11 09:00  15′")
        assert "Welcome back: recap of day 1" in prompts[12]
        assert not ed.query_one("#agenda-warning", Label).has_class("-shown")
        # item 1 ten minutes shorter: 'Welcome back' stays on day 2
        agenda = ed.query_one("#list-agenda", OptionList)
        agenda.focus()
        await pilot.press("e")
        await pilot.pause()
        minutes = app.screen.query_one("#entry-minutes", Input)
        minutes.value = "20"
        await pilot.press("enter")
        await pilot.pause()
        assert agenda_prompts(ed)[0].startswith("Day 1 · Mon 16.03. · 09:00–16:50")
        assert "Welcome back" in agenda_prompts(ed)[12]
        # a 60-minute insert on day 1: a warning under the list and a notice
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AgendaItemDialog)
        assert dialog.query_one("#entry-day", Input).value == "2"  # a new item goes on the last day
        await pilot.press(*"Site tour", "tab", "tab")
        dialog.query_one("#entry-minutes", Input).value = "60"
        dialog.query_one("#entry-day", Input).value = "1"
        dialog.query_one("#entry-notes", TextArea).text = "Bring helmets"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [i["title"] for i in ed.agenda][10] == "Site tour"  # the end of day 1
        assert ed.agenda_index() == 10 and ed.agenda[10]["day"] == 1
        warning = str(ed.query_one("#agenda-warning", Label).render())
        assert warning == "⚠ Day 1 ends at 17:50, 50 min after 17:00"
        assert "Day 1 ends at 17:50, 50 min after 17:00" in notifications(app)
        assert agenda_prompts(ed)[0].endswith("09:00–17:50 · 8 h 50 min · 50 min past 17:00")
        assert agenda_prompts(ed)[11].endswith("Site tour ✎")
        # J over the day line: the tour opens day 2 (first item there), which now runs over
        await pilot.press("J")
        await pilot.pause()
        assert ed.agenda[10]["day"] == 2 and ed.agenda_index() == 10
        assert agenda_prompts(ed)[11].startswith("Day 2 · Tue 17.03. · 09:00–14:00")
        warning = str(ed.query_one("#agenda-warning", Label).render())
        assert warning == "⚠ Day 2 ends at 14:00, 1 h after 13:00"
        assert "Day 2 ends at 14:00, 1 h after 13:00" in notifications(app)
        await pilot.press("K")  # and back
        await pilot.pause()
        assert ed.agenda[10]["day"] == 1
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        saved = store.workshop(ws["id"])["agenda"]
        assert [i["day"] for i in saved] == [1] * 11 + [2] * 5
        assert saved[10]["notes"] == "Bring helmets" and saved[0]["minutes"] == 20


async def test_opening_an_old_agenda_writes_nothing(store: BoardStore) -> None:
    old_agenda = [{k: v for k, v in item.items() if k != "day"} for item in rules.default_agenda()]
    ws = store.add_workshop("ACME", "Spring", start="2026-03-16T09:00", agenda=old_agenda)
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert editor(app).changes() == {} and not editor(app).dirty()
        await replace(pilot, editor(app).query_one("#input-location", Input), "Berlin")
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        saved = store.workshop(ws["id"])
        assert saved["location"] == "Berlin" and saved["agenda"] == old_agenda  # the agenda as it was
