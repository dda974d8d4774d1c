"""Small pure helpers of the staff services: CSV cell safety, references in search, week ends, review dates."""

from __future__ import annotations

from datetime import date

import pytest

from portal.services.cases import _reference_form, safe_cell, week_end
from portal.services.people import default_review_on

pytestmark = pytest.mark.no_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
        (42, "42"),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "plain", "none", "number"],
)
def test_safe_cell_neutralises_formulas(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7kq-m9t-x4r", "7KQ-M9T-X4R"),
        ("7KQ M9T X4R", "7KQ-M9T-X4R"),
        ("7KQM9TX4R", "7KQ-M9T-X4R"),
        ("jones1234", None),
        ("smith", None),
        ("7KQ-M9T-X4", None),
    ],
    ids=["lower", "spaces", "compact", "name-with-digits", "name", "too-short"],
)
def test_reference_form(text, expected):
    assert _reference_form(text) == expected


def test_week_end_is_the_coming_sunday():
    assert week_end(date(2026, 11, 18)) == date(2026, 11, 22)  # Wednesday
    assert week_end(date(2026, 11, 22)) == date(2026, 11, 22)  # Sunday


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 9, 30), date(2027, 3, 30)),
    ],
    ids=["plain", "month-end", "leap-year", "next-year"],
)
def test_contact_plan_review_defaults_to_six_months(today, expected):
    assert default_review_on(today) == expected
