"""In Chromium: recording a compliment (with its error and duplicate states) and allocating an advocacy request,
with axe-core on every page we pass through."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.domain.enums import Role
from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.services import clock
from portal.services.advocacy import create_for_complaint
from tests.factories import TEST_PASSWORD, make_staff_user, make_submission, make_team


def _signed_in(page, live_server: str, role: Role, **kw):  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    user = make_staff_user(role, totp_secret=secret, totp_enabled_at=datetime.now(UTC), **kw)
    page.goto(f"{live_server}/staff/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/**")
    return user


def test_recording_a_compliment_in_the_browser(page, live_server, axe):
    team = make_team("Fostering South", area="Children in Care")
    team.manager_email = "fostering.manager@example.gov.uk"
    db.session.commit()
    _signed_in(page, live_server, Role.COMPLAINTS_OFFICER)

    page.goto(f"{live_server}/staff/compliments")
    axe(page, "empty compliments register")
    page.get_by_role("button", name="Record a compliment").click()
    axe(page, "record a compliment")

    page.locator("#received_on-day").fill("")
    page.get_by_role("button", name="Save compliment").click()
    expect(page).to_have_title(re.compile("^Error: Record a compliment"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, "record a compliment with errors")

    def fill() -> None:
        today = clock.today_london()
        page.locator("#received_on-day").fill(str(today.day))
        page.locator("#received_on-month").fill(str(today.month))
        page.locator("#received_on-year").fill(str(today.year))
        page.get_by_label("How did it arrive?").select_option(label="Letter")
        page.get_by_label("Who is it from?").select_option(label="Judge")
        page.get_by_label("External (from outside the council)").check()
        page.get_by_label("Which team is it about?").select_option(label="Fostering South")
        page.get_by_label("Which members of staff does it name? (optional)").fill("Priya Shah")
        page.get_by_label("What did they say?").fill("The clearest social work evidence this court has seen.")
        page.get_by_role("group", name=re.compile("passed on to the staff")).get_by_label("Yes").check()
        page.get_by_role("group", name=re.compile("without their name")).get_by_label("Yes").check()
        page.get_by_role("button", name="Save compliment").click()

    fill()
    expect(page.locator("h1")).to_have_text(re.compile("^Compliment "))
    expect(page.locator("main")).to_contain_text("fostering.manager@example.gov.uk")
    axe(page, "compliment record")
    first = db.session.scalar(sa.select(Submission))
    assert db.session.scalar(sa.select(OutboxMessage.recipient)) == "fostering.manager@example.gov.uk"

    page.goto(f"{live_server}/staff/compliments/new")
    fill()
    expect(page).to_have_title(re.compile("^Error: Record a compliment"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(first.reference)
    axe(page, "duplicate compliment")
    page.locator("#duplicate").get_by_role("link", name=first.reference).click()
    expect(page.locator("h1")).to_have_text(f"Compliment {first.reference}")

    page.get_by_role("link", name="Change this compliment").click()
    axe(page, "change a compliment")
    page.goto(f"{live_server}/staff/compliments")
    expect(page.locator("table")).to_contain_text(first.reference)
    axe(page, "compliments register")
    page.get_by_role("link", name="Compliments wall").click()
    expect(page.locator("main")).to_contain_text("The clearest social work evidence")
    axe(page, "compliments wall")


def test_allocating_an_advocacy_request_in_the_browser(page, live_server, axe):
    complaint = make_submission(team=make_team(), wants_advocate=True)
    request = create_for_complaint(complaint, actor_id=None, today=clock.today_london())
    advocate = _signed_in(page, live_server, Role.ADVOCATE, full_name="Ada Advocate")

    page.goto(f"{live_server}/staff/advocacy")
    axe(page, "advocacy queue")
    page.get_by_role("link", name=request.reference).click()
    expect(page.locator("h1")).to_have_text(f"Advocacy request {request.reference}")
    axe(page, "advocacy request")

    page.get_by_role("link", name="Allocate an advocate").click()
    axe(page, "allocate an advocate")
    page.locator("#allocated_on-day").fill("")
    page.get_by_role("button", name="Allocate").click()
    expect(page).to_have_title(re.compile("^Error: Allocate an advocate"))
    axe(page, "allocate an advocate with errors")

    today = clock.today_london()
    page.locator("#allocated_on-day").fill(str(today.day))
    page.get_by_label("Who is the advocate?").select_option(label=advocate.full_name)
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Advocate allocated")
    expect(page.locator("main")).to_contain_text("Advocate: Ada Advocate")
    expect(page.locator(".govuk-tag").first).to_have_text("Allocated")
    axe(page, "advocacy request after allocation")
    for link, name in (
        ("Record contact with the young person", "record contact"),
        ("Close the request", "close the request"),
        ("Change the request details", "change the request details"),
    ):
        page.get_by_role("link", name=link).click()
        axe(page, name)
        page.go_back()

    page.goto(f"{live_server}/staff/advocacy/new")
    axe(page, "record an advocacy request")
    page.get_by_role("button", name="Save request").click()
    expect(page).to_have_title(re.compile("^Error: Record an advocacy request"))
    axe(page, "record an advocacy request with errors")
