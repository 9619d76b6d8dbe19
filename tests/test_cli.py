"""The command line: each command's happy path, JSON output, and every error (exit 2, one line, file unchanged)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import kamboard.tui
from kamboard.cli import cli, main
from kamboard.model import LANES
from kamboard.store import BoardStore

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def fails(*args: str, message: str, input: str | None = None) -> Result:
    """Exit code 2, one line on stderr containing ``message``, no traceback."""
    result = run(*args, input=input)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr, result.exception)
    err = result.stderr.strip()
    assert "\n" not in err, err
    assert err.startswith("Error: "), err
    assert message in err, err
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """A board with two accounts and a few cards; two cards share the id prefix 'aaaa'."""
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("Müller Maschinenbau GmbH", owner="Katrin")
    store.add_account("alpha Kliniken")
    store.add_card("Müller Maschinenbau GmbH", "challenge", "Skilled workers", id="aaaa1111" + "0" * 24)
    store.add_card("Müller Maschinenbau GmbH", "topic", "Energy costs", id="aaaa2222" + "0" * 24)
    store.add_card("alpha Kliniken", "support", "Buffer stock", id="bbbb1111" + "0" * 24, status="agreed")
    return path


def cards_json(path: Path, *extra: str) -> list[dict[str, Any]]:
    return json.loads(ok("card", "list", "--json", "-f", str(path), *extra).stdout)


# options and defaults
def test_file_option_before_or_after_the_command(board: Path) -> None:
    before = ok("-f", str(board), "card", "list").stdout
    after = ok("card", "list", "-f", str(board)).stdout
    assert before == after
    assert "Skilled workers" in before and "Buffer stock" in before


def test_file_from_environment_then_default(board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMBOARD_FILE", str(board))
    assert "Energy costs" in ok("card", "list").stdout
    monkeypatch.delenv("KAMBOARD_FILE")
    monkeypatch.chdir(tmp_path)
    fails("card", "list", message="kamboard.json does not exist")
    ok("account", "add", "Here")
    assert (tmp_path / "kamboard.json").exists()


def test_user_option_names_the_author(board: Path) -> None:
    ok("account", "add", "Gamma", "--user", "alice", "-f", str(board))
    ok("--user", "bob", "-f", str(board), "account", "rename", "Gamma", "Delta")
    doc = BoardStore(board).account("Delta")
    assert doc["created_by"] == "alice"
    assert doc["updated_by"] == "bob"


def test_user_defaults_to_environment(board: Path) -> None:
    ok("account", "add", "Gamma", "-f", str(board))
    assert BoardStore(board).account("Gamma")["created_by"] == "tester"


# accounts
def test_account_add_list_rename_archive(board: Path) -> None:
    out = ok("account", "add", "Hansa Logistik AG", "--owner", "Jonas", "-f", str(board)).stdout
    assert "Added account 'Hansa Logistik AG'" in out
    listing = ok("account", "list", "-f", str(board)).stdout
    lines = listing.splitlines()
    assert lines[0].split()[:2] == ["ACCOUNT", "OWNER"]
    assert [line.split()[0] for line in lines[1:]] == ["alpha", "Hansa", "Müller"]
    ok("account", "rename", "hansa logistik ag", "Hansa Logistics", "-f", str(board))
    ok("account", "archive", "Hansa Logistics", "-f", str(board))
    names = [a["name"] for a in json.loads(ok("account", "list", "--json", "-f", str(board)).stdout)]
    assert names == ["alpha Kliniken", "Müller Maschinenbau GmbH"]
    every = json.loads(ok("account", "list", "--json", "--all", "-f", str(board)).stdout)
    archived = [a for a in every if a["archived"]]
    assert [a["name"] for a in archived] == ["Hansa Logistics"]
    assert archived[0]["owner"] == "Jonas"


def test_account_list_json_has_key_figures(board: Path) -> None:
    data = json.loads(ok("account", "list", "--json", "-f", str(board)).stdout)
    mueller = next(a for a in data if a["name"].startswith("Müller"))
    assert mueller["counts"] == {"topic": 1, "challenge": 1, "support": 0}
    alpha = next(a for a in data if a["name"].startswith("alpha"))
    assert alpha["open_actions"] == 1
    assert set(mueller) >= {"id", "name", "owner", "archived", "open_actions", "overdue_actions", "last_workshop"}


def test_account_add_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    ok("account", "add", "First", "-f", str(path))
    assert [a["name"] for a in BoardStore(path).accounts()] == ["First"]


# cards
def test_card_add_with_every_field(board: Path) -> None:
    out = ok(
        "card",
        "add",
        "Müller Maschinenbau GmbH",
        "Support",
        "Training programme",
        "--notes",
        "line 1\nline 2",
        "--tag",
        "people",
        "--tag",
        "training",
        "--owner",
        "Katrin",
        "--side",
        "us",
        "--due",
        "2026-03-31",
        "--status",
        "in_progress",
        "--customer-benefit",
        "Faster ramp-up",
        "--our-benefit",
        "A reference",
        "--link",
        "aaaa1",
        "-f",
        str(board),
    ).stdout
    assert "Added card" in out and "Support" in out
    card = next(c for c in BoardStore(board).cards() if c["title"] == "Training programme")
    assert card["lane"] == "support"
    assert card["notes"] == "line 1\nline 2"
    assert card["tags"] == ["people", "training"]
    assert (card["owner"], card["side"], card["due"], card["status"]) == ("Katrin", "us", "2026-03-31", "in_progress")
    assert (card["customer_benefit"], card["our_benefit"]) == ("Faster ramp-up", "A reference")
    assert card["links"] == ["aaaa1111" + "0" * 24]
    assert card["created_by"] == "tester"


def test_card_add_json_prints_the_new_card(board: Path) -> None:
    doc = json.loads(ok("card", "add", "alpha kliniken", "topic", "New", "--json", "-f", str(board)).stdout)
    assert doc["account"] == "alpha Kliniken"
    assert doc["title"] == "New"
    assert BoardStore(board).card(doc["id"])["title"] == "New"


def test_card_list_json_shape_and_order(board: Path) -> None:
    ok("card", "add", "Müller Maschinenbau GmbH", "topic", "Second topic", "-f", str(board))
    ok("card", "add", "Müller Maschinenbau GmbH", "support", "An action", "-f", str(board))
    first_topic = ok("card", "add", "Müller Maschinenbau GmbH", "topic", "Top topic", "--json", "-f", str(board))
    ok("card", "move", json.loads(first_topic.stdout)["id"], "topic", "--position", "1", "-f", str(board))
    data = cards_json(board)
    assert all({"id", "account", "lane", "title", "position"} <= set(d) for d in data)
    keys = [(d["account"].casefold(), LANES.index(d["lane"]), d["position"]) for d in data]
    assert keys == sorted(keys)
    assert [d["title"] for d in data] == [
        "Buffer stock",
        "Top topic",
        "Energy costs",
        "Second topic",
        "Skilled workers",
        "An action",
    ]


def test_card_list_filters_by_account_and_lane(board: Path) -> None:
    assert [d["title"] for d in cards_json(board, "alpha Kliniken")] == ["Buffer stock"]
    assert [d["title"] for d in cards_json(board, "--lane", "challenges")] == ["Skilled workers"]
    assert cards_json(board, "alpha Kliniken", "--lane", "topic") == []
    table = ok("card", "list", "Müller Maschinenbau GmbH", "-f", str(board)).stdout.splitlines()
    assert table[0].split() == ["ID", "ACCOUNT", "LANE", "TITLE", "OWNER", "DUE", "STATUS"]
    assert [line.split()[0] for line in table[1:]] == ["aaaa2222", "aaaa1111"]


def test_card_list_hides_archived_accounts_unless_asked(board: Path) -> None:
    ok("account", "archive", "alpha Kliniken", "-f", str(board))
    assert "Buffer stock" not in [d["title"] for d in cards_json(board)]
    assert "Buffer stock" in [d["title"] for d in cards_json(board, "--all")]
    assert [d["title"] for d in cards_json(board, "alpha Kliniken")] == ["Buffer stock"]


def test_card_show_text_and_json(board: Path) -> None:
    ok("card", "edit", "bbbb", "--link", "aaaa1111", "--notes", "Weekend stock", "-f", str(board))
    out = ok("card", "show", "bbbb", "-f", str(board)).stdout
    assert out.splitlines()[0] == "Buffer stock"
    assert "alpha Kliniken" in out and "agreed" in out and "Weekend stock" in out
    assert "answers:" in out and "Skilled workers" in out
    target = ok("card", "show", "aaaa1111", "-f", str(board)).stdout
    assert "answered by:" in target and "Buffer stock" in target
    doc = json.loads(ok("card", "show", "bbbb", "--json", "-f", str(board)).stdout)
    assert doc["id"] == "bbbb1111" + "0" * 24
    assert doc["account"] == "alpha Kliniken"
    assert doc["links"] == ["aaaa1111" + "0" * 24]


def test_card_edit_changes_only_given_fields(board: Path) -> None:
    ok("card", "edit", "bbbb", "--title", "Buffer stock for weekends", "--due", "2026-05-01", "-f", str(board))
    card = BoardStore(board).card("bbbb")
    assert card["title"] == "Buffer stock for weekends"
    assert card["due"] == "2026-05-01"
    assert card["status"] == "agreed"
    ok("card", "edit", "bbbb", "--tag", "a", "--tag", "b", "-f", str(board))
    assert BoardStore(board).card("bbbb")["tags"] == ["a", "b"]
    ok("card", "edit", "bbbb", "--tag", "", "--status", "", "-f", str(board))
    card = BoardStore(board).card("bbbb")
    assert card["tags"] == [] and card["status"] == ""


def test_card_move_to_lane_and_position(board: Path) -> None:
    ok("card", "move", "aaaa1111", "topic", "--position", "1", "-f", str(board))
    assert [d["title"] for d in cards_json(board, "Müller Maschinenbau GmbH")] == ["Skilled workers", "Energy costs"]
    ok("card", "move", "aaaa1111", "topic", "-f", str(board))
    assert [d["title"] for d in cards_json(board, "Müller Maschinenbau GmbH")] == ["Energy costs", "Skilled workers"]
    ok("card", "move", "aaaa2222", "support", "-f", str(board))
    assert BoardStore(board).card("aaaa2222")["lane"] == "support"


def test_card_delete_removes_card_and_links(board: Path) -> None:
    ok("card", "edit", "bbbb", "--link", "aaaa1111", "-f", str(board))
    out = ok("card", "delete", "aaaa1111", "-f", str(board)).stdout
    assert "Deleted card aaaa1111 'Skilled workers'" in out
    store = BoardStore(board)
    assert "Skilled workers" not in [c["title"] for c in store.cards()]
    assert store.card("bbbb")["links"] == []


# errors: exit 2, one line, file unchanged
ERRORS = [
    (("card", "show", "aaaa"), "matches 2 cards"),
    (("card", "show", "ffff"), "No card 'ffff'"),
    (("card", "delete", "aaaa"), "matches 2 cards"),
    (("card", "add", "Nobody GmbH", "topic", "x"), "No account 'Nobody GmbH'"),
    (("card", "add", "alpha Kliniken", "backlog", "x"), "Unknown lane 'backlog'"),
    (("card", "add", "alpha Kliniken", "topic", "   "), "Title must not be empty"),
    (("card", "add", "alpha Kliniken", "topic", "two\nlines"), "single line"),
    (("card", "add", "alpha Kliniken", "topic", "x" * 201), "at most 200"),
    (("card", "add", "alpha Kliniken", "support", "x", "--status", "maybe"), "Unknown status 'maybe'"),
    (("card", "add", "alpha Kliniken", "support", "x", "--side", "them"), "Unknown side 'them'"),
    (("card", "add", "alpha Kliniken", "support", "x", "--due", "31/12/2026"), "is not understood; write e.g. +14"),
    (("card", "add", "alpha Kliniken", "support", "x", "--due", "2026-02-30"), "does not exist"),
    (("card", "add", "alpha Kliniken", "support", "x", "--link", "cccc"), "No card 'cccc'"),
    (("card", "edit", "bbbb", "--title", ""), "Title must not be empty"),
    (("card", "edit", "bbbb", "--status", "later"), "Unknown status 'later'"),
    (("card", "edit", "bbbb", "--link", "bbbb"), "cannot link to itself"),
    (("card", "edit", "bbbb"), "Nothing to change"),
    (("card", "move", "bbbb", "archive"), "Unknown lane 'archive'"),
    (("card", "move", "bbbb", "topic", "--position", "0"), "--position"),
    (("card", "list", "--lane", "done"), "Unknown lane 'done'"),
    (("card", "list", "Nobody"), "No account 'Nobody'"),
    (("account", "add", "MÜLLER MASCHINENBAU GMBH"), "already exists"),
    (("account", "add", ""), "Account name must not be empty"),
    (("account", "rename", "alpha Kliniken", "müller maschinenbau gmbh"), "already exists"),
    (("account", "rename", "Nobody", "Somebody"), "No account 'Nobody'"),
    (("account", "archive", "Nobody"), "No account 'Nobody'"),
    (("card", "add", "alpha Kliniken"), "Missing argument"),
    (("card", "frobnicate"), "No such command"),
    (("card", "list", "--bogus"), "No such option"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS, ids=[" ".join(a)[:40] for a, _ in ERRORS])
def test_errors_exit_2_one_line_file_unchanged(board: Path, args: tuple[str, ...], message: str) -> None:
    before = board.read_bytes()
    fails(*args, "-f", str(board), message=message)
    assert board.read_bytes() == before


READ_AND_CARD_COMMANDS = [
    ("account", "list"),
    ("account", "rename", "a", "b"),
    ("account", "archive", "a"),
    ("card", "list"),
    ("card", "show", "abcd"),
    ("card", "add", "a", "topic", "x"),
    ("card", "edit", "abcd", "--title", "x"),
    ("card", "move", "abcd", "topic"),
    ("card", "delete", "abcd"),
]


@pytest.mark.parametrize("args", READ_AND_CARD_COMMANDS, ids=" ".join)
def test_missing_file_is_reported_and_not_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "nothing.json"
    fails(*args, "-f", str(path), message="nothing.json does not exist")
    assert not path.exists()


def test_account_add_in_a_missing_folder(tmp_path: Path) -> None:
    fails("account", "add", "X", "-f", str(tmp_path / "no" / "board.json"), message="does not exist")
    assert not (tmp_path / "no").exists()


def test_bad_account_name_does_not_create_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    fails("account", "add", "a\tb", "-f", str(path), message="control characters")
    assert not path.exists()


def test_bad_files_are_one_line_errors(tmp_path: Path) -> None:
    for name, content, message in [
        ("empty.json", b"", "is empty"),
        ("broken.json", b'{"meta": {', "not valid JSON"),
        ("other.json", b'{"users": [1, 2]}', "not a kamboard board"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        fails("card", "list", "-f", str(path), message=message)
        fails("account", "add", "X", "-f", str(path), message=message)
        assert path.read_bytes() == content


def test_read_only_file_is_an_error(board: Path) -> None:
    before = board.read_bytes()
    board.chmod(0o444)
    try:
        fails("account", "add", "New", "-f", str(board), message="read-only")
        assert "Skilled workers" in ok("card", "list", "-f", str(board)).stdout
    finally:
        board.chmod(0o644)
    assert board.read_bytes() == before


def test_main_returns_exit_code_without_standalone_mode(board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["card", "list", "-f", str(board)], standalone_mode=False) == 0
    assert main(["card", "show", "aaaa", "-f", str(board)], standalone_mode=False) == 2
    captured = capsys.readouterr()
    assert "Skilled workers" in captured.out
    assert captured.err.strip() == "Error: Card prefix 'aaaa' matches 2 cards; give more characters."


# kamboard [FILE]: the TUI
@pytest.fixture
def fake_tui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """Stand-in for kamboard.tui.app: records (path, account) for each run()."""
    calls: list[tuple[str, str | None]] = []
    module = types.ModuleType("kamboard.tui.app")

    def fake_run(store: BoardStore, account: str | None = None) -> None:
        calls.append((store.path, account))

    module.run = fake_run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kamboard.tui.app", module)
    monkeypatch.setattr(kamboard.tui, "app", module, raising=False)
    return calls


def test_file_argument_opens_the_tui(board: Path, fake_tui: list[tuple[str, str | None]]) -> None:
    ok(str(board))
    ok(str(board), "--account", "alpha kliniken")
    ok("-f", str(board))
    account_id = BoardStore(board).account("alpha Kliniken")["id"]
    assert fake_tui == [(str(board), None), (str(board), account_id), (str(board), None)]


def test_no_arguments_open_the_default_file(board: Path, fake_tui: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMBOARD_FILE", str(board))
    ok()
    assert fake_tui == [(str(board), None)]


def test_tui_unknown_account_is_an_error(board: Path, fake_tui: list[Any]) -> None:
    fails(str(board), "--account", "Nobody", message="No account 'Nobody'")
    assert fake_tui == []


def test_tui_asks_before_creating_a_file(tmp_path: Path, fake_tui: list[Any]) -> None:
    path = tmp_path / "new.json"
    declined = run(str(path), input="n\n")
    assert declined.exit_code == 1
    assert "was not created" in declined.stderr
    assert not path.exists()
    no_answer = run(str(path), input="")
    assert no_answer.exit_code == 2
    prompt, error = no_answer.stderr.strip().splitlines()
    assert prompt.rstrip().endswith("Create a new board there? [y/N]:")
    assert error.startswith("Error: ") and "does not exist and no answer was given" in error
    assert not path.exists()
    result = run(str(path), input="y\n")
    assert result.exit_code == 0, result.stderr
    assert path.exists()
    assert fake_tui == [(str(path), None)]


def test_tui_missing_is_a_clear_error(board: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "kamboard.tui.app", None)
    monkeypatch.delattr(kamboard.tui, "app", raising=False)
    fails(str(board), message="TUI is not available")
    fails(str(tmp_path / "new.json"), message="TUI is not available")
    assert not (tmp_path / "new.json").exists()


def test_tui_without_run_is_a_clear_error(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("kamboard.tui.app")
    monkeypatch.setitem(sys.modules, "kamboard.tui.app", module)
    monkeypatch.setattr(kamboard.tui, "app", module, raising=False)
    fails(str(board), message="TUI is not available")


def test_command_names_win_over_file_names(
    tmp_path: Path, fake_tui: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    BoardStore(tmp_path / "card", create=True)
    assert "Cards in an account's lanes" in ok("card").stdout  # the group's help
    ok("./card")
    assert fake_tui == [(str(tmp_path / "card"), None)]


def test_mistyped_command_is_not_taken_for_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fails("acount", "list", message="No such command or file 'acount'. Did you mean 'account'?")
    fails("newboard", message="give a file name such as newboard.json")
    assert list(tmp_path.iterdir()) == []


def test_help_and_version() -> None:
    out = ok("--help").stdout
    assert "account" in out and "card" in out and "demo" in out and "check" in out
    assert "kamboard" in ok("--version").stdout
    assert "-f, --file FILE" in ok("card", "list", "--help").stdout


# end to end, in real processes
def _kamboard(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kamboard", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_end_to_end_in_a_subprocess(tmp_path: Path) -> None:
    assert _kamboard("account", "add", "Northbridge", cwd=tmp_path).returncode == 0
    added = _kamboard("card", "add", "Northbridge", "challenge", "Nurse shortage", "--json", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    card_id = json.loads(added.stdout)["id"]
    listed = _kamboard("-f", "kamboard.json", "card", "list", "--json", cwd=tmp_path)
    assert [(d["id"], d["account"], d["lane"]) for d in json.loads(listed.stdout)] == [
        (card_id, "Northbridge", "challenge")
    ]
    bad = _kamboard("card", "add", "Northbridge", "nowhere", "x", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == ["Error: Unknown lane 'nowhere': use one of topic, challenge, support."]
    assert _kamboard("card", "list", "-f", "missing.json", cwd=tmp_path).returncode == 2


SCRIPT = """
import sys
from kamboard.cli import main
rc = main(sys.argv[1:], standalone_mode=False)
print("TEXTUAL" if "textual" in sys.modules else "NO-TEXTUAL", rc)
"""


@pytest.mark.parametrize(
    "args",
    [
        ("card", "list"),
        ("card", "list", "--json"),
        ("card", "show", "aaaa1111"),
        ("card", "add", "alpha Kliniken", "topic", "t"),
        ("card", "move", "aaaa1111", "support"),
        ("account", "list"),
        ("account", "add", "Zeta"),
        ("check",),
        ("demo", "demo.json", "--no-open"),
        ("--help",),
        ("card", "show", "zzzz"),
    ],
    ids=" ".join,
)
def test_commands_do_not_import_textual(board: Path, args: tuple[str, ...]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KAMBOARD_FILE": str(board)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=board.parent, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] in ("NO-TEXTUAL 0", "NO-TEXTUAL 2"), out.stdout


def test_a_reader_that_stops_early_ends_the_listing_quietly(tmp_path: Path) -> None:
    """`kamboard card list | head -1`: more output than the pipe holds, the reader gone after a line."""
    board = tmp_path / "big.json"
    store = BoardStore(board, user="t", create=True)
    acme = store.add_account("ACME")["id"]
    for i in range(700):
        store.add_card(acme, "topic", f"Card number {i} with a title long enough to fill the pipe quickly")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamboard", "card", "list", "-f", str(board)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, errors
    assert errors == ""
