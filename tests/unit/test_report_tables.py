"""The table builder's pure rules: age bands (issue 13 §2: 0–9, 10–12, 13–15, 16–17, 18–24) and financial quarters."""

from __future__ import annotations

import pytest

from portal.services.reports.tables import age_band, quarter_of


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-9"),
        (9, "0-9"),
        (10, "10-12"),
        (12, "10-12"),
        (13, "13-15"),
        (15, "13-15"),
        (16, "16-17"),
        (17, "16-17"),
        (18, "18-24"),
        (24, "18-24"),
        (25, "25_or_over"),
        (-1, "not_recorded"),
        (None, "not_recorded"),
    ],
)
def test_age_bands(age: int | None, band: str) -> None:
    assert age_band(age) == band


@pytest.mark.parametrize(
    ("year", "month", "quarter"),
    [
        (2024, 4, "2024/25 Q1"),
        (2024, 6, "2024/25 Q1"),
        (2024, 7, "2024/25 Q2"),
        (2024, 12, "2024/25 Q3"),
        (2025, 1, "2024/25 Q4"),
        (2025, 3, "2024/25 Q4"),
        (1999, 4, "1999/00 Q1"),
    ],
)
def test_financial_quarters(year: int, month: int, quarter: str) -> None:
    assert quarter_of(year, month) == quarter
