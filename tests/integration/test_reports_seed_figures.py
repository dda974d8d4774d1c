"""The figures issue 13 §4 adds to the annual report (seeds 001 and 002), each against a small dataset made here and
counted by hand: refusals by reason, conversions, Stage 2 requests from repeat complainants and their share of S1,
young people's Stage 1 complaints, the actual outcome against the finding, remedies after upheld findings, the
Ombudsman's remedies, the previous year's channels, months and repeat people, `--compare-years N` and
`--percent-dp 0`."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from portal.domain import reporting
from portal.domain.enums import (
    CategoryKind,
    Channel,
    Classification,
    PersonType,
    Procedure,
    StageName,
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import Category, LgscoReferral, Person, Remedy, StageRecord, Submission
from portal.services import reports
from tests.factories import make_submission

FY = reporting.financial_year(2024)
FY_ARGS = ["--start", "2024-04-01", "--end", "2025-03-31"]


def _person(name: str) -> int:
    person = Person(full_name=name, name_key=name.lower())
    db.session.add(person)
    db.session.flush()
    return person.id


def _category(kind: CategoryKind, label: str) -> Category:
    """An entry of the council's list (the default lists already have most)."""
    category = db.session.query(Category).filter_by(kind=kind, label=label).one_or_none()
    if category is None:
        category = Category(kind=kind, label=label)
        db.session.add(category)
        db.session.flush()
    return category


def _stage(s: Submission, stage: StageName, **kw: object) -> StageRecord:
    record = StageRecord(submission_id=s.id, procedure=Procedure.ENGLAND_STATUTORY, stage=stage, **kw)
    db.session.add(record)
    db.session.flush()
    return record


def _complaint(on: date, classification: Classification, **kw: object) -> Submission:
    kw.setdefault("channel", Channel.EMAIL)
    return make_submission(received_on=on, classification=classification, status=SubmissionStatus.OPEN, **kw)


@pytest.fixture
def seed_data(db):  # type: ignore[no-untyped-def]
    a, b, c, e = (_person(name) for name in ("A", "B", "C", "E"))
    apology = _category(CategoryKind.ACTUAL_OUTCOME, "Apology")
    explanation = _category(CategoryKind.ACTUAL_OUTCOME, "Explanation")
    court = _category(CategoryKind.REFUSAL_REASON, "Court proceedings")
    s1 = Classification.STATUTORY

    s1a = _complaint(date(2024, 5, 1), s1, person_id=a, person_type=PersonType.PARENT)
    s1a.actual_outcomes = [apology]
    _stage(s1a, StageName.STAGE1, requested_on=date(2024, 5, 1), responded_on=date(2024, 5, 14), outcome="upheld")
    _stage(s1a, StageName.STAGE2, requested_on=date(2024, 6, 1), decision="declined")
    s1b = _complaint(date(2024, 6, 10), s1, person_id=a, person_type=PersonType.PARENT)
    s1b.actual_outcomes = [explanation]
    _stage(s1b, StageName.STAGE1, requested_on=date(2024, 6, 10), outcome="partially_upheld")
    _stage(s1b, StageName.STAGE2, requested_on=date(2024, 7, 1), decision="accepted")
    _complaint(date(2024, 7, 1), Classification.REFUSED, person_id=a, refusal_reason_id=court.id)
    pre = _complaint(date(2024, 7, 15), Classification.PRE_COMPLAINT, person_id=b)
    s1c = _complaint(date(2024, 8, 1), s1, person_id=b, converted_from_id=pre.id)
    s1c.actual_outcomes = [explanation]
    _stage(s1c, StageName.STAGE1, requested_on=date(2024, 8, 1), outcome="not_upheld")
    _stage(s1c, StageName.STAGE2, requested_on=date(2024, 9, 1))
    yp = _complaint(date(2024, 9, 10), s1, person_id=c, person_type=PersonType.CHILD_OR_YOUNG_PERSON)
    _stage(yp, StageName.STAGE1, requested_on=date(2024, 9, 10), outcome="upheld")
    _complaint(date(2024, 10, 1), Classification.CASE_CONCERN)
    _complaint(date(2024, 10, 2), Classification.REFUSED)  # no reason recorded
    db.session.add_all(
        [
            Remedy(submission_id=s1a.id, kind="apology", offered_on=date(2024, 5, 20)),
            Remedy(submission_id=s1a.id, kind="time_and_trouble", amount=Decimal("100"), offered_on=date(2024, 12, 1)),
            Remedy(submission_id=s1a.id, kind="apology"),
            Remedy(submission_id=yp.id, kind="time_and_trouble", amount=Decimal("50"), offered_on=date(2024, 10, 1)),
            LgscoReferral(submission_id=s1a.id, referred_on=date(2024, 11, 1), decision="fault_with_injustice"),
        ]
    )
    # the year before: A twice (one S1 in May), E once
    _complaint(date(2023, 5, 3), s1, person_id=a)
    _complaint(date(2023, 6, 1), Classification.REPRESENTATION, person_id=a, channel=Channel.TELEPHONE)
    _complaint(date(2023, 5, 20), Classification.REPRESENTATION, person_id=e)
    db.session.commit()


