"""The advocacy queue: requests filtered and paged, with their next deadline, and the summary counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.domain.deadlines import DeadlineStatus, deadline_status
from portal.domain.enums import (
    AdvocacyStatus,
    Procedure,
    SubmissionKind,
)
from portal.domain.workdays import WorkingDayCalendar
from portal.extensions import db
from portal.models import AdvocacyRequest, Child, Submission
from portal.services.calendar import calendar_for


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"  # "open" | "closed" | "all" | an AdvocacyStatus value
    advocate: str = "any"  # "any" | "me" | "unallocated"
    text: str | None = None


@dataclass(frozen=True)
class QueueRow:
    submission: Submission
    request: AdvocacyRequest
    contact: DeadlineStatus | None
    allocate: DeadlineStatus | None


@dataclass(frozen=True)
class QueueSummary:
    by_status: dict[AdvocacyStatus, int]
    allocation_overdue: int
    contact_overdue: int


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    page: int
    pages: int
    total: int
    per_page: int
    summary: QueueSummary


def deadline_for(
    due_on: date | None, done_on: date | None, today: date, calendar: WorkingDayCalendar | None = None
) -> DeadlineStatus | None:
    """A target's status in the advocacy calendar. 'Due soon' means one working day left: the targets are short."""
    if due_on is None:
        return None
    calendar = calendar or calendar_for(Procedure.ADVOCACY)
    return deadline_status(today, due_on, calendar, done_on=done_on, due_soon_within=1)


def queue_page(filters: QueueFilters, *, user_id: int, today: date, page: int = 1, per_page: int = 25) -> QueuePage:
    query = (
        sa.select(Submission, AdvocacyRequest)
        .join(AdvocacyRequest, AdvocacyRequest.submission_id == Submission.id)
        .where(Submission.kind == SubmissionKind.ADVOCACY)
    )
    if filters.status == "open":
        query = query.where(AdvocacyRequest.status != AdvocacyStatus.CLOSED)
    elif filters.status == "closed":
        query = query.where(AdvocacyRequest.status == AdvocacyStatus.CLOSED)
    elif filters.status in {s.value for s in AdvocacyStatus}:
        query = query.where(AdvocacyRequest.status == AdvocacyStatus(filters.status))
    if filters.advocate == "me":
        query = query.where(AdvocacyRequest.advocate_id == user_id)
    elif filters.advocate == "unallocated":
        query = query.where(AdvocacyRequest.advocate_id.is_(None))
    if filters.text:
        needle = f"%{filters.text.strip().lower()}%"
        query = query.outerjoin(Child, Child.id == Submission.child_id).where(
            sa.or_(sa.func.lower(Submission.reference).like(needle), sa.func.lower(Child.full_name).like(needle))
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    # Most urgent first: the earliest unmet target, then the date help is needed by, then the oldest.
    result = db.session.execute(
        query.options(selectinload(Submission.child), selectinload(AdvocacyRequest.advocate))
        .order_by(
            Submission.next_due_on.is_(None),
            Submission.next_due_on,
            AdvocacyRequest.needed_by.is_(None),
            AdvocacyRequest.needed_by,
            Submission.received_on,
            Submission.id,
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    calendar = calendar_for(Procedure.ADVOCACY)
    rows = [
        QueueRow(
            submission=s,
            request=r,
            contact=deadline_for(r.contact_due_on, r.contacted_on, today, calendar)
            if r.status != AdvocacyStatus.CLOSED or r.contacted_on
            else None,
            allocate=deadline_for(r.allocate_due_on, r.allocated_on, today, calendar)
            if r.status != AdvocacyStatus.CLOSED or r.allocated_on
            else None,
        )
        for s, r in result
    ]
    return QueuePage(rows=rows, page=page, pages=pages, total=total, per_page=per_page, summary=queue_summary(today))


def queue_summary(today: date) -> QueueSummary:
    """Open requests by state, and how many have missed their allocation or contact target."""
    by_status = dict(
        db.session.execute(
            sa.select(AdvocacyRequest.status, sa.func.count())
            .where(AdvocacyRequest.status != AdvocacyStatus.CLOSED)
            .group_by(AdvocacyRequest.status)
        ).all()
    )
    still_open = AdvocacyRequest.status != AdvocacyStatus.CLOSED
    allocation_overdue = db.session.scalar(
        sa.select(sa.func.count()).where(
            still_open, AdvocacyRequest.allocated_on.is_(None), AdvocacyRequest.allocate_due_on < today
        )
    )
    contact_overdue = db.session.scalar(
        sa.select(sa.func.count()).where(
            still_open, AdvocacyRequest.contacted_on.is_(None), AdvocacyRequest.contact_due_on < today
        )
    )
    return QueueSummary(
        by_status={s: by_status.get(s, 0) for s in AdvocacyStatus if s != AdvocacyStatus.CLOSED},
        allocation_overdue=allocation_overdue or 0,
        contact_overdue=contact_overdue or 0,
    )
