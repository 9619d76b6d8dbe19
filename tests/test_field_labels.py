"""Notices name fields as people do ("value for us", "due date"), never by their stored names."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kamboard import stale
from kamboard.cli import cli
from kamboard.errors import Conflict
from kamboard.merge_edit import FieldConflict
from kamboard.store import BoardStore
from kamboard.tui.screens.conflicts import option_line
from kamboard.tui.watch import describe


def test_a_conflict_names_the_fields_as_people_do() -> None:
    base = {"id": "c1", "title": "Pilot", "rev": 1, "our_benefit": "", "due": "", "notes": ""}
    current = {**base, "rev": 2, "our_benefit": "A reference", "due": "2026-05-01", "updated_by": "carol"}
    with pytest.raises(Conflict) as info:
        stale.refuse_changed(current, base)
    assert str(info.value) == "'Pilot' was changed meanwhile by carol: due date, value for us"
    assert set(info.value.fields) == {"our_benefit", "due"}  # the stored names stay for the code


def test_a_store_conflict_over_a_benefit(tmp_path: Path) -> None:
    mine = BoardStore(tmp_path / "board.json", user="anna", create=True)
    mine.add_account("ACME")
    card = mine.add_card("ACME", "support", "Pilot")
    theirs = BoardStore(tmp_path / "board.json", user="carol")
    theirs.update_card(card["id"], {"customer_benefit": "Less downtime"})
    with pytest.raises(Conflict) as info:
        mine.update_card(card["id"], {"customer_benefit": "Fewer stops"}, base=card)
    assert "changed meanwhile by carol: value for the customer" in str(info.value)
    assert "customer_benefit" not in str(info.value)


def test_the_merge_review_names_the_field_as_people_do() -> None:
    conflict = FieldConflict(
        table="cards",
        id="c1",
        title="Pilot",
        field="our_benefit",
        path="our_benefit",
        value="a",
        by="anna",
        at="",
        other_value="b",
        other_by="bob",
        other_at="",
    )
    line = option_line(conflict).plain
    assert "· value for us" in line and "our_benefit" not in line


def test_the_live_notice_names_edited_fields_as_people_do() -> None:
    event = {"kind": "card.edit", "by": "carol", "summary": "edited 'Pilot (phase 2)' (due, our_benefit)"}
    assert describe([event]) == "carol: edited 'Pilot (phase 2)' (due date, value for us)"
    assert stale.edited_fields(event["summary"]) == {"due", "our_benefit"}  # the log keeps the stored names
    moved = {"kind": "card.move", "by": "bob", "summary": "moved 'X' to Support"}
    assert describe([moved]) == "bob: moved 'X' to Support"


def test_the_cli_names_changed_fields_as_people_do(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="anna", create=True)
    store.add_account("ACME")
    card = store.add_card("ACME", "support", "Pilot")
    args = ["card", "edit", card["id"][:8], "--our-benefit", "A reference", "--due", "2026-05-01", "-f", str(path)]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert "due date, value for us" in done.output and "our_benefit" not in done.output
