"""Set-up and housekeeping commands."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import with_appcontext

from portal.services.calendar import bank_holiday_calendar, calendar_for
from portal.services.reference_data import ensure_reference_data


@click.command("init-data")
@with_appcontext
def init_data() -> None:
    """Add the default procedures, timescales and category lists (never overwrites edits)."""
    added = ensure_reference_data()
    click.echo(
        f"Reference data: {added['procedures']} procedures, {added['timescales']} timescales, "
        f"{added['categories']} list entries added."
    )


@click.command("calendar-status")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
@click.option("--min-months", default=12, show_default=True, help="Fail when less than this much coverage remains.")
@with_appcontext
def calendar_status(today, min_months: int) -> None:  # type: ignore[no-untyped-def]
    """Report the bank-holiday data's coverage; exit 1 when less than 12 months remain."""
    from flask import current_app

    division = current_app.config["BANK_HOLIDAY_DIVISION"]
    calendar = bank_holiday_calendar(division)
    day = today.date() if today else date.today()
    with_closures = calendar_for(None)
    remaining_days = (calendar.covered_until - day).days
    click.echo(f"Division: {division}")
    click.echo(f"Bank holidays known from {calendar.covered_from.isoformat()} to {calendar.covered_until.isoformat()}")
    click.echo(f"Coverage left: {remaining_days} days")
    click.echo(f"Closure days counted by the corporate and Scottish procedures: {len(with_closures.closures)}")
    # 12 months of coverage means the day a year from today must still be covered.
    try:
        needed = day.replace(year=day.year + min_months // 12)
    except ValueError:  # 29 February
        needed = day.replace(year=day.year + min_months // 12, day=28)
    if calendar.covered_until < needed:
        click.echo(
            f"FAIL: less than {min_months} months of bank-holiday data left. Upgrade govuk-bank-holidays or add "
            "instance/extra-bank-holidays.json.",
            err=True,
        )
        sys.exit(1)
    click.echo("OK")


commands = [init_data, calendar_status]
