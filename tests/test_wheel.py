"""The built wheel works on its own: fresh venv, ``kamboard --help``, a store round trip, styles inside.

Slow (builds a wheel and installs it with its dependencies; pip's cache keeps reruns quick).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ROUND_TRIP = """
import json, os, sys
import kamboard
from kamboard.store import BoardStore
path = sys.argv[1]
store = BoardStore(path, user="wheel", create=True)
store.add_account("ACME")
card = store.add_card("ACME", "support", "Remote diagnostics", status="agreed", due="2026-06-30")
store.move_card(card["id"], "challenge", 0)
again = BoardStore(path, user="other")
print(json.dumps({
    "module": kamboard.__file__,
    "styles": sorted(os.listdir(os.path.join(os.path.dirname(kamboard.__file__), "styles"))),
    "cards": [(c["title"], c["lane"], c["rev"]) for c in again.cards()],
    "textual": "textual" in sys.modules,
}))
"""


def _run(args: list[str], cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(dist)], cwd=tmp_path)
    (wheel,) = dist.glob("kamboard-*.whl")

    # what the wheel holds
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    styles = sorted(n for n in names if n.startswith("kamboard/styles/") and n.endswith(".tcss"))
    shipped = sorted(f"kamboard/styles/{p.name}" for p in (ROOT / "styles").glob("*.tcss"))
    assert styles, "no kamboard/styles/*.tcss in the wheel"
    assert styles == shipped
    for module in ("model", "storage", "store", "errors"):
        assert f"kamboard/{module}.py" in names
    assert not any(n.startswith(("tests/", "styles/")) for n in names)
    assert "kamboard = kamboard.cli:main" in entry_points
    assert "kamboard/locale/de/LC_MESSAGES/kamboard.mo" in names  # German ships compiled

    # a fresh venv without the system's packages
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=tmp_path, timeout=600)

    help_text = _run([str(bindir / "kamboard"), "--help"], cwd=tmp_path).stdout
    assert "Usage: kamboard" in help_text
    assert "card" in help_text and "account" in help_text
    assert "Usage: kamboard" in _run([str(python), "-m", "kamboard", "--help"], cwd=tmp_path).stdout

    # a store round trip from the installed package (run outside the checkout)
    board = tmp_path / "board.json"
    out = json.loads(_run([str(python), "-c", ROUND_TRIP, str(board)], cwd=tmp_path).stdout)
    assert Path(out["module"]).resolve().is_relative_to(env_dir.resolve())
    assert out["cards"] == [["Remote diagnostics", "challenge", 2]]
    assert [f"kamboard/styles/{name}" for name in out["styles"] if name.endswith(".tcss")] == shipped
    assert out["textual"] is False
    assert json.loads(board.read_bytes())["meta"]

    # the installed CLI reads the board the installed store wrote
    listing = _run([str(bindir / "kamboard"), "card", "list", "-f", str(board), "--json"], cwd=tmp_path).stdout
    assert [c["title"] for c in json.loads(listing)] == ["Remote diagnostics"]
    german = _run([str(bindir / "kamboard"), "card", "list", "-f", str(board), "--lang", "de"], cwd=tmp_path).stdout
    assert "Remote diagnostics" in german and "TITEL" in german.upper()
