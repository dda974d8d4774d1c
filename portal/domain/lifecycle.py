"""The complaint lifecycle: stages of each procedure, the stage state machine, and due-date arithmetic.

Pure functions over plain values. Services load the facts (stage status, dates, the procedure's stored timescales
and the working-day calendar), ask these rules what is allowed and what the dates are, then store the result.

Stage statuses (portal.domain.enums.StageStatus):

    REQUESTED --accept--> OPEN --respond--> RESPONDED --close case--> CLOSED
        |  \\--decline--> DECLINED                |  \\--escalate--> CLOSED (+ next stage REQUESTED)
        \\--withdraw--> WITHDRAWN                  \\--withdraw--> WITHDRAWN

Reopening a case moves CLOSED back to RESPONDED, WITHDRAWN back to OPEN and DECLINED back to REQUESTED.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from portal.domain import DomainError
from portal.domain.deadlines import Calendar
from portal.domain.enums import STAGE_LABELS, Finding, Procedure, StageName, StageStatus, SubmissionStatus

STAGES: dict[Procedure, tuple[StageName, ...]] = {
    Procedure.ENGLAND_STATUTORY: (StageName.STAGE1, StageName.STAGE2, StageName.STAGE3),
    Procedure.LGSCO_CORPORATE: (StageName.CORPORATE1, StageName.CORPORATE2),
    Procedure.SCOTLAND_MCHP: (StageName.FRONTLINE, StageName.INVESTIGATION),
}

# How a stage's response clock starts when the procedure's '<stage>.clock_from' setting is not stored.
# The Ombudsman's Complaint Handling Code counts both corporate stages from acknowledgement.
DEFAULT_CLOCK_FROM: dict[StageName, str] = {
    StageName.CORPORATE1: "acknowledged",
    StageName.CORPORATE2: "acknowledged",
}
CLOCK_FROM_CHOICES = ("request", "statement_agreed", "acknowledged")

REFUSAL_WARNING = (
    "The Local Government and Social Care Ombudsman regards refusing to take a complaint to the next stage as "
    "fault. Only refuse for a reason the procedure allows, with a complaints manager's sign-off, and tell the "
    "complainant they can go to the Ombudsman."
)
LGSCO_SIGNPOST = (
    "If you are unhappy with this decision you can ask the Local Government and Social Care Ombudsman to look at "
    "your complaint. The Ombudsman is free, independent and impartial. Website: www.lgo.org.uk. "
    "Telephone: 0300 061 0614. Post: PO Box 4771, Coventry CV4 0EH."
)
SPSO_SIGNPOST = (
    "If you are unhappy with this decision you can ask the Scottish Public Services Ombudsman to look at your "
    "complaint. Website: www.spso.org.uk. Freephone: 0800 377 7330."
)

FINANCIAL_REMEDY_KINDS = ("financial_remedy", "time_and_trouble", "reimbursement")
REMEDY_KINDS: dict[str, str] = {
    "financial_remedy": "Financial remedy",
    "time_and_trouble": "Time and trouble payment",
    "reimbursement": "Reimbursement of costs",
    "apology": "Apology",
    "service_provided": "Service provided",
    "decision_reviewed": "Decision reviewed",
    "record_corrected": "Record corrected",
    "policy_change": "Policy or practice change",
    "other": "Other",
}
ADR_KINDS: dict[str, str] = {
    "mediation": "Mediation",
    "facilitated_meeting": "Facilitated meeting",
    "meeting_with_manager": "Meeting with a manager or Head of Service",
    "other": "Other",
}


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    EXTEND = "extend"
    RECORD_RESPONSE = "record_response"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    REQUEST_ESCALATION = "request_escalation"
    ACCEPT_ESCALATION = "accept_escalation"
    DECLINE_ESCALATION = "decline_escalation"


ACTION_LABELS = {
    Action.ACKNOWLEDGE: "Record acknowledgement",
    Action.EXTEND: "Extend the deadline",
    Action.RECORD_RESPONSE: "Record the response",
    Action.CLOSE: "Close the complaint",
    Action.REOPEN: "Reopen the complaint",
    Action.WITHDRAW: "Record a withdrawal",
    Action.REQUEST_ESCALATION: "Record a request for the next stage",
    Action.ACCEPT_ESCALATION: "Accept the request",
    Action.DECLINE_ESCALATION: "Refuse the request",
}

# Stage status -> action -> stage status afterwards. Anything not listed is refused.
STAGE_TRANSITIONS: dict[StageStatus, dict[Action, StageStatus]] = {
    StageStatus.REQUESTED: {
        Action.ACKNOWLEDGE: StageStatus.REQUESTED,
        Action.ACCEPT_ESCALATION: StageStatus.OPEN,
        Action.DECLINE_ESCALATION: StageStatus.DECLINED,
        Action.WITHDRAW: StageStatus.WITHDRAWN,
    },
    StageStatus.OPEN: {
        Action.ACKNOWLEDGE: StageStatus.OPEN,
        Action.EXTEND: StageStatus.OPEN,
        Action.RECORD_RESPONSE: StageStatus.RESPONDED,
        Action.WITHDRAW: StageStatus.WITHDRAWN,
        Action.REQUEST_ESCALATION: StageStatus.CLOSED,
    },
    StageStatus.RESPONDED: {
        Action.CLOSE: StageStatus.CLOSED,
        Action.REQUEST_ESCALATION: StageStatus.CLOSED,
        Action.WITHDRAW: StageStatus.WITHDRAWN,
    },
    StageStatus.DECLINED: {
        Action.CLOSE: StageStatus.DECLINED,
        Action.REOPEN: StageStatus.REQUESTED,
    },
    StageStatus.CLOSED: {
        Action.REOPEN: StageStatus.RESPONDED,
        Action.REQUEST_ESCALATION: StageStatus.CLOSED,
    },
    StageStatus.WITHDRAWN: {
        Action.REOPEN: StageStatus.OPEN,
    },
}

# Which case statuses each action needs.
CASE_STATUSES_FOR: dict[Action, frozenset[SubmissionStatus]] = {
    Action.ACKNOWLEDGE: frozenset({SubmissionStatus.OPEN}),
    Action.EXTEND: frozenset({SubmissionStatus.OPEN}),
    Action.RECORD_RESPONSE: frozenset({SubmissionStatus.OPEN}),
    Action.CLOSE: frozenset({SubmissionStatus.OPEN}),
    Action.REOPEN: frozenset({SubmissionStatus.CLOSED, SubmissionStatus.WITHDRAWN}),
    Action.WITHDRAW: frozenset({SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION, SubmissionStatus.OPEN}),
    Action.REQUEST_ESCALATION: frozenset({SubmissionStatus.OPEN, SubmissionStatus.CLOSED}),
    Action.ACCEPT_ESCALATION: frozenset({SubmissionStatus.OPEN}),
    Action.DECLINE_ESCALATION: frozenset({SubmissionStatus.OPEN}),
}


def first_stage(procedure: Procedure) -> StageName:
    try:
        return STAGES[procedure][0]
    except KeyError:
        raise DomainError(f"{procedure.value} is not a complaints procedure") from None


def next_stage(procedure: Procedure, stage: StageName) -> StageName | None:
    stages = STAGES.get(procedure, ())
    if stage not in stages:
        raise DomainError(f"{STAGE_LABELS[stage]} is not part of this procedure")
    index = stages.index(stage)
    return stages[index + 1] if index + 1 < len(stages) else None


def stage_label(stage: StageName | str) -> str:
    return STAGE_LABELS[StageName(stage)]


def is_first_stage(stage: StageName) -> bool:
    return any(stages[0] == stage for stages in STAGES.values())


def allowed_findings(procedure: Procedure) -> tuple[Finding, ...]:
    """Scotland's procedure also has 'resolved'; England's procedures do not."""
    base = (Finding.UPHELD, Finding.PARTIALLY_UPHELD, Finding.NOT_UPHELD)
    return (*base, Finding.RESOLVED) if procedure == Procedure.SCOTLAND_MCHP else base


def prompts_learning(finding: Finding | str | None) -> bool:
    return finding in (Finding.UPHELD, Finding.PARTIALLY_UPHELD, Finding.UPHELD.value, Finding.PARTIALLY_UPHELD.value)


# --- Timescale keys -----------------------------------------------------------------------------------------------


def _key(stage: StageName, name: str) -> str:
    return f"{stage.value}.{name}"


def acknowledge_key(stage: StageName) -> str:
    return "acknowledge" if is_first_stage(stage) else _key(stage, "acknowledge")


def request_window_key(stage: StageName) -> str:
    """The window to ask for `stage` after the previous stage's response."""
    return _key(stage, "request_window")


