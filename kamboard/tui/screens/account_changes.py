"""The accounts screen's changes: add, rename and archive an account (after asking), shown at once
and written by the app's saver in the background (a refused save is taken back off the screen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from kamboard import model
from kamboard.i18n import _
from kamboard.model import ValidationError
from kamboard.tui.reporting import message_of
from kamboard.tui.screens.dialogs import ConfirmDialog, TextPrompt

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.saver import Done, Failed

Doc = dict[str, Any]


class AccountChanges(Screen[None]):
    """The base of the accounts screen: its changes to accounts (a, r, x) and the ones not saved yet.

    The screen fills the table (``reload``) and knows the selected row (``selected_id``, ``select``).
    """

    app: KamboardApp

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # changes shown before the saver has written them: account id -> fields ("new": an added one)
        self._unsaved: dict[str, dict[str, Any]] = {}
        self._shown: dict[str, model.AccountSummary] = {}  # the rows as shown, by account id

    def reload(self) -> None:
        """Fill the table from the store with the changes not saved yet (the screen's)."""
        raise NotImplementedError

    def selected_id(self) -> str | None:
        """The highlighted account's id (the screen's)."""
        raise NotImplementedError

    def select(self, account_id: str) -> None:
        """Highlight ``account_id``'s row (the screen's)."""
        raise NotImplementedError

    def _refuse_readonly(self) -> bool:
        if self.app.store.readonly:
            self.notify(self.app.store.readonly_reason, title=_("Read-only"), severity="warning", markup=False)
            return True
        return False

    def _names(self) -> dict[str, tuple[str, bool]]:
        """Every account's (name, archived), with the changes not saved yet."""
        names = {
            a["id"]: (str(a.get("name", "")), bool(a.get("archived")))
            for a in self.app.store.accounts(include_archived=True)
        }
        for account_id, changes in self._unsaved.items():
            if account_id in names or changes.get("new"):
                name, archived = names.get(account_id, ("", False))
                names[account_id] = (changes.get("name", name), changes.get("archived", archived))
        return names

    def _validate_name(self, except_id: str = "") -> Callable[[str], str]:
        def check(value: str) -> str:
            name = model.validate_title(value, "name", _("Account name"))
            for account_id, (other, archived) in self._names().items():
                if account_id != except_id and other.casefold() == name.casefold():
                    if archived:
                        message = _("An account named {name!r} (archived) already exists.")
                    else:
                        message = _("An account named {name!r} already exists.")
                    raise ValidationError("name", message.format(name=other))
            return name

        return check

    # changes: shown at once, written by the app's saver in the background
    def _show_change(self, account_id: str, changes: dict[str, Any]) -> Callable[[], None]:
        """Show ``changes`` to the account at once; returns what takes them back (a refused save)."""
        entry = self._unsaved.setdefault(account_id, {})
        before = {k: entry[k] for k in changes if k in entry}
        entry.update(changes)

        def take_back() -> None:
            entry = self._unsaved.get(account_id)
            if entry is None:
                return
            for key in changes:
                if key in before:
                    entry[key] = before[key]
                else:
                    entry.pop(key, None)
            if not entry:
                del self._unsaved[account_id]

        self.reload()
        return take_back

    def _save(self, label: str, run: Callable[[BoardStore], Any], done: Done | None, failed: Failed) -> None:
        self.app.saver.submit(label, run, done, failed)
        self.app.saver.when_idle(self._settle)

    def _settle(self) -> None:
        """Every save is answered: the accounts as the file has them (the app's ``board_changed``
        follows a save; a refused one was taken back already)."""
        self._unsaved.clear()

    def _refused(self, take_back: Callable[[], None], what: str, again: Callable[[], None] | None = None) -> Failed:
        """A failed save: take the change back off the screen, say so, and (``again``) reopen the
        prompt with what was typed."""

        def failed(exc: Exception) -> None:
            take_back()
            self.reload()
            message = message_of(exc)
            self.app.notify(
                _("{what}: {message} Reloaded.").format(what=what, message=message),
                title=_("Not saved"),
                severity="error",
                markup=False,
                timeout=8,
            )
            if again is not None and self.is_current:
                again()

        return failed

    def action_add(self, name: str = "", owner: str | None = None) -> None:
        """Ask for the name, then the owner (``name``, ``owner``: typed before, a refused add)."""
        if self._refuse_readonly():
            return

        def got_name(value: str | None) -> None:
            if value:
                self.app.push_screen(
                    TextPrompt(
                        _("Add account"),
                        _("Key account manager for {name} (optional)").format(name=value),
                        self.app.store.user if owner is None else owner,
                    ),
                    lambda typed: self._add(value, typed),
                )

        self.app.push_screen(TextPrompt(_("Add account"), _("Account name"), name, self._validate_name()), got_name)

    def _add(self, name: str, owner: str | None) -> None:
        owner = owner or ""
        account_id = model.new_id()  # the row's key before the file has it
        take_back = self._show_change(account_id, {"new": True, "name": name, "owner": owner})
        self.select(account_id)

        def run(store: BoardStore) -> Doc:
            return store.add_account(name, owner, id=account_id)

        def done(account: Doc) -> None:
            self.notify(_("Added account {name}").format(name=account["name"]), markup=False)

        again = lambda: self.action_add(name, owner)  # noqa: E731
        not_added = _("Account {name!r} not added").format(name=name)
        self._save(_("account {name!r}").format(name=name), run, done, self._refused(take_back, not_added, again))

    def action_rename(self) -> None:
        account_id = self.selected_id()
        if account_id is None or self._refuse_readonly():
            return
        if (shown := self._shown.get(account_id)) is not None:
            self._ask_name(account_id, shown.name, shown.name)

    def _ask_name(self, account_id: str, old: str, value: str) -> None:
        def renamed(name: str | None) -> None:
            if not name or name == old:
                return
            take_back = self._show_change(account_id, {"name": name})

            def run(store: BoardStore) -> Doc:
                return store.rename_account(account_id, name)

            again = lambda: self._ask_name(account_id, old, name)  # noqa: E731
            failed = self._refused(take_back, _("{name!r} not renamed").format(name=old), again)
            self._save(_("name of {name!r}").format(name=old), run, None, failed)

        self.app.push_screen(
            TextPrompt(_("Rename account"), _("New name"), value, self._validate_name(account_id)),
            renamed,
        )

    def action_archive(self) -> None:
        account_id = self.selected_id()
        if account_id is None or self._refuse_readonly():
            return
        if (shown := self._shown.get(account_id)) is None:
            return
        name, restore = shown.name, shown.archived

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            take_back = self._show_change(account_id, {"archived": not restore})

            def run(store: BoardStore) -> Doc:
                return store.archive_account(account_id, archived=not restore)

            def done(_account: Doc) -> None:
                if restore:
                    self.notify(_("Restored {name}.").format(name=name), markup=False)
                else:
                    self.notify(
                        _("Archived {name}; its cards are kept (A shows archived).").format(name=name), markup=False
                    )

            if restore:
                label, refused = _("restored {name!r}"), _("{name!r} not restored")
            else:
                label, refused = _("archived {name!r}"), _("{name!r} not archived")
            self._save(label.format(name=name), run, done, self._refused(take_back, refused.format(name=name)))

        if restore:
            dialog = ConfirmDialog(
                _("Restore account"),
                _("Bring {name!r} back to the list?").format(name=name),
                yes=_("Restore"),
                no=_("Cancel"),
            )
        else:
            dialog = ConfirmDialog(
                _("Archive account"),
                _("Archive {name!r}? It leaves this list; its cards and workshops are kept in the file.").format(
                    name=name
                ),
                yes=_("Archive"),
                no=_("Keep"),
            )
        self.app.push_screen(dialog, answered)
