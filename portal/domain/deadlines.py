"""Receipt dates, due dates and deadline status: plain functions of dates, a calendar and the procedure's numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Protocol


class Calendar(Protocol):
    def is_working_day(self, d: date) -> bool: ...
    def add_working_days(self, start: date, n: int) -> date: ...
    def working_days_between(self, start: date, end: date) -> int: ...
    def next_working_day_on_or_after(self, d: date) -> date: ...


def effective_received_on(local_received: datetime, calendar: Calendar, cutoff: time | None = None) -> date:
    """Day 0 of the clock for something received at a local (Europe/London) time.

    Received on a non-working day counts as received on the next working day. When the council sets a
    cut-off time, anything received after it counts as received on the next working day.
    """
    day = local_received.date()
    if cutoff is not None and local_received.time() > cutoff and calendar.is_working_day(day):
        return calendar.add_working_days(day, 1)
    return calendar.next_working_day_on_or_after(day)


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"


DEADLINE_LABELS = {
    DeadlineState.ON_TRACK: "On track",
    DeadlineState.DUE_SOON: "Due soon",
    DeadlineState.DUE_TODAY: "Due today",
    DeadlineState.OVERDUE: "Overdue",
    DeadlineState.MET: "Met",
    DeadlineState.MISSED: "Missed",
}


@dataclass(frozen=True)
class DeadlineStatus:
    state: DeadlineState
    due_on: date
    working_days: int  # working days left (open) or late (overdue/missed)

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self.state]

    @property
    def description(self) -> str:
        days = "working day" if abs(self.working_days) == 1 else "working days"
        match self.state:
            case DeadlineState.OVERDUE:
                return f"Overdue by {self.working_days} {days}"
            case DeadlineState.MISSED:
                return f"Missed by {self.working_days} {days}"
            case DeadlineState.DUE_TODAY:
                return "Due today"
            case DeadlineState.MET:
                return "Met"
            case _:
                return f"{self.working_days} {days} left"


def deadline_status(
    today: date, due_on: date, calendar: Calendar, done_on: date | None = None, due_soon_within: int = 3
) -> DeadlineStatus:
    """How a deadline stands: met/missed once done, otherwise on track, due soon, due today or overdue."""
    if done_on is not None:
        if done_on <= due_on:
            return DeadlineStatus(DeadlineState.MET, due_on, 0)
        return DeadlineStatus(DeadlineState.MISSED, due_on, calendar.working_days_between(due_on, done_on))
    if today == due_on:
        return DeadlineStatus(DeadlineState.DUE_TODAY, due_on, 0)
    if today > due_on:
        return DeadlineStatus(DeadlineState.OVERDUE, due_on, max(1, calendar.working_days_between(due_on, today)))
    left = calendar.working_days_between(today, due_on)
    state = DeadlineState.DUE_SOON if left <= due_soon_within else DeadlineState.ON_TRACK
    return DeadlineStatus(state, due_on, left)
