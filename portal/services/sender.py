"""The outbox worker: claim due messages, deliver them by SMTP or GOV.UK Notify, record the result.

Safe to run as several processes at once. On PostgreSQL each claim locks its rows with
``SELECT ... FOR UPDATE SKIP LOCKED``, so two workers never take the same message; on SQLite the single writer
lock does the same job. A claimed message is marked 'sending' with ``locked_at``; if a worker dies mid-send, the
message is claimed again once it has been 'sending' for longer than OUTBOX_STALE_MINUTES, so nothing is lost.
Failures retry with exponential back-off up to OUTBOX_MAX_ATTEMPTS, then the message is 'failed' and shown to
staff on the outbox page, where it can be retried.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import sqlalchemy as sa
from flask import current_app
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from portal.domain import DomainError
from portal.domain.enums import MessageChannel, OutboxStatus
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import audit
from portal.services.clock import now_utc
from portal.services.uow import transactional

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


class PermanentDeliveryError(Exception):
    """Retrying cannot help (for example a text message with no Notify account configured)."""


@dataclass
class PassResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    ids: list[int] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)


def stale_after() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("OUTBOX_STALE_MINUTES", 10)))


@transactional
def claim(limit: int = 20, *, now: datetime | None = None) -> list[int]:
    """Claim up to `limit` due messages for this worker and commit the claim. Returns their ids."""
    now = now or now_utc()
    due = sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_at < now - stale_after()),
    )
    query = (
        sa.select(OutboxMessage.id).where(due).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    if not ids:
        return []
    # The WHERE repeats the due test so a row another process claimed meanwhile (SQLite) is not taken twice.
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), due)
        .values(status=OutboxStatus.SENDING, locked_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(result.scalars())
    return claimed


def _send_smtp(message: OutboxMessage) -> str:
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    msgid = make_msgid(domain=cfg["MAIL_FROM"].rpartition("@")[2] or None)
    email["Message-ID"] = msgid
    email["X-Portal-Message"] = str(message.id)
    email.set_content(message.body)
    with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=30) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USERNAME"):
            smtp.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD") or "")
        smtp.send_message(email)
    return msgid


def _notify_client() -> Any:

    return NotificationsAPIClient(current_app.config["NOTIFY_API_KEY"])


def _send_notify(message: OutboxMessage) -> str:
    """GOV.UK Notify with a template whose personalisation is ((subject)) and ((body))."""

    cfg = current_app.config
    client = _notify_client()
    try:
        if message.channel == MessageChannel.SMS:
            template_id = cfg.get("NOTIFY_SMS_TEMPLATE_ID")
            if not template_id:
                raise PermanentDeliveryError("NOTIFY_SMS_TEMPLATE_ID is not set")
            response = client.send_sms_notification(
                phone_number=message.recipient,
                template_id=template_id,
                personalisation={"body": message.body},
                reference=str(message.id),
            )
        else:
            template_id = cfg.get("NOTIFY_EMAIL_TEMPLATE_ID")
            if not template_id:
                raise PermanentDeliveryError("NOTIFY_EMAIL_TEMPLATE_ID is not set")
            response = client.send_email_notification(
                email_address=message.recipient,
                template_id=template_id,
                personalisation={"subject": message.subject, "body": message.body},
                reference=str(message.id),
            )
    except HTTPError as exc:
        if exc.status_code in (400, 403):
            raise PermanentDeliveryError(f"Notify refused the message ({exc.status_code})") from exc
        raise
    return str(response.get("id", ""))


def deliver(message: OutboxMessage) -> str:
    """Send one message. Returns the provider's reference; raises on failure."""
    if current_app.config.get("NOTIFY_API_KEY"):
        return _send_notify(message)
    if message.channel == MessageChannel.SMS:
        raise PermanentDeliveryError("Text messages are sent only through GOV.UK Notify; NOTIFY_API_KEY is not set")
    return _send_smtp(message)


def _error_text(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:500]


@transactional
def process(message_id: int, *, now: datetime | None = None) -> str:
    """Deliver one claimed message and record the outcome. Returns the new status value."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.SENDING:
        return "skipped"
    max_attempts = int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8))
    try:
        reference = deliver(message)
    except PermanentDeliveryError as exc:
        message.status = OutboxStatus.FAILED
        message.last_error = _error_text(exc)
        message.locked_at = None
        log.warning("outbox message %s failed permanently (%s)", message.id, type(exc).__name__)
    except Exception as exc:  # any transport error is retried
        message.last_error = _error_text(exc)
        message.locked_at = None
        if message.attempts >= max_attempts:
            message.status = OutboxStatus.FAILED
            log.warning(
                "outbox message %s failed after %s attempts (%s)", message.id, message.attempts, type(exc).__name__
            )
        else:
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = (now or now_utc()) + backoff(message.attempts)
            log.info("outbox message %s will retry (attempt %s, %s)", message.id, message.attempts, type(exc).__name__)
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = now or now_utc()
        message.provider_reference = reference[:120] if reference else None
        message.last_error = None
        message.locked_at = None
        log.info("outbox message %s sent", message.id)
    return message.status.value


def run_once(limit: int = 20) -> PassResult:
    """One pass of the worker: claim what is due and deliver it."""
    result = PassResult()
    while True:
        ids = claim(limit)
        if not ids:
            return result
        result.claimed += len(ids)
        result.ids.extend(ids)
        for message_id in ids:
            status = process(message_id)
            if status == OutboxStatus.SENT.value:
                result.sent += 1
            elif status == OutboxStatus.FAILED.value:
                result.failed += 1
            elif status == OutboxStatus.PENDING.value:
                result.retrying += 1


# --- staff actions ----------------------------------------------------------------------------------------------------


@transactional
def retry(message: OutboxMessage, *, actor_id: int | None) -> None:
    """Send a failed (or waiting) message again now, with a fresh set of attempts."""
    if message.status not in (OutboxStatus.FAILED, OutboxStatus.PENDING):
        raise DomainError("Only a failed or waiting message can be retried")
    before = audit.snapshot(message, ("status", "attempts", "next_attempt_at"))
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now_utc()
    message.locked_at = None
    audit.record(
        "outbox.retry",
        "outbox_message",
        message.id,
        actor_id=actor_id,
        submission_id=message.submission_id,
        before=before,
        after=audit.snapshot(message, ("status", "attempts", "next_attempt_at")),
    )


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status))
    counts = {s.value: 0 for s in OutboxStatus}
    for status, count in rows:
        counts[OutboxStatus(status).value] = count
    return counts


def outbox_list(status: str | None, *, limit: int = 200) -> list[OutboxMessage]:
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(OutboxMessage.status == OutboxStatus(status))
    else:
        stmt = stmt.where(OutboxMessage.status.in_([OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.SENDING]))
    return list(db.session.scalars(stmt))
