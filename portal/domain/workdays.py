"""Working-day calendar.

A working day is a weekday that is not a bank holiday of the chosen UK division and not an extra closure day
the council has added. The calendar only answers for dates inside the bank-holiday data's coverage: beyond it
holidays are unknown, so it raises rather than silently counting an unknown holiday as a working day.

`working_days_between(start, end)` counts the working days *after* `start` up to and including `end`
(so a reply on the day of receipt took 0 working days, and `add_working_days(d, n)` is the day on which
`working_days_between(d, ·)` first reaches n).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


class CalendarCoverageError(ValueError):
    """The date lies outside the years the bank-holiday data covers."""


@dataclass(frozen=True)
class WorkingDayCalendar:
    holidays: frozenset[date]
    covered_from: date
    covered_until: date
    closures: frozenset[date] = frozenset()
    _working: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.covered_until < self.covered_from:
            raise ValueError("covered_until is before covered_from")
        days = []
        d = self.covered_from
        one = timedelta(days=1)
        non_working = self.holidays | self.closures
        while d <= self.covered_until:
            if d.weekday() < 5 and d not in non_working:
                days.append(d)
            d += one
        object.__setattr__(self, "_working", tuple(days))

    @classmethod
    def from_holidays(
        cls,
        holidays: Iterable[date],
        *,
        closures: Iterable[date] = (),
        covered_from: date | None = None,
        covered_until: date | None = None,
    ) -> WorkingDayCalendar:
        """Coverage defaults to whole calendar years from the first to the last year with a holiday."""
        hols = frozenset(holidays)
        if not hols and (covered_from is None or covered_until is None):
            raise ValueError("no holiday data: give covered_from and covered_until")
        start = covered_from or date(min(hols).year, 1, 1)
        end = covered_until or date(max(hols).year, 12, 31)
        return cls(holidays=hols, closures=frozenset(closures), covered_from=start, covered_until=end)

    def with_closures(self, closures: Iterable[date]) -> WorkingDayCalendar:
        return WorkingDayCalendar(
            holidays=self.holidays,
            closures=frozenset(closures),
            covered_from=self.covered_from,
            covered_until=self.covered_until,
        )

    def _check(self, d: date) -> None:
        if d < self.covered_from or d > self.covered_until:
            raise CalendarCoverageError(
                f"{d.isoformat()} is outside the bank-holiday data "
                f"({self.covered_from.isoformat()} to {self.covered_until.isoformat()}); "
                "update govuk-bank-holidays or add the holidays for that year"
            )

    def _count_up_to(self, d: date) -> int:
        """Working days in coverage on or before d."""
        return bisect_right(self._working, d)

    def is_working_day(self, d: date) -> bool:
        self._check(d)
        return d.weekday() < 5 and d not in self.holidays and d not in self.closures

    def add_working_days(self, start: date, n: int) -> date:
        """The date n working days after start (n >= 0; 0 gives start itself)."""
        if n < 0:
            raise ValueError("n must not be negative")
        self._check(start)
        if n == 0:
            return start
        index = self._count_up_to(start) + n - 1
        if index >= len(self._working):
            raise CalendarCoverageError(
                f"{n} working days after {start.isoformat()} runs past the bank-holiday data "
                f"(covered until {self.covered_until.isoformat()})"
            )
        return self._working[index]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after start up to and including end; negative when end is before start."""
        self._check(start)
        self._check(end)
        return self._count_up_to(end) - self._count_up_to(start)

    def next_working_day_on_or_after(self, d: date) -> date:
        self._check(d)
        if self.is_working_day(d):
            return d
        return self.add_working_days(d, 1)
