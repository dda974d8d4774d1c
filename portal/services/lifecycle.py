"""Use-cases of the complaint lifecycle: open the first stage, acknowledge, extend, respond, escalate, decline,
close, reopen and withdraw, with every due date computed from the stored timescales and stored on the stage.

The rules live in portal.domain.lifecycle; this module loads the facts, applies the rules, writes the rows, the
audit events and the outbox messages in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.enums import (
    LearningStatus,
    Procedure,
    StageName,
    StageStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import AdrSession, CaseNote, LearningAction, ProcedureProfile, StageRecord, Submission
from portal.services import audit
from portal.services.calendar import calendar_for, calendar_version
from portal.services.messages import queue_for_complainant
from portal.services.timescales import timescales_for

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


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def _actor_label(source: str, actor_id: int | None) -> str:
    if source == "public":
        return "public"
    return "staff" if actor_id is not None else "system"


def current_stage(submission: Submission) -> StageRecord | None:
    return submission.stages[-1] if submission.stages else None


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
    if submission.status == SubmissionStatus.OPEN:
        submission.next_due_on = _running_due(stage)
        if stage.acknowledged_on is None and stage.status in (StageStatus.OPEN.value, StageStatus.REQUESTED.value):
            submission.acknowledge_due_on = stage.acknowledge_due_on
    else:
        submission.next_due_on = None
    first = submission.stages[0]
    if first.acknowledged_on is not None and submission.acknowledged_on is None:
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


def open_first_stage(
    submission: Submission, *, procedure: Procedure, actor_id: int | None, today: date, commit: bool = True
) -> StageRecord:
    """Start Stage 1 (or corporate stage 1, or Scotland's frontline stage) from the date the complaint was received."""
    procedure = Procedure(procedure)
    _profile(procedure)
    if submission.kind != SubmissionKind.COMPLAINT:
        raise DomainError("Only a complaint can start a complaints procedure")
    if submission.stages:
        raise DomainError("This complaint has already started its procedure")
    if submission.status in (SubmissionStatus.CLOSED, SubmissionStatus.WITHDRAWN, SubmissionStatus.REFUSED):
        raise DomainError(f"A {submission.status.value} complaint cannot start a stage; reopen it first")
    if submission.received_on > today:
        raise DomainError("The complaint's date of receipt is in the future")
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
    if stage.acknowledged_on is None:
        submission.acknowledge_due_on = stage.acknowledge_due_on
    db.session.flush()
    _audit_stage(
        "stage.opened",
        stage,
        actor_id=actor_id,
        label=_actor_label("staff", actor_id),
        after={"procedure": procedure, "stage": stage.stage, **audit.snapshot(stage, STAGE_AUDIT_FIELDS)},
    )
    _finish(commit)
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


def request_escalation(
    submission: Submission,
    *,
    requested_on: date,
    source: str,
    actor_id: int | None,
    reason: str | None = None,
    commit: bool = True,
) -> StageRecord:
    """Record a request for the next stage (from the public tracking page or from staff). The new stage starts as
    'requested'; staff then accept it or, with a complaints manager's sign-off, refuse it."""
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
    _finish(commit)
    return new_stage


def withdraw(
    submission: Submission,
    *,
    on: date,
    reason: str,
    source: str,
    actor_id: int | None,
    commit: bool = True,
    today: date | None = None,
) -> None:
    """The complainant withdraws, at any point. The running stage stops; its record stays for the reports."""
    from portal.services.clock import today_london

    rules.check_case_status(submission.status, rules.Action.WITHDRAW)
    rules.check_withdraw(on=on, reason=reason, received_on=submission.received_on, today=today or today_london())
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
    _finish(commit)
