"""Reports made into documents, at the edge: what the report templates need besides the figures, the standalone
printable HTML document, and its PDF. The staff report pages and `flask --app wsgi report` both use this; the
report services only return data (portal/services/reports)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import NamedTuple, TypeVar

from flask import current_app, render_template

from portal.domain import reporting
from portal.domain.enums import (
    CARE_STATUS_LABELS,
    CHANNEL_LABELS,
    CLASSIFICATION_LABELS,
    FINDING_LABELS,
    LEARNING_CATEGORY_LABELS,
    LGSCO_DECISION_LABELS,
    PERSON_TYPE_LABELS,
    STAGE_LABELS,
)
from portal.domain.lifecycle import REMEDY_KINDS
from portal.services.clock import today_london
from portal.services.reports import DIMENSIONS, NOT_RECORDED, POPULATIONS
from portal.services.reports.tables import OVER_AGE_BANDS


class Document(NamedTuple):
    body_template: str
    title: str


DOCUMENTS = {
    "annual": Document("reports/_annual.html", "Complaints and compliments annual report"),
    "quarterly": Document("reports/_quarterly.html", "Complaints performance indicators"),
    "team": Document("reports/_team.html", "Team dashboard"),
    "table": Document("reports/_table.html", "Table"),
    "board": Document("reports/_board.html", "Board report: complaints overview"),
}


E = TypeVar("E", bound=Enum)


def _plain(labels: Mapping[E, str]) -> dict[str, str]:
    return {str(k.value): v for k, v in labels.items()} | {NOT_RECORDED: "Not recorded"}


def pct(numerator: object, denominator: object) -> str:
    """A percentage for a table cell; '–' when either side is not a count (suppressed, or not applicable)."""
    if not isinstance(numerator, int) or not isinstance(denominator, int) or isinstance(numerator, bool):
        return "–"
    return reporting.percentage(numerator, denominator)


def change(now: object, before: object) -> str:
    """'+3 (+25.0%)': the difference from the year before; '–' when either is not a number."""
    if isinstance(now, bool) or isinstance(before, bool):
        return "–"
    try:
        a, b = Decimal(str(now)), Decimal(str(before))
    except (ArithmeticError, ValueError):
        return "–"
    diff = a - b
    text = f"{diff:+}" if diff == diff.to_integral_value() else f"{reporting.round_half_up(diff, 2):+}"
    if b:
        text += f" ({reporting.round_half_up(diff * 100 / b, reporting.percent_decimal_places()):+}%)"
    return text


LABELS = {
    "classification": _plain(CLASSIFICATION_LABELS),
    "channel": _plain(CHANNEL_LABELS),
    "person_type": _plain(PERSON_TYPE_LABELS),
    "care_status": _plain(CARE_STATUS_LABELS),
    "finding": _plain(FINDING_LABELS),
    "lgsco": _plain(LGSCO_DECISION_LABELS),
    "stage": {str(k.value): v for k, v in STAGE_LABELS.items()},
    "remedy": REMEDY_KINDS | {NOT_RECORDED: "None recorded"},
    "learning_category": _plain(LEARNING_CATEGORY_LABELS),
    "decision": {"accepted": "Accepted", "declined": "Declined", NOT_RECORDED: "Not decided or not recorded"},
    "age_band": {OVER_AGE_BANDS: "25 or over", NOT_RECORDED: "Not recorded"},
    "not_recorded": {NOT_RECORDED: "Not recorded"},
}

DIMENSION_LABELS = {
    "channel": "channel",
    "person_type": "person_type",
    "care_status": "care_status",
    "classification": "classification",
    "stage1_outcome": "finding",
    "stage2_outcome": "finding",
    "stage3_outcome": "finding",
    "stage2_decision": "decision",
    "lgsco_decision": "lgsco",
    "remedy": "remedy",
    "learning_category": "learning_category",
    "age_band": "age_band",
}
"""Which of LABELS words each table-builder dimension's values (the others are names and list entries already)."""


def value_labels(dimension: str | None) -> dict[str, str]:
    """The words for a dimension's stored values in a table (what is not here is shown as stored)."""
    return LABELS[DIMENSION_LABELS.get(dimension or "", "not_recorded")]


def template_context(*, charts: bool = True, details: bool = False) -> dict[str, object]:
    """What the report templates (templates/reports/_*.html) need besides the figures: labels, a percentage and
    a change helper, and switches for charts and case-level tables."""
    helpers: dict[str, Callable[[object, object], str]] = {"change": change, "pct": pct}
    return {
        **helpers,
        "labels": LABELS,
        "value_labels": value_labels,
        "dimension_names": {name: d.label for name, d in DIMENSIONS.items()},
        "population_names": POPULATIONS,
        "charts": charts,
        "details": details,
    }


def _period_text(report: Mapping[str, object]) -> tuple[str, str, str]:
    """The period's label, first and last day as the document's heading shows them (a quarterly report has no
    period of its own: it runs from its first quarter to its last)."""
    period = report.get("period")
    if isinstance(period, Mapping):
        return str(period.get("label", "")), str(period["start"]), str(period["end"])
    quarters = report.get("quarters")
    if isinstance(quarters, list) and quarters:
        return "", str(quarters[0]), str(quarters[-1])
    return "", "", ""


def render_document(
    kind: str, report: Mapping[str, object], *, publication: bool, details: bool = False, title: str | None = None
) -> str:
    """The standalone printable HTML document of a report (also what the PDF is made from)."""
    body_template, default_title = DOCUMENTS[kind]
    title = title or default_title
    label, start, end = _period_text(report)
    return render_template(
        "reports/document.html",
        body_template=body_template,
        title=title,
        report=report,
        council_name=current_app.config.get("COUNCIL_NAME", ""),
        period_label=label,
        period_start=start,
        period_end=end,
        publication=publication,
        threshold=current_app.config["SMALL_NUMBER_THRESHOLD"],
        produced_on=today_london().isoformat(),
        **template_context(charts=True, details=details and not publication),
    )


def render_pdf(
    kind: str, report: Mapping[str, object], *, publication: bool, details: bool = False, title: str | None = None
) -> bytes:
    """The PDF of the printable document."""
    # WeasyPrint takes about a second to import: only the code that makes a PDF pays for it (issue 14).
    from weasyprint import HTML

    document = render_document(kind, report, publication=publication, details=details, title=title)
    pdf: bytes = HTML(string=document).write_pdf()
    return pdf


def table_title(table: Mapping[str, object]) -> str:
    """A built table's heading: "Stage 1 complaints (S1) received in the period, by theme and Stage 1 finding"."""
    names = {name: d.label.lower() for name, d in DIMENSIONS.items()}
    by = names.get(str(table["rows"]), str(table["rows"]))
    if table.get("columns"):
        by += " and " + names.get(str(table["columns"]), str(table["columns"]))
    return f"{POPULATIONS.get(str(table['of']), str(table['of']))}, by {by}"
