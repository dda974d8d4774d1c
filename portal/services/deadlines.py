"""The deadlines dashboard and the learning register: plain SQL over the due dates stored on stages, submissions
and learning actions (no working-day arithmetic at query time except for the text of each tag)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.domain.access import CaseScope, case_scope
from portal.domain.deadlines import DeadlineStatus, deadline_status
from portal.domain.enums import LearningStatus, Procedure, StageStatus, SubmissionKind, SubmissionStatus
from portal.domain.lifecycle import stage_label
from portal.domain.workdays import CalendarCoverageError
from portal.extensions import db
from portal.models import LearningAction, StaffUser, StageRecord, Submission, Team, staff_user_team
from portal.services.calendar import calendar_for

OPEN_STAGE = (StageStatus.OPEN.value, StageStatus.REQUESTED.value)
OPEN_LEARNING = (LearningStatus.OPEN.value, LearningStatus.IN_PROGRESS.value)
KIND_LABELS = {"response": "Stage response", "acknowledgement": "Acknowledgement", "learning": "Learning action"}


@dataclass(frozen=True)
class DeadlineItem:
    kind: str  # response | acknowledgement | learning
    what: str
    due_on: date
    case_id: int | None
    reference: str | None
    team_id: int | None
    team: str | None
    officer_id: int | None
    officer: str | None
    status: DeadlineStatus | None
    action_id: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Dashboard:
    today: date
    week_end: date
    overdue: list[DeadlineItem] = field(default_factory=list)
    due_today: list[DeadlineItem] = field(default_factory=list)
    due_this_week: list[DeadlineItem] = field(default_factory=list)
    by_team: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, overdue, today, this week
    by_officer: list[tuple[str, int, int, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.due_this_week)


def safe_status(today: date, due: date, calendar: Any, done_on: date | None = None) -> DeadlineStatus | None:
    """The deadline tag, or None when a date lies beyond the bank-holiday data (the date is still shown)."""
    try:
        return deadline_status(today, due, calendar, done_on=done_on)
    except CalendarCoverageError:
        return None


def week_end(today: date) -> date:
    """The Sunday that ends this week."""
    return today + timedelta(days=6 - today.weekday())


def _scope(stmt: sa.Select, user: Any) -> sa.Select:
    """Responding managers see their teams' cases and cases assigned to them; casework-wide roles see all."""
    scope = case_scope(user.role)
    if scope == CaseScope.ALL:
        return stmt
    if scope == CaseScope.TEAM:
        team_ids = sa.select(staff_user_team.c.team_id).where(staff_user_team.c.staff_user_id == user.id)
        return stmt.where(sa.or_(Submission.team_id.in_(team_ids), Submission.responding_manager_id == user.id))
    return stmt.where(sa.false())


def _filters(stmt: sa.Select, team_id: int | None, officer_id: int | None, officer_col: Any) -> sa.Select:
    if team_id is not None:
        stmt = stmt.where(Submission.team_id == team_id)
    if officer_id is not None:
        stmt = stmt.where(officer_col == officer_id)
    return stmt


@dataclass
class _Search:
    """One deadlines question: whose cases, due by when, for which team or officer."""

    user: Any
    today: date
    until: date
    team_id: int | None
    officer_id: int | None
    calendars: dict[Any, Any] = field(default_factory=dict)

    def status_of(self, procedure: Any, due: date) -> DeadlineStatus | None:
        key = Procedure(procedure) if procedure else None
        if key not in self.calendars:
            self.calendars[key] = calendar_for(key)
        return safe_status(self.today, due, self.calendars[key])


def deadline_items(
    user: Any, today: date, *, until: date, team_id: int | None = None, officer_id: int | None = None
) -> list[DeadlineItem]:
    """Every open deadline due on or before `until`, for the cases this user may see."""
    search = _Search(user, today, until, team_id, officer_id)
    items = [*_stage_items(search), *_untriaged_items(search), *_learning_items(search)]
    items.sort(key=lambda i: (i.due_on, i.reference or "", i.kind))
    return items


