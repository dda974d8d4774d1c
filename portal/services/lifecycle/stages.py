"""The stages of a complaint: open the first, ask for the next (and accept or refuse it), withdraw, acknowledge, extend,
respond, close and reopen, and the complaint points with their findings. Every due date is computed from the stored
timescales and stored on the stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.access import Action, can
from portal.domain.enums import (
    FINDING_LABELS,
    CategoryKind,
    Classification,
    Finding,
    Procedure,
    StageName,
    StageStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import (
    CaseNote,
    Category,
    ComplaintPoint,
    StageRecord,
    Submission,
)
from portal.services import audit
from portal.services.calendar import calendar_for
from portal.services.clock import today_london
from portal.services.lifecycle.records import (
    STAGE_AUDIT_FIELDS,
    actor_label,
    apply_dates,
    audit_stage,
    current_stage,
    escalation_facts,
    lock_case,
    open_learning_actions,
    procedure_profile,
    requested_on,
    signpost_text,
    stage_dates,
    started_on,
    sync_submission,
)
from portal.services.messages import queue_for_complainant
from portal.services.timescales import timescales_for
from portal.services.uow import transactional


@dataclass(frozen=True)
class EscalationOption:
    """What the public tracking page offers: ask for `next_stage` by `request_by` (allowed while in time)."""

    next_stage: str  # label, e.g. "Stage 2"
    next_stage_code: StageName
    request_by: date
    allowed: bool


def check_first_stage(submission: Submission, procedure: Procedure, today: date) -> None:
    """Everything open_first_stage checks before it changes anything (triage asks before it classifies)."""
    procedure_profile(procedure)
    if submission.kind != SubmissionKind.COMPLAINT:
        raise DomainError("Only a complaint can start a complaints procedure")
    if submission.stages:
        raise DomainError("This complaint has already started its procedure")
    if submission.status in (SubmissionStatus.CLOSED, SubmissionStatus.WITHDRAWN, SubmissionStatus.REFUSED):
        raise DomainError(f"A {submission.status.value} complaint cannot start a stage; reopen it first")
    # Something received at the weekend counts from the next working day, which may be after today.
    if submission.received_on > calendar_for(procedure).add_working_days(today, 1):
        raise DomainError("The complaint's date of receipt is in the future")


@transactional
def open_first_stage(submission: Submission, *, procedure: Procedure, actor_id: int | None, today: date) -> StageRecord:
    """Start Stage 1 (or corporate stage 1, or Scotland's frontline stage) from the date the complaint was received."""
    procedure = Procedure(procedure)
    lock_case(submission)
    check_first_stage(submission, procedure, today)
    stage = StageRecord(
        procedure=procedure,
        stage=rules.first_stage(procedure),
        status=StageStatus.OPEN.value,
        requested_on=submission.received_on,
        acknowledged_on=submission.acknowledged_on,
        extended=False,
    )
    submission.stages.append(stage)
    apply_dates(stage)
    submission.status = SubmissionStatus.OPEN
    submission.closed_on = None
    sync_submission(submission)
    db.session.flush()
    audit_stage(
        "stage.opened",
        stage,
        actor_id=actor_id,
        label=actor_label("staff", actor_id),
        after={"procedure": procedure, "stage": stage.stage, **audit.snapshot(stage, STAGE_AUDIT_FIELDS)},
    )
    return stage


def escalation_option(submission: Submission, today: date) -> EscalationOption | None:
    """For the public tracking page: the next stage the complainant may ask for, the last day to ask, and whether
    they may still ask online. None when there is no next stage to ask for."""
    if submission.kind != SubmissionKind.COMPLAINT or submission.status not in (
        SubmissionStatus.OPEN,
        SubmissionStatus.CLOSED,
    ):
        return None
    stage = current_stage(submission)
    if stage is None or stage.responded_on is None:
        return None
    if stage.status not in (StageStatus.RESPONDED.value, StageStatus.CLOSED.value):
        return None
    procedure = Procedure(stage.procedure)
    following = rules.next_stage(procedure, StageName(stage.stage))
    if following is None:
        return None
    end = rules.escalation_window_end(
        escalation_facts(submission, stage), timescales_for(procedure), calendar_for(procedure)
    )
    if end is None:
        return None
    return EscalationOption(
        next_stage=rules.stage_label(following), next_stage_code=following, request_by=end, allowed=today <= end
    )


@transactional
def request_escalation(
    submission: Submission,
    *,
    requested_on: date,
    source: str,
    actor_id: int | None,
    reason: str | None = None,
    today: date | None = None,
) -> StageRecord:
    """Record a request for the next stage (from the public tracking page or from staff). The new stage starts as
    'requested'; staff then accept it or, with a complaints manager's sign-off, refuse it."""

    rules.check_not_future(requested_on, today or today_london(), "The date of the request")
    lock_case(submission)
    stage = current_stage(submission)
    if submission.kind != SubmissionKind.COMPLAINT or stage is None:
        raise DomainError("This complaint has not started a complaints procedure")
    procedure = Procedure(stage.procedure)
    timescales = timescales_for(procedure)
    calendar = calendar_for(procedure)
    following = rules.check_escalation(
        escalation_facts(submission, stage),
        requested_on=requested_on,
        source=source,
        timescales=timescales,
        calendar=calendar,
    )
    label = actor_label(source, actor_id)
    before = {"status": stage.status}
    stage.status = rules.next_status(stage.status, rules.Action.REQUEST_ESCALATION).value
    if stage.closed_on is None:
        stage.closed_on = requested_on
    audit_stage("stage.completed", stage, actor_id=actor_id, label=label, before=before, after={"status": stage.status})
    new_stage = StageRecord(
        procedure=procedure,
        stage=following,
        status=StageStatus.REQUESTED.value,
        requested_on=requested_on,
        extended=False,
    )
    submission.stages.append(new_stage)
    apply_dates(new_stage)
    submission.status = SubmissionStatus.OPEN
    submission.closed_on = None
    submission.closure_override_reason = None
    sync_submission(submission)
    db.session.flush()
    if reason and reason.strip():
        db.session.add(
            CaseNote(
                submission_id=submission.id,
                author_id=actor_id,
                body=f"Reason given for asking for {rules.stage_label(following)}: {reason.strip()}",
                from_public=source == "public",
            )
        )
    audit_stage(
        "stage.escalation_requested",
        new_stage,
        actor_id=actor_id,
        label=label,
        after={"stage": following, "source": source, **audit.snapshot(new_stage, STAGE_AUDIT_FIELDS)},
    )
    queue_for_complainant(
        submission,
        "escalation_received",
        dedupe_key=f"escalation:{new_stage.id}",
        stage_label=rules.stage_label(following),
        requested_on=requested_on,
        acknowledge_due_on=new_stage.acknowledge_due_on,
        due_on=new_stage.due_on,
    )
    return new_stage


def check_withdrawal(submission: Submission, *, on: date, reason: str, today: date) -> None:
    """Everything withdraw checks before it changes anything."""
    rules.check_case_status(submission.status, rules.Action.WITHDRAW)
    rules.check_withdraw(on=on, reason=reason, received_on=submission.received_on, today=today)


@transactional
def withdraw(
    submission: Submission,
    *,
    on: date,
    reason: str,
    source: str,
    actor_id: int | None,
    today: date | None = None,
) -> None:
    """The complainant withdraws, at any point. The running stage stops; its record stays for the reports."""

    lock_case(submission)
    check_withdrawal(submission, on=on, reason=reason, today=today or today_london())
    label = actor_label(source, actor_id)
    stage = current_stage(submission)
    if stage is not None and rules.transition_allowed(submission.status, stage.status, rules.Action.WITHDRAW):
        before = {"status": stage.status}
        stage.status = rules.next_status(stage.status, rules.Action.WITHDRAW).value
        stage.closed_on = on
        audit_stage(
            "stage.withdrawn", stage, actor_id=actor_id, label=label, before=before, after={"status": stage.status}
        )
    before_case = audit.snapshot(submission, ("status", "withdrawn_on", "next_due_on"))
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_on = on
    submission.withdrawn_reason = reason.strip()
    submission.next_due_on = None
    if submission.classification is None:
        submission.classification = Classification.WITHDRAWN
    audit.record(
        "submission.withdrawn",
        "submission",
        submission.id,
        actor_id=actor_id,
        actor_label=label,
        submission_id=submission.id,
        before=before_case,
        after={**audit.snapshot(submission, ("status", "withdrawn_on", "next_due_on")), "source": source},
    )


def _transition(stage: StageRecord, action: rules.Action) -> str:
    rules.check_case_status(stage.submission.status, action)
    stage.status = rules.next_status(stage.status, action).value
    return stage.status


def _is_current(stage: StageRecord) -> None:
    lock_case(stage.submission)
    if current_stage(stage.submission) is not stage:
        raise DomainError("Only the current stage can be changed")


@transactional
def acknowledge(stage: StageRecord, *, on: date, actor_id: int | None, today: date) -> None:
    """Record the date the complainant was told we had the complaint (or the request for this stage)."""
    _is_current(stage)
    rules.check_case_status(stage.submission.status, rules.Action.ACKNOWLEDGE)
    rules.next_status(stage.status, rules.Action.ACKNOWLEDGE)
    rules.check_acknowledgement(
        acknowledged_on=on, requested_on=requested_on(stage), already=stage.acknowledged_on, today=today
    )
    stage.acknowledged_on = on
    changes = apply_dates(stage)  # corporate stages count from acknowledgement
    submission = stage.submission
    if stage is submission.stages[0]:
        submission.acknowledged_on = on
    sync_submission(submission)
    audit_stage("stage.acknowledged", stage, actor_id=actor_id, label="staff", **changes)


@transactional
def extend(
    stage: StageRecord,
    *,
    new_due_on: date,
    reason: str,
    authorised_by: str,
    actor_id: int | None,
    today: date,
) -> None:
    """Extend the response deadline within the procedure's maximum, and tell the complainant why."""
    _is_current(stage)
    rules.check_case_status(stage.submission.status, rules.Action.EXTEND)
    rules.next_status(stage.status, rules.Action.EXTEND)
    dates = stage_dates(stage)
    old_due = stage.due_on
    if old_due is None:
        raise DomainError("This stage has no response deadline to extend")
    rules.check_extension(
        new_due_on=new_due_on,
        current_due_on=old_due,
        max_due_on=dates.max_due_on,
        reason=reason,
        authorised_by=authorised_by,
    )
    before = audit.snapshot(stage, ("due_on", "extended", "extension_reason", "extension_authorised_by"))
    stage.due_on = new_due_on
    stage.extended = True
    stage.extension_reason = reason.strip()
    stage.extension_authorised_by = authorised_by.strip()
    stage.extended_on = today
    sync_submission(stage.submission)
    after = audit.snapshot(stage, ("due_on", "extended", "extension_reason", "extension_authorised_by"))
    audit_stage("stage.extended", stage, actor_id=actor_id, label="staff", before=before, after=after)
    queue_for_complainant(
        stage.submission,
        "extension",
        dedupe_key=f"extension:{stage.id}:{new_due_on.isoformat()}",
        stage_label=rules.stage_label(stage.stage),
        reason=reason.strip(),
        old_due_on=old_due,
        new_due_on=new_due_on,
        procedure=stage.procedure,
    )


@transactional
def record_response(
    stage: StageRecord,
    *,
    responded_on: date,
    finding: str,
    summary: str | None,
    actual_outcome_ids: list[int] | tuple[int, ...] = (),
    actor_id: int | None,
    today: date,
) -> None:
    """Record the stage's response: date, overall finding, what was done. Stores working days taken and whether
    the deadline was met, and tells the complainant how to take it further."""

    _is_current(stage)
    submission = stage.submission
    rules.check_case_status(submission.status, rules.Action.RECORD_RESPONSE)
    rules.next_status(stage.status, rules.Action.RECORD_RESPONSE)
    procedure = Procedure(stage.procedure)
    rules.check_response(
        rules.ResponseFacts(
            procedure=procedure,
            stage=StageName(stage.stage),
            started_on=started_on(stage),
            responded_on=responded_on,
            finding=finding,
            point_findings=tuple(p.finding for p in stage.points),
            investigating_officer=stage.investigating_officer,
            independent_person=stage.independent_person,
            panel_on=stage.panel_on,
            findings_on=stage.findings_on,
        ),
        today,
    )
    calendar = calendar_for(procedure)
    before = audit.snapshot(stage, ("status", "responded_on", "outcome", "working_days_taken", "met_deadline"))
    stage.status = _transition(stage, rules.Action.RECORD_RESPONSE)
    stage.responded_on = responded_on
    stage.outcome = finding
    stage.response_summary = (summary or "").strip() or None
    stage.working_days_taken = rules.working_days_taken(started_on(stage), responded_on, calendar)
    stage.met_deadline = stage.due_on is not None and responded_on <= stage.due_on
    if actual_outcome_ids:
        chosen = list(
            db.session.scalars(
                sa.select(Category).where(
                    Category.id.in_(actual_outcome_ids), Category.kind == CategoryKind.ACTUAL_OUTCOME
                )
            )
        )
        submission.actual_outcomes = chosen
    sync_submission(submission)
    after = audit.snapshot(stage, ("status", "responded_on", "outcome", "working_days_taken", "met_deadline"))
    after["actual_outcomes"] = [c.label for c in submission.actual_outcomes]
    audit_stage("stage.responded", stage, actor_id=actor_id, label="staff", before=before, after=after)
    following = rules.next_stage(procedure, StageName(stage.stage))
    option = escalation_option(submission, responded_on)
    queue_for_complainant(
        submission,
        "response_ready",
        dedupe_key=f"response:{stage.id}:{responded_on.isoformat()}",
        stage_label=rules.stage_label(stage.stage),
        responded_on=responded_on,
        finding_label=FINDING_LABELS.get(Finding(finding), finding),
        next_stage_label=rules.stage_label(following) if following else None,
        request_by=option.request_by if option else None,
        signpost=signpost_text(procedure),
    )


@transactional
def accept_escalation(stage: StageRecord, *, actor_id: int | None, today: date) -> None:
    _is_current(stage)
    before = {"status": stage.status, "decision": stage.decision}
    _transition(stage, rules.Action.ACCEPT_ESCALATION)
    stage.decision = "accepted"
    stage.decided_by_id = actor_id
    sync_submission(stage.submission)
    audit_stage(
        "stage.escalation_accepted",
        stage,
        actor_id=actor_id,
        label="staff",
        before=before,
        after={"status": stage.status, "decision": stage.decision},
    )


@transactional
def decline_escalation(
    stage: StageRecord,
    *,
    reason: str,
    decided_by: Any,
    signed_off_by: Any,
    today: date,
) -> None:
    """Refuse a request for the next stage: a reason, a complaints manager's sign-off, and a letter that tells the
    complainant about the Ombudsman. The Ombudsman regards refusal as fault, so the screen warns first."""
    _is_current(stage)
    rules.check_decline(
        reason=reason,
        signed_off_by_manager=signed_off_by is not None and can(signed_off_by.role, Action.REFUSE_ESCALATION),
    )
    before = {"status": stage.status, "decision": stage.decision}
    _transition(stage, rules.Action.DECLINE_ESCALATION)
    stage.decision = "declined"
    stage.decision_reason = reason.strip()
    stage.decided_by_id = decided_by.id if decided_by is not None else None
    stage.signed_off_by_id = signed_off_by.id
    stage.closed_on = today
    sync_submission(stage.submission)
    audit_stage(
        "stage.escalation_declined",
        stage,
        actor_id=stage.decided_by_id,
        label="staff",
        before=before,
        after={
            "status": stage.status,
            "decision": stage.decision,
            "reason": stage.decision_reason,
            "signed_off_by_id": stage.signed_off_by_id,
        },
    )
    queue_for_complainant(
        stage.submission,
        "escalation_refused",
        dedupe_key=f"refusal:{stage.id}",
        stage_label=rules.stage_label(stage.stage),
        reason=reason.strip(),
        signpost=signpost_text(Procedure(stage.procedure)),
    )


@transactional
def close_case(
    submission: Submission,
    *,
    on: date,
    actor: Any,
    today: date,
    override_reason: str | None = None,
) -> None:
    """Close the complaint once its current stage has been answered (or a request refused). Promised learning
    actions must be finished first, unless a complaints manager overrides with a reason."""
    lock_case(submission)
    stage = current_stage(submission)
    if stage is None:
        raise DomainError("This complaint has not started a complaints procedure")
    rules.check_case_status(submission.status, rules.Action.CLOSE)
    rules.next_status(stage.status, rules.Action.CLOSE)
    rules.check_not_future(on, today, "The date of closure")
    if stage.responded_on is not None and on < stage.responded_on:
        raise DomainError("The date of closure must be on or after the date of the response")
    open_actions = open_learning_actions(submission)
    rules.check_close(
        open_learning_actions=open_actions,
        override_reason=override_reason,
        override_by_manager=actor is not None and can(actor.role, Action.OVERRIDE_CLOSURE),
    )
    before = audit.snapshot(submission, ("status", "closed_on", "closure_override_reason"))
    stage.status = rules.next_status(stage.status, rules.Action.CLOSE).value
    stage.closed_on = stage.closed_on or on
    submission.status = SubmissionStatus.CLOSED
    submission.closed_on = on
    submission.closure_override_reason = override_reason.strip() if open_actions and override_reason else None
    sync_submission(submission)
    audit.record(
        "submission.closed",
        "submission",
        submission.id,
        actor_id=actor.id if actor is not None else None,
        actor_label="staff" if actor is not None else "system",
        submission_id=submission.id,
        before=before,
        after={
            **audit.snapshot(submission, ("status", "closed_on", "closure_override_reason")),
            "open_learning_actions": open_actions,
        },
    )


@transactional
def reopen_case(submission: Submission, *, reason: str, actor_id: int | None, today: date) -> None:
    """Reopen a closed or withdrawn complaint (for example the complainant came back, or a refusal is
    reconsidered). The running stage's clock keeps its original dates."""
    lock_case(submission)
    stage = current_stage(submission)
    rules.check_case_status(submission.status, rules.Action.REOPEN)
    if not reason.strip():
        raise DomainError("Enter the reason for reopening the complaint")
    before = audit.snapshot(submission, ("status", "closed_on", "withdrawn_on"))
    if stage is not None:
        stage_before = stage.status
        stage.status = rules.next_status(stage.status, rules.Action.REOPEN).value
        if stage.status in (StageStatus.OPEN.value, StageStatus.REQUESTED.value):
            stage.closed_on = None
        if stage.status == StageStatus.REQUESTED.value:
            stage.decision = None
        audit_stage(
            "stage.reopened",
            stage,
            actor_id=actor_id,
            label="staff",
            before={"status": stage_before},
            after={"status": stage.status},
        )
    submission.status = SubmissionStatus.OPEN if stage is not None else SubmissionStatus.NEW
    submission.closed_on = None
    submission.withdrawn_on = None
    submission.closure_override_reason = None
    sync_submission(submission)
    audit.record(
        "submission.reopened",
        "submission",
        submission.id,
        actor_id=actor_id,
        actor_label="staff",
        submission_id=submission.id,
        before=before,
        after={**audit.snapshot(submission, ("status", "closed_on", "withdrawn_on")), "reason": reason.strip()},
    )


@transactional
def add_point(stage: StageRecord, *, text: str, actor_id: int | None) -> ComplaintPoint:
    if not text.strip():
        raise DomainError("Enter the complaint point")
    if stage.status not in (StageStatus.OPEN.value, StageStatus.REQUESTED.value):
        raise DomainError("Complaint points can only be added while the stage is running")
    point = ComplaintPoint(text=text.strip(), position=len(stage.points) + 1)
    stage.points.append(point)
    db.session.flush()
    audit.record("stage.point_added", "complaint_point", point.id, actor_id=actor_id, submission_id=stage.submission_id)
    return point


@transactional
def set_point_finding(point: ComplaintPoint, *, finding: str, rationale: str | None, actor_id: int | None) -> None:
    stage = point.stage
    if finding not in rules.allowed_findings(Procedure(stage.procedure)):
        raise DomainError("Select the finding for this point")
    if stage.status != StageStatus.OPEN.value:
        raise DomainError("Findings can only be changed while the stage is open")
    before = {"finding": point.finding}
    point.finding = finding
    point.rationale = (rationale or "").strip() or None
    audit.record(
        "stage.point_finding",
        "complaint_point",
        point.id,
        actor_id=actor_id,
        submission_id=stage.submission_id,
        before=before,
        after={"finding": finding},
    )
