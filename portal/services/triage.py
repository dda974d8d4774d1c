"""Triage: the inbox of new submissions (safety flags first), the same-day safety decision, classification with
assignment and categories, conversion of a contact that came in on the wrong form, and contacts taken by hand."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from portal.domain import DomainError
from portal.domain.access import Action, can
from portal.domain.enums import (
    Audience,
    CategoryKind,
    Channel,
    Classification,
    MessageChannel,
    Procedure,
    SubmissionKind,
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import Category, ServiceArea, StaffUser, Submission, Team
from portal.services import advocacy, audit, compliments, lifecycle
from portal.services.clock import now_utc
from portal.services.outbox import queue_message
from portal.services.submissions import NewSubmission, create_submission
from portal.services.uow import transactional

log = logging.getLogger(__name__)

TRIAGE_FIELDS = (
    "classification",
    "status",
    "channel",
    "service_area_id",
    "team_id",
    "responding_manager_id",
    "assigned_officer_id",
    "refusal_reason_id",
    "information_requested_on",
    "procedure",
    "current_stage",
    "acknowledge_due_on",
    "next_due_on",
    "closed_on",
)
INBOX_STATUSES = (SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION)


def signpost(procedure: Procedure) -> str:
    return lifecycle.signpost_text(procedure)


def configured_procedure(classification: Classification) -> Procedure:
    """Which procedure a classification starts, from the PROCEDURE setting (england or scotland)."""
    if current_app.config.get("PROCEDURE") == "scotland":
        return Procedure.SCOTLAND_MCHP
    if classification == Classification.CORPORATE:
        return Procedure.LGSCO_CORPORATE
    return Procedure.ENGLAND_STATUTORY


# Inbox ----------------------------------------------------------------------------------------------------------


def needs_safety_decision(submission: Submission) -> bool:
    return (submission.safeguarding_flag or submission.feels_unsafe) and submission.safeguarding_decided_at is None


def inbox(limit: int = 200) -> list[Submission]:
    """New complaints, most urgent first: undecided safety flags, then other flagged items, then oldest first.
    A flagged compliment or advocacy request with no safety decision yet is listed too: the flag needs a decision
    on the day, whatever form it came in on."""
    flagged = sa.or_(Submission.safeguarding_flag.is_(True), Submission.feels_unsafe.is_(True))
    undecided = sa.and_(flagged, Submission.safeguarding_decided_at.is_(None))
    urgency = sa.case((undecided, 0), (flagged, 1), else_=2)
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(
                sa.or_(
                    sa.and_(Submission.kind == SubmissionKind.COMPLAINT, Submission.status.in_(INBOX_STATUSES)),
                    undecided,
                )
            )
            .options(joinedload(Submission.person), joinedload(Submission.child))
            .order_by(urgency, Submission.received_at, Submission.id)
            .limit(limit)
        )
    )


@transactional
def record_safety_decision(submission: Submission, *, decision: str, actor: StaffUser) -> None:
    """Who decided what, when, about a safety flag. Every flagged item needs one on the day it arrives."""
    decision = (decision or "").strip()
    if not decision:
        raise DomainError("Enter what you decided and what you did")
    before = audit.snapshot(submission, ("safeguarding_decision", "safeguarding_decided_at"))
    submission.safeguarding_decision = decision
    submission.safeguarding_decided_at = now_utc()
    submission.safeguarding_decided_by_id = actor.id
    audit.record(
        "submission.safety_decision",
        "submission",
        submission.id,
        actor_id=actor.id,
        submission_id=submission.id,
        before=before,
        after={
            "safeguarding_decision": decision,
            "safeguarding_decided_at": submission.safeguarding_decided_at,
            "decided_by": actor.full_name,
        },
    )


# Classification -------------------------------------------------------------------------------------------------


@dataclass
class TriageDecision:
    classification: Classification
    channel: Channel | None = None
    service_area_id: int | None = None
    team_id: int | None = None
    responding_manager_id: int | None = None
    assigned_officer_id: int | None = None
    theme_ids: list[int] = field(default_factory=list)
    outcome_ids: list[int] = field(default_factory=list)
    refusal_reason_id: int | None = None
    refusal_letter: str | None = None
    information_request: str | None = None
    withdrawn_reason: str | None = None
    formal_option_explained: bool | None = None


def _categories(kind: CategoryKind, ids: list[int]) -> list[Category]:
    if not ids:
        return []
    found = list(db.session.scalars(sa.select(Category).where(Category.kind == kind, Category.id.in_(ids))))
    if len(found) != len(set(ids)):
        raise DomainError("Select options from the lists shown")
    return found


def _check_assignment(decision: TriageDecision) -> None:
    if decision.team_id is not None:
        team = db.session.get(Team, decision.team_id)
        if team is None:
            raise DomainError("Select a team from the list")
        if decision.service_area_id is None:
            decision.service_area_id = team.service_area_id
    if decision.service_area_id is not None and db.session.get(ServiceArea, decision.service_area_id) is None:
        raise DomainError("Select a service area from the list")
    for user_id, action, message in (
        (decision.responding_manager_id, Action.ACT_AS_RESPONDING_MANAGER, "responding manager"),
        (decision.assigned_officer_id, Action.ACT_AS_CASE_OFFICER, "complaints officer"),
    ):
        if user_id is not None:
            user = db.session.get(StaffUser, user_id)
            if user is None or not user.active or not can(user.role, action):
                raise DomainError(f"Select a {message} from the list")


def _contact_email(submission: Submission) -> str | None:
    return submission.person.email if submission.person is not None and submission.person.email else None


def default_refusal_letter(submission: Submission, reason: Category | None) -> str:
    name = submission.person.full_name if submission.person and submission.person.full_name else "Sir or Madam"
    council = current_app.config["COUNCIL_NAME"]
    procedure = configured_procedure(Classification.STATUTORY)
    because = f" because: {reason.label.lower()}" if reason is not None else ""
    return (
        f"Dear {name},\n\n"
        f"Thank you for contacting {council} about children's services (reference {submission.reference}).\n\n"
        f"We have looked carefully at what you told us. We are not able to consider it under our complaints "
        f"procedure{because}.\n\n"
        "If you disagree with this decision, please tell us why and we will look at it again.\n\n"
        f"{signpost(procedure)}\n\n"
        f"Yours sincerely,\nComplaints Team, {council}"
    ).strip()


@dataclass(frozen=True)
class _Checked:
    """A triage decision that passed every check, with what the checks looked up."""

    classification: Classification
    themes: list[Category]
    outcomes: list[Category]
    team: Team | None = None
    refusal_reason: Category | None = None


def _check_classification(submission: Submission, decision: TriageDecision, today: date) -> _Checked:
    """Every rule of a triage decision, checked before anything changes."""
    if submission.kind != SubmissionKind.COMPLAINT:
        raise DomainError("Only a complaint can be triaged here")
    if submission.status not in INBOX_STATUSES:
        raise DomainError("This submission has already been triaged")
    if needs_safety_decision(submission):
        raise DomainError("Record the safety decision before you classify this submission")
    _check_assignment(decision)
    classification = Classification(decision.classification)
    checked = _Checked(
        classification,
        themes=_categories(CategoryKind.THEME, decision.theme_ids),
        outcomes=_categories(CategoryKind.OUTCOME_SOUGHT, decision.outcome_ids),
    )
    return _check_what_follows(submission, decision, checked, today)


def _check_what_follows(submission: Submission, decision: TriageDecision, checked: _Checked, today: date) -> _Checked:
    """The rules of what each classification does next (start a stage, pass to a team, refuse, ...)."""
    classification = checked.classification
    match classification:
        case Classification.STATUTORY | Classification.CORPORATE:
            lifecycle.check_first_stage(submission, configured_procedure(classification), today)
        case Classification.CASE_CONCERN:
            team = db.session.get(Team, decision.team_id) if decision.team_id is not None else None
            if team is None:
                raise DomainError("Select the team the concern is passed to")
            return replace(checked, team=team)
        case Classification.PRE_COMPLAINT:
            if not (decision.information_request or "").strip():
                raise DomainError("Enter what information you need from the person")
        case Classification.REFUSED:
            reason = db.session.get(Category, decision.refusal_reason_id) if decision.refusal_reason_id else None
            if reason is None or reason.kind != CategoryKind.REFUSAL_REASON:
                raise DomainError("Select the reason for refusing")
            return replace(checked, refusal_reason=reason)
        case Classification.WITHDRAWN:
            reason_text = (decision.withdrawn_reason or "").strip()
            if not reason_text:
                raise DomainError("Enter why the complaint was withdrawn")
            lifecycle.check_withdrawal(submission, on=today, reason=reason_text, today=today)
    return checked


def _triage_snapshot(submission: Submission) -> dict[str, Any]:
    data = audit.snapshot(submission, TRIAGE_FIELDS)
    data["theme_ids"] = sorted(c.id for c in submission.themes)
    data["outcome_ids"] = sorted(c.id for c in submission.outcomes_sought)
    return data


@transactional
def classify(submission: Submission, decision: TriageDecision, *, actor: StaffUser, today: date) -> Submission:
    """Record the triage decision. Statutory and corporate complaints start their first stage from the date
    received, so the acknowledgement and response due dates exist as soon as this returns."""
    checked = _check_classification(submission, decision, today)
    before = _triage_snapshot(submission)
    if decision.channel is not None:
        submission.channel = Channel(decision.channel)
    submission.service_area_id = decision.service_area_id
    submission.team_id = decision.team_id
    submission.responding_manager_id = decision.responding_manager_id
    submission.assigned_officer_id = decision.assigned_officer_id
    submission.themes = checked.themes
    submission.outcomes_sought = checked.outcomes
    submission.classification = checked.classification
    submission.classified_at = now_utc()
    submission.classified_by_id = actor.id
    if decision.formal_option_explained is not None:
        submission.formal_option_explained = decision.formal_option_explained
    _APPLY[checked.classification](submission, decision, checked, actor, today)
    db.session.flush()
    old, new = audit.changes(before, _triage_snapshot(submission))
    audit.record(
        "submission.triaged",
        "submission",
        submission.id,
        actor_id=actor.id,
        submission_id=submission.id,
        before=old,
        after=new,
    )
    log.info("submission %s triaged as %s", submission.reference, checked.classification.value)
    return submission


def _start_procedure(
    submission: Submission, decision: TriageDecision, checked: _Checked, actor: StaffUser, today: date
) -> None:
    lifecycle.open_first_stage(
        submission, procedure=configured_procedure(checked.classification), actor_id=actor.id, today=today
    )
    if submission.wants_advocate and submission.audience == Audience.YOUNG_PERSON:
        advocacy.create_for_complaint(submission, actor_id=actor.id, today=today)


def _pass_to_team(
    submission: Submission, decision: TriageDecision, checked: _Checked, actor: StaffUser, today: date
) -> None:
    submission.status = SubmissionStatus.OPEN
    submission.next_due_on = today  # passed to the team for action the same day
    team = checked.team
    if team is not None and team.manager_email:
        queue_message(
            channel=MessageChannel.EMAIL,
            recipient=team.manager_email,
            template="staff_case_concern",
            subject=f"Case concern {submission.reference} for action today",
            body=(
                f"A concern ({submission.reference}) has been passed to {team.name} for action today. "
                "Open the casework system to read it and record what you did."
            ),
            submission_id=submission.id,
        )


def _open_representation(
    submission: Submission, decision: TriageDecision, checked: _Checked, actor: StaffUser, today: date
) -> None:
    submission.status = SubmissionStatus.OPEN


def _ask_for_information(
    submission: Submission, decision: TriageDecision, checked: _Checked, actor: StaffUser, today: date
) -> None:
    submission.status = SubmissionStatus.AWAITING_INFORMATION
    submission.information_requested_on = today
    email = _contact_email(submission)
    if email:
        queue_message(
            channel=MessageChannel.EMAIL,
            recipient=email,
            template="information_request",
            subject=f"We need more information: {submission.reference}",
            body=(decision.information_request or "").strip(),
            submission_id=submission.id,
        )


def _refuse(submission: Submission, decision: TriageDecision, checked: _Checked, actor: StaffUser, today: date) -> None:
    reason = checked.refusal_reason
    if reason is None:  # _check_classification found it; kept for the type checker
        raise DomainError("Select the reason for refusing")
    letter = (decision.refusal_letter or "").strip() or default_refusal_letter(submission, reason)
    submission.refusal_reason_id = reason.id
    submission.refusal_letter = letter
    submission.status = SubmissionStatus.REFUSED
    submission.closed_on = today
    submission.next_due_on = None
    email = _contact_email(submission)
    if email:
        queue_message(
            channel=MessageChannel.EMAIL,
            recipient=email,
            template="refusal_letter",
            subject=f"Your complaint {submission.reference}",
            body=letter,
            submission_id=submission.id,
        )


def _withdraw(
    submission: Submission, decision: TriageDecision, checked: _Checked, actor: StaffUser, today: date
) -> None:
    reason_text = (decision.withdrawn_reason or "").strip()
    lifecycle.withdraw(submission, on=today, reason=reason_text, source="staff", actor_id=actor.id, today=today)
    submission.classification = Classification.WITHDRAWN
    submission.closed_on = today


_APPLY: dict[Classification, Callable[[Submission, TriageDecision, _Checked, StaffUser, date], None]] = {
    Classification.STATUTORY: _start_procedure,
    Classification.CORPORATE: _start_procedure,
    Classification.CASE_CONCERN: _pass_to_team,
    Classification.REPRESENTATION: _open_representation,
    Classification.PRE_COMPLAINT: _ask_for_information,
    Classification.REFUSED: _refuse,
    Classification.WITHDRAWN: _withdraw,
}


@transactional
def update_assignment(submission: Submission, decision: TriageDecision, *, actor: StaffUser) -> Submission:
    """Change who deals with a case, and its themes and outcomes sought, after triage. Audited before/after."""
    _check_assignment(decision)
    fields = ("service_area_id", "team_id", "responding_manager_id", "assigned_officer_id")
    before = audit.snapshot(submission, fields)
    before["theme_ids"] = sorted(c.id for c in submission.themes)
    before["outcome_ids"] = sorted(c.id for c in submission.outcomes_sought)
    submission.service_area_id = decision.service_area_id
    submission.team_id = decision.team_id
    submission.responding_manager_id = decision.responding_manager_id
    submission.assigned_officer_id = decision.assigned_officer_id
    submission.themes = _categories(CategoryKind.THEME, decision.theme_ids)
    submission.outcomes_sought = _categories(CategoryKind.OUTCOME_SOUGHT, decision.outcome_ids)
    db.session.flush()
    after = audit.snapshot(submission, fields)
    after["theme_ids"] = sorted(c.id for c in submission.themes)
    after["outcome_ids"] = sorted(c.id for c in submission.outcomes_sought)
    old, new = audit.changes(before, after)
    if new:
        audit.record(
            "submission.assigned",
            "submission",
            submission.id,
            actor_id=actor.id,
            submission_id=submission.id,
            before=old,
            after=new,
        )
    return submission


@transactional
def convert(submission: Submission, *, to_kind: SubmissionKind, actor: StaffUser, today: date) -> Submission:
    """A compliment or advocacy request that came in on the complaint form becomes what it really is."""
    if submission.kind != SubmissionKind.COMPLAINT or submission.status not in INBOX_STATUSES:
        raise DomainError("Only a new complaint waiting for triage can be recorded as something else")
    to_kind = SubmissionKind(to_kind)
    words = (submission.what_happened or "").strip() or "(no words given)"
    before = {"kind": submission.kind, "status": submission.status}
    if to_kind == SubmissionKind.COMPLIMENT:
        details = compliments.checked_details(
            compliments.ComplimentDetails(
                received_on=submission.received_on,
                words=words,
                channel=submission.channel,
                team_id=submission.team_id,
                staff_named=submission.worker_name,
            ),
            today=today,
        )
        submission.kind = SubmissionKind.COMPLIMENT
        submission.status = SubmissionStatus.NEW
        compliments.record_compliment(
            details, actor_id=actor.id, today=today, submission=submission, allow_duplicate=True
        )
    elif to_kind == SubmissionKind.ADVOCACY:
        request = advocacy.RequestDetails(
            for_self=submission.audience == Audience.YOUNG_PERSON,
            young_person_agrees=None if submission.audience == Audience.YOUNG_PERSON else "yes",
            help_details=words,
        )
        advocacy.check_details(request, received_on=submission.received_on, today=today)
        submission.kind = SubmissionKind.ADVOCACY
        submission.status = SubmissionStatus.OPEN
        advocacy.attach_request(submission, request, today=today, actor_id=actor.id, actor_label="staff")
    else:
        raise DomainError("Select a compliment or an advocacy request")
    audit.record(
        "submission.converted",
        "submission",
        submission.id,
        actor_id=actor.id,
        submission_id=submission.id,
        before=before,
        after={"kind": submission.kind, "status": submission.status},
    )
    return submission


# Contacts taken by hand -----------------------------------------------------------------------------------------


@dataclass
class ManualContact:
    channel: Channel
    received_at: datetime
    full_name: str | None
    email: str | None
    phone: str | None
    child_name: str | None
    what_happened: str
    outcome_wanted: str | None = None
    audience: Audience = Audience.ADULT
    safeguarding_concern: bool = False


@transactional
def create_by_hand(contact: ManualContact, *, actor: StaffUser) -> Submission:
    """Record a complaint that came by phone, letter, email, in person, through an advocate or an app."""
    if contact.received_at > now_utc():
        raise DomainError("The date received must be today or in the past")
    created = create_submission(
        NewSubmission(
            kind=SubmissionKind.COMPLAINT,
            audience=contact.audience,
            channel=Channel(contact.channel),
            full_name=contact.full_name,
            email=contact.email,
            phone=contact.phone,
            child_name=contact.child_name,
            what_happened=contact.what_happened,
            outcome_wanted=contact.outcome_wanted,
        ),
        received_at=contact.received_at,
        actor_id=actor.id,
        actor_label="staff",
    )
    submission = created.submission
    if contact.safeguarding_concern and not submission.safeguarding_flag:
        submission.safeguarding_flag = True
        submission.safeguarding_reason = "Flagged by the member of staff who took the contact"
        audit.record(
            "submission.flagged",
            "submission",
            submission.id,
            actor_id=actor.id,
            submission_id=submission.id,
            after={"safeguarding_flag": True},
        )
    return submission
