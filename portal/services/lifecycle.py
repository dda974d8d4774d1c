"""Use-cases of the complaint lifecycle: open the first stage, acknowledge, extend, respond, escalate, decline,
close, reopen and withdraw, with every due date computed from the stored timescales and stored on the stage.

The rules live in portal.domain.lifecycle; this module loads the facts, applies the rules, writes the rows, the
audit events and the outbox messages in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.access import Action, can
from portal.domain.enums import (
    FINDING_LABELS,
    Finding,
    LearningStatus,
    Procedure,
    Role,
    StageName,
    StageStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.workdays import CalendarCoverageError
from portal.extensions import db
from portal.models import (
    AdrSession,
    CaseNote,
    ComplaintPoint,
    LearningAction,
    LgscoReferral,
    PanelMember,
    ProcedureProfile,
    Remedy,
    StageCost,
    StageRecord,
    Submission,
)
from portal.services import audit
from portal.services.calendar import calendar_for, calendar_version
from portal.services.messages import queue_for_complainant
from portal.services.timescales import timescales_for
from portal.services.uow import transactional

STAGE_AUDIT_FIELDS = (
    "status",
    "requested_on",
    "started_on",
    "acknowledge_due_on",
    "acknowledged_on",
    "original_due_on",
    "due_on",
    "panel_due_on",
    "findings_due_on",
    "final_response_due_on",
)
OPEN_LEARNING = (LearningStatus.OPEN.value, LearningStatus.IN_PROGRESS.value)


@dataclass(frozen=True)
class EscalationOption:
    """What the public tracking page offers: ask for `next_stage` by `request_by` (allowed while in time)."""

    next_stage: str  # label, e.g. "Stage 2"
    next_stage_code: StageName
    request_by: date
    allowed: bool


# --- helpers ------------------------------------------------------------------------------------------------------


def _actor_label(source: str, actor_id: int | None) -> str:
    if source == "public":
        return "public"
    return "staff" if actor_id is not None else "system"


def current_stage(submission: Submission) -> StageRecord | None:
    return submission.stages[-1] if submission.stages else None


def lock_case(submission: Submission) -> None:
    """Serialise lifecycle changes to one case. On PostgreSQL the submission row is locked until the transaction
    ends and the case and its stages are read again, so two people (or a double-click on the public tracking page)
    cannot both move it on from the same state. Pending changes are flushed first so nothing is lost."""
    if db.engine.dialect.name != "postgresql":
        return
    db.session.flush()
    db.session.execute(
        sa.select(Submission)
        .where(Submission.id == submission.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    db.session.execute(
        sa.select(StageRecord)
        .where(StageRecord.submission_id == submission.id)
        .execution_options(populate_existing=True)
    ).scalars().all()
    db.session.expire(submission, ["stages"])


def _stage_facts(stage: StageRecord) -> rules.StageFacts:
    return rules.StageFacts(
        stage=StageName(stage.stage),
        requested_on=stage.requested_on,  # type: ignore[arg-type]
        acknowledged_on=stage.acknowledged_on,
        statement_agreed_on=stage.statement_agreed_on,
        panel_on=stage.panel_on,
        findings_on=stage.findings_on,
    )


def stage_dates(stage: StageRecord) -> rules.StageDates:
    procedure = Procedure(stage.procedure)
    return rules.compute_stage_dates(_stage_facts(stage), timescales_for(procedure), calendar_for(procedure))


def apply_dates(stage: StageRecord) -> dict[str, Any]:
    """(Re)compute a stage's stored due dates. An agreed extension date is kept. Returns the changes made."""
    before = audit.snapshot(stage, STAGE_AUDIT_FIELDS)
    procedure = Procedure(stage.procedure)
    calendar = calendar_for(procedure)
    dates = rules.compute_stage_dates(_stage_facts(stage), timescales_for(procedure), calendar)
    stage.started_on = dates.started_on
    stage.acknowledge_due_on = dates.acknowledge_due_on
    stage.original_due_on = dates.due_on
    if not stage.extended:
        stage.due_on = dates.due_on
    stage.panel_due_on = dates.panel_due_on
    stage.findings_due_on = dates.findings_due_on
    stage.final_response_due_on = dates.final_response_due_on
    stage.calendar_version = calendar_version(calendar)
    after = audit.snapshot(stage, STAGE_AUDIT_FIELDS)
    old, new = audit.changes(before, after)
    return {"before": old, "after": new}


