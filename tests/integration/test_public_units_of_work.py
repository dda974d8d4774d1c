"""The public services are units of work: each use-case commits once, and joins a caller's unit of work (so a
failure anywhere in it keeps nothing: no submission, no message in the outbox, no audit event)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.enums import Audience, SubmissionKind
from portal.domain.journeys import JOURNEYS
from portal.extensions import db
from portal.models import AuditEvent, CaseNote, Draft, OutboxMessage, Submission
from portal.services import drafts, tracking
from portal.services.submissions import NewSubmission, create_submission
from portal.services.uow import unit_of_work


def _committed(model) -> int:
    with db.engine.connect() as conn:  # a second connection sees only what was committed
        return conn.scalar(sa.select(sa.func.count()).select_from(model))


def _kept() -> tuple[int, int, int]:
    return _committed(Submission), _committed(OutboxMessage), _committed(AuditEvent)


def _complaint() -> NewSubmission:
    return NewSubmission(
        kind=SubmissionKind.COMPLAINT,
        audience=Audience.ADULT,
        full_name="Sam Carer",
        email="sam@example.com",
        what_happened="He hits me when I get home late.",  # flagged: a safeguarding alert is queued too
    )


def test_a_submission_is_committed_by_its_own_use_case(app, db):
    submissions, messages, events = _kept()
    create_submission(_complaint())
    assert _kept() == (submissions + 1, messages + 2, events + 1)  # the acknowledgement and the safety alert


def test_a_submission_made_inside_a_failing_use_case_is_not_kept(app, db):
    before = _kept()
    with pytest.raises(DomainError), unit_of_work():
        create_submission(_complaint())
        raise DomainError("refused later in the same use-case")
    assert _kept() == before


def test_a_saved_page_and_added_information_join_the_callers_unit_of_work(app, db):
    submission = create_submission(_complaint()).submission
    journey = JOURNEYS["adult/compliment"]
    with pytest.raises(DomainError), unit_of_work():
        drafts.save_step(None, journey, "who", {"staff_named": "Priya", "team_id": ""})
        tracking.add_information(submission, "One more thing.")
        raise DomainError("refused")
    assert _committed(Draft) == 0 and _committed(CaseNote) == 0
    drafts.save_step(None, journey, "who", {"staff_named": "Priya", "team_id": ""})
    assert _committed(Draft) == 1
