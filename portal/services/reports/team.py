"""The team dashboard (seed 000): per service area and team, what came in, how it ended, how fast, ADR and Stage 2
costs, and the top root causes and learning categories; over a financial year, the service summary also shows the
two half-years beside the year. Definitions: docs/reports.md."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeAlias

import sqlalchemy as sa

from portal.domain import reporting
from portal.domain.enums import Classification, StageName, SubmissionKind, SubmissionStatus
from portal.domain.reporting import Period, money, percentage
from portal.extensions import db
from portal.models import AdrSession, LearningAction, ServiceArea, StageRecord, Submission, Team
from portal.services.reports.definitions import (
    EVERYTHING,
    NOT_RECORDED,
    OUTCOMES,
    UPHELD_OR_PARTLY,
    ReportFilter,
    in_period,
    narrowed,
    stage_completed,
    stage_names,
    stage_requested,
)
from portal.services.reports.figures import (
    HalfYearSummary,
    RankedName,
    StageCounts,
    TeamDashboard,
    TeamRow,
    TeamTotals,
)
from portal.services.reports.queries import labelled, n

AREA = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
TEAM = sa.func.coalesce(Team.name, NOT_RECORDED)
RowKey: TypeAlias = tuple[str, str]
"""(service area, team): the dashboard's row key."""
Grouped: TypeAlias = dict[RowKey, tuple[Any, ...]]


def team_dashboard(period: Period, *, where: ReportFilter = EVERYTHING) -> TeamDashboard:
    """`where` narrows the dashboard to the records that match it (definitions.ReportFilter)."""
    rows, totals = _rows_and_totals(period, where)
    dashboard = TeamDashboard(
        period=labelled(period),
        stages=_stage_values(),
        top_root_causes=_top_root_causes(period, where),
        top_learning_categories=_top_learning_categories(period, where),
        rows=rows,
        totals=totals,
        half_years=[_half_year(half, where) for half in _halves(period)],
    )
    if where:
        dashboard["filters"] = where.as_dict()
    return dashboard


def _stage_values() -> list[str]:
    return [s.value for s in stage_names() if s is not None]


def _halves(period: Period) -> list[Period]:
    """April–September and October–March, when P is a financial year (seed 000's service summary); else none."""
    year = period.start.year
    whole = reporting.financial_year(year)
    if (period.start, period.end) != (whole.start, whole.end):
        return []
    return [reporting.half_year(year, 1), reporting.half_year(year, 2)]


def _half_year(half: Period, where: ReportFilter) -> HalfYearSummary:
    _, totals = _rows_and_totals(half, where)
    return HalfYearSummary(
        period=labelled(half),
        totals=totals,
        top_root_causes=_top_root_causes(half, where),
        top_learning_categories=_top_learning_categories(half, where),
    )


def _rows_and_totals(period: Period, where: ReportFilter) -> tuple[list[TeamRow], TeamTotals]:
    stages = [s for s in stage_names() if s is not None]
    received = _received(period, where)
    by_stage = {stage: _stage_counts(period, stage, where) for stage in stages}
    adr = _adr(period, where)
    keys = sorted(set(received) | set(adr) | {k for d in by_stage.values() for k in d})
    rows = [_row(k, received, by_stage, adr) for k in keys]
    return rows, _totals(rows, [s.value for s in stages])


def _grouped(stmt: sa.Select) -> Grouped:
    """Rows of a `SELECT area, team, … GROUP BY area, team`, keyed by (area, team)."""
    return {(a, t): tuple(rest) for a, t, *rest in db.session.execute(stmt)}


def _base() -> sa.Select:
    return (
        sa.select(AREA, TEAM)
        .select_from(Submission)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .outerjoin(Team, Team.id == Submission.team_id)
    )


