"""Report pages and the staff import page: roles, period picker, error states, downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.domain.enums import Role
from portal.models import Submission
from portal.services import importer
from tests.reports_helpers import csv_text

FIXTURE = Path(__file__).parent / "data" / "reports_fixture.csv"
FY = "period=financial_year&year=2024"


@pytest.fixture
def data(db):  # type: ignore[no-untyped-def]
    assert importer.import_text(FIXTURE.read_text()).ok


@pytest.mark.parametrize("report", ["annual", "quarterly", "team"])
def test_manager_sees_each_report_with_downloads(data, staff_client, report) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(Role.COMPLAINTS_MANAGER)
    index = client.page("/staff/reports")
    assert index.find("a", href=f"/staff/reports/{report}")
    page = client.page(f"/staff/reports/{report}?{FY}")
    expected = "five quarters to 31 March 2025" if report == "quarterly" else "Financial year 2024/25"
    assert expected in page.h1.text
    svg = page.find("svg")
    assert svg is not None and svg.get("role") == "img" and svg.find("title") and svg.find("desc")
    assert page.find("table")
    csv = client.get(f"/staff/reports/{report}/download.csv?{FY}")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    pdf = client.get(f"/staff/reports/{report}/download.pdf?{FY}")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    printable = client.page(f"/staff/reports/{report}/print?{FY}")
    assert printable.find("table")


def test_annual_page_for_a_complaints_manager_has_case_tables(data, staff_client) -> None:  # type: ignore[no-untyped-def]
    manager = staff_client(Role.COMPLAINTS_MANAGER).page(f"/staff/reports/annual?{FY}")
    table = manager.find(id="table-contacts")
    assert "12" in table.text and "41.7%" in table.text  # 5 statutory of 12
    assert "R12" in manager.text  # the Stage 2 cases table
    comparison = manager.find(id="table-comparison").text
    assert "+11 (+1100.0%)" in comparison  # 12 contacts against 1 the year before
    assert "+4 (+400.0%)" in comparison  # Stage 1: 5 against 1


def test_report_viewers_see_aggregates_only(data, staff_client) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(Role.REPORT_VIEWER)
    viewer = client.page(f"/staff/reports/annual?{FY}")
    assert "41.7%" in viewer.find(id="table-contacts").text
    assert "R12" not in viewer.text and "R2" not in viewer.text
    csv = client.get(f"/staff/reports/annual/download.csv?{FY}").get_data(as_text=True)
    assert "R12" not in csv and "stage2_cases" not in csv


def test_publication_version_suppresses_small_numbers(data, staff_client) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(Role.COMPLAINTS_MANAGER)
    page = client.page(f"/staff/reports/annual?{FY}&version=publication")
    assert "(for publication)" in page.h1.text
    assert "<5" in page.find(id="table-contacts").text
    assert "R12" not in page.text
    csv = client.get(f"/staff/reports/annual/download.csv?{FY}&version=publication").get_data(as_text=True)
    assert "contacts,by_classification,corporate,<5" in csv
    internal = client.get(f"/staff/reports/annual/download.csv?{FY}").get_data(as_text=True)
    assert "contacts,by_classification,corporate,1" in internal


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("period=quarter&year=2024&quarter=3", "Quarter 3 2024/25"),
        ("period=half_year&year=2024&half=2", "October 2024 to March 2025"),
        ("period=month&year=2024&month=2", "February 2025"),
        (
            "period=custom&start=1&start=5&start=2024&end=31&end=5&end=2024",
            "1 May 2024 to 31 May 2024",
        ),
    ],
)
def test_period_picker(data, staff_client, query, label) -> None:  # type: ignore[no-untyped-def]
    page = staff_client(Role.REPORT_VIEWER).page(f"/staff/reports/annual?{query}")
    assert label in page.h1.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "period=custom&start=1&start=5&start=2025&end=1&end=4&end=2025",
            "The end date must be the same as or after the start date",
        ),
        ("period=custom", "Enter the end date"),
        (
            "period=custom&start=31&start=2&start=2025&end=1&end=4&end=2025",
            "Start date must be a real date",
        ),
    ],
)
def test_period_errors(data, staff_client, query, message) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(Role.COMPLAINTS_MANAGER)
    page = client.page(f"/staff/reports/annual?{query}")
    assert message in page.select_one(".govuk-error-summary").text
    assert page.title.text.startswith("Error: ")
    assert page.find("table") is None
    client.get(f"/staff/reports/annual/download.csv?{query}", expected_status=400)


@pytest.mark.parametrize("role", [Role.COMPLAINTS_OFFICER, Role.RESPONDING_MANAGER, Role.ADVOCATE, Role.ADMINISTRATOR])
def test_other_roles_cannot_see_reports(db, staff_client, role) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(role)
    client.get("/staff/reports", expected_status=403)
    client.get(f"/staff/reports/annual/download.csv?{FY}", expected_status=403)


def test_unknown_report_is_not_found(db, staff_client) -> None:  # type: ignore[no-untyped-def]
    staff_client(Role.COMPLAINTS_MANAGER).get("/staff/reports/nonsense", expected_status=404)


def test_csv_download_guards_against_formulas(db, staff_client) -> None:  # type: ignore[no-untyped-def]
    row = {
        "reference": "F1",
        "kind": "complaint",
        "received_on": "2024-05-01",
        "classification": "statutory",
        "themes": '=HYPERLINK("http://x")',
        "service_area": "@evil",
    }
    assert importer.import_text(csv_text([row])).ok
    csv = staff_client(Role.COMPLAINTS_MANAGER).get(f"/staff/reports/annual/download.csv?{FY}").get_data(as_text=True)
    assert "'=HYPERLINK" in csv and "'@evil" in csv
    assert ",=HYPERLINK" not in csv


def test_staff_import_page(db, staff_client) -> None:  # type: ignore[no-untyped-def]
    import io

    client = staff_client(Role.COMPLAINTS_MANAGER)
    client.page("/staff/admin/import")
    bad = csv_text([{"reference": "B1", "kind": "grumble", "received_on": "2024-13-01"}])
    response = client.post(
        "/staff/admin/import", {"file": (io.BytesIO(bad.encode()), "bad.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    page = response.page
    assert page.title.text.startswith("Error: ")
    problems = page.find(id="problems").find_next("table").text
    assert "kind" in problems and "received_on" in problems and "2" in problems
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
    response = client.post(
        "/staff/admin/import",
        {"file": (io.BytesIO(FIXTURE.read_bytes()), "fixture.csv")},
        content_type="multipart/form-data",
        expected_status=302,
    )
    page = client.page(response.headers["Location"])
    assert "Imported 18 records from fixture.csv" in page.text
    response = client.post("/staff/admin/import", {}, content_type="multipart/form-data")
    assert "Select a CSV file" in response.page.select_one(".govuk-error-summary").text


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.REPORT_VIEWER, 403), (Role.COMPLAINTS_OFFICER, 403)]
)
def test_import_page_roles(db, staff_client, role, status) -> None:  # type: ignore[no-untyped-def]
    staff_client(role).get("/staff/admin/import", expected_status=status)


def test_download_links_keep_a_custom_date_range(data, staff_client) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(Role.COMPLAINTS_MANAGER)
    query = "period=custom&start=1&start=5&start=2024&end=31&end=5&end=2024"
    page = client.page(f"/staff/reports/annual?{query}")
    for text in ("Download the figures as CSV", "Download as PDF", "Printable version"):
        link = next((a for a in page.find_all("a") if a.get_text().startswith(text)), None)
        assert link is not None, text
        response = client.get(link["href"].replace("&amp;", "&"), check=False)
        assert response.status_code == 200, link["href"]
    publication = next(a for a in page.find_all("a") if a.get_text() == "View the version for publication")["href"]
    assert "version=publication" in publication and "start=5" in publication


@pytest.mark.parametrize(("role", "shown"), [(Role.COMPLAINTS_MANAGER, True), (Role.REPORT_VIEWER, False)])
def test_quarterly_upheld_register_for_managers_only(data, staff_client, role, shown) -> None:  # type: ignore[no-untyped-def]
    page = staff_client(role).page("/staff/reports/quarterly?period=quarter&year=2024&quarter=1")
    assert ("Upheld or partially upheld complaints" in page.text) is shown
    assert ("R12 (Stage 2)" in page.text) is shown
