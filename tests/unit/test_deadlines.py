"""Receipt dates and deadline status."""

from __future__ import annotations

from datetime import date, datetime, time

from govuk_bank_holidays.bank_holidays import BankHolidays

from portal.domain.deadlines import DeadlineState, deadline_status, effective_received_on
from portal.domain.workdays import WorkingDayCalendar

EW = WorkingDayCalendar.from_holidays(
    h["date"] for h in BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
)


def test_received_on_a_weekend_counts_from_the_next_working_day():
    assert effective_received_on(datetime(2026, 11, 21, 14, 0), EW) == date(2026, 11, 23)


def test_received_on_a_bank_holiday_counts_from_the_next_working_day():
    assert effective_received_on(datetime(2026, 12, 25, 9, 0), EW) == date(2026, 12, 29)


def test_cut_off_is_off_by_default_and_moves_late_submissions_when_set():
    evening = datetime(2026, 11, 20, 17, 1)  # a Friday
    assert effective_received_on(evening, EW) == date(2026, 11, 20)
    assert effective_received_on(evening, EW, cutoff=time(17, 0)) == date(2026, 11, 23)
    assert effective_received_on(datetime(2026, 11, 20, 16, 59), EW, cutoff=time(17, 0)) == date(2026, 11, 20)


def test_deadline_states():
    due = date(2026, 11, 27)
    assert deadline_status(date(2026, 11, 16), due, EW).state == DeadlineState.ON_TRACK
    assert deadline_status(date(2026, 11, 24), due, EW).state == DeadlineState.DUE_SOON
    assert deadline_status(due, due, EW).state == DeadlineState.DUE_TODAY
    overdue = deadline_status(date(2026, 12, 1), due, EW)
    assert overdue.state == DeadlineState.OVERDUE and overdue.working_days == 2
    assert overdue.description == "Overdue by 2 working days"
    assert deadline_status(date(2026, 12, 1), due, EW, done_on=due).state == DeadlineState.MET
    missed = deadline_status(date(2026, 12, 1), due, EW, done_on=date(2026, 11, 30))
    assert missed.state == DeadlineState.MISSED and missed.working_days == 1
