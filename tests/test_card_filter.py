"""The board's filter text: words, tags ('#'), owners ('@') and any text of a card."""

from __future__ import annotations

from kamboard.card_filter import filter_words, matches

CARD = {
    "title": "Cut cloud costs",
    "notes": "Reserved instances",
    "owner": "Carla Diaz",
    "customer_benefit": "Lower bill",
    "our_benefit": "Renewal",
    "status": "agreed",
    "tags": ["Cost", "cloud"],
}


def test_filter_words_are_case_folded_and_split_on_blanks() -> None:
    assert filter_words("  #Cost  @CARLA cut ") == ["#cost", "@carla", "cut"]
    assert filter_words("") == []


def test_no_words_keep_every_card() -> None:
    assert matches(CARD, [])
    assert matches({}, [])


def test_plain_words_search_every_text_field_and_the_tags() -> None:
    for text in ("cloud costs", "reserved", "carla", "lower", "renewal", "agreed", "cost"):
        assert matches(CARD, filter_words(text)), text
    assert not matches(CARD, filter_words("cloud training"))  # every word must match


def test_hash_matches_the_start_of_a_tag_and_at_the_owner() -> None:
    assert matches(CARD, ["#co"])
    assert not matches(CARD, ["#st"])  # a tag's start only
    assert matches(CARD, ["@diaz"])
    assert not matches(CARD, ["@renewal"])  # the owner only
    assert not matches(CARD, ["#"])  # a bare sign is plain text
    assert matches({"title": "C# at @home"}, ["#", "@"])


def test_missing_fields_count_as_empty() -> None:
    assert not matches({"title": None, "tags": None}, ["#x"])
    assert matches({"title": "Only a title"}, ["only"])
