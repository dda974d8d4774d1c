"""The demo data for `make run`: loads once, covers every kind of case, and is deterministic."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
import time_machine

from portal.domain import reporting
from portal.models import LearningAction, StaffUser, StageRecord, Submission
from portal.services import demo, reports

TODAY = "2026-11-20 10:00:00+00:00"


@time_machine.travel(TODAY, tick=False)
def test_demo_data_loads_once_with_every_kind_of_case(db, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo.manager@example.gov.uk" in result.output
    assert demo.DEMO_PASSWORD in result.output
    assert "totp-code --email demo.manager@example.gov.uk" in result.output
    roles = set(db.session.scalars(sa.select(StaffUser.role)))
    assert {r.value for r in roles} == {
        "complaints_manager",
        "complaints_officer",
        "responding_manager",
        "advocate",
        "report_viewer",
        "administrator",
    }
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Submission))
    statuses = {s.value for s in db.session.scalars(sa.select(Submission.status).distinct())}
    assert {"new", "open", "closed", "withdrawn", "refused"} <= statuses
    classes = {c.value for c in db.session.scalars(sa.select(Submission.classification).distinct()) if c}
    assert classes == {
        "statutory",
        "corporate",
        "case_concern",
        "representation",
        "pre_complaint",
        "refused",
        "withdrawn",
    }
    stages = {s.value for s in db.session.scalars(sa.select(StageRecord.stage).distinct())}
    assert {"stage1", "stage2", "stage3", "corporate1"} <= stages
    assert db.session.scalar(sa.select(sa.func.count()).where(StageRecord.cost.is_not(None))) >= 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LearningAction)) >= 4
    assert db.session.scalar(sa.select(sa.func.count()).where(Submission.feels_unsafe.is_(True))) == 1
    # open and overdue Stage 1 complaints
    overdue = db.session.scalar(
        sa.select(sa.func.count()).where(StageRecord.status == "open", StageRecord.due_on < date(2026, 11, 20))
    )
    assert overdue >= 1
    # Second run does nothing
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "not loaded" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == count
    annual = reports.annual_report(reporting.Period(date(2025, 11, 20), date(2026, 11, 20), "x"))
    assert annual["stage1"]["received"] > 100 and annual["compliments"]["total"] > 50


@time_machine.travel(TODAY, tick=False)
def test_history_is_deterministic(db) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 11, 20)
    assert demo.history_rows(today) == demo.history_rows(today)
    assert demo.history_rows(today) != demo.history_rows(today, seed=1)
