"""Messages to complainants: the chosen channel, a young person's wording, and no duplicates."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.domain.enums import Audience, MessageChannel
from portal.models import OutboxMessage
from portal.services import lifecycle, messages
from tests.lifecycle_support import make_complaint, open_complaint


def _extend(submission):
    lifecycle.extend(
        submission.stages[0],
        new_due_on=date(2026, 11, 23),
        reason="We are waiting for records",
        authorised_by="Head of Service",
        actor_id=None,
        today=date(2026, 11, 10),
    )
    return db_messages()


def db_messages():
    from portal.extensions import db

    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_adult_wording_by_email(db):
    submission = open_complaint()
    [message] = _extend(submission)
    assert message.channel == MessageChannel.EMAIL and message.recipient == "sam@example.com"
    assert message.subject.startswith("We need more time to reply to your complaint")
    assert message.body.startswith("Dear Sam Taylor,")
    assert "23 November 2026" in message.body and "We are waiting for records" in message.body


def test_young_person_wording_and_first_name(db):
    submission = open_complaint(audience=Audience.YOUNG_PERSON, full_name="Jo Bloggs")
    [message] = _extend(submission)
    assert message.subject.startswith("We need more time to reply to you")
    assert message.body.startswith("Hi Jo,") and "Bloggs" not in message.body
    assert "advocate" in message.body


def test_text_message_when_that_is_the_chosen_channel(db):
    submission = open_complaint(email=None, phone="07700900123", contact_methods=["text"])
    [message] = _extend(submission)
    assert message.channel == MessageChannel.SMS and message.recipient == "07700900123"


def test_no_message_when_they_asked_for_letters_or_calls(db):
    submission = open_complaint(contact_methods=["letter"], phone="07700900123")
    assert _extend(submission) == []


def test_acknowledgement_helper_is_queued_once(db):
    submission = make_complaint(audience=Audience.YOUNG_PERSON, full_name="Jo Bloggs")
    first = messages.queue_acknowledgement(submission, response_due_on=date(2026, 11, 16))
    db.session.commit()
    assert first is not None and first.subject.startswith("We got your message")
    assert "Childline" in first.body and "16 November 2026" in first.body
    assert messages.queue_acknowledgement(submission) is None


def test_message_bodies_escape_nothing_and_keep_text(db, app):
    rendered = messages.render_message(
        "escalation_refused", reference="ABC", name="O'Brien <b>", stage_label="Stage 2", reason="A & B", signpost="S"
    )
    assert "O'Brien <b>" in rendered.body and "A & B" in rendered.body


def test_case_panel_lists_messages_and_says_when_they_write_by_post(db):
    from portal.domain.enums import Role
    from tests.factories import make_staff_user

    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    by_email = open_complaint()
    _extend(by_email)
    panel = lifecycle.case_panel(by_email, manager, date(2026, 11, 10))
    assert [m.template for m in panel.messages] == ["extension"] and not panel.writes_by_post
    by_post = open_complaint(contact_methods=["letter"], email="p@example.com")
    assert lifecycle.case_panel(by_post, manager, date(2026, 11, 10)).writes_by_post


def test_links_in_messages_come_from_the_public_base_url_not_the_request(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://feedback.example.gov.uk/children/")
    submission = make_complaint()
    with app.test_request_context("/staff/triage", base_url="http://10.0.0.7:8000"):
        message = messages.queue_acknowledgement(submission)
    assert message is not None
    assert "https://feedback.example.gov.uk/children/track\n" in message.body
    assert "10.0.0.7" not in message.body
    assert messages.link("staff.deadlines") == "https://feedback.example.gov.uk/children/staff/deadlines"
