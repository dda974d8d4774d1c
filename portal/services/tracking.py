"""Tracking by reference for the public: check the second factor, describe the status in plain words, and let
the person add information, withdraw, or ask for the next stage.

A wrong reference and a wrong second factor give the same answer (no enumeration), and a password-hash check
runs either way so the two take about the same time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from portal.domain.enums import (
    FINDING_LABELS,
    ROLE_LABELS,
    STAGE_LABELS,
    Audience,
    Finding,
    StageName,
    StageStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.references import normalise_reference
from portal.extensions import db
from portal.models import CaseNote, StageRecord, Submission
from portal.services import audit, clock, lifecycle
from portal.services.submissions import email_key, phone_key, what_happens_next
from portal.services.uow import transactional

log = logging.getLogger(__name__)

_DUMMY_HASH = generate_password_hash("not-a-real-tracking-code")


def _code_key(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def find_for_tracking(reference: str, second_factor: str) -> Submission | None:
    """The submission when the reference and the second factor (email, phone or tracking code) both match."""
    ref = normalise_reference(reference or "")
    submission = (
        db.session.scalar(sa.select(Submission).where(Submission.reference == ref)) if ref is not None else None
    )
    given = (second_factor or "").strip()
    code_hash = submission.tracking_code_hash if submission is not None else None
    # Always run one hash check, so a wrong reference takes as long as a wrong code.
    code = _code_key(given)
    code_ok = check_password_hash(code_hash or _DUMMY_HASH, f"{code[:5]}-{code[5:]}") and code_hash is not None
    if submission is None:
        return None
    person = submission.person
    if code_ok:
        return submission
    if person is not None and given:
        if person.email_key and email_key(given) == person.email_key:
            return submission
        key = phone_key(given)
        if person.phone_key and key and len(key) >= 10 and key == person.phone_key:
            return submission
    return None


@dataclass(frozen=True)
class StageSummary:
    label: str
    status: str
    due_on: date | None
    original_due_on: date | None
    extended: bool
    extension_reason: str | None
    responded_on: date | None
    outcome: str | None


class NextStep(StrEnum):
    """What the person can do next; the tracking page says it in words."""

    OMBUDSMAN_AFTER_REFUSAL = "ombudsman_after_refusal"
    NEXT_STAGE = "next_stage"  # ask for the next stage, until the escalation's request-by date
    OMBUDSMAN_AT_THE_END = "ombudsman_at_the_end"


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    kind: SubmissionKind
    young_person: bool
    received_on: date
    headline: str  # "Received", "Being looked at", "Responded", "Closed", "Withdrawn", ...
    explanation: str
    handled_by: str | None
    hear_by: date | None
    stages: list[StageSummary] = field(default_factory=list)
    response: StageSummary | None = None
    response_sent_on: date | None = None  # "We sent our response on ..."
    next_steps: list[NextStep] = field(default_factory=list)
    escalation: lifecycle.EscalationOption | None = None
    can_add_information: bool = False
    can_withdraw: bool = False


STAGE_STATUS_WORDS = {
    StageStatus.REQUESTED.value: "Asked for, waiting for a decision",
    StageStatus.DECLINED.value: "Not accepted",
    StageStatus.OPEN.value: "Being looked at",
    StageStatus.RESPONDED.value: "Response sent",
    StageStatus.CLOSED.value: "Finished",
    StageStatus.WITHDRAWN.value: "Withdrawn",
}


def _handled_by(submission: Submission) -> str | None:
    if submission.kind == SubmissionKind.ADVOCACY:
        request = submission.advocacy
        return "An advocate" if request is not None and request.advocate_id else "The advocacy service"
    user = submission.responding_manager or submission.assigned_officer
    team = submission.team.name if submission.team is not None else None
    if user is None:
        return f"The {team} team" if team else "The complaints team"
    role = ROLE_LABELS.get(user.role, "Member of staff")
    who = (
        f"{user.full_name}, {role.lower()}"
        if current_app.config.get("SHOW_RESPONDER_NAME_PUBLICLY")
        else f"A {role.lower()}"
    )
    return f"{who} in the {team} team" if team else f"{who} in the complaints team"


def _stage_summary(stage: StageRecord) -> StageSummary:
    outcome = FINDING_LABELS.get(Finding(stage.outcome)) if stage.outcome in {f.value for f in Finding} else None
    return StageSummary(
        label=STAGE_LABELS.get(StageName(stage.stage), str(stage.stage)),
        status=STAGE_STATUS_WORDS.get(stage.status, stage.status),
        due_on=stage.due_on,
        original_due_on=stage.original_due_on,
        extended=bool(stage.extended),
        extension_reason=stage.extension_reason,
        responded_on=stage.responded_on,
        outcome=outcome,
    )


@dataclass(frozen=True)
class _Position:
    """Where a submission is, in the person's words."""

    headline: str
    explanation: str = ""
    hear_by: date | None = None
    response: StageSummary | None = None  # the stage whose response was sent


