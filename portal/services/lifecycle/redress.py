"""Putting things right beside the procedure: alternative dispute resolution, Ombudsman enquiries and remedies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.enums import (
    LgscoDecision,
    StageName,
)
from portal.extensions import db
from portal.models import (
    AdrSession,
    LgscoReferral,
    Remedy,
    Submission,
)
from portal.services import audit
from portal.services.lifecycle.records import current_stage
from portal.services.uow import transactional


@transactional
def record_adr(
    submission: Submission,
    *,
    held_on: date,
    kind: str,
    facilitator: str,
    hours: Any,
    outcome: str | None,
    actor_id: int | None,
    today: date,
) -> AdrSession:
    """Alternative dispute resolution beside the first stage or before the next: it never removes the right to
    escalate (the escalation window runs from the last session after the response)."""

    stage = current_stage(submission)
    if stage is None:
        raise DomainError("This complaint has not started a complaints procedure")
    if kind not in rules.ADR_KINDS:
        raise DomainError("Select the kind of session")
    rules.check_adr(stage=StageName(stage.stage), stage_status=stage.status, held_on=held_on, today=today)
    hours_value = Decimal(hours).quantize(Decimal("0.01")) if hours is not None else None
    if hours_value is not None and hours_value < 0:
        raise DomainError("Hours must be 0 or more")
    session = AdrSession(
        submission_id=submission.id,
        held_on=held_on,
        kind=kind,
        facilitator=facilitator.strip() or None,
        hours=hours_value,
        alongside_stage=stage.stage,
        outcome=(outcome or "").strip() or None,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        "adr.recorded",
        "adr_session",
        session.id,
        actor_id=actor_id,
        submission_id=submission.id,
        after={"held_on": held_on, "kind": kind, "hours": hours_value, "alongside_stage": stage.stage},
    )
    return session


LGSCO_FIELDS = (
    "lgsco_reference",
    "referred_on",
    "stage_reached",
    "decision",
    "decision_on",
    "remedy",
    "compliance_due_on",
    "complied_on",
)


@transactional
def save_lgsco_referral(
    submission: Submission,
    referral: LgscoReferral | None,
    *,
    values: dict[str, Any],
    actor_id: int | None,
    today: date,
) -> LgscoReferral:
    """Record or update an Ombudsman enquiry about this complaint (date, stage reached, decision, remedy and
    the date the council must comply by)."""

    referred_on = values.get("referred_on")
    if referred_on is None:
        raise DomainError("Enter the date the Ombudsman told us about the complaint")
    rules.check_not_future(referred_on, today, "The date of the referral")
    decision = values.get("decision") or None
    if decision is not None and decision not in {d.value for d in LgscoDecision}:
        raise DomainError("Select the Ombudsman's decision")
    if decision is None and values.get("decision_on"):
        raise DomainError("Select the Ombudsman's decision")
    if values.get("complied_on") and not values.get("compliance_due_on"):
        raise DomainError("Enter the date the council must comply by")
    before = audit.snapshot(referral, LGSCO_FIELDS) if referral is not None else None
    if referral is None:
        referral = LgscoReferral(submission_id=submission.id, referred_on=referred_on)
        db.session.add(referral)
    for name in LGSCO_FIELDS:
        if name in values:
            value = values[name]
            setattr(referral, name, value.strip() or None if isinstance(value, str) else value)
    if not referral.stage_reached and submission.current_stage is not None:
        referral.stage_reached = StageName(submission.current_stage).value
    db.session.flush()
    audit.record(
        "lgsco.saved",
        "lgsco_referral",
        referral.id,
        actor_id=actor_id,
        submission_id=submission.id,
        before=before,
        after=audit.snapshot(referral, LGSCO_FIELDS),
    )
    return referral


REMEDY_FIELDS = ("kind", "amount", "payee", "approved_by", "offered_on", "accepted", "paid_on")


@transactional
def add_remedy(submission: Submission, *, values: dict[str, Any], actor_id: int | None, today: date) -> Remedy:
    """A remedy offered (apology, service, payment with its amount). Money is Decimal pounds and pence."""

    amount = values.get("amount")
    amount = Decimal(amount).quantize(Decimal("0.01")) if amount is not None else None
    rules.check_remedy(values.get("kind") or "", amount)
    for key in ("offered_on", "paid_on"):
        if values.get(key) is not None:
            rules.check_not_future(values[key], today, "The date")
    if values.get("accepted") not in (None, "", "yes", "no", "unknown"):
        raise DomainError("Select whether the remedy was accepted")
    stage = current_stage(submission)
    remedy = Remedy(
        submission_id=submission.id,
        stage_id=stage.id if stage is not None else None,
        kind=values["kind"],
        amount=amount,
        payee=(values.get("payee") or "").strip() or None,
        approved_by=(values.get("approved_by") or "").strip() or None,
        offered_on=values.get("offered_on"),
        accepted=values.get("accepted") or None,
        paid_on=values.get("paid_on"),
    )
    db.session.add(remedy)
    db.session.flush()
    audit.record(
        "remedy.added",
        "remedy",
        remedy.id,
        actor_id=actor_id,
        submission_id=submission.id,
        after=audit.snapshot(remedy, REMEDY_FIELDS),
    )
    return remedy
