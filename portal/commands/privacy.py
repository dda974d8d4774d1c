"""Information governance commands: ``flask --app wsgi audit verify`` (the audit trail's hash chain)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.services import audit_chain


@click.group("audit")
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check every audit event against its hash and the event before it; exit 1 at the first broken link."""
    report = audit_chain.verify()
    if report.broken is not None:
        broken = report.broken
        click.echo(
            f"Audit chain BROKEN at event id {broken.event_id} (place {broken.seq}): {broken.reason}. "
            f"{report.events - 1} events before it hold."
        )
        raise SystemExit(1)
    if report.events == 0:
        click.echo("Audit chain intact: no events yet.")
        return
    click.echo(f"Audit chain intact: {report.events} events, newest place {report.head_seq}, hash {report.head_hash}.")


commands = [audit]
