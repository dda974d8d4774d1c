"""The table builder: any count, by any one or two dimensions, over a period (issue 13 §2). Definitions:
docs/reports.md, "Table builder".

A table counts the records of one population (contacts, S1, Stage 2 or 3 requests, compliments, advocacy
requests or learning actions, as definitions.py names them) by the value of one dimension, or of two. Every count
is one SQL `COUNT(DISTINCT record) … GROUP BY` over the stored values; nothing loads the records into Python.

- A record with no value for a dimension counts under `not_recorded`.
- A list dimension (themes, outcomes, remedies…) counts a record once under each of its values, so its cells
  add up to more than the records: the totals then say `multi_valued` and count records, not cells.
- Month and quarter are of the population's own date (received, or the stage's request), and every month or
  quarter of the period is shown, with 0 where there were none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, aliased
from sqlalchemy.sql.elements import ColumnElement

from portal.domain import DomainError, reporting
from portal.domain.enums import (
    CareStatus,
    CategoryKind,
    Channel,
    Classification,
    EscalationDecision,
    Finding,
    LearningCategory,
    LgscoDecision,
    PersonType,
    SubmissionKind,
)
from portal.domain.lifecycle import REMEDY_KINDS
from portal.domain.reporting import Period
from portal.extensions import db
from portal.models import (
    Category,
    Child,
    Compliment,
    LearningAction,
    LgscoReferral,
    Person,
    Remedy,
    ServiceArea,
    StageRecord,
    Submission,
    Team,
    submission_actual_outcome,
    submission_outcome_sought,
    submission_theme,
)
from portal.services.reports.definitions import (
    EVERYTHING,
    NOT_RECORDED,
    ReportFilter,
    StageNames,
    contacts,
    in_period,
    narrowed,
    received,
    stage1_complaints,
    stage_names,
    stage_requested,
)
from portal.services.reports.figures import BuiltTable, TableTotals
from portal.services.reports.queries import key, labelled

POPULATIONS: dict[str, str] = {
    "contacts": "Contacts: complaint records received in the period",
    "stage1": "Stage 1 complaints (S1) received in the period",
    "stage2": "Stage 2 requests made in the period",
    "stage3": "Stage 3 requests made in the period",
    "compliments": "Compliments received in the period",
    "advocacy": "Advocacy requests received in the period",
    "learning": "Learning actions on complaints received in the period",
}
COMPLAINT_POPULATIONS = frozenset({"contacts", "stage1", "stage2", "stage3", "learning"})
ALL_POPULATIONS = frozenset(POPULATIONS)

AGE_BANDS = ((0, 9, "0-9"), (10, 12, "10-12"), (13, 15, "13-15"), (16, 17, "16-17"), (18, 24, "18-24"))
OVER_AGE_BANDS = "25_or_over"


Expr: TypeAlias = ColumnElement[Any] | QueryableAttribute[Any]
"""A value SQL groups by: a column of a model, or an expression over columns."""


class TableError(DomainError):
    """A table that cannot be built as asked (an unknown population or dimension, or one that does not apply)."""


@dataclass(frozen=True)
class TableSpec:
    """What to count (`of`), by what (`rows`, and optionally `columns`), and for which records (`where`)."""

    of: str
    rows: str
    columns: str | None = None
    where: ReportFilter = EVERYTHING


# ------------------------------------------------------------------------------------------------- populations


@dataclass
class _Context:
    """The population being counted, as the dimensions need to see it."""

    name: str
    stages: StageNames
    record: Expr  # what one record is (counted distinct)
    date: Expr  # the population's own date (for month and quarter)
    source: Any  # the population's rows: submission, or stage record/learning action joined to it
    where: ColumnElement[bool]
    own_stage: Any = None  # the StageRecord a Stage 2 or 3 request is
    own_learning: Any = None  # the LearningAction a learning action is


def _population(name: str, period: Period, where: ReportFilter) -> _Context:
    stages = stage_names()
    submissions = {
        "contacts": contacts,
        "stage1": stage1_complaints,
        "compliments": lambda p, w: received(SubmissionKind.COMPLIMENT, p, w),
        "advocacy": lambda p, w: received(SubmissionKind.ADVOCACY, p, w),
    }
    if name in submissions:
        return _Context(
            name, stages, Submission.id, Submission.received_on, Submission, submissions[name](period, where)
        )
    if name in ("stage2", "stage3"):
        stage = stages.second if name == "stage2" else stages.third
        if stage is None:
            raise TableError("The Scottish procedure has no third stage")
        source = sa.orm.join(StageRecord, Submission, StageRecord.submission_id == Submission.id)
        return _Context(
            name,
            stages,
            StageRecord.id,
            StageRecord.requested_on,
            source,
            stage_requested(stage, period, where),
            own_stage=StageRecord,
        )
    if name == "learning":
        source = sa.orm.join(LearningAction, Submission, LearningAction.submission_id == Submission.id)
        condition = narrowed(
            sa.and_(Submission.kind == SubmissionKind.COMPLAINT, in_period(Submission.received_on, period)), where
        )
        return _Context(
            name, stages, LearningAction.id, Submission.received_on, source, condition, own_learning=LearningAction
        )
    raise TableError(f"There is no population called {name!r}: choose one of {', '.join(POPULATIONS)}")


# -------------------------------------------------------------------------------------------------- dimensions


@dataclass
class _Axis:
    """One dimension as SQL: the values to group by, the outer joins they need, and how a group's values become
    the table's key."""

    exprs: list[Expr]
    joins: list[tuple[Any, ColumnElement[bool]]] = field(default_factory=list)
    keyed: Callable[[tuple[Any, ...]], str] = lambda values: key(values[0])
    every: list[str] = field(default_factory=list)  # keys always shown (every month or quarter of P)
    order: Sequence[str] = ()  # the natural order of the values, when they have one