def _officer_of_case() -> Any:
    return sa.func.coalesce(Submission.responding_manager_id, Submission.assigned_officer_id)


def _stage_items(search: _Search) -> list[DeadlineItem]:
    """Responses (or a Stage 3 panel) and acknowledgements of running stages."""
    officer = aliased(StaffUser)
    officer_of_case = _officer_of_case()
    base = (
        sa.select(
            StageRecord,
            Submission.reference,
            Submission.id,
            Submission.team_id,
            Team.name,
            officer.id,
            officer.full_name,
        )
        .join(Submission, StageRecord.submission_id == Submission.id)
        .outerjoin(Team, Team.id == Submission.team_id)
        .outerjoin(officer, officer.id == officer_of_case)
        .where(StageRecord.status.in_(OPEN_STAGE), Submission.status == SubmissionStatus.OPEN)
    )
    base = _filters(_scope(base, search.user), search.team_id, search.officer_id, officer_of_case)
    items: list[DeadlineItem] = []
    until = search.until
    for stage, reference, case_id, team, team_name, off_id, off_name in db.session.execute(
        base.where(StageRecord.due_on <= until)
    ):
        due, what = _response_due(stage, until)
        if due is not None:
            status = search.status_of(stage.procedure, due)
            items.append(
                DeadlineItem("response", what, due, case_id, reference, team, team_name, off_id, off_name, status)
            )
    for stage, reference, case_id, team, team_name, off_id, off_name in db.session.execute(
        base.where(StageRecord.acknowledged_on.is_(None), StageRecord.acknowledge_due_on <= until)
    ):
        due = stage.acknowledge_due_on
        if due is not None:
            what = f"Acknowledge {stage_label(stage.stage)}"
            status = search.status_of(stage.procedure, due)
            items.append(
                DeadlineItem(
                    "acknowledgement", what, due, case_id, reference, team, team_name, off_id, off_name, status
                )
            )
    return items


def _response_due(stage: StageRecord, until: date) -> tuple[date | None, str]:
    """The date that matters for a running stage's answer: a Stage 3 panel first, then the response."""
    if stage.stage == "stage3" and stage.panel_on is None and stage.panel_due_on and stage.panel_due_on <= until:
        return stage.panel_due_on, "Stage 3 review panel"
    return stage.due_on, f"{stage_label(stage.stage)} response"


def _untriaged_items(search: _Search) -> list[DeadlineItem]:
    """New contacts not yet triaged into a stage still have an acknowledgement date."""
    officer = aliased(StaffUser)
    officer_of_case = _officer_of_case()
    untriaged = (
        sa.select(Submission, Team.name, officer.id, officer.full_name)
        .outerjoin(Team, Team.id == Submission.team_id)
        .outerjoin(officer, officer.id == officer_of_case)
        .where(
            Submission.kind == SubmissionKind.COMPLAINT,
            Submission.status.in_([SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION]),
            Submission.acknowledged_on.is_(None),
            Submission.acknowledge_due_on <= search.until,
        )
    )
    untriaged = _filters(_scope(untriaged, search.user), search.team_id, search.officer_id, officer_of_case)
    items: list[DeadlineItem] = []
    for submission, team_name, off_id, off_name in db.session.execute(untriaged):
        due = submission.acknowledge_due_on
        if due is None:  # the query asked for a date; this tells the type checker
            continue
        items.append(
            DeadlineItem(
                "acknowledgement",
                "Acknowledge new complaint",
                due,
                submission.id,
                submission.reference,
                submission.team_id,
                team_name,
                off_id,
                off_name,
                search.status_of(None, due),
            )
        )
    return items


