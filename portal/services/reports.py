"""Reports: the statutory annual report, quarterly performance indicators and the team dashboard.

Every figure is one SQL aggregate (COUNT/SUM with CASE, GROUP BY) over stored values; nothing loops over the
records in Python. Working days are the stored `stage_record.working_days_taken`. Definitions: docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app

from portal.domain import reporting
from portal.domain.enums import (
    Classification,
    Finding,
    PersonType,
    Procedure,
    StageName,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.reporting import Period, mean, money, percentage
from portal.extensions import db
from portal.models import (
    AdrSession,
    Category,
    Compliment,
    LearningAction,
    LgscoReferral,
    ServiceArea,
    StageRecord,
    Submission,
    Team,
    submission_actual_outcome,
    submission_outcome_sought,
    submission_theme,
)
from portal.services.timescales import timescales_for

NOT_RECORDED = "not_recorded"
OUTCOMES = (Finding.UPHELD.value, Finding.PARTIALLY_UPHELD.value, Finding.NOT_UPHELD.value)
UPHELD_OR_PARTLY = (Finding.UPHELD.value, Finding.PARTIALLY_UPHELD.value)


def scotland() -> bool:
    return current_app.config["PROCEDURE"] == "scotland"


def stage_names() -> tuple[StageName, StageName, StageName | None]:
    """The first, second and third stage of the configured statutory procedure."""
    if scotland():
        return StageName.FRONTLINE, StageName.INVESTIGATION, None
    return StageName.STAGE1, StageName.STAGE2, StageName.STAGE3


def _key(value: Any) -> str:
    if value is None:
        return NOT_RECORDED
    return str(getattr(value, "value", value))


def _count_by(stmt: sa.Select) -> dict[str, int]:
    """Counts keyed by value, largest first, with not_recorded last."""
    counts = {_key(k): int(n) for k, n in db.session.execute(stmt)}
    return dict(sorted(counts.items(), key=lambda kv: (kv[0] == NOT_RECORDED, -kv[1], kv[0])))


def _in(column: Any, period: Period) -> Any:
    return column.between(period.start, period.end)


def _n(value: Any) -> int:
    return int(value or 0)


def _contacts(period: Period) -> Any:
    return sa.and_(Submission.kind == SubmissionKind.COMPLAINT, _in(Submission.received_on, period))


# ---------------------------------------------------------------------------------------------- annual report


def annual_report(period: Period, *, compare: bool = True, details: bool = True) -> dict[str, Any]:
    """The statutory annual report for a period (normally a financial year). See docs/reports.md."""
    first, second, third = stage_names()
    contacts = _contacts(period)
    report: dict[str, Any] = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "procedure": "scotland" if scotland() else "england",
    }

    # Contacts and how they were handled
    by_class = _count_by(
        sa.select(Submission.classification, sa.func.count()).where(contacts).group_by(Submission.classification)
    )
    total = sum(by_class.values())
    report["contacts"] = {
        "total": total,
        "by_classification": {c.value: by_class.get(c.value, 0) for c in Classification},
        "not_classified": by_class.get(NOT_RECORDED, 0),
    }

    # Complainants: a contact with no person counts as its own person
    per_person = (
        sa.select(Submission.person_id, sa.func.count().label("n"))
        .where(contacts, Submission.person_id.is_not(None))
        .group_by(Submission.person_id)
        .subquery()
    )
    people = db.session.execute(
        sa.select(per_person.c.n, sa.func.count()).group_by(per_person.c.n).order_by(per_person.c.n)
    ).all()
    anonymous = _n(db.session.scalar(sa.select(sa.func.count()).where(contacts, Submission.person_id.is_(None))))
    repeat = {str(n): int(people_n) for n, people_n in people if n >= 2}
    repeat_s1 = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Submission)
        .join(per_person, per_person.c.person_id == Submission.person_id)
        .where(contacts, per_person.c.n >= 2, Submission.classification == Classification.STATUTORY)
    )
    report["complainants"] = {
        "distinct": sum(int(c) for _, c in people) + anonymous,
        "repeat": repeat,
        "repeat_people": sum(repeat.values()),
        "repeat_contacts": sum(int(n) * int(c) for n, c in people if n >= 2),
        "repeat_contacts_stage1": _n(repeat_s1),
    }

    report["channels"] = _count_by(
        sa.select(Submission.channel, sa.func.count()).where(contacts).group_by(Submission.channel)
    )
    report["person_types"] = _count_by(
        sa.select(Submission.person_type, sa.func.count()).where(contacts).group_by(Submission.person_type)
    )
    young = sa.and_(contacts, Submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON)
    grid: dict[str, dict[str, int]] = {}
    for channel, care, n in db.session.execute(
        sa.select(Submission.channel, Submission.care_status, sa.func.count())
        .where(young)
        .group_by(Submission.channel, Submission.care_status)
    ):
        grid.setdefault(_key(channel), {})[_key(care)] = int(n)
    report["young_people"] = {
        "contacts": sum(sum(v.values()) for v in grid.values()),
        "by_channel_and_care_status": grid,
    }

    report["stage1"] = _stage1(period, first)
    report["stage2"] = _stage2(period, second)
    report["stage3"] = _stage3(period, third)
    report["themes"], report["outcomes_sought"], report["actual_outcomes"] = _categories(period, first)

    referrals = sa.and_(_in(LgscoReferral.referred_on, period))
    report["lgsco"] = {
        "referrals": _n(db.session.scalar(sa.select(sa.func.count()).select_from(LgscoReferral).where(referrals))),
        "decisions": _count_by(
            sa.select(LgscoReferral.decision, sa.func.count()).where(referrals).group_by(LgscoReferral.decision)
        ),
    }
    report["compliments"] = _compliments(period)
    report["advocacy"] = {
        "requests": _n(
            db.session.scalar(
                sa.select(sa.func.count()).where(
                    Submission.kind == SubmissionKind.ADVOCACY, _in(Submission.received_on, period)
                )
            )
        )
    }
    adr = db.session.execute(
        sa.select(sa.func.count(sa.distinct(AdrSession.submission_id)), sa.func.sum(AdrSession.hours))
        .join(Submission, Submission.id == AdrSession.submission_id)
        .where(contacts)
    ).one()
    report["adr"] = {"cases": _n(adr[0]), "hours": money(adr[1] or 0)}
    report["compliments_by_team"] = _compliments_by_team(period, first)
    if details:
        report["stage2_cases"] = _stage2_cases(period, second)
        report["learning_actions"] = _learning_actions(period)
    if compare:
        report["previous_year"] = _previous_year(period.previous_year(), first, second, third)
        report["stage2_history"] = _stage2_history(period, second)
    return report


def _previous_year(period: Period, first: StageName, second: StageName, third: StageName | None) -> dict[str, Any]:
    """The main figures for the same dates a year earlier (only what the comparison table shows)."""
    contacts = _contacts(period)
    by_class = _count_by(
        sa.select(Submission.classification, sa.func.count()).where(contacts).group_by(Submission.classification)
    )
    people = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Submission.person_id)),
            sa.func.count(sa.case((Submission.person_id.is_(None), 1))),
            sa.func.count(sa.case((Submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON, 1))),
        ).where(contacts)
    ).one()
    stage1 = _stage1(period, first)
    stage2 = _stage2(period, second)
    compliments = _compliments(period)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "contacts": {
            "total": sum(by_class.values()),
            "by_classification": {c.value: by_class.get(c.value, 0) for c in Classification},
            "not_classified": by_class.get(NOT_RECORDED, 0),
        },
        "complainants": {"distinct": _n(people[0]) + _n(people[1])},
        "young_people": {"contacts": _n(people[2])},
        "stage1": {
            k: stage1[k] for k in ("received", "outcomes", "upheld_or_partly", "timeliness", "average_working_days")
        },
        "stage2": {k: stage2[k] for k in ("requests", "declined", "completed", "total_cost", "average_cost")},
        "stage3": _stage3(period, third),
        "themes": _themes(period, first),
        "compliments": {k: compliments[k] for k in ("total", "internal", "external")},
    }


def _first_stage_join(first: StageName) -> Any:
    return sa.and_(StageRecord.submission_id == Submission.id, StageRecord.stage == first)


def _stage1(period: Period, first: StageName) -> dict[str, Any]:
    s1 = sa.and_(_contacts(period), Submission.classification == Classification.STATUTORY)
    days = StageRecord.working_days_taken
    responded = StageRecord.responded_on.is_not(None)
    row = db.session.execute(
        sa.select(
            sa.func.count(Submission.id),
            *[sa.func.count(sa.case((StageRecord.outcome == o, 1))) for o in OUTCOMES],
            sa.func.count(sa.case((sa.and_(responded, days <= 10), 1))),
            sa.func.count(sa.case((sa.and_(responded, days > 10, days <= 20), 1))),
            sa.func.count(sa.case((sa.and_(responded, days > 20), 1))),
            sa.func.count(sa.case((sa.and_(responded, days.is_not(None)), 1))),
            sa.func.sum(sa.case((responded, days))),
            sa.func.count(sa.case((StageRecord.extended.is_(True), 1))),
            sa.func.count(sa.case((sa.and_(responded, StageRecord.met_deadline.is_(True)), 1))),
        )
        .select_from(Submission)
        .outerjoin(StageRecord, _first_stage_join(first))
        .where(s1)
    ).one()
    received = _n(row[0])
    outcomes = dict(zip(OUTCOMES, (_n(v) for v in row[1:4]), strict=True))
    within_10, within_20, over_20, n_days, sum_days, extended, on_time = (_n(v) for v in row[4:11])
    if scotland():
        outcomes[Finding.RESOLVED.value] = _n(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Submission)
                .join(StageRecord, _first_stage_join(first))
                .where(s1, StageRecord.outcome == Finding.RESOLVED)
            )
        )
    area = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
    by_area = {
        name: int(n)
        for name, n in db.session.execute(
            sa.select(area, sa.func.count())
            .select_from(Submission)
            .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
            .where(s1)
            .group_by(area)
            .order_by(area)
        )
    }
    by_month = dict.fromkeys(reporting.months_between(period.start, period.end), 0)
    by_month.update(
        _count_by(
            sa.select(Submission.received_month, sa.func.count())
            .where(s1)
            .group_by(Submission.received_month)
            .order_by(Submission.received_month)
        )
    )
    return {
        "received": received,
        "outcomes": outcomes,
        "upheld_or_partly": outcomes["upheld"] + outcomes["partially_upheld"],
        "timeliness": {
            "within_10": within_10,
            "within_20": within_20,
            "over_20": over_20,
            "awaiting_response": received - (within_10 + within_20 + over_20),
        },
        "responded": within_10 + within_20 + over_20,
        "within_timescale": on_time,
        "extended": extended,
        "average_working_days": float(a) if (a := mean(sum_days, n_days)) is not None else None,
        "by_service_area": by_area,
        "by_month": by_month,
    }


def _stage2(period: Period, second: StageName) -> dict[str, Any]:
    is2 = StageRecord.stage == second
    requested = sa.and_(is2, _in(StageRecord.requested_on, period))
    completed = sa.and_(is2, _in(StageRecord.responded_on, period))
    days = StageRecord.working_days_taken
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.case((requested, 1))),
            sa.func.count(sa.case((sa.and_(requested, StageRecord.decision == "declined"), 1))),
            sa.func.count(sa.case((completed, 1))),
            sa.func.sum(sa.case((completed, StageRecord.cost))),
            sa.func.count(sa.case((sa.and_(completed, StageRecord.cost.is_not(None)), 1))),
            sa.func.count(sa.case((sa.and_(completed, days <= 25), 1))),
            sa.func.count(sa.case((sa.and_(completed, days > 25, days <= 65), 1))),
            sa.func.count(sa.case((sa.and_(completed, days > 65), 1))),
            sa.func.sum(sa.case((completed, days))),
            sa.func.count(sa.case((completed, days))),
        ).where(sa.or_(requested, completed))
    ).one()
    taken = [int(d) for d in db.session.scalars(sa.select(days).where(completed, days.is_not(None)).order_by(days))]
    total_cost = Decimal(str(row[3])) if row[3] is not None else Decimal("0")
    with_cost = _n(row[4])
    return {
        "requests": _n(row[0]),
        "declined": _n(row[1]),
        "completed": _n(row[2]),
        "working_days": taken,
        "within_25": _n(row[5]),
        "within_65": _n(row[6]),
        "over_65": _n(row[7]),
        "average_working_days": float(a) if (a := mean(row[8], _n(row[9]))) is not None else None,
        "total_cost": money(total_cost),
        "average_cost": money(total_cost / with_cost) if with_cost else None,
        "completed_with_cost": with_cost,
    }


def _stage2_history(period: Period, second: StageName, years: int = 3) -> list[dict[str, Any]]:
    """Stage 2 investigations completed, spend, average cost and average working days for this period and the
    same period in each of the two years before (seed 001 Table 12)."""
    out = []
    current = period
    for _ in range(years):
        figures = _stage2(current, second)
        out.append(
            {
                "period": {"start": current.start.isoformat(), "end": current.end.isoformat()},
                "completed": figures["completed"],
                "total_cost": figures["total_cost"],
                "average_cost": figures["average_cost"],
                "average_working_days": figures["average_working_days"],
            }
        )
        current = current.previous_year()
    return list(reversed(out))


def _stage3(period: Period, third: StageName | None) -> dict[str, int]:
    if third is None:
        return {"requests": 0, "completed": 0}
    is3 = StageRecord.stage == third
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.case((_in(StageRecord.requested_on, period), 1))),
            sa.func.count(sa.case((_in(StageRecord.responded_on, period), 1))),
        ).where(is3)
    ).one()
    return {"requests": _n(row[0]), "completed": _n(row[1])}


def _themes(period: Period, first: StageName) -> dict[str, dict[str, int]]:
    s1 = sa.and_(_contacts(period), Submission.classification == Classification.STATUTORY)
    upheld = StageRecord.outcome.in_(UPHELD_OR_PARTLY)
    return {
        label: {"received": int(n), "upheld_or_partly": int(u)}
        for label, n, u in db.session.execute(
            sa.select(Category.label, sa.func.count(), sa.func.count(sa.case((upheld, 1))))
            .select_from(Submission)
            .join(submission_theme, submission_theme.c.submission_id == Submission.id)
            .join(Category, Category.id == submission_theme.c.category_id)
            .outerjoin(StageRecord, _first_stage_join(first))
            .where(s1)
            .group_by(Category.label, Category.sort_order)
            .order_by(Category.sort_order, Category.label)
        )
    }


def _categories(period: Period, first: StageName) -> tuple[dict, dict, dict]:
    s1 = sa.and_(_contacts(period), Submission.classification == Classification.STATUTORY)

    def counts(table: sa.Table) -> dict[str, int]:
        return {
            label: int(n)
            for label, n in db.session.execute(
                sa.select(Category.label, sa.func.count())
                .select_from(Submission)
                .join(table, table.c.submission_id == Submission.id)
                .join(Category, Category.id == table.c.category_id)
                .where(s1)
                .group_by(Category.label, Category.sort_order)
                .order_by(Category.sort_order, Category.label)
            )
        }

    return _themes(period, first), counts(submission_outcome_sought), counts(submission_actual_outcome)


def _compliments(period: Period) -> dict[str, Any]:
    received = sa.and_(Submission.kind == SubmissionKind.COMPLIMENT, _in(Submission.received_on, period))
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.case((Compliment.internal.is_(True), 1))),
            sa.func.count(sa.case((Compliment.internal.is_(False), 1))),
        )
        .select_from(Submission)
        .outerjoin(Compliment, Compliment.submission_id == Submission.id)
        .where(received)
    ).one()
    source = sa.func.coalesce(Category.label, NOT_RECORDED)
    area = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
    return {
        "total": _n(row[0]),
        "internal": _n(row[1]),
        "external": _n(row[2]),
        "by_source": {
            k: int(n)
            for k, n in db.session.execute(
                sa.select(source, sa.func.count())
                .select_from(Submission)
                .outerjoin(Compliment, Compliment.submission_id == Submission.id)
                .outerjoin(Category, Category.id == Compliment.source_id)
                .where(received)
                .group_by(source)
                .order_by(source)
            )
        },
        "by_service_area": {
            k: int(n)
            for k, n in db.session.execute(
                sa.select(area, sa.func.count())
                .select_from(Submission)
                .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
                .where(received)
                .group_by(area)
                .order_by(area)
            )
        },
    }


def _compliments_by_team(period: Period, first: StageName) -> list[dict[str, Any]]:
    """Per team: Stage 1 complaints received beside internal, external and total compliments (seed 001 Table 17)."""
    in_period = _in(Submission.received_on, period)
    s1 = sa.and_(Submission.kind == SubmissionKind.COMPLAINT, Submission.classification == Classification.STATUTORY)
    compliment = Submission.kind == SubmissionKind.COMPLIMENT
    area = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
    team = sa.func.coalesce(Team.name, NOT_RECORDED)
    rows = db.session.execute(
        sa.select(
            area,
            team,
            sa.func.count(sa.case((s1, 1))),
            sa.func.count(sa.case((sa.and_(compliment, Compliment.internal.is_(True)), 1))),
            sa.func.count(sa.case((sa.and_(compliment, Compliment.internal.is_(False)), 1))),
            sa.func.count(sa.case((compliment, 1))),
        )
        .select_from(Submission)
        .outerjoin(Compliment, Compliment.submission_id == Submission.id)
        .outerjoin(Team, Team.id == Submission.team_id)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .where(in_period, sa.or_(s1, compliment))
        .group_by(area, team)
        .order_by(area, team)
    )
    return [
        {
            "service_area": a,
            "team": t,
            "stage1_complaints": int(c),
            "internal_compliments": int(i),
            "external_compliments": int(e),
            "compliments": int(total),
        }
        for a, t, c, i, e, total in rows
    ]


def _stage2_cases(period: Period, second: StageName) -> list[dict[str, Any]]:
    """Stage 2 investigations completed in the period, with dates, working days and cost (seed 001 Table 11)."""
    rows = db.session.execute(
        sa.select(
            Submission.reference,
            ServiceArea.name,
            Team.name,
            StageRecord.requested_on,
            StageRecord.statement_agreed_on,
            StageRecord.adjudicated_on,
            StageRecord.responded_on,
            StageRecord.working_days_taken,
            StageRecord.cost,
            StageRecord.outcome,
        )
        .join(Submission, Submission.id == StageRecord.submission_id)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .outerjoin(Team, Team.id == Submission.team_id)
        .where(StageRecord.stage == second, _in(StageRecord.responded_on, period))
        .order_by(StageRecord.responded_on, Submission.reference)
    )
    return [
        {
            "reference": ref,
            "service_area": area,
            "team": team,
            "requested_on": _iso(requested),
            "statement_agreed_on": _iso(agreed),
            "adjudicated_on": _iso(adjudicated),
            "responded_on": _iso(responded),
            "working_days": days,
            "cost": money(cost),
            "outcome": outcome,
        }
        for ref, area, team, requested, agreed, adjudicated, responded, days, cost, outcome in rows
    ]


def _learning_actions(period: Period) -> list[dict[str, Any]]:
    """Learning actions from complaints received in the period: what, who is responsible, by when, status."""
    rows = db.session.execute(
        sa.select(
            Submission.reference,
            Team.name,
            LearningAction.root_cause,
            LearningAction.category,
            LearningAction.description,
            LearningAction.responsible_officer,
            LearningAction.timeframe,
            LearningAction.due_on,
            LearningAction.status,
            LearningAction.completed_on,
        )
        .join(Submission, Submission.id == LearningAction.submission_id)
        .outerjoin(Team, Team.id == LearningAction.team_id)
        .where(_in(Submission.received_on, period))
        .order_by(Team.name, LearningAction.id)
    )
    return [
        {
            "reference": ref,
            "team": team,
            "root_cause": cause,
            "category": category,
            "description": description,
            "responsible_officer": officer,
            "timeframe": timeframe or (f"By {due:%-d %B %Y}" if due else None),
            "status": status,
            "completed_on": _iso(done),
        }
        for ref, team, cause, category, description, officer, timeframe, due, status, done in rows
    ]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def for_publication(report: dict[str, Any], threshold: int | None = None) -> dict[str, Any]:
    """The report as it may be published: small numbers suppressed, no case-level tables or references."""
    threshold = threshold or current_app.config["SMALL_NUMBER_THRESHOLD"]
    published = {k: v for k, v in report.items() if k not in ("stage2_cases",)}
    if "learning_actions" in published:
        published["learning_actions"] = [
            {k: v for k, v in action.items() if k != "reference"} for action in published["learning_actions"]
        ]
    stage2 = dict(published["stage2"])
    if 0 < len(stage2["working_days"]) < threshold:
        stage2["working_days"] = "suppressed"
    published["stage2"] = stage2
    out = reporting.suppress(published, threshold, keep=frozenset({"period", "working_days", "procedure"}))
    out["publication"] = {"small_number_threshold": threshold, "suppressed_marker": f"<{threshold}"}
    return out


# ----------------------------------------------------------------------------------------- quarterly indicators


def _stage_kpis(periods: list[Period], stage: StageName, procedure: Procedure) -> list[dict[str, Any]]:
    timescales = timescales_for(procedure)
    target = timescales.get(f"{stage.value}.response")
    target = target if isinstance(target, int) else None
    if stage == StageName.STAGE3:  # panel, findings and final response in turn
        parts = [timescales.get(f"stage3.{k}") for k in ("panel", "findings", "final_response")]
        target = sum(parts) if all(isinstance(p, int) for p in parts) else None  # type: ignore[arg-type]
    out = []
    for period in periods:
        closed = sa.and_(StageRecord.stage == stage, _in(StageRecord.responded_on, period))
        days = StageRecord.working_days_taken
        row = db.session.execute(
            sa.select(
                sa.func.count(),
                *[sa.func.count(sa.case((StageRecord.outcome == o, 1))) for o in (*OUTCOMES, Finding.RESOLVED.value)],
                sa.func.sum(days),
                sa.func.count(days),
                sa.func.count(sa.case((days <= (target if target is not None else -1), 1))),
                sa.func.count(sa.case((StageRecord.extended.is_(True), 1))),
            ).where(closed)
        ).one()
        n = _n(row[0])
        outcomes = dict(zip((*OUTCOMES, Finding.RESOLVED.value), (_n(v) for v in row[1:5]), strict=True))
        within = _n(row[7]) if target is not None else None
        extended = _n(row[8])
        average = mean(row[5], _n(row[6]))
        out.append(
            {
                "period": period.label,
                "closed": n,
                "outcomes": {k: {"n": v, "percent": percentage(v, n)} for k, v in outcomes.items()},
                "average_working_days": str(average) if average is not None else reporting.NOT_APPLICABLE,
                "timescale": target,
                "within_timescale": {
                    "n": within if within is not None else reporting.NOT_APPLICABLE,
                    "percent": percentage(within, n) if within is not None else reporting.NOT_APPLICABLE,
                },
                "extended": {"n": extended, "percent": percentage(extended, n)},
            }
        )
    return out


def quarterly_indicators(period_end: date, count: int = 5, *, details: bool = False) -> dict[str, Any]:
    """Seed 003's indicators for the five financial quarters ending with the one containing period_end."""
    periods = reporting.quarters_ending(period_end, count)
    if scotland():
        procedure = Procedure.SCOTLAND_MCHP
        stages = [(StageName.FRONTLINE, "Frontline"), (StageName.INVESTIGATION, "Investigation")]
    else:
        procedure = Procedure.ENGLAND_STATUTORY
        stages = [(StageName.STAGE1, "Stage 1"), (StageName.STAGE2, "Stage 2"), (StageName.STAGE3, "Stage 3")]
    names = [s for s, _ in stages]
    totals = []
    for period in periods:
        received = _n(
            db.session.scalar(
                sa.select(sa.func.count()).where(
                    Submission.kind == SubmissionKind.COMPLAINT,
                    Submission.procedure == procedure,
                    _in(Submission.received_on, period),
                )
            )
        )
        # Each stage's full response in the quarter closes the complaint at that stage (SPSO counting).
        closed_by_stage = _count_by(
            sa.select(StageRecord.stage, sa.func.count())
            .where(StageRecord.stage.in_(names), _in(StageRecord.responded_on, period))
            .group_by(StageRecord.stage)
        )
        closed = sum(closed_by_stage.values())
        totals.append(
            {
                "period": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "received": received,
                "closed": closed,
                "closed_at_stage": {
                    s.value: {
                        "n": closed_by_stage.get(s.value, 0),
                        "percent": percentage(closed_by_stage.get(s.value, 0), closed),
                    }
                    for s in names
                },
            }
        )
    out = {
        "procedure": procedure.value,
        "quarters": [p.label for p in periods],
        "totals": totals,
        "stages": [
            {"stage": s.value, "label": label, "quarters": _stage_kpis(periods, s, procedure)} for s, label in stages
        ],
    }
    if details:
        out["upheld_register"] = _upheld_register(periods[-1], names)
    return out


