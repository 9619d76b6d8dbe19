"""The core rules in German and English: lane labels, validation, the default agenda, the timer,
dates, votes, gaps and the due report. The German needs the compiled catalogue
(kamboard/locale/de/LC_MESSAGES/kamboard.mo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from kamboard import agenda, dates, followup, gaps, i18n, model, voting
from kamboard import workshop as rules
from kamboard.model import ValidationError

TODAY = dt.date(2026, 11, 29)  # a Sunday


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    try:
        yield
    finally:
        i18n.set_language("en")


def _message(call: Callable[..., object], *args: object, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message


def test_lane_titles_and_questions_follow_the_language(german: None) -> None:
    assert [model.LANE_TITLES[lane] for lane in model.LANES] == ["Themen", "Herausforderungen", "Unterstützung"]
    assert model.LANE_QUESTIONS["topic"] == "Was bewegt den Kunden?"
    assert model.LANE_QUESTIONS["challenge"] == "Vor welchen Herausforderungen steht sein Geschäftsmodell?"
    assert model.LANE_QUESTIONS["support"] == "Wie unterstützen wir, zum beiderseitigen Nutzen?"
    assert list(model.LANE_TITLES) == list(model.LANES)  # the ids stay
    assert model.field_labels(["our_benefit", "customer_benefit"]) == "Nutzen für den Kunden, Nutzen für uns"


def test_the_labels_switch_back_to_english() -> None:
    i18n.set_language("de")
    i18n.set_language("en")
    assert dict(model.LANE_TITLES) == {"topic": "Topics", "challenge": "Challenges", "support": "Support"}
    assert model.field_label("our_benefit") == "value for us"


def test_validation_messages_in_german(german: None) -> None:
    assert _message(model.validate_card_fields, {"title": "  "}) == "Titel darf nicht leer sein."
    assert _message(model.validate_card_fields, {"side": "them"}) == (
        "Unbekannter Wert 'them' für Seite: erlaubt sind us, customer."
    )
    assert _message(model.validate_card_fields, {"our_benefit": "a\x1bb"}) == (
        "Nutzen für uns darf keine Steuerzeichen enthalten."
    )
    assert _message(model.validate_date, "31.03.2026") == (
        "Datum '31.03.2026' hat nicht die Form JJJJ-MM-TT (z. B. 2026-03-31)."
    )
    assert _message(rules.validate_workshop_fields, {"vote_budget": 0}) == (
        "Punkte pro Person 0 muss eine ganze Zahl von 1 bis 99 sein."
    )
    # an English ``what`` from a caller that marked it is translated too
    assert _message(model.validate_title, "", "name", "Workshop title") == "Workshop-Titel darf nicht leer sein."


def test_validation_messages_in_english_are_unchanged() -> None:
    assert _message(model.validate_card_fields, {"title": "  "}) == "Title must not be empty."
    assert _message(model.validate_card_fields, {"side": "them"}) == "Unknown side 'them': use one of us, customer."


def test_a_new_workshop_gets_the_default_agenda_in_german(german: None) -> None:
    titles = [item["title"] for item in agenda.default_agenda()]
    assert titles[0] == "Begrüßung, Erwartungen und Agenda"
    assert titles[1].startswith("Rückblick auf das Jahr")
    assert "Kaffeepause" in titles and "Mittagspause" in titles
    assert "Herausforderungen: Priorisierung per Punktabfrage" in titles
    assert titles[-1] == "Zusammenfassung und nächste Schritte: Zusagen, Feedback"
    english = [title for day in agenda.DEFAULT_AGENDA for title, _lane, _minutes in day]
    assert len(titles) == len(english) and not set(titles) & set(english)  # every item in German


def test_the_default_agenda_in_english_is_unchanged() -> None:
    titles = [item["title"] for item in agenda.default_agenda()]
    assert titles[:3] == ["Welcome, goals and agenda", "Review of last year's commitments", "Coffee break"]


def test_the_timer_speaks_german(german: None) -> None:
    ws = {"agenda": agenda.default_agenda(), "agenda_state": None, "start": "2026-11-30T09:00"}
    start = dt.datetime(2026, 11, 30, 9, 0)
    assert rules.view(ws, start).status == "noch 30:00"
    running = rules.apply(None, ws["agenda"], "start", start)
    late = {**ws, "agenda_state": running}
    view = rules.view(late, start + dt.timedelta(minutes=35))
    assert view.status == "5 min überzogen"
    assert view.schedule_note == "5 min hinter dem Zeitplan"
    day = agenda.agenda_days({**ws, "agenda": [{**ws["agenda"][0], "minutes": 600}]})[0]
    assert day.warning.startswith("Tag 1 endet um 19:00")


def test_dates_for_people_in_german(german: None) -> None:
    assert i18n.format_date("2026-12-14") == "14.12.2026"
    assert dates.describe("2026-12-14", TODAY) == "Mo 14.12.2026, in 15 Tagen"
    assert dates.describe("2026-11-30", TODAY) == "Mo 30.11.2026, morgen"
    assert dates.describe("2026-11-26", TODAY) == "Do 26.11.2026, vor 3 Tagen"
    assert dates.examples(TODAY) == "+14, +2w, fr, 13.12., 13.12.2026 oder 2026-12-13"
    assert _message(dates.parse_date, "to", TODAY) == (
        "Datum 'to' könnte heute oder morgen sein: bitte mehr Buchstaben eingeben."
    )


def test_dates_for_people_in_english_are_unchanged() -> None:
    assert i18n.format_date("2026-12-14") == "2026-12-14"
    assert dates.describe("2026-12-14", TODAY) == "Mon 14 Dec 2026, in 15 days"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.12.2026", "2026-12-14"),
        ("2026-12-14", "2026-12-14"),
        ("heute", "2026-11-29"),
        ("morgen", "2026-11-30"),
        ("übermorgen", "2026-12-01"),
        ("Freitag", "2026-12-04"),
        ("fr", "2026-12-04"),
        ("mo", "2026-11-30"),  # Monday, as Germans shorten it (not "morgen")
        ("di", "2026-12-01"),
        ("do", "2026-12-03"),
        ("so", "2026-12-06"),
        ("mor", "2026-11-30"),
    ],
)
def test_german_words_and_both_date_forms_are_understood_in_any_language(text: str, expected: str) -> None:
    assert dates.parse_date(text, TODAY) == expected


def test_vote_refusals_in_german(german: None) -> None:
    ws = {"id": "w1", "title": "Spring", "vote_budget": 2, "vote_per_card": 2, "participants": [{"name": "Eva"}]}
    card = {"id": "c1", "title": "Pilot"}
    with pytest.raises(voting.VoteRefused) as info:
        voting.cast([card], card, "Eva", ws, -1)
    assert info.value.message == "Eva hat keinen Punkt auf 'Pilot', der sich zurücknehmen ließe."
    assert _message(voting.participant_name, ws, "Bob") == (
        "'Bob' nimmt nicht am Workshop 'Spring' teil: zuerst als Teilnehmende(n) hinzufügen."
    )


def test_gaps_keep_english_for_json_and_show_german(german: None) -> None:
    found = gaps.find_gaps([{"id": "c1", "lane": "challenge", "title": "Supply"}])
    assert found[0].message == "no support action answers it"  # --json stays English
    assert found[0].text == "keine Unterstützungsmaßnahme geht darauf ein"
    assert gaps.HEADINGS["no_our_benefit"] == "Unterstützungsmaßnahmen ohne Nutzen für uns"


def test_gap_messages_name_fields_as_the_labels_do() -> None:
    assert gaps.MESSAGES["no_benefit"] == f"no {model.field_label('customer_benefit')} stated"
    assert gaps.MESSAGES["no_our_benefit"] == f"no {model.field_label('our_benefit')} stated"
    assert gaps.MESSAGES["no_owner"] == f"no {model.field_label('owner')}"
    assert gaps.MESSAGES["no_due"] == f"no {model.field_label('due')}"


def test_the_due_report_in_german(german: None) -> None:
    account = {"id": "a1", "name": "ACME"}
    cards = [
        {"id": "c1", "account_id": "a1", "lane": "support", "title": "Pilot", "due": "2026-11-28", "owner": "Eva"},
        {"id": "c2", "account_id": "a1", "lane": "support", "title": "Plan", "due": "2026-12-03"},
    ]
    report = followup.due_report([account], cards, [], TODAY)
    text = followup.due_text(report, {"a1": "ACME"})
    assert text.startswith("Nachverfolgung am 29.11.2026\n")
    assert "Überfällige Maßnahmen (1):" in text
    assert "  28.11.2026  1 Tag überfällig  ACME: Pilot  [Eva]" in text
    assert "  03.12.2026  in 4 Tagen" in text
    assert "ACME: noch kein Workshop" in text and "2026-" not in text
