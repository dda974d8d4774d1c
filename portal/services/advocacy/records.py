"""What every advocacy task shares: the targets from the date received, free references, and a submission's request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.advocacy import (
    next_due_on,
)
from portal.domain.enums import (
    Procedure,
    SubmissionKind,
)
from portal.domain.references import generate_reference
from portal.extensions import db
from portal.models import AdvocacyRequest, Submission
from portal.services.calendar import calendar_for
from portal.services.timescales import working_days

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


def sync_next_due(submission: Submission, request: AdvocacyRequest) -> None:
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


def request_of(submission: Submission) -> AdvocacyRequest:
    if submission.kind != SubmissionKind.ADVOCACY or submission.advocacy is None:
        raise DomainError("This is not an advocacy request.")
    return submission.advocacy
