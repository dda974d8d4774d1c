"""Every report can be narrowed (issue 13 §3): the annual report and the team dashboard take the same filters as the
table builder, on the command line (`--care-status`, `--service-area`, `--team`, `--person-type`). A filtered
report is the whole report over only the records that match. Figures counted by hand from
tests/integration/data/reports_fixture.csv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.domain import reporting
from portal.services import importer, reports
from portal.services.reports import ReportFilter

FIXTURE = Path(__file__).parent / "data" / "reports_fixture.csv"
FY = reporting.financial_year(2024)
FY_ARGS = ["--start", "2024-04-01", "--end", "2025-03-31"]


@pytest.fixture
def fixture_data(db):  # type: ignore[no-untyped-def]
    result = importer.import_text(FIXTURE.read_text())
    assert result.ok, [str(p) for p in result.problems]


def _cli(runner, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = runner.invoke(args=["report", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_annual_report_of_children_in_care(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    # R1 (a parent's email, upheld at Stage 1) and R4 (through an advocate, awaiting a response)
    r = _cli(runner, "annual", *FY_ARGS, "--care-status", "child_in_care")
    assert r["filters"] == {"care_status": ["child_in_care"]}
    assert r["contacts"]["total"] == 2
    assert r["contacts"]["by_classification"]["statutory"] == 2
    assert r["channels"] == {"advocate": 1, "email": 1}
    assert r["stage1"]["received"] == 2
    assert r["stage1"]["outcomes"] == {"upheld": 1, "partially_upheld": 0, "not_upheld": 0}
    assert r["stage1"]["timeliness"]["awaiting_response"] == 1
    assert r["stage2"]["requests"] == 0  # R2's request is not about a child in care
    assert r["compliments"]["total"] == 0
    assert r["themes"] == {
        "Communication": {"received": 1, "upheld_or_partly": 1},
        "Decision-making": {"received": 1, "upheld_or_partly": 1},
        "Placement (where the child lives)": {"received": 1, "upheld_or_partly": 0},
    }
    assert r["previous_year"]["contacts"]["total"] == 0
    assert [case["reference"] for case in r["stage2_cases"]] == []


def test_annual_report_of_one_service_area(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    r = _cli(runner, "annual", *FY_ARGS, "--service-area", "Children in Care")
    # R1, R2, R4, R5, R6; R12's Stage 2 completed and Stage 3 requested in the year (Children in Care too)
    assert r["contacts"]["total"] == 5
    assert r["stage2"]["requests"] == 1  # R2
    assert r["stage2"]["completed"] == 2  # R2 and R12
    assert r["stage3"] == {"requests": 1, "completed": 1}
    assert r["compliments"]["total"] == 1  # R13
    assert r["lgsco"]["referrals"] == 0  # R3's referral is about Leaving Care
    assert [row["team"] for row in r["compliments_by_team"]] == ["CiC North"]


def test_annual_report_filtered_by_person_type_and_team(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    r = _cli(runner, "annual", *FY_ARGS, "--person-type", "child_or_young_person", "--team", "Care Leavers Team")
    assert r["filters"] == {"team": ["Care Leavers Team"], "person_type": ["child_or_young_person"]}
    assert r["contacts"]["total"] == 2  # R3 and R18
    assert r["lgsco"]["referrals"] == 1  # R3
    assert r["complainants"]["repeat"] == {"2": 1}  # P2 made both


def test_an_unfiltered_report_says_no_filters() -> None:
    assert not ReportFilter()
    assert ReportFilter().as_dict() == {}


def test_team_dashboard_of_one_team(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    d = _cli(runner, "team", *FY_ARGS, "--team", "Care Leavers Team")
    assert d["filters"] == {"team": ["Care Leavers Team"]}
    assert [(row["service_area"], row["team"]) for row in d["rows"]] == [("Leaving Care", "Care Leavers Team")]
    assert d["totals"]["stage1_received"] == 2


def test_team_dashboard_of_records_with_no_care_status(fixture_data) -> None:  # type: ignore[no-untyped-def]
    d = reports.team_dashboard(FY, where=ReportFilter(care_status=("not_recorded",)))
    # R2, R5, R6 (CiC North); R7-R11 (no team); R12 (CiC South, Stage 2 completed in the year)
    assert {row["team"]: row["stage1_received"] for row in d["rows"]} == {
        "CiC North": 1,
        "CiC South": 0,
        "not_recorded": 0,
    }


def test_an_unknown_service_area_is_refused(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["report", "annual", *FY_ARGS, "--service-area", "Children In Care"])
    assert result.exit_code != 0
    assert "There is no service area called 'Children In Care'" in result.output
