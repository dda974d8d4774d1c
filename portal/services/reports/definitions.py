"""The populations every report counts, defined once and named as docs/reports.md names them.

Each is a SQL condition over `submission` or `stage_record` for a period P. A report figure is an aggregate over
one of these; a new report (or a filter narrowing every report) starts here, so that the same words always mean
the same records.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from portal.domain.enums import Classification, Finding, StageName, SubmissionKind
from portal.domain.reporting import Period
from portal.models import StageRecord, Submission

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


def in_period(column: QueryableAttribute[date | None], period: Period) -> ColumnElement[bool]:
    """The column's date is in P (both ends included)."""
    return column.between(period.start, period.end)


def contacts(period: Period) -> ColumnElement[bool]:
    """Contacts: complaint records (of any classification) received in P."""
    return sa.and_(Submission.kind == SubmissionKind.COMPLAINT, in_period(Submission.received_on, period))


def stage1_complaints(period: Period) -> ColumnElement[bool]:
    """S1: contacts received in P and accepted under the statutory procedure."""
    return sa.and_(contacts(period), Submission.classification == Classification.STATUTORY)


def received(kind: SubmissionKind, period: Period) -> ColumnElement[bool]:
    """Compliments or advocacy requests received in P."""
    return sa.and_(Submission.kind == kind, in_period(Submission.received_on, period))


def first_stage_of_submission(first: StageName) -> ColumnElement[bool]:
    """Join condition: a submission's record of the procedure's first stage."""
    return sa.and_(StageRecord.submission_id == Submission.id, StageRecord.stage == first)


def stage_requested(stage: StageName, period: Period) -> ColumnElement[bool]:
    """Requests for the stage made in P (of any complaint, whenever it was received)."""
    return sa.and_(StageRecord.stage == stage, in_period(StageRecord.requested_on, period))


def stage_completed(stage: StageName, period: Period) -> ColumnElement[bool]:
    """The stage's responses dated in P (the stage is completed, or closed, in P)."""
    return sa.and_(StageRecord.stage == stage, in_period(StageRecord.responded_on, period))