def _received(period: Period, where: ReportFilter) -> Grouped:
    """Per team: representations, case concerns, Stage 1 and withdrawn received in P; and the complaints closed in
    P, whenever they were received (seed 000: "may be different from the total received")."""
    received = in_period(Submission.received_on, period)
    closed = sa.and_(Submission.status == SubmissionStatus.CLOSED, in_period(Submission.closed_on, period))

    def received_as(classification: Classification) -> sa.ColumnElement[int]:
        return sa.func.count(sa.case((sa.and_(received, Submission.classification == classification), 1)))

    return _grouped(
        _base()
        .add_columns(
            received_as(Classification.REPRESENTATION),
            received_as(Classification.CASE_CONCERN),
            received_as(Classification.STATUTORY),
            received_as(Classification.WITHDRAWN),
            sa.func.count(sa.case((closed, 1))),
        )
        .where(narrowed(sa.and_(Submission.kind == SubmissionKind.COMPLAINT, sa.or_(received, closed)), where))
        .group_by(AREA, TEAM)
    )


def _stage_counts(period: Period, stage: StageName, where: ReportFilter) -> Grouped:
    """Per team, for one stage: requested in P, accepted of those, responded in P and the findings, due in P and
    met of those (a response on or before the due date; still unanswered is missed), and the cost."""
    requested = stage_requested(stage, period)
    done = stage_completed(stage, period)
    due = in_period(StageRecord.due_on, period)
    met = sa.and_(due, StageRecord.responded_on.is_not(None), StageRecord.responded_on <= StageRecord.due_on)
    return _grouped(
        _base()
        .add_columns(
            sa.func.count(sa.case((requested, 1))),
            sa.func.count(sa.case((sa.and_(requested, StageRecord.decision == "accepted"), 1))),
            sa.func.count(sa.case((done, 1))),
            *[sa.func.count(sa.case((sa.and_(done, StageRecord.outcome == o), 1))) for o in OUTCOMES],
            sa.func.count(sa.case((due, 1))),
            sa.func.count(sa.case((met, 1))),
            sa.func.sum(sa.case((done, StageRecord.cost))),
        )
        .join(StageRecord, StageRecord.submission_id == Submission.id)
        .where(
            StageRecord.stage == stage,
            sa.or_(
                in_period(StageRecord.requested_on, period),
                in_period(StageRecord.responded_on, period),
                due,
            ),
            where.condition(),
        )
        .group_by(AREA, TEAM)
    )


def _adr(period: Period, where: ReportFilter) -> Grouped:
    return _grouped(
        _base()
        .add_columns(sa.func.count(sa.distinct(AdrSession.submission_id)), sa.func.sum(AdrSession.hours))
        .join(AdrSession, AdrSession.submission_id == Submission.id)
        .where(narrowed(in_period(Submission.received_on, period), where))
        .group_by(AREA, TEAM)
    )


def _row(
    k: RowKey,
    received: Grouped,
    closed_stages: dict[StageName, Grouped],
    adr: Grouped,
) -> TeamRow:
    rep, concern, s1, withdrawn, closed = received.get(k, (0, 0, 0, 0, 0))
    stages: dict[str, StageCounts] = {}
    cost = Decimal("0")
    for stage, data in closed_stages.items():
        req, accepted, done, up, part, notup, due, met, stage_cost = data.get(k, (0, 0, 0, 0, 0, 0, 0, 0, None))
        stages[stage.value] = StageCounts(
            received=n(req),
            accepted=n(accepted),
            responded=n(done),
            upheld=n(up),
            partially_upheld=n(part),
            not_upheld=n(notup),
            due=n(due),
            met_when_due=n(met),
        )
        if stage_cost is not None:
            cost += Decimal(str(stage_cost))
    total_done = sum(c["responded"] for c in stages.values())
    total_upheld = sum(c["upheld"] + c["partially_upheld"] for c in stages.values())
    total_due = sum(c["due"] for c in stages.values())
    total_met = sum(c["met_when_due"] for c in stages.values())
    adr_cases, adr_hours = adr.get(k, (0, None))
    return TeamRow(
        service_area=k[0],
        team=k[1],
        representations=n(rep),
        case_concerns=n(concern),
        stage1_received=n(s1),
        withdrawn=n(withdrawn),
        closed=n(closed),
        stages=stages,
        responded=total_done,
        upheld_or_partly=total_upheld,
        upheld_percent=percentage(total_upheld, total_done),
        due=total_due,
        met_when_due=total_met,
        timeliness_percent=percentage(total_met, total_due),
        adr_cases=n(adr_cases),
        adr_hours=money(adr_hours or 0),
        stage2_cost=money(cost),
    )


