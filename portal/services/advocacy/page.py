"""What the request page shows: the request, its linked complaint, the actions allowed now and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from portal.domain.advocacy import (
    AdvocacyAction,
    allowed_actions,
)
from portal.domain.deadlines import DeadlineStatus
from portal.domain.enums import (
    AdvocacyStatus,
)
from portal.extensions import db
from portal.models import AdvocacyRequest, AuditEvent, StaffUser, Submission
from portal.services.advocacy.queue import deadline_for
from portal.services.advocacy.records import request_of
from portal.services.cases import record_case_view


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    action: str
    actor: str


HISTORY_LABELS = {
    "advocacy.created_for_complaint": "Request created from the young person's complaint",
    "advocacy.requested": "Request received",
    "advocacy.allocate": "Advocate allocated",
    "advocacy.record_contact": "Contact with the young person recorded",
    "advocacy.start_work": "Advocacy work started",
    "advocacy.close": "Request closed",
    "advocacy.reopen": "Request reopened",
    "advocacy.reopen_reason": "Reason for reopening given",
    "advocacy.complaint_linked": "Complaint linked",
    "advocacy.complaint_unlinked": "Complaint unlinked",
    "advocacy.updated": "Details changed",
    "submission.created": "Request received",
}


@dataclass(frozen=True)
class RequestView:
    request: AdvocacyRequest
    contact: DeadlineStatus | None
    allocate: DeadlineStatus | None
    actions: list[AdvocacyAction]
    linked_complaint: Submission | None
    advocate: StaffUser | None
    history: list[HistoryEntry]


def request_view(submission: Submission, *, today: date, viewer: StaffUser | None = None) -> RequestView:
    """Everything the request page shows: targets with their status, what can be done next, and the history.
    With a `viewer`, the view is audited like every view of a case."""
    request = request_of(submission)
    if viewer is not None:
        record_case_view(submission, viewer, page="advocacy_request")
    closed = request.status == AdvocacyStatus.CLOSED
    events = db.session.execute(
        sa.select(AuditEvent.occurred_at, AuditEvent.action, AuditEvent.actor_label, StaffUser.full_name)
        .outerjoin(StaffUser, StaffUser.id == AuditEvent.actor_id)
        .where(AuditEvent.submission_id == submission.id, AuditEvent.action.in_(list(HISTORY_LABELS)))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    history = [
        HistoryEntry(occurred_at=at, action=HISTORY_LABELS[action], actor=name or label.capitalize())
        for at, action, label, name in events
    ]
    return RequestView(
        request=request,
        contact=None
        if closed and request.contacted_on is None
        else deadline_for(request.contact_due_on, request.contacted_on, today),
        allocate=None
        if closed and request.allocated_on is None
        else deadline_for(request.allocate_due_on, request.allocated_on, today),
        actions=allowed_actions(request.status, has_advocate=request.advocate_id is not None),
        linked_complaint=db.session.get(Submission, request.linked_complaint_id)
        if request.linked_complaint_id
        else None,
        advocate=db.session.get(StaffUser, request.advocate_id) if request.advocate_id else None,
        history=history,
    )
