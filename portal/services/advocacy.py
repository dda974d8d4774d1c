"""Advocacy requests: created by triage (a young person asked for an advocate), by the public journey or by staff;
worked through new → allocated → in contact → active → closed by the advocacy service.

Targets come from the 'advocacy' procedure profile (advocacy.contact, advocacy.allocate), counted in that
profile's working-day calendar from the day the request was received, and stored on the request when it is created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.domain import DomainError
from portal.domain.access import Action, can
from portal.domain.advocacy import (
    AdvocacyAction,
    DatedStep,
    age_on,
    allowed_actions,
    check_advocate_independent,
    check_outcome,
    check_request,
    check_step_date,
    next_due_on,
    next_status,
)
from portal.domain.deadlines import DeadlineStatus, deadline_status
from portal.domain.enums import (
    AdvocacyOutcome,
    AdvocacyStatus,
    Audience,
    CareStatus,
    CategoryKind,
    Channel,
    PersonType,
    Procedure,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.references import generate_reference, normalise_reference
from portal.domain.workdays import WorkingDayCalendar
from portal.extensions import db
from portal.models import AdvocacyRequest, AuditEvent, Category, Child, Person, StaffUser, Submission
from portal.services import audit, clock
from portal.services.calendar import calendar_for
from portal.services.timescales import working_days
from portal.services.uow import transactional
from portal.services.users import users_who_can

log = logging.getLogger(__name__)

MAKING_A_COMPLAINT = "Making a complaint"  # the ADVOCACY_HELP entry used when triage creates a request

AUDIT_FIELDS = (
    "status",
    "advocate_id",
    "allocated_on",
    "contacted_on",
    "activated_on",
    "closed_on",
    "outcome",
    "outcome_notes",
    "linked_complaint_id",
    "needed_by",
    "help_with",
    "situation",
    "young_person_age",
)


@dataclass(frozen=True)
class Targets:
    received_on: date  # the effective day 0 (the next working day when received on a non-working day)
    contact_due_on: date
    allocate_due_on: date


def targets_from(received_on: date) -> Targets:
    """Due dates for contact and allocation, from the advocacy profile's stored timescales."""
    calendar = calendar_for(Procedure.ADVOCACY)
    start = calendar.next_working_day_on_or_after(received_on)
    return Targets(
        received_on=start,
        contact_due_on=calendar.add_working_days(start, working_days(Procedure.ADVOCACY, "advocacy.contact")),
        allocate_due_on=calendar.add_working_days(start, working_days(Procedure.ADVOCACY, "advocacy.allocate")),
    )


def _sync_next_due(submission: Submission, request: AdvocacyRequest) -> None:
    """Keep the submission's `next_due_on` (used by lists and dashboards) on the earliest unmet target."""
    submission.next_due_on = next_due_on(
        request.status,
        allocate_due_on=request.allocate_due_on,
        allocated_on=request.allocated_on,
        contact_due_on=request.contact_due_on,
        contacted_on=request.contacted_on,
    )


def free_reference() -> str:
    """A new random reference not yet used by any submission (the unique constraint still guards the insert)."""
    for _ in range(10):
        reference = generate_reference()
        if db.session.scalar(sa.select(Submission.id).where(Submission.reference == reference)) is None:
            return reference
    raise RuntimeError("could not find a free reference")  # 30**8 references: practically unreachable


def request_for_complaint(complaint_id: int) -> AdvocacyRequest | None:
    """The advocacy request linked to a complaint, if any (the earliest, when several were linked by hand)."""
    return db.session.scalar(
        sa.select(AdvocacyRequest)
        .where(AdvocacyRequest.linked_complaint_id == complaint_id)
        .order_by(AdvocacyRequest.id)
        .limit(1)
    )


