"""What a participant's session does, without Textual: follow the facilitator, vote, quick-add.

``Participation`` holds what the participant sees (the workshop, the account's cards, the lane
shown) and makes their changes: a vote is checked against the rules on the cards as shown
(refused at once with a short notice, nothing written), shown at once, and given to the saver
(``kamboard.tui.saver.Saver``: one job at a time, in order, off the UI thread) with the
participant's own votes on that card as the base. Presses faster than the file take are
queued in order; each builds on the one before it. Once the saver is idle the cards are read
again from the file. The screen is a ``Host``: it draws, and shows notices.

No message here names the board file's path: errors from the store are told with "the board
file" in its place (``safe_message``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Protocol

from kamboard import voting
from kamboard import workshop as rules
from kamboard.errors import BoardError, Conflict
from kamboard.i18n import N_, _, ngettext
from kamboard.model import LANE_TITLES, LANES, ValidationError
from kamboard.tui.board_host import Saves

if TYPE_CHECKING:
    from kamboard.store import BoardStore

Doc = dict[str, Any]
# marked here, translated where shown
BOARD_FILE = N_("the board file")
CAPTURE_CLOSED = N_("Adding cards is closed for this lane (the facilitator opens it)")


class Host(Protocol):
    """The participant screen as the controller sees it."""

    def notify_user(self, message: str, error: bool = False) -> None:
        """A short notice (user text in it shown literally)."""
        ...

    def redraw(self) -> None:
        """Show the controller's state anew."""
        ...


class NotSaved(BoardError):
    """A vote not made because the one before it on the same card was refused (already told)."""


def safe_message(error: Exception, store: Any) -> str:
    """The error's message with every spelling of the board file's path replaced."""
    text = error.message if isinstance(error, ValidationError) else str(error)
    names = {str(getattr(store, "path", "") or ""), str(getattr(store, "name", "") or "")}
    names |= {os.path.abspath(n) for n in set(names) if n}
    board_file = _(BOARD_FILE)
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, board_file)
    for name in {os.path.basename(n) for n in names if n}:
        if name:
            text = text.replace(name, board_file)
    return text


def votes_left(cards: list[Doc], person: str, workshop: Doc) -> str:
    """'3 of 5 votes left'."""
    budget = voting.rules_of(workshop).budget
    left = max(0, voting.remaining(cards, person, workshop))
    return ngettext("{left} of {budget} vote left", "{left} of {budget} votes left", budget).format(
        left=left, budget=budget
    )


def refusal(cards: list[Doc], card: Doc, person: str, workshop: Doc, delta: int) -> str:
    """Why the participant cannot vote ``delta`` on ``card`` now ('' : they can), in their words;
    the rules are ``voting.cast``'s, which the store applies again when the vote is saved."""
    try:
        voting.cast(cards, card, person, workshop, delta)
    except voting.VoteRefused as refused:
        rules = voting.rules_of(workshop)
        return {
            "none": _("You have no vote on this card to take back."),
            "budget": _("No votes left: you have used all {budget}.").format(budget=rules.budget),
            "per_card": _("At most {count} votes on one card.").format(count=rules.per_card),
        }.get(refused.reason, refused.message)
    return ""


