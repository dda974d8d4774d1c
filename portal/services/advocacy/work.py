"""The advocacy service's work on a request: allocate an advocate, record first contact, start the work, close and
reopen, and link the request to the complaint it helps with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.access import Action, can
from portal.domain.advocacy import (
    AdvocacyAction,
    DatedStep,
    allowed_actions,
    check_advocate_independent,
    check_outcome,
    check_step_date,
    next_status,
)
from portal.domain.enums import (
    AdvocacyOutcome,
    AdvocacyStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.references import normalise_reference
from portal.extensions import db
from portal.models import AdvocacyRequest, StaffUser, Submission
from portal.services import audit
from portal.services.advocacy.records import AUDIT_FIELDS, request_of, sync_next_due
from portal.services.uow import transactional
from portal.services.users import users_who_can


def _change(
    submission: Submission,
    action: AdvocacyAction,
    *,
    actor_id: int | None,
    apply: Callable[[AdvocacyRequest], None],
) -> AdvocacyRequest:
    request = request_of(submission)
    target = next_status(request.status, action, has_advocate=request.advocate_id is not None)
    before = audit.snapshot(request, AUDIT_FIELDS)
    apply(request)
    request.status = target
    sync_next_due(submission, request)
    db.session.flush()
    changed_before, changed_after = audit.changes(before, audit.snapshot(request, AUDIT_FIELDS))
    audit.record(
        f"advocacy.{action.value}",
        "advocacy_request",
        request.id,
        actor_id=actor_id,
        submission_id=submission.id,
        before=changed_before,
        after=changed_after,
    )
    return request


def advocate_choices() -> list[StaffUser]:
    return users_who_can(Action.ACT_AS_ADVOCATE)


@transactional
def allocate(
    submission: Submission,
    *,
    advocate_id: int,
    allocated_on: date,
    actor_id: int | None,
    today: date,
) -> AdvocacyRequest:
    """Allocate (or change) the advocate. The allocation date is kept from the first allocation."""
    advocate = db.session.get(StaffUser, advocate_id)
    if advocate is None or not can(advocate.role, Action.ACT_AS_ADVOCATE) or not advocate.active:
        raise DomainError("Select an advocate from the list.")
    request = request_of(submission)
    if request.advocate_id == advocate_id and request.status != AdvocacyStatus.NEW:
        raise DomainError(f"{advocate.full_name} is already the advocate.")
    check_step_date(
        DatedStep(on=allocated_on, received_on=submission.received_on, today=today), "the advocate was allocated"
    )
    _check_independent(advocate, request.linked_complaint_id)

    def apply(r: AdvocacyRequest) -> None:
        r.advocate_id = advocate_id
        if r.allocated_on is None or r.status == AdvocacyStatus.NEW:
            r.allocated_on = allocated_on

    return _change(submission, AdvocacyAction.ALLOCATE, actor_id=actor_id, apply=apply)


def _check_independent(advocate: StaffUser, complaint_id: int | None) -> None:
    complaint = db.session.get(Submission, complaint_id) if complaint_id is not None else None
    if complaint is None:
        return
    check_advocate_independent(
        advocate_id=advocate.id,
        advocate_team_ids={t.id for t in advocate.teams},
        complaint_team_id=complaint.team_id,
        complaint_staff_ids={
            i for i in (complaint.responding_manager_id, complaint.assigned_officer_id, complaint.created_by_id) if i
        },
    )


@transactional
def record_contact(submission: Submission, *, contacted_on: date, actor_id: int | None, today: date) -> AdvocacyRequest:
    request = request_of(submission)
    check_step_date(
        DatedStep(
            on=contacted_on,
            received_on=submission.received_on,
            today=today,
            earliest=request.allocated_on,
            earliest_label="the date the advocate was allocated",
        ),
        "of contact",
    )

    def apply(r: AdvocacyRequest) -> None:
        r.contacted_on = contacted_on

    return _change(submission, AdvocacyAction.RECORD_CONTACT, actor_id=actor_id, apply=apply)


@transactional
def start_work(submission: Submission, *, activated_on: date, actor_id: int | None, today: date) -> AdvocacyRequest:
    request = request_of(submission)
    check_step_date(
        DatedStep(
            on=activated_on,
            received_on=submission.received_on,
            today=today,
            earliest=request.contacted_on,
            earliest_label="the date of contact",
        ),
        "work started",
    )

    def apply(r: AdvocacyRequest) -> None:
        r.activated_on = activated_on

    return _change(submission, AdvocacyAction.START_WORK, actor_id=actor_id, apply=apply)


@transactional
def close(
    submission: Submission,
    *,
    closed_on: date,
    outcome: AdvocacyOutcome | None,
    notes: str | None,
    actor_id: int | None,
    today: date,
) -> AdvocacyRequest:
    request = request_of(submission)
    check_outcome(outcome, notes, had_advocate=request.advocate_id is not None)
    earliest = max((d for d in (request.allocated_on, request.contacted_on, request.activated_on) if d), default=None)
    check_step_date(
        DatedStep(
            on=closed_on,
            received_on=submission.received_on,
            today=today,
            earliest=earliest,
            earliest_label="the last step recorded",
        ),
        "the request closed",
    )

    def apply(r: AdvocacyRequest) -> None:
        r.closed_on = closed_on
        r.outcome = outcome
        r.outcome_notes = (notes or "").strip() or None
        submission.status = SubmissionStatus.CLOSED
        submission.closed_on = closed_on

    return _change(submission, AdvocacyAction.CLOSE, actor_id=actor_id, apply=apply)


@transactional
def reopen(submission: Submission, *, reason: str, actor_id: int | None) -> AdvocacyRequest:
    if not reason.strip():
        raise DomainError("Enter why the request is being reopened.")

    def apply(r: AdvocacyRequest) -> None:
        r.closed_on = None
        r.outcome = None
        r.outcome_notes = None
        submission.status = SubmissionStatus.OPEN
        submission.closed_on = None

    request = _change(submission, AdvocacyAction.REOPEN, actor_id=actor_id, apply=apply)
    audit.record(
        "advocacy.reopen_reason",
        "advocacy_request",
        request.id,
        actor_id=actor_id,
        submission_id=submission.id,
        after={"reason": reason.strip()},
    )
    return request


@transactional
def link_complaint(submission: Submission, *, reference: str, actor_id: int | None) -> Submission:
    """Link the request to the complaint it supports (found by its reference). Returns the complaint."""
    request = request_of(submission)
    normalised = normalise_reference(reference)
    if normalised is None:
        raise DomainError("Enter a complaint reference in the right format, like 7KQ-M9T-X4R.")
    complaint = db.session.scalar(sa.select(Submission).where(Submission.reference == normalised))
    if complaint is None or complaint.kind != SubmissionKind.COMPLAINT:
        raise DomainError("There is no complaint with that reference.")
    if request.linked_complaint_id == complaint.id:
        raise DomainError(f"This request is already linked to {complaint.reference}.")
    if request.advocate is not None:
        _check_independent(request.advocate, complaint.id)
    before = {"linked_complaint_id": request.linked_complaint_id}
    request.linked_complaint_id = complaint.id
    db.session.flush()
    audit.record(
        "advocacy.complaint_linked",
        "advocacy_request",
        request.id,
        actor_id=actor_id,
        submission_id=submission.id,
        before=before,
        after={"linked_complaint_id": complaint.id},
    )
    return complaint


@transactional
def unlink_complaint(submission: Submission, *, actor_id: int | None) -> None:
    request = request_of(submission)
    if request.linked_complaint_id is None:
        raise DomainError("This request is not linked to a complaint.")
    before = {"linked_complaint_id": request.linked_complaint_id}
    request.linked_complaint_id = None
    db.session.flush()
    audit.record(
        "advocacy.complaint_unlinked",
        "advocacy_request",
        request.id,
        actor_id=actor_id,
        submission_id=submission.id,
        before=before,
        after={"linked_complaint_id": None},
    )


def action_allowed(submission: Submission, action: AdvocacyAction) -> bool:
    request = request_of(submission)
    return action in allowed_actions(request.status, has_advocate=request.advocate_id is not None)
