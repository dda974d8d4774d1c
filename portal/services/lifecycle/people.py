"""Stage 2 and Stage 3 people: the Investigating Officer, Independent Person and Adjudicating Officer with their dates,
the costs of a stage, and the Stage 3 review panel (members and dates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.enums import (
    StageName,
    StageStatus,
)
from portal.extensions import db
from portal.models import (
    PanelMember,
    StageCost,
    StageRecord,
    Submission,
)
from portal.services import audit
from portal.services.lifecycle.records import apply_dates, audit_stage, requested_on, sync_submission
from portal.services.uow import transactional

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
    audit_stage("stage.investigation_updated", stage, actor_id=actor_id, label="staff", before=old, after=new)


def _sum_costs(stage: StageRecord) -> None:

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
    rules.check_panel_dates(requested_on=requested_on(stage), panel_on=panel_on, findings_on=findings_on, today=today)
    before = audit.snapshot(stage, ("panel_on", "findings_on"))
    stage.panel_on = panel_on
    stage.findings_on = findings_on
    dates = apply_dates(stage)
    sync_submission(stage.submission)
    audit_stage(
        "stage.panel_recorded",
        stage,
        actor_id=actor_id,
        label="staff",
        before={**before, **dates["before"]},
        after={**audit.snapshot(stage, ("panel_on", "findings_on")), **dates["after"]},
    )
