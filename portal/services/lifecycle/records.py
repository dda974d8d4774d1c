"""A stage record's dates, locking and audit: the helpers every lifecycle use-case shares."""

from __future__ import annotations

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
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import (
    AdrSession,
    LearningAction,
    ProcedureProfile,
    StageRecord,
    Submission,
)
from portal.services import audit
from portal.services.calendar import calendar_for, calendar_version
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


def actor_label(source: str, actor_id: int | None) -> str:
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


def stage_facts(stage: StageRecord) -> rules.StageFacts:
    return rules.StageFacts(
        stage=StageName(stage.stage),
        requested_on=requested_on(stage),
        acknowledged_on=stage.acknowledged_on,
        statement_agreed_on=stage.statement_agreed_on,
        panel_on=stage.panel_on,
        findings_on=stage.findings_on,
    )


def requested_on(stage: StageRecord) -> date:
    """The date the stage was asked for (or the complaint received): every stage is created with it."""
    if stage.requested_on is None:
        raise DomainError(f"{rules.stage_label(stage.stage)} has no date it was asked for")
    return stage.requested_on


def started_on(stage: StageRecord) -> date:
    """The date the stage's clock started (its request date until the dates are worked out)."""
    return stage.started_on or requested_on(stage)


def stage_dates(stage: StageRecord) -> rules.StageDates:
    procedure = Procedure(stage.procedure)
    return rules.compute_stage_dates(stage_facts(stage), timescales_for(procedure), calendar_for(procedure))


def apply_dates(stage: StageRecord) -> dict[str, Any]:
    """(Re)compute a stage's stored due dates. An agreed extension date is kept. Returns the changes made."""
    before = audit.snapshot(stage, STAGE_AUDIT_FIELDS)
    procedure = Procedure(stage.procedure)
    calendar = calendar_for(procedure)
    dates = rules.compute_stage_dates(stage_facts(stage), timescales_for(procedure), calendar)
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


def procedure_profile(procedure: Procedure) -> ProcedureProfile:
    profile = db.session.scalar(sa.select(ProcedureProfile).where(ProcedureProfile.code == procedure))
    if profile is None:
        raise DomainError(f"The {procedure.value} procedure is not set up. Run `flask --app wsgi init-data`.")
    if not profile.enabled:
        raise DomainError(f"{profile.name} is not used by this council. A complaints manager can turn it on.")
    return profile


def audit_stage(action: str, stage: StageRecord, *, actor_id: int | None, label: str, **changes: Any) -> None:
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
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LearningAction)
        .where(LearningAction.submission_id == submission.id, LearningAction.status.in_(OPEN_LEARNING))
    )
    return count or 0


def _last_adr_on(submission: Submission) -> date | None:
    return db.session.scalar(
        sa.select(sa.func.max(AdrSession.held_on)).where(AdrSession.submission_id == submission.id)
    )


def escalation_facts(submission: Submission, stage: StageRecord) -> rules.EscalationFacts:
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
