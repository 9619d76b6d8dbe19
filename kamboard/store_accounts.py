"""Account operations of BoardStore: add, rename, archive (names unique, case-insensitive)."""

from __future__ import annotations

from typing import Any

from . import model
from .i18n import N_, _
from .model import ValidationError
from .store_base import StoreBase

Doc = dict[str, Any]


class AccountOps(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; uses its transaction helpers."""

    # account changes
    def _check_name_free(self, data: dict[str, dict[str, Doc]], name: str, except_id: str = "") -> None:
        for doc in data.get("accounts", {}).values():
            if doc.get("id") != except_id and str(doc.get("name", "")).casefold() == name.casefold():
                raise ValidationError("name", _("An account named {name!r} already exists.").format(name=doc["name"]))

    def add_account(self, name: str, owner: str = "", notes: str = "", *, id: str | None = None) -> Doc:
        name = model.validate_title(name, "name", _("Account name"))
        owner = model.validate_text(owner, "owner", N_("Owner"), multiline=False)
        notes = model.validate_text(notes, "notes", N_("Notes"))
        with self._change() as data:
            self._check_name_free(data, name)
            doc: Doc = {"name": name, "owner": owner, "notes": notes, "archived": False}
            if id:
                doc["id"] = id
            self._stamp(doc, new=True)
            self._insert(data, "accounts", doc)
            self._log(data, "account.add", doc, f"added account {name!r}")
        return dict(doc)

    def update_account(self, ref: str, **changes: Any) -> Doc:
        allowed = {"name", "owner", "notes", "archived"}
        if set(changes) - allowed:
            raise ValidationError(
                "account",
                _("Unknown account field(s): {fields}.").format(fields=", ".join(sorted(set(changes) - allowed))),
            )
        if "name" in changes:
            changes["name"] = model.validate_title(changes["name"], "name", _("Account name"))
        if "owner" in changes:
            changes["owner"] = model.validate_text(changes["owner"], "owner", N_("Owner"), multiline=False)
        if "notes" in changes:
            changes["notes"] = model.validate_text(changes["notes"], "notes", N_("Notes"))
        account_id = self.account(ref)["id"]
        with self._change() as data:
            doc = self._get("accounts", account_id)
            if "name" in changes:
                self._check_name_free(data, changes["name"], account_id)
            old_name = doc.get("name")
            doc.update(changes)
            self._stamp(doc)
            if "name" in changes and changes["name"] != old_name:
                summary = f"renamed account {old_name!r} to {changes['name']!r}"
            elif changes.get("archived"):
                summary = f"archived account {old_name!r}"
            else:
                summary = f"edited account {old_name!r}"
            self._log(data, "account.edit", doc, summary)
        return dict(doc)

    def rename_account(self, ref: str, new_name: str) -> Doc:
        return self.update_account(ref, name=new_name)

    def archive_account(self, ref: str, archived: bool = True) -> Doc:
        return self.update_account(ref, archived=archived)
