"""create_submission: one transaction, unique references, idempotent per draft, person matching, outbox, flags."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from werkzeug.security import check_password_hash

from portal.domain.enums import Audience, CategoryKind, MessageChannel, SubmissionKind, SubmissionStatus
from portal.domain.references import normalise_reference
from portal.models import AuditEvent, Category, OutboxMessage, Person, Submission
from portal.services import submissions
from portal.services.submissions import NewSubmission, create_submission


def _complaint(**kw):
    base = {
        "kind": SubmissionKind.COMPLAINT,
        "audience": Audience.ADULT,
        "full_name": "Sam Carer",
        "email": "sam@example.com",
        "what_happened": "Nobody returned my calls about the review meeting.",
    }
    base.update(kw)
    return NewSubmission(**base)


@time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=UTC), tick=False)
def test_create_submission_records_everything_in_one_go(db):
    result = create_submission(_complaint(), draft_token="tok-1")
    s = result.submission
    assert result.created and result.tracking_code is None
    assert normalise_reference(s.reference) == s.reference
    assert s.received_on == date(2026, 11, 20) and s.received_month == "2026-11"
    # Friday 20 November + 3 working days = Wednesday 25 November
    assert s.acknowledge_due_on == date(2026, 11, 25)
    assert s.status == SubmissionStatus.NEW
    assert s.person.email_key == "sam@example.com"
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.submission_id == s.id))
    assert message.channel == MessageChannel.EMAIL and s.reference in message.body
    assert "25 November 2026" in message.body and "4 December 2026" in message.body
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submission.created"))
    assert event.actor_label == "public" and event.submission_id == s.id


@time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=UTC), tick=False)
def test_received_on_a_saturday_counts_from_monday(db):
    s = create_submission(_complaint()).submission
    assert s.received_on == date(2026, 11, 23)


@time_machine.travel(datetime(2026, 11, 20, 17, 30, tzinfo=UTC), tick=False)
def test_receipt_cutoff_moves_late_submissions_to_the_next_working_day(app, db):
    app.config["RECEIPT_CUTOFF"] = "17:00"
    try:
        s = create_submission(_complaint()).submission
    finally:
        app.config["RECEIPT_CUTOFF"] = None
    assert s.received_on == date(2026, 11, 23)


def test_same_draft_twice_gives_the_same_record(db):
    first = create_submission(_complaint(), draft_token="tok-2")
    second = create_submission(_complaint(), draft_token="tok-2")
    assert second.submission.id == first.submission.id and not second.created
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_reference_collision_is_retried(db, monkeypatch):
    first = create_submission(_complaint()).submission
    refs = iter([first.reference, first.reference, "7KQ-M9T-X4R"])
    monkeypatch.setattr(submissions, "generate_reference", lambda: next(refs))
    second = create_submission(_complaint(email="other@example.com", full_name="Other")).submission
    assert second.reference == "7KQ-M9T-X4R"
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 2


def test_person_is_matched_by_name_and_email_but_not_email_alone(db):
    a = create_submission(_complaint(email="Family@Example.com ")).submission
    b = create_submission(_complaint(full_name="  sam   CARER", email="family@example.com")).submission
    c = create_submission(_complaint(full_name="Alex Carer", email="family@example.com")).submission
    assert a.person_id == b.person_id != c.person_id
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 2


def test_phone_numbers_are_matched_in_any_format(db):
    a = create_submission(_complaint(email=None, phone="+44 7700 900123")).submission
    b = create_submission(_complaint(email=None, phone="07700-900123")).submission
    assert a.person_id == b.person_id and a.person.phone_key == "07700900123"


def test_no_email_or_phone_gives_a_tracking_code_stored_only_as_a_hash(db):
    result = create_submission(_complaint(email=None, contact_methods=["letter"], address="1 High St"))
    assert result.tracking_code and len(result.tracking_code) == 11
    s = result.submission
    assert s.tracking_code_hash and result.tracking_code not in s.tracking_code_hash
    assert check_password_hash(s.tracking_code_hash, result.tracking_code)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_sms_only_when_texting_is_allowed(db):
    s1 = create_submission(_complaint(email=None, phone="07700900001", contact_methods=["phone"])).submission
    s2 = create_submission(
        _complaint(email=None, phone="07700900002", full_name="B", contact_methods=["text"])
    ).submission
    channels = dict(db.session.execute(sa.select(OutboxMessage.submission_id, OutboxMessage.channel)).all())
    assert s1.id not in channels and channels[s2.id] == MessageChannel.SMS


def test_young_person_wording_and_themes(db):
    s = create_submission(
        _complaint(
            audience=Audience.YOUNG_PERSON,
            full_name="Jo",
            theme_labels=["Placement (where the child lives)", "Being listened to", "Not a theme any more"],
            safe_answer="no",
        )
    ).submission
    assert [t.label for t in s.themes] == ["Placement (where the child lives)", "Being listened to", "Other"]
    assert s.feels_unsafe and s.safeguarding_flag and "do not feel safe" in s.safeguarding_reason
    assert s.child.full_name == "Jo"
    body = db.session.scalar(sa.select(OutboxMessage.body))
    assert "advocate" in body and "Childline" in body


def test_risk_words_in_free_text_flag_the_submission_and_alert_the_team(app, db):
    s = create_submission(_complaint(what_happened="He hits me when I get home late.")).submission
    assert s.safeguarding_flag and not s.feels_unsafe and "hits me" in s.safeguarding_reason
    alert = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "safeguarding_alert"))
    assert alert.recipient == app.config["COUNCIL_EMAIL"] and s.reference in alert.subject
    assert "Sam" not in alert.body and "late" not in alert.body


def test_no_alert_without_a_flag(db):
    create_submission(_complaint())
    assert db.session.scalar(sa.select(OutboxMessage.template)) == "acknowledgement"


@time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=UTC), tick=False)
def test_old_grounds_are_accepted_and_flagged_out_of_time(db):
    s = create_submission(_complaint(grounds_arose_on=date(2025, 11, 1))).submission
    assert s.out_of_time and s.status == SubmissionStatus.NEW
    s2 = create_submission(_complaint(grounds_arose_on=date(2025, 12, 1), email="x@example.com")).submission
    assert not s2.out_of_time


def test_outcomes_sought_only_from_that_list(db):
    outcome = db.session.scalar(sa.select(Category).where(Category.kind == CategoryKind.OUTCOME_SOUGHT))
    theme = db.session.scalar(sa.select(Category).where(Category.kind == CategoryKind.THEME))
    s = create_submission(_complaint(outcome_sought_ids=[outcome.id, theme.id])).submission
    assert [c.id for c in s.outcomes_sought] == [outcome.id]


def test_compliment_and_advocacy_details(db):
    c = create_submission(
        NewSubmission(
            kind=SubmissionKind.COMPLIMENT,
            staff_named="Priya",
            compliment_words="She listened.",
            consent_pass_on=True,
            consent_anonymous_use=False,
        )
    )
    assert c.submission.compliment.staff_named == "Priya" and c.submission.compliment.consent_pass_on
    assert c.submission.acknowledge_due_on is None and c.tracking_code
    a = create_submission(
        NewSubmission(
            kind=SubmissionKind.ADVOCACY,
            audience=Audience.YOUNG_PERSON,
            full_name="Kai",
            phone="07700900999",
            help_with=["A meeting or review"],
            young_person_age=14,
            for_self=True,
        )
    ).submission
    assert a.advocacy.help_with == ["A meeting or review"] and a.advocacy.contact_due_on is not None
    assert a.status == SubmissionStatus.OPEN


@pytest.mark.parametrize(
    ("raw", "key"), [("+44 (0)7700 900123", "07700900123"), ("0044 7700 900123", "07700900123"), ("", None)]
)
def test_phone_key(raw, key):
    assert submissions.phone_key(raw) == key
