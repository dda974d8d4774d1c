"""create_for_complaint: the interface triage calls when a young person asked for an advocate."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.enums import (
    AdvocacyStatus,
    Audience,
    CareStatus,
    PersonType,
    SubmissionKind,
)
from portal.models import AdvocacyRequest, AuditEvent, Child, Submission
from portal.services.advocacy import create_for_complaint
from portal.services.uow import unit_of_work
from tests.factories import make_submission, make_team


def _complaint(db, **kw):  # type: ignore[no-untyped-def]
    child = Child(full_name="Sam Example", date_of_birth=date(2012, 3, 4), care_status=CareStatus.CHILD_IN_CARE)
    db.session.add(child)
    db.session.commit()
    return make_submission(
        SubmissionKind.COMPLAINT,
        team=make_team(),
        audience=Audience.YOUNG_PERSON,
        person_type=PersonType.CHILD_OR_YOUNG_PERSON,
        child_id=child.id,
        care_status=CareStatus.CHILD_IN_CARE,
        contact_methods=["text"],
        ok_to_leave_message="no",
        safe_contact_notes="Only text after 4pm; do not call the foster carer's landline.",
        wants_advocate=True,
        **kw,
    )


def test_create_for_complaint_links_copies_safe_contact_and_sets_targets(db):
    complaint = _complaint(db)

    # Friday 20 November 2026: contact due Monday 23rd (1 working day), allocation Tuesday 24th (2).
    created = create_for_complaint(complaint, actor_id=None, today=date(2026, 11, 20))

    assert created.kind == SubmissionKind.ADVOCACY
    assert created.reference != complaint.reference
    assert created.child_id == complaint.child_id
    assert created.safe_contact_notes == complaint.safe_contact_notes
    assert created.contact_methods == ["text"]
    assert created.ok_to_leave_message == "no"
    assert created.team_id is None, "advocacy requests must not be visible to the complaint's team"
    request = created.advocacy
    assert request.linked_complaint_id == complaint.id
    assert request.status == AdvocacyStatus.NEW
    assert request.for_self is True
    assert request.young_person_age == 14
    assert request.situation == CareStatus.CHILD_IN_CARE
    assert request.help_with == ["Making a complaint"]
    assert request.contact_due_on == date(2026, 11, 23)
    assert request.allocate_due_on == date(2026, 11, 24)
    assert created.next_due_on == date(2026, 11, 23), "lists see the earliest unmet target"
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"advocacy.created_for_complaint", "advocacy.linked"} <= actions


def test_create_for_complaint_counts_from_the_next_working_day_and_skips_bank_holidays(db):
    complaint = _complaint(db)

    # Thursday 24 December 2026: Christmas Day and Boxing Day (observed Monday 28th) are bank holidays.
    created = create_for_complaint(complaint, actor_id=None, today=date(2026, 12, 24))

    assert created.received_on == date(2026, 12, 24)
    assert created.advocacy.contact_due_on == date(2026, 12, 29)
    assert created.advocacy.allocate_due_on == date(2026, 12, 30)


def test_create_for_complaint_is_idempotent(db):
    complaint = _complaint(db)

    first = create_for_complaint(complaint, actor_id=None, today=date(2026, 11, 20))
    second = create_for_complaint(complaint, actor_id=None, today=date(2026, 11, 23))

    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdvocacyRequest)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 2


def test_create_for_complaint_inside_another_use_case_is_undone_with_it(db):
    complaint = _complaint(db)

    with pytest.raises(RuntimeError), unit_of_work():
        created = create_for_complaint(complaint, actor_id=None, today=date(2026, 11, 20))
        created_id = created.id
        raise RuntimeError("the outer use-case fails after the inner one")

    assert db.session.get(Submission, created_id) is None


def test_create_for_complaint_refuses_other_kinds(db):
    compliment = make_submission(SubmissionKind.COMPLIMENT)

    with pytest.raises(DomainError):
        create_for_complaint(compliment, actor_id=None, today=date(2026, 11, 20))