def _days(timescales: Mapping[str, int | str | None], key: str, *, required: bool = True) -> int | None:
    value = timescales.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if required:
        raise DomainError(f"The procedure has no timescale '{key}'. Ask a complaints manager to set it.")
    return None


def clock_from(stage: StageName, timescales: Mapping[str, int | str | None]) -> str:
    value = timescales.get(_key(stage, "clock_from"))
    if isinstance(value, str) and value in CLOCK_FROM_CHOICES:
        return value
    return DEFAULT_CLOCK_FROM.get(stage, "request")


# --- Due dates ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFacts:
    """What the clock depends on, for one stage."""

    stage: StageName
    requested_on: date  # day 0: receipt for a first stage, the request for later stages
    acknowledged_on: date | None = None
    statement_agreed_on: date | None = None
    panel_on: date | None = None
    findings_on: date | None = None


@dataclass(frozen=True)
class StageDates:
    started_on: date  # the day the response clock runs from
    acknowledge_due_on: date | None
    due_on: date  # the response due date without an extension
    max_due_on: date | None  # the latest date an extension may give (None: no extension allowed)
    panel_due_on: date | None = None
    findings_due_on: date | None = None
    final_response_due_on: date | None = None


def compute_stage_dates(
    facts: StageFacts, timescales: Mapping[str, int | str | None], calendar: Calendar
) -> StageDates:
    """Every due date of a stage from the stored timescales and the working-day calendar."""
    stage = facts.stage
    ack_days = _days(timescales, acknowledge_key(stage), required=False)
    ack_due = calendar.add_working_days(facts.requested_on, ack_days) if ack_days is not None else None
    if stage == StageName.STAGE3:
        panel_due = calendar.add_working_days(facts.requested_on, _days(timescales, "stage3.panel"))  # type: ignore[arg-type]
        findings_due = calendar.add_working_days(facts.panel_on or panel_due, _days(timescales, "stage3.findings"))  # type: ignore[arg-type]
        final_due = calendar.add_working_days(
            facts.findings_on or findings_due,
            _days(timescales, "stage3.final_response"),  # type: ignore[arg-type]
        )
        return StageDates(
            started_on=facts.requested_on,
            acknowledge_due_on=ack_due,
            due_on=final_due,
            max_due_on=None,
            panel_due_on=panel_due,
            findings_due_on=findings_due,
            final_response_due_on=final_due,
        )
    source = clock_from(stage, timescales)
    started = facts.requested_on
    if source == "statement_agreed" and facts.statement_agreed_on is not None:
        started = facts.statement_agreed_on
    elif source == "acknowledged":
        # Until it is acknowledged, assume acknowledgement on its due date (the latest it may happen).
        started = facts.acknowledged_on or ack_due or facts.requested_on
    response_days = _days(timescales, _key(stage, "response"))
    max_days = _days(timescales, _key(stage, "max"), required=False)
    due = calendar.add_working_days(started, response_days)  # type: ignore[arg-type]
    max_due = calendar.add_working_days(started, max_days) if max_days is not None else None
    return StageDates(started_on=started, acknowledge_due_on=ack_due, due_on=due, max_due_on=max_due)


