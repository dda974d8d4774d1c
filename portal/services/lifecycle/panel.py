"""The procedure panel of the case page: the stages with their deadlines, the records beside them, and the lifecycle
actions the user's role may take now, as codes (the staff views turn codes into links)."""

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
from portal.domain.deadlines import deadline_status
from portal.domain.enums import (
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
    LearningAction,
    LgscoReferral,
    OutboxMessage,
    ProcedureProfile,
    Remedy,
    StageRecord,
    Submission,
)
from portal.services.calendar import calendar_for
from portal.services.lifecycle.records import OPEN_LEARNING, current_stage, stage_dates
from portal.services.lifecycle.stages import EscalationOption, escalation_option
from portal.services.messages import complainant_destination


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
