"""`flask --app wsgi report annual|quarterly|team|table`: reports from the records, as JSON, CSV, HTML or PDF.

The report services return data; this command turns it into text, a document or a PDF and writes it out. The
annual report, the team dashboard and the table builder take the same filters (--care-status, --service-area,
--team, --person-type), each of which may be given more than once.
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
from portal.domain.enums import CareStatus, PersonType
from portal.report_documents import render_document, render_pdf, table_title
from portal.services import reports
from portal.services.clock import today_london

_DATE = click.DateTime(formats=["%Y-%m-%d"])
FORMATS = click.Choice(["json", "csv", "html", "pdf"])
F = TypeVar("F", bound=Callable[..., None])


def _emit(
    kind: str,
    data: Mapping[str, object],
    fmt: str,
    publication: bool,
    output: Path | None,
    title: str | None = None,
) -> None:
    if fmt == "pdf":
        _write_bytes(render_pdf(kind, data, publication=publication, details=not publication, title=title), output)
        return
    if fmt == "json":
        text = reports.json_text(data)
    elif fmt == "csv":
        text = reports.table_csv_text(data) if kind == "table" else reports.csv_text(data)
    else:
        text = render_document(kind, data, publication=publication, details=not publication, title=title)
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
    click.option(
        "--percent-dp",
        type=click.IntRange(0, 2),
        default=1,
        show_default=True,
        help="Decimal places of percentages (0: whole numbers, as published reports do).",
    ),
]


def _options(f: F) -> F:
    for option in reversed(_common):
        f = option(f)
    return f


_CARE_STATUSES = click.Choice([c.value for c in CareStatus] + [reports.NOT_RECORDED])
_PERSON_TYPES = click.Choice([t.value for t in PersonType] + [reports.NOT_RECORDED])
_filters = [
    click.option("--care-status", multiple=True, type=_CARE_STATUSES, help="Only records with this care status."),
    click.option("--service-area", multiple=True, help="Only records of this service area (by name)."),
    click.option("--team", multiple=True, help="Only records of this team (by name)."),
    click.option("--person-type", multiple=True, type=_PERSON_TYPES, help="Only records made by this kind of person."),
]


def _filter_options(f: F) -> F:
    for option in reversed(_filters):
        f = option(f)
    return f


def _filter(
    care_status: tuple[str, ...], service_area: tuple[str, ...], team: tuple[str, ...], person_type: tuple[str, ...]
) -> reports.ReportFilter:
    """The filters given on the command line; a service area or team that does not exist is an error."""
    where = reports.ReportFilter(care_status=care_status, service_area=service_area, team=team, person_type=person_type)
    problems = reports.unknown_names(where)
    if problems:
        raise click.BadParameter("; ".join(problems))
    return where


@report.command("annual")
@click.option("--start", type=_DATE, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--end", type=_DATE, required=True, help="Last day of the period (YYYY-MM-DD).")
@click.option(
    "--compare-years",
    type=click.IntRange(1, 10),
    default=1,
    show_default=True,
    help="How many earlier years to compare with (seed 002 shows four years: --compare-years 3).",
)
@_options
@_filter_options
@with_appcontext
def annual(
    start: datetime,
    end: datetime,
    compare_years: int,
    fmt: str,
    publication: bool,
    output: Path | None,
    percent_dp: int,
    **filters: tuple[str, ...],
) -> None:
    """The statutory annual report for START..END (inclusive)."""
    with reporting.percent_places(percent_dp):
        data = reports.annual_report(_period(start, end), where=_filter(**filters), compare_years=compare_years)
        _emit("annual", reports.for_publication(data) if publication else data, fmt, publication, output)


@report.command("quarterly")
@click.option("--end", type=_DATE, required=True, help="A day in the last quarter to show (YYYY-MM-DD).")
@click.option("--quarters", default=5, show_default=True, type=click.IntRange(1, 12))
@_options
@with_appcontext
def quarterly(end: datetime, quarters: int, fmt: str, publication: bool, output: Path | None, percent_dp: int) -> None:
    """Quarterly performance indicators (SPSO style) for the quarters ending with the one containing END."""
    with reporting.percent_places(percent_dp):
        data = reports.quarterly_indicators(end.date(), quarters, details=not publication)
        _emit("quarterly", reports.suppress_counts(data) if publication else data, fmt, publication, output)


@report.command("team")
@click.option("--start", type=_DATE, required=True)
@click.option("--end", type=_DATE, required=True)
@_options
@_filter_options
@with_appcontext
def team(
    start: datetime,
    end: datetime,
    fmt: str,
    publication: bool,
    output: Path | None,
    percent_dp: int,
    **filters: tuple[str, ...],
) -> None:
    """The team dashboard: per service area and team, for START..END."""
    with reporting.percent_places(percent_dp):
        data = reports.team_dashboard(_period(start, end), where=_filter(**filters))
        _emit("team", reports.suppress_counts(data) if publication else data, fmt, publication, output)


@report.command("table")
@click.option("--of", "population", type=click.Choice(list(reports.POPULATIONS)), required=True, help="What to count.")
@click.option("--rows", type=click.Choice(list(reports.DIMENSIONS)), required=True, help="A row for each value of.")
@click.option("--columns", type=click.Choice(list(reports.DIMENSIONS)), help="A column for each value of (optional).")
@click.option("--start", type=_DATE, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--end", type=_DATE, required=True, help="Last day of the period (YYYY-MM-DD).")
@_options
@_filter_options
@with_appcontext
def table(
    population: str,
    rows: str,
    columns: str | None,
    start: datetime,
    end: datetime,
    fmt: str,
    publication: bool,
    output: Path | None,
    percent_dp: int,
    **filters: tuple[str, ...],
) -> None:
    """Any count by one or two dimensions over START..END (the table builder; definitions in docs/reports.md)."""
    spec = reports.TableSpec(of=population, rows=rows, columns=columns, where=_filter(**filters))
    try:
        data = reports.build_table(spec, _period(start, end))
    except reports.TableError as exc:
        raise click.UsageError(str(exc)) from exc
    shown = reports.table_for_publication(data) if publication else data
    with reporting.percent_places(percent_dp):
        _emit("table", shown, fmt, publication, output, title=table_title(data))


@report.command("board")
@click.option("--start", type=_DATE, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--end", type=_DATE, required=True, help="Last day of the period (YYYY-MM-DD).")
@_options
@_filter_options
@with_appcontext
def board(
    start: datetime,
    end: datetime,
    fmt: str,
    publication: bool,
    output: Path | None,
    percent_dp: int,
    **filters: tuple[str, ...],
) -> None:
    """The board report (seed 004): outcomes, upheld complaints with their points, overdue open cases and Stage 2
    investigations concluded, for START..END. --publication keeps the counts only (no references, no free text)."""
    with reporting.percent_places(percent_dp):
        data = reports.board_report(_period(start, end), today=today_london(), where=_filter(**filters))
        _emit("board", reports.board_for_publication(data) if publication else data, fmt, publication, output)


commands = [report]
