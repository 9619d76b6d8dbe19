"""How a card reads in a lane: its rows of text, cut to the lane's width, as every terminal counts cells.

Pure text (rich's cell widths, no widget): the lane (``lane.py``) draws and caches these rows.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rich.cells import cell_len

from kamboard import model
from kamboard.followup import is_carried_over
from kamboard.i18n import N_, Labels, _, format_date, pgettext
from kamboard.tui.widgets.text import literal

Card = dict[str, Any]


def card_height(lane: str) -> int:
    """Rows per card, including one blank separator row."""
    return 5 if lane == "support" else 3


# What terminals count differently from rich (and from each other), so a row holding it would push
# the lane's border: skin-tone modifiers (tmux counts '👍🏽' 4 cells, rich 2), zero-width joiners
# ('👩‍💻': 2 or 4 cells by terminal) and emoji variation selectors ('❤️': 1 in tmux, 2 in rich).
# A lane draws text without them ('👍', '👩💻', '❤'): what remains is one character per cell or
# two for a wide one, as every terminal counts it. The stored text stays as typed.
_UNEVEN = re.compile("[\U0001f3fb-\U0001f3ff\u200d\ufe0e\ufe0f]")


def drawable(text: str) -> str:
    """``text`` without what terminals measure differently (skin-tone modifiers, zero-width
    joiners, emoji variation selectors): every terminal then gives it the cells rich counts."""
    return _UNEVEN.sub("", text) if _UNEVEN.search(text) else text


def drawn(value: object) -> str:
    """User text as a lane draws it: literal (control characters visible) and drawable."""
    return drawable(literal(value))


Piece = tuple[str, str]  # (text, component class)
Row = tuple[list[Piece], list[Piece]]  # pieces on the left, pieces aligned right


def card_rows(
    card: Card, today: dt.date, width: int = 40, votes: str | None = None, narrow: bool | None = None
) -> list[Row]:
    """The content rows of a card for a lane ``width`` cells wide.

    Every card: the title over up to two rows (else the tags on the second row).
    Support actions then: owner and side; due date (overdue marked), status, "↻ carried over" when
    the commitments review carried it over from an earlier workshop, and "win-win" when both
    benefits are stated. Vote and link markers sit at the right of the title row; ``votes`` is the
    vote count as shown (``voting.display_votes``: '?' while hidden), else the stored total.
    User text is drawn as :func:`drawn` makes it, so every terminal agrees on its width.
    ``narrow`` picks the short words ('! date' for 'overdue date'); the lane decides it once for
    all its cards (``needs_short_words``) so they read alike; None decides for this card alone.
    """
    markers: list[Piece] = []
    shown = votes if votes is not None else str(int(card.get("votes") or 0) or "")
    if shown:
        markers.append((f"●{shown}", "lane--marker"))
    links = len(card.get("links") or ())
    if links:
        markers.append((f"⇄{links}", "lane--marker"))
    markers = _join(markers, " ")
    tags = _join([("#" + drawn(t), "lane--meta") for t in card.get("tags") or ()])
    title = drawn(card.get("title", ""))
    room = max(4, width - 3 - (sum(cell_len(t) for t, _style in markers) + 1 if markers else 0))
    first, rest = _split(title, room, max(4, width - 3))
    rows: list[Row] = [([(first, "lane--title")], markers), ([(rest, "lane--title")] if rest else tags, [])]
    if card.get("lane") != "support":
        return rows
    owner = drawn(card.get("owner") or pgettext("card", "no owner"))
    side = card.get("side") or ""
    who: list[Piece] = [(owner, "lane--meta")]
    if side:
        who.append((f" ({SIDE_WORDS.get(side, drawn(side))})", "lane--meta"))
    if narrow is None:
        narrow = needs_short_words(card, today, width)
    third = _status_row(card, today, narrow, marked=mutual_benefit(card))
    if _cells(third) > width - 3:
        third = _status_row(card, today, narrow, marked=False)
    return [*rows, (who, []), (third, [])]


SIDE_WORDS = Labels({"us": N_("us"), "customer": N_("customer")})  # the same words on every card
# a status as cards show it (an unknown one: its id, underscores as spaces)
STATUS_WORDS = Labels(
    {
        "proposed": N_("proposed"),
        "agreed": N_("agreed"),
        "in_progress": N_("in progress"),
        "done": N_("done"),
        "dropped": N_("dropped"),
    }
)


def _status_row(card: Card, today: dt.date, narrow: bool, marked: bool) -> list[Piece]:
    """Due date (overdue marked), status, the carried-over marker (a glyph and words, not colour
    alone) and, when ``marked``, the win-win marker."""
    due = card.get("due") or ""
    status_id = card.get("status") or ""
    status = STATUS_WORDS[status_id] if status_id in STATUS_WORDS else (status_id or _("no status")).replace("_", " ")
    overdue = bool(due) and model.is_overdue(card, today)
    gap = " " if narrow else "  "
    row: list[Piece] = []
    if due:
        if narrow:
            shown = ("! " if overdue else "") + short_date(due)
        else:
            shown = (_("overdue {date}") if overdue else _("due {date}")).format(date=format_date(due))
        row += [(shown, "lane--overdue" if overdue else "lane--meta"), (gap, "")]
    row.append((status, "lane--status"))
    if is_carried_over(card):
        row += [(gap, ""), (_(CARRIED_SHORT) if narrow else _(CARRIED), "lane--marker")]
    if marked:
        row += [(gap, ""), (_(WIN_WIN), "lane--marker")]
    return row


def short_date(iso: str) -> str:
    """A due date in the short words: as the language writes it, a German one with two-digit
    year ('01.03.26': the status after it fits a lane at 80 columns); ISO stays as it is."""
    shown = format_date(iso)
    return shown if shown == iso or len(shown) != 10 else shown[:6] + shown[8:]


def _cells(pieces: list[Piece]) -> int:
    return sum(cell_len(text) for text, _style in pieces)


def needs_short_words(card: Card, today: dt.date, width: int) -> bool:
    """Whether a support action's status row needs the short words to fit ``width``: long words
    with the win-win marker, else short words with it, else long words without it, else short."""
    if card.get("lane") != "support":
        return False
    tries = [(False, True), (True, True)] if mutual_benefit(card) else []
    for narrow, marked in [*tries, (False, False)]:
        if _cells(_status_row(card, today, narrow, marked)) <= width - 3:
            return narrow
    return True


WIN_WIN = N_("win-win")
CARRIED = N_("↻ carried over")  # a commitment the review carried over from an earlier workshop
CARRIED_SHORT = N_("↻ carried")


def mutual_benefit(card: Card) -> bool:
    """Both halves of the mutual-benefit pair are filled in."""
    return bool(str(card.get("customer_benefit") or "").strip() and str(card.get("our_benefit") or "").strip())


def _split(title: str, width: int, next_width: int | None = None) -> tuple[str, str]:
    """Break a title so the first part fits ``width`` cells; the rest goes on the next row.

    The break falls at the last space that fits, unless that leaves most of the row empty: then
    after a hyphen or slash ('Remote-Service-' / 'Portal'), else at that early space when the rest
    then fits ``next_width``. Only a word longer than the row is cut where the row ends.
    """
    if cell_len(title) <= width:
        return title, ""
    next_width = width if next_width is None else next_width
    hard = 0
    while hard < len(title) and cell_len(title[: hard + 1]) <= width:
        hard += 1
    space = title.rfind(" ", 0, hard + 1)
    hyphen = max((i + 1 for i in range(hard) if title[i] in "-/" and i + 1 < len(title)), default=0)
    for cut in (space if space >= width // 2 else 0, hyphen, space):
        if cut <= 0:
            continue
        head, rest = title[:cut].rstrip(), title[cut:].lstrip()
        if head and (cut >= width // 2 or cell_len(rest) <= next_width):
            return head, rest
    return title[:hard], title[hard:].lstrip()


def _join(pieces: list[Piece], gap: str = "  ") -> list[Piece]:
    out: list[Piece] = []
    for index, piece in enumerate(pieces):
        if index:
            out.append((gap, "lane--meta"))
        out.append(piece)
    return out
