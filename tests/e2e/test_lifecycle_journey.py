"""In Chromium: one complaint from the young person's online form, through triage into Stage 1, a partially upheld
Stage 1 response, the escalation, Stage 2 with costs, to closure with a learning action; axe on every staff page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import sqlalchemy as sa
import time_machine

from portal.domain.enums import Role, StageStatus, SubmissionStatus
from portal.extensions import db
from portal.models import LearningAction, OutboxMessage, Submission
from tests.factories import TEST_PASSWORD, make_staff_user, make_team

TODAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday


def _sign_in(page, live_server, role, **kw):  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    user = make_staff_user(role, totp_secret=secret, totp_enabled_at=datetime.now(UTC), **kw)
    page.goto(f"{live_server}/staff/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.locator("#password").fill(TEST_PASSWORD)
    _submit(page, "Continue")
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    _submit(page, "Continue")
    page.wait_for_url("**/staff/**")
    return user


CHOICES = {"safe": "yes", "wants_advocate": "no", "contact_methods": "email"}


def _answer_public_journey(page, live_server):  # type: ignore[no-untyped-def]
    """Answer each question of the young person's complaint journey with plain, safe answers."""
    page.goto(f"{live_server}/young-person/complaint")
    for _ in range(20):
        if "check-your-answers" in page.url:
            break
        for name in {el.get_attribute("name") for el in page.locator("input[type=radio]").all()}:
            wanted = CHOICES.get(name)
            group = page.locator(f"input[type=radio][name='{name}']")
            target = page.locator(f"input[type=radio][name='{name}'][value='{wanted}']") if wanted else group.first
            (target if target.count() else group.first).check()
        for name in {el.get_attribute("name") for el in page.locator("input[type=checkbox]").all()}:
            wanted = CHOICES.get(name)
            box = page.locator(f"input[type=checkbox][name='{name}'][value='{wanted}']") if wanted else None
            (
                box if box is not None and box.count() else page.locator(f"input[type=checkbox][name='{name}']").first
            ).check()
        for field in page.locator("textarea").all():
            field.fill("My social worker keeps cancelling our meetings and nobody rings me back.")
        for field in page.locator("input[type=text], input[type=email], input[type=tel]").all():
            name = field.get_attribute("name") or ""
            if "email" in name:
                field.fill("jo@example.com")
            elif "phone" in name:
                field.fill("07700 900123")
            elif "name" in name:
                field.fill("Jo")
            elif field.is_visible():
                field.fill("My social worker")
        page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    assert "check-your-answers" in page.url, page.url
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_url("**/sent**")


