"""File-state checks of BoardStore: is a fresh parse a kamboard board, which records it cannot
use (left out, read-only), duplicate keys (read-only until repaired), and the error messages'
hints (what the parser found, a backup to restore)."""

from __future__ import annotations

import os
from typing import Any

from . import records
from .errors import BoardFileError, not_regular_message
from .i18n import _
from .jsonparse import describe_duplicates
from .model import SCHEMA_VERSION
from .storage import BACKUP_DIR
from .store_base import StoreBase


class FileChecks(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; run by its ``_load`` on each fresh parse."""

    _undamaged_reason = ""  # the read-only reason damaged records replaced

    def _backup_hint(self) -> str:
        """' or restore a copy from DIR' when DIR holds versions of this board, else ''."""
        folder = os.path.join(os.path.dirname(self.path), BACKUP_DIR)
        prefix = os.path.basename(self.path) + "."
        try:
            if not any(entry.startswith(prefix) for entry in os.listdir(folder)):
                return ""
        except OSError:
            return ""
        return _(" or restore a copy from {folder}").format(
            folder=os.path.join(os.path.dirname(self.name) or ".", BACKUP_DIR)
        )

    def _check_shape(self, data: Any) -> None:
        if data is None:
            if self._raw().strip():
                message = _("{name} holds JSON null, not a kamboard board; delete it{hint}.")
            else:
                message = _("{name} is empty, not a kamboard board; delete it{hint}.")
            raise BoardFileError(message.format(name=self.name, hint=self._backup_hint()))
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise BoardFileError(
                _("{name} is JSON but not a kamboard board (expected tables of records); open another file.").format(
                    name=self.name
                )
            )
        metas = [d for d in data.get("meta", {}).values() if isinstance(d, dict) and "schema" in d]
        if not metas:
            raise BoardFileError(
                _("{name} is JSON but not a kamboard board (no kamboard meta table); open another file.").format(
                    name=self.name
                )
            )
        if type(metas[0]["schema"]) is not int:
            where = records.record_label("meta", next(k for k, d in data["meta"].items() if d is metas[0]), metas[0])
            raise BoardFileError(
                _("{name}: {where} field 'schema' is {value}, not an integer; fix it{hint}.").format(
                    name=self.name, where=where, value=records.show_value(metas[0]["schema"]), hint=self._backup_hint()
                )
            )
        self._set_damage(data, records.scan(data))  # records of the wrong shape: left out, read-only
        self._reindex(data)
        schema = metas[0]["schema"]
        if schema > SCHEMA_VERSION:
            self.readonly_reason = _(
                "{name} was written by a newer kamboard (schema {schema}, this one knows {known}): "
                "opened read-only; upgrade kamboard to change it."
            ).format(name=self.name, schema=schema, known=SCHEMA_VERSION)

    def _reindex(self, data: dict[str, Any]) -> None:
        """One pass over the records: each must be a record; index those with an id."""
        index: dict[str, tuple[str, str]] = {}
        for name, table in data.items():
            indexed = name in ("accounts", "cards", "workshops")
            for key, doc in table.items():
                if not isinstance(doc, dict):
                    raise BoardFileError(
                        _(
                            "{name} is JSON but not a kamboard board (table {table!r} holds a non-record); fix it{hint}."
                        ).format(name=self.name, table=name, hint=self._backup_hint())
                    )
                if indexed and "id" in doc:
                    index[str(doc["id"])] = (name, key)
        self._index = index

    def _set_damage(self, data: dict[str, Any], problems: list[records.Problem]) -> None:
        """Records the program cannot use are left out of what this store shows, and the file is
        read-only with the first problem as the reason (so nothing overwrites it); both end when
        a later parse finds the file fixed."""
        if self.damage:
            self.readonly_reason, self.damage = self._undamaged_reason, ""
        if problems:
            n = len(problems) - 1
            more = _(" (and {n} more: `kamboard check` lists them)").format(n=n) if n else ""
            self._undamaged_reason = self.readonly_reason
            self.damage = self.readonly_reason = _("{name}: {problem}{more}; fix it{hint}.").format(
                name=self.name, problem=problems[0], more=more, hint=self._backup_hint()
            )
            for problem in problems:
                data[problem.table].pop(problem.key, None)

    def _raw(self) -> bytes:
        """The file's bytes, read again (for an error message); b'' when it cannot be read."""
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except OSError:
            return b""

    def _not_json(self, exc: Exception) -> str:
        """What the parser found wrong; an invalid UTF-8 byte where it is (the parser says line 1, column 1)."""
        text = str(exc)
        if "UTF-8" in text and "BOM" not in text:
            return records.utf8_error(self._raw()) or text
        return text

    def _not_regular(self, kind: str) -> BoardFileError:
        return BoardFileError(not_regular_message(self.name, kind))

    _dup_reason = ""  # the read-only reason duplicate keys gave, and the one it replaced
    _before_dup = ""

    def _forget_duplicates(self) -> None:
        """Before a new parse is checked: the last one's duplicate keys no longer hold."""
        if self._dup_reason and self.readonly_reason == self._dup_reason:
            self.readonly_reason = self._before_dup
        self._dup_reason = ""

    def _note_duplicates(self) -> None:
        """A table holding a key twice (after a merge) hid a record: a save would drop it for
        good, so the board is read-only until ``kamboard check --repair`` gives each its own key."""
        found = self.storage.duplicates
        if found:
            self._before_dup = self.readonly_reason
            self.readonly_reason = self._dup_reason = _(
                "{name} is damaged: {duplicates} (two versions merged?), and a save would drop the hidden "
                "records: opened read-only; run `kamboard check --repair {name}`."
            ).format(name=self.name, duplicates=describe_duplicates(found))