def working_days_taken(started_on: date, responded_on: date, calendar: Calendar) -> int:
    return max(0, calendar.working_days_between(started_on, responded_on))


# --- Transitions --------------------------------------------------------------------------------------------------


def next_status(status: StageStatus | str, action: Action) -> StageStatus:
    """The stage status after `action`, or DomainError if the action is not allowed from `status`."""
    current = StageStatus(status)
    try:
        return STAGE_TRANSITIONS[current][action]
    except KeyError:
        raise DomainError(f"You cannot {ACTION_LABELS[action].lower()} when the stage is {current.value}.") from None


def check_case_status(case_status: SubmissionStatus | str, action: Action) -> None:
    status = SubmissionStatus(case_status)
    if status not in CASE_STATUSES_FOR[action]:
        raise DomainError(f"You cannot {ACTION_LABELS[action].lower()} when the complaint is {status.value}.")


def transition_allowed(
    case_status: SubmissionStatus | str, stage_status: StageStatus | str | None, action: Action
) -> bool:
    try:
        check_case_status(case_status, action)
        if stage_status is None:
            return action == Action.WITHDRAW
        next_status(stage_status, action)
    except DomainError:
        return False
    return True


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DomainError(message)


def check_not_future(on: date, today: date, what: str) -> None:
    _require(on <= today, f"{what} must be today or in the past")


def check_acknowledgement(*, acknowledged_on: date, requested_on: date, already: date | None, today: date) -> None:
    _require(already is None, "The stage has already been acknowledged")
    check_not_future(acknowledged_on, today, "The date of acknowledgement")
    _require(acknowledged_on >= requested_on, "The date of acknowledgement must be on or after the date received")


