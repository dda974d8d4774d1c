"""`flask --app wsgi report annual|quarterly|team`: reports from the records, as JSON, CSV, HTML or PDF."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.domain import reporting
from portal.services import reports

_DATE = click.DateTime(formats=["%Y-%m-%d"])
FORMATS = click.Choice(["json", "csv", "html", "pdf"])


def _emit(kind: str, data: dict, fmt: str, publication: bool, output: Path | None) -> None:
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = reports.csv_text(data)
    elif fmt == "html":
        text = reports.render_document(kind, data, publication=publication, details=not publication)
    else:
        pdf = reports.render_pdf(kind, data, publication=publication, details=not publication)
        if output is None:
            sys.stdout.buffer.write(pdf)
        else:
            output.write_bytes(pdf)
        return
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _period(start, end) -> reporting.Period:  # type: ignore[no-untyped-def]
    try:
        return reporting.custom(start.date(), end.date())
    except reporting.PeriodError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.group("report")
def report() -> None:
    """Reports from the records (definitions in docs/reports.md)."""


_common = [
    click.option("--format", "fmt", type=FORMATS, default="json", show_default=True),
    click.option("--publication", is_flag=True, help="Suppress small numbers and case-level tables for publishing."),
    click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."),
]


def _options(f):  # type: ignore[no-untyped-def]
    for option in reversed(_common):
        f = option(f)
    return f


@report.command("annual")
@click.option("--start", type=_DATE, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--end", type=_DATE, required=True, help="Last day of the period (YYYY-MM-DD).")
@_options
@with_appcontext
def annual(start, end, fmt: str, publication: bool, output: Path | None) -> None:  # type: ignore[no-untyped-def]
    """The statutory annual report for START..END (inclusive)."""
    data = reports.annual_report(_period(start, end))
    if publication:
        data = reports.for_publication(data)
    _emit("annual", data, fmt, publication, output)


@report.command("quarterly")
@click.option("--end", type=_DATE, required=True, help="A day in the last quarter to show (YYYY-MM-DD).")
@click.option("--quarters", default=5, show_default=True, type=click.IntRange(1, 12))
@_options
@with_appcontext
def quarterly(end, quarters: int, fmt: str, publication: bool, output: Path | None) -> None:  # type: ignore[no-untyped-def]
    """Quarterly performance indicators (SPSO style) for the quarters ending with the one containing END."""
    data = reports.quarterly_indicators(end.date(), quarters, details=not publication)
    if publication:
        data = reports.suppress_counts(data)
    _emit("quarterly", data, fmt, publication, output)


@report.command("team")
@click.option("--start", type=_DATE, required=True)
@click.option("--end", type=_DATE, required=True)
@_options
@with_appcontext
def team(start, end, fmt: str, publication: bool, output: Path | None) -> None:  # type: ignore[no-untyped-def]
    """The team dashboard: per service area and team, for START..END."""
    data = reports.team_dashboard(_period(start, end))
    if publication:
        data = reports.suppress_counts(data)
    _emit("team", data, fmt, publication, output)


commands = [report]
