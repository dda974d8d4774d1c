"""Report rules without a database: periods, rounding, percentages, suppression and CSV formula guarding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.domain import reporting
from portal.domain.reporting import PeriodError


def test_financial_periods() -> None:
    assert reporting.financial_year(2024) == reporting.Period(
        date(2024, 4, 1), date(2025, 3, 31), "Financial year 2024/25"
    )
    assert reporting.financial_year_start(date(2025, 3, 31)) == 2024
    assert reporting.financial_year_start(date(2025, 4, 1)) == 2025
    q4 = reporting.quarter(2024, 4)
    assert (q4.start, q4.end) == (date(2025, 1, 1), date(2025, 3, 31))
    q3 = reporting.quarter(2024, 3)
    assert (q3.start, q3.end) == (date(2024, 10, 1), date(2024, 12, 31))
    h2 = reporting.half_year(2024, 2)
    assert (h2.start, h2.end) == (date(2024, 10, 1), date(2025, 3, 31))
    feb = reporting.month(2024, 2)
    assert feb.end == date(2024, 2, 29)
    assert [p.label for p in reporting.quarters_ending(date(2022, 3, 31))] == [
        "Quarter 4 2020/21",
        "Quarter 1 2021/22",
        "Quarter 2 2021/22",
        "Quarter 3 2021/22",
        "Quarter 4 2021/22",
    ]
    leap = reporting.Period(date(2024, 2, 29), date(2024, 3, 1), "x").previous_year()
    assert leap.start == date(2023, 2, 28)


def test_bad_periods() -> None:
    with pytest.raises(PeriodError):
        reporting.custom(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(PeriodError):
        reporting.custom(date(2015, 1, 1), date(2025, 1, 1))
    with pytest.raises(PeriodError):
        reporting.quarter(2024, 5)
    with pytest.raises(PeriodError):
        reporting.half_year(2024, 3)


def test_rounding_and_percentages() -> None:
    assert reporting.mean(45, 3) == Decimal("15.0")
    assert reporting.mean(61, 4) == Decimal("15.3")  # 15.25 half-up
    assert reporting.mean(None, 0) is None and reporting.mean(10, 0) is None
    assert reporting.money(Decimal("3513.615")) == "3513.62"
    assert reporting.money(None) is None
    assert reporting.percentage(1, 3) == "33.3%"
    assert reporting.percentage(20, 48) == "41.7%"
    assert reporting.percentage(0, 0) == "N/A"
    assert reporting.percentage(0, 5) == "0.0%"


def test_suppression() -> None:
    report = {"a": 4, "b": 5, "c": 0, "d": {"e": 1, "f": [2, 7]}, "g": "3.50", "h": True, "period": {"n": 1}}
    assert reporting.suppress(report, 5, keep=frozenset({"period"})) == {
        "a": "<5",
        "b": 5,
        "c": 0,
        "d": {"e": "<5", "f": ["<5", 7]},
        "g": "3.50",
        "h": True,
        "period": {"n": 1},
    }


def test_suppression_hides_percentages_of_hidden_counts() -> None:
    data = {
        "a": {"n": 3, "percent": "60.0%"},
        "b": {"n": 7, "percent": "70.0%"},
        "upheld_or_partly": 2,
        "upheld_percent": "40.0%",
        "within_timescale": 9,
        "within_timescale_percent": "90.0%",
    }
    assert reporting.suppress(data, 5) == {
        "a": {"n": "<5", "percent": "<5"},
        "b": {"n": 7, "percent": "70.0%"},
        "upheld_or_partly": "<5",
        "upheld_percent": "<5",
        "within_timescale": 9,
        "within_timescale_percent": "90.0%",
    }


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@evil", "'@evil"),
        ("\tx", "'\tx"),
        ("-12.5", "-12.5"),
        ("+4", "+4"),
        (-3, "-3"),
        ("Communication", "Communication"),
        (None, ""),
        (True, "yes"),
    ],
)
def test_csv_cells_cannot_be_formulas(value, cell) -> None:  # type: ignore[no-untyped-def]
    assert reporting.csv_safe(value) == cell
