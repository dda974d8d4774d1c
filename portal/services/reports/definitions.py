"""The populations every report counts, defined once and named as docs/reports.md names them.

Each is a SQL condition over `submission` or `stage_record` for a period P. A report figure is an aggregate over
one of these; a new report (or a filter narrowing every report) starts here, so that the same words always mean
the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from portal.domain.enums import Classification, Finding, StageName, SubmissionKind
from portal.domain.reporting import Period
from portal.models import ServiceArea, StageRecord, Submission, Team

NOT_RECORDED = "not_recorded"
"""The key under which a record with no value for a breakdown is counted (never dropped)."""

OUTCOMES = (Finding.UPHELD.value, Finding.PARTIALLY_UPHELD.value, Finding.NOT_UPHELD.value)
UPHELD_OR_PARTLY = (Finding.UPHELD.value, Finding.PARTIALLY_UPHELD.value)


class StageNames(NamedTuple):
    """The first, second and third stage of the configured statutory procedure (Scotland has no third)."""

    first: StageName
    second: StageName
    third: StageName | None


def scotland() -> bool:
    return bool(current_app.config["PROCEDURE"] == "scotland")


def procedure_name() -> str:
    return "scotland" if scotland() else "england"


def stage_names() -> StageNames:
    if scotland():
        return StageNames(StageName.FRONTLINE, StageName.INVESTIGATION, None)
    return StageNames(StageName.STAGE1, StageName.STAGE2, StageName.STAGE3)


@dataclass(frozen=True)
class ReportFilter:
    """Narrows every report to the records that match (`--care-status`, `--service-area`, `--team`,
    `--person-type`, and the filter panel). Each holds the values asked for: a record matches a filter when it has
    any of them (`not_recorded` matches a record that does not say), and every filter given must match. A filtered
    report is the whole report computed over only the matching records; no filter is the whole council.

    Service areas and teams are named, as the command line names them and the reports show them."""

    care_status: tuple[str, ...] = ()
    service_area: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    person_type: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, list[str]]:
        """The filters given, for the report's `filters` key (empty when the report is of everything)."""
        return {f.name: list(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name)}

    def condition(self) -> ColumnElement[bool]:
        """The SQL condition a submission meets when it matches every filter."""
        parts = [
            _any_of(Submission.care_status, self.care_status),
            _any_of(Submission.person_type, self.person_type),
            _named(Submission.service_area_id, ServiceArea.id, ServiceArea.name, self.service_area),
            _named(Submission.team_id, Team.id, Team.name, self.team),
        ]
        return sa.and_(sa.true(), *(p for p in parts if p is not None))


EVERYTHING = ReportFilter()


def _any_of(column: QueryableAttribute[object], values: tuple[str, ...]) -> ColumnElement[bool] | None:
    if not values:
        return None
    named = [v for v in values if v != NOT_RECORDED]
    either = [column.in_(named)] if named else []
    if NOT_RECORDED in values:
        either.append(column.is_(None))
    return sa.or_(*either)


def _named(
    fk: QueryableAttribute[int | None],
    pk: QueryableAttribute[int],
    name: QueryableAttribute[str],
    values: tuple[str, ...],
) -> ColumnElement[bool] | None:
    if not values:
        return None
    named = [v for v in values if v != NOT_RECORDED]
    either = [fk.in_(sa.select(pk).where(name.in_(named)))] if named else []
    if NOT_RECORDED in values:
        either.append(fk.is_(None))
    return sa.or_(*either)


def narrowed(condition: ColumnElement[bool], where: ReportFilter) -> ColumnElement[bool]:
    """A population of submissions narrowed by the filter (unchanged when there is none)."""
    return sa.and_(condition, where.condition()) if where else condition


def of_matching_submission(
    submission_id: QueryableAttribute[int] | QueryableAttribute[int | None], where: ReportFilter
) -> ColumnElement[bool]:
    """A stage record, Ombudsman referral or learning action belongs to a submission that matches the filter."""
    if not where:
        return sa.true()
    return submission_id.in_(sa.select(Submission.id).where(where.condition()))


def in_period(column: QueryableAttribute[date | None], period: Period) -> ColumnElement[bool]:
    """The column's date is in P (both ends included)."""
    return column.between(period.start, period.end)


def contacts(period: Period, where: ReportFilter = EVERYTHING) -> ColumnElement[bool]:
    """Contacts: complaint records (of any classification) received in P."""
    return narrowed(
        sa.and_(Submission.kind == SubmissionKind.COMPLAINT, in_period(Submission.received_on, period)), where
    )


def stage1_complaints(period: Period, where: ReportFilter = EVERYTHING) -> ColumnElement[bool]:
    """S1: contacts received in P and accepted under the statutory procedure."""
    return sa.and_(contacts(period, where), Submission.classification == Classification.STATUTORY)


def received(kind: SubmissionKind, period: Period, where: ReportFilter = EVERYTHING) -> ColumnElement[bool]:
    """Compliments or advocacy requests received in P."""
    return narrowed(sa.and_(Submission.kind == kind, in_period(Submission.received_on, period)), where)


def first_stage_of_submission(first: StageName) -> ColumnElement[bool]:
    """Join condition: a submission's record of the procedure's first stage."""
    return sa.and_(StageRecord.submission_id == Submission.id, StageRecord.stage == first)


def stage_requested(stage: StageName, period: Period, where: ReportFilter = EVERYTHING) -> ColumnElement[bool]:
    """Requests for the stage made in P (of any complaint, whenever it was received)."""
    condition = sa.and_(StageRecord.stage == stage, in_period(StageRecord.requested_on, period))
    return sa.and_(condition, of_matching_submission(StageRecord.submission_id, where)) if where else condition


def stage_completed(stage: StageName, period: Period, where: ReportFilter = EVERYTHING) -> ColumnElement[bool]:
    """The stage's responses dated in P (the stage is completed, or closed, in P)."""
    condition = sa.and_(StageRecord.stage == stage, in_period(StageRecord.responded_on, period))
    return sa.and_(condition, of_matching_submission(StageRecord.submission_id, where)) if where else condition
