"""The statutory annual report (regulation 13 of SI 2006/1738; seed 001's tables). Definitions: docs/reports.md.

Every figure is one SQL aggregate (COUNT/SUM with CASE, GROUP BY) over stored values; nothing loops over the
records in Python. Working days are the stored `stage_record.working_days_taken`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.domain import reporting
from portal.domain.enums import Classification, Finding, PersonType, StageName, SubmissionKind
from portal.domain.lifecycle import FINANCIAL_REMEDY_KINDS
from portal.domain.reporting import Period, mean, money, percentage
from portal.extensions import db
from portal.models import (
    AdrSession,
    Category,
    Compliment,
    LearningAction,
    LgscoReferral,
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
    OUTCOMES,
    UPHELD_OR_PARTLY,
    ReportFilter,
    StageNames,
    contacts,
    first_stage_of_submission,
    in_period,
    narrowed,
    of_matching_submission,
    procedure_name,
    received,
    scotland,
    stage1_complaints,
    stage_completed,
    stage_names,
    stage_requested,
)
from portal.services.reports.figures import (
    AdrFigures,
    AdvocacyFigures,
    AnnualReport,
    Complainants,
    ComplimentFigures,
    ComplimentTotals,
    Contacts,
    Conversion,
    Conversions,
    LearningActionRow,
    LgscoFigures,
    LgscoRemedies,
    PreviousComplainants,
    PreviousStage1,
    PreviousStage2,
    PreviousYear,
    Refusals,
    RemediesAfterUpheld,
    Stage1Figures,
    Stage1Timeliness,
    Stage2Case,
    Stage2Figures,
    Stage2Year,
    Stage3Figures,
    TeamCompliments,
    ThemeFigures,
    YoungPeople,
    YoungPeopleStage1,
)
from portal.services.reports.queries import count_by, count_where, counts_in_order, iso, key, labelled, n


def annual_report(
    period: Period,
    *,
    compare: bool = True,
    details: bool = True,
    where: ReportFilter = EVERYTHING,
    compare_years: int = 1,
) -> AnnualReport:
    """The statutory annual report for a period (normally a financial year).

    `details` adds the case-level tables (Stage 2 investigations, learning actions); `compare` adds the same
    figures a year earlier (and, with `compare_years` N > 1, for each of the N years before, as `earlier_years`)
    and three years of Stage 2 history. `where` narrows the whole report to the records that match it
    (definitions.ReportFilter).
    """
    stages = stage_names()
    contact_figures, refusals = _contacts(period, where)
    themes, outcomes_sought, actual_outcomes = _categories(period, stages.first, where)
    stage1, stage1_extras = _stage1(period, stages.first, where)
    stage2 = _stage2(period, stages.second, where)
    stage2["request_share"] = percentage(stage2["requests"], stage1["received"])
    report = AnnualReport(
        period=labelled(period),
        procedure=procedure_name(),
        contacts=contact_figures,
        refusals=refusals,
        conversions=_conversions(period, where),
        complainants=_complainants(period, where),
        channels=count_by(_by(Submission.channel, contacts(period, where))),
        person_types=count_by(_by(Submission.person_type, contacts(period, where))),
        young_people=_young_people(period, stage1_extras.young_people, where),
        stage1=stage1,
        stage2=stage2,
        stage3=_stage3(period, stages.third, where),
        themes=themes,
        outcomes_sought=outcomes_sought,
        actual_outcomes=actual_outcomes,
        actual_outcomes_by_finding=_actual_outcomes_by_finding(period, stages.first, where),
        remedies_after_upheld=_remedies_after_upheld(period, stages.first, stage1, stage1_extras, where),
        lgsco=_lgsco(period, where),
        compliments=_compliments(period, where),
        advocacy=AdvocacyFigures(requests=count_where(received(SubmissionKind.ADVOCACY, period, where))),
        adr=_adr(period, where),
        compliments_by_team=_compliments_by_team(period, where),
    )
    if where:
        report["filters"] = where.as_dict()
    if details:
        report["stage2_cases"] = _stage2_cases(period, stages.second, where)
        report["learning_actions"] = _learning_actions(period, where)
    if compare:
        report["previous_year"] = _previous_year(period.previous_year(), stages, where)
        if compare_years > 1:
            report["earlier_years"] = [
                _previous_year(_years_before(period, years), stages, where) for years in range(2, compare_years + 1)
            ]
        report["stage2_history"] = _stage2_history(period, stages.second, where)
    return report


def _years_before(period: Period, years: int) -> Period:
    earlier = period
    for _ in range(years):
        earlier = earlier.previous_year()
    return Period(earlier.start, earlier.end, f"Same period {years} years earlier")


def _by(column: sa.orm.QueryableAttribute[object], where: sa.ColumnElement[bool]) -> sa.Select:
    return sa.select(column, sa.func.count()).where(where).group_by(column)


def _conversions(period: Period, where: ReportFilter) -> Conversions:
    """Pre-complaints and case concerns received in P and how many became complaints (a complaint record names
    the one it came from, `converted_from`); and the S1 complaints that came from one (seed 002 Table 1.1)."""
    later, origin = aliased(Submission), aliased(Submission)
    became = sa.exists().where(later.converted_from_id == Submission.id)
    classification = Submission.classification
    s1 = classification == Classification.STATUTORY
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.case((classification == Classification.PRE_COMPLAINT, 1))),
            sa.func.count(sa.case((sa.and_(classification == Classification.PRE_COMPLAINT, became), 1))),
            sa.func.count(sa.case((classification == Classification.CASE_CONCERN, 1))),
            sa.func.count(sa.case((sa.and_(classification == Classification.CASE_CONCERN, became), 1))),
            sa.func.count(sa.case((sa.and_(s1, origin.classification == Classification.PRE_COMPLAINT), 1))),
            sa.func.count(sa.case((sa.and_(s1, origin.classification == Classification.CASE_CONCERN), 1))),
        )
        .select_from(Submission)
        .outerjoin(origin, origin.id == Submission.converted_from_id)
        .where(contacts(period, where))
    ).one()
    pre, pre_became, concerns, concerns_became, s1_from_pre, s1_from_concern = (n(v) for v in row)
    return Conversions(
        pre_complaints=Conversion(received=pre, became_complaints=pre_became),
        case_concerns=Conversion(received=concerns, became_complaints=concerns_became),
        stage1_from_pre_complaint=s1_from_pre,
        stage1_from_case_concern=s1_from_concern,
    )


def _contacts(period: Period, where: ReportFilter) -> tuple[Contacts, Refusals]:
    """Contacts by classification, and the refused ones by the reason recorded (seed 002 Data Appendix Table 1),
    from one aggregate."""
    by_class: dict[str, int] = {}
    by_reason: dict[str, int] = {}
    for classification, reason, c in db.session.execute(
        sa.select(Submission.classification, Category.label, sa.func.count())
        .select_from(Submission)
        .outerjoin(Category, Category.id == Submission.refusal_reason_id)
        .where(contacts(period, where))
        .group_by(Submission.classification, Category.label)
    ):
        by_class[key(classification)] = by_class.get(key(classification), 0) + int(c)
        if classification == Classification.REFUSED:
            by_reason[key(reason)] = int(c)
    by_reason = dict(sorted(by_reason.items(), key=lambda kv: (kv[0] == NOT_RECORDED, -kv[1], kv[0])))
    return (
        Contacts(
            total=sum(by_class.values()),
            by_classification={c.value: by_class.get(c.value, 0) for c in Classification},
            not_classified=by_class.get(NOT_RECORDED, 0),
        ),
        Refusals(total=sum(by_reason.values()), by_reason=by_reason),
    )


def _complainants(period: Period, where: ReportFilter) -> Complainants:
    """A contact with no person recorded counts as its own person."""
    in_p = contacts(period, where)
    per_person = (
        sa.select(Submission.person_id, sa.func.count().label("n"))
        .where(in_p, Submission.person_id.is_not(None))
        .group_by(Submission.person_id)
        .subquery()
    )
    people = db.session.execute(
        sa.select(per_person.c.n, sa.func.count()).group_by(per_person.c.n).order_by(per_person.c.n)
    ).all()
    anonymous = count_where(in_p, Submission.person_id.is_(None))
    repeat = {str(times): int(people_n) for times, people_n in people if times >= 2}
    repeat_s1 = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Submission)
        .join(per_person, per_person.c.person_id == Submission.person_id)
        .where(in_p, per_person.c.n >= 2, Submission.classification == Classification.STATUTORY)
    )
    return Complainants(
        distinct=sum(int(c) for _, c in people) + anonymous,
        repeat=repeat,
        repeat_people=sum(repeat.values()),
        repeat_contacts=sum(int(times) * int(c) for times, c in people if times >= 2),
        repeat_contacts_stage1=n(repeat_s1),
    )


def _young_people(period: Period, stage1: YoungPeopleStage1, where: ReportFilter) -> YoungPeople:
    young = sa.and_(contacts(period, where), Submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON)
    grid: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for channel, care, c in db.session.execute(
        sa.select(Submission.channel, Submission.care_status, sa.func.count())
        .where(young)
        .group_by(Submission.channel, Submission.care_status)
    ):
        grid.setdefault(key(channel), {})[key(care)] = int(c)
        totals[key(care)] = totals.get(key(care), 0) + int(c)
    return YoungPeople(
        contacts=sum(totals.values()),
        by_channel_and_care_status=grid,
        care_status_totals=totals,
        stage1=stage1,
    )


class _Stage1Extras(NamedTuple):
    """What the same aggregate over S1 also gives: the young people's Stage 1 complaints, and how many upheld or
    partly upheld complaints have a remedy recorded."""

    young_people: YoungPeopleStage1
    with_remedy_by_finding: dict[str, int]


def _stage1(period: Period, first: StageName, where: ReportFilter) -> tuple[Stage1Figures, _Stage1Extras]:
    s1 = stage1_complaints(period, where)
    days = StageRecord.working_days_taken
    responded = StageRecord.responded_on.is_not(None)
    young = Submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON
    has_remedy = sa.exists().where(Remedy.submission_id == Submission.id)
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
            # the young people's complaints (seed 002 section 10) and remedies after upheld findings
            sa.func.count(sa.case((young, 1))),
            *[sa.func.count(sa.case((sa.and_(young, StageRecord.outcome == o), 1))) for o in OUTCOMES],
            sa.func.count(sa.case((sa.and_(young, has_remedy), 1))),
            *[sa.func.count(sa.case((sa.and_(StageRecord.outcome == o, has_remedy), 1))) for o in UPHELD_OR_PARTLY],
        )
        .select_from(Submission)
        .outerjoin(StageRecord, first_stage_of_submission(first))
        .where(s1)
    ).one()
    total = n(row[0])
    outcomes = dict(zip(OUTCOMES, (n(v) for v in row[1:4]), strict=True))
    within_10, within_20, over_20, n_days, sum_days, extended, on_time = (n(v) for v in row[4:11])
    if scotland():
        outcomes[Finding.RESOLVED.value] = n(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Submission)
                .join(StageRecord, first_stage_of_submission(first))
                .where(s1, StageRecord.outcome == Finding.RESOLVED)
            )
        )
    responded_n = within_10 + within_20 + over_20
    young_outcomes = dict(zip(OUTCOMES, (n(v) for v in row[12:15]), strict=True))
    extras = _Stage1Extras(
        young_people=YoungPeopleStage1(
            received=n(row[11]),
            share_of_stage1=percentage(n(row[11]), total),
            outcomes=young_outcomes,
            upheld_or_partly=young_outcomes["upheld"] + young_outcomes["partially_upheld"],
            with_remedy=n(row[15]),
        ),
        with_remedy_by_finding=dict(zip(UPHELD_OR_PARTLY, (n(v) for v in row[16:18]), strict=True)),
    )
    figures = Stage1Figures(
        received=total,
        outcomes=outcomes,
        upheld_or_partly=outcomes["upheld"] + outcomes["partially_upheld"],
        timeliness=Stage1Timeliness(
            within_10=within_10, within_20=within_20, over_20=over_20, awaiting_response=total - responded_n
        ),
        responded=responded_n,
        within_timescale=on_time,
        extended=extended,
        average_working_days=_float(mean(sum_days, n_days)),
        by_service_area=_stage1_by_service_area(s1),
        by_month=_stage1_by_month(period, s1),
    )
    return figures, extras


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _stage1_by_service_area(s1: sa.ColumnElement[bool]) -> dict[str, int]:
    area = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
    return counts_in_order(
        sa.select(area, sa.func.count())
        .select_from(Submission)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .where(s1)
        .group_by(area)
        .order_by(area)
    )


def _stage1_by_month(period: Period, s1: sa.ColumnElement[bool]) -> dict[str, int]:
    """Every month of P, in order, with the months that had none at 0."""
    by_month = dict.fromkeys(reporting.months_between(period.start, period.end), 0)
    by_month.update(
        count_by(
            sa.select(Submission.received_month, sa.func.count())
            .where(s1)
            .group_by(Submission.received_month)
            .order_by(Submission.received_month)
        )
    )
    return by_month


def _stage2(period: Period, second: StageName, where: ReportFilter) -> Stage2Figures:
    requested = stage_requested(second, period, where)
    completed = stage_completed(second, period, where)
    days = StageRecord.working_days_taken
    from_repeater = sa.and_(requested, Submission.person_id.in_(_repeat_complainants(period, where)))
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
            sa.func.count(sa.case((from_repeater, 1))),
            sa.func.count(sa.distinct(sa.case((from_repeater, Submission.person_id)))),
        )
        .join(Submission, Submission.id == StageRecord.submission_id)
        .where(sa.or_(requested, completed))
    ).one()
    taken = [
        d
        for d in db.session.scalars(sa.select(days).where(completed, days.is_not(None)).order_by(days))
        if d is not None
    ]
    total_cost = Decimal(str(row[3])) if row[3] is not None else Decimal("0")
    with_cost = n(row[4])
    return Stage2Figures(
        requests=n(row[0]),
        declined=n(row[1]),
        completed=n(row[2]),
        working_days=taken,
        within_25=n(row[5]),
        within_65=n(row[6]),
        over_65=n(row[7]),
        average_working_days=_float(mean(row[8], n(row[9]))),
        total_cost=money(total_cost),
        average_cost=money(total_cost / with_cost) if with_cost else None,
        completed_with_cost=with_cost,
        requests_from_repeat_complainants=n(row[10]),
        repeat_complainants_requesting=n(row[11]),
    )


def _repeat_complainants(period: Period, where: ReportFilter) -> sa.Select[Any]:
    """The people who made two or more contacts in P (a subquery of their ids, never correlated with the query
    it is used in)."""
    return (
        sa.select(Submission.person_id)
        .where(contacts(period, where), Submission.person_id.is_not(None))
        .group_by(Submission.person_id)
        .having(sa.func.count() >= 2)
        .correlate(None)
    )


def _stage2_history(period: Period, second: StageName, where: ReportFilter, years: int = 3) -> list[Stage2Year]:
    """Stage 2 investigations completed, spend, average cost and average working days for this period and the
    same period in each of the two years before (seed 001 Table 12), oldest first."""
    out = []
    current = period
    for _ in range(years):
        figures = _stage2(current, second, where)
        out.append(
            Stage2Year(
                period={"start": current.start.isoformat(), "end": current.end.isoformat()},
                completed=figures["completed"],
                total_cost=figures["total_cost"],
                average_cost=figures["average_cost"],
                average_working_days=figures["average_working_days"],
            )
        )
        current = current.previous_year()
    return list(reversed(out))


def _stage3(period: Period, third: StageName | None, where: ReportFilter) -> Stage3Figures:
    if third is None:
        return Stage3Figures(requests=0, completed=0)
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.case((in_period(StageRecord.requested_on, period), 1))),
            sa.func.count(sa.case((in_period(StageRecord.responded_on, period), 1))),
        ).where(StageRecord.stage == third, of_matching_submission(StageRecord.submission_id, where))
    ).one()
    return Stage3Figures(requests=n(row[0]), completed=n(row[1]))


def _themes(period: Period, first: StageName, where: ReportFilter) -> dict[str, ThemeFigures]:
    upheld = StageRecord.outcome.in_(UPHELD_OR_PARTLY)
    return {
        label: ThemeFigures(received=int(c), upheld_or_partly=int(u))
        for label, c, u in db.session.execute(
            sa.select(Category.label, sa.func.count(), sa.func.count(sa.case((upheld, 1))))
            .select_from(Submission)
            .join(submission_theme, submission_theme.c.submission_id == Submission.id)
            .join(Category, Category.id == submission_theme.c.category_id)
            .outerjoin(StageRecord, first_stage_of_submission(first))
            .where(stage1_complaints(period, where))
            .group_by(Category.label, Category.sort_order)
            .order_by(Category.sort_order, Category.label)
        )
    }


def _category_counts(period: Period, table: sa.Table, where: ReportFilter) -> dict[str, int]:
    """Over S1: how many complaints named each category of a many-to-many list (outcomes sought or given)."""
    return counts_in_order(
        sa.select(Category.label, sa.func.count())
        .select_from(Submission)
        .join(table, table.c.submission_id == Submission.id)
        .join(Category, Category.id == table.c.category_id)
        .where(stage1_complaints(period, where))
        .group_by(Category.label, Category.sort_order)
        .order_by(Category.sort_order, Category.label)
    )


def _categories(
    period: Period, first: StageName, where: ReportFilter
) -> tuple[dict[str, ThemeFigures], dict[str, int], dict[str, int]]:
    return (
        _themes(period, first, where),
        _category_counts(period, submission_outcome_sought, where),
        _category_counts(period, submission_actual_outcome, where),
    )


def _lgsco(period: Period, where: ReportFilter) -> LgscoFigures:
    referrals = sa.and_(
        in_period(LgscoReferral.referred_on, period), of_matching_submission(LgscoReferral.submission_id, where)
    )
    return LgscoFigures(
        referrals=n(db.session.scalar(sa.select(sa.func.count()).select_from(LgscoReferral).where(referrals))),
        decisions=count_by(_by(LgscoReferral.decision, referrals)),
        remedies=_lgsco_remedies(referrals),
    )


def _lgsco_remedies(referrals: sa.ColumnElement[bool]) -> LgscoRemedies:
    """Remedies recorded on a complaint with an Ombudsman referral made in P, offered on or after the referral
    (or with no date): by kind, and the payments among them with their amount (seed 002 section 12)."""
    after_referral = sa.exists().where(
        referrals,
        LgscoReferral.submission_id == Remedy.submission_id,
        sa.or_(Remedy.offered_on.is_(None), Remedy.offered_on >= LgscoReferral.referred_on),
    )
    rows = db.session.execute(
        sa.select(Remedy.kind, sa.func.count(), sa.func.sum(Remedy.amount))
        .where(after_referral)
        .group_by(Remedy.kind)
        .order_by(Remedy.kind)
    ).all()
    payments = [(int(c), amount) for kind, c, amount in rows if kind in FINANCIAL_REMEDY_KINDS]
    return LgscoRemedies(
        by_kind={kind: int(c) for kind, c, _ in rows},
        payments=sum(c for c, _ in payments),
        amount=money(sum((Decimal(str(a)) for _, a in payments if a is not None), Decimal("0"))),
    )


def _actual_outcomes_by_finding(period: Period, first: StageName, where: ReportFilter) -> dict[str, dict[str, int]]:
    """Over S1: each actual outcome against the Stage 1 finding (seed 002: "'Explanation' … 78% not upheld")."""
    grid: dict[str, dict[str, int]] = {}
    for label, outcome, c in db.session.execute(
        sa.select(Category.label, StageRecord.outcome, sa.func.count())
        .select_from(Submission)
        .join(submission_actual_outcome, submission_actual_outcome.c.submission_id == Submission.id)
        .join(Category, Category.id == submission_actual_outcome.c.category_id)
        .outerjoin(StageRecord, first_stage_of_submission(first))
        .where(stage1_complaints(period, where))
        .group_by(Category.label, Category.sort_order, StageRecord.outcome)
        .order_by(Category.sort_order, Category.label)
    ):
        row = grid.setdefault(label, dict.fromkeys(OUTCOMES, 0))
        row[key(outcome)] = row.get(key(outcome), 0) + int(c)
    return grid


def _remedies_after_upheld(
    period: Period, first: StageName, stage1: Stage1Figures, extras: _Stage1Extras, where: ReportFilter
) -> RemediesAfterUpheld:
    """Of S1 upheld or partly upheld at Stage 1: how many have a remedy recorded, and which kinds (a complaint
    counts once under each kind it had)."""
    by_kind = count_by(
        sa.select(Remedy.kind, sa.func.count(sa.distinct(Submission.id)))
        .select_from(Submission)
        .join(StageRecord, first_stage_of_submission(first))
        .join(Remedy, Remedy.submission_id == Submission.id)
        .where(stage1_complaints(period, where), StageRecord.outcome.in_(UPHELD_OR_PARTLY))
        .group_by(Remedy.kind)
    )
    return RemediesAfterUpheld(
        complaints=stage1["upheld_or_partly"],
        with_remedy=sum(extras.with_remedy_by_finding.values()),
        with_remedy_by_finding=extras.with_remedy_by_finding,
        by_kind=by_kind,
    )


def _compliment_totals(period: Period, where: ReportFilter) -> ComplimentTotals:
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.case((Compliment.internal.is_(True), 1))),
            sa.func.count(sa.case((Compliment.internal.is_(False), 1))),
        )
        .select_from(Submission)
        .outerjoin(Compliment, Compliment.submission_id == Submission.id)
        .where(received(SubmissionKind.COMPLIMENT, period, where))
    ).one()
    return ComplimentTotals(total=n(row[0]), internal=n(row[1]), external=n(row[2]))


def _compliments(period: Period, where: ReportFilter) -> ComplimentFigures:
    in_p = received(SubmissionKind.COMPLIMENT, period, where)
    totals = _compliment_totals(period, where)
    source = sa.func.coalesce(Category.label, NOT_RECORDED)
    area = sa.func.coalesce(ServiceArea.name, NOT_RECORDED)
    return ComplimentFigures(
        total=totals["total"],
        internal=totals["internal"],
        external=totals["external"],
        by_source=counts_in_order(
            sa.select(source, sa.func.count())
            .select_from(Submission)
            .outerjoin(Compliment, Compliment.submission_id == Submission.id)
            .outerjoin(Category, Category.id == Compliment.source_id)
            .where(in_p)
            .group_by(source)
            .order_by(source)
        ),
        by_service_area=counts_in_order(
            sa.select(area, sa.func.count())
            .select_from(Submission)
            .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
            .where(in_p)
            .group_by(area)
            .order_by(area)
        ),
    )


def _adr(period: Period, where: ReportFilter) -> AdrFigures:
    row = db.session.execute(
        sa.select(sa.func.count(sa.distinct(AdrSession.submission_id)), sa.func.sum(AdrSession.hours))
        .join(Submission, Submission.id == AdrSession.submission_id)
        .where(contacts(period, where))
    ).one()
    return AdrFigures(cases=n(row[0]), hours=money(row[1] or 0))


def _compliments_by_team(period: Period, where: ReportFilter) -> list[TeamCompliments]:
    """Per team: Stage 1 complaints received beside internal, external and total compliments (seed 001 Table 17)."""
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
        .where(narrowed(in_period(Submission.received_on, period), where), sa.or_(s1, compliment))
        .group_by(area, team)
        .order_by(area, team)
    )
    return [
        TeamCompliments(
            service_area=a,
            team=t,
            stage1_complaints=int(c),
            internal_compliments=int(i),
            external_compliments=int(e),
            compliments=int(total),
        )
        for a, t, c, i, e, total in rows
    ]


def _stage2_cases(period: Period, second: StageName, where: ReportFilter) -> list[Stage2Case]:
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
        .where(stage_completed(second, period, where))
        .order_by(StageRecord.responded_on, Submission.reference)
    )
    return [
        Stage2Case(
            reference=ref,
            service_area=area,
            team=team,
            requested_on=iso(requested),
            statement_agreed_on=iso(agreed),
            adjudicated_on=iso(adjudicated),
            responded_on=iso(responded),
            working_days=days,
            cost=money(cost),
            outcome=outcome,
        )
        for ref, area, team, requested, agreed, adjudicated, responded, days, cost, outcome in rows
    ]


def _learning_actions(period: Period, where: ReportFilter) -> list[LearningActionRow]:
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
        .where(narrowed(in_period(Submission.received_on, period), where))
        .order_by(Team.name, LearningAction.id)
    )
    return [
        LearningActionRow(
            reference=ref,
            team=team,
            root_cause=cause,
            category=category,
            description=description,
            responsible_officer=officer,
            timeframe=timeframe or (f"By {due:%-d %B %Y}" if due else None),
            status=status,
            completed_on=iso(done),
        )
        for ref, team, cause, category, description, officer, timeframe, due, status, done in rows
    ]


def _previous_year(period: Period, stages: StageNames, where: ReportFilter) -> PreviousYear:
    """The main figures for the same dates a year earlier (only what the comparison table shows)."""
    in_p = contacts(period, where)
    people = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Submission.person_id)),
            sa.func.count(sa.case((Submission.person_id.is_(None), 1))),
            sa.func.count(sa.case((Submission.person_type == PersonType.CHILD_OR_YOUNG_PERSON, 1))),
        ).where(in_p)
    ).one()
    per_person = (
        sa.select(sa.func.count().label("n"))
        .where(in_p, Submission.person_id.is_not(None))
        .group_by(Submission.person_id)
        .subquery()
    )
    repeat = db.session.execute(
        sa.select(sa.func.count(), sa.func.sum(per_person.c.n)).where(per_person.c.n >= 2)
    ).one()
    contact_figures, _ = _contacts(period, where)
    stage1, _ = _stage1(period, stages.first, where)
    stage2 = _stage2(period, stages.second, where)
    compliments = _compliment_totals(period, where)
    return PreviousYear(
        period=labelled(period),
        contacts=contact_figures,
        complainants=PreviousComplainants(
            distinct=n(people[0]) + n(people[1]), repeat_people=n(repeat[0]), repeat_contacts=n(repeat[1])
        ),
        channels=count_by(_by(Submission.channel, in_p)),
        young_people={"contacts": n(people[2])},
        stage1=PreviousStage1(
            received=stage1["received"],
            outcomes=stage1["outcomes"],
            upheld_or_partly=stage1["upheld_or_partly"],
            timeliness=stage1["timeliness"],
            average_working_days=stage1["average_working_days"],
            by_month=stage1["by_month"],
        ),
        stage2=PreviousStage2(
            requests=stage2["requests"],
            declined=stage2["declined"],
            completed=stage2["completed"],
            total_cost=stage2["total_cost"],
            average_cost=stage2["average_cost"],
        ),
        stage3=_stage3(period, stages.third, where),
        themes=_themes(period, stages.first, where),
        compliments=compliments,
    )
