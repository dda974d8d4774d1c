"""Create a submission (complaint, compliment or advocacy request) in one transaction.

Used by the public journeys and by staff recording a contact by hand. Everything happens in one transaction:
the submission with a unique reference (retried inside a SAVEPOINT if a reference collides), the person
(matched to an earlier contact by normalised name plus email or phone) and the child, themes and outcomes
sought, the compliment or advocacy detail, the acknowledgement queued in the outbox, and an audit event.

Idempotent per draft: ``draft_token`` is unique on the submission, so a double click or a resubmitted form
returns the submission already made from that draft instead of creating a second one.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from portal.domain.deadlines import effective_received_on
from portal.domain.enums import (
    AdvocacyStatus,
    Audience,
    CareStatus,
    CategoryKind,
    Channel,
    MessageChannel,
    PersonType,
    Procedure,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.journeys import FALLBACK_THEME, is_out_of_time
from portal.domain.procedures import default_profile
from portal.domain.references import ALPHABET, generate_reference
from portal.domain.safety import assess_safety
from portal.extensions import db
from portal.models import AdvocacyRequest, Category, Child, Compliment, Person, Submission, Team
from portal.services import audit, clock, outbox
from portal.services.advocacy import targets_from
from portal.services.calendar import calendar_for
from portal.services.compliments import complete_public_compliment
from portal.services.messages import queue_email, render_message
from portal.services.timescales import working_days
from portal.services.uow import transactional

log = logging.getLogger(__name__)

MAX_REFERENCE_ATTEMPTS = 8
TRACKING_CODE_LENGTH = 10


@dataclass(frozen=True)
class NewSubmission:
    """Everything a contact can tell us. Only ``kind`` is required; free text is stored exactly as given.

    The public journeys fill it from their question definitions (``Journey.submission_values``); staff recording
    a contact by hand fill it from their form."""

    kind: SubmissionKind
    audience: Audience | None = None
    channel: Channel = Channel.ONLINE_FORM
    # Who
    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    person_type: PersonType | None = None
    relationship_to_child: str | None = None
    acting_capacity: str | None = None  # own_right | on_behalf | both
    has_parental_responsibility: str | None = None  # yes | no | not_sure
    child_name: str | None = None
    child_date_of_birth: date | None = None
    care_status: CareStatus | None = None
    child_knows: str | None = None  # yes | no | too_young
    child_consent_note: str | None = None
    # What
    team_id: int | None = None
    worker_name: str | None = None
    about_text: str | None = None
    what_happened: str | None = None
    happened_when: str | None = None
    grounds_arose_on: date | None = None
    court_proceedings: str | None = None
    outcome_wanted: str | None = None
    outcome_sought_ids: list[int] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    theme_labels: list[str] = field(default_factory=list)  # resolved against the THEME list (young people)
    needs: dict[str, Any] | None = None
    # Contact
    contact_methods: list[str] | None = None  # phone | text | email | letter | carer | advocate | social_worker
    ok_to_leave_message: str | None = None
    safe_contact_notes: str | None = None
    wants_advocate: bool | None = None
    # Safety: the young person's answer to "Do you feel safe?" (yes | no | not_sure)
    safe_answer: str | None = None
    # Compliment
    staff_named: str | None = None
    compliment_words: str | None = None
    compliment_source_id: int | None = None
    consent_pass_on: bool | None = None
    consent_anonymous_use: bool | None = None
    # Advocacy request
    for_self: bool | None = None
    young_person_agrees: str | None = None
    young_person_age: int | None = None
    help_with: list[str] = field(default_factory=list)  # ADVOCACY_HELP labels
    help_details: str | None = None
    needed_by: date | None = None
    # Everything the journey asked, as given (kept for staff)
    answers: dict[str, Any] | None = None


@dataclass(frozen=True)
class CreatedSubmission:
    submission: Submission
    created: bool  # False when the draft had already been submitted (double click, resubmitted form)
    tracking_code: str | None  # shown once, only when no email or phone was given


@dataclass(frozen=True)
class WhatHappensNext:
    acknowledge_by: date | None
    respond_by: date | None
    advocate_contact_by: date | None


# -- normalisation ------------------------------------------------------------------------------------


def name_key(name: str | None) -> str | None:
    if not name:
        return None
    key = " ".join(name.lower().split())
    return key or None


def email_key(email: str | None) -> str | None:
    if not email:
        return None
    return email.strip().lower() or None


def phone_key(phone: str | None) -> str | None:
    """Digits only, with a UK +44 / 0044 prefix turned into a leading 0."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone.replace("(0)", ""))
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and phone.strip().startswith("+"):
        digits = "0" + digits[2:]
    return digits or None


def _clean(text: str | None) -> str | None:
    """Empty strings become None; everything else is kept exactly as typed."""
    if text is None or not text.strip():
        return None
    return text


