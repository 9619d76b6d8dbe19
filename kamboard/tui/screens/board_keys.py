"""The board's keys, one row per key: its binding, its group in the key help, its palette title.

A new key of the board goes here (and its ``action_...`` on ``BoardScreen``): ``BoardScreen.BINDINGS``
is made from this table, the key help groups the keys by ``group`` and the command palette names
each by ``palette`` (else its description: the footer's short words say too little in a list of
every action of the app).
"""

from __future__ import annotations

from kamboard.i18n import _
from kamboard.tui.keys import Key

MOVE, CARDS, VIEW, WORKSHOP, VOTING = _("Move around"), _("Cards"), _("View"), _("Workshop"), _("Voting")

# fmt: off
KEYS: tuple[Key, ...] = (
    # keys, action, description, id, tooltip,
    #     group, palette title, shown in the footer
    Key("left,h", "lane(-1)", _("Lane left"), "board.lane_left", _("Focus the lane to the left"),
        MOVE, _("Focus the lane to the left")),
    Key("right,l", "lane(1)", _("Lane right"), "board.lane_right", _("Focus the lane to the right"),
        MOVE, _("Focus the lane to the right")),
    Key("up,k", "cursor(-1)", _("Card up"), "board.cursor_up", _("Select the card above"),
        MOVE, _("Select the card above")),
    Key("down,j", "cursor(1)", _("Card down"), "board.cursor_down", _("Select the card below"),
        MOVE, _("Select the card below")),
    Key("n", "quick_add", _("Add"), "board.add", _("Quick-add cards to the focused lane (Enter adds, Esc closes)"),
        CARDS, _("Add cards (quick-add)"), show=True),
    Key("e,enter", "edit", _("Edit"), "board.edit", _("Edit the selected card"),
        CARDS, _("Edit card"), show=True),
    Key("H,shift+left", "move_lane(-1)", _("Move to lane left"), "board.move_left", _("Move the card to the previous lane"),
        CARDS, _("Move card to the lane left")),
    Key("L,shift+right", "move_lane(1)", _("Move to lane right"), "board.move_right", _("Move the card to the next lane"),
        CARDS, _("Move card to the lane right")),
    Key("K,shift+up", "reorder(-1)", _("Move card up"), "board.move_up", _("Move the card up in its lane"),
        CARDS, _("Move card up")),
    Key("J,shift+down", "reorder(1)", _("Move card down"), "board.move_down", _("Move the card down in its lane"),
        CARDS, _("Move card down")),
    Key("d", "delete", _("Delete"), "board.delete", _("Delete the selected card (after asking)"),
        CARDS, _("Delete card"), show=True),
    Key("u", "undo", _("Undo"), "board.undo", _("Undo the last change made in this run"),
        CARDS, show=True),
    Key("ctrl+r", "redo", _("Redo"), "board.redo", _("Redo the last undone change"),
        CARDS),
    Key("slash", "filter", _("Filter"), "board.filter", _("Filter cards by text, #tag or @owner"),
        VIEW, _("Filter cards"), show=True),
    Key("z", "focus_mode", _("Focus lane"), "board.focus_mode", _("Show the focused lane large (for a projector)"),
        VIEW, _("Focus mode: the lane large"), show=True),
    Key("w", "workshop", _("Workshop"), "board.workshop", _("Edit the account's workshop (plans one if there is none)"),
        WORKSHOP, _("Edit workshop"), show=True),
    Key("W", "workshop(True)", _("Plan a new workshop"), "board.new_workshop",
        _("Plan the next workshop: the last one's people and agenda, next year in the title, its dates a year later"),
        WORKSHOP),
    Key("t", "timer('toggle')", _("Timer start/pause"), "board.timer", _("Start or pause the agenda timer"),
        WORKSHOP),
    Key("right_square_bracket", "timer('next')", _("Next agenda item"), "board.agenda_next", _("Go to the next agenda item"),
        WORKSHOP),
    Key("left_square_bracket", "timer('prev')", _("Previous agenda item"), "board.agenda_prev",
        _("Back to the previous item"),
        WORKSHOP),
    Key("plus", "timer('extend')", _("+5 minutes"), "board.extend", _("Give the current agenda item 5 more minutes"),
        WORKSHOP, _("Timer: +5 minutes")),
    Key("N", "agenda_notes", _("Agenda notes"), "board.agenda_notes",
        _("Notes or decisions on the current agenda item (they go into the minutes)"),
        WORKSHOP, _("Notes on the current agenda item")),
    Key("o", "capture", _("Capture"), "board.capture",
        _("Open the focused lane for participants to add cards from their devices, or close it again"),
        WORKSHOP, _("Open or close capture in the lane (participants add cards)")),
    Key("p", "pick_voter", _("Who votes"), "board.voter", _("Choose the participant whose votes v and V change"),
        VOTING, _("Choose who votes")),
    Key("v", "vote(1)", _("Vote"), "board.vote", _("Give the selected card one of the participant's votes"),
        VOTING, _("Vote for the card")),
    Key("V", "vote(-1)", _("Take back a vote"), "board.unvote", _("Take back one of the participant's votes on the card"),
        VOTING),
    Key("r", "reveal", _("Reveal/hide votes"), "board.reveal", _("Reveal the vote counts, or hide them ('?') while voting"),
        VOTING),
    Key("s", "sort_votes", _("Sort by votes"), "board.sort",
        _("Show the focused lane by votes, most first (s again: board order)"),
        VOTING, _("Sort the lane by votes")),
    Key("g", "gaps", _("Gaps"), "board.gaps",
        _("What the board lacks: unanswered challenges, sales pitches, missing owners"),
        VIEW, _("Show gaps")),
    Key("c", "commitments", _("Commitments review"), "board.commitments", _("Review last workshop's open support actions"),
        WORKSHOP),
    Key("P", "presenter", _("Presenter view"), "board.presenter", _("Projector view following the agenda (Esc returns)"),
        WORKSHOP),
    Key("C", "conflicts", _("Conflicts"), "board.conflicts", _("Review the conflicts merged copies of the board left"),
        VIEW, _("Review conflicts (merged copies)")),
    Key("q,escape", "back", _("Back"), "board.back", _("Close the input or focus mode, else back to the accounts"),
        VIEW, _("Back to the accounts"), show=True),
    Key("question_mark", "help", _("Keys"), "board.help", _("Show every key"),
        VIEW, _("Key help"), show=True),
)
# fmt: on