class Dimension(NamedTuple):
    label: str
    populations: frozenset[str]
    multi_valued: bool
    axis: Callable[[_Context, Period], _Axis]


def _column(attribute: Any, order: Sequence[str] = ()) -> Callable[[_Context, Period], _Axis]:
    return lambda ctx, period: _Axis([attribute], order=order)


def _named_by(model: Any, fk: Any) -> Callable[[_Context, Period], _Axis]:
    def axis(ctx: _Context, period: Period) -> _Axis:
        target = aliased(model)
        return _Axis([target.name], [(target, target.id == fk)])

    return axis


def _team(ctx: _Context, period: Period) -> _Axis:
    """The team of the complaint; for a learning action, the team the action is for."""
    target = aliased(Team)
    fk = ctx.own_learning.team_id if ctx.own_learning is not None else Submission.team_id
    return _Axis([target.name], [(target, target.id == fk)])


def _refusal_reason(ctx: _Context, period: Period) -> _Axis:
    reason = aliased(Category)
    return _Axis([reason.label], [(reason, reason.id == Submission.refusal_reason_id)])


def _listed(table: sa.Table) -> Callable[[_Context, Period], _Axis]:
    def axis(ctx: _Context, period: Period) -> _Axis:
        link = table.alias()
        category = aliased(Category)
        return _Axis(
            [category.label],
            [(link, link.c.submission_id == Submission.id), (category, category.id == link.c.category_id)],
        )

    return axis


def _stage_record(ctx: _Context, position: int) -> Any:
    """The record of the procedure's first, second or third stage: the population's own, when it is one."""
    stage = ctx.stages[position]
    if stage is None:
        raise TableError("The Scottish procedure has no third stage")
    own = {"stage2": ctx.stages.second, "stage3": ctx.stages.third}.get(ctx.name)
    if ctx.own_stage is not None and own == stage:
        return ctx.own_stage, None
    record = aliased(StageRecord)
    return record, (record, sa.and_(record.submission_id == Submission.id, record.stage == stage))


FINDINGS = tuple(f.value for f in Finding)


def _stage_value(position: int, attribute: str, order: Sequence[str]) -> Callable[[_Context, Period], _Axis]:
    def axis(ctx: _Context, period: Period) -> _Axis:
        record, join = _stage_record(ctx, position)
        return _Axis([getattr(record, attribute)], [join] if join is not None else [], order=order)

    return axis


