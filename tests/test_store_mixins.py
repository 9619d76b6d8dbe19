"""BoardStore provides every member its operation mixins rely on (declared once in ``store_base``)."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

from kamboard import store_base
from kamboard.store import BoardStore
from kamboard.store_base import StoreBase


def test_each_declared_helper_is_implemented_with_the_declared_parameters() -> None:
    declared = {name: f for name, f in vars(StoreBase).items() if inspect.isfunction(f)}
    assert {"_load", "_change", "_get", "_stamp", "_log", "_insert", "account", "card"} <= set(declared)
    for name, stub in declared.items():
        real = getattr(BoardStore, name)
        assert real is not stub, f"BoardStore lacks {name}"
        real_params = list(inspect.signature(inspect.unwrap(real)).parameters)
        assert real_params == list(inspect.signature(stub).parameters), name


def test_each_declared_attribute_is_set_on_a_store(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "ann", create=True)
    store.add_account("ACME")  # a change: sets the last write
    hints = typing.get_type_hints(StoreBase, vars(store_base) | {"SharedJSONStorage": object})
    assert {"path", "name", "_data", "_index", "_mutex"} <= set(hints)
    for name in hints:
        assert hasattr(store, name), name
