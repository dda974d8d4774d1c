"""How many SQL statements the busiest pages and the annual report run (issue 14): the ceilings are the counts of
1 December 2026, before the speed work, so a change that adds queries fails here even where timing cannot. Lower
a ceiling when a change removes statements; never raise one without saying why in the commit.

Each count starts from a fresh database session, as a request in production does (tests/statements.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from portal.domain import reporting
from portal.domain.enums import Role, SubmissionStatus
from portal.extensions import db
from portal.models import Person
from portal.services import importer, reports
from tests.factories import make_submission, make_team
from tests.public_journeys import YP_COMPLAINT, resolve

FIXTURE = Path(__file__).parent / "data" / "reports_fixture.csv"  # the annual report tests' dataset
NOW = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)  # a Wednesday
JOURNEY = "young-person/complaint"

# Today's counts, as ceilings.
QUESTION_PAGE = 5  # a young person's question page, half-way through (draft loaded)
# sending a young person's complaint (a SAVEPOINT and its RELEASE included); +2 for the audit hash chain (issue 11:
# the advisory lock on PostgreSQL, then the newest event's hash)
CHECK_ANSWERS_POST = 25
STAFF_LIST = 6  # the staff case list, 50 rows, as a complaints manager (one is the server-side session check)
# the annual report with the previous-year comparison; 48 since issue 13 §4 (seeds 001/002): the previous year's
# channels, months and repeat people (+3), conversions (+1), actual outcome by finding (+1), remedy kinds after
# upheld findings (+1) and the Ombudsman's remedies (+1); refusals share the contacts aggregate, young people's
# Stage 1 and remedies-by-finding share the S1 aggregate
ANNUAL_REPORT = 48


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _answer(client, upto: str | None = None) -> str:
    """Answer the young person's complaint page by page (up to, not including, `upto`); returns where it stops."""
    location = client.get(f"/{JOURNEY}", expected_status=302).headers["Location"]
    for step, data in YP_COMPLAINT:
        if step == upto:
            return location
        client.get(location)
        location = client.post(location, resolve(data), expected_status=302).headers["Location"]
    return location


def test_question_page(client, count_statements) -> None:
    location = _answer(client, upto="make-it-better")
    with count_statements() as counted:
        client.get(location)
    assert counted.count <= QUESTION_PAGE, counted.report()


def test_check_your_answers_post(client, count_statements) -> None:
    location = _answer(client)
    assert location.endswith("/check-your-answers")
    client.get(location)
    with count_statements() as counted:
        response = client.post(location, {}, expected_status=302)
    assert response.headers["Location"].endswith("/sent")
    assert counted.count <= CHECK_ANSWERS_POST, counted.report()


def _cases(n: int) -> None:
    teams = [make_team(f"Team {i}", area=f"Area {i % 3}") for i in range(4)]
    for i in range(n):
        person = Person(full_name=f"Person {i}", name_key=f"person {i}")
        db.session.add(person)
        db.session.flush()
        make_submission(
            received_on=date(2026, 10, 1 + i % 28),
            team=teams[i % 4],
            status=SubmissionStatus.OPEN,
            person_id=person.id,
            next_due_on=date(2026, 11, 1 + i % 28),
        )


def _staff_list_count(staff_client, count_statements, url: str) -> int:
    client = staff_client(Role.COMPLAINTS_MANAGER)
    client.get(url)
    with count_statements() as counted:
        client.get(url)
    assert counted.count <= STAFF_LIST, counted.report()
    return counted.count


def test_staff_list(staff_client, count_statements) -> None:
    _cases(60)
    full = _staff_list_count(staff_client, count_statements, "/staff/cases")
    overdue = _staff_list_count(staff_client, count_statements, "/staff/cases?due=overdue")
    assert overdue <= full


def test_staff_list_does_not_query_per_row(staff_client, count_statements) -> None:
    _cases(2)
    few = _staff_list_count(staff_client, count_statements, "/staff/cases")
    _cases(58)
    many = _staff_list_count(staff_client, count_statements, "/staff/cases")
    assert many == few


def test_annual_report(db, count_statements) -> None:
    assert importer.import_text(FIXTURE.read_text()).ok
    with count_statements() as counted:
        report = reports.annual_report(reporting.financial_year(2024))
    assert report["contacts"]["total"] > 0
    assert counted.count <= ANNUAL_REPORT, counted.report()
