"""The exact words of messages composed from data: the compliment passed on to staff and the daily deadline
digest. Pinned in full so that moving where messages are composed cannot change what people receive."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.domain.enums import Role
from portal.models import OutboxMessage
from portal.services import lifecycle, reminders
from tests.factories import make_staff_user, make_team
from tests.integration.compliments_helpers import make_compliment
from tests.lifecycle_support import open_complaint


def _outbox(db):  # type: ignore[no-untyped-def]
    return {m.recipient: m for m in db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))}


def test_compliment_messages_to_the_worker_and_both_team_managers(db) -> None:  # type: ignore[no-untyped-def]
    fostering = make_team("Fostering South", area="Children in Care")
    fostering.manager_email = "fostering.manager@example.gov.uk"
    duty = make_team("Duty and Assessment", area="Front Door")
    duty.manager_email = "duty.manager@example.gov.uk"
    db.session.commit()
    worker = make_staff_user(
        Role.RESPONDING_MANAGER, email="sam.worker@example.gov.uk", full_name="Sam Worker", teams=[duty]
    )

    reference = make_compliment(
        fostering, staff_user_id=worker.id, staff_named="Sam", source="Judge", words="Thank you, Sam."
    ).reference

    messages = _outbox(db)
    to_worker = messages["sam.worker@example.gov.uk"]
    assert to_worker.template == "compliment_named_staff"
    assert to_worker.subject == "You have received a compliment"
    assert to_worker.body == (
        "Dear Sam Worker,\n\n"
        "Someone has taken the time to thank you.\n"
        "Received: 18 November 2026\n"
        "From: Judge\n"
        '"Thank you, Sam."\n\n'
        "The person who wrote this agreed to it being passed on to you. Please do not share it outside the council.\n"
        "They also agreed to it being used without their name, for example in reports.\n\n"
        f"Compliment reference: {reference}\n"
        "Example Borough Council children's services\n"  # every message body ends with a new line
    )
    own_team = messages["fostering.manager@example.gov.uk"]
    assert own_team.subject == "A compliment for Fostering South"
    assert own_team.body.startswith(
        "Dear manager,\n\nFostering South has received a compliment naming Sam.\nReceived: 18 November 2026\n"
    )
    workers_team = messages["duty.manager@example.gov.uk"]
    assert workers_team.subject == "A compliment for Duty and Assessment"
    assert workers_team.body.startswith(
        "Dear manager,\n\n"
        "Sam Worker, who works in Duty and Assessment, has been named in a compliment about Fostering South.\n"
    )


def test_compliment_message_without_team_source_or_wider_consent(db) -> None:  # type: ignore[no-untyped-def]
    worker = make_staff_user(Role.RESPONDING_MANAGER, email="sam.worker@example.gov.uk", full_name="Sam Worker")

    make_compliment(staff_user_id=worker.id, staff_named=None, consent_anonymous_use=False, words="Thanks.")

    [message] = _outbox(db).values()
    assert message.subject == "You have received a compliment"
    assert "From: Foster carer\n" in message.body
    assert "They did not agree to it being used anywhere else.\n" in message.body


def test_reminder_digest_text(db) -> None:  # type: ignore[no-untyped-def]
    manager = make_staff_user(Role.RESPONDING_MANAGER, email="rm@example.gov.uk", full_name="Robin Manager")
    late = open_complaint(received_on=date(2026, 10, 19), responding_manager_id=manager.id)
    soon = open_complaint(received_on=date(2026, 11, 2), email="y@example.com", responding_manager_id=manager.id)
    for s in (late, soon):
        lifecycle.acknowledge(s.stages[0], on=s.received_on, actor_id=None, today=s.received_on)

    reminders.send_reminders(date(2026, 11, 12))

    digest = _outbox(db)["rm@example.gov.uk"]
    assert digest.template == "reminder_digest"
    assert digest.subject == "Complaints deadlines for 12 November 2026: 1 overdue, 1 due soon"
    assert digest.body == (
        "Dear Robin Manager,\n\n"
        "Overdue:\n"
        f"- {late.reference}: Stage 1 response was due on 2 November 2026\n"
        "Due in the next 2 working days:\n"
        f"- {soon.reference}: Stage 1 response is due on 16 November 2026\n"
        "Open the deadlines page: http://localhost/staff/deadlines\n\n"
        "This is a daily reminder from the complaints casework system. It contains case references only.\n"
    )
