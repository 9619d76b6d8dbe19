"""A real git scenario: a board in a repository, two clones, `kamboard git-setup` in each,
diverging commits made through BoardStore, `git pull` merges the board with no conflict markers,
every change present, what both sides changed recorded as a conflict to review."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kamboard.store import BoardStore

pytestmark = pytest.mark.slow  # a dozen git and kamboard processes: seconds


def ticking(hour: int) -> Callable[[], str]:
    seconds = itertools.count()
    return lambda: f"2026-03-01T{hour:02d}:{(n := next(seconds)) // 60:02d}:{n % 60:02d}Z"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """git and kamboard as a user runs them: this Python's kamboard first on PATH, no global git config."""
    home = tmp_path / "home"
    home.mkdir()
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    return {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": path, "KAMBOARD_USER": "tester"}


def sh(env: dict[str, str], cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    if check:
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def kamboard(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return sh(env, cwd, sys.executable, "-m", "kamboard", *args, check=False)


def clone(env: dict[str, str], origin: Path, where: Path, name: str) -> Path:
    sh(env, where.parent, "git", "clone", "-q", str(origin), where.name)
    for key, value in (("user.name", name), ("user.email", f"{name}@example.com"), ("pull.rebase", "false")):
        sh(env, where, "git", "config", key, value)
    return where


def commit(env: dict[str, str], repo: Path, message: str) -> None:
    sh(env, repo, "git", "add", "-A")
    sh(env, repo, "git", "commit", "-q", "-m", message)


def test_git_pull_merges_two_clones_edits_of_the_board(tmp_path: Path, env: dict[str, str]) -> None:
    seed = tmp_path / "seed"
    seed.mkdir()
    sh(env, seed, "git", "init", "-q", "-b", "main")
    sh(env, seed, "git", "config", "user.name", "seed")
    sh(env, seed, "git", "config", "user.email", "seed@example.com")
    store = BoardStore(seed / "board.json", "seed", create=True, clock=ticking(9))
    store.add_account("ACME")
    ids = {t: store.add_card("ACME", "topic", t)["id"] for t in ("Growth", "Costs", "Pilot", "Audit", "Energy")}
    commit(env, seed, "the board")
    origin = tmp_path / "origin.git"
    sh(env, tmp_path, "git", "clone", "-q", "--bare", str(seed), str(origin))
    anna_repo = clone(env, origin, tmp_path / "anna", "anna")
    bob_repo = clone(env, origin, tmp_path / "bob", "bob")

    for repo in (anna_repo, bob_repo):  # one command per clone; safe to run twice
        for _ in range(2):
            done = kamboard(env, repo, "git-setup")
            assert done.returncode == 0, done.stderr
        assert (repo / ".gitattributes").read_text() == "/board.json merge=kamboard\n"
        driver = sh(env, repo, "git", "config", "merge.kamboard.driver").stdout.strip()
        assert driver == "kamboard merge-driver %O %A %B"
        assert sh(env, repo, "git", "status", "--porcelain").stdout == "?? .gitattributes\n"  # lock, backups: excluded

    anna = BoardStore(anna_repo / "board.json", "anna", clock=ticking(10))
    anna.update_card(ids["Growth"], {"title": "Growth (Anna)"})
    anna.update_card(ids["Costs"], {"notes": "Anna's notes"})
    anna.delete_card(ids["Audit"])
    anna.delete_card(ids["Energy"])
    new_a = anna.add_card("ACME", "support", "Anna's action")["id"]
    commit(env, anna_repo, "anna's changes")
    sh(env, anna_repo, "git", "push", "-q", "origin", "main")

    bob = BoardStore(bob_repo / "board.json", "bob", clock=ticking(11))
    bob.update_card(ids["Growth"], {"title": "Growth (Bob)"})
    bob.update_card(ids["Costs"], {"tags": ["energy"]})
    bob.move_card(ids["Pilot"], "challenge")
    bob.update_card(ids["Energy"], {"notes": "Bob still needs it"})  # after anna deleted it: kept
    new_b = bob.add_card("ACME", "challenge", "Bob's question")["id"]
    commit(env, bob_repo, "bob's changes")

    pulled = sh(env, bob_repo, "git", "pull", "--no-edit", "origin", "main", check=False)
    assert pulled.returncode == 0, (pulled.stdout, pulled.stderr)
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    assert "kamboard: merged" in pulled.stderr
    raw = (bob_repo / "board.json").read_bytes()
    assert b"<<<<<<<" not in raw and b">>>>>>>" not in raw
    assert sh(env, bob_repo, "git", "status", "--porcelain").stdout == ""  # the merge is committed
    check = kamboard(env, bob_repo, "check", "board.json")
    assert check.returncode == 0 and check.stdout.startswith("ok: 1 accounts, 6 cards"), check.stdout

    board = BoardStore(bob_repo / "board.json")
    cards = {c["id"]: c for c in board.cards()}
    assert cards[ids["Growth"]]["title"] == "Growth (Bob)"  # both changed it: the later change
    assert (cards[ids["Costs"]]["notes"], cards[ids["Costs"]]["tags"]) == ("Anna's notes", ["energy"])
    assert cards[ids["Pilot"]]["lane"] == "challenge"
    assert ids["Audit"] not in cards and cards[ids["Energy"]]["notes"] == "Bob still needs it"
    assert cards[new_a]["title"] == "Anna's action" and cards[new_b]["title"] == "Bob's question"
    listed = json.loads(kamboard(env, bob_repo, "conflicts", "--json", "-f", "board.json").stdout)
    assert sorted((c["title"], c["field"], c["other_value"]) for c in listed) == [
        ("Energy", "deleted", None),
        ("Growth (Bob)", "title", "Growth (Anna)"),
    ]

    # bob settles the title, both go on; the next pull merges against git's common ancestor
    [title] = [c["id"] for c in listed if c["field"] == "title"]
    assert kamboard(env, bob_repo, "conflicts", "resolve", title, "theirs", "-f", "board.json").returncode == 0
    commit(env, bob_repo, "settled")
    sh(env, bob_repo, "git", "push", "-q", "origin", "main")
    anna.update_card(ids["Pilot"], {"notes": "Anna again"})
    commit(env, anna_repo, "anna again")
    pulled = sh(env, anna_repo, "git", "pull", "--no-edit", "origin", "main", check=False)
    assert pulled.returncode == 0 and "CONFLICT" not in pulled.stdout, (pulled.stdout, pulled.stderr)
    board = BoardStore(anna_repo / "board.json")
    pilot = board.card(ids["Pilot"])
    assert (pilot["lane"], pilot["notes"]) == ("challenge", "Anna again")
    assert board.card(ids["Growth"])["title"] == "Growth (Anna)"
    assert [c.field for c in board.conflicts()] == ["deleted"]

    undone = kamboard(env, anna_repo, "git-setup", "--undo")
    assert undone.returncode == 0, undone.stderr
    assert not (anna_repo / ".gitattributes").exists()
    assert sh(env, anna_repo, "git", "config", "merge.kamboard.driver", check=False).returncode == 1
