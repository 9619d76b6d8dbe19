"""The board's keys, one row per key: its binding, its group in the key help, its palette title.

A new key of the board goes here (and its ``action_...`` on ``BoardScreen``): ``BoardScreen.BINDINGS``
is made from this table, the key help groups the keys by ``group`` and the command palette names
each by ``palette`` (else its description: the footer's short words say too little in a list of
every action of the app).
"""

from __future__ import annotations

from kamboard.tui.keys import Key

MOVE, CARDS, VIEW, WORKSHOP, VOTING = "Move around", "Cards", "View", "Workshop", "Voting"

# fmt: off
KEYS: tuple[Key, ...] = (
    # keys, action, description, id, tooltip,
    #     group, palette title, shown in the footer
    Key("left,h", "lane(-1)", "Lane left", "board.lane_left", "Focus the lane to the left",
        MOVE, "Focus the lane to the left"),
    Key("right,l", "lane(1)", "Lane right", "board.lane_right", "Focus the lane to the right",
        MOVE, "Focus the lane to the right"),
    Key("up,k", "cursor(-1)", "Card up", "board.cursor_up", "Select the card above",
        MOVE, "Select the card above"),
    Key("down,j", "cursor(1)", "Card down", "board.cursor_down", "Select the card below",
        MOVE, "Select the card below"),
    Key("n", "quick_add", "Add", "board.add", "Quick-add cards to the focused lane (Enter adds, Esc closes)",
        CARDS, "Add cards (quick-add)", show=True),
    Key("e,enter", "edit", "Edit", "board.edit", "Edit the selected card",
        CARDS, "Edit card", show=True),
    Key("H,shift+left", "move_lane(-1)", "Move to lane left", "board.move_left", "Move the card to the previous lane",
        CARDS, "Move card to the lane left"),
    Key("L,shift+right", "move_lane(1)", "Move to lane right", "board.move_right", "Move the card to the next lane",
        CARDS, "Move card to the lane right"),
    Key("K,shift+up", "reorder(-1)", "Move card up", "board.move_up", "Move the card up in its lane",
        CARDS, "Move card up"),
    Key("J,shift+down", "reorder(1)", "Move card down", "board.move_down", "Move the card down in its lane",
        CARDS, "Move card down"),
    Key("d", "delete", "Delete", "board.delete", "Delete the selected card (after asking)",
        CARDS, "Delete card", show=True),
    Key("u", "undo", "Undo", "board.undo", "Undo the last change made in this run",
        CARDS, show=True),
    Key("ctrl+r", "redo", "Redo", "board.redo", "Redo the last undone change",
        CARDS),
    Key("slash", "filter", "Filter", "board.filter", "Filter cards by text, #tag or @owner",
        VIEW, "Filter cards", show=True),
    Key("z", "focus_mode", "Focus lane", "board.focus_mode", "Show the focused lane large (for a projector)",
        VIEW, "Focus mode: the lane large", show=True),
    Key("w", "workshop", "Workshop", "board.workshop", "Edit the account's workshop (plans one if there is none)",
        WORKSHOP, "Edit workshop", show=True),
    Key("W", "workshop(True)", "Plan a new workshop", "board.new_workshop",
        "Plan the next workshop: the last one's people and agenda, next year in the title, its dates a year later",
        WORKSHOP),
    Key("t", "timer('toggle')", "Timer start/pause", "board.timer", "Start or pause the agenda timer",
        WORKSHOP),
    Key("right_square_bracket", "timer('next')", "Next agenda item", "board.agenda_next", "Go to the next agenda item",
        WORKSHOP),
    Key("left_square_bracket", "timer('prev')", "Previous agenda item", "board.agenda_prev",
        "Back to the previous item",
        WORKSHOP),
    Key("plus", "timer('extend')", "+5 minutes", "board.extend", "Give the current agenda item 5 more minutes",
        WORKSHOP, "Timer: +5 minutes"),
    Key("N", "agenda_notes", "Agenda notes", "board.agenda_notes",
        "Notes or decisions on the current agenda item (they go into the minutes)",
        WORKSHOP, "Notes on the current agenda item"),
    Key("o", "capture", "Capture", "board.capture",
        "Open the focused lane for participants to add cards from their devices, or close it again",
        WORKSHOP, "Open or close capture in the lane (participants add cards)"),
    Key("p", "pick_voter", "Who votes", "board.voter", "Choose the participant whose votes v and V change",
        VOTING, "Choose who votes"),
    Key("v", "vote(1)", "Vote", "board.vote", "Give the selected card one of the participant's votes",
        VOTING, "Vote for the card"),
    Key("V", "vote(-1)", "Take back a vote", "board.unvote", "Take back one of the participant's votes on the card",
        VOTING),
    Key("r", "reveal", "Reveal/hide votes", "board.reveal", "Reveal the vote counts, or hide them ('?') while voting",
        VOTING),
    Key("s", "sort_votes", "Sort by votes", "board.sort",
        "Show the focused lane by votes, most first (s again: board order)",
        VOTING, "Sort the lane by votes"),
    Key("g", "gaps", "Gaps", "board.gaps",
        "What the board lacks: unanswered challenges, sales pitches, missing owners",
        VIEW, "Show gaps"),
    Key("c", "commitments", "Commitments review", "board.commitments", "Review last workshop's open support actions",
        WORKSHOP),
    Key("P", "presenter", "Presenter view", "board.presenter", "Projector view following the agenda (Esc returns)",
        WORKSHOP),
    Key("C", "conflicts", "Conflicts", "board.conflicts", "Review the conflicts merged copies of the board left",
        VIEW, "Review conflicts (merged copies)"),
    Key("q,escape", "back", "Back", "board.back", "Close the input or focus mode, else back to the accounts",
        VIEW, "Back to the accounts", show=True),
    Key("question_mark", "help", "Keys", "board.help", "Show every key",
        VIEW, "Key help", show=True),
)
# fmt: on