_SETTLED = {
    SubmissionStatus.WITHDRAWN: _Position("Withdrawn", "You told us you no longer want us to look at this."),
    SubmissionStatus.REFUSED: _Position(
        "We cannot look at this under the complaints procedure",
        "We have written to you to explain why and what you can do next.",
    ),
    SubmissionStatus.AWAITING_INFORMATION: _Position(
        "We need more information", "We have asked you for more information. You can add it below."
    ),
}


def _received(submission: Submission) -> _Position:
    dates = what_happens_next(submission)
    explanation = {
        SubmissionKind.COMPLIMENT: "Thank you. We will pass it on as you asked.",
        SubmissionKind.ADVOCACY: "We have your request. The advocacy service will get in touch.",
    }.get(submission.kind, "We have your message. Someone will read it and decide who will look into it.")
    return _Position("Received", explanation, hear_by=dates.acknowledge_by or dates.advocate_contact_by)


def _stage_position(stage: StageRecord, summary: StageSummary, status: SubmissionStatus) -> _Position | None:
    if stage.status in (StageStatus.RESPONDED.value, StageStatus.CLOSED.value):
        return _Position("Responded" if status == SubmissionStatus.OPEN else "Closed", response=summary)
    if stage.status == StageStatus.REQUESTED.value:
        return _Position(
            f"You asked for {summary.label}",
            "We will let you know if it can go ahead.",
            hear_by=stage.acknowledge_due_on,
        )
    return None


def _advocacy_position(submission: Submission) -> _Position:
    request = submission.advocacy
    found = request is not None and request.advocate_id
    return _Position(
        "An advocate has been found" if found else "Finding an advocate",
        "The advocacy service is working on your request.",
        hear_by=request.contact_due_on if request is not None and not request.contacted_on else None,
    )


def _position(submission: Submission, status: SubmissionStatus, stages: list[StageSummary]) -> _Position:
    if status in _SETTLED:
        return _SETTLED[status]
    if status == SubmissionStatus.NEW:
        return _received(submission)
    current = submission.stages[-1] if submission.stages else None
    if current is not None:
        found = _stage_position(current, stages[-1], status)
        if found is not None:
            return found
    if status == SubmissionStatus.CLOSED:
        return _Position("Closed", "We have finished looking at this.")
    if submission.kind == SubmissionKind.ADVOCACY:
        return _advocacy_position(submission)
    due = current.due_on if current is not None else submission.next_due_on
    return _Position("Being looked at", "Someone is looking into what you told us.", hear_by=due)


def public_status(submission: Submission, today: date) -> PublicStatus:
    status = SubmissionStatus(submission.status)
    stages = [_stage_summary(s) for s in submission.stages]
    position = _position(submission, status, stages)
    escalation = lifecycle.escalation_option(submission, today) if position.response is not None else None
    next_steps: list[NextStep] = []
    if status == SubmissionStatus.REFUSED:
        next_steps.append(NextStep.OMBUDSMAN_AFTER_REFUSAL)
    if escalation is not None and escalation.allowed:
        next_steps.append(NextStep.NEXT_STAGE)
    if position.response is not None:
        next_steps.append(NextStep.OMBUDSMAN_AT_THE_END)
    open_like = status in (SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION, SubmissionStatus.OPEN)
    return PublicStatus(
        reference=submission.reference,
        kind=submission.kind,
        young_person=submission.audience == Audience.YOUNG_PERSON,
        received_on=submission.received_on,
        headline=position.headline,
        explanation=position.explanation,
        handled_by=_handled_by(submission) if status != SubmissionStatus.WITHDRAWN else None,
        hear_by=position.hear_by,
        stages=stages,
        response=position.response,
        response_sent_on=position.response.responded_on if position.response is not None else None,
        next_steps=next_steps,
        escalation=escalation,
        can_add_information=open_like,
        can_withdraw=open_like and submission.kind == SubmissionKind.COMPLAINT,
    )


def tracked_submission(submission_id: int | None) -> Submission | None:
    """The submission a tracking session holds (the person already proved it is theirs)."""
    return db.session.get(Submission, submission_id) if submission_id is not None else None


@transactional
def add_information(submission: Submission, text: str) -> CaseNote:
    note = CaseNote(submission_id=submission.id, author_id=None, body=text, from_public=True)
    db.session.add(note)
    db.session.flush()
    audit.record(
        "case_note.added_by_public",
        "case_note",
        note.id,
        actor_label="public",
        submission_id=submission.id,
        after={"from_public": True, "length": len(text)},
    )
    log.info("public added information to %s", submission.reference)
    return note


@transactional
def withdraw(submission: Submission, reason: str | None) -> None:
    today = clock.today_london()
    reason_text = (reason or "").strip() or "Withdrawn online by the person who made it (no reason given)"
    lifecycle.withdraw(submission, on=today, reason=reason_text, source="public", actor_id=None, today=today)


@transactional
def request_next_stage(submission: Submission, reason: str) -> StageRecord:
    return lifecycle.request_escalation(
        submission, requested_on=clock.today_london(), source="public", actor_id=None, reason=reason
    )
