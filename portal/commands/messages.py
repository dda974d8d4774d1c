"""`flask --app wsgi send-messages`: the outbox worker (safe to run as several processes on PostgreSQL)."""

from __future__ import annotations

import signal
import time
from typing import Any

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.services import sender


@click.command("send-messages")
@click.option("--once", is_flag=True, help="Do one pass over the due messages and exit.")
@click.option("--limit", default=20, show_default=True, help="Messages claimed at a time.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds to wait between passes in loop mode.")
@with_appcontext
def send_messages(once: bool, limit: int, interval: float) -> None:
    """Deliver queued messages by SMTP, or GOV.UK Notify when NOTIFY_API_KEY is set."""
    stopping = {"now": False}

    def stop(signum: int, frame: Any) -> None:
        stopping["now"] = True

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    while True:
        result = sender.run_once(limit)
        db.session.remove()
        if once or result.claimed:
            click.echo(
                f"Claimed {result.claimed}: {result.sent} sent, {result.retrying} to retry, {result.failed} failed."
            )
        if once or stopping["now"]:
            return
        slept = 0.0
        while slept < interval and not stopping["now"]:
            time.sleep(min(0.5, interval - slept))
            slept += 0.5
        if stopping["now"]:
            return


commands = [send_messages]