def _learning_of_period(period: Period, where: ReportFilter) -> sa.ColumnElement[bool]:
    """Learning actions on complaints received in P."""
    return sa.and_(
        narrowed(in_period(Submission.received_on, period), where), LearningAction.submission_id == Submission.id
    )


def _top_root_causes(period: Period, where: ReportFilter) -> list[RankedName]:
    """The three root causes most often recorded on learning actions of upheld (or partly upheld) complaints."""
    upheld_learning = sa.and_(
        _learning_of_period(period, where),
        sa.exists().where(StageRecord.submission_id == Submission.id, StageRecord.outcome.in_(UPHELD_OR_PARTLY)),
    )
    rows = db.session.execute(
        sa.select(LearningAction.root_cause, sa.func.count())
        .select_from(LearningAction)
        .join(Submission, Submission.id == LearningAction.submission_id)
        .where(upheld_learning, LearningAction.root_cause.is_not(None))
        .group_by(LearningAction.root_cause)
        .order_by(sa.func.count().desc(), LearningAction.root_cause)
        .limit(3)
    ).all()
    return [RankedName(name=name, actions=int(c)) for name, c in rows]


def _top_learning_categories(period: Period, where: ReportFilter) -> list[RankedName]:
    rows = db.session.execute(
        sa.select(LearningAction.category, sa.func.count())
        .select_from(LearningAction)
        .join(Submission, Submission.id == LearningAction.submission_id)
        .where(_learning_of_period(period, where))
        .group_by(LearningAction.category)
        .order_by(sa.func.count().desc(), LearningAction.category)
        .limit(3)
    ).all()
    return [RankedName(name=name, actions=int(c)) for name, c in rows]


def _totals(rows: Sequence[TeamRow], stages: list[str]) -> TeamTotals:
    """Column totals of the dashboard (summing the already-aggregated rows, a handful per team)."""
    responded = sum(r["responded"] for r in rows)
    upheld = sum(r["upheld_or_partly"] for r in rows)
    due = sum(r["due"] for r in rows)
    met = sum(r["met_when_due"] for r in rows)
    return TeamTotals(
        representations=sum(r["representations"] for r in rows),
        case_concerns=sum(r["case_concerns"] for r in rows),
        stage1_received=sum(r["stage1_received"] for r in rows),
        withdrawn=sum(r["withdrawn"] for r in rows),
        closed=sum(r["closed"] for r in rows),
        responded=responded,
        upheld_or_partly=upheld,
        due=due,
        met_when_due=met,
        adr_cases=sum(r["adr_cases"] for r in rows),
        stages={s: _stage_totals([r["stages"][s] for r in rows]) for s in stages},
        upheld_percent=percentage(upheld, responded),
        timeliness_percent=percentage(met, due),
        adr_hours=money(sum((Decimal(r["adr_hours"]) for r in rows), Decimal("0"))),
        stage2_cost=money(sum((Decimal(r["stage2_cost"]) for r in rows), Decimal("0"))),
    )


def _stage_totals(counts: Sequence[StageCounts]) -> StageCounts:
    return StageCounts(
        received=sum(c["received"] for c in counts),
        accepted=sum(c["accepted"] for c in counts),
        responded=sum(c["responded"] for c in counts),
        upheld=sum(c["upheld"] for c in counts),
        partially_upheld=sum(c["partially_upheld"] for c in counts),
        not_upheld=sum(c["not_upheld"] for c in counts),
        due=sum(c["due"] for c in counts),
        met_when_due=sum(c["met_when_due"] for c in counts),
    )