class Participation:
    """One participant's session: what they see and the changes they make."""

    def __init__(self, host: Host, store: Any, saver: Saves, account_id: str, workshop_id: str, person: str) -> None:
        self.host = host
        self.store = store
        self.saver = saver
        self.account_id = account_id
        self.workshop_id = workshop_id
        self.person = person
        self.workshop: Doc = {}
        self.cards: list[Doc] = []
        self.account_name = ""
        self.error = ""
        self.lane = LANES[0]  # the lane shown
        self.cursor = 0  # the highlighted card of the lane shown
        self._followed: tuple[int, str] | None = None  # the facilitator's (item index, lane) last followed
        self._shown = -1  # the store's parse last read
        self._failed: set[str] = set()  # cards whose last vote was refused (saver thread)

    # ---- reading -----------------------------------------------------------------------------
    def reload(self, force: bool = False) -> bool:
        """Read the workshop and the cards if the file changed since (``force``: anyway); while
        votes are being saved only the workshop (the cards as shown hold the votes on their way).
        Returns whether anything was read."""
        try:
            with self.store.snapshot() as generation:
                if generation == self._shown and not force:
                    return False
                self.workshop = self.store.workshop(self.workshop_id)
                if not self.saver.busy:
                    self.cards = self.store.cards(self.account_id)
                    self._shown = generation
                self.account_name = str(self.store.account(self.account_id).get("name", ""))
            self.error = ""
        except BoardError as exc:
            self.error = safe_message(exc, self.store)
        return True

    def follow(self, view: rules.TimerView) -> bool:
        """Show the lane of the facilitator's current item when the item or its lane changed
        (an item without a lane leaves the lane as the participant picked it). Returns whether
        the lane shown changed."""
        now = (view.index, view.lane)
        if now == self._followed:
            return False
        self._followed = now
        if view.lane in LANES and view.lane != self.lane:
            self.lane = view.lane
            self.cursor = 0
            return True
        return False

    def lane_cards(self) -> list[Doc]:
        """The cards of the lane shown, in board order."""
        return [c for c in self.cards if c.get("lane") == self.lane]

    def current_card(self) -> Doc | None:
        cards = self.lane_cards()
        if not cards:
            return None
        self.cursor = max(0, min(self.cursor, len(cards) - 1))
        return cards[self.cursor]

    def budget(self) -> str:
        return votes_left(self.cards, self.person, self.workshop) if self.workshop else ""

    def capture_open(self) -> bool:
        return bool(self.workshop) and rules.capture_open(self.workshop, self.lane)

    # ---- moving ------------------------------------------------------------------------------
    def move(self, step: int) -> None:
        count = len(self.lane_cards())
        self.cursor = max(0, min(self.cursor + step, count - 1)) if count else 0

    def switch_lane(self, step: int, view: rules.TimerView) -> bool:
        """Another lane (left/right), only while the current item has none."""
        if view.lane in LANES:
            self.host.notify_user(
                _("The facilitator's item is on {lane}: the lane follows it.").format(lane=LANE_TITLES[view.lane])
            )
            return False
        self.lane = LANES[(LANES.index(self.lane) + step) % len(LANES)]
        self.cursor = 0
        return True

    # ---- voting ------------------------------------------------------------------------------
    def vote(self, delta: int, card: Doc | None = None) -> None:
        """Add (1) or take back (-1) one of the participant's votes on ``card`` (the highlighted one)."""
        card = card or self.current_card()
        if card is None:
            self.host.notify_user(_("No card to vote on in this lane."))
            return
        if not self.workshop:
            self.host.notify_user(self.error or _("The workshop could not be read."), error=True)
            return
        why = refusal(self.cards, card, self.person, self.workshop, delta)
        try:
            if not why:
                fields = voting.cast(self.cards, card, self.person, self.workshop, delta)
        except ValidationError as exc:
            why = exc.message
        if why:
            self.host.notify_user(why)
            return
        base = voting.voters_in(card, self.workshop_id).get(self.person, 0)
        card.update(fields)  # shown at once
        self.host.redraw()
        card_id, title = str(card["id"]), str(card.get("title", ""))
        person, workshop_id = self.person, self.workshop_id

        def job(store: BoardStore) -> Doc:
            if card_id in self._failed:
                raise NotSaved("")
            try:
                return store.vote(card_id, person, workshop_id, delta, base=base)
            except Exception:
                self._failed.add(card_id)
                raise

        def failed(exc: Exception) -> None:
            if isinstance(exc, NotSaved):
                return  # the refusal of the vote it built on was told
            if isinstance(exc, Conflict):
                self.host.notify_user(
                    _("Your votes on {title!r} changed in another window; shown as saved.").format(title=title), True
                )
            else:
                self.host.notify_user(
                    _("Vote not saved: {message}").format(message=safe_message(exc, self.store)), True
                )

        self.saver.submit(_("vote"), job, None, failed)
        self.saver.when_idle(self.settle)

    def settle(self) -> None:
        """Every vote is answered: show the cards as the file holds them."""
        self._failed.clear()
        self.reload(force=True)
        self.host.redraw()

    # ---- quick-add ---------------------------------------------------------------------------
    def add(self, title: str) -> bool:
        """Add a card titled ``title`` to the lane shown, if capture is open there. Returns
        whether it was given to the saver (False: refused, told why)."""
        title = " ".join(title.split())
        if not title:
            return False
        if not self.capture_open():
            self.host.notify_user(_("{closed}; your text is kept.").format(closed=_(CAPTURE_CLOSED)))
            return False
        lane, account_id, workshop_id = self.lane, self.account_id, self.workshop_id

        def job(store: BoardStore) -> Doc:
            return store.add_card(account_id, lane, title, workshop_id=workshop_id)

        def done(_card: Doc) -> None:
            self.host.notify_user(_("Added to {lane}: {title}").format(lane=LANE_TITLES[lane], title=title))

        def failed(exc: Exception) -> None:
            self.host.notify_user(_("Card not added: {message}").format(message=safe_message(exc, self.store)), True)

        self.saver.submit(_("add a card"), job, done, failed)
        self.saver.when_idle(self.settle)
        return True
