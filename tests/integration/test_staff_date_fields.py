"""One date field for every staff form (staff/forms/fields.py), with the GOV.UK Design System's date-input errors.

There used to be three, giving three different errors for 31 2 2026, and an optional date with a box left empty
was quietly dropped. Each case below goes through a page that used one of the old fields."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from portal.domain.enums import Role
from portal.services import lifecycle
from tests.helpers import check_page, normalise
from tests.lifecycle_support import open_complaint


def _post(client, url, data):  # type: ignore[no-untyped-def]
    client.get(url)
    return client.client.post(url, data={"csrf_token": client.last_csrf, **data})


def _error(response):  # type: ignore[no-untyped-def]
    page = check_page(response.get_data(as_text=True))
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    return page, normalise(summary.text)


@time_machine.travel("2026-11-20 10:00:00+00:00", tick=False)
@pytest.mark.parametrize(
    ("page", "field", "message"),
    [
        ("triage", "received_on", "Date received must be a real date"),
        ("compliment", "received_on", "Date the compliment was received must be a real date"),
        ("acknowledge", "acknowledged_on", "Date of acknowledgement must be a real date"),
        ("advocacy", "received_on", "Date the request was received must be a real date"),
    ],
    ids=["triage-new", "compliment", "lifecycle", "advocacy"],
)
def test_date_fields_say_31_february_is_not_a_real_date_the_same_way(staff_client, page, field, message):
    client = staff_client(Role.COMPLAINTS_MANAGER)
    url = {
        "triage": "/staff/triage/new",
        "compliment": "/staff/compliments/new",
        "advocacy": "/staff/advocacy/new",
    }.get(page)
    if url is None:
        submission = open_complaint()
        url = f"/staff/cases/{submission.id}/stages/{submission.stages[0].id}/acknowledge"

    response = _post(client, url, {field: ["31", "2", "2026"]})

    assert response.status_code == 200
    _, summary = _error(response)
    assert message in summary


@time_machine.travel("2026-11-20 10:00:00+00:00", tick=False)
@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (["", "", ""], "Enter the date of the acknowledgement", {"day", "month", "year"}),
        (["", "11", "2026"], "Date of acknowledgement must include a day", {"day"}),
        (["3", "", ""], "Date of acknowledgement must include a month and year", {"month", "year"}),
        (["3", "11", "26"], "Year must include 4 numbers", {"year"}),
        (["3", "13", "2026"], "Date of acknowledgement must be a real date", {"day", "month", "year"}),
        (["3", "x", "2026"], "Date of acknowledgement must be a real date", {"day", "month", "year"}),
    ],
    ids=["empty", "no-day", "no-month-or-year", "two-digit-year", "month-13", "not-a-number"],
)
def test_date_errors_name_the_missing_part_and_mark_only_its_box(staff_client, parts, message, marked):
    client = staff_client(Role.COMPLAINTS_MANAGER)
    submission = open_complaint()
    url = f"/staff/cases/{submission.id}/stages/{submission.stages[0].id}/acknowledge"

    response = _post(client, url, {"acknowledged_on": parts})

    page, summary = _error(response)
    assert message in summary
    in_error = {
        part
        for part in ("day", "month", "year")
        if "govuk-input--error" in page.select_one(f"#acknowledged_on-{part}")["class"]
    }
    assert in_error == marked
    shown = [page.select_one(f"#acknowledged_on-{part}").get("value") or "" for part in ("day", "month", "year")]
    assert shown == parts


@time_machine.travel("2026-11-20 10:00:00+00:00", tick=False)
def test_an_optional_date_with_a_box_left_empty_is_an_error_not_ignored(staff_client, db):
    client = staff_client(Role.COMPLAINTS_MANAGER)
    submission = open_complaint()
    stage2 = lifecycle.request_escalation(
        submission, requested_on=date(2026, 11, 19), source="staff", actor_id=None, today=date(2026, 11, 19)
    )
    url = f"/staff/cases/{submission.id}/stages/{stage2.id}/investigation"

    response = _post(client, url, {"statement_agreed_on": ["", "11", "2026"], "investigating_officer": "Ann"})

    assert response.status_code == 200
    _, summary = _error(response)
    assert "Date the complaint statement was agreed must include a day" in summary
    db.session.refresh(stage2)
    assert stage2.investigating_officer is None
