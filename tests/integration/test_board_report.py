"""The board report (seed 004, issue 13 §3) from fixture records shaped like seed 004's six months for children in
our care: how the complaints ended, the upheld ones with their issues, the overdue open case and the Stage 2
investigations concluded; and its version for publication, with no references and no free text."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from portal.domain import reporting
from portal.domain.enums import CareStatus, Classification, PersonType, Procedure, StageName, SubmissionStatus
from portal.extensions import db
from portal.models import ComplaintPoint, StageRecord, Submission
from portal.services import reports
from portal.services.reports import ReportFilter
from tests.factories import make_submission, make_team

START, END = date(2021, 9, 1), date(2022, 2, 28)
TODAY = date(2022, 3, 10)
ARGS = ["--start", "2021-09-01", "--end", "2022-02-28"]
CARE = ReportFilter(care_status=(CareStatus.CHILD_IN_CARE.value,))


def _stage(s: Submission, stage: StageName, points: list[tuple[str, str]] = (), **kw: object) -> StageRecord:  # type: ignore[assignment]
    record = StageRecord(submission_id=s.id, procedure=Procedure.ENGLAND_STATUTORY, stage=stage, **kw)
    db.session.add(record)
    db.session.flush()
    for i, (text, finding) in enumerate(points, start=1):
        db.session.add(ComplaintPoint(stage_id=record.id, position=i, text=text, finding=finding))
    return record


def _complaint(n: int, team, care: CareStatus | None, **kw: object) -> Submission:  # type: ignore[no-untyped-def]
    return make_submission(
        received_on=date(2021, 9 + n % 4, 1 + n),
        team=team,
        care_status=care,
        classification=Classification.STATUTORY,
        status=kw.pop("status", SubmissionStatus.CLOSED),
        person_type=kw.pop("person_type", PersonType.PARENT),
        **kw,
    )


@pytest.fixture
def board_data(db):  # type: ignore[no-untyped-def]
    scp = make_team("Safeguarding Care Planning", area="Children's Social Care")
    cla = make_team("CLA Services", area="Children's Social Care")
    cic = CareStatus.CHILD_IN_CARE
    done = {"responded_on": date(2021, 12, 1), "met_deadline": True}
    for i in range(9):  # not upheld, all on time
        s = _complaint(i, cla, cic, person_type=PersonType.CHILD_OR_YOUNG_PERSON if i < 2 else PersonType.PARENT)
        _stage(s, StageName.STAGE1, outcome="not_upheld", **done)
    for i in range(9, 12):  # being investigated; one of them overdue
        s = _complaint(
            i, scp, cic, status=SubmissionStatus.OPEN, next_due_on=date(2022, 3, 1) if i == 9 else date(2022, 3, 20)
        )
        _stage(s, StageName.STAGE1)
    overdue = db.session.query(Submission).filter_by(next_due_on=date(2022, 3, 1)).one()
    one = _complaint(12, scp, cic)
    _stage(
        one,
        StageName.STAGE1,
        [("High number of moves for a child", "upheld"), ("Carer did not provide kit for school", "upheld")],
        outcome="upheld",
        **done,
    )
    two = _complaint(13, scp, cic)
    _stage(
        two,
        StageName.STAGE1,
        [("Connected carers allowance reduced without agreement", "upheld")],
        outcome="upheld",
        **done,
    )
    three = _complaint(14, cla, cic)
    _stage(
        three,
        StageName.STAGE1,
        [("Family time not as agreed in court", "upheld"), ("No response to calls or emails", "not_upheld")],
        outcome="partially_upheld",
        **done,
    )
    # two Stage 2 investigations concluded in the period, of complaints received the year before
    for i, points in enumerate(
        [
            [("Comments by a social worker deemed inappropriate", "upheld"), ("Gap in visits", "not_upheld")],
            [("Minutes of a statutory meeting not provided", "partially_upheld")],
        ]
    ):
        earlier = make_submission(
            received_on=date(2021, 3, 1 + i),
            team=cla,
            care_status=cic,
            classification=Classification.STATUTORY,
            status=SubmissionStatus.CLOSED,
        )
        _stage(earlier, StageName.STAGE1, outcome="not_upheld", responded_on=date(2021, 3, 20))
        _stage(
            earlier,
            StageName.STAGE2,
            points,
            requested_on=date(2021, 5, 1),
            responded_on=date(2021, 10, 1 + i),
            outcome="partially_upheld",
        )
    for i in range(15, 72):  # the council's other complaints
        _complaint(i % 30, scp, None)
    db.session.commit()
    return {"upheld": [one.reference, two.reference, three.reference], "overdue": overdue.reference}


def test_board_report_for_children_in_care(board_data) -> None:  # type: ignore[no-untyped-def]
    r = reports.board_report(reporting.custom(START, END), today=TODAY, where=CARE)
    o = r["overview"]
    assert o["all_stage1"] == 72
    assert o["stage1"] == 15
    assert o["outcomes"] == {"upheld": 2, "partially_upheld": 1, "not_upheld": 9, "being_investigated": 3}
    assert o["upheld_or_partly"] == 3
    assert (o["within_timescale"], o["responded"], o["within_timescale_percent"]) == (12, 12, "100.0%")
    assert o["overdue_open"] == 1
    assert o["upheld_by_team"] == {"Safeguarding Care Planning": 2, "CLA Services": 1}
    assert o["upheld_by_person_type"] == {"parent": 3}
    assert o["upheld_resolved_at"] == {"stage1": 3}
    assert o["stage2_concluded"] == 2
    assert [c["reference"] for c in r["upheld_complaints"]] == board_data["upheld"]
    assert r["upheld_complaints"][0]["points"] == [
        {"text": "High number of moves for a child", "finding": "upheld"},
        {"text": "Carer did not provide kit for school", "finding": "upheld"},
    ]
    assert r["upheld_complaints"][2]["outcome"] == "partially_upheld"
    assert [(c["reference"], c["days_overdue"]) for c in r["overdue_cases"]] == [(board_data["overdue"], 9)]
    assert [len(c["points"]) for c in r["stage2_concluded_cases"]] == [2, 1]


def test_board_report_on_the_command_line_and_for_publication(runner, board_data) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2022-03-10 09:00:00+00:00", tick=False):
        result = runner.invoke(args=["report", "board", *ARGS, "--care-status", "child_in_care"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["overview"]["stage1"] == 15
        result = runner.invoke(args=["report", "board", *ARGS, "--care-status", "child_in_care", "--publication"])
    assert result.exit_code == 0, result.output
    published = json.loads(result.output)
    assert set(published) == {"period", "filters", "overview", "publication"}
    assert published["overview"]["stage1"] == 15
    assert published["overview"]["outcomes"] == {
        "upheld": "<5",
        "partially_upheld": "<5",
        "not_upheld": 9,
        "being_investigated": "<5",
    }
    text = result.output
    for reference in [*board_data["upheld"], board_data["overdue"]]:
        assert reference not in text
    assert "High number of moves" not in text


def test_board_report_document_lists_the_issues(runner, board_data) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2022-03-10 09:00:00+00:00", tick=False):
        result = runner.invoke(args=["report", "board", *ARGS, "--care-status", "child_in_care", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "Connected carers allowance reduced without agreement" in result.output
    assert board_data["overdue"] in result.output
