"""Factories for lifecycle tests: complainants with contact details and complaints at a given point."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.domain.enums import Audience, Procedure, SubmissionKind
from portal.extensions import db
from portal.models import Person, Submission
from portal.services import lifecycle
from tests.factories import make_submission


def make_complaint(
    *,
    received_on: date = date(2026, 11, 2),
    email: str | None = "sam@example.com",
    phone: str | None = None,
    contact_methods: list[str] | None = None,
    audience: Audience = Audience.ADULT,
    full_name: str = "Sam Taylor",
    **kw: Any,
) -> Submission:
    person = Person(full_name=full_name, email=email, phone=phone)
    db.session.add(person)
    db.session.flush()
    return make_submission(
        SubmissionKind.COMPLAINT,
        received_on=received_on,
        person_id=person.id,
        contact_methods=contact_methods if contact_methods is not None else (["email"] if email else []),
        audience=audience,
        **kw,
    )


def open_complaint(
    procedure: Procedure = Procedure.ENGLAND_STATUTORY, *, received_on: date = date(2026, 11, 2), **kw: Any
) -> Submission:
    submission = make_complaint(received_on=received_on, **kw)
    lifecycle.open_first_stage(submission, procedure=procedure, actor_id=None, today=received_on)
    return submission
