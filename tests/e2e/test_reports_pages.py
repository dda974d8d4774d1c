"""In Chromium with axe-core: the report pages for a complaints manager and a report viewer, the period picker
with its error state, the printable version and the import page with its problems table."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pyotp
from playwright.sync_api import expect

from portal.domain.enums import Role
from portal.services import importer
from tests.factories import TEST_PASSWORD, make_staff_user

FIXTURE = Path(__file__).parents[1] / "integration" / "data" / "reports_fixture.csv"


def _signed_in(page, live_server: str, role: Role):  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    user = make_staff_user(role, totp_secret=secret, totp_enabled_at=datetime.now(UTC))
    page.goto(f"{live_server}/staff/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/**")
    return user


def test_reports_for_a_complaints_manager(page, live_server, axe, screenshot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert importer.import_text(FIXTURE.read_text()).ok
    _signed_in(page, live_server, Role.COMPLAINTS_MANAGER)
    page.goto(f"{live_server}/staff/reports")
    axe(page, "reports index")
    page.get_by_role("link", name="Annual report").click()
    page.get_by_role("radio", name="Financial year").check()
    page.locator("#year").select_option(label="2024/25")
    page.get_by_role("button", name="Show report").click()
    expect(page.locator("h1")).to_contain_text("Financial year 2024/25")
    assert page.locator("svg[role=img] title").count() >= 3
    axe(page, "annual report")
    screenshot(page, "reports-annual")
    page.get_by_role("link", name="Printable version").click()
    page.wait_for_url("**/print?**")
    axe(page, "annual report printable")
    page.goto(f"{live_server}/staff/reports/quarterly?period=financial_year&year=2024")
    axe(page, "quarterly indicators")
    page.goto(f"{live_server}/staff/reports/team?period=financial_year&year=2024&version=publication")
    assert "(for publication)" in page.locator("h1").inner_text()
    axe(page, "team dashboard for publication")

    # the date-range error state
    page.goto(f"{live_server}/staff/reports/annual")
    page.get_by_role("radio", name="Another date range").check()
    page.locator("#start-day").fill("1")
    page.locator("#start-month").fill("5")
    page.locator("#start-year").fill("2025")
    page.locator("#end-day").fill("1")
    page.locator("#end-month").fill("4")
    page.locator("#end-year").fill("2025")
    page.get_by_role("button", name="Show report").click()
    expect(page).to_have_title(re.compile(r"^Error: Annual report"))
    assert (
        "The end date must be the same as or after the start date" in page.locator(".govuk-error-summary").inner_text()
    )
    axe(page, "annual report with a date range error")

    # the import page, with a file that has problems
    page.goto(f"{live_server}/staff/admin/import")
    axe(page, "import page")
    bad = tmp_path / "bad-import.csv"
    bad.write_text("reference,kind,received_on\nB1,grumble,2024-13-01\n")
    page.locator("#file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page).to_have_title(re.compile(r"^Error: Import historic records"))
    assert "grumble" in page.locator("table").last.inner_text()
    axe(page, "import page with problems")


def test_reports_for_a_report_viewer(page, live_server, axe) -> None:  # type: ignore[no-untyped-def]
    assert importer.import_text(FIXTURE.read_text()).ok
    _signed_in(page, live_server, Role.REPORT_VIEWER)
    page.goto(f"{live_server}/staff/reports/annual?period=financial_year&year=2024")
    assert "R12" not in page.content()
    axe(page, "annual report for a report viewer")