def test_refusals_and_conversions(seed_data) -> None:  # type: ignore[no-untyped-def]
    r = reports.annual_report(FY)
    assert r["contacts"]["total"] == 8
    assert r["refusals"] == {"total": 2, "by_reason": {"Court proceedings": 1, "not_recorded": 1}}
    assert r["conversions"] == {
        "pre_complaints": {"received": 1, "became_complaints": 1},
        "case_concerns": {"received": 1, "became_complaints": 0},
        "stage1_from_pre_complaint": 1,
        "stage1_from_case_concern": 0,
    }


def test_stage2_requests_from_repeat_complainants(seed_data) -> None:  # type: ignore[no-untyped-def]
    s2 = reports.annual_report(FY)["stage2"]
    assert s2["requests"] == 3
    assert s2["declined"] == 1
    assert s2["requests_from_repeat_complainants"] == 3  # A's two and B's one
    assert s2["repeat_complainants_requesting"] == 2
    assert s2["request_share"] == "75.0%"  # 3 requests of 4 S1


def test_young_people_and_remedies(seed_data) -> None:  # type: ignore[no-untyped-def]
    r = reports.annual_report(FY)
    assert r["young_people"]["stage1"] == {
        "received": 1,
        "share_of_stage1": "25.0%",
        "outcomes": {"upheld": 1, "partially_upheld": 0, "not_upheld": 0},
        "upheld_or_partly": 1,
        "with_remedy": 1,
    }
    assert r["stage1"]["upheld_or_partly"] == 3
    assert r["remedies_after_upheld"] == {
        "complaints": 3,
        "with_remedy": 2,
        "with_remedy_by_finding": {"upheld": 2, "partially_upheld": 0},
        "by_kind": {"time_and_trouble": 2, "apology": 1},
    }
    assert r["actual_outcomes_by_finding"] == {
        "Apology": {"upheld": 1, "partially_upheld": 0, "not_upheld": 0},
        "Explanation": {"upheld": 0, "partially_upheld": 1, "not_upheld": 1},
    }


def test_ombudsman_remedies(seed_data) -> None:  # type: ignore[no-untyped-def]
    lgsco = reports.annual_report(FY)["lgsco"]
    assert lgsco["referrals"] == 1
    assert lgsco["decisions"] == {"fault_with_injustice": 1}
    # the apology of 20 May was before the referral; the payment of 1 December and the undated apology count
    assert lgsco["remedies"] == {"by_kind": {"apology": 1, "time_and_trouble": 1}, "payments": 1, "amount": "100.00"}


def test_previous_year_channels_months_and_repeat_people(seed_data) -> None:  # type: ignore[no-untyped-def]
    p = reports.annual_report(FY)["previous_year"]
    assert p["channels"] == {"email": 2, "telephone": 1}
    assert p["complainants"] == {"distinct": 2, "repeat_people": 1, "repeat_contacts": 2}
    assert p["stage1"]["by_month"] == {f"2023-{m:02d}": int(m == 5) for m in range(4, 13)} | {
        "2024-01": 0,
        "2024-02": 0,
        "2024-03": 0,
    }


def test_compare_years_and_whole_percentages(runner, seed_data) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["report", "annual", *FY_ARGS, "--compare-years", "3", "--percent-dp", "0"])
    assert result.exit_code == 0, result.output
    r = json.loads(result.output)
    assert r["previous_year"]["period"]["start"] == "2023-04-01"
    assert [(y["period"]["start"], y["period"]["end"]) for y in r["earlier_years"]] == [
        ("2022-04-01", "2023-03-31"),
        ("2021-04-01", "2022-03-31"),
    ]
    assert r["earlier_years"][0]["contacts"]["total"] == 0
    assert r["stage2"]["request_share"] == "75%"
    assert r["young_people"]["stage1"]["share_of_stage1"] == "25%"
    result = runner.invoke(args=["report", "annual", *FY_ARGS])
    assert "earlier_years" not in json.loads(result.output)


def test_percentages_round_half_up_to_the_places_asked() -> None:
    assert reporting.percentage(1, 8) == "12.5%"
    with reporting.percent_places(0):
        assert reporting.percentage(1, 8) == "13%"
        assert reporting.percentage(1, 3) == "33%"
        assert reporting.percentage(0, 0) == "N/A"
    assert reporting.percentage(1, 3) == "33.3%"
