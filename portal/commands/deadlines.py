"""`send-reminders` (daily digests) and `recompute-deadlines` (after timescale or closure-day changes)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.services.clock import today_london


@click.command("send-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
@with_appcontext
def send_reminders_command(today) -> None:  # type: ignore[no-untyped-def]
    """Queue one digest per person of what is overdue or due within REMINDER_WORKING_DAYS (once a day)."""
    from portal.services.reminders import send_reminders

    day = today.date() if today else today_london()
    counts = send_reminders(day)
    if counts["not_a_working_day"]:
        click.echo(f"{day.isoformat()} is not a working day: no reminders sent.")
        return
    click.echo(
        f"Reminders for {day.isoformat()}: {counts['queued']} digests queued ({counts['items']} items), "
        f"{counts['already_sent']} already sent today."
    )


@click.command("recompute-deadlines")
@with_appcontext
def recompute_deadlines_command() -> None:
    """Recompute the stored due dates of every open stage from the current timescales and closure days."""
    from portal.services.procedures import recompute_open_stages

    changed = recompute_open_stages(actor_id=None)
    click.echo(f"Recomputed open stages: {changed} changed.")


commands = [send_reminders_command, recompute_deadlines_command]