# -- the procedure and its dates ------------------------------------------------------------------------


def public_procedure() -> Procedure:
    """The procedure a new complaint is counted under until triage decides (England statutory or Scotland)."""
    return Procedure.SCOTLAND_MCHP if current_app.config.get("PROCEDURE") == "scotland" else Procedure.ENGLAND_STATUTORY


def _cutoff() -> time | None:
    value = current_app.config.get("RECEIPT_CUTOFF")
    if not value:
        return None
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def received_on_for(received_at: datetime, procedure: Procedure) -> date:
    local = received_at.astimezone(clock.LONDON)
    return effective_received_on(local, calendar_for(procedure), _cutoff())


def what_happens_next(submission: Submission) -> WhatHappensNext:
    """The dates the public is told: acknowledgement by, and a first response by (from the stored timescales)."""
    if submission.kind == SubmissionKind.ADVOCACY:
        due = submission.advocacy.contact_due_on if submission.advocacy is not None else None
        return WhatHappensNext(acknowledge_by=None, respond_by=None, advocate_contact_by=due)
    if submission.kind != SubmissionKind.COMPLAINT:
        return WhatHappensNext(acknowledge_by=None, respond_by=None, advocate_contact_by=None)
    procedure = submission.procedure or public_procedure()
    calendar = calendar_for(procedure)
    first_stage = default_profile(procedure).stages[0]
    respond_by = calendar.add_working_days(submission.received_on, working_days(procedure, f"{first_stage}.response"))
    return WhatHappensNext(
        acknowledge_by=submission.acknowledge_due_on, respond_by=respond_by, advocate_contact_by=None
    )


# -- people ---------------------------------------------------------------------------------------------


def _earlier_contact(name: str | None, email: str | None, phone: str | None) -> Person | None:
    """The person who contacted us before with this email or phone. The same email or phone with a different name
    is a different person (families share inboxes)."""
    conditions = [Person.email_key == email] if email else []
    conditions += [Person.phone_key == phone] if phone else []
    if not conditions:
        return None
    candidates = db.session.scalars(sa.select(Person).where(sa.or_(*conditions)).order_by(Person.id)).all()
    return next((p for p in candidates if p.name_key == name or p.name_key is None or name is None), None)


def _fill_gaps(person: Person, data: NewSubmission, name: str | None, email: str | None, phone: str | None) -> None:
    """Add what we did not know about an earlier contact; never overwrite what they told us before."""
    if person.full_name is None and data.full_name:
        person.full_name, person.name_key = data.full_name, name
    if person.email is None and email:
        person.email, person.email_key = data.email, email
    if person.phone is None and phone:
        person.phone, person.phone_key = data.phone, phone
    if data.address and not person.address:
        person.address = data.address
    if data.person_type and person.person_type is None:
        person.person_type = data.person_type


def _match_or_create_person(data: NewSubmission) -> Person | None:
    name, email, phone = name_key(data.full_name), email_key(data.email), phone_key(data.phone)
    if not (name or email or phone):
        return None
    person = _earlier_contact(name, email, phone)
    if person is not None:
        _fill_gaps(person, data, name, email, phone)
        return person
    person = Person(
        full_name=_clean(data.full_name),
        name_key=name,
        email=_clean(data.email),
        email_key=email,
        phone=_clean(data.phone),
        phone_key=phone,
        address=_clean(data.address),
        person_type=data.person_type,
    )
    db.session.add(person)
    return person


def _child(data: NewSubmission) -> Child | None:
    name = data.child_name
    if data.audience == Audience.YOUNG_PERSON and data.kind != SubmissionKind.COMPLIMENT:
        name = name or data.full_name
    if not (name or data.child_date_of_birth):
        return None
    return Child(
        full_name=_clean(name),
        name_key=name_key(name),
        date_of_birth=data.child_date_of_birth,
        care_status=data.care_status,
    )


def _categories(kind: CategoryKind, ids: list[int]) -> list[Category]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Category).where(Category.kind == kind, Category.id.in_(ids))))


def _themes_by_label(labels: list[str]) -> list[Category]:
    if not labels:
        return []
    rows = {
        c.label: c
        for c in db.session.scalars(
            sa.select(Category).where(
                Category.kind == CategoryKind.THEME, Category.label.in_([*labels, FALLBACK_THEME])
            )
        )
    }
    found: list[Category] = []
    for label in labels:
        category = rows.get(label) or rows.get(FALLBACK_THEME)
        if category is not None and category not in found:
            found.append(category)
    return found


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(TRACKING_CODE_LENGTH))
    return f"{body[:5]}-{body[5:]}"


# -- the acknowledgement ---------------------------------------------------------------------------------