def _learning_items(search: _Search) -> list[DeadlineItem]:
    owner = aliased(StaffUser)
    learning = (
        sa.select(LearningAction, Submission.reference, Team.name, owner.full_name)
        .outerjoin(Submission, Submission.id == LearningAction.submission_id)
        .outerjoin(Team, Team.id == LearningAction.team_id)
        .outerjoin(owner, owner.id == LearningAction.responsible_officer_id)
        .where(LearningAction.status.in_(OPEN_LEARNING), LearningAction.due_on <= search.until)
    )
    learning = _scope(learning, search.user)
    if search.team_id is not None:
        learning = learning.where(LearningAction.team_id == search.team_id)
    if search.officer_id is not None:
        learning = learning.where(LearningAction.responsible_officer_id == search.officer_id)
    items: list[DeadlineItem] = []
    for action, reference, team_name, owner_name in db.session.execute(learning):
        if action.due_on is None:
            continue
        items.append(
            DeadlineItem(
                "learning",
                action.description if len(action.description) <= 80 else action.description[:77] + "...",
                action.due_on,
                action.submission_id,
                reference,
                action.team_id,
                team_name,
                action.responsible_officer_id,
                owner_name or action.responsible_officer,
                search.status_of(None, action.due_on),
                action_id=action.id,
            )
        )
    return items


def dashboard(user: Any, today: date, *, team_id: int | None = None, officer_id: int | None = None) -> Dashboard:
    end = week_end(today)
    board = Dashboard(today=today, week_end=end)
    for item in deadline_items(user, today, until=end, team_id=team_id, officer_id=officer_id):
        if item.due_on < today:
            board.overdue.append(item)
        elif item.due_on == today:
            board.due_today.append(item)
        else:
            board.due_this_week.append(item)
    for attr, key in (("by_team", "team"), ("by_officer", "officer")):
        counts: dict[str, Counter] = {}
        for bucket in ("overdue", "due_today", "due_this_week"):
            for item in getattr(board, bucket):
                name = getattr(item, key) or ("No team" if key == "team" else "Not allocated")
                counts.setdefault(name, Counter())[bucket] += 1
        setattr(
            board,
            attr,
            sorted(
                ((n, c["overdue"], c["due_today"], c["due_this_week"]) for n, c in counts.items()),
                key=lambda row: (-row[1], -row[2], row[0]),
            ),
        )
    return board


# --- learning register ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    action: LearningAction
    reference: str | None
    team: str | None
    officer: str | None
    status: DeadlineStatus | None


def learning_register(
    user: Any,
    today: date,
    *,
    show: str = "open",
    team_id: int | None = None,
    officer: str | None = None,
    category: str | None = None,
) -> list[RegisterRow]:
    """Learning actions with filters: show = open | overdue | completed | all; by team, officer and category."""
    owner = aliased(StaffUser)
    stmt = (
        sa.select(LearningAction, Submission.reference, Team.name, owner.full_name)
        .outerjoin(Submission, Submission.id == LearningAction.submission_id)
        .outerjoin(Team, Team.id == LearningAction.team_id)
        .outerjoin(owner, owner.id == LearningAction.responsible_officer_id)
    )
    stmt = _scope(stmt, user)
    if show == "open":
        stmt = stmt.where(LearningAction.status.in_(OPEN_LEARNING))
    elif show == "overdue":
        stmt = stmt.where(LearningAction.status.in_(OPEN_LEARNING), LearningAction.due_on < today)
    elif show == "completed":
        stmt = stmt.where(LearningAction.status == LearningStatus.COMPLETED.value)
    if team_id is not None:
        stmt = stmt.where(LearningAction.team_id == team_id)
    if officer:
        pattern = f"%{officer.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(LearningAction.responsible_officer).like(pattern),
                sa.func.lower(owner.full_name).like(pattern),
            )
        )
    if category:
        stmt = stmt.where(LearningAction.category == category)
    stmt = stmt.order_by(LearningAction.due_on.is_(None), LearningAction.due_on, LearningAction.id)
    calendar = calendar_for(None)
    rows = []
    for action, reference, team_name, owner_name in db.session.execute(stmt):
        status = None
        if action.due_on is not None and action.status != LearningStatus.CANCELLED.value:
            status = safe_status(today, action.due_on, calendar, done_on=action.completed_on)
        rows.append(RegisterRow(action, reference, team_name, owner_name or action.responsible_officer, status))
    return rows
