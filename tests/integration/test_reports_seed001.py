"""Seed 001 (a council's 2017/18 annual report) reproduced exactly: a dataset is generated deterministically with
the same shape (309 contacts from 228 people; Table 2 handling; Table 5 outcomes; Table 9 repeat complainants;
Table 13 themes; section 5.4 timescales 69/80/80), imported through the interchange format, and the annual report
must give back the seed's figures. The seed's year is moved to 2024/25, inside the bank-holiday data."""

from __future__ import annotations

import random
from datetime import date

import pytest

from portal.domain import reporting
from portal.services import reports
from portal.services.calendar import calendar_for
from tests.reports_helpers import import_rows

FY = reporting.financial_year(2024)
TABLE_2 = {"statutory": 229, "representation": 14, "withdrawn": 43, "corporate": 23}
TABLE_9 = {2: 15, 3: 6, 4: 5, 5: 1, 12: 1, 25: 1}  # contacts each -> number of people
TABLE_13 = {
    "Accuracy of Assessment/Reports": (19, 7),
    "Actions of Worker": (69, 16),
    "Changes in Social Worker": (6, 3),
    "Decision making": (27, 3),
    "Delays in receiving services": (23, 13),
    "Delays in sharing Minutes/Reports": (7, 6),
    "Family time arrangements": (6, 5),
    "Financial assistance": (15, 9),
    "Poor communication": (49, 35),
    "Unhappy with placement": (8, 4),
}
TIMESCALES = {"within_10": 69, "within_20": 80, "over_20": 80}
REPEAT_CONTACTS_AT_STAGE1 = 85  # "Out of these 110 repeat contacts 85 were accepted at Stage 1"


def seed_rows() -> list[dict[str, object]]:
    rng = random.Random(2017)
    calendar = calendar_for(None)
    working = [
        d
        for d in (date.fromordinal(n) for n in range(FY.start.toordinal(), FY.end.toordinal() - 40))
        if calendar.is_working_day(d)
    ]
    # People: 29 repeat complainants (110 contacts) and 199 people with one contact each.
    repeat_slots = []
    index = 0
    for contacts, people in TABLE_9.items():
        for _ in range(people):
            repeat_slots += [f"repeat-{index}"] * contacts
            index += 1
    assert len(repeat_slots) == 110
    single_slots = [f"single-{i}" for i in range(228 - index)]
    rng.shuffle(repeat_slots)
    # Stage 1 complaints: themes with their upheld counts; timeliness bands spread across them.
    stage1: list[tuple[str, str]] = []
    for theme, (received, upheld) in TABLE_13.items():
        for i in range(received):
            outcome = ("upheld" if i % 2 else "partially_upheld") if i < upheld else "not_upheld"
            stage1.append((theme, outcome))
    rng.shuffle(stage1)
    bands = [5] * TIMESCALES["within_10"] + [15] * TIMESCALES["within_20"] + [27] * TIMESCALES["over_20"]
    rng.shuffle(bands)
    rows: list[dict[str, object]] = []
    people = iter(repeat_slots[:REPEAT_CONTACTS_AT_STAGE1] + single_slots[: 229 - REPEAT_CONTACTS_AT_STAGE1])
    for n, ((theme, outcome), days) in enumerate(zip(stage1, bands, strict=True)):
        received = rng.choice(working)
        rows.append(
            {
                "reference": f"S1-{n:03d}",
                "kind": "complaint",
                "received_on": received.isoformat(),
                "person_id": next(people),
                "classification": "statutory",
                "themes": theme,
                "stage1_responded_on": calendar.add_working_days(received, days).isoformat(),
                "stage1_outcome": outcome,
                "channel": rng.choice(["telephone", "email", "letter", "in_person"]),
            }
        )
    others = [c for c, n in TABLE_2.items() if c != "statutory" for _ in range(n)]
    people = iter(repeat_slots[REPEAT_CONTACTS_AT_STAGE1:] + single_slots[229 - REPEAT_CONTACTS_AT_STAGE1 :])
    for n, classification in enumerate(others):
        rows.append(
            {
                "reference": f"OT-{n:03d}",
                "kind": "complaint",
                "received_on": rng.choice(working).isoformat(),
                "person_id": next(people),
                "classification": classification,
            }
        )
    rng.shuffle(rows)
    return rows


@pytest.fixture
def seed_report(db):  # type: ignore[no-untyped-def]
    import_rows(seed_rows())
    return reports.annual_report(FY)


def test_contacts_and_people(seed_report) -> None:  # type: ignore[no-untyped-def]
    assert seed_report["contacts"]["total"] == 309
    assert seed_report["complainants"]["distinct"] == 228


def test_table_2_handling_of_contacts(seed_report) -> None:  # type: ignore[no-untyped-def]
    by = seed_report["contacts"]["by_classification"]
    assert {k: by[k] for k in TABLE_2} == TABLE_2
    assert by["case_concern"] == by["pre_complaint"] == by["refused"] == 0
    # Printed as 74%, 5%, 14%, 7% of 309.
    assert [reporting.percentage(by[k], 309) for k in TABLE_2] == ["74.1%", "4.5%", "13.9%", "7.4%"]


def test_table_5_stage1_outcomes(seed_report) -> None:  # type: ignore[no-untyped-def]
    s1 = seed_report["stage1"]
    assert s1["received"] == 229
    assert s1["upheld_or_partly"] == 101
    assert reporting.percentage(101, 229) == "44.1%"  # printed as 44%


def test_table_9_repeat_complainants(seed_report) -> None:  # type: ignore[no-untyped-def]
    c = seed_report["complainants"]
    assert c["repeat"] == {str(k): v for k, v in TABLE_9.items()}
    assert c["repeat_people"] == 29
    assert c["repeat_contacts"] == 110
    assert c["repeat_contacts_stage1"] == 85


def test_table_13_themes(seed_report) -> None:  # type: ignore[no-untyped-def]
    themes = seed_report["themes"]
    assert {k: (v["received"], v["upheld_or_partly"]) for k, v in themes.items()} == TABLE_13
    assert sum(v["received"] for v in themes.values()) == 229
    assert sum(v["upheld_or_partly"] for v in themes.values()) == 101


def test_section_5_4_timescales(seed_report) -> None:  # type: ignore[no-untyped-def]
    t = seed_report["stage1"]["timeliness"]
    assert t == {**TIMESCALES, "awaiting_response": 0}
    assert [reporting.percentage(t[k], 229) for k in TIMESCALES] == ["30.1%", "34.9%", "34.9%"]  # 30%, 35%, 35%
    # "Stage 1 complaints dealt with within statutory timescales - 65%" (within 20 working days)
    assert reporting.percentage(t["within_10"] + t["within_20"], 229) == "65.1%"
