"""The board report (seed 004, issue 13 §3): for a period and a filter, how the complaints ended, which were upheld
and what about, which open cases are overdue, and the Stage 2 investigations concluded. Definitions:
docs/reports.md, "Board report".

The case lists (references, complaint points in the complainant's words) are for complaints managers only; the
version for publication has the counts alone (no references, no free text), with small numbers suppressed.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.domain.enums import Finding, StageName, SubmissionKind, SubmissionStatus
from portal.domain.reporting import Period, percentage
from portal.extensions import db
from portal.models import ComplaintPoint, StageRecord, Submission, Team
from portal.services.reports.definitions import (
    EVERYTHING,
    NOT_RECORDED,
    OUTCOMES,
    UPHELD_OR_PARTLY,
    ReportFilter,
    first_stage_of_submission,
    stage1_complaints,
    stage_completed,
    stage_names,
)
from portal.services.reports.figures import (
    BoardCase,
    BoardOverview,
    BoardReport,
    ComplaintPointRow,
    OverdueCase,
)
from portal.services.reports.queries import count_by, count_where, iso, key, labelled, n

OPEN_STATUSES = (SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION, SubmissionStatus.OPEN)
BEING_INVESTIGATED = "being_investigated"


def board_report(period: Period, *, today: date, where: ReportFilter = EVERYTHING, details: bool = True) -> BoardReport:
    """The board report for P and the filter. `details` adds the case lists (complaints managers only)."""
    first, second, _ = stage_names()
    report = BoardReport(
        period=labelled(period),
        filters=where.as_dict(),
        overview=_overview(period, first, second, where, today),
    )
    if details:
        report["upheld_complaints"] = _upheld_cases(period, first, where)
        report["overdue_cases"] = _overdue_cases(where, today)
        report["stage2_concluded_cases"] = _stage2_cases(period, second, where)
    return report


def _overdue(where: ReportFilter, today: date) -> sa.ColumnElement[bool]:
    """Open complaints (any date received) whose current due date has passed."""
    condition = sa.and_(
        Submission.kind == SubmissionKind.COMPLAINT,
        Submission.status.in_(OPEN_STATUSES),
        Submission.next_due_on < today,
    )
    return sa.and_(condition, where.condition()) if where else condition


def _overview(period: Period, first: StageName, second: StageName, where: ReportFilter, today: date) -> BoardOverview:
    s1 = stage1_complaints(period, where)
    outcome = StageRecord.outcome
    upheld = outcome.in_(UPHELD_OR_PARTLY)
    responded = StageRecord.responded_on.is_not(None)
    row = db.session.execute(
        sa.select(
            sa.func.count(Submission.id),
            *[sa.func.count(sa.case((outcome == o, 1))) for o in OUTCOMES],
            sa.func.count(sa.case((sa.and_(outcome.is_(None), Submission.status.in_(OPEN_STATUSES)), 1))),
            sa.func.count(sa.case((responded, 1))),
            sa.func.count(sa.case((sa.and_(responded, StageRecord.met_deadline.is_(True)), 1))),
        )
        .select_from(Submission)
        .outerjoin(StageRecord, first_stage_of_submission(first))
        .where(s1)
    ).one()
    outcomes = dict(zip(OUTCOMES, (n(v) for v in row[1:4]), strict=True))
    outcomes[BEING_INVESTIGATED] = n(row[4])
    upheld_s1 = sa.select(Submission.id).select_from(Submission).join(StageRecord, first_stage_of_submission(first))
    upheld_ids = upheld_s1.where(s1, upheld)
    team = sa.func.coalesce(Team.name, NOT_RECORDED)
    return BoardOverview(
        all_stage1=count_where(stage1_complaints(period)),
        stage1=n(row[0]),
        outcomes=outcomes,
        upheld_or_partly=outcomes[Finding.UPHELD.value] + outcomes[Finding.PARTIALLY_UPHELD.value],
        responded=n(row[5]),
        within_timescale=n(row[6]),
        within_timescale_percent=percentage(n(row[6]), n(row[5])),
        overdue_open=count_where(_overdue(where, today)),
        upheld_by_team=count_by(
            sa.select(team, sa.func.count())
            .select_from(Submission)
            .outerjoin(Team, Team.id == Submission.team_id)
            .where(Submission.id.in_(upheld_ids))
            .group_by(team)
        ),
        upheld_by_person_type=count_by(
            sa.select(Submission.person_type, sa.func.count())
            .where(Submission.id.in_(upheld_ids))
            .group_by(Submission.person_type)
        ),
        upheld_resolved_at=_resolved_at(upheld_ids),
        stage2_concluded=count_where(stage_completed(second, period, where)),
    )


def _resolved_at(upheld_ids: sa.Select[int]) -> dict[str, int]:
    """Of the upheld or partly upheld complaints: the last stage that has a response ("all resolved at Stage 1")."""
    later = aliased(StageRecord)
    last = sa.and_(
        StageRecord.submission_id.in_(upheld_ids),
        StageRecord.responded_on.is_not(None),
        ~sa.exists().where(
            later.submission_id == StageRecord.submission_id,
            later.responded_on.is_not(None),
            later.id > StageRecord.id,
        ),
    )
    return count_by(sa.select(StageRecord.stage, sa.func.count()).where(last).group_by(StageRecord.stage))


def _points(stage_ids: list[int]) -> dict[int, list[ComplaintPointRow]]:
    points: dict[int, list[ComplaintPointRow]] = {}
    if not stage_ids:
        return points
    for stage_id, text, finding in db.session.execute(
        sa.select(ComplaintPoint.stage_id, ComplaintPoint.text, ComplaintPoint.finding)
        .where(ComplaintPoint.stage_id.in_(stage_ids))
        .order_by(ComplaintPoint.stage_id, ComplaintPoint.position, ComplaintPoint.id)
    ):
        points.setdefault(stage_id, []).append(ComplaintPointRow(text=text, finding=finding))
    return points


def _upheld_cases(period: Period, first: StageName, where: ReportFilter) -> list[BoardCase]:
    """The S1 complaints upheld or partly upheld at the first stage, with their points and findings."""
    rows = db.session.execute(
        sa.select(Submission.reference, Team.name, Submission.person_type, StageRecord.id, StageRecord.outcome)
        .select_from(Submission)
        .join(StageRecord, first_stage_of_submission(first))
        .outerjoin(Team, Team.id == Submission.team_id)
        .where(stage1_complaints(period, where), StageRecord.outcome.in_(UPHELD_OR_PARTLY))
        .order_by(Submission.received_on, Submission.reference)
    ).all()
    points = _points([stage_id for _, _, _, stage_id, _ in rows])
    return [
        BoardCase(
            reference=ref,
            team=team,
            person_type=key(person_type) if person_type is not None else None,
            outcome=outcome,
            points=points.get(stage_id, []),
        )
        for ref, team, person_type, stage_id, outcome in rows
    ]


def _overdue_cases(where: ReportFilter, today: date) -> list[OverdueCase]:
    rows = db.session.execute(
        sa.select(Submission.reference, Team.name, Submission.current_stage, Submission.next_due_on)
        .select_from(Submission)
        .outerjoin(Team, Team.id == Submission.team_id)
        .where(_overdue(where, today))
        .order_by(Submission.next_due_on, Submission.reference)
    )
    return [
        OverdueCase(
            reference=ref,
            team=team,
            stage=key(stage) if stage is not None else None,
            due_on=iso(due),
            days_overdue=(today - due).days if due else 0,
        )
        for ref, team, stage, due in rows
    ]


def _stage2_cases(period: Period, second: StageName, where: ReportFilter) -> list[BoardCase]:
    rows = db.session.execute(
        sa.select(Submission.reference, Team.name, Submission.person_type, StageRecord.id, StageRecord.outcome)
        .select_from(StageRecord)
        .join(Submission, Submission.id == StageRecord.submission_id)
        .outerjoin(Team, Team.id == Submission.team_id)
        .where(stage_completed(second, period, where))
        .order_by(StageRecord.responded_on, Submission.reference)
    ).all()
    points = _points([stage_id for _, _, _, stage_id, _ in rows])
    return [
        BoardCase(
            reference=ref,
            team=team,
            person_type=key(person_type) if person_type is not None else None,
            outcome=outcome,
            points=points.get(stage_id, []),
        )
        for ref, team, person_type, stage_id, outcome in rows
    ]