def check_extension(
    *,
    new_due_on: date,
    current_due_on: date,
    max_due_on: date | None,
    reason: str,
    authorised_by: str,
) -> None:
    _require(max_due_on is not None, "This stage's timescale cannot be extended")
    _require(bool(reason.strip()), "Enter the reason for the extension")
    _require(bool(authorised_by.strip()), "Enter who authorised the extension")
    _require(new_due_on > current_due_on, "The new due date must be after the current due date")
    assert max_due_on is not None
    _require(
        new_due_on <= max_due_on,
        f"The new due date must be on or before {max_due_on.day} {max_due_on:%B %Y}, the latest the procedure allows",
    )


@dataclass(frozen=True)
class ResponseFacts:
    procedure: Procedure
    stage: StageName
    started_on: date
    responded_on: date
    finding: Finding | str
    point_findings: tuple[Finding | str | None, ...] = ()
    investigating_officer: str | None = None
    independent_person: str | None = None
    panel_on: date | None = None
    findings_on: date | None = None


def check_response(facts: ResponseFacts, today: date) -> None:
    """Rules for recording a stage's response."""
    check_not_future(facts.responded_on, today, "The date of the response")
    _require(facts.responded_on >= facts.started_on, "The date of the response must be on or after the stage started")
    allowed = allowed_findings(facts.procedure)
    _require(facts.finding in allowed, "Select the overall finding")
    _require(
        all(f is not None for f in facts.point_findings),
        "Give a finding for every complaint point before recording the response",
    )
    _require(
        all(f in allowed for f in facts.point_findings), "A complaint point has a finding this procedure does not use"
    )
    if facts.procedure == Procedure.ENGLAND_STATUTORY and facts.stage == StageName.STAGE2:
        _require(
            bool(facts.investigating_officer and facts.independent_person),
            "Record the Investigating Officer and the Independent Person before the Stage 2 response",
        )
    if facts.stage == StageName.STAGE3:
        _require(facts.panel_on is not None, "Record the date the review panel met before the final response")
        _require(facts.findings_on is not None, "Record the date of the panel's findings before the final response")


def overall_from_points(point_findings: tuple[Finding | str, ...]) -> Finding | None:
    """A suggestion for the overall finding from the points' findings."""
    values = {Finding(f) for f in point_findings}
    if not values:
        return None
    if values == {Finding.UPHELD}:
        return Finding.UPHELD
    if values == {Finding.NOT_UPHELD}:
        return Finding.NOT_UPHELD
    if values == {Finding.RESOLVED}:
        return Finding.RESOLVED
    return Finding.PARTIALLY_UPHELD


def check_close(*, open_learning_actions: int, override_reason: str | None, override_by_manager: bool) -> None:
    if open_learning_actions:
        _require(
            bool(override_reason and override_reason.strip()),
            f"{open_learning_actions} promised learning action{'s are' if open_learning_actions != 1 else ' is'} "
            "still open. Complete them, or a complaints manager can close the complaint with a reason",
        )
        _require(override_by_manager, "Only a complaints manager can close a complaint while learning actions are open")


def check_decline(*, reason: str, signed_off_by_manager: bool) -> None:
    _require(bool(reason.strip()), "Enter the reason for refusing the request")
    _require(signed_off_by_manager, "A complaints manager must sign off the refusal")


def check_withdraw(*, on: date, reason: str, received_on: date, today: date) -> None:
    _require(bool(reason.strip()), "Enter the reason for the withdrawal")
    check_not_future(on, today, "The date of withdrawal")
    _require(on >= received_on, "The date of withdrawal must be on or after the date the complaint was received")


def check_panel_member(name: str, *, stage2_independent_person: str | None, existing: tuple[str, ...]) -> None:
    """Regulation 19: the Stage 2 Independent Person cannot sit on the review panel."""
    clean = " ".join(name.split()).casefold()
    _require(bool(clean), "Enter the panel member's name")
    if stage2_independent_person:
        _require(
            clean != " ".join(stage2_independent_person.split()).casefold(),
            "The Stage 2 Independent Person cannot sit on the review panel",
        )
    _require(clean not in {" ".join(e.split()).casefold() for e in existing}, "This person is already on the panel")
    _require(len(existing) < 3, "A review panel has three members")


def check_panel_dates(*, requested_on: date, panel_on: date | None, findings_on: date | None, today: date) -> None:
    if panel_on is not None:
        check_not_future(panel_on, today, "The date of the panel")
        _require(panel_on >= requested_on, "The panel date must be on or after the Stage 3 request")
    if findings_on is not None:
        _require(panel_on is not None, "Enter the panel date before the findings date")
        check_not_future(findings_on, today, "The date of the findings")
        assert panel_on is not None
        _require(findings_on >= panel_on, "The findings date must be on or after the panel date")


