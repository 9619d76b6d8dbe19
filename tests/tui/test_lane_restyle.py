"""Changing lanes restyles only the columns and their headers (LaneColumn.set_current): no style of
a lane, its components or its scrollbar may depend on the column's ``-current`` class."""

from __future__ import annotations

from typing import Any

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.widgets.lane import Lane


def _look(lane: Lane) -> tuple[Any, ...]:
    return (
        lane.styles.get_rules(),
        lane.vertical_scrollbar.styles.get_rules(),
        *(lane.get_component_styles(name).get_rules() for name in sorted(lane.COMPONENT_CLASSES)),
    )


async def test_a_lane_looks_as_a_full_restyle_would_make_it(store: BoardStore) -> None:
    app = KamboardApp(store, account="ACME")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        board.current = "challenge"  # as the workshop's agenda does: the focus stays (which restyles lanes)
        await pilot.pause()
        assert board.columns["challenge"].has_class("-current")
        assert not board.columns["topic"].has_class("-current")
        shown = {name: _look(lane) for name, lane in board.lanes.items()}
        for column in board.columns.values():
            app.update_styles(column)  # what a class change does: the column and all in it
        assert {name: _look(lane) for name, lane in board.lanes.items()} == shown
