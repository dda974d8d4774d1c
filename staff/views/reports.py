"""Report pages: the annual report, quarterly performance indicators and the team dashboard, each for a chosen
period, with a CSV download, a printable page and a PDF. Complaints managers and report viewers only; report
viewers see aggregates, never case-level rows."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user

from portal.domain import reporting
from portal.domain.access import Action, can
from portal.report_documents import DOCUMENTS, render_pdf, template_context
from portal.services import clock, reports
from portal.services.reports.figures import AnyReport, QuarterlyIndicators, TeamDashboard
from staff import bp
from staff.forms.filters import PeriodForm
from staff.permissions import requires

REPORTS = {
    "annual": (
        "Annual report",
        "The statutory annual report: contacts, who made them and how, Stage 1 to 3, "
        "themes, outcomes, the Ombudsman, compliments, advocacy and learning, with last year alongside.",
    ),
    "quarterly": (
        "Quarterly performance indicators",
        "Received and closed per quarter; outcomes, average "
        "working days, closed within timescale and extensions at each stage, for five quarters.",
    ),
    "team": (
        "Team dashboard",
        "Per service area and team: initial feedback, complaints at each stage and their "
        "outcomes, cases closed, % upheld, % within timescale, ADR and Stage 2 costs.",
    ),
}


def _form_and_period() -> tuple[PeriodForm, reporting.Period | None]:
    today = clock.today_london()
    form = PeriodForm(formdata=request.args if request.args.get("period") else None, today=today)
    if request.args.get("period"):
        if not form.validate():
            return form, None
        try:
            return form, form.resolve()
        except reporting.PeriodError as exc:
            form.end.errors = [*form.end.errors, str(exc)]
            return form, None
    return form, reporting.financial_year(reporting.financial_year_start(today))


def _build(report: str, period: reporting.Period, *, publication: bool, details: bool) -> AnyReport:
    if report == "annual":
        annual = reports.annual_report(period, details=details and not publication)
        return reports.for_publication(annual) if publication else annual
    data: QuarterlyIndicators | TeamDashboard
    if report == "quarterly":
        data = reports.quarterly_indicators(period.end, details=details and not publication)
    else:
        data = reports.team_dashboard(period)
    return reports.suppress_counts(data) if publication else data


def _details() -> bool:
    """Case-level tables (references, Stage 2 cases, learning actions) are for complaints managers only."""
    return can(current_user.role, Action.VIEW_REPORT_CASE_DETAILS)


def _check(report: str) -> tuple[str, str]:
    if report not in REPORTS:
        abort(404)
    return REPORTS[report]


@bp.route("/reports")
@requires(Action.RUN_REPORTS)
def reports_index() -> str:
    return render_template("staff/reports/index.html", reports=REPORTS)


@bp.route("/reports/<report>")
@requires(Action.RUN_REPORTS)
def reports_show(report: str) -> str:
    title, summary = _check(report)
    form, period = _form_and_period()
    publication = request.args.get("version") == "publication"
    data = None
    if period is not None:
        data = _build(report, period, publication=publication, details=_details())
    return render_template(
        "staff/reports/show.html",
        report_slug=report,
        title=title,
        summary=summary,
        form=form,
        period=period,
        report=data,
        publication=publication,
        body_template=DOCUMENTS[report].body_template,
        links={
            "internal": _link("staff.reports_show", report, version=None),
            "publication": _link("staff.reports_show", report, version="publication"),
            "csv": _link("staff.reports_csv", report),
            "pdf": _link("staff.reports_pdf", report),
            "print": _link("staff.reports_print", report),
        },
        **template_context(charts=True, details=_details() and not publication),
    )


def _link(endpoint: str, report: str, **override: str | None) -> str:
    """A link to another view of the same report, keeping every query value (dates repeat their name)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in override]
    pairs += [(k, v) for k, v in override.items() if v is not None]
    query = urlencode(pairs)
    return url_for(endpoint, report=report) + (f"?{query}" if query else "")


def _download(report: str) -> tuple[reporting.Period, AnyReport, bool]:
    _check(report)
    _form, period = _form_and_period()
    if period is None:
        abort(400)
    publication = request.args.get("version") == "publication"
    return period, _build(report, period, publication=publication, details=_details()), publication


def _filename(report: str, period: reporting.Period, publication: bool, ext: str) -> str:
    version = "publication" if publication else "internal"
    return f"{report}-report-{period.start.isoformat()}-to-{period.end.isoformat()}-{version}.{ext}"


@bp.route("/reports/<report>/download.csv")
@requires(Action.RUN_REPORTS)
def reports_csv(report: str) -> Response:
    period, data, publication = _download(report)
    return Response(
        reports.csv_text(data),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_filename(report, period, publication, "csv")}"'},
    )


@bp.route("/reports/<report>/download.pdf")
@requires(Action.RUN_REPORTS)
def reports_pdf(report: str) -> Response:
    period, data, publication = _download(report)
    pdf = render_pdf(report, data, publication=publication, details=_details())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_filename(report, period, publication, "pdf")}"'},
    )


@bp.route("/reports/<report>/print")
@requires(Action.RUN_REPORTS)
def reports_print(report: str) -> str:
    title, _ = _check(report)
    period, data, publication = _download(report)
    return render_template(
        "staff/reports/print.html",
        report_slug=report,
        title=title,
        period=period,
        report=data,
        publication=publication,
        body_template=DOCUMENTS[report].body_template,
        back_url=_link("staff.reports_show", report),
        **template_context(charts=True, details=_details() and not publication),
    )
