"""Report rules that need no database: reporting periods, rounding, percentages, small-number suppression and
guarding CSV cells against spreadsheet formulas."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, overload

NOT_APPLICABLE = "N/A"


class PeriodError(ValueError):
    """A reporting period that cannot be used (plain-English message for the person who asked for it)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("The end date must be the same as or after the start date")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous_year(self) -> Period:
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), "Same period a year earlier")


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def financial_year_start(d: date) -> int:
    """The year in which the financial year containing d began (1 April to 31 March)."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year(year: int) -> Period:
    return Period(date(year, 4, 1), date(year + 1, 3, 31), f"Financial year {year}/{str(year + 1)[-2:]}")


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def quarter(year: int, q: int) -> Period:
    """Quarter q (1-4) of the financial year starting in April of `year` (Q1 = April to June)."""
    if q not in (1, 2, 3, 4):
        raise PeriodError("Select a quarter from 1 to 4")
    month = 4 + (q - 1) * 3
    y = year + (1 if month > 12 else 0)
    month = (month - 1) % 12 + 1
    return Period(date(y, month, 1), _month_end(y, month + 2), f"Quarter {q} {year}/{str(year + 1)[-2:]}")


def half_year(year: int, half: int) -> Period:
    if half == 1:
        return Period(date(year, 4, 1), date(year, 9, 30), f"April to September {year}")
    if half == 2:
        return Period(date(year, 10, 1), date(year + 1, 3, 31), f"October {year} to March {year + 1}")
    raise PeriodError("Select the first or second half of the year")


def month(year: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise PeriodError("Select a month")
    first = date(year, m, 1)
    return Period(first, _month_end(year, m), first.strftime("%B %Y"))


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("The end date must be the same as or after the start date")
    if (end - start).days > 366 * 5:
        raise PeriodError("The period must be 5 years or shorter")
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")


def quarters_ending(period_end: date, count: int = 5) -> list[Period]:
    """The financial quarter containing period_end and the count-1 before it, oldest first (seed 003)."""
    fy = financial_year_start(period_end)
    q = (period_end.month - 4) % 12 // 3 + 1
    out = []
    for _ in range(count):
        out.append(quarter(fy, q))
        q -= 1
        if q == 0:
            q, fy = 4, fy - 1
    return list(reversed(out))


def months_between(start: date, end: date) -> Iterator[str]:
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield f"{y:04d}-{m:02d}"
        m += 1
        if m == 13:
            y, m = y + 1, 1


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def mean(total: int | Decimal | None, count: int) -> Decimal | None:
    """Mean rounded half-up to one decimal place; None when there is nothing to average."""
    if not count or total is None:
        return None
    return round_half_up(Decimal(total) / Decimal(count), 1)


@overload
def money(value: Decimal | int | float | str) -> str: ...
@overload
def money(value: None) -> None: ...
@overload
def money(value: Decimal | int | float | str | None) -> str | None: ...
def money(value: Decimal | int | float | str | None) -> str | None:
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


_PERCENT_PLACES: ContextVar[int] = ContextVar("percent_places", default=1)


@contextmanager
def percent_places(places: int) -> Iterator[None]:
    """Round every percentage made inside the block to `places` decimal places (`--percent-dp 0`: whole numbers,
    as published reports do)."""
    if places not in (0, 1, 2):
        raise PeriodError("Percentages can be rounded to 0, 1 or 2 decimal places")
    token = _PERCENT_PLACES.set(places)
    try:
        yield
    finally:
        _PERCENT_PLACES.reset(token)


def percent_decimal_places() -> int:
    return _PERCENT_PLACES.get()


def percentage(numerator: int, denominator: int) -> str:
    """'41.7%' (half-up, 1 dp unless `percent_places` says otherwise), or 'N/A' when the denominator is 0 (never
    0%)."""
    if not denominator:
        return NOT_APPLICABLE
    return f"{round_half_up(Decimal(numerator) * 100 / Decimal(denominator), _PERCENT_PLACES.get())}%"


def suppress(value: Any, threshold: int, keep: frozenset[str] = frozenset()) -> Any:
    """Replace every count from 1 to threshold-1 with '<threshold' (for reports marked for publication).

    Zeros stay (they disclose nobody); strings (money, percentages, dates), decimals and None are left alone;
    keys in `keep` are not touched.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"<{threshold}" if 0 < value < threshold else value
    if isinstance(value, dict):
        out = {k: (v if k in keep else suppress(v, threshold, keep)) for k, v in value.items()}
        # A percentage beside a hidden count would give the count away: hide it too.
        for count_key, percent_key in PERCENT_OF:
            if isinstance(out.get(count_key), str) and out[count_key].startswith("<") and percent_key in out:
                out[percent_key] = f"<{threshold}"
        return out
    if isinstance(value, list):
        return [suppress(v, threshold, keep) for v in value]
    return value


PERCENT_OF = (
    ("n", "percent"),
    ("upheld_or_partly", "upheld_percent"),
    ("within_timescale", "within_timescale_percent"),
    ("met_when_due", "timeliness_percent"),
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: prefix risky text with an apostrophe).

    Plain numbers (including negatives) are left as numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        try:
            Decimal(text)
        except ArithmeticError:
            return "'" + text
        if text[0] in "-+" and text[1:2].isdigit():
            return text
        return "'" + text
    return text