def _lgsco_decision(ctx: _Context, period: Period) -> _Axis:
    referral = aliased(LgscoReferral)
    return _Axis(
        [referral.decision],
        [(referral, referral.submission_id == Submission.id)],
        order=[d.value for d in LgscoDecision],
    )


def _remedy(ctx: _Context, period: Period) -> _Axis:
    remedy = aliased(Remedy)
    return _Axis([remedy.kind], [(remedy, remedy.submission_id == Submission.id)], order=list(REMEDY_KINDS))


def _learning(attribute: str, order: Sequence[str] = ()) -> Callable[[_Context, Period], _Axis]:
    """A learning action's own value; for a complaint, the values of its learning actions (a list)."""

    def axis(ctx: _Context, period: Period) -> _Axis:
        if ctx.own_learning is not None:
            return _Axis([getattr(ctx.own_learning, attribute)], order=order)
        action = aliased(LearningAction)
        return _Axis([getattr(action, attribute)], [(action, action.submission_id == Submission.id)], order=order)

    return axis


def _year_and_month(ctx: _Context) -> list[Expr]:
    return [sa.extract("year", ctx.date), sa.extract("month", ctx.date)]


def _month_key(values: tuple[Any, ...]) -> str:
    year, month = values
    if year is None:
        return NOT_RECORDED
    return f"{int(year):04d}-{int(month):02d}"


def _month(ctx: _Context, period: Period) -> _Axis:
    every = list(reporting.months_between(period.start, period.end))
    if ctx.date is Submission.received_on:  # stored as "YYYY-MM" beside the date, and indexed
        return _Axis([Submission.received_month], every=every)
    return _Axis(_year_and_month(ctx), keyed=_month_key, every=every)


def quarter_of(year: int, month: int) -> str:
    """The financial quarter a month is in, as "2024/25 Q1" (Q1 = April to June)."""
    start = year if month >= 4 else year - 1
    return f"{start}/{str(start + 1)[-2:]} Q{(month - 4) % 12 // 3 + 1}"


def _quarter_key(values: tuple[Any, ...]) -> str:
    year, month = values
    if year is None:
        return NOT_RECORDED
    return quarter_of(int(year), int(month))


def _quarter(ctx: _Context, period: Period) -> _Axis:
    every = list(
        dict.fromkeys(quarter_of(int(m[:4]), int(m[5:])) for m in reporting.months_between(period.start, period.end))
    )
    return _Axis(_year_and_month(ctx), keyed=_quarter_key, every=every)


def age_band(age: int | None) -> str:
    """The age band of an age in whole years (0–9, 10–12, 13–15, 16–17, 18–24), or not recorded."""
    if age is None or age < 0:
        return NOT_RECORDED
    for low, high, band in AGE_BANDS:
        if low <= age <= high:
            return band
    return OVER_AGE_BANDS


def _age_key(values: tuple[Any, ...]) -> str:
    return age_band(None if values[0] is None else int(values[0]))


def _age_band(ctx: _Context, period: Period) -> _Axis:
    """Age in whole years on the date received, from the child's date of birth (or the young person's own, when
    they made the contact and no child was recorded)."""
    child, person = aliased(Child), aliased(Person)
    dob = sa.func.coalesce(
        child.date_of_birth,
        sa.case((Submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON, person.date_of_birth)),
    )
    on = Submission.received_on

    def part(what: str, d: Any) -> ColumnElement[Any]:
        return sa.extract(what, d)

    birthday_to_come = (part("month", on) * 100 + part("day", on)) < (part("month", dob) * 100 + part("day", dob))
    age = part("year", on) - part("year", dob) - sa.case((birthday_to_come, 1), else_=0)
    return _Axis(
        [age],
        [(child, child.id == Submission.child_id), (person, person.id == Submission.person_id)],
        keyed=_age_key,
        order=[band for _, _, band in AGE_BANDS] + [OVER_AGE_BANDS],
    )


def _compliment_source(ctx: _Context, period: Period) -> _Axis:
    compliment, source = aliased(Compliment), aliased(Category)
    return _Axis(
        [source.label],
        [(compliment, compliment.submission_id == Submission.id), (source, source.id == compliment.source_id)],
    )


def _values(enum: Any) -> list[str]:
    return [e.value for e in enum]


