"""The outbox worker against a real SMTP server on localhost (aiosmtpd), retries with back-off, crash recovery,
the staff outbox page, and two workers claiming at once on PostgreSQL."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from email import message_from_bytes

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from portal.domain.enums import MessageChannel, OutboxStatus, Role
from portal.models import OutboxMessage
from portal.services import sender
from portal.services.clock import now_utc
from portal.services.outbox import queue_message


class Recorder:
    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    recorder = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    old = (app.config["SMTP_HOST"], app.config["SMTP_PORT"])
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    yield recorder
    app.config.update(SMTP_HOST=old[0], SMTP_PORT=old[1])
    controller.stop()


def _queue(db, n=1, channel=MessageChannel.EMAIL, recipient="sam@example.com"):
    for i in range(n):
        queue_message(
            channel=channel, recipient=recipient, template="test", subject=f"Subject {i}", body=f"Body number {i}\n"
        )
    db.session.commit()


def test_worker_delivers_by_smtp_and_records_sent(db, smtp_server, runner):
    _queue(db, 3)
    result = runner.invoke(args=["send-messages", "--once"])
    assert result.exit_code == 0, result.output
    assert "3 sent" in result.output
    assert sorted(m["Subject"] for _, m in smtp_server.messages) == ["Subject 0", "Subject 1", "Subject 2"]
    rcpts, first = smtp_server.messages[0]
    assert rcpts == ["sam@example.com"] and first["From"] == "no-reply@example.gov.uk"
    assert "Body number" in first.get_payload()
    db.session.expire_all()
    rows = list(db.session.scalars(sa.select(OutboxMessage)))
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert all(r.sent_at and r.provider_reference and r.attempts == 1 and r.locked_at is None for r in rows)
    # A second pass sends nothing again.
    runner.invoke(args=["send-messages", "--once"])
    assert len(smtp_server.messages) == 3


def test_failures_back_off_then_fail_and_staff_can_retry(app, db, smtp_server):
    _queue(db, 1)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nothing listens there
    try:
        first = sender.run_once()
        assert first.retrying == 1
        message = db.session.scalar(sa.select(OutboxMessage))
        assert message.status == OutboxStatus.PENDING and message.attempts == 1 and message.last_error
        wait = message.next_attempt_at - now_utc()
        assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
        assert sender.run_once().claimed == 0  # not due yet
        for attempt in range(2, app.config["OUTBOX_MAX_ATTEMPTS"] + 1):
            message.next_attempt_at = now_utc() - timedelta(seconds=1)
            db.session.commit()
            sender.run_once()
            db.session.refresh(message)
            assert message.attempts == attempt
        assert message.status == OutboxStatus.FAILED
    finally:
        app.config["SMTP_PORT"] = port
    assert sender.backoff(3) == timedelta(minutes=4) and sender.backoff(20) == timedelta(hours=6)
    sender.retry(message, actor_id=None)
    assert sender.run_once().sent == 1
    assert len(smtp_server.messages) == 1


def test_a_message_stuck_in_sending_after_a_crash_is_sent_again(db, smtp_server):
    _queue(db, 1)
    [claimed] = sender.claim()
    message = db.session.get(OutboxMessage, claimed)
    assert message.status == OutboxStatus.SENDING
    # The worker died here. Before the stale limit nobody takes it; after it, the next worker does.
    assert sender.claim() == []
    message.locked_at = now_utc() - timedelta(minutes=11)
    db.session.commit()
    assert sender.run_once().sent == 1
    assert len(smtp_server.messages) == 1


def test_text_messages_need_notify(db, smtp_server):
    _queue(db, 1, channel=MessageChannel.SMS, recipient="07700900123")
    result = sender.run_once()
    assert result.failed == 1 and not smtp_server.messages
    message = db.session.scalar(sa.select(OutboxMessage))
    assert "GOV.UK Notify" in message.last_error


def test_notify_is_used_when_configured(app, db, monkeypatch):
    calls = []

    class FakeClient:
        def send_email_notification(self, **kwargs):
            calls.append(("email", kwargs))
            return {"id": "notify-1"}

        def send_sms_notification(self, **kwargs):
            calls.append(("sms", kwargs))
            return {"id": "notify-2"}

    monkeypatch.setattr(sender, "_notify_client", lambda: FakeClient())
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", "key")
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL_TEMPLATE_ID", "email-template")
    monkeypatch.setitem(app.config, "NOTIFY_SMS_TEMPLATE_ID", "sms-template")
    _queue(db, 1)
    _queue(db, 1, channel=MessageChannel.SMS, recipient="07700900123")
    assert sender.run_once().sent == 2
    assert [c[0] for c in calls] == ["email", "sms"]
    assert calls[0][1]["personalisation"] == {"subject": "Subject 0", "body": "Body number 0\n"}
    refs = set(db.session.scalars(sa.select(OutboxMessage.provider_reference)))
    assert refs == {"notify-1", "notify-2"}


def test_outbox_page_lists_failed_messages_with_retry(staff_client, db):
    _queue(db, 1)
    message = db.session.scalar(sa.select(OutboxMessage))
    message.status = OutboxStatus.FAILED
    message.attempts = 8
    message.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
    db.session.commit()
    client = staff_client(Role.COMPLAINTS_OFFICER)
    page = client.page("/staff/outbox")
    assert "Connection refused" in page.text and "Failed" in page.text
    response = client.post(f"/staff/outbox/{message.id}/retry", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0


@pytest.mark.postgres_only
def test_two_workers_on_postgresql_never_send_a_message_twice(app, db, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locking with SKIP LOCKED is a PostgreSQL feature")
    _queue(db, 40)
    db.session.remove()
    barrier = threading.Barrier(2)
    claims: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                ids = []
                while True:
                    batch = sender.claim(limit=3)
                    if not batch:
                        break
                    ids.extend(batch)
                    for message_id in batch:
                        sender.process(message_id)
                claims[number] = ids
                db.session.remove()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert not set(claims[1]) & set(claims[2])
    assert len(claims[1]) + len(claims[2]) == 40
    subjects = [m["Subject"] for _, m in smtp_server.messages]
    assert len(subjects) == 40 and len(set(subjects)) == 40
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.SENT)) == 40


def test_send_messages_loop_mode_delivers_and_stops_cleanly_on_sigterm(app, db, smtp_server, database_url):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    _queue(db, 2)
    db.session.remove()
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database_url,
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": str(app.config["SMTP_PORT"]),
    }
    flask = Path(sys.executable).with_name("flask")
    worker = subprocess.Popen(
        [str(flask), "--app", "wsgi", "send-messages", "--interval", "0.2"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(smtp_server.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp_server.messages) == 2
        # Queued while the worker runs: picked up on its next pass.
        _queue(db, 1, recipient="late@example.com")
        deadline = time.monotonic() + 30
        while len(smtp_server.messages) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [r for r, _ in smtp_server.messages][-1] == ["late@example.com"]
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "sent" in out
    statuses = list(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == [OutboxStatus.SENT] * 3
