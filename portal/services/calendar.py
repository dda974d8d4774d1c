"""Build the working-day calendar from govuk-bank-holidays' bundled data and the council's closure days.

The bank-holiday data is the JSON that ships inside the package (never fetched at run time). An optional
``instance/extra-bank-holidays.json`` in the same format as GOV.UK's file extends coverage for later years.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from govuk_bank_holidays.bank_holidays import BankHolidays

from portal.config import INSTANCE
from portal.domain.enums import Procedure
from portal.domain.workdays import WorkingDayCalendar
from portal.extensions import db
from portal.models import ClosureDay, ProcedureProfile

DIVISIONS = {
    "england-and-wales": BankHolidays.ENGLAND_AND_WALES,
    "scotland": BankHolidays.SCOTLAND,
    "northern-ireland": BankHolidays.NORTHERN_IRELAND,
}


def _extra_holidays(division: str, path: Path) -> list[date]:
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    return [date.fromisoformat(event["date"]) for event in data.get(division, {}).get("events", [])]


@lru_cache(maxsize=8)
def bank_holiday_calendar(division: str, extra_path: str | None = None) -> WorkingDayCalendar:
    """The calendar of one division with no closure days (cached for the life of the process)."""
    holidays = BankHolidays(use_cached_holidays=True)
    dates = [h["date"] for h in holidays.get_holidays(division=DIVISIONS[division])]
    if extra_path:
        dates += _extra_holidays(division, Path(extra_path))
    return WorkingDayCalendar.from_holidays(dates)


def _division() -> str:
    return current_app.config["BANK_HOLIDAY_DIVISION"]


def _closure_days() -> tuple[date, ...]:
    return tuple(db.session.scalars(sa.select(ClosureDay.day).order_by(ClosureDay.day)))


@lru_cache(maxsize=32)
def _with_closures(division: str, extra_path: str | None, closures: tuple[date, ...]) -> WorkingDayCalendar:
    return bank_holiday_calendar(division, extra_path).with_closures(closures)


def _extra_path() -> str | None:
    path = INSTANCE / "extra-bank-holidays.json"
    return str(path) if path.exists() else None


def honours_closures(procedure: Procedure | None) -> bool:
    if procedure is None:
        return False
    value = db.session.scalar(
        sa.select(ProcedureProfile.honours_closure_days).where(ProcedureProfile.code == procedure)
    )
    return bool(value)


def calendar_for(procedure: Procedure | None = None) -> WorkingDayCalendar:
    """The calendar a procedure counts in: bank holidays, plus closure days if the procedure honours them."""
    closures = _closure_days() if honours_closures(procedure) else ()
    return _with_closures(_division(), _extra_path(), closures)


def calendar_version(calendar: WorkingDayCalendar) -> str:
    """A short fingerprint of the data behind a due date, stored beside it so reports can be reproduced."""
    digest = hashlib.sha256()
    for d in sorted(calendar.holidays | calendar.closures):
        digest.update(d.isoformat().encode())
    digest.update(calendar.covered_until.isoformat().encode())
    return digest.hexdigest()[:16]
