"""The advocacy request state machine and its rules. Pure: plain values in, plain values out.

A request moves new → allocated (an advocate is named, with a date) → in contact (the advocate has spoken to
the young person) → active (the advocate is working with them) → closed (with an outcome). An advocate can be
changed at any open point without changing the state; any open request can be closed; a closed request can be
reopened (back to "allocated" if it has an advocate, otherwise "new").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.domain import DomainError
from portal.domain.enums import AdvocacyOutcome, AdvocacyStatus


class AdvocacyAction(StrEnum):
    ALLOCATE = "allocate"  # also used to change the advocate
    RECORD_CONTACT = "record_contact"
    START_WORK = "start_work"
    CLOSE = "close"
    REOPEN = "reopen"


ADVOCACY_STATUS_LABELS = {
    AdvocacyStatus.NEW: "New",
    AdvocacyStatus.ALLOCATED: "Allocated",
    AdvocacyStatus.IN_CONTACT: "In contact",
    AdvocacyStatus.ACTIVE: "Active",
    AdvocacyStatus.CLOSED: "Closed",
}

ADVOCACY_OUTCOME_LABELS = {
    AdvocacyOutcome.COMPLAINT_SUPPORTED: "Complaint supported",
    AdvocacyOutcome.MEETING_ATTENDED: "Meeting attended",
    AdvocacyOutcome.ISSUE_RESOLVED: "Issue resolved",
    AdvocacyOutcome.YOUNG_PERSON_WITHDREW: "Young person withdrew",
    AdvocacyOutcome.NOT_ELIGIBLE: "Not eligible",
    AdvocacyOutcome.OTHER: "Other",
}

ACTION_LABELS = {
    AdvocacyAction.ALLOCATE: "Allocate an advocate",
    AdvocacyAction.RECORD_CONTACT: "Record contact with the young person",
    AdvocacyAction.START_WORK: "Record that advocacy work has started",
    AdvocacyAction.CLOSE: "Close the request",
    AdvocacyAction.REOPEN: "Reopen the request",
}

OPEN_STATUSES = frozenset(
    {AdvocacyStatus.NEW, AdvocacyStatus.ALLOCATED, AdvocacyStatus.IN_CONTACT, AdvocacyStatus.ACTIVE}
)

# (from, action) -> to. REOPEN is resolved separately because its target depends on whether there is an advocate.
TRANSITIONS: dict[tuple[AdvocacyStatus, AdvocacyAction], AdvocacyStatus] = {
    (AdvocacyStatus.NEW, AdvocacyAction.ALLOCATE): AdvocacyStatus.ALLOCATED,
    (AdvocacyStatus.ALLOCATED, AdvocacyAction.ALLOCATE): AdvocacyStatus.ALLOCATED,
    (AdvocacyStatus.IN_CONTACT, AdvocacyAction.ALLOCATE): AdvocacyStatus.IN_CONTACT,
    (AdvocacyStatus.ACTIVE, AdvocacyAction.ALLOCATE): AdvocacyStatus.ACTIVE,
    (AdvocacyStatus.ALLOCATED, AdvocacyAction.RECORD_CONTACT): AdvocacyStatus.IN_CONTACT,
    (AdvocacyStatus.IN_CONTACT, AdvocacyAction.START_WORK): AdvocacyStatus.ACTIVE,
    (AdvocacyStatus.NEW, AdvocacyAction.CLOSE): AdvocacyStatus.CLOSED,
    (AdvocacyStatus.ALLOCATED, AdvocacyAction.CLOSE): AdvocacyStatus.CLOSED,
    (AdvocacyStatus.IN_CONTACT, AdvocacyAction.CLOSE): AdvocacyStatus.CLOSED,
    (AdvocacyStatus.ACTIVE, AdvocacyAction.CLOSE): AdvocacyStatus.CLOSED,
}

# Outcomes that only make sense once an advocate has been involved.
OUTCOMES_NEEDING_ADVOCATE = frozenset(
    {AdvocacyOutcome.COMPLAINT_SUPPORTED, AdvocacyOutcome.MEETING_ATTENDED, AdvocacyOutcome.ISSUE_RESOLVED}
)


def next_status(current: AdvocacyStatus, action: AdvocacyAction, *, has_advocate: bool) -> AdvocacyStatus:
    """The state after `action`, or DomainError when the action is not allowed from `current`."""
    if action == AdvocacyAction.REOPEN:
        if current != AdvocacyStatus.CLOSED:
            raise DomainError("Only a closed request can be reopened.")
        return AdvocacyStatus.ALLOCATED if has_advocate else AdvocacyStatus.NEW
    target = TRANSITIONS.get((current, action))
    if target is None:
        raise DomainError(
            f"You cannot {ACTION_LABELS[action][0].lower()}{ACTION_LABELS[action][1:]} "
            f"when the request is {ADVOCACY_STATUS_LABELS[current].lower()}."
        )
    return target


def allowed_actions(current: AdvocacyStatus, *, has_advocate: bool) -> list[AdvocacyAction]:
    """The actions a user can take now, in the order the page offers them."""
    actions = []
    for action in AdvocacyAction:
        try:
            next_status(current, action, has_advocate=has_advocate)
        except DomainError:
            continue
        actions.append(action)
    return actions


@dataclass(frozen=True)
class DatedStep:
    """A step's date checked against the request's history."""

    on: date
    received_on: date
    today: date
    earliest: date | None = None  # e.g. contact cannot be before allocation
    earliest_label: str = ""


def check_step_date(step: DatedStep, what: str) -> None:
    """Dates of steps cannot be in the future, before the request arrived, or before the step they follow."""
    if step.on > step.today:
        raise DomainError(f"The date {what} must be today or in the past.")
    if step.on < step.received_on:
        raise DomainError(f"The date {what} must be on or after the date the request was received.")
    if step.earliest is not None and step.on < step.earliest:
        raise DomainError(f"The date {what} must be on or after {step.earliest_label}.")


def check_outcome(outcome: AdvocacyOutcome | None, notes: str | None, *, had_advocate: bool) -> None:
    """An outcome is required to close; 'other' needs an explanation; some outcomes need an advocate."""
    if outcome is None:
        raise DomainError("Select the outcome of the request.")
    if outcome == AdvocacyOutcome.OTHER and not (notes or "").strip():
        raise DomainError("Explain the outcome when you select 'Other'.")
    if outcome in OUTCOMES_NEEDING_ADVOCATE and not had_advocate:
        raise DomainError(
            f"'{ADVOCACY_OUTCOME_LABELS[outcome]}' needs an advocate: allocate one first, or choose another outcome."
        )


def age_on(date_of_birth: date | None, today: date) -> int | None:
    """Whole years old on `today` (None when the date of birth is not known)."""
    if date_of_birth is None:
        return None
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


MAX_AGE = 25  # advocacy is for children and young people (care leavers up to 25)


def check_request(
    *,
    for_self: bool,
    young_person_agrees: str | None,
    young_person_age: int | None,
    needed_by: date | None,
    received_on: date,
    today: date,
) -> None:
    """An adult may only refer a young person who agrees to it; ages and dates must make sense."""
    if not for_self and young_person_agrees != "yes":
        raise DomainError(
            "An adult or professional can only ask for an advocate when the young person agrees. "
            "Ask the young person first, or record it as their own request."
        )
    if young_person_age is not None and not 0 <= young_person_age <= MAX_AGE:
        raise DomainError(f"Age must be between 0 and {MAX_AGE}.")
    if received_on > today:
        raise DomainError("The date the request was received must be today or in the past.")
    if needed_by is not None and needed_by < received_on:
        raise DomainError("The date help is needed by must be on or after the date the request was received.")


def check_advocate_independent(
    *,
    advocate_id: int,
    advocate_team_ids: frozenset[int] | set[int],
    complaint_team_id: int | None,
    complaint_staff_ids: frozenset[int] | set[int],
) -> None:
    """An advocate must be independent of the complaint they support: not someone handling or named in it, and
    not in the team it is about (the advocacy regulations bar the subject of the representations and their
    managers; DOMAIN.md 1.14)."""
    if advocate_id in complaint_staff_ids:
        raise DomainError("This advocate is involved in the complaint, so cannot support the young person with it.")
    if complaint_team_id is not None and complaint_team_id in advocate_team_ids:
        raise DomainError("This advocate works in the team the complaint is about, so is not independent of it.")


def next_due_on(
    status: AdvocacyStatus,
    *,
    allocate_due_on: date | None,
    allocated_on: date | None,
    contact_due_on: date | None,
    contacted_on: date | None,
) -> date | None:
    """The earliest target not yet met, for the submission's `next_due_on` (None once closed or all met)."""
    if status == AdvocacyStatus.CLOSED:
        return None
    outstanding = [
        due for due, done in ((allocate_due_on, allocated_on), (contact_due_on, contacted_on)) if due and not done
    ]
    return min(outstanding, default=None)
