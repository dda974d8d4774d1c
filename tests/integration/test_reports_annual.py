"""The annual report, quarterly indicators and team dashboard against a small dataset whose figures were worked
out by hand (tests/integration/data/reports_fixture.csv; working days counted on the England and Wales
calendar: 27 May and 6 May 2024 are bank holidays)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.domain import reporting
from portal.services import importer, reports

FIXTURE = Path(__file__).parent / "data" / "reports_fixture.csv"
FY = reporting.financial_year(2024)


@pytest.fixture
def fixture_data(db):  # type: ignore[no-untyped-def]
    result = importer.import_text(FIXTURE.read_text())
    assert result.ok, [str(p) for p in result.problems]
    return result


def test_contacts_and_complainants(fixture_data) -> None:  # type: ignore[no-untyped-def]
    r = reports.annual_report(FY)
    assert r["contacts"] == {
        "total": 12,
        "by_classification": {
            "statutory": 5,
            "corporate": 1,
            "case_concern": 1,
            "representation": 1,
            "pre_complaint": 1,
            "refused": 1,
            "withdrawn": 1,
        },
        "not_classified": 1,
    }
    assert r["complainants"]["distinct"] == 8  # six people plus two contacts with no person
    assert r["complainants"]["repeat"] == {"2": 2, "3": 1}
    assert r["complainants"]["repeat_contacts"] == 7
    assert r["complainants"]["repeat_contacts_stage1"] == 4
    assert r["channels"] == {
        "email": 6,
        "telephone": 2,
        "letter": 1,
        "advocate": 1,
        "online_form": 1,
        "not_recorded": 1,
    }
    assert r["person_types"] == {
        "parent": 4,
        "child_or_young_person": 3,
        "grandparent": 2,
        "professional": 1,
        "carer": 1,
        "not_recorded": 1,
    }
    assert r["young_people"] == {
        "contacts": 3,
        "by_channel_and_care_status": {
            "letter": {"care_leaver": 1},
            "advocate": {"child_in_care": 1},
            "email": {"care_leaver": 1},
        },
        "care_status_totals": {"care_leaver": 2, "child_in_care": 1},
        # R3 (not upheld at Stage 1), R4 and R18 (awaiting a response): 3 of the 5 S1 complaints
        "stage1": {
            "received": 3,
            "share_of_stage1": "60.0%",
            "outcomes": {"upheld": 0, "partially_upheld": 0, "not_upheld": 1},
            "upheld_or_partly": 0,
            "with_remedy": 0,
        },
    }


def test_stage1(fixture_data) -> None:  # type: ignore[no-untyped-def]
    s1 = reports.annual_report(FY)["stage1"]
    assert s1["received"] == 5
    assert s1["outcomes"] == {"upheld": 1, "partially_upheld": 1, "not_upheld": 1}
    assert s1["upheld_or_partly"] == 2
    # R1 took 10 working days, R2 11 (extended), R3 24 (27 May is a bank holiday); R4 and R18 await a response.
    assert s1["timeliness"] == {"within_10": 1, "within_20": 1, "over_20": 1, "awaiting_response": 2}
    assert s1["average_working_days"] == 15.0
    assert s1["within_timescale"] == 2
    assert s1["extended"] == 1
    assert s1["by_service_area"] == {"Children in Care": 3, "Leaving Care": 2}
    assert s1["by_month"]["2024-04"] == 2
    assert s1["by_month"]["2024-05"] == 1
    assert s1["by_month"]["2024-06"] == 1
    assert s1["by_month"]["2025-03"] == 1
    assert s1["by_month"]["2024-12"] == 0
    assert len(s1["by_month"]) == 12


def test_stage2_stage3_and_costs(fixture_data) -> None:  # type: ignore[no-untyped-def]
    r = reports.annual_report(FY)
    s2 = r["stage2"]
    assert s2["requests"] == 2  # R2 and R3 (R12 asked in 2023)
    assert s2["declined"] == 1
    assert s2["completed"] == 2  # R2 and R12
    assert s2["working_days"] == [21, 25]
    assert (s2["within_25"], s2["within_65"], s2["over_65"]) == (2, 0, 0)
    assert s2["total_cost"] == "7027.23"
    assert s2["average_cost"] == "3513.62"  # 3513.615 rounded half-up
    assert r["stage3"] == {"requests": 1, "completed": 1}
    assert [c["reference"] for c in r["stage2_cases"]] == ["R12", "R2"]
    assert r["stage2_cases"][1]["statement_agreed_on"] == "2024-05-07"
    history = r["stage2_history"]
    assert [h["period"]["start"] for h in history] == ["2022-04-01", "2023-04-01", "2024-04-01"]
    assert history[-1] == {
        "period": {"start": "2024-04-01", "end": "2025-03-31"},
        "completed": 2,
        "total_cost": "7027.23",
        "average_cost": "3513.62",
        "average_working_days": 23.0,
    }
    assert history[0]["completed"] == 0 and history[0]["average_cost"] is None


def test_themes_outcomes_lgsco_compliments_advocacy(fixture_data) -> None:  # type: ignore[no-untyped-def]
    r = reports.annual_report(FY)
    assert r["themes"] == {
        "Communication": {"received": 3, "upheld_or_partly": 2},
        "Money, allowances or funding": {"received": 1, "upheld_or_partly": 0},
        "Placement (where the child lives)": {"received": 1, "upheld_or_partly": 0},
        "Decision-making": {"received": 1, "upheld_or_partly": 1},
    }
    assert r["outcomes_sought"] == {"Apology": 1}
    assert r["actual_outcomes"] == {"Apology": 1}
    assert r["lgsco"] == {
        "referrals": 1,
        "decisions": {"premature": 1},
        "remedies": {"by_kind": {}, "payments": 0, "amount": "0.00"},
    }
    assert r["compliments"] == {
        "total": 3,
        "internal": 1,
        "external": 2,
        "by_source": {"Foster carer": 1, "Internal colleague": 1, "Judge": 1},
        "by_service_area": {"Children in Care": 1, "Leaving Care": 1, "not_recorded": 1},
    }
    assert r["advocacy"] == {"requests": 1}
    assert r["adr"] == {"cases": 1, "hours": "2.50"}
    by_team = {row["team"]: row for row in r["compliments_by_team"]}
    assert by_team["CiC North"]["stage1_complaints"] == 3
    assert by_team["CiC North"]["external_compliments"] == 1
    assert by_team["Care Leavers Team"]["internal_compliments"] == 1


def test_previous_year(fixture_data) -> None:  # type: ignore[no-untyped-def]
    last = reports.annual_report(FY)["previous_year"]
    assert last["period"]["start"] == "2023-04-01"
    assert last["contacts"]["total"] == 1
    assert last["stage1"]["received"] == 1
    assert last["stage1"]["timeliness"]["within_10"] == 1
    assert last["stage1"]["average_working_days"] == 5.0


def test_empty_period_has_nulls_not_zeros(db) -> None:  # type: ignore[no-untyped-def]
    r = reports.annual_report(FY)
    assert r["stage1"]["average_working_days"] is None
    assert r["stage2"]["average_cost"] is None
    assert r["stage2"]["total_cost"] == "0.00"
    assert r["contacts"]["total"] == 0


def test_publication_suppresses_small_numbers_internal_does_not(fixture_data) -> None:  # type: ignore[no-untyped-def]
    internal = reports.annual_report(FY)
    published = reports.for_publication(internal)
    assert internal["stage1"]["received"] == 5
    assert published["stage1"]["received"] == 5
    assert published["contacts"]["by_classification"]["corporate"] == "<5"
    assert published["contacts"]["by_classification"]["case_concern"] == "<5"
    assert published["contacts"]["total"] == 12
    assert published["stage1"]["timeliness"]["within_10"] == "<5"
    assert published["stage2"]["working_days"] == "suppressed"
    assert published["contacts"]["by_classification"]["statutory"] == 5
    assert "stage2_cases" not in published
    assert internal["contacts"]["by_classification"]["corporate"] == 1


def test_quarterly_indicators(fixture_data) -> None:  # type: ignore[no-untyped-def]
    q = reports.quarterly_indicators(FY.end)
    assert q["quarters"][0] == "Quarter 4 2023/24"
    q1 = q["totals"][1]
    assert q1["period"] == "Quarter 1 2024/25"
    assert q1["received"] == 4
    assert q1["closed"] == 5
    assert q1["closed_at_stage"]["stage1"] == {"n": 3, "percent": "60.0%"}
    assert q1["closed_at_stage"]["stage2"] == {"n": 2, "percent": "40.0%"}
    assert q["totals"][0]["closed_at_stage"]["stage1"]["percent"] == "N/A"
    stage1 = q["stages"][0]["quarters"][1]
    assert stage1["closed"] == 3
    assert stage1["outcomes"]["upheld"] == {"n": 1, "percent": "33.3%"}
    assert stage1["average_working_days"] == "15.0"
    assert stage1["within_timescale"] == {"n": 1, "percent": "33.3%"}
    assert stage1["extended"] == {"n": 1, "percent": "33.3%"}
    empty = q["stages"][0]["quarters"][0]
    assert empty["average_working_days"] == "N/A"
    assert empty["within_timescale"]["percent"] == "N/A"
    stage3 = q["stages"][2]["quarters"][2]
    assert stage3["closed"] == 1 and stage3["timescale"] == 50


def test_team_dashboard(fixture_data) -> None:  # type: ignore[no-untyped-def]
    d = reports.team_dashboard(FY)
    rows = {row["team"]: row for row in d["rows"]}
    north = rows["CiC North"]
    assert north["representations"] == 1
    assert north["stage1_received"] == 3
    assert north["stages"]["stage1"]["responded"] == 2
    assert north["stages"]["stage1"]["upheld"] == 1
    assert north["stages"]["stage2"]["received"] == 1
    assert north["responded"] == 3
    assert north["upheld_percent"] == "66.7%"
    # due in P: R1, R2 and R4 at Stage 1 and R2 at Stage 2; R4 has no response and is past due, so it is missed
    assert (north["met_when_due"], north["due"], north["timeliness_percent"]) == (3, 4, "75.0%")
    assert north["stages"]["stage2"]["accepted"] == 1
    assert north["adr_cases"] == 1 and north["adr_hours"] == "2.50"
    assert north["stage2_cost"] == "4000.01"
    assert north["closed"] == 2
    assert d["totals"]["stage2_cost"] == "7027.23"
    # closed in P whenever received: R1, R2, R3 and R12 (received in 2023)
    assert d["totals"]["closed"] == 4
    assert rows["CiC South"]["closed"] == 1
    # Stage 2: R2 (accepted) and R3 (declined) asked in P: two requests, one investigation accepted
    assert (d["totals"]["stages"]["stage2"]["received"], d["totals"]["stages"]["stage2"]["accepted"]) == (2, 1)


def test_team_dashboard_half_years(fixture_data) -> None:  # type: ignore[no-untyped-def]
    d = reports.team_dashboard(FY)
    first, second = d["half_years"]
    assert (first["period"]["start"], first["period"]["end"]) == ("2024-04-01", "2024-09-30")
    assert (second["period"]["start"], second["period"]["end"]) == ("2024-10-01", "2025-03-31")
    # S1 received: R1-R4 in the first half, R18 in the second; the halves add up to the year
    assert [h["totals"]["stage1_received"] for h in d["half_years"]] == [4, 1]
    assert d["totals"]["stage1_received"] == 5
    for figure in ("representations", "withdrawn", "closed", "due", "met_when_due", "responded"):
        assert first["totals"][figure] + second["totals"][figure] == d["totals"][figure], figure  # type: ignore[literal-required]
    assert [r["name"] for r in first["top_root_causes"]] == []  # no learning actions in this dataset
    assert reports.team_dashboard(reporting.quarter(2024, 1))["half_years"] == []


def test_report_command_json_csv_html(fixture_data, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["report", "annual", "--start", "2024-04-01", "--end", "2025-03-31"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["contacts"]["total"] == 12
    assert data["stage2"]["average_cost"] == "3513.62"
    result = runner.invoke(args=["report", "annual", "--start", "2024-04-01", "--end", "2025-03-31", "--format", "csv"])
    assert result.exit_code == 0
    assert "contacts,total,,12" in result.output
    result = runner.invoke(
        args=["report", "annual", "--start", "2024-04-01", "--end", "2025-03-31", "--format", "html", "--publication"]
    )
    assert result.exit_code == 0
    assert "<svg" in result.output and "&lt;5" in result.output
    result = runner.invoke(args=["report", "annual", "--start", "2025-04-01", "--end", "2024-03-31"])
    assert result.exit_code != 0
    assert "end date" in result.output
    result = runner.invoke(args=["report", "quarterly", "--end", "2025-03-31"])
    assert json.loads(result.output)["totals"][1]["closed"] == 5
    result = runner.invoke(args=["report", "team", "--start", "2024-04-01", "--end", "2025-03-31", "--publication"])
    assert json.loads(result.output)["publication"]["suppressed_marker"] == "<5"


def test_portal_records_count_like_imported_ones(fixture_data) -> None:  # type: ignore[no-untyped-def]
    """A complaint handled through the lifecycle services is counted exactly as an imported one."""
    from datetime import date

    import time_machine

    from portal.domain.enums import Classification, Procedure
    from portal.services import lifecycle
    from tests.factories import make_submission, make_team

    team = make_team("CiC North", area="Children in Care")
    before = reports.annual_report(FY)
    with time_machine.travel("2024-07-01 10:00:00+00:00", tick=False):
        submission = make_submission(received_on=date(2024, 7, 1), team=team, classification=Classification.STATUTORY)
        stage = lifecycle.open_first_stage(
            submission, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2024, 7, 1)
        )
    with time_machine.travel("2024-07-05 10:00:00+00:00", tick=False):
        lifecycle.record_response(
            stage,
            responded_on=date(2024, 7, 5),
            finding="upheld",
            summary="Sorry.",
            actor_id=None,
            today=date(2024, 7, 5),
        )
    after = reports.annual_report(FY)
    assert after["stage1"]["received"] == before["stage1"]["received"] + 1
    assert after["stage1"]["outcomes"]["upheld"] == before["stage1"]["outcomes"]["upheld"] + 1
    assert after["stage1"]["timeliness"]["within_10"] == before["stage1"]["timeliness"]["within_10"] + 1
    assert after["stage1"]["average_working_days"] == 12.3  # (10 + 11 + 24 + 4) / 4 = 12.25, half-up
    assert after["stage1"]["by_service_area"]["Children in Care"] == 4


def test_scotland_profile_quarterly_indicators(db, app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Under the Scottish procedure statutory complaints import as frontline and investigation stages, and the
    indicators use the 5 and 20 working-day timescales (seed 003)."""
    from tests.reports_helpers import csv_text

    monkeypatch.setitem(app.config, "PROCEDURE", "scotland")
    base = {"kind": "complaint", "classification": "statutory"}
    rows = [
        # frontline in 4 working days, upheld
        {
            **base,
            "reference": "S1",
            "received_on": "2022-01-04",
            "stage1_responded_on": "2022-01-10",
            "stage1_outcome": "upheld",
        },
        # frontline in 8 working days (extended), then investigation from 2022-02-01 to 2022-03-08 (25 working days)
        {
            **base,
            "reference": "S2",
            "received_on": "2022-01-05",
            "stage1_extended": "yes",
            "stage1_responded_on": "2022-01-17",
            "stage1_outcome": "not_upheld",
            "stage2_requested_on": "2022-01-31",
            "stage2_decision": "accepted",
            "stage2_started_on": "2022-02-01",
            "stage2_responded_on": "2022-03-08",
            "stage2_outcome": "partially_upheld",
        },
        {**base, "reference": "S3", "received_on": "2022-03-01"},
    ]
    assert importer.import_text(csv_text(rows)).ok
    bad = importer.import_text(csv_text([{**rows[1], "reference": "S4", "stage3_requested_on": "2022-03-10"}]))
    assert "the Scottish procedure has no Stage 3" in str(bad.problems[0])
    q = reports.quarterly_indicators(reporting.date(2022, 3, 31))
    assert q["procedure"] == "scotland_mchp"
    assert [s["stage"] for s in q["stages"]] == ["frontline", "investigation"]
    totals = q["totals"][-1]
    assert totals["period"] == "Quarter 4 2021/22"
    assert totals["received"] == 3 and totals["closed"] == 3
    assert totals["closed_at_stage"]["frontline"] == {"n": 2, "percent": "66.7%"}
    frontline, investigation = (s["quarters"][-1] for s in q["stages"])
    assert frontline["timescale"] == 5
    assert frontline["within_timescale"] == {"n": 1, "percent": "50.0%"}
    assert frontline["extended"] == {"n": 1, "percent": "50.0%"}
    assert frontline["average_working_days"] == "6.0"
    assert investigation["timescale"] == 20
    assert investigation["within_timescale"] == {"n": 0, "percent": "0.0%"}
    assert investigation["outcomes"]["partially_upheld"] == {"n": 1, "percent": "100.0%"}
    assert q["stages"][0]["quarters"][0]["average_working_days"] == "N/A"
    annual = reports.annual_report(reporting.Period(reporting.date(2021, 4, 1), reporting.date(2022, 3, 31), "y"))
    assert annual["stage1"]["received"] == 3 and annual["stage1"]["outcomes"]["resolved"] == 0


