"""Lifecycle services on a real database: acknowledge, extend, respond, accept or refuse, close, reopen, Stage 2 and
Stage 3 records, ADR, remedies, Ombudsman enquiries and learning actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain import DomainError
from portal.domain.enums import (
    CategoryKind,
    LearningStatus,
    Procedure,
    Role,
    StageName,
    StageStatus,
    SubmissionStatus,
)
from portal.models import AuditEvent, Category, OutboxMessage
from portal.services import lifecycle
from tests.factories import make_staff_user
from tests.lifecycle_support import open_complaint

TODAY = date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _after_the_dates_used_here():
    """The dates in these tests are fixed; requests cannot be dated in the future, so the clock is set after them."""
    with time_machine.travel("2027-06-30 12:00:00+00:00", tick=False):
        yield


def _events(db, action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def _messages(db, template):
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)))


def _respond(stage, on, finding="not_upheld"):
    lifecycle.record_response(stage, responded_on=on, finding=finding, summary="Reply", actor_id=None, today=TODAY)


def _to_stage2(submission, *, responded_on=date(2026, 11, 13), requested_on=date(2026, 11, 20)):
    _respond(submission.stages[0], responded_on, "partially_upheld")
    stage2 = lifecycle.request_escalation(submission, requested_on=requested_on, source="staff", actor_id=None)
    lifecycle.accept_escalation(stage2, actor_id=None, today=TODAY)
    return stage2


def test_acknowledge_records_the_date_on_the_stage_and_the_submission(db):
    submission = open_complaint()
    stage = submission.stages[0]
    lifecycle.acknowledge(stage, on=date(2026, 11, 3), actor_id=None, today=TODAY)
    assert stage.acknowledged_on == submission.acknowledged_on == date(2026, 11, 3)
    assert _events(db, "stage.acknowledged")
    with pytest.raises(DomainError, match="already been acknowledged"):
        lifecycle.acknowledge(stage, on=date(2026, 11, 4), actor_id=None, today=TODAY)


def test_acknowledging_a_corporate_stage_restarts_its_clock(db):
    submission = open_complaint(Procedure.LGSCO_CORPORATE)
    stage = submission.stages[0]
    lifecycle.acknowledge(stage, on=date(2026, 11, 3), actor_id=None, today=TODAY)
    assert stage.started_on == date(2026, 11, 3)
    assert stage.due_on == date(2026, 11, 17)  # 10 working days after acknowledgement
    assert submission.next_due_on == date(2026, 11, 17)


def test_extension_within_the_maximum_is_stored_and_the_complainant_told(db):
    submission = open_complaint()
    stage = submission.stages[0]
    lifecycle.extend(
        stage,
        new_due_on=date(2026, 11, 30),
        reason="Waiting for the team's records",
        authorised_by="Head of Service",
        actor_id=None,
        today=date(2026, 11, 10),
    )
    assert stage.extended and stage.due_on == date(2026, 11, 30) and stage.original_due_on == date(2026, 11, 16)
    assert submission.next_due_on == date(2026, 11, 30)
    [message] = _messages(db, "extension")
    assert "30 November 2026" in message.body and "Waiting for the team's records" in message.body


def test_extension_beyond_the_maximum_is_refused(db):
    submission = open_complaint()
    with pytest.raises(DomainError, match="30 November 2026"):
        lifecycle.extend(
            submission.stages[0],
            new_due_on=date(2026, 12, 1),
            reason="Complex",
            authorised_by="Head of Service",
            actor_id=None,
            today=date(2026, 11, 10),
        )
    assert not _messages(db, "extension")


def test_response_stores_working_days_and_whether_the_deadline_was_met(db):
    submission = open_complaint()
    stage = submission.stages[0]
    outcome = db.session.scalar(sa.select(Category).where(Category.kind == CategoryKind.ACTUAL_OUTCOME))
    lifecycle.record_response(
        stage,
        responded_on=date(2026, 11, 17),
        finding="upheld",
        summary="We apologise",
        actual_outcome_ids=[outcome.id],
        actor_id=None,
        today=TODAY,
    )
    assert stage.status == StageStatus.RESPONDED
    assert stage.working_days_taken == 11 and stage.met_deadline is False
    assert submission.actual_outcomes == [outcome]
    assert submission.next_due_on is None
    [message] = _messages(db, "response_ready")
    assert "Stage 2" in message.body and "15 December 2026" in message.body  # 20 working days to ask


def test_response_needs_a_finding_for_every_point(db):
    submission = open_complaint()
    stage = submission.stages[0]
    point = lifecycle.add_point(stage, text="No call back", actor_id=None)
    with pytest.raises(DomainError, match="every complaint point"):
        _respond(stage, date(2026, 11, 13))
    lifecycle.set_point_finding(point, finding="upheld", rationale="Calls were missed", actor_id=None)
    _respond(stage, date(2026, 11, 13), "upheld")
    assert stage.status == StageStatus.RESPONDED


def test_resolved_is_only_a_finding_in_scotland(db):
    england = open_complaint()
    with pytest.raises(DomainError, match="overall finding"):
        _respond(england.stages[0], date(2026, 11, 5), "resolved")
    scotland = open_complaint(Procedure.SCOTLAND_MCHP, email="s@example.com")
    _respond(scotland.stages[0], date(2026, 11, 5), "resolved")
    assert scotland.stages[0].outcome == "resolved"


def test_stage2_response_needs_the_investigating_officer_and_independent_person(db):
    submission = open_complaint()
    stage2 = _to_stage2(submission)
    with pytest.raises(DomainError, match="Investigating Officer"):
        _respond(stage2, date(2026, 12, 18))
    lifecycle.update_investigation(
        stage2,
        investigating_officer="A. Investigator",
        independent_person="I. Person",
        adjudicating_officer="Director",
        statement_agreed_on=date(2026, 11, 27),
        adjudicated_on=None,
        actor_id=None,
        today=TODAY,
    )
    _respond(stage2, date(2026, 12, 18), "partially_upheld")
    assert stage2.met_deadline is True


def test_stage2_clock_from_the_statement_when_the_setting_says_so(db):
    from portal.models import ProcedureProfile

    profile = db.session.scalar(sa.select(ProcedureProfile).where(ProcedureProfile.code == Procedure.ENGLAND_STATUTORY))
    next(t for t in profile.timescales if t.key == "stage2.clock_from").text_value = "statement_agreed"
    db.session.commit()
    submission = open_complaint()
    stage2 = _to_stage2(submission)
    assert stage2.due_on == date(2026, 12, 29)  # from the request until a statement is agreed
    lifecycle.update_investigation(
        stage2,
        investigating_officer="IO",
        independent_person="IP",
        adjudicating_officer=None,
        statement_agreed_on=date(2026, 12, 4),
        adjudicated_on=None,
        actor_id=None,
        today=TODAY,
    )
    assert stage2.started_on == date(2026, 12, 4)
    assert stage2.due_on == date(2027, 1, 13)  # 25 working days, skipping Christmas, Boxing Day and New Year
    assert submission.next_due_on == date(2027, 1, 13)


def test_costs_are_decimal_lines_with_a_total(db):
    submission = open_complaint()
    stage2 = _to_stage2(submission)
    lifecycle.add_cost(stage2, description="Investigating Officer fee", amount="2450.50", hours="35", actor_id=None)
    cost = lifecycle.add_cost(stage2, description="Independent Person fee", amount=Decimal("980.25"), actor_id=None)
    db.session.expire_all()
    assert stage2.cost == Decimal("3430.75") and isinstance(stage2.cost, Decimal)
    lifecycle.remove_cost(cost, actor_id=None)
    assert stage2.cost == Decimal("2450.50")
    with pytest.raises(DomainError, match="£0 or more"):
        lifecycle.add_cost(stage2, description="Refund", amount="-5", actor_id=None)


def test_refusing_an_escalation_needs_a_manager_and_sends_the_ombudsman_details(db):
    submission = open_complaint()
    _respond(submission.stages[0], date(2026, 11, 13))
    stage2 = lifecycle.request_escalation(submission, requested_on=date(2026, 11, 20), source="public", actor_id=None)
    officer = make_staff_user(Role.COMPLAINTS_OFFICER)
    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    with pytest.raises(DomainError, match="complaints manager must sign off"):
        lifecycle.decline_escalation(
            stage2, reason="Court case", decided_by=officer, signed_off_by=officer, today=TODAY
        )
    with pytest.raises(DomainError, match="reason"):
        lifecycle.decline_escalation(stage2, reason=" ", decided_by=manager, signed_off_by=manager, today=TODAY)
    lifecycle.decline_escalation(
        stage2, reason="The matter is before the court", decided_by=officer, signed_off_by=manager, today=TODAY
    )
    assert stage2.status == StageStatus.DECLINED and stage2.signed_off_by_id == manager.id
    [letter] = _messages(db, "escalation_refused")
    assert "Local Government and Social Care Ombudsman" in letter.body and "0300 061 0614" in letter.body
    lifecycle.close_case(submission, on=TODAY, actor=officer, today=TODAY)
    assert submission.status == SubmissionStatus.CLOSED


def test_closing_waits_for_learning_actions_unless_a_manager_overrides(db):
    submission = open_complaint()
    _respond(submission.stages[0], date(2026, 11, 13), "upheld")
    action = lifecycle.save_learning_action(
        submission,
        None,
        values={
            "category": "staff_training",
            "description": "Team briefing on returning calls",
            "responsible_officer": "Team manager",
            "due_on": date(2027, 1, 29),
            "root_cause": "Communication",
        },
        actor_id=None,
        today=TODAY,
    )
    officer = make_staff_user(Role.COMPLAINTS_OFFICER)
    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    with pytest.raises(DomainError, match="1 promised learning action is"):
        lifecycle.close_case(submission, on=TODAY, actor=officer, today=TODAY)
    with pytest.raises(DomainError, match="Only a complaints manager"):
        lifecycle.close_case(submission, on=TODAY, actor=officer, today=TODAY, override_reason="Team restructured")
    lifecycle.close_case(
        submission, on=TODAY, actor=manager, today=TODAY, override_reason="Tracked by the service plan"
    )
    assert submission.status == SubmissionStatus.CLOSED
    assert submission.closure_override_reason == "Tracked by the service plan"
    [event] = _events(db, "submission.closed")
    assert event.after["open_learning_actions"] == 1
    # Completing needs evidence and a date.
    with pytest.raises(DomainError, match="evidence"):
        lifecycle.save_learning_action(
            submission, action, values={**_learning_values(action), "status": "completed"}, actor_id=None, today=TODAY
        )
    lifecycle.save_learning_action(
        submission,
        action,
        values={
            **_learning_values(action),
            "status": "completed",
            "evidence": "Briefing minutes",
            "completed_on": TODAY,
        },
        actor_id=None,
        today=TODAY,
    )
    assert action.status == LearningStatus.COMPLETED


def _learning_values(action):
    return {
        "category": action.category,
        "description": action.description,
        "responsible_officer": action.responsible_officer,
        "due_on": action.due_on,
    }


def test_close_after_learning_is_done_and_reopen(db):
    submission = open_complaint()
    _respond(submission.stages[0], date(2026, 11, 13))
    officer = make_staff_user(Role.COMPLAINTS_OFFICER)
    lifecycle.close_case(submission, on=date(2026, 11, 13), actor=officer, today=TODAY)
    assert submission.stages[0].status == StageStatus.CLOSED and submission.closed_on == date(2026, 11, 13)
    with pytest.raises(DomainError):
        lifecycle.close_case(submission, on=TODAY, actor=officer, today=TODAY)
    lifecycle.reopen_case(submission, reason="Complainant sent new evidence", actor_id=officer.id, today=TODAY)
    assert submission.status == SubmissionStatus.OPEN and submission.stages[0].status == StageStatus.RESPONDED
    assert _events(db, "submission.reopened")


def test_stage3_panel_rules_and_dates(db):
    submission = open_complaint()
    stage2 = _to_stage2(submission)
    lifecycle.update_investigation(
        stage2,
        investigating_officer="IO",
        independent_person="Jo Independent",
        adjudicating_officer="Director",
        statement_agreed_on=None,
        adjudicated_on=date(2026, 12, 18),
        actor_id=None,
        today=TODAY,
    )
    _respond(stage2, date(2026, 12, 18), "not_upheld")
    stage3 = lifecycle.request_escalation(submission, requested_on=date(2027, 1, 4), source="public", actor_id=None)
    assert stage3.stage == StageName.STAGE3
    assert stage3.panel_due_on == date(2027, 2, 15)  # 30 working days
    assert stage3.findings_due_on == date(2027, 2, 22)
    assert stage3.final_response_due_on == stage3.due_on == date(2027, 3, 15)
    with pytest.raises(DomainError, match="Independent Person cannot sit"):
        lifecycle.add_panel_member(stage3, name="  jo   INDEPENDENT ", is_chair=False, actor_id=None)
    for name, chair in (("Chair Person", True), ("Member Two", False), ("Member Three", False)):
        lifecycle.add_panel_member(stage3, name=name, is_chair=chair, actor_id=None)
    with pytest.raises(DomainError, match="three members"):
        lifecycle.add_panel_member(stage3, name="Member Four", is_chair=False, actor_id=None)
    with pytest.raises(DomainError, match="Independent Person cannot sit"):
        lifecycle.update_investigation(
            stage2,
            investigating_officer="IO",
            independent_person="Member Two",
            adjudicating_officer="Director",
            statement_agreed_on=None,
            adjudicated_on=date(2026, 12, 18),
            actor_id=None,
            today=TODAY,
        )
    today = date(2027, 3, 1)
    lifecycle.accept_escalation(stage3, actor_id=None, today=today)
    with pytest.raises(DomainError, match="panel met"):
        lifecycle.record_response(
            stage3, responded_on=date(2027, 2, 26), finding="not_upheld", summary=None, actor_id=None, today=today
        )
    lifecycle.record_panel(
        stage3, panel_on=date(2027, 2, 10), findings_on=date(2027, 2, 12), actor_id=None, today=today
    )
    assert stage3.final_response_due_on == date(2027, 3, 5)  # 15 working days after the actual findings
    lifecycle.record_response(
        stage3, responded_on=date(2027, 3, 1), finding="not_upheld", summary=None, actor_id=None, today=today
    )
    assert stage3.met_deadline is True
    assert lifecycle.escalation_option(submission, today) is None


def test_adr_beside_stage_1_keeps_the_right_to_escalate(db):
    submission = open_complaint()
    lifecycle.record_adr(
        submission,
        held_on=date(2026, 11, 6),
        kind="mediation",
        facilitator="Independent mediator",
        hours=Decimal("3.5"),
        outcome="Partly agreed",
        actor_id=None,
        today=TODAY,
    )
    _respond(submission.stages[0], date(2026, 11, 13))
    lifecycle.record_adr(
        submission,
        held_on=date(2026, 12, 10),
        kind="facilitated_meeting",
        facilitator="Head of Service",
        hours=2,
        outcome=None,
        actor_id=None,
        today=TODAY,
    )
    option = lifecycle.escalation_option(submission, date(2026, 12, 14))
    assert option.allowed and option.request_by == date(2027, 1, 12)  # 20 working days after the last session
    stage2 = lifecycle.request_escalation(submission, requested_on=date(2026, 12, 14), source="public", actor_id=None)
    assert stage2.stage == StageName.STAGE2


def test_remedy_with_an_amount_and_ombudsman_referral(db):
    submission = open_complaint()
    with pytest.raises(DomainError, match="amount"):
        lifecycle.add_remedy(submission, values={"kind": "time_and_trouble"}, actor_id=None, today=TODAY)
    remedy = lifecycle.add_remedy(
        submission,
        values={"kind": "time_and_trouble", "amount": Decimal("150.00"), "accepted": "yes", "paid_on": TODAY},
        actor_id=None,
        today=TODAY,
    )
    assert remedy.amount == Decimal("150.00")
    referral = lifecycle.save_lgsco_referral(
        submission,
        None,
        values={"referred_on": date(2026, 12, 1), "decision": "fault_with_injustice", "compliance_due_on": TODAY},
        actor_id=None,
        today=TODAY,
    )
    assert referral.stage_reached == "stage1"
    with pytest.raises(DomainError, match="decision"):
        lifecycle.save_lgsco_referral(
            submission,
            referral,
            values={"referred_on": date(2026, 12, 1), "decision": "maybe"},
            actor_id=None,
            today=TODAY,
        )


def test_case_panel_lists_the_actions_the_role_allows(db):
    submission = open_complaint()
    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    responder = make_staff_user(Role.RESPONDING_MANAGER)
    codes = {a.code for a in lifecycle.case_panel(submission, manager, date(2026, 11, 3)).actions}
    assert {"acknowledge", "extend", "respond", "points", "withdraw", "learning", "adr"} <= codes
    assert "close" not in codes and "reopen" not in codes
    responder_codes = {a.code for a in lifecycle.case_panel(submission, responder, date(2026, 11, 3)).actions}
    assert "respond" in responder_codes and "withdraw" not in responder_codes and "extend" not in responder_codes
    panel = lifecycle.case_panel(submission, manager, date(2026, 11, 17))
    [row] = [d for d in panel.stages[0].deadlines if d.label == "Response"]
    assert row.status.description == "Overdue by 1 working day"


def test_panel_asks_for_the_amount_of_a_payment_outcome(db):
    submission = open_complaint()
    payment = db.session.scalar(
        sa.select(Category).where(
            Category.kind == CategoryKind.ACTUAL_OUTCOME, Category.label == "Time and trouble payment"
        )
    )
    lifecycle.record_response(
        submission.stages[0],
        responded_on=date(2026, 11, 13),
        finding="upheld",
        summary=None,
        actual_outcome_ids=[payment.id],
        actor_id=None,
        today=TODAY,
    )
    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    assert lifecycle.case_panel(submission, manager, TODAY).remedy_amount_missing
    lifecycle.add_remedy(
        submission, values={"kind": "time_and_trouble", "amount": Decimal("150")}, actor_id=None, today=TODAY
    )
    assert not lifecycle.case_panel(submission, manager, TODAY).remedy_amount_missing


@pytest.mark.postgres_only
def test_two_requests_for_stage_2_at_once_make_one_stage(app, db):
    import threading

    from portal.models import StageRecord, Submission

    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locking is a PostgreSQL feature")
    submission = open_complaint()
    _respond(submission.stages[0], date(2026, 11, 13))
    case_id = submission.id
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask() -> None:
        with app.app_context():
            case = db.session.get(Submission, case_id)
            _ = [s.status for s in case.stages]  # both read the case before either writes
            barrier.wait()
            try:
                lifecycle.request_escalation(case, requested_on=date(2026, 11, 16), source="public", actor_id=None)
                outcomes.append("created")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["created", "refused"]
    stages = db.session.scalars(sa.select(StageRecord.stage).where(StageRecord.submission_id == case_id)).all()
    assert sorted(stages) == ["stage1", "stage2"]
