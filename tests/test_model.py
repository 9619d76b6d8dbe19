"""Model validation: each bad value gives a clear message naming its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kamboard import model
from kamboard.model import ValidationError


def _error(func: Any, *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    assert str(info.value) == info.value.message
    assert "\n" not in info.value.message
    return info.value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "Title must not be empty."),
        ("   ", "Title must not be empty."),
        ("first line\nsecond line", "Title must be a single line."),
        ("carriage\rreturn", "Title must be a single line."),
        ("bell\x07inside", "Title must not contain control characters."),
        ("tab\tinside", "Title must not contain control characters."),
        ("escape\x1b[31m", "Title must not contain control characters."),
        ("x" * 201, "Title is 201 characters long; at most 200 are allowed."),
        (42, "Title must be text."),
        (None, "Title must be text."),
    ],
)
def test_bad_titles(value: object, expected: str) -> None:
    error = _error(model.validate_title, value)
    assert error.field == "title"
    assert error.message == expected


def test_good_titles_are_stripped_and_kept() -> None:
    assert model.validate_title("  Energy costs  ") == "Energy costs"
    assert model.validate_title("x" * 200) == "x" * 200
    assert model.validate_title("Ärger mit Lieferketten – 2026 ✓") == "Ärger mit Lieferketten – 2026 ✓"


def test_title_names_its_field_and_what() -> None:
    error = _error(model.validate_title, "", "name", "Account name")
    assert (error.field, error.message) == ("name", "Account name must not be empty.")


def test_unknown_lane() -> None:
    error = _error(model.validate_lane, "todo")
    assert error.field == "lane"
    assert error.message == "Unknown lane 'todo': use one of topic, challenge, support."
    for lane in model.LANES:
        assert model.validate_lane(lane) == lane


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"status": "open"},
            "status",
            "Unknown status 'open': use one of proposed, agreed, in_progress, done, dropped.",
        ),
        ({"side": "them"}, "side", "Unknown side 'them': use one of us, customer."),
        ({"due": "2026/01/31"}, "due", "Date '2026/01/31' is not in the form YYYY-MM-DD (e.g. 2026-03-31)."),
        ({"due": "31.01.2026"}, "due", "Date '31.01.2026' is not in the form YYYY-MM-DD (e.g. 2026-03-31)."),
        ({"due": "2026-1-5"}, "due", "Date '2026-1-5' is not in the form YYYY-MM-DD (e.g. 2026-03-31)."),
        ({"due": 20260131}, "due", "Date 20260131 is not in the form YYYY-MM-DD (e.g. 2026-03-31)."),
        ({"due": "2026-02-30"}, "due", "Date '2026-02-30' does not exist in the calendar."),
        ({"due": "2025-02-29"}, "due", "Date '2025-02-29' does not exist in the calendar."),
        ({"due": "2026-13-01"}, "due", "Date '2026-13-01' does not exist in the calendar."),
        ({"tags": 5}, "tags", "Tags must be a list of words."),
        ({"tags": ["ok", "two\nlines"]}, "tags", "A tag must be a single line."),
        ({"tags": ["x" * 201]}, "tags", "A tag is 201 characters long; at most 200 are allowed."),
        ({"links": "abc"}, "links", "Links must be a list of card ids."),
        ({"links": [1, 2]}, "links", "Links must be a list of card ids."),
        ({"notes": "bad\x00byte"}, "notes", "Notes must not contain control characters."),
        ({"owner": "x" * 201}, "owner", "Owner is longer than 200 characters."),
        (
            {"customer_benefit": "a\x1bb"},
            "customer_benefit",
            "Value for the customer must not contain control characters.",
        ),
        ({"our_benefit": "a\x1bb"}, "our_benefit", "Value for us must not contain control characters."),
        ({"title": ""}, "title", "Title must not be empty."),
        ({"colour": "red"}, "colour", "Unknown card field(s): colour."),
    ],
)
def test_bad_card_fields(fields: dict[str, Any], field: str, message: str) -> None:
    error = _error(model.validate_card_fields, fields)
    assert (error.field, error.message) == (field, message)


def test_good_card_fields_are_normalised() -> None:
    out = model.validate_card_fields(
        {
            "title": " Faster onboarding ",
            "notes": "line one\nline two\n\n",
            "tags": "energy, costs,energy,,",
            "links": ["a", "b", "a"],
            "side": "",
            "status": "in_progress",
            "due": "2024-02-29",
            "customer_benefit": "less downtime",
            "our_benefit": "a reference customer",
        }
    )
    assert out == {
        "title": "Faster onboarding",
        "notes": "line one\nline two",
        "tags": ["energy", "costs"],
        "links": ["a", "b"],
        "side": "",
        "status": "in_progress",
        "due": "2024-02-29",
        "customer_benefit": "less downtime",
        "our_benefit": "a reference customer",
    }


def test_empty_optional_values() -> None:
    assert model.validate_date("") == ""
    assert model.validate_date(None) == ""
    assert model.validate_tags(None) == []
    assert model.validate_text(None, "notes", "Notes") == ""


def test_is_overdue() -> None:
    today = dt.date(2026, 3, 10)
    base = {"lane": "support", "due": "2026-03-09", "status": "agreed"}
    assert model.is_overdue(base, today)
    assert model.is_overdue({**base, "status": ""}, today)
    assert model.is_overdue({**base, "status": "in_progress"}, today)
    assert not model.is_overdue({**base, "due": "2026-03-10"}, today)  # due today is not overdue
    assert not model.is_overdue({**base, "due": "2026-03-11"}, today)
    assert not model.is_overdue({**base, "due": ""}, today)
    assert not model.is_overdue({**base, "status": "done"}, today)
    assert not model.is_overdue({**base, "status": "dropped"}, today)
    assert not model.is_overdue({**base, "status": "blocked"}, today)  # unknown: not open (model.is_open_action)
    assert not model.is_overdue({**base, "lane": "challenge"}, today)
    assert model.is_overdue({**base, "due": "2025-12-31"}, today)


def test_an_open_action_is_a_support_card_not_done_or_dropped() -> None:
    base = {"lane": "support", "status": ""}
    assert model.is_open_action(base)  # no status yet counts as open
    assert model.is_open_action({"lane": "support"})
    for status in model.OPEN_STATUSES:
        assert model.is_open_action({**base, "status": status})
    assert not model.is_open_action({**base, "status": "done"})
    assert not model.is_open_action({**base, "status": "dropped"})
    assert not model.is_open_action({**base, "status": "blocked"})  # unknown (hand-edited file): not open
    assert not model.is_open_action({"lane": "challenge", "status": "agreed"})


def test_ids_and_clock() -> None:
    a, b = model.new_id(), model.new_id()
    assert a != b and len(a) == 32 and int(a, 16) >= 0
    now = model.utc_now()
    assert now.endswith("Z")
    parsed = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.UTC) - parsed).total_seconds()) < 5


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", BIDI)
def test_bidi_overrides_and_isolates_are_refused_in_titles(char: str) -> None:
    # "invoice\u202efdp.exe" shows as "invoiceexe.pdf": a title could pass for another one
    error = _error(model.validate_title, f"Cost{char}pressure")
    assert error.field == "title"
    assert error.message == (
        "Title must not contain bidi override or isolate characters (U+202A-U+202E, U+2066-U+2069)."
    )


def test_bidi_overrides_are_refused_in_names_and_one_line_fields() -> None:
    assert "Account name must not" in _error(model.validate_title, "ACME\u202e", "name", "Account name").message
    error = _error(model.validate_card_fields, {"owner": "Bob\u2067"})
    assert error.field == "owner" and error.message.startswith("Owner must not contain bidi override")
    assert "bidi override" in _error(model.validate_tags, ["ok", "bad\u202d"]).message


def test_notes_keep_newlines_and_right_to_left_text() -> None:
    notes = "first line\nsecond line\n\u05e9\u05dc\u05d5\u05dd \u202bembedded\u202c"
    assert model.validate_card_fields({"notes": notes}) == {"notes": notes}
    assert "control characters" in _error(model.validate_card_fields, {"notes": "a\x1b[2Jb"}).message


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07"),
        ("tab\there", "tab\\x09here"),
        ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
        ("nul\x00", "nul\\x00"),
        ("cr\rlf", "cr\\x0dlf"),
        ("bidi\u202eexe.pdf", "bidi\\u202eexe.pdf"),
        ("isolate\u2066x\u2069", "isolate\\u2066x\\u2069"),
        ("Müller – ✓ 日本", "Müller – ✓ 日本"),
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(text: str, shown: str) -> None:
    assert model.printable(text) == shown
    assert model.printable(text + "\n" + text, newlines=True) == shown + "\n" + shown
    assert model.printable("a\nb") == "a\\x0ab"


def test_fields_are_named_as_people_name_them() -> None:
    assert model.field_label("our_benefit") == "value for us"
    assert model.field_label("customer_benefit") == "value for the customer"
    assert model.field_label("due") == "due date"
    assert model.field_label("owner") == "owner"
    assert model.field_label("votes of Eva") == "votes of Eva"  # a vote conflict names its voter
    assert model.field_label("some_new_field") == "some new field"  # never a stored name with underscores
    assert model.field_labels(["our_benefit", "notes", "voters", "votes"]) == "notes, value for us, votes"
    assert model.capitalised(model.field_label("our_benefit")) == "Value for us"
    assert all("_" not in label for label in model.FIELD_LABELS.values())
    assert set(model.CARD_FIELDS) <= set(model.FIELD_LABELS)