DIMENSIONS: dict[str, Dimension] = {
    "channel": Dimension("How it came in", ALL_POPULATIONS, False, _column(Submission.channel, _values(Channel))),
    "person_type": Dimension(
        "Who made it", ALL_POPULATIONS, False, _column(Submission.person_type, _values(PersonType))
    ),
    "care_status": Dimension(
        "Care status of the child", ALL_POPULATIONS, False, _column(Submission.care_status, _values(CareStatus))
    ),
    "service_area": Dimension(
        "Service area", ALL_POPULATIONS, False, _named_by(ServiceArea, Submission.service_area_id)
    ),
    "team": Dimension("Team", ALL_POPULATIONS, False, _team),
    "classification": Dimension(
        "How it was handled", COMPLAINT_POPULATIONS, False, _column(Submission.classification, _values(Classification))
    ),
    "refusal_reason": Dimension("Reason for refusing", COMPLAINT_POPULATIONS, False, _refusal_reason),
    "theme": Dimension("Theme", COMPLAINT_POPULATIONS, True, _listed(submission_theme)),
    "outcome_sought": Dimension("Outcome sought", COMPLAINT_POPULATIONS, True, _listed(submission_outcome_sought)),
    "actual_outcome": Dimension("Actual outcome", COMPLAINT_POPULATIONS, True, _listed(submission_actual_outcome)),
    "stage1_outcome": Dimension("Stage 1 finding", COMPLAINT_POPULATIONS, False, _stage_value(0, "outcome", FINDINGS)),
    "stage2_outcome": Dimension("Stage 2 finding", COMPLAINT_POPULATIONS, False, _stage_value(1, "outcome", FINDINGS)),
    "stage3_outcome": Dimension("Stage 3 finding", COMPLAINT_POPULATIONS, False, _stage_value(2, "outcome", FINDINGS)),
    "stage2_decision": Dimension(
        "Stage 2 request accepted or declined",
        COMPLAINT_POPULATIONS,
        False,
        _stage_value(1, "decision", _values(EscalationDecision)),
    ),
    "lgsco_decision": Dimension("Ombudsman's decision", COMPLAINT_POPULATIONS, True, _lgsco_decision),
    "remedy": Dimension("Remedy", COMPLAINT_POPULATIONS, True, _remedy),
    "month": Dimension("Month", ALL_POPULATIONS, False, _month),
    "quarter": Dimension("Quarter", ALL_POPULATIONS, False, _quarter),
    "age_band": Dimension("Age of the child (on the date received)", ALL_POPULATIONS, False, _age_band),
    "compliment_source": Dimension("Who the compliment is from", frozenset({"compliments"}), False, _compliment_source),
    "root_cause": Dimension("Root cause", COMPLAINT_POPULATIONS, True, _learning("root_cause")),
    "learning_category": Dimension(
        "Kind of learning", COMPLAINT_POPULATIONS, True, _learning("category", _values(LearningCategory))
    ),
}
"""Every dimension a table can be cut by. `multi_valued` is True for lists (a record can have several values);
for the learning population a learning action's own root cause and category are single values."""

CATEGORY_DIMENSIONS = {
    "theme": CategoryKind.THEME,
    "outcome_sought": CategoryKind.OUTCOME_SOUGHT,
    "actual_outcome": CategoryKind.ACTUAL_OUTCOME,
    "refusal_reason": CategoryKind.REFUSAL_REASON,
    "compliment_source": CategoryKind.COMPLIMENT_SOURCE,
}


def dimensions_for(population: str) -> list[str]:
    """The dimensions a population can be cut by, in the order the page offers them."""
    return [name for name, d in DIMENSIONS.items() if population in d.populations]


def _multi(name: str, population: str) -> bool:
    if population == "learning" and name in ("root_cause", "learning_category"):
        return False
    return DIMENSIONS[name].multi_valued


