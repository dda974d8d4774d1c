"""Taking an advocacy request: from a complaint whose young person asked for an advocate, from the public journey,
or by hand from staff; and correcting its details later."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.advocacy import (
    age_on,
    check_request,
)
from portal.domain.enums import (
    AdvocacyStatus,
    Audience,
    CareStatus,
    CategoryKind,
    Channel,
    PersonType,
    SubmissionKind,
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import AdvocacyRequest, Category, Child, Person, Submission
from portal.services import audit, clock
from portal.services.advocacy.records import (
    AUDIT_FIELDS,
    MAKING_A_COMPLAINT,
    free_reference,
    request_for_complaint,
    request_of,
    sync_next_due,
    targets_from,
)
from portal.services.uow import transactional

log = logging.getLogger(__name__)


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
    sync_next_due(request_submission, request)
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
    sync_next_due(submission, request)
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
    request = request_of(submission)
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
