"""The advocacy state machine and its rules, tested exhaustively over every state, action and advocate flag."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import DomainError
from portal.domain.advocacy import (
    AdvocacyAction,
    DatedStep,
    age_on,
    allowed_actions,
    check_outcome,
    check_request,
    check_step_date,
    next_status,
)
from portal.domain.enums import AdvocacyOutcome, AdvocacyStatus

S = AdvocacyStatus
A = AdvocacyAction

# The whole table: (from, action, has_advocate) -> to, or None when refused. Written out by hand, not derived.
EXPECTED = {
    (S.NEW, A.ALLOCATE): S.ALLOCATED,
    (S.ALLOCATED, A.ALLOCATE): S.ALLOCATED,
    (S.IN_CONTACT, A.ALLOCATE): S.IN_CONTACT,
    (S.ACTIVE, A.ALLOCATE): S.ACTIVE,
    (S.ALLOCATED, A.RECORD_CONTACT): S.IN_CONTACT,
    (S.IN_CONTACT, A.START_WORK): S.ACTIVE,
    (S.NEW, A.CLOSE): S.CLOSED,
    (S.ALLOCATED, A.CLOSE): S.CLOSED,
    (S.IN_CONTACT, A.CLOSE): S.CLOSED,
    (S.ACTIVE, A.CLOSE): S.CLOSED,
}
CASES = [(s, a, adv) for s in AdvocacyStatus for a in AdvocacyAction for adv in (False, True)]


@pytest.mark.parametrize(("status", "action", "has_advocate"), CASES, ids=[f"{s}-{a}-{adv}" for s, a, adv in CASES])
def test_next_status_every_state_and_action(status, action, has_advocate):
    if action == A.REOPEN:
        expected = (S.ALLOCATED if has_advocate else S.NEW) if status == S.CLOSED else None
    else:
        expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(DomainError):
            next_status(status, action, has_advocate=has_advocate)
        assert action not in allowed_actions(status, has_advocate=has_advocate)
    else:
        assert next_status(status, action, has_advocate=has_advocate) == expected
        assert action in allowed_actions(status, has_advocate=has_advocate)


def test_closed_request_offers_only_reopen():
    assert allowed_actions(S.CLOSED, has_advocate=True) == [A.REOPEN]


def test_refusal_message_is_plain_english():
    with pytest.raises(DomainError, match="You cannot record contact with the young person when the request is new"):
        next_status(S.NEW, A.RECORD_CONTACT, has_advocate=False)


def test_outcome_is_required_and_other_needs_notes():
    with pytest.raises(DomainError, match="Select the outcome"):
        check_outcome(None, None, had_advocate=True)
    with pytest.raises(DomainError, match="Explain the outcome"):
        check_outcome(AdvocacyOutcome.OTHER, "  ", had_advocate=True)
    check_outcome(AdvocacyOutcome.OTHER, "Moved to another council", had_advocate=False)


@pytest.mark.parametrize("outcome", list(AdvocacyOutcome), ids=str)
def test_outcomes_that_need_an_advocate(outcome):
    needs = outcome in {
        AdvocacyOutcome.COMPLAINT_SUPPORTED,
        AdvocacyOutcome.MEETING_ATTENDED,
        AdvocacyOutcome.ISSUE_RESOLVED,
    }
    notes = "details"
    if needs:
        with pytest.raises(DomainError, match="needs an advocate"):
            check_outcome(outcome, notes, had_advocate=False)
    else:
        check_outcome(outcome, notes, had_advocate=False)
    check_outcome(outcome, notes, had_advocate=True)


def test_step_dates_cannot_be_in_the_future_before_receipt_or_before_the_previous_step():
    received, today = date(2026, 11, 16), date(2026, 11, 20)
    check_step_date(DatedStep(on=today, received_on=received, today=today), "x")
    with pytest.raises(DomainError, match="today or in the past"):
        check_step_date(DatedStep(on=date(2026, 11, 21), received_on=received, today=today), "x")
    with pytest.raises(DomainError, match="on or after the date the request was received"):
        check_step_date(DatedStep(on=date(2026, 11, 13), received_on=received, today=today), "x")
    with pytest.raises(DomainError, match="on or after the allocation"):
        check_step_date(
            DatedStep(
                on=date(2026, 11, 17),
                received_on=received,
                today=today,
                earliest=date(2026, 11, 18),
                earliest_label="the allocation",
            ),
            "x",
        )


def test_an_adult_referral_needs_the_young_persons_agreement():
    base = {"young_person_age": 15, "needed_by": None, "received_on": date(2026, 11, 20), "today": date(2026, 11, 20)}
    check_request(for_self=True, young_person_agrees=None, **base)
    check_request(for_self=False, young_person_agrees="yes", **base)
    for answer in ("no", None):
        with pytest.raises(DomainError, match="only ask for an advocate when the young person agrees"):
            check_request(for_self=False, young_person_agrees=answer, **base)


def test_request_age_and_needed_by_must_make_sense():
    base = {"for_self": True, "young_person_agrees": None, "today": date(2026, 11, 20)}
    with pytest.raises(DomainError, match="Age must be between 0 and 25"):
        check_request(young_person_age=26, needed_by=None, received_on=date(2026, 11, 20), **base)
    with pytest.raises(DomainError, match="needed by must be on or after"):
        check_request(young_person_age=12, needed_by=date(2026, 11, 19), received_on=date(2026, 11, 20), **base)
    with pytest.raises(DomainError, match="today or in the past"):
        check_request(young_person_age=12, needed_by=None, received_on=date(2026, 11, 23), **base)


def test_age_on_counts_whole_years():
    assert age_on(date(2010, 11, 21), date(2026, 11, 20)) == 15
    assert age_on(date(2010, 11, 20), date(2026, 11, 20)) == 16
    assert age_on(None, date(2026, 11, 20)) is None


def test_an_advocate_must_be_independent_of_the_complaint():
    from portal.domain.advocacy import check_advocate_independent

    check_advocate_independent(advocate_id=7, advocate_team_ids=set(), complaint_team_id=3, complaint_staff_ids={1})
    with pytest.raises(DomainError, match="involved in the complaint"):
        check_advocate_independent(advocate_id=7, advocate_team_ids=set(), complaint_team_id=3, complaint_staff_ids={7})
    with pytest.raises(DomainError, match="works in the team"):
        check_advocate_independent(advocate_id=7, advocate_team_ids={3}, complaint_team_id=3, complaint_staff_ids=set())


def test_next_due_on_is_the_earliest_unmet_target():
    from portal.domain.advocacy import next_due_on

    allocate, contact = date(2026, 11, 24), date(2026, 11, 23)
    both = {"allocate_due_on": allocate, "contact_due_on": contact}
    assert next_due_on(S.NEW, allocated_on=None, contacted_on=None, **both) == contact
    assert next_due_on(S.ALLOCATED, allocated_on=date(2026, 11, 20), contacted_on=None, **both) == contact
    assert next_due_on(S.IN_CONTACT, allocated_on=None, contacted_on=date(2026, 11, 20), **both) == allocate
    assert next_due_on(S.ACTIVE, allocated_on=date(2026, 11, 20), contacted_on=date(2026, 11, 20), **both) is None
    assert next_due_on(S.CLOSED, allocated_on=None, contacted_on=None, **both) is None