def _queue_acknowledgement(submission: Submission, data: NewSubmission) -> int:
    """Thank the person by email, and by text message when they chose texts (words in templates/messages)."""
    dates = what_happens_next(submission)
    message = render_message(
        f"received_{submission.kind.value}",
        young_person=submission.audience == Audience.YOUNG_PERSON,
        reference=submission.reference,
        acknowledge_by=dates.acknowledge_by,
        respond_by=dates.respond_by,
        advocate_contact_by=dates.advocate_contact_by,
    )
    recipients = []
    if data.email and email_key(data.email):
        recipients.append((MessageChannel.EMAIL, data.email.strip(), "email"))
    if data.phone and phone_key(data.phone) and "text" in (data.contact_methods or []):
        recipients.append((MessageChannel.SMS, data.phone.strip(), "sms"))
    for channel, recipient, suffix in recipients:
        outbox.queue_message(
            channel=channel,
            recipient=recipient,
            template="acknowledgement",
            subject=message.subject,
            body=message.body,
            submission_id=submission.id,
            dedupe_key=f"ack:{submission.id}:{suffix}",
        )
    return len(recipients)


def _queue_safeguarding_alert(submission: Submission) -> None:
    """Tell the complaints team at once when a submission needs same-day attention. No names or words from the
    submission go in the email: only the reference and why it was flagged."""
    recipient = current_app.config.get("COUNCIL_EMAIL")
    if not recipient:
        return
    queue_email(
        recipient,
        "safeguarding_alert",
        submission_id=submission.id,
        dedupe_key=f"safeguarding:{submission.id}",
        kind=submission.kind.value,
        reference=submission.reference,
        reason=submission.safeguarding_reason,
    )


# -- create ---------------------------------------------------------------------------------------------


def submission_by_id(submission_id: int | None) -> Submission | None:
    """The submission just sent, for its confirmation page (the id comes from this browser's session)."""
    return db.session.get(Submission, submission_id) if submission_id is not None else None


def existing_for_draft(draft_token: str) -> Submission | None:
    return db.session.scalar(sa.select(Submission).where(Submission.draft_token == draft_token))


def _build(data: NewSubmission, *, received_at: datetime, received_on: date, draft_token: str | None) -> Submission:
    safety = assess_safety(
        safe_answer=data.safe_answer,
        texts=(data.what_happened, data.outcome_wanted, data.help_details, data.safe_contact_notes),
    )
    team_area = None
    if data.team_id is not None:
        team = db.session.get(Team, data.team_id)
        team_area = team.service_area_id if team is not None else None
    return Submission(
        reference=generate_reference(),
        kind=data.kind,
        audience=data.audience,
        channel=data.channel,
        received_at=received_at,
        received_on=received_on,
        received_month=received_on.strftime("%Y-%m"),
        draft_token=draft_token,
        person_type=data.person_type,
        relationship_to_child=_clean(data.relationship_to_child),
        acting_capacity=data.acting_capacity,
        has_parental_responsibility=data.has_parental_responsibility,
        care_status=data.care_status,
        child_knows=data.child_knows,
        child_consent_note=_clean(data.child_consent_note),
        team_id=data.team_id,
        service_area_id=team_area,
        worker_name=_clean(data.worker_name),
        about_text=_clean(data.about_text),
        what_happened=_clean(data.what_happened),
        happened_when=_clean(data.happened_when),
        grounds_arose_on=data.grounds_arose_on,
        out_of_time=is_out_of_time(
            data.grounds_arose_on, received_on, int(current_app.config.get("OUT_OF_TIME_MONTHS", 12))
        ),
        court_proceedings=data.court_proceedings,
        outcome_wanted=_clean(data.outcome_wanted),
        needs=data.needs or None,
        answers=data.answers,
        contact_methods=list(data.contact_methods) if data.contact_methods else None,
        ok_to_leave_message=data.ok_to_leave_message,
        safe_contact_notes=_clean(data.safe_contact_notes),
        wants_advocate=data.wants_advocate,
        feels_unsafe=safety.feels_unsafe,
        safeguarding_flag=safety.flag,
        safeguarding_reason=safety.reason,
        status=SubmissionStatus.OPEN if data.kind == SubmissionKind.ADVOCACY else SubmissionStatus.NEW,
    )


