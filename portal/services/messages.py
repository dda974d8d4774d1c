"""Compose and queue the messages the service sends: the one way a service tells anybody anything.

A service passes data (a reference, names, dates, a reason), never text it has rendered and never a link. Each
message is a plain-text template in templates/messages/<name>.txt: the first line is the subject, the rest is the
body. A young person's version, <name>.young_person.txt, is used when the submission came through the young
person's journey. Templates make links with ``link('endpoint', **values)``, built from the configured
PUBLIC_BASE_URL and never from a request (the worker and the commands have none).

The text is composed when the message is queued, inside the caller's transaction, so the outbox holds exactly
what is sent, and the message exists exactly when the change that caused it was committed. Sending is the
`send-messages` worker's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from jinja2 import Template, TemplateNotFound

from portal.domain.enums import Audience, MessageChannel
from portal.models import OutboxMessage, Submission
from portal.services.outbox import queue_message

EMAIL_METHODS = frozenset({"email"})
SMS_METHODS = frozenset({"text", "sms", "text_message", "mobile"})


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    template: str


@dataclass(frozen=True)
class Destination:
    channel: MessageChannel
    recipient: str


def link(endpoint: str, /, **values: Any) -> str:
    """An absolute link to one of our pages for a message, from PUBLIC_BASE_URL (e.g. ``link('public.track')``)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    urls = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return urls.build(endpoint, values, force_external=True)


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


def _template(name: str, young_person: bool) -> Template:
    env = current_app.jinja_env
    if young_person:
        try:
            return env.get_template(f"messages/{name}.young_person.txt")
        except TemplateNotFound:
            pass
    return env.get_template(f"messages/{name}.txt")


def render_message(name: str, /, *, young_person: bool = False, **data: Any) -> RenderedMessage:
    """Compose templates/messages/<name>.txt (or its young person's version) from data: a subject and a body."""
    text = _template(name, young_person).render(council=_council(), link=link, **data).strip()
    subject, _, body = text.partition("\n")
    return RenderedMessage(subject=subject.strip(), body=body.strip() + "\n", template=name)


def queue_email(
    recipient: str, name: str, /, *, submission_id: int | None = None, dedupe_key: str | None = None, **data: Any
) -> OutboxMessage | None:
    """Queue message `name` by email (to staff, a team's manager, or anybody whose address the caller chose).
    None when a message with the same dedupe_key was already queued."""
    rendered = render_message(name, **data)
    return queue_message(
        channel=MessageChannel.EMAIL,
        recipient=recipient,
        template=rendered.template,
        subject=rendered.subject,
        body=rendered.body,
        submission_id=submission_id,
        dedupe_key=dedupe_key,
    )


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
    submission: Submission, name: str, /, *, dedupe_key: str | None = None, **data: Any
) -> OutboxMessage | None:
    """Queue message `name` to the complainant by their chosen channel. None when they chose letters or calls
    only, or when a message with the same dedupe_key was already queued."""
    destination = complainant_destination(submission)
    if destination is None:
        return None
    rendered = render_message(
        name, young_person=is_young_person(submission), **{**complainant_context(submission), **data}
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


def queue_acknowledgement(submission: Submission, *, response_due_on: date | None = None) -> OutboxMessage | None:
    """The acknowledgement of a new complaint (H3 queues it on submission; staff may send it from triage).
    Queued at most once per submission."""
    return queue_for_complainant(
        submission,
        "acknowledgement",
        dedupe_key=f"ack:{submission.id}",
        response_due_on=response_due_on,
    )
