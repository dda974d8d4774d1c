"""Render and queue the messages the service sends to complainants and staff.

Each message is a plain-text template in templates/messages/<name>.txt: the first line is the subject, the rest
is the body. A young person's version, <name>.young_person.txt, is used when the submission came through the
young person's journey. Messages are queued in the outbox inside the caller's transaction (never sent here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from jinja2 import TemplateNotFound

from portal.domain.enums import Audience, MessageChannel
from portal.models import OutboxMessage, Submission
from portal.services.outbox import queue_message

EMAIL_METHODS = frozenset({"email"})
SMS_METHODS = frozenset({"text", "sms", "text_message", "mobile"})
TRACKING_ENDPOINTS = ("public.track", "public.track_start", "public.tracking", "public.track_reference")


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    template: str


@dataclass(frozen=True)
class Destination:
    channel: MessageChannel
    recipient: str


def _council() -> dict[str, str]:
    cfg = current_app.config
    return {
        "name": cfg["COUNCIL_NAME"],
        "phone": cfg["COUNCIL_PHONE"],
        "email": cfg["COUNCIL_EMAIL"],
        "address": cfg["COUNCIL_ADDRESS"],
        "childline_phone": cfg["CHILDLINE_PHONE"],
        "advocacy_provider": cfg["ADVOCACY_PROVIDER"],
        "advocacy_phone": cfg["ADVOCACY_PHONE"],
    }


def tracking_url() -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    for endpoint in TRACKING_ENDPOINTS:
        for rule in current_app.url_map.iter_rules(endpoint) if endpoint in current_app.view_functions else ():
            if not rule.arguments:
                return base + rule.rule
    return base + "/"


def staff_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def render_message(name: str, /, *, young_person: bool = False, **context: Any) -> RenderedMessage:
    """Render templates/messages/<name>.txt (or its young person's version) into a subject and a body."""
    env = current_app.jinja_env
    candidates = [f"messages/{name}.young_person.txt", f"messages/{name}.txt"] if young_person else []
    candidates.append(f"messages/{name}.txt")
    template = None
    for candidate in candidates:
        try:
            template = env.get_template(candidate)
            break
        except TemplateNotFound:
            continue
    if template is None:
        raise TemplateNotFound(f"messages/{name}.txt")
    text = template.render(council=_council(), tracking_url=tracking_url(), **context).strip()
    subject, _, body = text.partition("\n")
    return RenderedMessage(subject=subject.strip(), body=body.strip() + "\n", template=name)


def is_young_person(submission: Submission) -> bool:
    return submission.audience == Audience.YOUNG_PERSON


def complainant_destination(submission: Submission) -> Destination | None:
    """Where to send a complainant a message by the channel they chose: email, else text message, else none
    (they asked for letters or calls, which staff send themselves)."""
    person = submission.person
    if person is None:
        return None
    methods = {str(m).lower() for m in (submission.contact_methods or [])}
    if person.email and (not methods or methods & EMAIL_METHODS):
        return Destination(MessageChannel.EMAIL, person.email)
    if person.phone and methods & SMS_METHODS:
        return Destination(MessageChannel.SMS, person.phone)
    return None


def complainant_context(submission: Submission) -> dict[str, Any]:
    person = submission.person
    first_name = None
    if person is not None and person.full_name:
        first_name = person.full_name.split()[0] if is_young_person(submission) else person.full_name
    return {"reference": submission.reference, "name": first_name, "received_on": submission.received_on}


def queue_for_complainant(
    submission: Submission, name: str, /, *, dedupe_key: str | None = None, **context: Any
) -> OutboxMessage | None:
    """Queue message `name` to the complainant by their chosen channel. None when they chose letters or calls
    only, or when a message with the same dedupe_key was already queued."""
    destination = complainant_destination(submission)
    if destination is None:
        return None
    rendered = render_message(
        name, young_person=is_young_person(submission), **{**complainant_context(submission), **context}
    )
    return queue_message(
        channel=destination.channel,
        recipient=destination.recipient,
        template=rendered.template,
        subject=rendered.subject,
        body=rendered.body,
        submission_id=submission.id,
        dedupe_key=dedupe_key,
    )


def queue_acknowledgement(submission: Submission, *, response_due_on: Any = None) -> OutboxMessage | None:
    """The acknowledgement of a new complaint (H3 queues it on submission; staff may send it from triage).
    Queued at most once per submission."""
    return queue_for_complainant(
        submission,
        "acknowledgement",
        dedupe_key=f"ack:{submission.id}",
        response_due_on=response_due_on,
    )