def _check(spec: TableSpec) -> None:
    if spec.of not in POPULATIONS:
        raise TableError(f"There is no population called {spec.of!r}: choose one of {', '.join(POPULATIONS)}")
    for name in (spec.rows, spec.columns):
        if name is None:
            continue
        if name not in DIMENSIONS:
            raise TableError(f"There is no dimension called {name!r}: choose one of {', '.join(DIMENSIONS)}")
        if spec.of not in DIMENSIONS[name].populations:
            raise TableError(f"{DIMENSIONS[name].label} is not recorded for {POPULATIONS[spec.of].lower()}")
    if spec.rows == spec.columns:
        raise TableError("Choose a different dimension for the columns, or none")


# ------------------------------------------------------------------------------------------------------- counts

Counts = dict[tuple[str, ...], int]


def _count(ctx: _Context, axes: Sequence[_Axis]) -> Counts:
    """COUNT(DISTINCT record) grouped by the axes' values, keyed by the axes' keys (groups that share a key, such
    as the months of one quarter, are added together: each record is in one of them only)."""
    source: Any = ctx.source
    for axis in axes:
        for target, on in axis.joins:
            source = sa.orm.outerjoin(source, target, on)
    exprs = [e for axis in axes for e in axis.exprs]
    stmt = sa.select(*exprs, sa.func.count(sa.distinct(ctx.record))).select_from(source).where(ctx.where)
    if exprs:
        stmt = stmt.group_by(*exprs)
    counts: Counts = {}
    for row in db.session.execute(stmt):
        values, position = [], 0
        for axis in axes:
            width = len(axis.exprs)
            values.append(axis.keyed(tuple(row[position : position + width])))
            position += width
        k = tuple(values)
        counts[k] = counts.get(k, 0) + int(row[-1])
    return counts


def _ordered(keys: set[str], axis: _Axis) -> list[str]:
    """The keys in the dimension's natural order (every month or quarter, bands, enums), else alphabetically;
    `not_recorded` last."""
    known = list(axis.every) or list(axis.order)
    rank = {k: i for i, k in enumerate(known)}
    shown = set(keys) | set(axis.every)
    return sorted(shown, key=lambda k: (k == NOT_RECORDED, rank.get(k, len(rank)), k))


def build_table(spec: TableSpec, period: Period) -> BuiltTable:
    """Count the population by one or two dimensions over the period (see the module's rules)."""
    _check(spec)
    ctx = _population(spec.of, period, spec.where)
    rows = DIMENSIONS[spec.rows].axis(ctx, period)
    rows_multi = _multi(spec.rows, spec.of)
    if spec.columns is None:
        counts = _count(ctx, [rows])
        one = {k: counts.get((k,), 0) for k in _ordered({k[0] for k in counts}, rows)}
        total = _count(ctx, [])[()] if rows_multi else sum(one.values())
        return _built(spec, period, one, TableTotals(records=total, multi_valued=rows_multi))
    columns = DIMENSIONS[spec.columns].axis(ctx, period)
    columns_multi = _multi(spec.columns, spec.of)
    counts = _count(ctx, [rows, columns])
    row_keys = _ordered({k[0] for k in counts}, rows)
    column_keys = _ordered({k[1] for k in counts}, columns)
    grid = {r: {c: counts.get((r, c), 0) for c in column_keys} for r in row_keys}
    row_totals = _totals_by(ctx, rows, row_keys) if columns_multi else {r: sum(grid[r].values()) for r in row_keys}
    column_totals = (
        _totals_by(ctx, columns, column_keys)
        if rows_multi
        else {c: sum(grid[r][c] for r in row_keys) for c in column_keys}
    )
    multi = rows_multi or columns_multi
    total = _count(ctx, []).get((), 0) if multi else sum(row_totals.values())
    return _built(
        spec,
        period,
        grid,
        TableTotals(rows=row_totals, columns=column_totals, records=total, multi_valued=multi),
    )


def _totals_by(ctx: _Context, axis: _Axis, keys: list[str]) -> dict[str, int]:
    counts = _count(ctx, [axis])
    return {k: counts.get((k,), 0) for k in keys}


def _built(
    spec: TableSpec, period: Period, table: dict[str, int] | dict[str, dict[str, int]], totals: TableTotals
) -> BuiltTable:
    return BuiltTable(
        period=labelled(period),
        of=spec.of,
        rows=spec.rows,
        columns=spec.columns,
        filters=spec.where.as_dict(),
        table=table,
        totals=totals,
    )