@transactional
def create_for_complaint(submission: Submission, *, actor_id: int | None, today: date) -> Submission:
    """Create an advocacy request for a complaint whose young person asked for an advocate.

    Copies who the request is for (the person, the child, their care status) and the safe-contact details, links
    the request to the complaint, and sets the targets. Idempotent: if a request is already linked to this
    complaint, that request's submission is returned and nothing changes.
    """
    if submission.kind != SubmissionKind.COMPLAINT:
        raise DomainError("Only a complaint can have an advocacy request created from it.")
    existing = request_for_complaint(submission.id)
    if existing is not None:
        return existing.submission
    targets = targets_from(today)
    now = clock.now_utc()
    child = submission.child
    for_self = submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON or (
        submission.person_type is None and submission.audience == Audience.YOUNG_PERSON
    )
    request_submission = Submission(
        reference=free_reference(),
        kind=SubmissionKind.ADVOCACY,
        audience=submission.audience,
        channel=submission.channel or Channel.OTHER,
        received_at=now,
        received_on=today,
        received_month=today.strftime("%Y-%m"),
        created_by_id=actor_id,
        person_id=submission.person_id,
        person_type=submission.person_type,
        relationship_to_child=submission.relationship_to_child,
        child_id=submission.child_id,
        care_status=submission.care_status,
        child_knows=submission.child_knows,
        contact_methods=list(submission.contact_methods) if submission.contact_methods else None,
        ok_to_leave_message=submission.ok_to_leave_message,
        safe_contact_notes=submission.safe_contact_notes,
        needs=dict(submission.needs) if submission.needs else None,
        feels_unsafe=submission.feels_unsafe,
        safeguarding_flag=submission.safeguarding_flag,
        safeguarding_reason=submission.safeguarding_reason,
        wants_advocate=True,
        what_happened=f"Asked for an advocate when making complaint {submission.reference}.",
        # Advocacy requests belong to the advocacy service, not to a casework team: no team_id, so responding
        # managers of the complaint's team do not see the young person's advocacy record.
        status=SubmissionStatus.OPEN,
    )
    request = AdvocacyRequest(
        for_self=for_self,
        young_person_agrees="yes" if for_self else None,
        young_person_age=age_on(child.date_of_birth, today) if child is not None else None,
        situation=submission.care_status or (child.care_status if child is not None else None),
        help_with=[MAKING_A_COMPLAINT],
        status=AdvocacyStatus.NEW,
        contact_due_on=targets.contact_due_on,
        allocate_due_on=targets.allocate_due_on,
        linked_complaint_id=submission.id,
    )
    request_submission.advocacy = request
    _sync_next_due(request_submission, request)
    db.session.add(request_submission)
    db.session.flush()
    actor_label = "staff" if actor_id is not None else "system"
    audit.record(
        "advocacy.created_for_complaint",
        "advocacy_request",
        request.id,
        actor_id=actor_id,
        actor_label=actor_label,
        submission_id=request_submission.id,
        after={
            "reference": request_submission.reference,
            "linked_complaint_id": submission.id,
            "contact_due_on": request.contact_due_on,
            "allocate_due_on": request.allocate_due_on,
        },
    )
    audit.record(
        "advocacy.linked",
        "submission",
        submission.id,
        actor_id=actor_id,
        actor_label=actor_label,
        submission_id=submission.id,
        after={"advocacy_request_submission_id": request_submission.id},
    )
    log.info("advocacy request %s created for complaint %s", request_submission.reference, submission.reference)
    return request_submission


# --- requests recorded by staff or the public journey ---------------------------------------------------------


@dataclass(frozen=True)
class RequestDetails:
    """What an advocacy request records about the young person and the help they want."""

    for_self: bool  # a self-referral, or a referral by an adult or professional
    young_person_agrees: str | None = None  # "yes" | "no" | None (self-referral)
    young_person_age: int | None = None
    situation: CareStatus | None = None
    help_with: tuple[str, ...] = ()
    help_details: str | None = None
    needed_by: date | None = None


@dataclass(frozen=True)
class ManualRequest:
    """A request taken by staff (phone call, email, referral form)."""

    received_on: date
    channel: Channel
    details: RequestDetails
    young_person_name: str
    young_person_dob: date | None = None
    referrer_name: str | None = None
    referrer_role: str | None = None  # e.g. "Social worker", "Teacher", "Foster carer"
    phone: str | None = None
    email: str | None = None
    contact_methods: tuple[str, ...] = ()
    ok_to_leave_message: str | None = None
    safe_contact_notes: str | None = None