def _running_due(stage: StageRecord) -> date | None:
    """The next date that matters on a running stage (a Stage 3 panel before its findings and final response)."""
    if stage.status not in (StageStatus.OPEN.value, StageStatus.REQUESTED.value):
        return None
    if stage.stage == StageName.STAGE3.value:
        if stage.panel_on is None and stage.panel_due_on is not None:
            return stage.panel_due_on
        if stage.findings_on is None and stage.findings_due_on is not None:
            return stage.findings_due_on
    return stage.due_on


def sync_submission(submission: Submission) -> None:
    """Mirror the running stage's dates onto the submission so lists filter on plain columns."""
    stage = current_stage(submission)
    if stage is None:
        return
    submission.current_stage = StageName(stage.stage)
    submission.procedure = Procedure(stage.procedure)
    submission.next_due_on = _running_due(stage) if submission.status == SubmissionStatus.OPEN else None
    # The submission's acknowledgement is the first one (of the complaint itself); later stages' acknowledgements
    # are on their stage records, where the deadlines dashboard finds them.
    first = submission.stages[0]
    if first.acknowledged_on is None:
        submission.acknowledge_due_on = first.acknowledge_due_on
    elif submission.acknowledged_on is None:
        submission.acknowledged_on = first.acknowledged_on


def _profile(procedure: Procedure) -> ProcedureProfile:
    profile = db.session.scalar(sa.select(ProcedureProfile).where(ProcedureProfile.code == procedure))
    if profile is None:
        raise DomainError(f"The {procedure.value} procedure is not set up. Run `flask --app wsgi init-data`.")
    if not profile.enabled:
        raise DomainError(f"{profile.name} is not used by this council. A complaints manager can turn it on.")
    return profile


def _audit_stage(action: str, stage: StageRecord, *, actor_id: int | None, label: str, **changes: Any) -> None:
    audit.record(
        action,
        "stage_record",
        stage.id,
        actor_id=actor_id,
        actor_label=label,
        submission_id=stage.submission_id,
        before=changes.get("before"),
        after=changes.get("after"),
    )


def open_learning_actions(submission: Submission) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LearningAction)
        .where(LearningAction.submission_id == submission.id, LearningAction.status.in_(OPEN_LEARNING))
    )


def _last_adr_on(submission: Submission) -> date | None:
    return db.session.scalar(
        sa.select(sa.func.max(AdrSession.held_on)).where(AdrSession.submission_id == submission.id)
    )


def _escalation_facts(submission: Submission, stage: StageRecord) -> rules.EscalationFacts:
    last_adr = _last_adr_on(submission)
    if last_adr is not None and stage.responded_on is not None and last_adr < stage.responded_on:
        last_adr = None
    return rules.EscalationFacts(
        procedure=Procedure(stage.procedure),
        case_status=SubmissionStatus(submission.status),
        stage=StageName(stage.stage),
        stage_status=StageStatus(stage.status),
        responded_on=stage.responded_on,
        due_on=stage.due_on,
        last_adr_on=last_adr,
    )


def signpost_text(procedure: Procedure) -> str:
    return rules.SPSO_SIGNPOST if procedure == Procedure.SCOTLAND_MCHP else rules.LGSCO_SIGNPOST


# --- cross-area interface -----------------------------------------------------------------------------------------


