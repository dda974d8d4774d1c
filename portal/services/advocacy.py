"""Advocacy requests: created by triage (a young person asked for an advocate), by the public journey or by staff;
worked through new → allocated → in contact → active → closed by the advocacy service.

Targets come from the 'advocacy' procedure profile (advocacy.contact, advocacy.allocate), counted in that
profile's working-day calendar from the day the request was received, and stored on the request when it is created.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.advocacy import age_on
from portal.domain.enums import (
    AdvocacyStatus,
    Audience,
    Channel,
    PersonType,
    Procedure,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.references import generate_reference
from portal.extensions import db
from portal.models import AdvocacyRequest, Submission
from portal.services import audit, clock
from portal.services.calendar import calendar_for
from portal.services.timescales import working_days

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


def _new_reference() -> str:
    for _ in range(10):
        reference = generate_reference()
        if db.session.scalar(sa.select(Submission.id).where(Submission.reference == reference)) is None:
            return reference
    raise RuntimeError("could not find a free reference")  # 30**8 references: practically unreachable


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def request_for_complaint(complaint_id: int) -> AdvocacyRequest | None:
    """The advocacy request linked to a complaint, if any (the earliest, when several were linked by hand)."""
    return db.session.scalar(
        sa.select(AdvocacyRequest)
        .where(AdvocacyRequest.linked_complaint_id == complaint_id)
        .order_by(AdvocacyRequest.id)
        .limit(1)
    )


def create_for_complaint(
    submission: Submission, *, actor_id: int | None, today: date, commit: bool = True
) -> Submission:
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
        reference=_new_reference(),
        kind=SubmissionKind.ADVOCACY,
        audience=submission.audience,
        channel=submission.channel or Channel.OTHER,
        received_at=now,
        received_on=targets.received_on,
        received_month=targets.received_on.strftime("%Y-%m"),
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
    _finish(commit)
    return request_submission
