"""`flask --app wsgi report annual|quarterly|team`: reports from the records, as JSON, CSV, HTML or PDF.

The report services return data; this command turns it into text, a document or a PDF and writes it out.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import with_appcontext

from portal.domain import reporting
from portal.report_documents import render_document, render_pdf
from portal.services import reports

_DATE = click.DateTime(formats=["%Y-%m-%d"])
FORMATS = click.Choice(["json", "csv", "html", "pdf"])
F = TypeVar("F", bound=Callable[..., None])


def _emit(kind: str, data: Mapping[str, object], fmt: str, publication: bool, output: Path | None) -> None:
    if fmt == "pdf":
        _write_bytes(render_pdf(kind, data, publication=publication, details=not publication), output)
        return
    if fmt == "json":
        text = reports.json_text(data)
    elif fmt == "csv":
        text = reports.csv_text(data)
    else:
        text = render_document(kind, data, publication=publication, details=not publication)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _write_bytes(content: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        output.write_bytes(content)


def _period(start: datetime, end: datetime) -> reporting.Period:
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


def _options(f: F) -> F:
    for option in reversed(_common):
        f = option(f)
    return f


@report.command("annual")
@click.option("--start", type=_DATE, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--end", type=_DATE, required=True, help="Last day of the period (YYYY-MM-DD).")
@_options
@with_appcontext
def annual(start: datetime, end: datetime, fmt: str, publication: bool, output: Path | None) -> None:
    """The statutory annual report for START..END (inclusive)."""
    data = reports.annual_report(_period(start, end))
    _emit("annual", reports.for_publication(data) if publication else data, fmt, publication, output)


@report.command("quarterly")
@click.option("--end", type=_DATE, required=True, help="A day in the last quarter to show (YYYY-MM-DD).")
@click.option("--quarters", default=5, show_default=True, type=click.IntRange(1, 12))
@_options
@with_appcontext
def quarterly(end: datetime, quarters: int, fmt: str, publication: bool, output: Path | None) -> None:
    """Quarterly performance indicators (SPSO style) for the quarters ending with the one containing END."""
    data = reports.quarterly_indicators(end.date(), quarters, details=not publication)
    _emit("quarterly", reports.suppress_counts(data) if publication else data, fmt, publication, output)


@report.command("team")
@click.option("--start", type=_DATE, required=True)
@click.option("--end", type=_DATE, required=True)
@_options
@with_appcontext
def team(start: datetime, end: datetime, fmt: str, publication: bool, output: Path | None) -> None:
    """The team dashboard: per service area and team, for START..END."""
    data = reports.team_dashboard(_period(start, end))
    _emit("team", reports.suppress_counts(data) if publication else data, fmt, publication, output)


commands = [report]
