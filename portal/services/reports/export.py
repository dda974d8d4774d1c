"""How a report leaves the portal: the version for publication (small numbers suppressed, no case-level rows)
and the JSON and CSV text of any report. HTML and PDF are made at the edge, by the pages and the command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from flask import current_app

from portal.domain import reporting
from portal.services.reports.figures import (
    AnnualReport,
    BoardReport,
    BuiltTable,
    PublishedReport,
    QuarterlyIndicators,
    TeamDashboard,
)

CsvRow = tuple[str, str, str, object]


def for_publication(report: AnnualReport, threshold: int | None = None) -> PublishedReport:
    """The annual report as it may be published: small numbers suppressed, no case-level tables or references."""
    threshold = threshold or current_app.config["SMALL_NUMBER_THRESHOLD"]
    published: dict[str, object] = {k: v for k, v in report.items() if k not in ("stage2_cases",)}
    if "learning_actions" in report:
        published["learning_actions"] = [
            {k: v for k, v in action.items() if k != "reference"} for action in report["learning_actions"]
        ]
    stage2: dict[str, object] = dict(report["stage2"])
    if 0 < len(report["stage2"]["working_days"]) < threshold:
        stage2["working_days"] = "suppressed"
    published["stage2"] = stage2
    return _with_marker(
        reporting.suppress(published, threshold, keep=frozenset({"period", "working_days", "procedure"})), threshold
    )


def suppress_counts(report: QuarterlyIndicators | TeamDashboard) -> PublishedReport:
    """Small-number suppression for the quarterly indicators and the team dashboard."""
    threshold: int = current_app.config["SMALL_NUMBER_THRESHOLD"]
    return _with_marker(reporting.suppress(report, threshold, keep=frozenset({"period", "timescale"})), threshold)


def table_for_publication(table: BuiltTable) -> PublishedReport:
    """A built table as it may be published: every cell and total from 1 to threshold-1 suppressed."""
    threshold: int = current_app.config["SMALL_NUMBER_THRESHOLD"]
    return _with_marker(reporting.suppress(table, threshold, keep=frozenset({"period", "filters"})), threshold)


def board_for_publication(report: BoardReport) -> PublishedReport:
    """The board report as it may be published: the counts only (no references, no complaint points or other free
    text), small numbers suppressed."""
    threshold: int = current_app.config["SMALL_NUMBER_THRESHOLD"]
    counts = {k: v for k, v in report.items() if k in ("period", "filters", "overview")}
    return _with_marker(reporting.suppress(counts, threshold, keep=frozenset({"period", "filters"})), threshold)


def _with_marker(suppressed: PublishedReport, threshold: int) -> PublishedReport:
    suppressed["publication"] = {"small_number_threshold": threshold, "suppressed_marker": f"<{threshold}"}
    return suppressed


def json_text(report: Mapping[str, object]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def flatten(report: Mapping[str, object]) -> list[CsvRow]:
    """The report as (section, item, breakdown, value) rows for a CSV file; lists of records become numbered items."""
    rows: list[CsvRow] = []

    def walk(section: str, path: list[str], value: object) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(section, [*path, str(k)], v)
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            for i, item in enumerate(value, start=1):
                walk(section, [*path, str(i)], item)
        elif isinstance(value, list):
            rows.append((section, path[0] if path else "", ".".join(path[1:]), ";".join(str(v) for v in value)))
        else:
            rows.append((section, path[0] if path else "", ".".join(path[1:]), value))

    for section, value in report.items():
        walk(section, [], value)
    return rows


def csv_text(report: Mapping[str, object]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "breakdown", "value"])
    for row in flatten(report):
        writer.writerow([reporting.csv_safe(v) for v in row])
    return out.getvalue()


def table_csv_text(table: Mapping[str, object]) -> str:
    """A built table as a grid: a row per value of `rows`, a column per value of `columns` (or one `count`
    column), and the totals (`totals.rows`, `totals.columns`, `totals.records`) as the last column and row."""
    grid = table["table"]
    totals = table["totals"]
    assert isinstance(grid, Mapping) and isinstance(totals, Mapping)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if table["columns"] is None:
        writer.writerow([table["rows"], "count"])
        writer.writerows([reporting.csv_safe(k), reporting.csv_safe(v)] for k, v in grid.items())
        writer.writerow(["total", reporting.csv_safe(totals["records"])])
        return out.getvalue()
    row_totals, column_totals = totals["rows"], totals["columns"]
    writer.writerow([f"{table['rows']} by {table['columns']}", *map(reporting.csv_safe, column_totals), "total"])
    for row, cells in grid.items():
        writer.writerow(
            [
                reporting.csv_safe(row),
                *(reporting.csv_safe(v) for v in cells.values()),
                reporting.csv_safe(row_totals[row]),
            ]
        )
    writer.writerow(
        ["total", *(reporting.csv_safe(v) for v in column_totals.values()), reporting.csv_safe(totals["records"])]
    )
    return out.getvalue()
