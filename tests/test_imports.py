"""The UI-free modules never import textual (checked in a fresh interpreter)."""

from __future__ import annotations

import importlib.util
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kamboard

CORE = ["kamboard.model", "kamboard.storage", "kamboard.store", "kamboard.errors"]
OPTIONAL = ["kamboard.reports", "kamboard.cli"]
UI = ("kamboard.tui", "kamboard.__main__")


def _ui_free_modules() -> list[str]:
    """Every module of the package outside tui/ (and __main__, which may open the TUI)."""
    names = [
        info.name
        for info in pkgutil.walk_packages(kamboard.__path__, "kamboard.")
        if not info.name.startswith(UI) and not info.name.rsplit(".", 1)[-1].startswith("_")
    ]
    return sorted({*CORE, *names})


def _imported_in_fresh_python(modules: list[str]) -> dict[str, list[str]]:
    """Import ``modules`` one by one in a new interpreter; report the UI modules each pulled in."""
    script = (
        "import importlib, json, sys\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "    out[name] = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')"
        " or m.startswith('kamboard.tui'))\n"
        "print(json.dumps(out))\n"
    )
    root = str(Path(kamboard.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", script, *modules], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_core_modules_exist() -> None:
    for name in CORE:
        assert importlib.util.find_spec(name) is not None, name


def test_ui_free_modules_do_not_import_textual() -> None:
    modules = _ui_free_modules()
    present = [name for name in OPTIONAL if importlib.util.find_spec(name) is not None]
    assert set(present) <= set(modules)
    pulled = _imported_in_fresh_python(modules)
    assert set(pulled) == set(modules)
    offenders = {name: [m for m in mods if m.startswith(("textual", "kamboard.tui"))] for name, mods in pulled.items()}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


@pytest.mark.parametrize("name", CORE)
def test_each_core_module_alone(name: str) -> None:
    pulled = _imported_in_fresh_python([name])
    assert not any(m.startswith("textual") for m in pulled[name])


def test_the_check_itself_can_fail() -> None:
    """The same probe notices textual when a module does pull it in."""
    pulled = _imported_in_fresh_python(["textual.app"])
    assert "textual" in pulled["textual.app"]
