"""The table builder (`flask --app wsgi report table`, issue 13 §2) against tests/integration/data/reports_fixture.csv,
whose contacts for 2024/25 were counted by hand for every dimension (R1–R11 and R18; R12 was received in 2023),
and a few records made here for what the interchange file cannot carry (dates of birth, remedies, learning)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.domain import reporting
from portal.domain.enums import LearningCategory, PersonType
from portal.models import Child, LearningAction, Remedy, Submission
from portal.services import importer, reports
from portal.services.reports import ReportFilter, TableError, TableSpec, build_table
from tests.factories import make_submission, make_team

FIXTURE = Path(__file__).parent / "data" / "reports_fixture.csv"
FY = reporting.financial_year(2024)
FY_ARGS = ["--start", "2024-04-01", "--end", "2025-03-31"]

MONTHS = {f"2024-{m:02d}": 0 for m in range(4, 13)} | {"2025-01": 0, "2025-02": 0, "2025-03": 0}
NONE_RECORDED = {"not_recorded": 12}

# Contacts received in 2024/25 by each dimension, counted by hand from the fixture file.
CONTACTS_BY = {
    "channel": {"online_form": 1, "email": 6, "telephone": 2, "letter": 1, "advocate": 1, "not_recorded": 1},
    "person_type": {
        "child_or_young_person": 3,
        "parent": 4,
        "grandparent": 2,
        "carer": 1,
        "professional": 1,
        "not_recorded": 1,
    },
    "care_status": {"child_in_care": 2, "care_leaver": 2, "not_recorded": 8},
    "service_area": {"Children in Care": 5, "Leaving Care": 2, "not_recorded": 5},
    "team": {"Care Leavers Team": 2, "CiC North": 5, "not_recorded": 5},
    "classification": {
        "statutory": 5,
        "corporate": 1,
        "case_concern": 1,
        "representation": 1,
        "pre_complaint": 1,
        "refused": 1,
        "withdrawn": 1,
        "not_recorded": 1,
    },
    "refusal_reason": {"Out of time": 1, "not_recorded": 11},
    "theme": {
        "Communication": 3,
        "Decision-making": 1,
        "Money, allowances or funding": 1,
        "Placement (where the child lives)": 1,
        "not_recorded": 7,
    },
    "outcome_sought": {"Apology": 1, "not_recorded": 11},
    "actual_outcome": {"Apology": 1, "not_recorded": 11},
    "stage1_outcome": {"upheld": 1, "partially_upheld": 1, "not_upheld": 1, "not_recorded": 9},
    "stage2_outcome": {"not_upheld": 1, "not_recorded": 11},
    "stage3_outcome": NONE_RECORDED,
    "stage2_decision": {"accepted": 1, "declined": 1, "not_recorded": 10},
    "lgsco_decision": {"premature": 1, "not_recorded": 11},
    "remedy": NONE_RECORDED,
    "month": MONTHS
    | {"2024-04": 3, "2024-05": 1, "2024-06": 1, "2024-07": 1, "2024-08": 1, "2024-09": 1}
    | {"2024-10": 1, "2024-11": 1, "2024-12": 1, "2025-03": 1},
    "quarter": {"2024/25 Q1": 5, "2024/25 Q2": 3, "2024/25 Q3": 3, "2024/25 Q4": 1},
    "age_band": NONE_RECORDED,
    "root_cause": NONE_RECORDED,
    "learning_category": NONE_RECORDED,
}
MULTI_VALUED = {
    "theme",
    "outcome_sought",
    "actual_outcome",
    "lgsco_decision",
    "remedy",
    "root_cause",
    "learning_category",
}


@pytest.fixture
def fixture_data(db):  # type: ignore[no-untyped-def]
    result = importer.import_text(FIXTURE.read_text())
    assert result.ok, [str(p) for p in result.problems]
    return dict(db.session.execute(sa.select(Submission.reference, Submission.id)).all())


def _cli(runner, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = runner.invoke(args=["report", "table", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_every_dimension_of_contacts_is_listed_here() -> None:
    assert set(CONTACTS_BY) == set(reports.dimensions_for("contacts"))
    assert set(reports.DIMENSIONS) - set(CONTACTS_BY) == {"compliment_source"}


@pytest.mark.parametrize("dimension", sorted(CONTACTS_BY))
def test_contacts_by_each_dimension_on_the_command_line(runner, fixture_data, dimension: str) -> None:  # type: ignore[no-untyped-def]
    out = _cli(runner, "--of", "contacts", "--rows", dimension, *FY_ARGS)
    assert out["of"] == "contacts"
    assert out["rows"] == dimension
    assert out["columns"] is None
    assert out["table"] == CONTACTS_BY[dimension]
    assert list(out["table"]) == list(CONTACTS_BY[dimension])  # in the dimension's order, not recorded last
    assert out["totals"] == {"records": 12, "multi_valued": dimension in MULTI_VALUED}
    if dimension not in MULTI_VALUED:
        assert sum(out["table"].values()) == 12


def test_compliments_by_source(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    out = _cli(runner, "--of", "compliments", "--rows", "compliment_source", *FY_ARGS)
    assert out["table"] == {"Foster carer": 1, "Internal colleague": 1, "Judge": 1}
    assert out["totals"] == {"records": 3, "multi_valued": False}


def test_each_population(fixture_data) -> None:  # type: ignore[no-untyped-def]
    def records(of: str) -> int:
        return build_table(TableSpec(of, "quarter"), FY)["totals"]["records"]

    # S1: R1-R4 and R18. Stage 2 requests in 2024/25: R2 and R3 (R12's was in 2023). Stage 3: R12 (June 2024).
    assert {of: records(of) for of in reports.POPULATIONS} == {
        "contacts": 12,
        "stage1": 5,
        "stage2": 2,
        "stage3": 1,
        "compliments": 3,
        "advocacy": 1,
        "learning": 0,
    }


def test_a_stage_request_is_counted_by_its_own_date_and_record(fixture_data) -> None:  # type: ignore[no-untyped-def]
    by_month = build_table(TableSpec("stage2", "month"), FY)["table"]
    assert {k: v for k, v in by_month.items() if v} == {"2024-05": 1, "2024-06": 1}  # R2 asked 1 May, R3 20 June
    assert build_table(TableSpec("stage2", "stage2_decision"), FY)["table"] == {"accepted": 1, "declined": 1}
    # R12 was received in 2023, so it is no contact of 2024/25, but its Stage 3 request was made in June 2024.
    table = build_table(TableSpec("stage3", "stage2_outcome", "stage3_outcome"), FY)
    assert table["table"] == {"partially_upheld": {"not_upheld": 1}}


def test_two_dimensions_with_a_list_count_records_in_the_totals(fixture_data) -> None:  # type: ignore[no-untyped-def]
    table = build_table(TableSpec("stage1", "theme", "stage1_outcome"), FY)
    assert table["table"] == {
        "Communication": {"upheld": 1, "partially_upheld": 1, "not_upheld": 0, "not_recorded": 1},
        "Decision-making": {"upheld": 1, "partially_upheld": 0, "not_upheld": 0, "not_recorded": 0},
        "Money, allowances or funding": {"upheld": 0, "partially_upheld": 0, "not_upheld": 1, "not_recorded": 0},
        "Placement (where the child lives)": {"upheld": 0, "partially_upheld": 0, "not_upheld": 0, "not_recorded": 1},
    }
    # R1 has two themes: its column total counts it once, though it is in two cells.
    assert table["totals"] == {
        "rows": {
            "Communication": 3,
            "Decision-making": 1,
            "Money, allowances or funding": 1,
            "Placement (where the child lives)": 1,
        },
        "columns": {"upheld": 1, "partially_upheld": 1, "not_upheld": 1, "not_recorded": 2},
        "records": 5,
        "multi_valued": True,
    }


def test_two_single_valued_dimensions_add_up(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    out = _cli(runner, "--of", "contacts", "--rows", "quarter", "--columns", "care_status", *FY_ARGS)
    assert out["table"] == {
        "2024/25 Q1": {"child_in_care": 2, "care_leaver": 1, "not_recorded": 2},
        "2024/25 Q2": {"child_in_care": 0, "care_leaver": 0, "not_recorded": 3},
        "2024/25 Q3": {"child_in_care": 0, "care_leaver": 0, "not_recorded": 3},
        "2024/25 Q4": {"child_in_care": 0, "care_leaver": 1, "not_recorded": 0},
    }
    assert out["totals"] == {
        "rows": {"2024/25 Q1": 5, "2024/25 Q2": 3, "2024/25 Q3": 3, "2024/25 Q4": 1},
        "columns": {"child_in_care": 2, "care_leaver": 2, "not_recorded": 8},
        "records": 12,
        "multi_valued": False,
    }


def test_filters_narrow_the_table(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    out = _cli(
        runner,
        "--of",
        "contacts",
        "--rows",
        "channel",
        "--person-type",
        "parent",
        "--person-type",
        "grandparent",
        *FY_ARGS,
    )
    assert out["filters"] == {"person_type": ["parent", "grandparent"]}
    assert out["table"] == {"online_form": 1, "email": 4, "telephone": 1}
    assert out["totals"]["records"] == 6
    out = _cli(runner, "--of", "stage1", "--rows", "team", "--care-status", "not_recorded", *FY_ARGS)
    assert out["table"] == {"CiC North": 1}  # R2
    out = _cli(runner, "--of", "stage2", "--rows", "stage2_decision", "--service-area", "Leaving Care", *FY_ARGS)
    assert out["table"] == {"declined": 1}  # R3
    out = _cli(runner, "--of", "contacts", "--rows", "classification", "--team", "not_recorded", *FY_ARGS)
    assert out["totals"]["records"] == 5


def test_an_unknown_team_or_dimension_is_an_error(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=["report", "table", "--of", "contacts", "--rows", "channel", "--team", "CiC Nroth", *FY_ARGS]
    )
    assert result.exit_code != 0
    assert "There is no team called 'CiC Nroth'" in result.output
    result = runner.invoke(args=["report", "table", "--of", "stage2", "--rows", "compliment_source", *FY_ARGS])
    assert result.exit_code != 0
    assert "is not recorded for stage 2 requests" in result.output
    with pytest.raises(TableError, match="different dimension"):
        build_table(TableSpec("contacts", "channel", "channel"), FY)
    with pytest.raises(TableError, match="no population"):
        build_table(TableSpec("grumbles", "channel"), FY)


def test_publication_suppresses_small_numbers(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    out = _cli(runner, "--of", "contacts", "--rows", "channel", "--publication", *FY_ARGS)
    assert out["table"] == {
        "online_form": "<5",
        "email": 6,
        "telephone": "<5",
        "letter": "<5",
        "advocate": "<5",
        "not_recorded": "<5",
    }
    assert out["totals"]["records"] == 12
    assert out["publication"] == {"small_number_threshold": 5, "suppressed_marker": "<5"}


def test_csv_is_a_grid_with_totals(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=[
            "report",
            "table",
            "--of",
            "stage1",
            "--rows",
            "theme",
            "--columns",
            "stage1_outcome",
            "--format",
            "csv",
            *FY_ARGS,
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "theme by stage1_outcome,upheld,partially_upheld,not_upheld,not_recorded,total",
        "Communication,1,1,0,1,3",
        "Decision-making,1,0,0,0,1",
        '"Money, allowances or funding",0,0,1,0,1',
        "Placement (where the child lives),0,0,0,1,1",
        "total,1,1,1,2,5",
    ]
    result = runner.invoke(
        args=["report", "table", "--of", "compliments", "--rows", "quarter", "--format", "csv", *FY_ARGS]
    )
    assert result.output.splitlines() == [
        "quarter,count",
        "2024/25 Q1,2",
        "2024/25 Q2,1",
        "2024/25 Q3,0",
        "2024/25 Q4,0",
        "total,3",
    ]


def test_html_document_words_the_values(runner, fixture_data) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=["report", "table", "--of", "contacts", "--rows", "channel", "--format", "html", *FY_ARGS]
    )
    assert result.exit_code == 0, result.output
    html = result.output
    assert "<title>Contacts: complaint records received in the period, by how it came in" in html
    assert "Through an advocate" in html
    assert "Not recorded" in html
    assert 'role="img"' in html  # the chart, beside the table


def test_age_bands_remedies_and_learning(db) -> None:  # type: ignore[no-untyped-def]
    team = make_team("CiC North", area="Children in Care")
    on = date(2024, 6, 10)
    ages = {
        "9 tomorrow": date(2015, 6, 11),  # 8 on the day received
        "10 today": date(2014, 6, 10),
        "turns 16 after": date(2008, 6, 11),  # 15
        "17": date(2007, 1, 1),
        "18": date(2006, 6, 10),
        "24": date(1999, 12, 31),
        "25": date(1999, 6, 10),
        "born after": date(2024, 7, 1),  # a mistake in the record: not a real age
    }
    for name, born in ages.items():
        child = Child(full_name=name, date_of_birth=born)
        db.session.add(child)
        db.session.flush()
        make_submission(received_on=on, team=team, child_id=child.id)
    make_submission(received_on=on, team=team)  # no child recorded
    table = build_table(TableSpec("contacts", "age_band"), FY)
    assert table["table"] == {
        "0-9": 1,
        "10-12": 1,
        "13-15": 1,
        "16-17": 1,
        "18-24": 2,
        "25_or_over": 1,
        "not_recorded": 2,
    }
    complaint = make_submission(received_on=on, team=team, person_type=PersonType.PARENT)
    db.session.add_all(
        [
            Remedy(submission_id=complaint.id, kind="apology"),
            Remedy(submission_id=complaint.id, kind="time_and_trouble", amount=Decimal("150.00")),
            LearningAction(
                submission_id=complaint.id,
                category=LearningCategory.STAFF_TRAINING.value,
                root_cause="Communication",
                description="Training on returning calls",
            ),
            LearningAction(
                submission_id=complaint.id, category=LearningCategory.STAFF_TRAINING.value, description="Briefing"
            ),
        ]
    )
    db.session.commit()
    remedies = build_table(TableSpec("contacts", "remedy", "person_type"), FY)
    assert remedies["table"] == {
        "apology": {"parent": 1, "not_recorded": 0},
        "time_and_trouble": {"parent": 1, "not_recorded": 0},
        "not_recorded": {"parent": 0, "not_recorded": 9},
    }
    assert remedies["totals"]["columns"] == {"parent": 1, "not_recorded": 9}
    assert remedies["totals"]["records"] == 10
    learning = build_table(TableSpec("learning", "learning_category", "root_cause"), FY)
    assert learning["table"] == {"staff_training": {"Communication": 1, "not_recorded": 1}}
    assert learning["totals"]["multi_valued"] is False
    assert build_table(TableSpec("learning", "team"), FY)["table"] == {"not_recorded": 2}  # the actions name no team
    # a complaint counts once per kind of learning it led to
    by_kind = build_table(TableSpec("contacts", "learning_category"), FY)
    assert by_kind["table"] == {"staff_training": 1, "not_recorded": 9}


def test_a_young_person_who_made_the_contact_gives_their_own_age(db) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Person

    person = Person(full_name="Sam", date_of_birth=date(2010, 1, 1))
    db.session.add(person)
    db.session.flush()
    make_submission(received_on=date(2024, 6, 1), person_id=person.id, person_type=PersonType.CHILD_OR_YOUNG_PERSON)
    parent = Person(full_name="Sam's dad", date_of_birth=date(1980, 1, 1))
    db.session.add(parent)
    db.session.flush()
    make_submission(received_on=date(2024, 6, 1), person_id=parent.id, person_type=PersonType.PARENT)
    assert build_table(TableSpec("contacts", "age_band"), FY)["table"] == {"13-15": 1, "not_recorded": 1}


def test_statement_count_is_small(fixture_data, count_statements) -> None:  # type: ignore[no-untyped-def]
    with count_statements() as counted:
        build_table(TableSpec("contacts", "channel", "care_status"), FY)
    assert counted.count == 1, counted.report()
    with count_statements() as counted:
        build_table(
            TableSpec("stage1", "theme", "outcome_sought", where=ReportFilter(care_status=("child_in_care",))), FY
        )
    assert counted.count <= 4, counted.report()


def test_compliments_are_no_complaints(fixture_data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TableError):
        build_table(TableSpec("compliments", "theme"), FY)
