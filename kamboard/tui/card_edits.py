"""Card changes on the board: edit, quick-add, move, reorder, delete, undo and redo. No Textual here.

``CardEdits`` turns a key into a change of the board: the change shows at once and goes to
``Edits`` (kamboard/tui/edits.py), which saves it in the background with its undo step. The
screen checks that the key may act (a writable file, a selected card) and passes the card; the
controller talks back through ``BoardHost`` and asks the user through ``CardDialogs`` (a part of
``BoardDialogs``; the action plan asks them too: kamboard/tui/plan_edits.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from kamboard import model
from kamboard.errors import BoardError, Conflict, NotFound
from kamboard.i18n import N_, Labels, _
from kamboard.model import LANE_TITLES, LANES, ValidationError
from kamboard.stale import user_fields
from kamboard.store_cards import SavedCard
from kamboard.tui.edits import Card, Edits, Entry, Spot, record

# one card of a lane, as the card editor's link choices name it ("Topic: ...")
LANE_NOUNS = Labels({"topic": N_("Topic"), "challenge": N_("Challenge"), "support": N_("Support action")})

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.board_host import BoardHost
    from kamboard.tui.history import History


def owner_names(participants: Iterable[str], owners: Iterable[str]) -> list[str]:
    """The names the card editor's owner field suggests, best first: the workshop's participants,
    then the account's owners; each name once (case-insensitive, spaces tidied), and an owner's
    short form left out for the fuller name it begins ("Tobias" when "Tobias Groß" is there)."""
    names: dict[str, str] = {}
    for name in participants:
        clean = " ".join(str(name).split())
        names.setdefault(clean.casefold(), clean)
    people = set(names)
    for name in owners:
        clean = " ".join(str(name).split())
        names.setdefault(clean.casefold(), clean)
    names.pop("", None)
    return [
        name for key, name in names.items() if key in people or not any(other.startswith(key + " ") for other in names)
    ]


class CardDialogs(Protocol):
    """The questions ``CardEdits`` asks: a part of ``kamboard.tui.board_host.BoardDialogs``."""

    def confirm(self, title: str, question: str, yes: str, no: str, then: Callable[[bool | None], None]) -> None: ...

    def edit_card(self, card: Card, links: list[tuple[str, str]], then: Callable[[Card | None], None]) -> None: ...

    def resolve_conflict(self, conflict: Conflict, then: Callable[[str | None, dict[str, str]], None]) -> None: ...


class CardEdits:
    """The card keys of the board (e, n, H/L, K/J, d, u, ctrl+r)."""

    def __init__(self, host: BoardHost, edits: Edits, store: BoardStore, dialogs: CardDialogs) -> None:
        self.host = host
        self.edits = edits
        self.store = store
        self.dialogs = dialogs

    @property
    def history(self) -> History:
        return self.edits.history

    def _full_index(self, card: Card) -> int:
        cards = self.host.all_cards[card["lane"]]
        for index, other in enumerate(cards):
            if other["id"] == card["id"]:
                return index
        return len(cards)

    # ---- edit ------------------------------------------------------------------------------------
    def edit(self, card: Card) -> None:
        """Open the card editor on ``card``; its changes are saved when it closes."""
        if self.edits.busy:  # saves pending: the card as shown (reading would wait for them)
            opened = dict(card)
        else:
            try:
                opened = self.store.card(card["id"])
            except BoardError as exc:
                self.host.report(exc)
                return
        # a support action answers challenges or topics; a challenge may answer topics
        lanes = ("challenge", "topic") if opened.get("lane") == "support" else ("topic",)
        choices = [
            (c["id"], _("{lane}: {title}").format(lane=LANE_NOUNS[c["lane"]], title=c.get("title", "")))
            for lane in lanes
            for c in self.host.all_cards[lane]
            if c["id"] != opened["id"]
        ]
        self.dialogs.edit_card(opened, choices, lambda changes: self.save_edit(opened, changes))

    def save_edit(self, opened: Card, changes: dict[str, Any] | None, base: Card | None = None) -> None:
        if not changes:
            return
        try:
            clean = model.validate_card_fields(changes)
        except ValidationError as exc:
            self.host.report(exc)
            return
        card_id, was = opened["id"], base or opened
        entry = Entry(
            _("editing {title!r}").format(title=opened.get("title", "")),
            card_id,
            Spot({k: was.get(k) for k in clean}),
            Spot(clean),
        )
        self.edits.recorded(entry)
        self.edits.show(card_id, entry.after)
        history = self.history

        def run(store: BoardStore, _base: Card | None) -> Card:
            saved = store.update_card(card_id, changes, base=was)
            before = {k: was.get(k) for k in changes}  # after "keep mine": their value
            after = {k: saved.get(k) for k in changes}
            if before != after:
                history.edited(saved, before, after)
                record(history, entry)
            return saved

        def done(saved: Card) -> None:
            dropped = saved.dropped_links if isinstance(saved, SavedCard) else []
            if dropped:
                self.host.notify(
                    _("Saved; {n} link(s) to cards deleted meanwhile were left out.").format(n=len(dropped)),
                    severity="warning",
                    markup=False,
                )

        def failed(exc: Exception) -> None:
            if isinstance(exc, Conflict):
                self.dialogs.resolve_conflict(
                    exc, lambda choice, joined: self._resolve(opened, changes, exc, choice, joined)
                )
            elif isinstance(exc, NotFound):
                self._offer_restore(opened, changes)
            else:
                self.host.report(exc, prefix=_("Not saved: "))

        self.edits.save(_("Not saved"), card_id, opened, run, done, failed, follows=False)

    def _resolve(
        self, opened: Card, changes: dict[str, Any], conflict: Conflict, choice: str | None, joined: dict[str, str]
    ) -> None:
        if choice == "both":  # free text: mine and theirs joined (the dialog offers it then only)
            changes = {**changes, **joined}
        elif choice != "mine":
            changes = {k: v for k, v in changes.items() if k not in conflict.fields}
        if not changes:
            self.host.notify(_("Kept their version."))
            return
        self.save_edit(opened, changes, base=conflict.current)

    def _offer_restore(self, opened: Card, changes: dict[str, Any]) -> None:
        def answered(yes: bool | None) -> None:
            if not yes:
                self.host.notify(_("Your changes to the deleted card were dropped."), markup=False)
                return
            try:
                card = {**opened, **model.validate_card_fields(changes)}
            except ValidationError as exc:
                self.host.report(exc)
                return
            self.add(card, _("restoring"), lambda store: store.restore_card(card))

        self.dialogs.confirm(
            _("Card deleted meanwhile"),
            _("{title!r} was deleted by someone else while you edited it. Restore it with your changes?").format(
                title=opened.get("title", "")
            ),
            _("Restore"),
            _("Drop my changes"),
            answered,
        )

    # ---- add -------------------------------------------------------------------------------------
    def quick_add(self, lane: str, title: str, workshop_id: str) -> Card | None:
        """Add a card titled ``title`` at the end of ``lane`` (recording ``workshop_id``, the
        workshop under way); the card as shown, None when the title is refused (said so)."""
        # a support action captured in the room starts as proposed (was: 'no status')
        status: dict[str, Any] = {"status": "proposed"} if lane == "support" else {}
        try:
            fields = model.validate_card_fields({"title": title, **status})
        except ValidationError as exc:
            self.host.report(exc)
            return None
        account_id = self.host.account_id
        card = {**model.CARD_DEFAULTS, "id": model.new_id(), "account_id": account_id, "lane": lane, **fields}
        card["tags"], card["links"] = [], []
        if workshop_id:
            card["workshop_id"] = workshop_id
        card_id = card["id"]
        self.add(
            card,
            _("adding"),
            lambda store: store.add_card(account_id, lane, title, id=card_id, workshop_id=workshop_id, **status),
        )
        return card

    def add(self, card: Card, what: str, make: Callable[[BoardStore], Card]) -> None:
        """Show ``card`` at once (by its position, else at the end of its lane) and save it with
        ``make``; undo deletes it."""
        lane = card["lane"]
        position = card.get("position")
        cards = self.host.all_cards.get(lane, [])
        index = None if position is None else sum(1 for c in cards if c.get("position", 0) < position)
        entry = Entry(
            _("adding {title!r}").format(title=card.get("title", "")), card["id"], Spot(None), Spot(card, lane, index)
        )
        self.edits.recorded(entry)
        self.edits.show(card["id"], entry.after)
        history = self.history

        def run(store: BoardStore, _base: Card | None) -> Card:
            saved = make(store)
            history.added(saved)
            record(history, entry)
            return saved

        self.edits.save(
            _("Not saved ({what} {title!r})").format(what=what, title=card.get("title", "")),
            card["id"],
            None,
            run,
            follows=False,
        )

    # ---- move, reorder, delete -------------------------------------------------------------
    def move_lane(self, card: Card, delta: int) -> None:
        """Move ``card`` to the end of the lane ``delta`` lanes away, and focus that lane."""
        index = LANES.index(card["lane"]) + delta
        if not 0 <= index < len(LANES):
            lane_title = LANE_TITLES[card["lane"]]
            if delta < 0:
                self.host.notify(_("{lane} is the first lane.").format(lane=lane_title))
            else:
                self.host.notify(_("{lane} is the last lane.").format(lane=lane_title))
            return
        target = LANES[index]
        source = (card["lane"], self._full_index(card))
        dest = (target, len(self.host.all_cards[target]))
        self._move(card, source, dest, end=True)
        self.host.focus_lane(target)

    def reorder(self, card: Card, neighbour: Card) -> None:
        """Move ``card`` to the place of ``neighbour`` in its lane (past cards the filter hides)."""
        lane = card["lane"]
        self._move(card, (lane, self._full_index(card)), (lane, self._full_index(neighbour)))

    def _move(self, card: Card, source: tuple[str, int], dest: tuple[str, int], end: bool = False) -> None:
        """Move ``card`` from ``source`` to ``dest`` (lane, index); ``end``: to the end of the lane."""
        card_id, lane = card["id"], dest[0]
        entry = Entry(
            _("moving {title!r}").format(title=card.get("title", "")),
            card_id,
            Spot({"lane": source[0]}, *source),
            Spot({"lane": lane}, lane, None if end else dest[1]),
        )
        self.edits.recorded(entry)
        self.edits.show(card_id, entry.after)
        history = self.history
        index = None if end else dest[1]

        def run(store: BoardStore, base: Card | None) -> Card:
            moved = store.move_card(card_id, lane, index, base=base)
            history.moved(moved, source, dest)
            record(history, entry)
            return moved

        self.edits.save(_("Not moved ({title!r})").format(title=card.get("title", "")), card_id, card, run)

    def delete(self, card: Card) -> None:
        """Delete ``card`` once the user says yes."""
        shown = dict(card)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(shown)

        title = card.get("title", "")
        question = _("Delete {title!r}?").format(title=title)
        self.dialogs.confirm(_("Delete card"), question, _("Delete"), _("Keep"), answered)

    def _delete(self, card: Card) -> None:
        card_id = card["id"]
        lane = card["lane"]
        index = self._full_index(card)
        title = card.get("title", "")
        entry = Entry(
            _("deleting {title!r}").format(title=title), card_id, Spot(user_fields(card), lane, index), Spot(None)
        )
        self.edits.recorded(entry)
        self.edits.show(card_id, entry.after)
        history = self.history

        def run(store: BoardStore, base: Card | None) -> None:
            history.deleted(store.delete_card(card_id, base=base))
            record(history, entry)

        self.edits.save(_("Not deleted ({title!r})").format(title=title), card_id, card, run)
        self.host.notify(_("Deleted {title!r}; u undoes.").format(title=title), markup=False)
