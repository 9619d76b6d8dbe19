"""What the board's controllers need from the board screen, as two small typed interfaces.

The controllers (``Edits`` and ``CardEdits``: card changes with undo; ``Voting``; ``Facilitation``:
the workshop) hold the board's rules and are free of Textual. They see the screen only through
``BoardHost`` (implemented by ``BoardScreen``), save through ``Saves`` (the app's saver) and ask the
user through ``BoardDialogs`` (implemented by ``kamboard.tui.board_dialogs.Dialogs``), so a test can
drive them with plain objects (tests/tui/test_board_controllers.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from kamboard.errors import Conflict
    from kamboard.store import BoardStore

Card = dict[str, Any]
Severity = Literal["information", "warning", "error"]


class Notices(Protocol):
    """How a screen tells the user (Textual's toasts; ``report``: an error, one line)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def report(self, error: Exception, prefix: str = "") -> None:
        """``error`` as an error toast."""
        ...


class BoardHost(Notices, Protocol):
    """The board screen as its controllers see it."""

    account_id: str
    voter: str  # who votes now ('' : nobody chosen); setting it shows the cards
    sorted_lanes: frozenset[str]  # lanes shown by votes; setting it shows the cards

    @property
    def current(self) -> str:
        """The focused lane."""
        ...

    @property
    def all_cards(self) -> dict[str, list[Card]]:
        """The account's cards by lane, as the screen shows them (before the filter and the sort)."""
        ...

    def show_cards(self, select: dict[str, str] | None = None, lanes: Iterable[str] = ...) -> None:
        """Show ``all_cards`` again in ``lanes`` (each keeps its selection, or selects ``select[lane]``)."""
        ...

    def show_workshop(self, workshop: Card | None) -> None:
        """Show ``workshop`` as the board's workshop (timer line, vote counts, vote status)."""
        ...

    def focus_lane(self, lane: str) -> None: ...

    def settled(self) -> None:
        """Every save given so far is answered, some refused: show the board as the file has it."""
        ...


class Saves(Protocol):
    """The app's saver as ``Edits`` uses it (``kamboard.tui.saver.Saver``): jobs run in order, off
    the UI thread; their answers come back on it."""

    @property
    def busy(self) -> bool:
        """Some job is not answered yet."""
        ...

    def submit(
        self,
        label: str,
        run: Callable[[BoardStore], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None: ...

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once no job is left (now if none is)."""
        ...


class BoardDialogs(Protocol):
    """The questions the board's controllers ask; each answer goes to ``then`` (None: cancelled)."""

    def confirm(self, title: str, question: str, yes: str, no: str, then: Callable[[bool | None], None]) -> None: ...

    def edit_card(self, card: Card, links: list[tuple[str, str]], then: Callable[[Card | None], None]) -> None:
        """The card editor on ``card``; ``links`` are the cards it may link to (id, label)."""
        ...

    def resolve_conflict(self, conflict: Conflict, then: Callable[[str | None, dict[str, str]], None]) -> None:
        """Someone changed the fields of an edit meanwhile: keep 'mine', 'theirs' or 'both' (free
        text: then also the texts joined, mine first)."""
        ...

    def pick_voter(
        self, workshop: Card, cards: list[Card], current: str, then: Callable[[str | None], None]
    ) -> None: ...

    def edit_workshop(self, workshop: Card | None, account: str, then: Callable[[Card | None], None]) -> None:
        """The workshop editor on ``workshop`` (None, or fields without an id: plan a new one for ``account``)."""
        ...

    def edit_agenda_notes(self, item: Card, then: Callable[[str | None], None]) -> None:
        """The notes of agenda ``item`` to edit; ``then`` gets the new text (None: cancelled)."""
        ...
