"""The staff area in Chromium: sign-in with TOTP (enrolment and later sign-ins), triage of a new submission into a
Stage 1 complaint with its due dates, the case list filters, and axe on staff pages including error states."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pyotp

from portal.domain.enums import Role, SubmissionStatus
from portal.extensions import db
from portal.models import Person
from portal.services.users import create_user
from tests.factories import make_submission, make_team

PASSWORD = "lantern orchard violet 58"


def _sign_in(page, base: str, email: str, secret: str, axe=None) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/security-code")
    if axe:
        axe(page, "security code page")
    # A code for the next 30-second step: never one already used by an earlier sign-in in the same step.
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")


def test_first_sign_in_enrols_totp_then_signs_in_with_a_code(page, live_server, axe, screenshot):
    create_user(
        email="new.officer@example.gov.uk", full_name="New Officer", role=Role.COMPLAINTS_OFFICER, password=PASSWORD
    )
    page.goto(live_server + "/staff/sign-in")
    axe(page, "sign-in page")
    page.get_by_label("Email address").fill("new.officer@example.gov.uk")
    page.get_by_label("Password", exact=True).fill("wrong password entirely")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: Sign in")
    assert "Enter a correct email address and password" in page.locator(".govuk-error-summary").inner_text()
    axe(page, "sign-in error")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/set-up-two-factor")
    assert page.locator("img.app-qr-code").is_visible()
    axe(page, "two-factor enrolment")
    screenshot(page, "staff-two-factor-enrolment")
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    page.get_by_label("Enter the 6-digit code your app shows").fill("123")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error:")
    axe(page, "two-factor enrolment error")
    page.get_by_label("Enter the 6-digit code your app shows").fill(pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Save your recovery codes"
    assert page.locator(".app-recovery-codes li").count() == 10
    axe(page, "recovery codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have saved my recovery codes").click()
    assert page.locator("h1").inner_text() == "Home"
    axe(page, "staff home")
    for path in ("/staff/account", "/staff/account/password", "/staff/account/recovery-codes", "/staff/sign-out"):
        page.goto(live_server + path)
        axe(page, path)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/staff/sign-in")
    _sign_in(page, live_server, "new.officer@example.gov.uk", secret, axe=axe)
    assert page.locator("h1").inner_text() == "Home"


def test_triage_new_submission_into_stage_one_shows_due_dates(page, live_server, axe, screenshot):
    team = make_team()
    secret = pyotp.random_base32()
    create_user(
        email="triage@example.gov.uk",
        full_name="Tia Triage",
        role=Role.COMPLAINTS_MANAGER,
        password=PASSWORD,
        totp_secret=secret,
    )
    person = Person(full_name="Jo Parent", name_key="jo parent")
    db.session.add(person)
    db.session.commit()
    received = date.today() - timedelta(days=1)
    submission = make_submission(received_on=received, person_id=person.id, feels_unsafe=True)
    _sign_in(page, live_server, "triage@example.gov.uk", secret)
    with page.expect_navigation():
        page.get_by_role("link", name="Inbox", exact=True).click()
    assert "Decision needed today" in page.locator("tbody tr").first.inner_text()
    axe(page, "triage inbox")
    with page.expect_navigation():
        page.get_by_role("link", name=submission.reference).click()
    axe(page, "triage page")
    screenshot(page, "staff-triage")
    with page.expect_navigation():
        page.get_by_role("button", name="Save triage decision").click()
    assert page.title().startswith("Error:")
    axe(page, "triage page with errors")
    page.get_by_label("What did you decide, and what did you do?").fill("Called the duty team: no immediate risk.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record safety decision").click()
    page.get_by_label("Statutory complaint (Stage 1)").check()
    page.get_by_label("How did it come in?").select_option("telephone")
    page.get_by_label("Team", exact=True).select_option(str(team.id))
    with page.expect_navigation():
        page.get_by_role("button", name="Save triage decision").click()
    page.wait_for_url(f"**/staff/cases/{submission.id}")
    body = page.locator("main").inner_text()
    assert "Acknowledge by" in body and "Next due" in body
    assert any(tag in body for tag in ("On track", "Due soon", "Due today", "Overdue"))
    axe(page, "case page")
    screenshot(page, "staff-case-page")
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.OPEN and submission.acknowledge_due_on is not None
    page.goto(live_server + f"/staff/cases/{submission.id}/audit")
    axe(page, "audit history")
    page.goto(live_server + f"/staff/cases/{submission.id}/notes")
    with page.expect_navigation():
        page.get_by_role("button", name="Add note").click()
    axe(page, "note error")
    page.goto(live_server + f"/staff/people/{person.id}/contact-plan")
    with page.expect_navigation():
        page.get_by_role("button", name="Save contact plan").click()
    assert page.title().startswith("Error:")
    axe(page, "contact plan error")
    for path in (
        "/staff/triage/new",
        "/staff/settings",
        "/staff/settings/users",
        "/staff/settings/users/new",
        "/staff/settings/teams",
        "/staff/settings/lists?kind=theme",
        f"/staff/people/{person.id}",
        f"/staff/cases/{submission.id}/assignment",
        "/staff/settings/teams/new",
        "/staff/settings/lists/new?kind=refusal_reason",
        "/staff/triage",
    ):
        page.goto(live_server + path)
        axe(page, path)
    page.goto(live_server + "/staff/settings/users/new")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    axe(page, "new user errors")
    page.goto(live_server + "/staff/settings/users")
    with page.expect_navigation():
        page.get_by_role("link", name="Edit Tia Triage").click()
    axe(page, "edit user")
    page.goto(live_server + "/staff/triage/new")
    with page.expect_navigation():
        page.get_by_role("button", name="Record contact").click()
    assert page.title().startswith("Error:")
    axe(page, "record a contact with errors")


def test_case_list_filters(page, live_server, axe, screenshot):
    secret = pyotp.random_base32()
    create_user(
        email="lists@example.gov.uk",
        full_name="Lee Lister",
        role=Role.COMPLAINTS_OFFICER,
        password=PASSWORD,
        totp_secret=secret,
    )
    jones = Person(full_name="Dana Jones", name_key="dana jones")
    db.session.add(jones)
    db.session.commit()
    old = make_submission(
        received_on=date(2026, 3, 2), person_id=jones.id, status=SubmissionStatus.OPEN, next_due_on=date(2026, 3, 16)
    )
    recent = make_submission(received_on=date(2026, 11, 2))
    _sign_in(page, live_server, "lists@example.gov.uk", secret)
    with page.expect_navigation():
        page.get_by_role("link", name="Cases", exact=True).click()
    axe(page, "case list")
    main = page.locator("main")
    assert old.reference in main.inner_text() and recent.reference in main.inner_text()
    page.get_by_label("Reference or name").fill("jones")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert old.reference in main.inner_text() and recent.reference not in main.inner_text()
    page.get_by_label("Reference or name").fill("")
    page.get_by_label("Due").select_option("overdue")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert old.reference in main.inner_text() and recent.reference not in main.inner_text()
    assert "Overdue" in main.inner_text()
    screenshot(page, "staff-case-list")
    page.goto(live_server + "/staff/cases?received_from=40&received_from=2&received_from=2026")
    assert page.title().startswith("Error:")
    axe(page, "case list with a date error")
