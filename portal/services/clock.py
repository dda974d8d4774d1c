"""The one place the app reads the clock. Domain code never does: services pass `today` down.

Tests freeze time with time-machine, which these functions respect.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now_utc() -> datetime:
    return datetime.now(UTC)


def now_london() -> datetime:
    return now_utc().astimezone(LONDON)


def today_london() -> date:
    return now_london().date()