def _submit(page, name, exact=False):  # type: ignore[no-untyped-def]
    """Press a button and wait for the next page to load (titles are read straight after)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=exact).click()


def _fill_date(page, name, when):  # type: ignore[no-untyped-def]
    page.locator(f"#{name}-day").fill(str(when.day))
    page.locator(f"#{name}-month").fill(str(when.month))
    page.locator(f"#{name}-year").fill(str(when.year))


def test_a_complaint_from_submission_to_closure_with_learning(page, live_server, axe, screenshot):
    with time_machine.travel(TODAY, tick=True):
        team = make_team("Children in Care North")
        _answer_public_journey(page, live_server)
        submission = db.session.scalar(sa.select(Submission).order_by(Submission.id.desc()))
        assert submission is not None and submission.status == SubmissionStatus.NEW
        today = TODAY.date()

        manager = _sign_in(page, live_server, Role.COMPLAINTS_MANAGER)
        page.goto(f"{live_server}/staff/triage/{submission.id}")
        page.get_by_label("Statutory complaint (Stage 1)").check()
        page.get_by_label("Team", exact=True).select_option(label=team.name)
        _submit(page, "Save triage decision")
        db.session.expire_all()
        assert submission.status == SubmissionStatus.OPEN and submission.stages[0].status == StageStatus.OPEN
        assert page.get_by_role("heading", name="Procedure and deadlines").is_visible()
        axe(page, "case page with the Stage 1 panel")

        # Acknowledge, then record a point and its finding
        page.get_by_role("link", name="Record acknowledgement").click()
        _submit(page, "Save acknowledgement")
        assert page.title().startswith("Error: Record acknowledgement")
        axe(page, "acknowledgement with errors")
        _fill_date(page, "acknowledged_on", today)
        _submit(page, "Save acknowledgement")

        page.get_by_role("link", name="Complaint points and findings").click()
        page.get_by_label("Complaint point").fill("Meetings were cancelled without notice")
        _submit(page, "Add point")
        axe(page, "complaint points")
        page.get_by_role("link", name=re.compile("Record finding")).click()
        page.get_by_label("Upheld", exact=True).check()
        _submit(page, "Save finding")
        page.get_by_role("link", name="Back to the case").click()

        # The Stage 1 response, partially upheld
        page.get_by_role("link", name="Record the response").click()
        axe(page, "record the response")
        _fill_date(page, "responded_on", today)
        page.get_by_label("Partially upheld").check()
        page.get_by_label("Apology", exact=True).check()
        page.get_by_label("Summary of the response (optional)").fill("We apologise for the cancelled meetings.")
        _submit(page, "Record the response")
        assert "record the learning actions" in page.locator(".govuk-notification-banner").inner_text()

        # A learning action from the upheld finding
        page.get_by_role("link", name="Add a learning action").click()
        axe(page, "add a learning action")
        page.get_by_label("Root cause", exact=True).select_option(label="Communication")
        page.get_by_label("Staff training").check()
        page.get_by_label("What will be done?").fill("Briefing for the team on rearranging meetings")
        page.get_by_label("Responsible officer", exact=True).fill("Team manager")
        _fill_date(page, "due_on", today)
        _submit(page, "Save learning action")

        # The complainant asks for Stage 2; staff record it and accept it
        page.get_by_role("link", name="Record a request for Stage 2").click()
        axe(page, "record a request for the next stage")
        _fill_date(page, "requested_on", today)
        _submit(page, "Record the request")
        page.get_by_role("link", name="Accept the request for Stage 2").click()
        _submit(page, "Accept the request")

        # Stage 2: people, dates and costs
        page.get_by_role("link", name="Investigation: people and dates").click()
        axe(page, "stage 2 investigation")
        page.get_by_label("Investigating Officer").fill("Alex Investigator")
        page.get_by_label("Independent Person").fill("Indira Person")
        page.get_by_label("Adjudicating officer").fill("Director of Children's Services")
        _fill_date(page, "statement_agreed_on", today)
        _fill_date(page, "adjudicated_on", today)
        _submit(page, "Save")
        page.get_by_role("link", name="Costs").click()
        page.get_by_label("What is the cost for?").fill("Investigating Officer fee")
        page.get_by_label("Hours (optional)").fill("30")
        page.get_by_label("Amount in pounds").fill("2,450.50")
        _submit(page, "Add cost")
        page.get_by_label("What is the cost for?").fill("Independent Person fee")
        page.get_by_label("Amount in pounds").fill("980.25")
        _submit(page, "Add cost")
        assert "£3,430.75" in page.locator("table").inner_text()
        axe(page, "stage 2 costs")
        page.get_by_role("link", name="Back to the case").click()

        page.get_by_role("link", name="Record the response").click()
        _fill_date(page, "responded_on", today)
        page.get_by_label("Not upheld").check()
        _submit(page, "Record the response")

        # Closing is blocked while the learning action is open; complete it, then close
        page.get_by_role("link", name="Close the complaint").click()
        _submit(page, "Close the complaint")
        assert page.title().startswith("Error: Close the complaint")
        axe(page, "close with open learning actions")
        action = db.session.scalar(sa.select(LearningAction))
        page.goto(f"{live_server}/staff/learning/{action.id}")
        page.get_by_label("Completed").check()
        page.get_by_label("Evidence of completion").fill("Briefing notes of 24 November")
        _fill_date(page, "completed_on", today)
        _submit(page, "Save learning action")
        axe(page, "learning register")
        page.goto(f"{live_server}/staff/cases/{submission.id}/close")
        _submit(page, "Close the complaint")
        assert "Complaint closed" in page.locator(".govuk-notification-banner").inner_text()
        axe(page, "closed case")
        screenshot(page, "lifecycle-closed-case")

        page.goto(f"{live_server}/staff/deadlines")
        axe(page, "deadlines dashboard")
        page.goto(f"{live_server}/staff/outbox")
        axe(page, "outbox")

        db.session.expire_all()
        assert submission.status == SubmissionStatus.CLOSED and submission.closure_override_reason is None
        stage1, stage2 = submission.stages
        assert stage1.outcome == "partially_upheld" and stage2.outcome == "not_upheld"
        assert str(stage2.cost) == "3430.75"
        templates = set(db.session.scalars(sa.select(OutboxMessage.template)))
        assert {"response_ready", "escalation_received"} <= templates
        assert manager.id


def test_the_other_lifecycle_and_settings_pages_pass_axe(page, live_server, axe):
    from datetime import date

    from portal.services import lifecycle
    from tests.lifecycle_support import open_complaint

    with time_machine.travel(TODAY, tick=True):
        today = TODAY.date()
        stage3_case = open_complaint(received_on=date(2026, 9, 1))
        lifecycle.record_response(
            stage3_case.stages[0],
            responded_on=date(2026, 9, 10),
            finding="upheld",
            summary=None,
            actor_id=None,
            today=today,
        )
        stage2 = lifecycle.request_escalation(
            stage3_case, requested_on=date(2026, 9, 14), source="staff", actor_id=None
        )
        lifecycle.accept_escalation(stage2, actor_id=None, today=today)
        lifecycle.update_investigation(
            stage2,
            investigating_officer="IO",
            independent_person="Indira Person",
            adjudicating_officer="Director",
            statement_agreed_on=None,
            adjudicated_on=None,
            actor_id=None,
            today=today,
        )
        lifecycle.record_response(
            stage2, responded_on=date(2026, 10, 16), finding="not_upheld", summary=None, actor_id=None, today=today
        )
        stage3 = lifecycle.request_escalation(
            stage3_case, requested_on=date(2026, 11, 2), source="staff", actor_id=None
        )
        requested = open_complaint(received_on=date(2026, 10, 1), email="r@example.com")
        lifecycle.record_response(
            requested.stages[0],
            responded_on=date(2026, 10, 9),
            finding="not_upheld",
            summary=None,
            actor_id=None,
            today=today,
        )
        pending = lifecycle.request_escalation(
            requested, requested_on=date(2026, 11, 5), source="public", actor_id=None
        )
        running = open_complaint(received_on=date(2026, 11, 20), email="o@example.com")

        _sign_in(page, live_server, Role.COMPLAINTS_MANAGER)
        base = f"{live_server}/staff/cases"
        pages = [
            (f"{base}/{stage3_case.id}/stages/{stage3.id}/panel", "Add member", "stage 3 panel"),
            (f"{base}/{requested.id}/stages/{pending.id}/refuse", "Refuse the request", "refuse a request"),
            (f"{base}/{requested.id}/stages/{pending.id}/accept", None, "accept a request"),
            (f"{base}/{running.id}/stages/{running.stages[0].id}/extend", "Extend and tell the complainant", "extend"),
            (f"{base}/{running.id}/adr", "Record the session", "adr"),
            (f"{base}/{running.id}/remedies", "Record the remedy", "remedy"),
            (f"{base}/{running.id}/ombudsman", "Save", "ombudsman"),
            (f"{base}/{running.id}/withdraw", "Record the withdrawal", "withdraw"),
            (f"{base}/{running.id}/procedure", None, "procedure panel"),
            (f"{live_server}/staff/admin/procedures", None, "procedures and timescales"),
            (f"{live_server}/staff/admin/closure-days", "Add closure day", "closure days"),
        ]
        for url, error_button, name in pages:
            page.goto(url)
            axe(page, name)
            if error_button:
                _submit(page, error_button, exact=True)
                assert page.title().startswith("Error: "), name
                axe(page, f"{name} with errors")
        page.goto(f"{live_server}/staff/admin/procedures")
        page.get_by_role("link", name=re.compile("^Change Stage 1 response within")).first.click()
        page.get_by_label("Working days").fill("many")
        _submit(page, "Save and recompute due dates")
        assert page.title().startswith("Error: ")
        axe(page, "timescale with errors")
        page.goto(f"{live_server}/staff/cases/{running.id}/withdraw")
        _fill_date(page, "withdrawn_on", today)
        page.get_by_label("What did they say?").fill("It was sorted out with the team")
        _submit(page, "Record the withdrawal")
        page.goto(f"{live_server}/staff/cases/{running.id}/reopen")
        axe(page, "reopen")
        _submit(page, "Reopen the complaint")
        assert page.title().startswith("Error: ")
        axe(page, "reopen with errors")