def check_first_stage(submission: Submission, procedure: Procedure, today: date) -> None:
    """Everything open_first_stage checks before it changes anything (triage asks before it classifies)."""
    _profile(procedure)
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
    _audit_stage(
        "stage.opened",
        stage,
        actor_id=actor_id,
        label=_actor_label("staff", actor_id),
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
        _escalation_facts(submission, stage), timescales_for(procedure), calendar_for(procedure)
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
    from portal.services.clock import today_london

    rules.check_not_future(requested_on, today or today_london(), "The date of the request")
    lock_case(submission)
    stage = current_stage(submission)
    if submission.kind != SubmissionKind.COMPLAINT or stage is None:
        raise DomainError("This complaint has not started a complaints procedure")
    procedure = Procedure(stage.procedure)
    timescales = timescales_for(procedure)
    calendar = calendar_for(procedure)
    following = rules.check_escalation(
        _escalation_facts(submission, stage),
        requested_on=requested_on,
        source=source,
        timescales=timescales,
        calendar=calendar,
    )
    label = _actor_label(source, actor_id)
    before = {"status": stage.status}
    stage.status = rules.next_status(stage.status, rules.Action.REQUEST_ESCALATION).value
    if stage.closed_on is None:
        stage.closed_on = requested_on
    _audit_stage(
        "stage.completed", stage, actor_id=actor_id, label=label, before=before, after={"status": stage.status}
    )
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
    _audit_stage(
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
    from portal.services.clock import today_london

    lock_case(submission)
    check_withdrawal(submission, on=on, reason=reason, today=today or today_london())
    label = _actor_label(source, actor_id)
    stage = current_stage(submission)
    if stage is not None and rules.transition_allowed(submission.status, stage.status, rules.Action.WITHDRAW):
        before = {"status": stage.status}
        stage.status = rules.next_status(stage.status, rules.Action.WITHDRAW).value
        stage.closed_on = on
        _audit_stage(
            "stage.withdrawn", stage, actor_id=actor_id, label=label, before=before, after={"status": stage.status}
        )
    before_case = audit.snapshot(submission, ("status", "withdrawn_on", "next_due_on"))
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_on = on
    submission.withdrawn_reason = reason.strip()
    submission.next_due_on = None
    if submission.classification is None:
        from portal.domain.enums import Classification

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


# --- stage actions ------------------------------------------------------------------------------------------------


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
        acknowledged_on=on, requested_on=stage.requested_on, already=stage.acknowledged_on, today=today
    )
    stage.acknowledged_on = on
    changes = apply_dates(stage)  # corporate stages count from acknowledgement
    submission = stage.submission
    if stage is submission.stages[0]:
        submission.acknowledged_on = on
    sync_submission(submission)
    _audit_stage("stage.acknowledged", stage, actor_id=actor_id, label="staff", **changes)


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
    rules.check_extension(
        new_due_on=new_due_on,
        current_due_on=old_due,  # type: ignore[arg-type]
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
    _audit_stage("stage.extended", stage, actor_id=actor_id, label="staff", before=before, after=after)
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
    from portal.domain.enums import CategoryKind
    from portal.models import Category

    _is_current(stage)
    submission = stage.submission
    rules.check_case_status(submission.status, rules.Action.RECORD_RESPONSE)
    rules.next_status(stage.status, rules.Action.RECORD_RESPONSE)
    procedure = Procedure(stage.procedure)
    rules.check_response(
        rules.ResponseFacts(
            procedure=procedure,
            stage=StageName(stage.stage),
            started_on=stage.started_on or stage.requested_on,  # type: ignore[arg-type]
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
    stage.working_days_taken = rules.working_days_taken(stage.started_on or stage.requested_on, responded_on, calendar)  # type: ignore[arg-type]
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
    _audit_stage("stage.responded", stage, actor_id=actor_id, label="staff", before=before, after=after)
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
    _audit_stage(
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
    _audit_stage(
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
        _audit_stage(
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


# --- Stage 2 and Stage 3 records ----------------------------------------------------------------------------------

STAGE2_FIELDS = (
    "investigating_officer",
    "independent_person",
    "adjudicating_officer",
    "statement_agreed_on",
    "adjudicated_on",
)


@transactional
def update_investigation(
    stage: StageRecord,
    *,
    investigating_officer: str | None,
    independent_person: str | None,
    adjudicating_officer: str | None,
    statement_agreed_on: date | None,
    adjudicated_on: date | None,
    actor_id: int | None,
    today: date,
) -> None:
    """Stage 2 people and dates. Agreeing the complaint statement restarts the clock when the procedure says so."""
    if stage.stage != StageName.STAGE2.value:
        raise DomainError("Only Stage 2 has an Investigating Officer and Independent Person")
    for value, what in (
        (statement_agreed_on, "The date the statement was agreed"),
        (adjudicated_on, "The adjudication date"),
    ):
        if value is not None:
            rules.check_not_future(value, today, what)
            if stage.requested_on and value < stage.requested_on:
                raise DomainError(f"{what} must be on or after the Stage 2 request")
    panel = tuple(
        m.name for st in stage.submission.stages if st.stage == StageName.STAGE3.value for m in st.panel_members
    )
    if independent_person and panel:
        for member in panel:
            rules.check_panel_member(member, stage2_independent_person=independent_person, existing=())
    before = audit.snapshot(stage, STAGE2_FIELDS)
    stage.investigating_officer = (investigating_officer or "").strip() or None
    stage.independent_person = (independent_person or "").strip() or None
    stage.adjudicating_officer = (adjudicating_officer or "").strip() or None
    stage.statement_agreed_on = statement_agreed_on
    stage.adjudicated_on = adjudicated_on
    old, new = audit.changes(before, audit.snapshot(stage, STAGE2_FIELDS))
    if stage.status in (StageStatus.OPEN.value, StageStatus.REQUESTED.value):
        dates = apply_dates(stage)
        old.update(dates["before"])
        new.update(dates["after"])
        sync_submission(stage.submission)
    _audit_stage("stage.investigation_updated", stage, actor_id=actor_id, label="staff", before=old, after=new)


def _sum_costs(stage: StageRecord) -> None:
    from decimal import Decimal

    stage.cost = sum((c.amount for c in stage.costs), Decimal("0.00")) if stage.costs else None


@transactional
def add_cost(
    stage: StageRecord,
    *,
    description: str,
    amount: Any,
    hours: Any = None,
    actor_id: int | None,
) -> StageCost:
    from decimal import Decimal

    if not description.strip():
        raise DomainError("Enter what the cost is for")
    amount = Decimal(amount).quantize(Decimal("0.01"))
    hours = Decimal(hours).quantize(Decimal("0.01")) if hours is not None else None
    rules.check_cost(amount, hours)
    cost = StageCost(description=description.strip(), amount=amount, hours=hours)
    stage.costs.append(cost)
    _sum_costs(stage)
    db.session.flush()
    audit.record(
        "stage.cost_added",
        "stage_cost",
        cost.id,
        actor_id=actor_id,
        submission_id=stage.submission_id,
        after={"description": cost.description, "amount": amount, "hours": hours, "stage_total": stage.cost},
    )
    return cost


@transactional
def remove_cost(cost: StageCost, *, actor_id: int | None) -> None:
    stage = cost.stage
    before = {"description": cost.description, "amount": cost.amount, "hours": cost.hours}
    stage.costs.remove(cost)
    db.session.delete(cost)
    _sum_costs(stage)
    audit.record(
        "stage.cost_removed",
        "stage_cost",
        cost.id,
        actor_id=actor_id,
        submission_id=stage.submission_id,
        before=before,
        after={"stage_total": stage.cost},
    )


def _stage2_independent_person(submission: Submission) -> str | None:
    for stage in submission.stages:
        if stage.stage == StageName.STAGE2.value:
            return stage.independent_person
    return None


@transactional
def add_panel_member(stage: StageRecord, *, name: str, is_chair: bool, actor_id: int | None) -> PanelMember:
    if stage.stage != StageName.STAGE3.value:
        raise DomainError("Only Stage 3 has a review panel")
    rules.check_panel_member(
        name,
        stage2_independent_person=_stage2_independent_person(stage.submission),
        existing=tuple(m.name for m in stage.panel_members),
    )
    if is_chair and any(m.is_chair for m in stage.panel_members):
        raise DomainError("The panel already has a chair")
    member = PanelMember(name=" ".join(name.split()), is_chair=is_chair)
    stage.panel_members.append(member)
    db.session.flush()
    audit.record(
        "stage.panel_member_added",
        "panel_member",
        member.id,
        actor_id=actor_id,
        submission_id=stage.submission_id,
        after={"name": member.name, "is_chair": is_chair},
    )
    return member


@transactional
def remove_panel_member(member: PanelMember, *, actor_id: int | None) -> None:
    stage = member.stage
    stage.panel_members.remove(member)
    db.session.delete(member)
    audit.record(
        "stage.panel_member_removed",
        "panel_member",
        member.id,
        actor_id=actor_id,
        submission_id=stage.submission_id,
        before={"name": member.name, "is_chair": member.is_chair},
    )


@transactional
def record_panel(
    stage: StageRecord,
    *,
    panel_on: date | None,
    findings_on: date | None,
    actor_id: int | None,
    today: date,
) -> None:
    """Stage 3 dates. The findings and final-response deadlines run from the actual panel and findings dates."""
    if stage.stage != StageName.STAGE3.value:
        raise DomainError("Only Stage 3 has a review panel")
    rules.check_panel_dates(requested_on=stage.requested_on, panel_on=panel_on, findings_on=findings_on, today=today)  # type: ignore[arg-type]
    before = audit.snapshot(stage, ("panel_on", "findings_on"))
    stage.panel_on = panel_on
    stage.findings_on = findings_on
    dates = apply_dates(stage)
    sync_submission(stage.submission)
    _audit_stage(
        "stage.panel_recorded",
        stage,
        actor_id=actor_id,
        label="staff",
        before={**before, **dates["before"]},
        after={**audit.snapshot(stage, ("panel_on", "findings_on")), **dates["after"]},
    )


# --- complaint points ---------------------------------------------------------------------------------------------


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


# --- ADR, Ombudsman, remedies ---------------------------------------------------------------------------------------


@transactional
def record_adr(
    submission: Submission,
    *,
    held_on: date,
    kind: str,
    facilitator: str,
    hours: Any,
    outcome: str | None,
    actor_id: int | None,
    today: date,
) -> AdrSession:
    """Alternative dispute resolution beside the first stage or before the next: it never removes the right to
    escalate (the escalation window runs from the last session after the response)."""
    from decimal import Decimal

    stage = current_stage(submission)
    if stage is None:
        raise DomainError("This complaint has not started a complaints procedure")
    if kind not in rules.ADR_KINDS:
        raise DomainError("Select the kind of session")
    rules.check_adr(stage=StageName(stage.stage), stage_status=stage.status, held_on=held_on, today=today)
    hours_value = Decimal(hours).quantize(Decimal("0.01")) if hours is not None else None
    if hours_value is not None and hours_value < 0:
        raise DomainError("Hours must be 0 or more")
    session = AdrSession(
        submission_id=submission.id,
        held_on=held_on,
        kind=kind,
        facilitator=facilitator.strip() or None,
        hours=hours_value,
        alongside_stage=stage.stage,
        outcome=(outcome or "").strip() or None,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        "adr.recorded",
        "adr_session",
        session.id,
        actor_id=actor_id,
        submission_id=submission.id,
        after={"held_on": held_on, "kind": kind, "hours": hours_value, "alongside_stage": stage.stage},
    )
    return session


LGSCO_FIELDS = (
    "lgsco_reference",
    "referred_on",
    "stage_reached",
    "decision",
    "decision_on",
    "remedy",
    "compliance_due_on",
    "complied_on",
)


@transactional
def save_lgsco_referral(
    submission: Submission,
    referral: LgscoReferral | None,
    *,
    values: dict[str, Any],
    actor_id: int | None,
    today: date,
) -> LgscoReferral:
    """Record or update an Ombudsman enquiry about this complaint (date, stage reached, decision, remedy and
    the date the council must comply by)."""
    from portal.domain.enums import LgscoDecision

    referred_on = values.get("referred_on")
    if referred_on is None:
        raise DomainError("Enter the date the Ombudsman told us about the complaint")
    rules.check_not_future(referred_on, today, "The date of the referral")
    decision = values.get("decision") or None
    if decision is not None and decision not in {d.value for d in LgscoDecision}:
        raise DomainError("Select the Ombudsman's decision")
    if decision is None and values.get("decision_on"):
        raise DomainError("Select the Ombudsman's decision")
    if values.get("complied_on") and not values.get("compliance_due_on"):
        raise DomainError("Enter the date the council must comply by")
    before = audit.snapshot(referral, LGSCO_FIELDS) if referral is not None else None
    if referral is None:
        referral = LgscoReferral(submission_id=submission.id, referred_on=referred_on)
        db.session.add(referral)
    for name in LGSCO_FIELDS:
        if name in values:
            value = values[name]
            setattr(referral, name, value.strip() or None if isinstance(value, str) else value)
    if not referral.stage_reached and submission.current_stage is not None:
        referral.stage_reached = StageName(submission.current_stage).value
    db.session.flush()
    audit.record(
        "lgsco.saved",
        "lgsco_referral",
        referral.id,
        actor_id=actor_id,
        submission_id=submission.id,
        before=before,
        after=audit.snapshot(referral, LGSCO_FIELDS),
    )
    return referral


REMEDY_FIELDS = ("kind", "amount", "payee", "approved_by", "offered_on", "accepted", "paid_on")


@transactional
def add_remedy(submission: Submission, *, values: dict[str, Any], actor_id: int | None, today: date) -> Remedy:
    """A remedy offered (apology, service, payment with its amount). Money is Decimal pounds and pence."""
    from decimal import Decimal

    amount = values.get("amount")
    amount = Decimal(amount).quantize(Decimal("0.01")) if amount is not None else None
    rules.check_remedy(values.get("kind") or "", amount)
    for key in ("offered_on", "paid_on"):
        if values.get(key) is not None:
            rules.check_not_future(values[key], today, "The date")
    if values.get("accepted") not in (None, "", "yes", "no", "unknown"):
        raise DomainError("Select whether the remedy was accepted")
    stage = current_stage(submission)
    remedy = Remedy(
        submission_id=submission.id,
        stage_id=stage.id if stage is not None else None,
        kind=values["kind"],
        amount=amount,
        payee=(values.get("payee") or "").strip() or None,
        approved_by=(values.get("approved_by") or "").strip() or None,
        offered_on=values.get("offered_on"),
        accepted=values.get("accepted") or None,
        paid_on=values.get("paid_on"),
    )
    db.session.add(remedy)
    db.session.flush()
    audit.record(
        "remedy.added",
        "remedy",
        remedy.id,
        actor_id=actor_id,
        submission_id=submission.id,
        after=audit.snapshot(remedy, REMEDY_FIELDS),
    )
    return remedy


# --- learning actions -----------------------------------------------------------------------------------------------

LEARNING_FIELDS = (
    "root_cause",
    "category",
    "description",
    "responsible_officer",
    "responsible_officer_id",
    "team_id",
    "due_on",
    "status",
    "evidence",
    "completed_on",
)


@transactional
def save_learning_action(
    submission: Submission | None,
    action: LearningAction | None,
    *,
    values: dict[str, Any],
    actor_id: int | None,
    today: date,
) -> LearningAction:
    """Create or update a promised action (the complaint monitoring and learning form). Completing an action
    needs evidence and a completion date."""
    from portal.domain.enums import LearningCategory

    category = values.get("category")
    if category not in {c.value for c in LearningCategory}:
        raise DomainError("Select the category of learning")
    if not (values.get("description") or "").strip():
        raise DomainError("Enter what will be done")
    if not ((values.get("responsible_officer") or "").strip() or values.get("responsible_officer_id")):
        raise DomainError("Enter the responsible officer")
    status = values.get("status") or LearningStatus.OPEN.value
    if status not in {s.value for s in LearningStatus}:
        raise DomainError("Select the status")
    if status == LearningStatus.COMPLETED.value:
        if not (values.get("evidence") or "").strip():
            raise DomainError("Enter the evidence that the action was completed")
        if values.get("completed_on") is None:
            raise DomainError("Enter the date the action was completed")
        rules.check_not_future(values["completed_on"], today, "The completion date")
    elif values.get("completed_on") is not None:
        raise DomainError("Only a completed action has a completion date")
    if action is None and values.get("due_on") is None:
        raise DomainError("Enter the date the action is due")
    before = audit.snapshot(action, LEARNING_FIELDS) if action is not None else None
    if action is None:
        stage = current_stage(submission) if submission is not None else None
        action = LearningAction(
            submission_id=submission.id if submission is not None else None,
            stage_id=stage.id if stage is not None else None,
            team_id=submission.team_id if submission is not None else None,
            category=category,
            description="",
        )
        db.session.add(action)
    for name in LEARNING_FIELDS:
        if name in values:
            value = values[name]
            setattr(action, name, (value.strip() or None) if isinstance(value, str) else value)
    action.status = status
    db.session.flush()
    audit.record(
        "learning.saved" if before else "learning.created",
        "learning_action",
        action.id,
        actor_id=actor_id,
        submission_id=action.submission_id,
        before=before,
        after=audit.snapshot(action, LEARNING_FIELDS),
    )
    return action


# --- the case panel -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    due_on: date
    status: Any  # portal.domain.deadlines.DeadlineStatus


class PanelCode(StrEnum):
    """The lifecycle actions the case panel offers. The staff views map each code to its page."""

    ACKNOWLEDGE = "acknowledge"
    ACCEPT = "accept"
    DECLINE = "decline"
    POINTS = "points"
    EXTEND = "extend"
    RESPOND = "respond"
    INVESTIGATION = "investigation"
    PANEL = "panel"
    COSTS = "costs"
    ESCALATE = "escalate"
    CLOSE = "close"
    LEARNING = "learning"
    ADR = "adr"
    REMEDY = "remedy"
    LGSCO = "lgsco"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class PanelAction:
    code: PanelCode
    label: str
    stage_id: int | None = None  # set for actions on a stage
    warning: bool = False


@dataclass
class StagePanel:
    record: StageRecord
    label: str
    status_label: str
    deadlines: list[DeadlineRow]
    max_due_on: date | None
    is_current: bool
    learning_prompt: bool


@dataclass
class CasePanel:
    submission: Submission
    stages: list[StagePanel]
    actions: list[PanelAction]
    escalation: EscalationOption | None
    learning_actions: list[LearningAction]
    open_learning: int
    adr_sessions: list[AdrSession]
    lgsco_referrals: list[LgscoReferral]
    remedies: list[Remedy]
    procedure_name: str | None = None
    remedy_amount_missing: bool = False
    messages: list[Any] = field(default_factory=list)
    writes_by_post: bool = False
    refusal_warning: str = rules.REFUSAL_WARNING
    remedy_kinds: dict[str, str] = field(default_factory=lambda: dict(rules.REMEDY_KINDS))

    @property
    def current(self) -> StagePanel | None:
        return self.stages[-1] if self.stages else None


STAGE_STATUS_LABELS = {
    StageStatus.REQUESTED.value: "Requested",
    StageStatus.DECLINED.value: "Refused",
    StageStatus.OPEN.value: "Open",
    StageStatus.RESPONDED.value: "Responded",
    StageStatus.CLOSED.value: "Completed",
    StageStatus.WITHDRAWN.value: "Withdrawn",
}


def _deadlines(stage: StageRecord, today: date, calendar: Any) -> list[DeadlineRow]:
    from portal.domain.deadlines import deadline_status

    rows: list[DeadlineRow] = []
    # A stage that is no longer running shows only the deadlines it met or missed.
    stopped = stage.status not in (StageStatus.OPEN.value, StageStatus.REQUESTED.value)

    def add(label: str, due: date | None, done: date | None) -> None:
        if due is None or (stopped and done is None):
            return
        try:
            status = deadline_status(today, due, calendar, done_on=done)
        except CalendarCoverageError:
            status = None
        rows.append(DeadlineRow(label, due, status))

    add("Acknowledgement", stage.acknowledge_due_on, stage.acknowledged_on)
    if stage.stage == StageName.STAGE3.value:
        add("Review panel meets", stage.panel_due_on, stage.panel_on)
        add("Panel findings", stage.findings_due_on, stage.findings_on)
        add("Final response", stage.due_on, stage.responded_on)
    else:
        add("Response", stage.due_on, stage.responded_on)
    return rows


def case_panel(submission: Submission, user: Any, today: date) -> CasePanel:
    """Everything the case page shows about the procedure: stages, their deadlines (with text tags), and the
    lifecycle actions this user may take now."""
    role = Role(user.role)
    stages: list[StagePanel] = []
    current = current_stage(submission)
    for stage in submission.stages:
        procedure = Procedure(stage.procedure)
        calendar = calendar_for(procedure)
        try:
            max_due = stage_dates(stage).max_due_on
        except DomainError:
            max_due = None
        stages.append(
            StagePanel(
                record=stage,
                label=rules.stage_label(stage.stage),
                status_label=STAGE_STATUS_LABELS.get(stage.status, stage.status),
                deadlines=_deadlines(stage, today, calendar),
                max_due_on=max_due,
                is_current=stage is current,
                learning_prompt=rules.prompts_learning(stage.outcome),
            )
        )
    learning = list(
        db.session.scalars(
            sa.select(LearningAction).where(LearningAction.submission_id == submission.id).order_by(LearningAction.id)
        )
    )
    open_count = sum(1 for a in learning if a.status in OPEN_LEARNING)
    panel = CasePanel(
        submission=submission,
        stages=stages,
        actions=[],
        escalation=escalation_option(submission, today) if current is not None else None,
        learning_actions=learning,
        open_learning=open_count,
        adr_sessions=list(
            db.session.scalars(
                sa.select(AdrSession).where(AdrSession.submission_id == submission.id).order_by(AdrSession.held_on)
            )
        ),
        lgsco_referrals=list(
            db.session.scalars(
                sa.select(LgscoReferral)
                .where(LgscoReferral.submission_id == submission.id)
                .order_by(LgscoReferral.referred_on)
            )
        ),
        remedies=list(
            db.session.scalars(sa.select(Remedy).where(Remedy.submission_id == submission.id).order_by(Remedy.id))
        ),
    )
    panel.actions = _actions(submission, current, role)
    from portal.models import OutboxMessage
    from portal.services.messages import complainant_destination

    panel.messages = list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.submission_id == submission.id)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )
    panel.writes_by_post = submission.person is not None and complainant_destination(submission) is None
    panel.remedy_amount_missing = any(
        rules.outcome_needs_amount(c.label) for c in submission.actual_outcomes
    ) and not any(r.amount for r in panel.remedies)
    if submission.procedure is not None:
        panel.procedure_name = db.session.scalar(
            sa.select(ProcedureProfile.name).where(ProcedureProfile.code == submission.procedure)
        )
    return panel


def _actions(submission: Submission, stage: StageRecord | None, role: Role) -> list[PanelAction]:
    """The lifecycle actions this role may take on this complaint now, as codes (the views turn them into links)."""
    if not can(role, Action.RESPOND) or submission.kind != SubmissionKind.COMPLAINT:
        return []
    status = SubmissionStatus(submission.status)

    def allowed(action: rules.Action) -> bool:
        return rules.transition_allowed(status, stage.status if stage is not None else None, action)

    actions: list[PanelAction] = []
    if stage is not None:
        actions += _stage_actions(stage, role, allowed)
        actions += _case_actions(stage, role, status, allowed)
    change = can(role, Action.CHANGE_LIFECYCLE)
    if change and allowed(rules.Action.REOPEN):
        actions.append(PanelAction(PanelCode.REOPEN, "Reopen the complaint"))
    if change and allowed(rules.Action.WITHDRAW):
        actions.append(PanelAction(PanelCode.WITHDRAW, "Record a withdrawal"))
    return actions


def _can_extend(stage: StageRecord) -> bool:
    try:
        return stage_dates(stage).max_due_on is not None
    except DomainError:
        return False


def _stage_actions(stage: StageRecord, role: Role, allowed: Callable[[rules.Action], bool]) -> list[PanelAction]:
    """Actions on the current stage (their links name the stage)."""
    change = can(role, Action.CHANGE_LIFECYCLE)
    label = rules.stage_label(stage.stage)
    following = rules.next_stage(Procedure(stage.procedure), StageName(stage.stage))
    answered = stage.status != StageStatus.OPEN.value or stage.stage == StageName.FRONTLINE.value
    stage2, stage3 = stage.stage == StageName.STAGE2.value, stage.stage == StageName.STAGE3.value
    offers: list[tuple[bool, PanelCode, str]] = [
        (
            change and allowed(rules.Action.ACKNOWLEDGE) and stage.acknowledged_on is None,
            PanelCode.ACKNOWLEDGE,
            "Record acknowledgement",
        ),
        (change and allowed(rules.Action.ACCEPT_ESCALATION), PanelCode.ACCEPT, f"Accept the request for {label}"),
        (
            can(role, Action.REFUSE_ESCALATION) and allowed(rules.Action.DECLINE_ESCALATION),
            PanelCode.DECLINE,
            "Refuse the request",
        ),
        (
            stage.status in (StageStatus.OPEN.value, StageStatus.REQUESTED.value),
            PanelCode.POINTS,
            "Complaint points and findings",
        ),
        (change and allowed(rules.Action.EXTEND) and _can_extend(stage), PanelCode.EXTEND, "Extend the deadline"),
        (allowed(rules.Action.RECORD_RESPONSE), PanelCode.RESPOND, "Record the response"),
        (change and stage2, PanelCode.INVESTIGATION, "Investigation: people and dates"),
        (change and stage3, PanelCode.PANEL, "Review panel"),
        (change and (stage2 or stage3), PanelCode.COSTS, "Costs"),
    ]
    actions = [
        PanelAction(code, text, stage.id, warning=code == PanelCode.DECLINE)
        for offered, code, text in offers
        if offered
    ]
    if change and following is not None and answered and allowed(rules.Action.REQUEST_ESCALATION):
        actions.append(
            PanelAction(PanelCode.ESCALATE, f"Record a request for {rules.stage_label(following)}", stage.id)
        )
    return actions


def _case_actions(
    stage: StageRecord, role: Role, status: SubmissionStatus, allowed: Callable[[rules.Action], bool]
) -> list[PanelAction]:
    """Actions on the complaint as a whole (their links name only the case)."""
    change = can(role, Action.CHANGE_LIFECYCLE)
    actions: list[PanelAction] = []
    if change and allowed(rules.Action.CLOSE):
        actions.append(PanelAction(PanelCode.CLOSE, "Close the complaint"))
    if status in (SubmissionStatus.OPEN, SubmissionStatus.CLOSED):
        if can(role, Action.MANAGE_LEARNING):
            actions.append(PanelAction(PanelCode.LEARNING, "Add a learning action"))
        if rules.is_first_stage(StageName(stage.stage)) or stage.status == StageStatus.REQUESTED.value:
            actions.append(PanelAction(PanelCode.ADR, "Record alternative dispute resolution"))
    if change:
        actions.append(PanelAction(PanelCode.REMEDY, "Record a remedy"))
        actions.append(PanelAction(PanelCode.LGSCO, "Record an Ombudsman enquiry"))
    return actions
