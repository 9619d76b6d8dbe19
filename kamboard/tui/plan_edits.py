"""The action plan's changes: status keys, the card editor, undo and redo. No Textual here.

Each change goes through the board's own controllers (``Edits``, ``CardEdits``) over the undo
history of the action's account (the app's ``history_for``): it shows in the plan at once, the
saver writes it with its base, a conflict in an edit asks as on the board, and ``u`` on that
account's board undoes it once the plan is closed. The plan is seen through ``PlanView``; its
actions are, to the controllers, the support lane of a board (``PlanHost``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from kamboard.errors import BoardError, Conflict
from kamboard.i18n import _
from kamboard.model import ValidationError
from kamboard.tui.board_host import Notices
from kamboard.tui.card_edits import LANE_NOUNS, CardDialogs, CardEdits, owner_names
from kamboard.tui.edits import Edits, Entry, Spot, record
from kamboard.tui.history import History
from kamboard.workshop import board_workshop

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.board_host import Saves, Severity

Card = dict[str, Any]
LINKABLE = ("challenge", "topic")  # what a support action answers, in the card editor's order


class PlanView(Notices, Protocol):
    """The action plan screen as its changes see it."""

    @property
    def actions(self) -> list[Card]:
        """The support actions as shown: the list the changes edit in place."""
        ...

    def show_actions(self, select: str | None = None) -> None:
        """Show ``actions`` again, selecting ``select`` (None: the selection stays)."""
        ...

    def reload(self) -> None:
        """Show the plan as the file has it."""
        ...


class ActionDialogs(CardDialogs, Protocol):
    """The questions the plan's changes ask: the card edits', and the card editor on an action."""

    def edit_action(
        self, card: Card, links: list[tuple[str, str]], owners: list[str], then: Callable[[Card | None], None]
    ) -> None:
        """The card editor on ``card``; ``links``: what it may link to (id, label); ``owners``:
        the names its owner field suggests, best first."""
        ...


class PlanHost:
    """``BoardHost`` over the plan for one account's controllers: the plan's actions are the
    support lane; the plan has no lanes to focus, no voter and no workshop to show."""

    def __init__(self, view: PlanView, account_id: str) -> None:
        self.view = view
        self.account_id = account_id
        self.voter = ""
        self.sorted_lanes: frozenset[str] = frozenset()

    @property
    def current(self) -> str:
        return "support"

    @property
    def all_cards(self) -> dict[str, list[Card]]:
        return {"support": self.view.actions}

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.view.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def report(self, error: Exception, prefix: str = "") -> None:
        self.view.report(error, prefix)

    def show_cards(self, select: dict[str, str] | None = None, lanes: Iterable[str] = ()) -> None:
        self.view.show_actions((select or {}).get("support"))

    def show_workshop(self, workshop: Card | None) -> None:
        pass

    def focus_lane(self, lane: str) -> None:
        pass

    def settled(self) -> None:
        self.view.reload()


class InlineSaver:
    """``Saves`` for a plan without the app's saver (a bare app): each job runs at once, and
    the plan is re-read after a save (in the app: ``board_changed``)."""

    def __init__(self, store: BoardStore, saved: Callable[[], None]) -> None:
        self.store = store
        self.saved = saved

    @property
    def busy(self) -> bool:
        return False

    def submit(
        self,
        label: str,
        run: Callable[[BoardStore], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        try:
            result = run(self.store)
        except (BoardError, ValidationError) as exc:
            if failed is None:
                raise
            failed(exc)
            return
        if done is not None:
            done(result)
        self.saved()

    def when_idle(self, callback: Callable[[], None]) -> None:
        callback()


class PlanEdits:
    """The plan's changes, each through the controllers of its action's account."""

    def __init__(
        self,
        view: PlanView,
        store: BoardStore,
        saver: Saves,
        dialogs: ActionDialogs,
        history_for: Callable[[str], History],
        today: dt.date,
    ) -> None:
        self.view = view
        self.store = store
        self.saver = saver
        self.dialogs = dialogs
        self.history_for = history_for
        self.today = today
        self._controllers: dict[str, CardEdits] = {}
        self.last_account: str | None = None  # whose history holds the plan's last change

    def _for(self, account_id: str) -> CardEdits:
        if account_id not in self._controllers:
            host = PlanHost(self.view, account_id)
            edits = Edits(host, self.saver, self.history_for(account_id))
            self._controllers[account_id] = CardEdits(host, edits, self.store, self.dialogs)
        return self._controllers[account_id]

    def set_status(self, card: Card, status: str, words: str) -> None:
        """Give ``card`` (as shown: the base) ``status`` (``words``: how the notices say it)."""
        account, card_id, old = str(card.get("account_id", "")), card["id"], card.get("status", "")
        title = str(card.get("title", ""))
        label = _("setting {title!r} to {words}").format(title=title, words=words)
        edits = self._for(account).edits
        history = edits.history
        entry = Entry(label, card_id, Spot({"status": old}), Spot({"status": status}))
        edits.recorded(entry)
        edits.show(card_id, entry.after)
        self.last_account = account

        def run(store: BoardStore, base: Card | None) -> Card:
            saved = store.update_card(card_id, {"status": status}, base=base)
            history.edited(saved, {"status": old}, {"status": status}, label)
            record(history, entry)
            return saved

        def done(_saved: Card) -> None:
            self.view.notify(f"{title}: {words}", markup=False)

        def failed(exc: Exception) -> None:
            if isinstance(exc, Conflict):
                self.view.notify(
                    _("{error} Reloaded; try again.").format(error=exc),
                    title=_("Changed meanwhile"),
                    severity="warning",
                    markup=False,
                )
            else:
                self.view.report(exc)

        edits.save(_("Not saved ({label})").format(label=label), card_id, card, run, done, failed)

    def edit(self, card: Card) -> None:
        """The card editor on ``card``, as the board opens it: what it may link to, the owner
        names it suggests (the participants of the workshop the account's board runs, then the
        account's owners); its changes are saved as on the board when it closes."""
        account = str(card.get("account_id", ""))
        opened, cards, people = dict(card), [c for c in self.view.actions if c.get("account_id") == account], []
        if not self.saver.busy:  # else the card as shown (reading would wait for the saves)
            try:
                opened = self.store.card(card["id"])
                cards = self.store.cards(account)
                workshop = board_workshop(self.store.workshops(account), self.today)
            except BoardError as exc:
                self.view.report(exc)
                return
            people = [str(p.get("name", "")) for p in (workshop or {}).get("participants") or []]
        links = [
            (c["id"], _("{lane}: {title}").format(lane=LANE_NOUNS[lane], title=c.get("title", "")))
            for lane in LINKABLE
            for c in cards
            if c.get("lane") == lane
        ]
        owners = owner_names(people, [str(c.get("owner") or "") for c in cards])

        def answered(changes: Card | None) -> None:
            if changes:
                self.last_account = account
            self._for(account).save_edit(opened, changes)

        self.dialogs.edit_action(opened, links, owners, answered)

    def undo(self, account_id: str | None, redo: bool = False) -> None:
        """Undo (redo) the last change of the account the plan changed last, else of
        ``account_id`` (the plan's one account): the same as ``u`` on its board."""
        account = self.last_account or account_id
        if account is None:
            nothing = (
                _("Nothing to redo in the action plan yet.") if redo else _("Nothing to undo in the action plan yet.")
            )
            self.view.notify(nothing, markup=False)
            return
        self._for(account).edits.undo(redo)
