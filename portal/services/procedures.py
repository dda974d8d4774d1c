"""Procedure settings as data: which procedures a council uses, their timescales and closure days. Every change
recomputes the due dates of running stages, with an audit event for each stage whose dates moved."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.enums import Procedure, StageStatus, SubmissionStatus
from portal.extensions import db
from portal.models import ClosureDay, ProcedureProfile, StageRecord, Submission, Timescale
from portal.services import audit
from portal.services.lifecycle import apply_dates, sync_submission
from portal.services.uow import transactional

RUNNING = (StageStatus.OPEN.value, StageStatus.REQUESTED.value)


def profiles() -> list[ProcedureProfile]:
    return list(db.session.scalars(sa.select(ProcedureProfile).order_by(ProcedureProfile.id)))


def profile(code: str) -> ProcedureProfile | None:
    try:
        procedure = Procedure(code)
    except ValueError:
        return None
    return db.session.scalar(sa.select(ProcedureProfile).where(ProcedureProfile.code == procedure))


def closure_days() -> list[ClosureDay]:
    return list(db.session.scalars(sa.select(ClosureDay).order_by(ClosureDay.day)))


@transactional
def recompute_open_stages(*, actor_id: int | None, procedure: Procedure | None = None) -> int:
    """Recompute the stored due dates of every running stage (optionally of one procedure). Returns how many
    stages changed; each change is audited with the dates before and after."""
    stmt = (
        sa.select(StageRecord)
        .join(Submission, Submission.id == StageRecord.submission_id)
        .where(StageRecord.status.in_(RUNNING), Submission.status == SubmissionStatus.OPEN)
        .order_by(StageRecord.id)
    )
    if procedure is not None:
        stmt = stmt.where(StageRecord.procedure == procedure)
    changed = 0
    for stage in db.session.scalars(stmt):
        changes = apply_dates(stage)
        if changes["after"]:
            changed += 1
            sync_submission(stage.submission)
            audit.record(
                "stage.deadlines_recomputed",
                "stage_record",
                stage.id,
                actor_id=actor_id,
                actor_label="staff" if actor_id else "system",
                submission_id=stage.submission_id,
                before=changes["before"],
                after=changes["after"],
            )
    return changed


@transactional
def update_profile(item: ProcedureProfile, *, enabled: bool, honours_closure_days: bool, actor_id: int | None) -> int:
    before = audit.snapshot(item, ("enabled", "honours_closure_days"))
    item.enabled = enabled
    item.honours_closure_days = honours_closure_days
    after = audit.snapshot(item, ("enabled", "honours_closure_days"))
    audit.record("procedure.updated", "procedure_profile", item.id, actor_id=actor_id, before=before, after=after)
    db.session.flush()
    return recompute_open_stages(actor_id=actor_id, procedure=Procedure(item.code))


@transactional
def update_timescale(
    timescale: Timescale, *, working_days: int | None, text_value: str | None, actor_id: int | None
) -> int:
    """Change one number (or the Stage 2 clock setting) and recompute the running stages of that procedure."""
    rules.check_timescale_value(timescale.key, working_days, text_value)
    values: dict[str, Any] = {
        t.key: (t.text_value if t.text_value is not None else t.working_days) for t in timescale.profile.timescales
    }
    values[timescale.key] = text_value if timescale.key.endswith(".clock_from") else working_days
    rules.check_timescales(values)
    before = audit.snapshot(timescale, ("key", "working_days", "text_value"))
    if timescale.key.endswith(".clock_from"):
        timescale.text_value = text_value
    else:
        timescale.working_days = working_days
    audit.record(
        "timescale.updated",
        "timescale",
        timescale.id,
        actor_id=actor_id,
        before=before,
        after=audit.snapshot(timescale, ("key", "working_days", "text_value")),
    )
    db.session.flush()
    return recompute_open_stages(actor_id=actor_id, procedure=Procedure(timescale.profile.code))


def _procedures_honouring_closures() -> list[Procedure]:
    return [
        Procedure(code)
        for code in db.session.scalars(
            sa.select(ProcedureProfile.code).where(ProcedureProfile.honours_closure_days.is_(True))
        )
    ]


@transactional
def add_closure_day(*, day: date, description: str, actor_id: int | None) -> int:
    if not description.strip():
        raise DomainError("Enter what the closure is")
    if db.session.scalar(sa.select(ClosureDay.id).where(ClosureDay.day == day)) is not None:
        raise DomainError("That day is already a closure day")
    if day.weekday() >= 5:
        raise DomainError("That day is a weekend, which never counts as a working day")
    closure = ClosureDay(day=day, description=description.strip())
    db.session.add(closure)
    db.session.flush()
    audit.record("closure_day.added", "closure_day", closure.id, actor_id=actor_id, after={"day": day})
    changed = 0
    for procedure in _procedures_honouring_closures():
        changed += recompute_open_stages(actor_id=actor_id, procedure=procedure)
    return changed


@transactional
def remove_closure_day(closure: ClosureDay, *, actor_id: int | None) -> int:
    audit.record("closure_day.removed", "closure_day", closure.id, actor_id=actor_id, before={"day": closure.day})
    db.session.delete(closure)
    db.session.flush()
    changed = 0
    for procedure in _procedures_honouring_closures():
        changed += recompute_open_stages(actor_id=actor_id, procedure=procedure)
    return changed
