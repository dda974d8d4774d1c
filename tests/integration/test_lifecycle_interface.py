"""The lifecycle functions other areas call: open_first_stage, request_escalation, escalation_option, withdraw."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain import DomainError
from portal.domain.enums import (
    Procedure,
    StageName,
    StageStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.models import AuditEvent, OutboxMessage, ProcedureProfile
from portal.services import lifecycle
from portal.services.uow import unit_of_work
from tests.factories import make_submission
from tests.lifecycle_support import make_complaint, open_complaint


@pytest.fixture(autouse=True)
def _after_the_dates_used_here():
    """The dates in these tests are fixed; requests cannot be dated in the future, so the clock is set after them."""
    with time_machine.travel("2027-06-30 12:00:00+00:00", tick=False):
        yield


def _audit_actions(db, submission_id):
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.submission_id == submission_id).order_by(AuditEvent.id)
        )
    )


def test_open_first_stage_stores_due_dates_from_the_timescales(db):
    submission = make_complaint(received_on=date(2026, 11, 2))
    stage = lifecycle.open_first_stage(
        submission, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 3)
    )
    assert stage.stage == StageName.STAGE1 and stage.status == StageStatus.OPEN
    assert stage.started_on == date(2026, 11, 2)
    assert stage.acknowledge_due_on == date(2026, 11, 5)  # 3 working days
    assert stage.original_due_on == stage.due_on == date(2026, 11, 16)  # 10 working days
    assert stage.calendar_version
    assert submission.status == SubmissionStatus.OPEN
    assert submission.procedure == Procedure.ENGLAND_STATUTORY
    assert submission.current_stage == StageName.STAGE1
    assert submission.next_due_on == date(2026, 11, 16)
    assert submission.acknowledge_due_on == date(2026, 11, 5)
    assert "stage.opened" in _audit_actions(db, submission.id)


def test_open_first_stage_reads_edited_timescales(db):
    profile = db.session.scalar(sa.select(ProcedureProfile).where(ProcedureProfile.code == Procedure.ENGLAND_STATUTORY))
    next(t for t in profile.timescales if t.key == "stage1.response").working_days = 12
    db.session.commit()
    submission = open_complaint(received_on=date(2026, 11, 2))
    assert submission.stages[0].due_on == date(2026, 11, 18)


def test_corporate_first_stage_counts_from_acknowledgement(db):
    submission = open_complaint(Procedure.LGSCO_CORPORATE, received_on=date(2026, 11, 2))
    stage = submission.stages[0]
    assert stage.stage == StageName.CORPORATE1
    assert stage.acknowledge_due_on == date(2026, 11, 9)  # 5 working days
    assert stage.due_on == date(2026, 11, 23)  # 10 working days after the latest acknowledgement


def test_scotland_starts_at_frontline(db):
    submission = open_complaint(Procedure.SCOTLAND_MCHP, received_on=date(2026, 11, 2))
    assert submission.stages[0].stage == StageName.FRONTLINE
    assert submission.stages[0].due_on == date(2026, 11, 9)  # 5 working days


def test_open_first_stage_refuses_a_disabled_procedure(db):
    profile = db.session.scalar(sa.select(ProcedureProfile).where(ProcedureProfile.code == Procedure.SCOTLAND_MCHP))
    profile.enabled = False
    db.session.commit()
    with pytest.raises(DomainError, match="not used by this council"):
        open_complaint(Procedure.SCOTLAND_MCHP)


def test_open_first_stage_refuses_twice_and_non_complaints(db):
    submission = open_complaint()
    with pytest.raises(DomainError, match="already started"):
        lifecycle.open_first_stage(
            submission, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 3)
        )
    compliment = make_submission(SubmissionKind.COMPLIMENT)
    with pytest.raises(DomainError, match="Only a complaint"):
        lifecycle.open_first_stage(
            compliment, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 3)
        )


def test_open_first_stage_inside_another_use_case_is_undone_with_it(db):
    submission = make_complaint()
    with pytest.raises(RuntimeError), unit_of_work():
        lifecycle.open_first_stage(
            submission, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 3)
        )
        raise RuntimeError("the outer use-case fails after the inner one")
    db.session.expire_all()
    assert submission.stages == []


def _respond(submission, on: date) -> None:
    stage = submission.stages[-1]
    stage.status = StageStatus.RESPONDED.value
    stage.responded_on = on
    stage.outcome = "not_upheld"
    submission.next_due_on = None


def test_escalation_option_offers_the_next_stage_within_the_window(db):
    submission = open_complaint()
    assert lifecycle.escalation_option(submission, date(2026, 11, 10)) is None  # no response yet
    _respond(submission, date(2026, 11, 13))
    option = lifecycle.escalation_option(submission, date(2026, 11, 16))
    assert option.next_stage == "Stage 2"
    assert option.request_by == date(2026, 12, 11)  # 20 working days after the response
    assert option.allowed
    assert not lifecycle.escalation_option(submission, date(2026, 12, 14)).allowed


def test_public_escalation_within_the_window_opens_a_requested_stage_2(db):
    submission = open_complaint()
    _respond(submission, date(2026, 11, 13))
    db.session.commit()
    new_stage = lifecycle.request_escalation(
        submission, requested_on=date(2026, 11, 20), source="public", actor_id=None, reason="Nothing changed"
    )
    assert new_stage.stage == StageName.STAGE2 and new_stage.status == StageStatus.REQUESTED
    assert new_stage.requested_on == date(2026, 11, 20)
    assert new_stage.acknowledge_due_on == date(2026, 11, 24)  # 2 working days
    assert new_stage.due_on == date(2026, 12, 29)  # 25 working days, skipping Christmas and the Boxing Day substitute
    assert submission.stages[0].status == StageStatus.CLOSED
    assert submission.current_stage == StageName.STAGE2
    assert submission.next_due_on == new_stage.due_on
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "escalation_received"))
    assert message.recipient == "sam@example.com" and "Stage 2" in message.subject
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "stage.escalation_requested"))
    assert [e.actor_label for e in events] == ["public"]


def test_public_escalation_after_the_window_is_refused_but_staff_may_accept_it(db):
    submission = open_complaint()
    _respond(submission, date(2026, 11, 13))
    db.session.commit()
    with pytest.raises(DomainError, match="time to ask for the next stage online has passed"):
        lifecycle.request_escalation(submission, requested_on=date(2026, 12, 14), source="public", actor_id=None)
    stage = lifecycle.request_escalation(submission, requested_on=date(2026, 12, 14), source="staff", actor_id=None)
    assert stage.stage == StageName.STAGE2


def test_escalation_reopens_a_complaint_closed_after_stage_1(db):
    submission = open_complaint()
    _respond(submission, date(2026, 11, 13))
    submission.stages[0].status = StageStatus.CLOSED.value
    submission.status = SubmissionStatus.CLOSED
    submission.closed_on = date(2026, 11, 13)
    db.session.commit()
    lifecycle.request_escalation(submission, requested_on=date(2026, 11, 18), source="public", actor_id=None)
    assert submission.status == SubmissionStatus.OPEN and submission.closed_on is None


def test_escalation_is_refused_before_a_response_and_after_the_last_stage(db):
    submission = open_complaint()
    with pytest.raises(DomainError, match="has not been sent"):
        lifecycle.request_escalation(submission, requested_on=date(2026, 11, 5), source="public", actor_id=None)
    scot = open_complaint(Procedure.LGSCO_CORPORATE, email="b@example.com")
    _respond(scot, date(2026, 11, 10))
    db.session.commit()
    lifecycle.request_escalation(scot, requested_on=date(2026, 11, 11), source="public", actor_id=None)
    _respond(scot, date(2026, 12, 1))
    assert lifecycle.escalation_option(scot, date(2026, 12, 2)) is None
    with pytest.raises(DomainError, match="last stage"):
        lifecycle.request_escalation(scot, requested_on=date(2026, 12, 2), source="staff", actor_id=None)


def test_staff_may_escalate_a_late_stage_before_any_response(db):
    submission = open_complaint()
    with pytest.raises(DomainError):
        lifecycle.request_escalation(submission, requested_on=date(2026, 11, 16), source="staff", actor_id=None)
    stage = lifecycle.request_escalation(submission, requested_on=date(2026, 11, 17), source="staff", actor_id=None)
    assert stage.stage == StageName.STAGE2


def test_withdraw_stops_the_running_stage_and_is_audited(db):
    submission = open_complaint()
    lifecycle.withdraw(
        submission,
        on=date(2026, 11, 6),
        reason="Sorted with the team",
        source="public",
        actor_id=None,
        today=date(2026, 11, 6),
    )
    assert submission.status == SubmissionStatus.WITHDRAWN
    assert submission.withdrawn_on == date(2026, 11, 6)
    assert submission.next_due_on is None
    assert submission.stages[0].status == StageStatus.WITHDRAWN
    assert {"stage.withdrawn", "submission.withdrawn"} <= set(_audit_actions(db, submission.id))
    with pytest.raises(DomainError):
        lifecycle.withdraw(submission, on=date(2026, 11, 7), reason="again", source="staff", actor_id=None)


def test_withdraw_before_triage_needs_a_reason(db):
    submission = make_complaint()
    with pytest.raises(DomainError, match="reason"):
        lifecycle.withdraw(submission, on=date(2026, 11, 3), reason=" ", source="staff", actor_id=None)
    lifecycle.withdraw(
        submission,
        on=date(2026, 11, 3),
        reason="Asked to stop",
        source="staff",
        actor_id=None,
        today=date(2026, 11, 3),
    )
    assert submission.status == SubmissionStatus.WITHDRAWN


def test_a_request_cannot_be_dated_in_the_future(db):
    submission = open_complaint()
    _respond(submission, date(2026, 11, 13))
    with pytest.raises(DomainError, match="today or in the past"):
        lifecycle.request_escalation(
            submission, requested_on=date(2026, 11, 20), source="staff", actor_id=None, today=date(2026, 11, 19)
        )