def _upheld_register(period: Period, stages: list[StageName]) -> list[dict[str, Any]]:
    """Seed 003's register: complaints upheld or partly upheld at a stage closed in the quarter, with their type,
    the responsible officer and the action taken (from the learning actions)."""
    rows = db.session.execute(
        sa.select(Submission.id, Submission.reference, StageRecord.stage, StageRecord.outcome)
        .join(Submission, Submission.id == StageRecord.submission_id)
        .where(
            StageRecord.stage.in_(stages),
            _in(StageRecord.responded_on, period),
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
        for sid, officer, description in db.session.execute(
            sa.select(LearningAction.submission_id, LearningAction.responsible_officer, LearningAction.description)
            .where(LearningAction.submission_id.in_(ids))
            .order_by(LearningAction.id)
        ):
            actions.setdefault(sid, []).append((officer, description))
    return [
        {
            "reference": reference,
            "stage": stage.value,
            "type": "; ".join(themes.get(sid, [])) or None,
            "outcome": outcome,
            "responsible_officer": "; ".join(o for o, _ in actions.get(sid, []) if o) or None,
            "action_taken": " ".join(d for _, d in actions.get(sid, [])) or None,
        }
        for sid, reference, stage, outcome in rows
    ]


# ---------------------------------------------------------------------------------------------- team dashboard


def team_dashboard(period: Period) -> dict[str, Any]:
    """Seed 000: per service area and team, what came in, how it ended, how fast, ADR and Stage 2 costs."""
    first, second, third = stage_names()
    in_period = _in(Submission.received_on, period)
    complaint = Submission.kind == SubmissionKind.COMPLAINT
    area = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
    team = sa.func.coalesce(Team.name, NOT_RECORDED)
    key = (area, team)

    def grouped(stmt: sa.Select) -> dict[tuple[str, str], tuple]:
        return {(a, t): tuple(rest) for a, t, *rest in db.session.execute(stmt)}

    base = (
        sa.select(area, team)
        .select_from(Submission)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .outerjoin(Team, Team.id == Submission.team_id)
    )
    received = grouped(
        base.add_columns(
            sa.func.count(sa.case((Submission.classification == Classification.REPRESENTATION, 1))),
            sa.func.count(sa.case((Submission.classification == Classification.CASE_CONCERN, 1))),
            sa.func.count(sa.case((Submission.classification == Classification.STATUTORY, 1))),
            sa.func.count(sa.case((Submission.classification == Classification.WITHDRAWN, 1))),
            sa.func.count(
                sa.case((sa.and_(Submission.status == SubmissionStatus.CLOSED, _in(Submission.closed_on, period)), 1))
            ),
        )
        .where(complaint, in_period)
        .group_by(*key)
    )
    closed_stages = {}
    for stage in (first, second, third):
        if stage is None:
            continue
        done = sa.and_(StageRecord.stage == stage, _in(StageRecord.responded_on, period))
        closed_stages[stage] = grouped(
            base.add_columns(
                sa.func.count(sa.case((sa.and_(StageRecord.stage == stage, _in(StageRecord.requested_on, period)), 1))),
                sa.func.count(sa.case((done, 1))),
                *[sa.func.count(sa.case((sa.and_(done, StageRecord.outcome == o), 1))) for o in OUTCOMES],
                sa.func.count(sa.case((sa.and_(done, StageRecord.met_deadline.is_(True)), 1))),
                sa.func.sum(sa.case((done, StageRecord.cost))),
            )
            .join(StageRecord, StageRecord.submission_id == Submission.id)
            .where(
                StageRecord.stage == stage,
                sa.or_(_in(StageRecord.requested_on, period), _in(StageRecord.responded_on, period)),
            )
            .group_by(*key)
        )
    adr = grouped(
        base.add_columns(sa.func.count(sa.distinct(AdrSession.submission_id)), sa.func.sum(AdrSession.hours))
        .join(AdrSession, AdrSession.submission_id == Submission.id)
        .where(in_period)
        .group_by(*key)
    )
    keys = sorted(set(received) | set(adr) | {k for d in closed_stages.values() for k in d})
    rows = []
    for k in keys:
        rep, concern, s1, withdrawn, closed = received.get(k, (0, 0, 0, 0, 0))
        stages = {}
        total_done = total_upheld = total_on_time = 0
        cost = Decimal("0")
        for stage, data in closed_stages.items():
            req, done, up, part, notup, on_time, stage_cost = data.get(k, (0, 0, 0, 0, 0, 0, None))
            stages[stage.value] = {
                "received": _n(req),
                "responded": _n(done),
                "upheld": _n(up),
                "partially_upheld": _n(part),
                "not_upheld": _n(notup),
                "within_timescale": _n(on_time),
            }
            total_done += _n(done)
            total_upheld += _n(up) + _n(part)
            total_on_time += _n(on_time)
            if stage_cost is not None:
                cost += Decimal(str(stage_cost))
        adr_cases, adr_hours = adr.get(k, (0, None))
        rows.append(
            {
                "service_area": k[0],
                "team": k[1],
                "representations": _n(rep),
                "case_concerns": _n(concern),
                "stage1_received": _n(s1),
                "withdrawn": _n(withdrawn),
                "closed": _n(closed),
                "stages": stages,
                "responded": total_done,
                "upheld_or_partly": total_upheld,
                "upheld_percent": percentage(total_upheld, total_done),
                "within_timescale": total_on_time,
                "within_timescale_percent": percentage(total_on_time, total_done),
                "adr_cases": _n(adr_cases),
                "adr_hours": money(adr_hours or 0),
                "stage2_cost": money(cost),
            }
        )
    learning = sa.and_(in_period, LearningAction.submission_id == Submission.id)
    upheld_learning = sa.and_(
        learning,
        sa.exists().where(StageRecord.submission_id == Submission.id, StageRecord.outcome.in_(UPHELD_OR_PARTLY)),
    )
    root_causes = db.session.execute(
        sa.select(LearningAction.root_cause, sa.func.count())
        .select_from(LearningAction)
        .join(Submission, Submission.id == LearningAction.submission_id)
        .where(upheld_learning, LearningAction.root_cause.is_not(None))
        .group_by(LearningAction.root_cause)
        .order_by(sa.func.count().desc(), LearningAction.root_cause)
        .limit(3)
    ).all()
    categories = db.session.execute(
        sa.select(LearningAction.category, sa.func.count())
        .select_from(LearningAction)
        .join(Submission, Submission.id == LearningAction.submission_id)
        .where(learning)
        .group_by(LearningAction.category)
        .order_by(sa.func.count().desc(), LearningAction.category)
        .limit(3)
    ).all()
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "stages": [s.value for s in closed_stages],
        "top_root_causes": [{"name": name, "actions": int(n)} for name, n in root_causes],
        "top_learning_categories": [{"name": name, "actions": int(n)} for name, n in categories],
        "rows": rows,
        "totals": _dashboard_totals(rows, [s.value for s in closed_stages]),
    }


def _dashboard_totals(rows: Iterable[dict[str, Any]], stages: list[str]) -> dict[str, Any]:
    """Column totals of the dashboard (summing the already-aggregated rows, a handful per team)."""
    rows = list(rows)
    total: dict[str, Any] = {
        k: sum(r[k] for r in rows)
        for k in (
            "representations",
            "case_concerns",
            "stage1_received",
            "withdrawn",
            "closed",
            "responded",
            "upheld_or_partly",
            "within_timescale",
            "adr_cases",
        )
    }
    total["stages"] = {
        s: {
            k: sum(r["stages"][s][k] for r in rows)
            for k in ("received", "responded", "upheld", "partially_upheld", "not_upheld", "within_timescale")
        }
        for s in stages
    }
    total["upheld_percent"] = percentage(total["upheld_or_partly"], total["responded"])
    total["within_timescale_percent"] = percentage(total["within_timescale"], total["responded"])
    total["adr_hours"] = money(sum((Decimal(r["adr_hours"]) for r in rows), Decimal("0")))
    total["stage2_cost"] = money(sum((Decimal(r["stage2_cost"]) for r in rows), Decimal("0")))
    return total


# ---------------------------------------------------------------------------------------------- output formats


def flatten(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The report as (section, item, breakdown, value) rows for a CSV file; lists of records become numbered items."""
    rows: list[tuple[str, str, str, Any]] = []

    def walk(section: str, path: list[str], value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(section, [*path, str(k)], v)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, item in enumerate(value, start=1):
                walk(section, [*path, str(i)], item)
        elif isinstance(value, list):
            rows.append((section, path[0] if path else "", ".".join(path[1:]), ";".join(str(v) for v in value)))
        else:
            rows.append((section, path[0] if path else "", ".".join(path[1:]), value))

    for section, value in report.items():
        walk(section, [], value)
    return rows


def csv_text(report: dict[str, Any]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "breakdown", "value"])
    for row in flatten(report):
        writer.writerow([reporting.csv_safe(v) for v in row])
    return out.getvalue()


def template_context(*, charts: bool = True, details: bool = False) -> dict[str, Any]:
    """What the report templates need besides the figures: labels, a percentage helper and switches."""
    from portal.domain.enums import (
        CARE_STATUS_LABELS,
        CHANNEL_LABELS,
        CLASSIFICATION_LABELS,
        FINDING_LABELS,
        LGSCO_DECISION_LABELS,
        PERSON_TYPE_LABELS,
        STAGE_LABELS,
    )

    def plain(labels: dict) -> dict[str, str]:
        return {k.value: v for k, v in labels.items()} | {NOT_RECORDED: "Not recorded"}

    def pct(n: Any, d: Any) -> str:
        if not isinstance(n, int) or not isinstance(d, int) or isinstance(n, bool):
            return "–"
        return percentage(n, d)

    def change(now: Any, before: Any) -> str:
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

    return {
        "change": change,
        "labels": {
            "classification": plain(CLASSIFICATION_LABELS),
            "channel": plain(CHANNEL_LABELS),
            "person_type": plain(PERSON_TYPE_LABELS),
            "care_status": plain(CARE_STATUS_LABELS),
            "finding": plain(FINDING_LABELS),
            "lgsco": plain(LGSCO_DECISION_LABELS),
            "stage": {k.value: v for k, v in STAGE_LABELS.items()},
        },
        "pct": pct,
        "charts": charts,
        "details": details,
    }


DOCUMENTS = {
    "annual": ("reports/_annual.html", "Complaints and compliments annual report"),
    "quarterly": ("reports/_quarterly.html", "Complaints performance indicators"),
    "team": ("reports/_team.html", "Team dashboard"),
}


def render_document(kind: str, report: dict[str, Any], *, publication: bool, details: bool = False) -> str:
    """The standalone printable HTML document of a report (also what the PDF is made from)."""
    from flask import render_template

    from portal.services.clock import today_london

    body, title = DOCUMENTS[kind]
    period = report.get("period") or {}
    return render_template(
        "reports/document.html",
        body_template=body,
        title=title,
        report=report,
        council_name=current_app.config.get("COUNCIL_NAME", ""),
        period_label=period.get("label", ""),
        period_start=period.get("start", report.get("quarters", [""])[0] if report.get("quarters") else ""),
        period_end=period.get("end", report.get("quarters", [""])[-1] if report.get("quarters") else ""),
        publication=publication,
        threshold=current_app.config["SMALL_NUMBER_THRESHOLD"],
        produced_on=today_london().isoformat(),
        **template_context(charts=True, details=details and not publication),
    )


def render_pdf(kind: str, report: dict[str, Any], *, publication: bool, details: bool = False) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_document(kind, report, publication=publication, details=details)).write_pdf()


def suppress_counts(report: dict[str, Any]) -> dict[str, Any]:
    """Small-number suppression for the quarterly indicators and the team dashboard."""
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    out = reporting.suppress(report, threshold, keep=frozenset({"period", "timescale"}))
    out["publication"] = {"small_number_threshold": threshold, "suppressed_marker": f"<{threshold}"}
    return out
