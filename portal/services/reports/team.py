"""The team dashboard (seed 000): per service area and team, what came in, how it ended, how fast, ADR and Stage 2
costs, and the top root causes and learning categories. Definitions: docs/reports.md."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeAlias

import sqlalchemy as sa

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
from portal.services.reports.figures import RankedName, StageCounts, TeamDashboard, TeamRow, TeamTotals
from portal.services.reports.queries import labelled, n

AREA = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
TEAM = sa.func.coalesce(Team.name, NOT_RECORDED)
RowKey: TypeAlias = tuple[str, str]
"""(service area, team): the dashboard's row key."""
Grouped: TypeAlias = dict[RowKey, tuple[Any, ...]]


def team_dashboard(period: Period, *, where: ReportFilter = EVERYTHING) -> TeamDashboard:
    """`where` narrows the dashboard to the records that match it (definitions.ReportFilter)."""
    first, second, third = stage_names()
    stages = [s for s in (first, second, third) if s is not None]
    received = _received(period, where)
    closed_stages = {stage: _stage_counts(period, stage, where) for stage in stages}
    adr = _adr(period, where)
    keys = sorted(set(received) | set(adr) | {k for d in closed_stages.values() for k in d})
    rows = [_row(k, received, closed_stages, adr) for k in keys]
    stage_values = [s.value for s in stages]
    dashboard = TeamDashboard(
        period=labelled(period),
        stages=stage_values,
        top_root_causes=_top_root_causes(period, where),
        top_learning_categories=_top_learning_categories(period, where),
        rows=rows,
        totals=_totals(rows, stage_values),
    )
    if where:
        dashboard["filters"] = where.as_dict()
    return dashboard


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
    """Per team: representations, case concerns, Stage 1, withdrawn, and (of those) closed in P."""
    closed = sa.and_(Submission.status == SubmissionStatus.CLOSED, in_period(Submission.closed_on, period))
    return _grouped(
        _base()
        .add_columns(
            sa.func.count(sa.case((Submission.classification == Classification.REPRESENTATION, 1))),
            sa.func.count(sa.case((Submission.classification == Classification.CASE_CONCERN, 1))),
            sa.func.count(sa.case((Submission.classification == Classification.STATUTORY, 1))),
            sa.func.count(sa.case((Submission.classification == Classification.WITHDRAWN, 1))),
            sa.func.count(sa.case((closed, 1))),
        )
        .where(
            narrowed(
                sa.and_(Submission.kind == SubmissionKind.COMPLAINT, in_period(Submission.received_on, period)), where
            )
        )
        .group_by(AREA, TEAM)
    )


def _stage_counts(period: Period, stage: StageName, where: ReportFilter) -> Grouped:
    """Per team, for one stage: requested in P, responded in P, its outcomes, on time and cost."""
    done = stage_completed(stage, period)
    return _grouped(
        _base()
        .add_columns(
            sa.func.count(sa.case((stage_requested(stage, period), 1))),
            sa.func.count(sa.case((done, 1))),
            *[sa.func.count(sa.case((sa.and_(done, StageRecord.outcome == o), 1))) for o in OUTCOMES],
            sa.func.count(sa.case((sa.and_(done, StageRecord.met_deadline.is_(True)), 1))),
            sa.func.sum(sa.case((done, StageRecord.cost))),
        )
        .join(StageRecord, StageRecord.submission_id == Submission.id)
        .where(
            StageRecord.stage == stage,
            sa.or_(in_period(StageRecord.requested_on, period), in_period(StageRecord.responded_on, period)),
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
    total_done = total_upheld = total_on_time = 0
    cost = Decimal("0")
    for stage, data in closed_stages.items():
        req, done, up, part, notup, on_time, stage_cost = data.get(k, (0, 0, 0, 0, 0, 0, None))
        stages[stage.value] = StageCounts(
            received=n(req),
            responded=n(done),
            upheld=n(up),
            partially_upheld=n(part),
            not_upheld=n(notup),
            within_timescale=n(on_time),
        )
        total_done += n(done)
        total_upheld += n(up) + n(part)
        total_on_time += n(on_time)
        if stage_cost is not None:
            cost += Decimal(str(stage_cost))
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
        within_timescale=total_on_time,
        within_timescale_percent=percentage(total_on_time, total_done),
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
    on_time = sum(r["within_timescale"] for r in rows)
    return TeamTotals(
        representations=sum(r["representations"] for r in rows),
        case_concerns=sum(r["case_concerns"] for r in rows),
        stage1_received=sum(r["stage1_received"] for r in rows),
        withdrawn=sum(r["withdrawn"] for r in rows),
        closed=sum(r["closed"] for r in rows),
        responded=responded,
        upheld_or_partly=upheld,
        within_timescale=on_time,
        adr_cases=sum(r["adr_cases"] for r in rows),
        stages={s: _stage_totals([r["stages"][s] for r in rows]) for s in stages},
        upheld_percent=percentage(upheld, responded),
        within_timescale_percent=percentage(on_time, responded),
        adr_hours=money(sum((Decimal(r["adr_hours"]) for r in rows), Decimal("0"))),
        stage2_cost=money(sum((Decimal(r["stage2_cost"]) for r in rows), Decimal("0"))),
    )


def _stage_totals(counts: Sequence[StageCounts]) -> StageCounts:
    return StageCounts(
        received=sum(c["received"] for c in counts),
        responded=sum(c["responded"] for c in counts),
        upheld=sum(c["upheld"] for c in counts),
        partially_upheld=sum(c["partially_upheld"] for c in counts),
        not_upheld=sum(c["not_upheld"] for c in counts),
        within_timescale=sum(c["within_timescale"] for c in counts),
    )
