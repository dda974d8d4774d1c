"""Every answer of every journey reaches the person who decides, in words (issue 12).

Generated from the journey definitions: each journey is walked with every question answered (the walk must ask every
question the journey defines, so a new question cannot be left out), then each answer's question and its words
(the choices as the person chose them, dates in full) must be on the staff pages: the triage page and the case page
for a complaint, the case page and the compliment or advocacy page for the others."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain.enums import Audience, Role, SubmissionKind
from portal.domain.journeys import JOURNEYS, Journey
from portal.domain.questions import AnswerType, Question
from portal.models import Submission
from portal.services.submissions import NewSubmission, create_submission
from portal.template_helpers import govuk_date
from tests.factories import make_team
from tests.helpers import normalise
from tests.public_journeys import EVERY_ANSWER, resolve

NOW = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _walk(client, journey: Journey) -> dict[str, Any]:
    """Answer every page; returns what was posted for each question."""
    posted: dict[str, Any] = {}
    location = client.get(f"/{journey.key}", expected_status=302).headers["Location"]
    for step, data in EVERY_ANSWER[journey.key]:
        assert location.endswith(f"/{journey.key}/{step}"), f"expected {step}, went to {location}"
        client.get(location)
        location = client.post(location, resolve(data), expected_status=302).headers["Location"]
        posted.update(data)
    assert location.endswith("/check-your-answers"), location
    client.post(location, {}, expected_status=302)
    return posted


def _words(question: Question, posted: Any) -> list[str]:
    """What staff must read for this answer, from the question's definition (not from the code under test)."""
    if question.type == AnswerType.DATE:
        day, month, year = (int(part) for part in posted)
        return [govuk_date(date(year, month, day))]
    if question.type in (AnswerType.ONE, AnswerType.MANY, AnswerType.SELECT):
        values = posted if isinstance(posted, list) else [posted]
        if question.choice_list:  # '@Label' or '#Team name': the label the person chose
            return [value[1:] for value in values]
        labels = {choice.value: choice.staff_label for choice in question.choices}
        return [labels[value] for value in values]
    return str(posted).split("\n")


def _staff_pages(submission: Submission) -> list[str]:
    case = f"/staff/cases/{submission.id}"
    return {
        SubmissionKind.COMPLAINT: [f"/staff/triage/{submission.id}", case],
        SubmissionKind.COMPLIMENT: [case, f"/staff/compliments/{submission.id}"],
        SubmissionKind.ADVOCACY: [case, f"/staff/advocacy/{submission.id}"],
    }[submission.kind]


@pytest.mark.parametrize("journey", JOURNEYS.values(), ids=lambda j: j.key.replace("/", "-"))
def test_every_answer_reaches_the_staff_pages_in_words(client, db, staff_client, journey):
    make_team()
    posted = _walk(client, journey)
    questions = {question.name: question for question in journey.questions()}
    unasked = set(questions) - set(posted)
    assert not unasked, f"EVERY_ANSWER['{journey.key}'] must answer {sorted(unasked)}"
    assert all(posted[name] not in ("", [], ["", "", ""]) for name in questions), "every answer is given"
    submission = db.session.scalar(sa.select(Submission))
    manager = staff_client(Role.COMPLAINTS_MANAGER)
    for url in _staff_pages(submission):
        page = manager.page(url)
        rows = [
            (normalise(row.select_one("dt").get_text(" ")), normalise(row.select_one("dd").get_text(" ")))
            for row in page.select(".govuk-summary-list__row")
        ]
        missing = [
            f"{question.staff_label}: {words}"
            for name, question in questions.items()
            for words in _words(question, posted[name])
            if not any(key == question.staff_label and words in value for key, value in rows)
        ]
        assert not missing, f"{url} does not show {missing}"


def _row(page, key: str) -> str:
    for row in page.select(".govuk-summary-list__row"):
        if normalise(row.select_one("dt").get_text(" ")) == key:
            return normalise(row.select_one("dd").get_text(" "))
    raise AssertionError(f"no row {key!r}")


def test_stored_codes_are_shown_in_the_words_the_person_chose(db, staff_client):
    complaint = create_submission(
        NewSubmission(
            kind=SubmissionKind.COMPLAINT,
            audience=Audience.ADULT,
            full_name="Sam Carer",
            what_happened="Recorded from a letter.",
            court_proceedings="not_sure",
            contact_methods=["letter", "carer"],
        )
    ).submission
    request = create_submission(
        NewSubmission(
            kind=SubmissionKind.ADVOCACY,
            audience=Audience.ADULT,
            full_name="Pat Teacher",
            for_self=False,
            young_person_agrees="not_asked",
            contact_methods=["phone", "text"],
        )
    ).submission
    manager = staff_client(Role.COMPLAINTS_MANAGER)
    case = manager.page(f"/staff/cases/{complaint.id}")
    assert _row(case, "Court proceedings") == "I'm not sure"
    assert _row(case, "Safe ways to contact") == "Letter, Through my carer"
    page = manager.page(f"/staff/advocacy/{request.id}")
    assert _row(page, "Young person agrees") == "I have not asked them yet"
    assert _row(page, "Ways to contact") == "Phone call, Text message"
