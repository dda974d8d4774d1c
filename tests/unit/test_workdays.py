"""The working-day calendar: worked examples around holidays, and invariants checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.workdays import CalendarCoverageError, WorkingDayCalendar


def _calendar(division: str) -> WorkingDayCalendar:
    holidays = BankHolidays(use_cached_holidays=True).get_holidays(division=division)
    return WorkingDayCalendar.from_holidays(h["date"] for h in holidays)


EW = _calendar(BankHolidays.ENGLAND_AND_WALES)
SCOT = _calendar(BankHolidays.SCOTLAND)
NI = _calendar(BankHolidays.NORTHERN_IRELAND)


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        # DOMAIN.md 4.3 worked examples
        (EW, date(2025, 4, 17), 10, date(2025, 5, 6)),  # Good Friday, Easter Monday, early May
        (EW, date(2025, 12, 22), 10, date(2026, 1, 8)),  # Christmas, Boxing Day, New Year
        (SCOT, date(2025, 12, 22), 10, date(2026, 1, 9)),  # Scotland also has 2 January
        # Christmas 2026: Boxing Day is a Saturday, so Monday 28 December is the substitute day
        (EW, date(2026, 12, 23), 1, date(2026, 12, 24)),
        (EW, date(2026, 12, 24), 1, date(2026, 12, 29)),
        # 2022: the Platinum Jubilee (Thu 2 and Fri 3 June) and the Queen's funeral (Mon 19 September)
        (EW, date(2022, 6, 1), 1, date(2022, 6, 6)),
        (EW, date(2022, 9, 16), 1, date(2022, 9, 20)),
        # 2023: the Coronation bank holiday (Mon 8 May) straight after the early May bank holiday (Mon 1 May)
        (EW, date(2023, 4, 28), 5, date(2023, 5, 9)),
        # Easter Monday is a working day in Scotland but not in England and Wales
        (EW, date(2024, 3, 28), 1, date(2024, 4, 2)),
        (SCOT, date(2024, 3, 28), 1, date(2024, 4, 1)),
        # Northern Ireland: St Patrick's Day (Monday 17 March 2025)
        (NI, date(2025, 3, 14), 1, date(2025, 3, 18)),
        (EW, date(2025, 3, 14), 1, date(2025, 3, 17)),
        (EW, date(2026, 11, 20), 0, date(2026, 11, 20)),
    ],
    ids=[
        "easter-2025",
        "christmas-2025-ew",
        "christmas-2025-scotland",
        "christmas-eve-2026",
        "boxing-day-substitute-2026",
        "platinum-jubilee-2022",
        "state-funeral-2022",
        "coronation-2023",
        "easter-monday-ew",
        "easter-monday-scotland",
        "st-patricks-day-ni",
        "st-patricks-day-not-ew",
        "zero-days",
    ],
)
def test_add_working_days_worked_examples(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2017, 2, 20), date(2017, 4, 18), 39),  # seed 001 Table 11, from TOR signed to closure
        (date(2018, 2, 16), date(2018, 3, 28), 28),
        (date(2026, 11, 20), date(2026, 11, 20), 0),
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday to Monday
        (date(2026, 11, 21), date(2026, 11, 23), 1),  # Saturday to Monday
    ],
)
def test_working_days_between_worked_examples(start, end, expected):
    assert EW.working_days_between(start, end) == expected


def test_is_working_day_knows_weekends_holidays_and_closures():
    calendar = EW.with_closures([date(2026, 12, 31)])
    assert calendar.is_working_day(date(2026, 12, 30))
    assert not calendar.is_working_day(date(2026, 12, 31))  # closure day
    assert not calendar.is_working_day(date(2026, 12, 28))  # substitute bank holiday
    assert not calendar.is_working_day(date(2026, 11, 22))  # Sunday
    assert calendar.add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 4)


def test_next_working_day_on_or_after():
    assert EW.next_working_day_on_or_after(date(2026, 11, 21)) == date(2026, 11, 23)
    assert EW.next_working_day_on_or_after(date(2026, 11, 23)) == date(2026, 11, 23)


def test_dates_past_coverage_raise_a_clear_error():
    last = EW.covered_until
    with pytest.raises(CalendarCoverageError, match="outside the bank-holiday data"):
        EW.is_working_day(last + timedelta(days=1))
    with pytest.raises(CalendarCoverageError, match="runs past the bank-holiday data"):
        EW.add_working_days(last - timedelta(days=3), 30)
    with pytest.raises(CalendarCoverageError):
        EW.working_days_between(date(2011, 12, 30), date(2012, 1, 5))


def test_coverage_is_whole_years_of_the_data():
    assert EW.covered_from == date(2012, 1, 1)
    assert EW.covered_until >= date(2028, 12, 31)


dates = st.dates(min_value=date(2012, 1, 1), max_value=date(2028, 6, 30))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=120))
def test_adding_then_counting_gives_back_n(start, n):
    end = EW.add_working_days(start, n)
    assert EW.working_days_between(start, end) == n


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=120))
def test_result_of_adding_is_a_working_day_and_the_first_one_reaching_n(start, n):
    end = EW.add_working_days(start, n)
    assert EW.is_working_day(end)
    assert end > start
    assert EW.working_days_between(start, end - timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(a=dates, b=dates, c=dates)
def test_counting_is_additive_and_antisymmetric(a, b, c):
    assert EW.working_days_between(a, b) + EW.working_days_between(b, c) == EW.working_days_between(a, c)
    assert EW.working_days_between(a, b) == -EW.working_days_between(b, a)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_adding_is_monotonic(start, n):
    assert EW.add_working_days(start, n) <= EW.add_working_days(start, n + 1)


@settings(max_examples=200, deadline=None)
@given(start=dates, end=dates)
def test_count_never_exceeds_calendar_days(start, end):
    if end >= start:
        assert 0 <= EW.working_days_between(start, end) <= (end - start).days


@settings(max_examples=100, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40), closure=dates)
def test_a_closure_day_never_makes_a_deadline_earlier(start, n, closure):
    with_closure = EW.with_closures([closure])
    assert with_closure.add_working_days(start, n) >= EW.add_working_days(start, n)