def check_details(details: RequestDetails, *, received_on: date, today: date) -> None:
    """Every rule of a request's details, checked before anything changes."""
    check_request(
        for_self=details.for_self,
        young_person_agrees=details.young_person_agrees,
        young_person_age=details.young_person_age,
        needed_by=details.needed_by,
        received_on=received_on,
        today=today,
    )


@transactional
def attach_request(
    submission: Submission,
    details: RequestDetails,
    *,
    today: date,
    actor_id: int | None,
    actor_label: str = "public",
) -> AdvocacyRequest:
    """Add the advocacy request (with its targets) to a submission of kind advocacy that has none yet.

    The public journey creates its Submission(kind=advocacy) with the person, the child and the safe-contact
    details, then calls this. Staff use `record_request`, which calls this too.
    """
    if submission.kind != SubmissionKind.ADVOCACY:
        raise DomainError("Only an advocacy submission can hold an advocacy request.")
    if submission.advocacy is not None:
        return submission.advocacy
    check_details(details, received_on=submission.received_on, today=today)
    targets = targets_from(submission.received_on)
    request = AdvocacyRequest(
        for_self=details.for_self,
        young_person_agrees=details.young_person_agrees,
        young_person_age=details.young_person_age,
        situation=details.situation,
        help_with=list(details.help_with),
        help_details=(details.help_details or "").strip() or None,
        needed_by=details.needed_by,
        status=AdvocacyStatus.NEW,
        contact_due_on=targets.contact_due_on,
        allocate_due_on=targets.allocate_due_on,
    )
    submission.advocacy = request
    _sync_next_due(submission, request)
    if submission.status is None:
        submission.status = SubmissionStatus.OPEN
    submission.care_status = submission.care_status or details.situation
    db.session.flush()
    audit.record(
        "advocacy.requested",
        "advocacy_request",
        request.id,
        actor_id=actor_id,
        actor_label=actor_label,
        submission_id=submission.id,
        after=audit.snapshot(request, AUDIT_FIELDS) | {"contact_due_on": request.contact_due_on},
    )
    return request


@transactional
def record_request(manual: ManualRequest, *, actor_id: int, today: date) -> Submission:
    """Staff record a request by hand: the young person, who referred them, the help wanted and safe contact."""
    if manual.received_on > today:
        raise DomainError("The date the request was received must be today or in the past.")
    received_on = manual.received_on
    details = manual.details
    child = Child(
        full_name=manual.young_person_name,
        name_key=manual.young_person_name.lower(),
        date_of_birth=manual.young_person_dob,
        care_status=details.situation,
    )
    if details.young_person_age is None and manual.young_person_dob is not None:
        details = replace(details, young_person_age=age_on(manual.young_person_dob, today))
    contact_name = manual.young_person_name if details.for_self else (manual.referrer_name or None)
    person = Person(
        full_name=contact_name,
        name_key=contact_name.lower() if contact_name else None,
        email=manual.email or None,
        email_key=manual.email.lower() if manual.email else None,
        phone=manual.phone or None,
        phone_key="".join(ch for ch in manual.phone if ch.isdigit()) if manual.phone else None,
        person_type=PersonType.CHILD_OR_YOUNG_PERSON if details.for_self else PersonType.PROFESSIONAL,
    )
    submission = Submission(
        reference=free_reference(),
        kind=SubmissionKind.ADVOCACY,
        audience=Audience.YOUNG_PERSON if details.for_self else Audience.ADULT,
        channel=manual.channel,
        received_at=clock.now_utc(),
        received_on=received_on,
        received_month=received_on.strftime("%Y-%m"),
        created_by_id=actor_id,
        person=person,
        person_type=person.person_type,
        relationship_to_child=None if details.for_self else (manual.referrer_role or None),
        child=child,
        care_status=details.situation,
        child_knows="yes" if details.for_self or details.young_person_agrees == "yes" else None,
        contact_methods=list(manual.contact_methods) or None,
        ok_to_leave_message=manual.ok_to_leave_message,
        safe_contact_notes=(manual.safe_contact_notes or "").strip() or None,
        wants_advocate=True,
        what_happened=(details.help_details or "").strip() or None,
        status=SubmissionStatus.OPEN,
    )
    db.session.add(submission)
    db.session.flush()
    attach_request(submission, details, today=today, actor_id=actor_id, actor_label="staff")
    log.info("advocacy request %s recorded by staff", submission.reference)
    return submission


