"""Data commands: import and export of records in the interchange format, and the demo data for `make run`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.services import exporter, importer

_DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.command("import-cases")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_cases(path: Path) -> None:
    """Import historic records from a CSV in the interchange format (all or nothing; see docs/import-format.md)."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            result = importer.import_file(stream, source=path.name)
    except UnicodeDecodeError:
        click.echo(f"{path}: the file is not UTF-8 text; nothing was imported.", err=True)
        sys.exit(1)
    if not result.ok:
        for problem in result.problems:
            click.echo(f"{path.name}: {problem}", err=True)
        click.echo(f"{len(result.problems)} problem(s) found; nothing was imported.", err=True)
        sys.exit(1)
    click.echo(f"Imported {result.imported} records from {path.name}.")


@click.command("export-cases")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.option("--start", type=_DATE, help="Only records received on or after this date (YYYY-MM-DD).")
@click.option("--end", type=_DATE, help="Only records received on or before this date (YYYY-MM-DD).")
@with_appcontext
def export_cases(output: Path | None, start, end) -> None:  # type: ignore[no-untyped-def]
    """Write every record in the interchange format (the file `import-cases` reads)."""
    start_day = start.date() if start else None
    end_day = end.date() if end else None
    if output is None:
        exporter.write_csv(sys.stdout, start_day, end_day)
        return
    with output.open("w", encoding="utf-8", newline="") as stream:
        n = exporter.write_csv(stream, start_day, end_day)
    click.echo(f"Exported {n} records to {output}.", err=True)


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has records or accounts.")
@with_appcontext
def demo_data(if_empty: bool) -> None:
    """Load synthetic demo records for the last 12 months and one demo account per staff role."""
    from flask import current_app

    from portal.services import demo

    if current_app.config.get("APP_ENV") == "production":
        click.echo("Error: demo-data is refused when APP_ENV=production.", err=True)
        sys.exit(1)
    result = demo.load(if_empty=if_empty)
    if not result.created:
        click.echo("Demo data not loaded: the database already has records or staff accounts.")
        return
    click.echo(f"Demo data loaded: {result.records} records.")
    click.echo("")
    click.echo("Sign in at http://127.0.0.1:5000/staff/sign-in with one of these accounts (all share the password).")
    click.echo(f"Password: {demo.DEMO_PASSWORD}")
    for account in result.accounts:
        click.echo(f"  {account.role.value:<20} {account.email:<34} two-factor secret {account.totp_secret}")
    manager = result.accounts[0]
    click.echo("")
    click.echo("For the two-factor code, add the secret to an authenticator app, or run:")
    click.echo(f"  .venv/bin/flask --app wsgi totp-code --email {manager.email}")


commands = [import_cases, export_cases, demo_data]