def _attach_details(submission: Submission, data: NewSubmission, person: Person | None, child: Child | None) -> None:
    submission.person = person
    submission.child = child
    submission.themes = _categories(CategoryKind.THEME, data.theme_ids) + [
        c for c in _themes_by_label(data.theme_labels) if c.id not in data.theme_ids
    ]
    submission.outcomes_sought = _categories(CategoryKind.OUTCOME_SOUGHT, data.outcome_sought_ids)
    if data.kind == SubmissionKind.COMPLAINT:
        procedure = public_procedure()
        calendar = calendar_for(procedure)
        submission.procedure = procedure
        submission.acknowledge_due_on = calendar.add_working_days(
            submission.received_on, working_days(procedure, "acknowledge")
        )
        submission.next_due_on = submission.acknowledge_due_on
    elif data.kind == SubmissionKind.COMPLIMENT:
        submission.compliment = Compliment(
            source_id=data.compliment_source_id,
            staff_named=_clean(data.staff_named),
            words=_clean(data.compliment_words),
            consent_pass_on=data.consent_pass_on,
            consent_anonymous_use=data.consent_anonymous_use,
        )
    elif data.kind == SubmissionKind.ADVOCACY:
        targets = targets_from(submission.received_on)
        submission.advocacy = AdvocacyRequest(
            for_self=data.for_self,
            young_person_agrees=data.young_person_agrees,
            young_person_age=data.young_person_age,
            situation=data.care_status,
            help_with=list(data.help_with) or None,
            help_details=_clean(data.help_details),
            needed_by=data.needed_by,
            status=AdvocacyStatus.NEW,
            contact_due_on=targets.contact_due_on,
            allocate_due_on=targets.allocate_due_on,
        )
        submission.next_due_on = targets.allocate_due_on


class _AlreadySent(Exception):
    def __init__(self, submission: Submission) -> None:
        self.submission = submission


def _insert(data: NewSubmission, *, received_at: datetime, draft_token: str | None, actor_id: int | None) -> Submission:
    """Add the submission with its person, child and details under a new unique reference (another reference is
    tried, inside a SAVEPOINT, when one collides). Raises _AlreadySent when another request sent the same draft
    at the same moment."""
    received_on = received_on_for(received_at, public_procedure())
    for _attempt in range(MAX_REFERENCE_ATTEMPTS):
        savepoint = db.session.begin_nested()
        try:
            with db.session.no_autoflush:
                person = _match_or_create_person(data)
                child = _child(data)
                submission = _build(data, received_at=received_at, received_on=received_on, draft_token=draft_token)
                submission.created_by_id = actor_id
                db.session.add(submission)
                _attach_details(submission, data, person, child)
            db.session.flush()
            savepoint.commit()
            return submission
        except IntegrityError:
            savepoint.rollback()
            existing = existing_for_draft(draft_token) if draft_token else None
            if existing is not None:
                raise _AlreadySent(existing) from None
            log.warning("reference collision, trying another")
    raise RuntimeError("could not allocate a unique reference")


def _record_created(submission: Submission, *, actor_id: int | None, actor_label: str, queued: int) -> None:
    audit.record(
        "submission.created",
        "submission",
        submission.id,
        actor_id=actor_id,
        actor_label=actor_label,
        submission_id=submission.id,
        after={
            "reference": submission.reference,
            "kind": submission.kind,
            "audience": submission.audience,
            "channel": submission.channel,
            "received_on": submission.received_on,
            "safeguarding_flag": submission.safeguarding_flag,
            "out_of_time": submission.out_of_time,
            "acknowledgements_queued": queued,
        },
    )


@transactional
def create_submission(
    data: NewSubmission,
    *,
    draft_token: str | None = None,
    received_at: datetime | None = None,
    actor_id: int | None = None,
    actor_label: str = "public",
) -> CreatedSubmission:
    """Record a new contact (one unit of work, or part of the caller's). Returns the submission, whether it was
    new, and a one-time tracking code.

    Staff recording a contact by hand pass ``actor_id`` and ``actor_label="staff"`` (and ``received_at`` when
    it arrived earlier, e.g. a letter).
    """
    existing = existing_for_draft(draft_token) if draft_token else None
    if existing is not None:
        return CreatedSubmission(existing, created=False, tracking_code=None)
    try:
        submission = _insert(
            data, received_at=received_at or clock.now_utc(), draft_token=draft_token, actor_id=actor_id
        )
    except _AlreadySent as sent:
        return CreatedSubmission(sent.submission, created=False, tracking_code=None)

    tracking_code = None
    if not (email_key(data.email) or phone_key(data.phone)):
        tracking_code = new_tracking_code()
        submission.tracking_code_hash = generate_password_hash(tracking_code)
    queued = _queue_acknowledgement(submission, data)
    if submission.kind == SubmissionKind.COMPLIMENT and submission.compliment is not None:
        # Fingerprint for duplicate checks, and tell the named worker and their manager when the author agreed.
        complete_public_compliment(submission, actor_label=actor_label)
    if submission.safeguarding_flag:
        _queue_safeguarding_alert(submission)
    _record_created(submission, actor_id=actor_id, actor_label=actor_label, queued=queued)
    log.info(
        "submission %s created kind=%s flagged=%s", submission.reference, submission.kind, submission.safeguarding_flag
    )
    return CreatedSubmission(submission, created=True, tracking_code=tracking_code)
