"""Quarterly performance indicators (the SPSO set, seed 003): received and closed per quarter, and at each stage
the outcomes, average working days, closed within timescale and extensions. Definitions: docs/reports.md."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.domain import reporting
from portal.domain.enums import Finding, Procedure, StageName, SubmissionKind
from portal.domain.reporting import Period, mean, percentage
from portal.extensions import db
from portal.models import Category, LearningAction, StageRecord, Submission, submission_theme
from portal.services.reports.definitions import OUTCOMES, UPHELD_OR_PARTLY, in_period, scotland, stage_completed
from portal.services.reports.figures import (
    QuarterlyIndicators,
    QuarterlyStage,
    QuarterTotals,
    Share,
    ShareOrNotApplicable,
    StageQuarter,
    UpheldRegisterRow,
)
from portal.services.reports.queries import count_by, count_where, n
from portal.services.timescales import timescales_for

OUTCOMES_AND_RESOLVED = (*OUTCOMES, Finding.RESOLVED.value)


def quarterly_indicators(period_end: date, count: int = 5, *, details: bool = False) -> QuarterlyIndicators:
    """The indicators for the financial quarters ending with the one containing period_end (five by default).

    `details` adds the register of upheld complaints in the last quarter, with references.
    """
    periods = reporting.quarters_ending(period_end, count)
    if scotland():
        procedure = Procedure.SCOTLAND_MCHP
        stages = [(StageName.FRONTLINE, "Frontline"), (StageName.INVESTIGATION, "Investigation")]
    else:
        procedure = Procedure.ENGLAND_STATUTORY
        stages = [(StageName.STAGE1, "Stage 1"), (StageName.STAGE2, "Stage 2"), (StageName.STAGE3, "Stage 3")]
    names = [s for s, _ in stages]
    out = QuarterlyIndicators(
        procedure=procedure.value,
        quarters=[p.label for p in periods],
        totals=[_totals(period, procedure, names) for period in periods],
        stages=[
            QuarterlyStage(stage=s.value, label=label, quarters=_stage_kpis(periods, s, procedure))
            for s, label in stages
        ],
    )
    if details:
        out["upheld_register"] = _upheld_register(periods[-1], names)
    return out


def _totals(period: Period, procedure: Procedure, names: list[StageName]) -> QuarterTotals:
    received = count_where(
        Submission.kind == SubmissionKind.COMPLAINT,
        Submission.procedure == procedure,
        in_period(Submission.received_on, period),
    )
    # Each stage's full response in the quarter closes the complaint at that stage (SPSO counting).
    closed_by_stage = count_by(
        sa.select(StageRecord.stage, sa.func.count())
        .where(StageRecord.stage.in_(names), in_period(StageRecord.responded_on, period))
        .group_by(StageRecord.stage)
    )
    closed = sum(closed_by_stage.values())
    return QuarterTotals(
        period=period.label,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        received=received,
        closed=closed,
        closed_at_stage={
            s.value: Share(
                n=closed_by_stage.get(s.value, 0), percent=percentage(closed_by_stage.get(s.value, 0), closed)
            )
            for s in names
        },
    )


def _target(stage: StageName, procedure: Procedure) -> int | None:
    """The stage's timescale in working days; Stage 3's is its panel, findings and final response in turn."""
    timescales = timescales_for(procedure)
    if stage == StageName.STAGE3:
        parts = [timescales.get(f"stage3.{k}") for k in ("panel", "findings", "final_response")]
        whole = [p for p in parts if isinstance(p, int)]
        return sum(whole) if len(whole) == len(parts) else None
    target = timescales.get(f"{stage.value}.response")
    return target if isinstance(target, int) else None


def _stage_kpis(periods: list[Period], stage: StageName, procedure: Procedure) -> list[StageQuarter]:
    target = _target(stage, procedure)
    return [_stage_quarter(period, stage, target) for period in periods]


def _stage_quarter(period: Period, stage: StageName, target: int | None) -> StageQuarter:
    days = StageRecord.working_days_taken
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            *[sa.func.count(sa.case((StageRecord.outcome == o, 1))) for o in OUTCOMES_AND_RESOLVED],
            sa.func.sum(days),
            sa.func.count(days),
            sa.func.count(sa.case((days <= (target if target is not None else -1), 1))),
            sa.func.count(sa.case((StageRecord.extended.is_(True), 1))),
        ).where(stage_completed(stage, period))
    ).one()
    closed = n(row[0])
    outcomes = dict(zip(OUTCOMES_AND_RESOLVED, (n(v) for v in row[1:5]), strict=True))
    extended = n(row[8])
    average = mean(row[5], n(row[6]))
    if target is None:
        within = ShareOrNotApplicable(n=reporting.NOT_APPLICABLE, percent=reporting.NOT_APPLICABLE)
    else:
        within = ShareOrNotApplicable(n=n(row[7]), percent=percentage(n(row[7]), closed))
    return StageQuarter(
        period=period.label,
        closed=closed,
        outcomes={k: Share(n=v, percent=percentage(v, closed)) for k, v in outcomes.items()},
        average_working_days=str(average) if average is not None else reporting.NOT_APPLICABLE,
        timescale=target,
        within_timescale=within,
        extended=Share(n=extended, percent=percentage(extended, closed)),
    )


def _upheld_register(period: Period, stages: list[StageName]) -> list[UpheldRegisterRow]:
    """Seed 003's register: complaints upheld or partly upheld at a stage closed in the quarter, with their type,
    the responsible officer and the action taken (from the learning actions)."""
    rows = db.session.execute(
        sa.select(Submission.id, Submission.reference, StageRecord.stage, StageRecord.outcome)
        .join(Submission, Submission.id == StageRecord.submission_id)
        .where(
            StageRecord.stage.in_(stages),
            in_period(StageRecord.responded_on, period),
            StageRecord.outcome.in_(UPHELD_OR_PARTLY),
        )
        .order_by(StageRecord.responded_on, Submission.reference)
    ).all()
    ids = [r[0] for r in rows]
    themes: dict[int, list[str]] = {}
    actions: dict[int, list[tuple[str | None, str]]] = {}
    if ids:
        for sid, label in db.session.execute(
            sa.select(submission_theme.c.submission_id, Category.label)
            .join(Category, Category.id == submission_theme.c.category_id)
            .where(submission_theme.c.submission_id.in_(ids))
            .order_by(Category.sort_order, Category.label)
        ):
            themes.setdefault(sid, []).append(label)
        for action_sid, officer, description in db.session.execute(
            sa.select(LearningAction.submission_id, LearningAction.responsible_officer, LearningAction.description)
            .where(LearningAction.submission_id.in_(ids))
            .order_by(LearningAction.id)
        ):
            if action_sid is not None:
                actions.setdefault(action_sid, []).append((officer, description))
    return [
        UpheldRegisterRow(
            reference=reference,
            stage=stage.value,
            type="; ".join(themes.get(sid, [])) or None,
            outcome=outcome,
            responsible_officer="; ".join(o for o, _ in actions.get(sid, []) if o) or None,
            action_taken=" ".join(d for _, d in actions.get(sid, [])) or None,
        )
        for sid, reference, stage, outcome in rows
    ]
