"""Reports from the records: the statutory annual report, the quarterly performance indicators and the team
dashboard. Each returns typed data (figures.py); definitions of every figure are in docs/reports.md.

- definitions.py: the populations every report counts (contacts, S1, Stage 2 requests…), named once.
- queries.py: the small helpers that run an aggregate and key its counts.
- annual.py, quarterly.py, team.py: one report each, built from those aggregates.
- tables.py: the table builder (any population by one or two dimensions).
- board.py: the board report (seed 004): outcomes, upheld complaints and their points, overdue cases.
- export.py: the version for publication, and JSON and CSV text.

HTML and PDF are made at the edge (staff/views/reports.py and `flask report`, through portal/report_documents.py).
"""

from portal.services.reports.annual import annual_report
from portal.services.reports.board import board_report
from portal.services.reports.definitions import EVERYTHING, NOT_RECORDED, ReportFilter, scotland, stage_names
from portal.services.reports.export import (
    board_for_publication,
    csv_text,
    flatten,
    for_publication,
    json_text,
    suppress_counts,
    table_csv_text,
    table_for_publication,
)
from portal.services.reports.quarterly import quarterly_indicators
from portal.services.reports.queries import unknown_names
from portal.services.reports.tables import DIMENSIONS, POPULATIONS, TableError, TableSpec, build_table, dimensions_for
from portal.services.reports.team import team_dashboard

__all__ = [
    "DIMENSIONS",
    "EVERYTHING",
    "NOT_RECORDED",
    "POPULATIONS",
    "ReportFilter",
    "TableError",
    "TableSpec",
    "annual_report",
    "board_for_publication",
    "board_report",
    "build_table",
    "csv_text",
    "dimensions_for",
    "flatten",
    "for_publication",
    "json_text",
    "quarterly_indicators",
    "scotland",
    "stage_names",
    "suppress_counts",
    "table_csv_text",
    "table_for_publication",
    "team_dashboard",
    "unknown_names",
]
