"""Compliment rules: the duplicate fingerprint, who is told, and what the wall may show."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import DomainError
from portal.domain.compliments import (
    check_compliment,
    compliment_fingerprint,
    may_show_on_wall,
    months_ago,
    normalise_words,
    notification_recipients,
)


def test_normalise_words_ignores_case_punctuation_spacing_and_accents():
    assert normalise_words("  Thank YOU,  Zoë!!\n\nYou were brilliant. ") == "thank you zoe you were brilliant"


def test_fingerprint_matches_the_same_compliment_typed_differently():
    a = compliment_fingerprint(date(2026, 11, 18), 3, "Thank you, Priya!")
    assert a == compliment_fingerprint(date(2026, 11, 18), 3, "thank you priya")
    assert len(a) == 64


@pytest.mark.parametrize(
    ("received_on", "team_id", "words"),
    [
        (date(2026, 11, 19), 3, "Thank you, Priya!"),
        (date(2026, 11, 18), 4, "Thank you, Priya!"),
        (date(2026, 11, 18), None, "Thank you, Priya!"),
        (date(2026, 11, 18), 3, "Thank you, Sam!"),
    ],
    ids=["other-day", "other-team", "no-team", "other-words"],
)
def test_fingerprint_differs_when_date_team_or_words_differ(received_on, team_id, words):
    assert compliment_fingerprint(received_on, team_id, words) != compliment_fingerprint(
        date(2026, 11, 18), 3, "Thank you, Priya!"
    )


@pytest.mark.parametrize("consent", [False, None], ids=["refused", "not-asked"])
def test_nobody_is_told_without_consent(consent):
    assert (
        notification_recipients(
            consent_pass_on=consent,
            named_staff_email="priya@example.gov.uk",
            team_manager_emails=["boss@example.gov.uk"],
        )
        == []
    )


def test_named_worker_and_manager_are_told_once_each():
    assert notification_recipients(
        consent_pass_on=True,
        named_staff_email="priya@example.gov.uk",
        team_manager_emails=["boss@example.gov.uk", "other.boss@example.gov.uk"],
    ) == ["priya@example.gov.uk", "boss@example.gov.uk", "other.boss@example.gov.uk"]
    assert notification_recipients(
        consent_pass_on=True,
        named_staff_email="Boss@example.gov.uk",
        team_manager_emails=["boss@example.gov.uk", "BOSS@example.gov.uk"],
    ) == ["Boss@example.gov.uk"]
    assert notification_recipients(consent_pass_on=True, named_staff_email=None, team_manager_emails=["", None]) == []


@pytest.mark.parametrize(
    ("internal", "consent", "shown"),
    [(False, True, True), (False, False, False), (False, None, False), (True, True, False), (None, True, False)],
)
def test_wall_shows_only_external_compliments_with_consent_to_anonymous_use(internal, consent, shown):
    assert may_show_on_wall(internal=internal, consent_anonymous_use=consent) is shown


def test_check_compliment_rules():
    ok = {
        "received_on": date(2026, 11, 20),
        "today": date(2026, 11, 20),
        "words": "Thanks",
        "team_id": 1,
        "staff_named": None,
        "staff_user_id": None,
    }
    check_compliment(**ok)
    with pytest.raises(DomainError, match="today or in the past"):
        check_compliment(**(ok | {"received_on": date(2026, 11, 21)}))
    with pytest.raises(DomainError, match="Enter the words"):
        check_compliment(**(ok | {"words": "  "}))
    check_compliment(**(ok | {"team_id": None}))  # composed callers (public, triage) need not say who
    with pytest.raises(DomainError, match="Select the team or service area, or name"):
        check_compliment(**(ok | {"team_id": None, "require_subject": True}))
    for subject in ({"staff_named": "Priya"}, {"service_area_id": 2}, {"staff_user_id": 5}, {"team_id": 1}):
        check_compliment(**(ok | {"team_id": None, "require_subject": True} | subject))


def test_months_ago_clamps_to_the_end_of_short_months():
    assert months_ago(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_ago(date(2026, 11, 20), 6) == date(2026, 5, 20)
    assert months_ago(date(2026, 3, 15), 6) == date(2025, 9, 15)