# --- the advocacy service's work ------------------------------------------------------------------------------


def _request(submission: Submission) -> AdvocacyRequest:
    if submission.kind != SubmissionKind.ADVOCACY or submission.advocacy is None:
        raise DomainError("This is not an advocacy request.")
    return submission.advocacy


def _change(
    submission: Submission,
    action: AdvocacyAction,
    *,
    actor_id: int | None,
    apply: Callable[[AdvocacyRequest], None],
) -> AdvocacyRequest:
    request = _request(submission)
    target = next_status(request.status, action, has_advocate=request.advocate_id is not None)
    before = audit.snapshot(request, AUDIT_FIELDS)
    apply(request)
    request.status = target
    _sync_next_due(submission, request)
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
    request = _request(submission)
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
    request = _request(submission)
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
    request = _request(submission)
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
    request = _request(submission)
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
    request = _request(submission)
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
    request = _request(submission)
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


# --- the queue ------------------------------------------------------------------------------------------------


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


def help_choices(current: list[str] | None = None) -> list[str]:
    """The ADVOCACY_HELP list (active entries, plus any already chosen on this request)."""
    labels = list(
        db.session.scalars(
            sa.select(Category.label)
            .where(Category.kind == CategoryKind.ADVOCACY_HELP, Category.active.is_(True))
            .order_by(Category.sort_order, Category.label)
        )
    )
    for label in current or []:
        if label not in labels:
            labels.append(label)
    return labels


def action_allowed(submission: Submission, action: AdvocacyAction) -> bool:
    request = _request(submission)
    return action in allowed_actions(request.status, has_advocate=request.advocate_id is not None)


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
    request = _request(submission)
    if viewer is not None:
        from portal.services.cases import record_case_view

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


@dataclass(frozen=True)
class RequestUpdate:
    """What advocates correct as they get to know the young person."""

    young_person_age: int | None
    situation: CareStatus | None
    help_with: tuple[str, ...]
    help_details: str | None
    needed_by: date | None
    contact_methods: tuple[str, ...]
    ok_to_leave_message: str | None
    safe_contact_notes: str | None


@transactional
def update_request(
    submission: Submission, update: RequestUpdate, *, actor_id: int | None, today: date
) -> AdvocacyRequest:
    request = _request(submission)
    check_request(
        for_self=bool(request.for_self),
        young_person_agrees="yes" if not request.for_self else None,  # agreement was checked when it arrived
        young_person_age=update.young_person_age,
        needed_by=update.needed_by,
        received_on=submission.received_on,
        today=today,
    )
    fields = ("contact_methods", "ok_to_leave_message", "safe_contact_notes", "care_status")
    before = audit.snapshot(request, AUDIT_FIELDS) | audit.snapshot(submission, fields)
    request.young_person_age = update.young_person_age
    request.situation = update.situation
    request.help_with = list(update.help_with)
    request.help_details = (update.help_details or "").strip() or None
    request.needed_by = update.needed_by
    submission.care_status = update.situation
    submission.contact_methods = list(update.contact_methods) or None
    submission.ok_to_leave_message = update.ok_to_leave_message
    submission.safe_contact_notes = (update.safe_contact_notes or "").strip() or None
    db.session.flush()
    changed_before, changed_after = audit.changes(
        before, audit.snapshot(request, AUDIT_FIELDS) | audit.snapshot(submission, fields)
    )
    if changed_after:
        audit.record(
            "advocacy.updated",
            "advocacy_request",
            request.id,
            actor_id=actor_id,
            submission_id=submission.id,
            before=changed_before,
            after=changed_after,
        )
    return request
