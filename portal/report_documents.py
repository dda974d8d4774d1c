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
    LGSCO_DECISION_LABELS,
    PERSON_TYPE_LABELS,
    STAGE_LABELS,
)
from portal.services.clock import today_london
from portal.services.reports import NOT_RECORDED


class Document(NamedTuple):
    body_template: str
    title: str


DOCUMENTS = {
    "annual": Document("reports/_annual.html", "Complaints and compliments annual report"),
    "quarterly": Document("reports/_quarterly.html", "Complaints performance indicators"),
    "team": Document("reports/_team.html", "Team dashboard"),
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
        text += f" ({reporting.round_half_up(diff * 100 / b, 1):+}%)"
    return text


LABELS = {
    "classification": _plain(CLASSIFICATION_LABELS),
    "channel": _plain(CHANNEL_LABELS),
    "person_type": _plain(PERSON_TYPE_LABELS),
    "care_status": _plain(CARE_STATUS_LABELS),
    "finding": _plain(FINDING_LABELS),
    "lgsco": _plain(LGSCO_DECISION_LABELS),
    "stage": {str(k.value): v for k, v in STAGE_LABELS.items()},
}


def template_context(*, charts: bool = True, details: bool = False) -> dict[str, object]:
    """What the report templates (templates/reports/_*.html) need besides the figures: labels, a percentage and
    a change helper, and switches for charts and case-level tables."""
    helpers: dict[str, Callable[[object, object], str]] = {"change": change, "pct": pct}
    return {**helpers, "labels": LABELS, "charts": charts, "details": details}


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


def render_document(kind: str, report: Mapping[str, object], *, publication: bool, details: bool = False) -> str:
    """The standalone printable HTML document of a report (also what the PDF is made from)."""
    body_template, title = DOCUMENTS[kind]
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


def render_pdf(kind: str, report: Mapping[str, object], *, publication: bool, details: bool = False) -> bytes:
    """The PDF of the printable document."""
    # WeasyPrint takes about a second to import: only the code that makes a PDF pays for it (issue 14).
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_document(kind, report, publication=publication, details=details)).write_pdf()
    return pdf
