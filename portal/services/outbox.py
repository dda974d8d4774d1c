"""Queue messages in the outbox, inside the caller's transaction, so a message exists if and only if the change
that caused it was committed. Delivery is the `send-messages` worker's job."""

from __future__ import annotations

import sqlalchemy as sa

from portal.domain.enums import MessageChannel
from portal.extensions import db
from portal.models import OutboxMessage


def queue_message(
    *,
    channel: MessageChannel,
    recipient: str,
    template: str,
    subject: str,
    body: str,
    submission_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox. With a dedupe_key, a key already queued is not queued again (returns None)."""
    if dedupe_key is not None:
        exists = db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        if exists is not None:
            return None
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        template=template,
        subject=subject,
        body=body,
        submission_id=submission_id,
        dedupe_key=dedupe_key,
    )
    db.session.add(message)
    return message
