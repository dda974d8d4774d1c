"""Audit trail, the outbox of messages to send, and public journey drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.enums import MessageChannel, OutboxStatus
from portal.models.base import Base, UTCDateTime, enum_type, utcnow


class AuditEvent(Base):
    """Append-only: who did what to which object, when, with the values before and after.

    Never updated or deleted by the application (its PostgreSQL role may not). Each event is chained to the one
    before by a hash (portal/domain/audit_chain.py), filled in when it is flushed (portal/services/audit_chain.py).
    """

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(60))  # "staff", "public", "system", "import"
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    request_id: Mapped[str | None] = mapped_column(sa.String(40))
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    # The hash chain: place (unique, so two writers cannot both extend the chain from the same event), the hash
    # of the event before, and this event's own hash.
    chain_seq: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class OutboxMessage(Base):
    """A message waiting to be sent. Written in the same transaction as the change that causes it."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[MessageChannel] = mapped_column(enum_type(MessageChannel))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    template: Mapped[str] = mapped_column(sa.String(80))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id"), index=True)
    # Stops the same reminder or notification being queued twice (e.g. "digest:2026-11-23:user:7").
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_reference: Mapped[str | None] = mapped_column(sa.String(120))
    last_error: Mapped[str | None] = mapped_column(sa.String(500))


class Draft(Base):
    """A public journey in progress, kept on the server so nothing typed is lost."""

    __tablename__ = "draft"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # random token, also held in the session
    journey: Mapped[str] = mapped_column(sa.String(40))
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id"))