def test_quarterly_upheld_register(fixture_data) -> None:  # type: ignore[no-untyped-def]
    q = reports.quarterly_indicators(reporting.date(2024, 6, 30), details=True)
    register = q["upheld_register"]
    assert [(r["reference"], r["stage"], r["outcome"]) for r in register] == [
        ("R1", "stage1", "upheld"),
        ("R2", "stage1", "partially_upheld"),
        ("R12", "stage2", "partially_upheld"),
    ]
    assert register[0]["type"] == "Communication; Decision-making"
    assert "upheld_register" not in reports.quarterly_indicators(reporting.date(2024, 6, 30))


def test_team_dashboard_top_root_causes_and_learning(fixture_data) -> None:  # type: ignore[no-untyped-def]
    from portal.models import LearningAction

    ids = dict(db_session_references())
    rows = [
        (ids["R1"], "Communication", "staff_training"),
        (ids["R2"], "Communication", "process_change"),
        (ids["R2"], "Staff absence", "process_change"),
        (ids["R3"], "Policy issue", "policy_review"),  # not upheld: not a root cause of an upheld complaint
    ]
    from portal.extensions import db

    for sid, cause, category in rows:
        db.session.add(LearningAction(submission_id=sid, root_cause=cause, category=category, description="x"))
    db.session.commit()
    d = reports.team_dashboard(FY)
    assert d["top_root_causes"] == [{"name": "Communication", "actions": 2}, {"name": "Staff absence", "actions": 1}]
    assert d["top_learning_categories"][0] == {"name": "process_change", "actions": 2}
    assert len(d["top_learning_categories"]) == 3


def db_session_references():  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import Submission

    return db.session.execute(sa.select(Submission.reference, Submission.id)).all()


def test_report_command_pdf_and_csv_files(fixture_data, runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "annual.pdf"
    args = ["report", "annual", "--start", "2024-04-01", "--end", "2025-03-31", "--format", "pdf", "-o", str(pdf)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    out = tmp_path / "team.csv"
    result = runner.invoke(
        args=["report", "team", "--start", "2024-04-01", "--end", "2025-03-31", "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "rows,1,team,CiC North" in out.read_text()