def check_remedy(kind: str, amount: Decimal | None) -> None:
    _require(kind in REMEDY_KINDS, "Select the kind of remedy")
    if kind in FINANCIAL_REMEDY_KINDS:
        _require(amount is not None and amount > 0, "Enter the amount of the payment")
    if amount is not None:
        _require(amount >= 0, "The amount must be £0 or more")


def outcome_needs_amount(label: str) -> bool:
    """An actual outcome that is a payment ('Financial remedy', 'Time and trouble payment') needs a remedy record
    with its amount."""
    text = label.casefold()
    return "financial" in text or "payment" in text


def check_cost(amount: Decimal, hours: Decimal | None) -> None:
    _require(amount >= 0, "The amount must be £0 or more")
    _require(hours is None or hours >= 0, "Hours must be 0 or more")


def check_adr(*, stage: StageName, stage_status: StageStatus | str, held_on: date, today: date) -> None:
    """ADR runs beside a first stage or while the next stage is requested, never instead of escalation."""
    check_not_future(held_on, today, "The date of the session")
    before_second = StageStatus(stage_status) == StageStatus.REQUESTED
    _require(
        is_first_stage(stage) or before_second,
        "Alternative dispute resolution is recorded beside the first stage or before the next stage starts",
    )


# --- Escalation ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationFacts:
    procedure: Procedure
    case_status: SubmissionStatus
    stage: StageName
    stage_status: StageStatus
    responded_on: date | None
    due_on: date | None
    last_adr_on: date | None = None


def escalation_window_end(
    facts: EscalationFacts, timescales: Mapping[str, int | str | None], calendar: Calendar
) -> date | None:
    """The last day the complainant may ask for the next stage, or None when there is no next stage or no response.

    Alternative dispute resolution after the response does not take away the right to escalate: the window runs
    from the later of the response and the last ADR session.
    """
    following = next_stage(facts.procedure, facts.stage)
    if following is None or facts.responded_on is None:
        return None
    window = _days(timescales, request_window_key(following), required=False)
    if window is None:
        return None
    start = max(facts.responded_on, facts.last_adr_on or facts.responded_on)
    return calendar.add_working_days(start, window)


def check_escalation(
    facts: EscalationFacts,
    *,
    requested_on: date,
    source: str,
    timescales: Mapping[str, int | str | None],
    calendar: Calendar,
) -> StageName:
    """Who may ask for the next stage, and when. Returns the stage asked for."""
    _require(source in ("public", "staff"), "Unknown source of the request")
    following = next_stage(facts.procedure, facts.stage)
    _require(following is not None, f"{stage_label(facts.stage)} is the last stage of this procedure")
    assert following is not None
    check_case_status(facts.case_status, Action.REQUEST_ESCALATION)
    next_status(facts.stage_status, Action.REQUEST_ESCALATION)
    if facts.stage_status == StageStatus.OPEN:
        # Before a response: only staff, and only where the procedure allows going straight on (Scotland's
        # complex frontline complaints) or the response is late.
        late = facts.due_on is not None and requested_on > facts.due_on
        _require(
            source == "staff" and (facts.stage == StageName.FRONTLINE or late),
            f"The {stage_label(facts.stage)} response has not been sent yet",
        )
        return following
    _require(facts.responded_on is not None, f"The {stage_label(facts.stage)} response has not been recorded")
    assert facts.responded_on is not None
    _require(requested_on >= facts.responded_on, "The request must be on or after the date of the response")
    if source == "public":
        end = escalation_window_end(facts, timescales, calendar)
        _require(
            end is not None and requested_on <= end,
            "The time to ask for the next stage online has passed. Contact the complaints team: they can still "
            "consider your request",
        )
    return following


# --- timescale settings ---------------------------------------------------------------------------------------------


def check_timescale_value(key: str, working_days: int | None, text_value: str | None) -> None:
    """A council's edit to one timescale."""
    if key.endswith(".clock_from"):
        _require(text_value in CLOCK_FROM_CHOICES, "Select when the clock starts")
        return
    _require(working_days is not None, "Enter a number of working days")
    assert working_days is not None
    _require(0 < working_days <= 260, "Enter a number of working days between 1 and 260")


def check_timescales(values: Mapping[str, int | str | None]) -> None:
    """The numbers of a procedure must hang together: an extension maximum is never below the normal timescale."""
    for key, value in values.items():
        if key.endswith(".max") and isinstance(value, int):
            normal = values.get(key[: -len(".max")] + ".response")
            if isinstance(normal, int):
                _require(
                    value >= normal,
                    f"The latest date with an extension ({value} working days) cannot be before the normal "
                    f"timescale ({normal} working days)",
                )
