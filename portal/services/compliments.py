"""Compliments: recorded by staff or sent by the public; the named worker and their team manager are told through
the outbox when the author agreed to it being passed on; the same compliment recorded twice is caught; a register
with filters and CSV export; and an anonymised wall of recent external compliments."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.domain import DomainError
from portal.domain.access import CaseScope, case_scope
from portal.domain.compliments import (
    ComplimentError,
    check_compliment,
    compliment_fingerprint,
    may_show_on_wall,
    months_ago,
    notification_recipients,
)
from portal.domain.enums import (
    CHANNEL_LABELS,
    CategoryKind,
    Channel,
    SubmissionKind,
    SubmissionStatus,
)
from portal.extensions import db
from portal.models import Category, Compliment, OutboxMessage, Person, ServiceArea, StaffUser, Submission, Team
from portal.services import audit, clock, messages
from portal.services.advocacy import free_reference
from portal.services.cases import record_case_view
from portal.services.uow import transactional

log = logging.getLogger(__name__)

AUDIT_FIELDS = (
    "received_on",
    "channel",
    "service_area_id",
    "team_id",
    "source_id",
    "internal",
    "staff_named",
    "staff_user_id",
    "words",
    "consent_pass_on",
    "consent_anonymous_use",
)
NOTIFICATION_TEMPLATE = "compliment_named_staff"
WALL_MONTHS = 6
PAGE_SIZE = 25


class DuplicateCompliment(ComplimentError):
    """The same compliment (received date, team and words) is already recorded."""

    def __init__(self, existing: Submission) -> None:
        super().__init__(
            f"This compliment is already recorded as {existing.reference}: "
            "received on the same day, for the same team, with the same words",
            "words",
        )
        self.existing_id = existing.id
        self.existing_reference = existing.reference


@dataclass(frozen=True)
class ComplimentDetails:
    """Everything a compliment records. `team_id` decides the service area when `service_area_id` is empty."""

    received_on: date
    words: str
    channel: Channel | None = None
    source_id: int | None = None
    internal: bool | None = None
    service_area_id: int | None = None
    team_id: int | None = None
    staff_named: str | None = None
    staff_user_id: int | None = None
    consent_pass_on: bool | None = None
    consent_anonymous_use: bool | None = None
    from_name: str | None = None  # who wrote it (never shown on the wall)


# --- recording -------------------------------------------------------------------------------------------------


def _clean(details: ComplimentDetails) -> ComplimentDetails:
    service_area_id = details.service_area_id
    if details.team_id is not None:
        team = db.session.get(Team, details.team_id)
        if team is None:
            raise ComplimentError("Select a team from the list", "team")
        service_area_id = team.service_area_id or service_area_id
    if details.staff_user_id is not None and db.session.get(StaffUser, details.staff_user_id) is None:
        raise ComplimentError("Select a member of staff from the list", "staff_user")
    if details.source_id is not None:
        source = db.session.get(Category, details.source_id)
        if source is None or source.kind != CategoryKind.COMPLIMENT_SOURCE:
            raise ComplimentError("Select who the compliment is from", "source")
    return replace(
        details,
        service_area_id=service_area_id,
        words=details.words.strip(),
        staff_named=(details.staff_named or "").strip() or None,
        from_name=(details.from_name or "").strip() or None,
    )


def checked_details(details: ComplimentDetails, *, today: date, require_subject: bool = False) -> ComplimentDetails:
    """The details tidied and checked against every rule (raises ComplimentError naming the field), before a
    compliment is recorded or changed."""
    details = _clean(details)
    check_compliment(
        received_on=details.received_on,
        today=today,
        words=details.words,
        team_id=details.team_id,
        staff_named=details.staff_named,
        staff_user_id=details.staff_user_id,
        service_area_id=details.service_area_id,
        require_subject=require_subject,
    )
    return details


def find_duplicate(fingerprint: str, *, exclude_submission_id: int | None = None) -> Submission | None:
    query = (
        sa.select(Submission)
        .join(Compliment, Compliment.submission_id == Submission.id)
        .where(Compliment.fingerprint == fingerprint)
        .order_by(Submission.id)
        .limit(1)
    )
    if exclude_submission_id is not None:
        query = query.where(Submission.id != exclude_submission_id)
    return db.session.scalar(query)


@transactional
def record_compliment(
    details: ComplimentDetails,
    *,
    actor_id: int | None,
    today: date,
    actor_label: str = "staff",
    submission: Submission | None = None,
    allow_duplicate: bool = False,
    require_subject: bool = False,
) -> Submission:
    """Record a compliment, tell the named worker and team manager when consent allows, and return its submission.

    Staff call it with no `submission` (one is created). The public journey may pass the compliment submission it
    has just created (kind compliment, with its person, draft token and answers), and `allow_duplicate=True`:
    a member of the public is never refused; a possible duplicate is shown to staff on the record page instead.
    Raises DuplicateCompliment (a DomainError) when the same compliment is already recorded and
    allow_duplicate is False, and ComplimentError (naming the form field) for other broken rules.
    `require_subject=True` (the staff form) also insists on a team, service area or member of staff.
    """
    details = checked_details(details, today=today, require_subject=require_subject)
    fingerprint = compliment_fingerprint(details.received_on, details.team_id, details.words)
    duplicate = find_duplicate(fingerprint, exclude_submission_id=submission.id if submission is not None else None)
    if duplicate is not None and not allow_duplicate:
        raise DuplicateCompliment(duplicate)
    if submission is None:
        submission = Submission(
            reference=free_reference(),
            kind=SubmissionKind.COMPLIMENT,
            received_at=clock.now_utc(),
            created_by_id=actor_id,
            status=SubmissionStatus.CLOSED,
        )
        db.session.add(submission)
    elif submission.kind != SubmissionKind.COMPLIMENT or submission.compliment is not None:
        raise DomainError("This submission is not a compliment waiting to be recorded.")
    compliment = Compliment()
    submission.compliment = compliment
    db.session.add(compliment)
    _apply(submission, compliment, details, fingerprint)
    if submission.status in (SubmissionStatus.NEW, SubmissionStatus.OPEN, None):
        submission.status = SubmissionStatus.CLOSED  # nothing to handle: a compliment is recorded and shared
    if submission.closed_on is None:
        submission.closed_on = details.received_on
    if details.from_name and submission.person_id is None:
        person = Person(full_name=details.from_name, name_key=details.from_name.lower())
        db.session.add(person)
        submission.person = person
    db.session.flush()
    audit.record(
        "compliment.recorded",
        "compliment",
        compliment.id,
        actor_id=actor_id,
        actor_label=actor_label,
        submission_id=submission.id,
        after={
            **audit.snapshot(compliment, [f for f in AUDIT_FIELDS if hasattr(compliment, f)]),
            "team_id": submission.team_id,
            "received_on": submission.received_on,
            "recorded_despite_duplicate_of": duplicate.reference if duplicate is not None else None,
        },
    )
    notify_named_staff(submission, actor_id=actor_id, actor_label=actor_label)
    log.info("compliment %s recorded", submission.reference)
    return submission


@transactional
def update_compliment(
    submission: Submission,
    details: ComplimentDetails,
    *,
    actor_id: int | None,
    today: date,
    allow_duplicate: bool = False,
    require_subject: bool = False,
) -> Submission:
    """Correct a compliment. Anyone newly entitled to hear about it (consent now given, another worker named) is
    told; nobody is told twice."""
    compliment = submission.compliment
    if compliment is None:
        raise DomainError("This submission is not a compliment.")
    details = checked_details(details, today=today, require_subject=require_subject)
    fingerprint = compliment_fingerprint(details.received_on, details.team_id, details.words)
    duplicate = find_duplicate(fingerprint, exclude_submission_id=submission.id)
    if duplicate is not None and not allow_duplicate:
        raise DuplicateCompliment(duplicate)
    before = _snapshot(submission)
    _apply(submission, compliment, details, fingerprint)
    if details.from_name and submission.person is None:
        submission.person = Person(full_name=details.from_name, name_key=details.from_name.lower())
    elif submission.person is not None and details.from_name != submission.person.full_name:
        submission.person.full_name = details.from_name
        submission.person.name_key = details.from_name.lower() if details.from_name else None
    db.session.flush()
    changed_before, changed_after = audit.changes(before, _snapshot(submission))
    if changed_after:
        audit.record(
            "compliment.updated",
            "compliment",
            compliment.id,
            actor_id=actor_id,
            submission_id=submission.id,
            before=changed_before,
            after=changed_after,
        )
    notify_named_staff(submission, actor_id=actor_id)
    return submission


def _apply(submission: Submission, compliment: Compliment, details: ComplimentDetails, fingerprint: str) -> None:
    submission.received_on = details.received_on
    submission.received_month = details.received_on.strftime("%Y-%m")
    if details.channel is not None:
        submission.channel = details.channel
    submission.service_area_id = details.service_area_id
    submission.team_id = details.team_id
    submission.worker_name = details.staff_named
    submission.what_happened = details.words
    compliment.source_id = details.source_id
    compliment.internal = details.internal
    compliment.staff_named = details.staff_named
    compliment.staff_user_id = details.staff_user_id
    compliment.words = details.words
    compliment.consent_pass_on = details.consent_pass_on
    compliment.consent_anonymous_use = details.consent_anonymous_use
    compliment.fingerprint = fingerprint


def _snapshot(submission: Submission) -> dict:
    compliment = submission.compliment
    data = audit.snapshot(submission, ["received_on", "channel", "service_area_id", "team_id"])
    data.update(
        audit.snapshot(
            compliment,
            [
                "source_id",
                "internal",
                "staff_named",
                "staff_user_id",
                "words",
                "consent_pass_on",
                "consent_anonymous_use",
            ],
        )
    )
    data["from_name"] = submission.person.full_name if submission.person is not None else None
    return data


def notify_named_staff(submission: Submission, *, actor_id: int | None = None, actor_label: str = "staff") -> int:
    """Queue the 'you have been complimented' email to the named worker and the team manager, in the caller's
    transaction (never commits). Only when the author agreed to it being passed on; each recipient once per
    compliment. Returns how many messages were queued."""
    compliment = submission.compliment
    if compliment is None:
        return 0
    staff_user = db.session.get(StaffUser, compliment.staff_user_id) if compliment.staff_user_id else None
    team = db.session.get(Team, submission.team_id) if submission.team_id else None
    teams = [team] if team is not None else []
    if staff_user is not None:
        teams += [t for t in staff_user.teams if team is None or t.id != team.id]
    recipients = notification_recipients(
        consent_pass_on=compliment.consent_pass_on,
        named_staff_email=staff_user.email if staff_user is not None and staff_user.active else None,
        team_manager_emails=[t.manager_email for t in teams if t.active],
    )
    queued = 0
    for recipient in recipients:
        is_named = staff_user is not None and recipient.lower() == staff_user.email.lower()
        recipient_team = next((t for t in teams if (t.manager_email or "").lower() == recipient.lower()), team)
        message = messages.queue_email(
            recipient,
            NOTIFICATION_TEMPLATE,
            submission_id=submission.id,
            dedupe_key=f"compliment:{submission.id}:{recipient.lower()}",
            **_message_data(submission, compliment, recipient_team, staff_user, to_named_worker=is_named),
        )
        if message is not None:
            queued += 1
    if queued:
        db.session.flush()
        audit.record(
            "compliment.shared",
            "compliment",
            compliment.id,
            actor_id=actor_id,
            actor_label=actor_label,
            submission_id=submission.id,
            after={"messages_queued": queued},
        )
    return queued


def _message_data(
    submission: Submission,
    compliment: Compliment,
    team: Team | None,
    staff_user: StaffUser | None,
    *,
    to_named_worker: bool,
) -> dict[str, object]:
    """What templates/messages/compliment_named_staff.txt says: never the author's name."""
    about = submission.team
    return {
        "to_named_worker": to_named_worker,
        "worker_name": staff_user.full_name if staff_user is not None else None,
        "team_name": team.name if team is not None else None,
        "named_from_another_team": team is not None and about is not None and team.id != about.id,
        "compliment_team_name": about.name if about is not None else None,
        "staff_named": compliment.staff_named,
        "received_on": submission.received_on,
        "source": compliment.source.label if compliment.source is not None else None,
        "words": compliment.words,
        "anonymous_use_agreed": compliment.consent_anonymous_use,
        "reference": submission.reference,
    }


# --- register --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    received_from: date | None = None
    received_to: date | None = None
    source_id: int | None = None
    origin: str | None = None  # "internal" | "external"
    service_area_id: int | None = None
    team_id: int | None = None
    text: str | None = None
    team_ids_only: tuple[int, ...] | None = field(default=None)  # a responding manager's teams


def filters_for(user: StaffUser, **values: Any) -> RegisterFilters:
    """The register filters, narrowed to a responding manager's own teams."""
    filters = RegisterFilters(**values)
    if case_scope(user.role) == CaseScope.TEAM:
        filters = replace(filters, team_ids_only=tuple(t.id for t in user.teams))
    return filters


def _register_query(filters: RegisterFilters) -> sa.Select:
    query = (
        sa.select(Submission)
        .join(Compliment, Compliment.submission_id == Submission.id)
        .where(Submission.kind == SubmissionKind.COMPLIMENT)
    )
    if filters.received_from is not None:
        query = query.where(Submission.received_on >= filters.received_from)
    if filters.received_to is not None:
        query = query.where(Submission.received_on <= filters.received_to)
    if filters.source_id is not None:
        query = query.where(Compliment.source_id == filters.source_id)
    if filters.origin == "internal":
        query = query.where(Compliment.internal.is_(True))
    elif filters.origin == "external":
        query = query.where(Compliment.internal.is_(False))
    if filters.service_area_id is not None:
        query = query.where(Submission.service_area_id == filters.service_area_id)
    if filters.team_id is not None:
        query = query.where(Submission.team_id == filters.team_id)
    if filters.team_ids_only is not None:
        query = query.where(Submission.team_id.in_(filters.team_ids_only or (-1,)))
    if filters.text:
        needle = f"%{_escape_like(filters.text.strip().lower())}%"
        query = query.where(
            sa.or_(
                sa.func.lower(Compliment.words).like(needle, escape="\\"),
                sa.func.lower(Compliment.staff_named).like(needle, escape="\\"),
                sa.func.lower(Submission.reference).like(needle, escape="\\"),
            )
        )
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Page:
    items: list[Submission]
    page: int
    pages: int
    total: int
    per_page: int
    external: int = 0
    internal: int = 0

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.page * self.per_page)


def register_page(filters: RegisterFilters, *, page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    query = _register_query(filters)
    counted = query.add_columns(Compliment.internal.label("is_internal")).subquery()
    total, external, internal = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(counted.c.is_internal.is_(False)),
            sa.func.count().filter(counted.c.is_internal.is_(True)),
        ).select_from(counted)
    ).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(
        db.session.scalars(
            query.options(
                selectinload(Submission.compliment).selectinload(Compliment.source),
                selectinload(Submission.team),
                selectinload(Submission.service_area),
            )
            .order_by(Submission.received_on.desc(), Submission.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return Page(
        items=items, page=page, pages=pages, total=total, per_page=per_page, external=external, internal=internal
    )


CSV_BATCH = 500  # rows per streamed chunk

CSV_HEADERS = (
    "reference",
    "received_on",
    "channel",
    "source",
    "internal_or_external",
    "service_area",
    "team",
    "staff_named",
    "words",
    "consent_to_pass_on",
    "consent_to_anonymous_use",
)


def csv_safe(value: object) -> str:
    """A cell spreadsheets will not run as a formula (OWASP CSV injection): risky first characters get a quote."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%"):
        return "'" + text
    return text


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@transactional
def export_csv(filters: RegisterFilters, *, actor_id: int | None) -> Iterator[str]:
    """The filtered register as CSV, one chunk per row, formula-injection safe. The export is audited (it holds
    people's words and staff names) before the first row is produced."""
    audit.record(
        "compliments.exported",
        "compliment_register",
        actor_id=actor_id,
        after={k: v for k, v in asdict(filters).items() if v not in (None, "")},
    )
    return _csv_rows(filters)


def _csv_rows(filters: RegisterFilters) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(CSV_HEADERS)
    yield flush()
    # Plain columns, not ORM objects: a few thousand rows export in a fraction of a second.
    query = (
        _register_query(filters)
        .with_only_columns(
            Submission.reference,
            Submission.received_on,
            Submission.channel,
            Category.label,
            Compliment.internal,
            ServiceArea.name,
            Team.name,
            Compliment.staff_named,
            Compliment.words,
            Compliment.consent_pass_on,
            Compliment.consent_anonymous_use,
        )
        .outerjoin(Category, Category.id == Compliment.source_id)
        .outerjoin(Team, Team.id == Submission.team_id)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .order_by(Submission.received_on, Submission.id)
    )
    for n, row in enumerate(db.session.execute(query), 1):
        (reference, received_on, channel, source, internal, area, team, named, words, pass_on, anonymous) = row
        origin = "" if internal is None else ("internal" if internal else "external")
        writer.writerow(
            [
                csv_safe(v)
                for v in (
                    reference,
                    received_on.isoformat(),
                    CHANNEL_LABELS.get(channel, "") if channel else "",
                    source or "",
                    origin,
                    area or "",
                    team or "",
                    named or "",
                    words or "",
                    _yes_no(pass_on),
                    _yes_no(anonymous),
                )
            ]
        )
        if n % CSV_BATCH == 0:
            yield flush()
    yield flush()


# --- wall --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WallItem:
    month: str  # "November 2026": no exact day, to keep the author anonymous
    source: str | None
    team: str | None
    service_area: str | None
    staff_named: str | None
    words: str


def wall(*, today: date, team_id: int | None = None, limit: int = 60) -> list[WallItem]:
    """Recent external compliments whose authors agreed to anonymous use, newest first, without the author."""
    query = (
        sa.select(Submission)
        .join(Compliment, Compliment.submission_id == Submission.id)
        .where(
            Submission.kind == SubmissionKind.COMPLIMENT,
            Compliment.internal.is_(False),
            Compliment.consent_anonymous_use.is_(True),
            Submission.received_on >= months_ago(today, WALL_MONTHS),
            Submission.received_on <= today,
        )
        .options(
            selectinload(Submission.compliment).selectinload(Compliment.source),
            selectinload(Submission.team),
            selectinload(Submission.service_area),
        )
        .order_by(Submission.received_on.desc(), Submission.id.desc())
        .limit(limit)
    )
    if team_id is not None:
        query = query.where(Submission.team_id == team_id)
    items = []
    for submission in db.session.scalars(query):
        c = submission.compliment
        if not may_show_on_wall(internal=c.internal, consent_anonymous_use=c.consent_anonymous_use):
            continue
        items.append(
            WallItem(
                month=f"{submission.received_on:%B %Y}",
                source=c.source.label if c.source is not None else None,
                team=submission.team.name if submission.team is not None else None,
                service_area=submission.service_area.name if submission.service_area is not None else None,
                staff_named=c.staff_named,
                words=c.words or "",
            )
        )
    return items


# --- choices for forms --------------------------------------------------------------------------------------------


def source_choices(include_id: int | None = None) -> list[Category]:
    """Active compliment sources, plus a retired one still set on the record being edited."""
    query = sa.select(Category).where(Category.kind == CategoryKind.COMPLIMENT_SOURCE)
    if include_id is not None:
        query = query.where(sa.or_(Category.active.is_(True), Category.id == include_id))
    else:
        query = query.where(Category.active.is_(True))
    return list(db.session.scalars(query.order_by(Category.sort_order, Category.label)))


def team_choices() -> list[Team]:
    return list(db.session.scalars(sa.select(Team).where(Team.active.is_(True)).order_by(Team.name)))


def service_area_choices() -> list[ServiceArea]:
    return list(
        db.session.scalars(
            sa.select(ServiceArea)
            .where(ServiceArea.active.is_(True))
            .order_by(ServiceArea.sort_order, ServiceArea.name)
        )
    )


def staff_choices() -> list[StaffUser]:
    return list(
        db.session.scalars(sa.select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.full_name))
    )


def possible_duplicates(submission: Submission) -> list[Submission]:
    """Other compliments with the same fingerprint (shown on the record page)."""
    if submission.compliment is None or not submission.compliment.fingerprint:
        return []
    return list(
        db.session.scalars(
            sa.select(Submission)
            .join(Compliment, Compliment.submission_id == Submission.id)
            .where(Compliment.fingerprint == submission.compliment.fingerprint, Submission.id != submission.id)
            .order_by(Submission.id)
        )
    )


def messages_for(submission: Submission) -> list[OutboxMessage]:
    """The notifications queued for this compliment, oldest first (who was told, and whether it was sent)."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.submission_id == submission.id, OutboxMessage.template == NOTIFICATION_TEMPLATE)
            .order_by(OutboxMessage.id)
        )
    )


def named_staff_user(submission: Submission) -> StaffUser | None:
    compliment = submission.compliment
    if compliment is None or compliment.staff_user_id is None:
        return None
    return db.session.get(StaffUser, compliment.staff_user_id)


def complete_public_compliment(submission: Submission, *, actor_label: str = "public") -> int:
    """For the public journey, after it has attached a Compliment to a new compliment submission: store the
    duplicate fingerprint, mark it external, and tell the named worker and team manager when consent allows.
    Runs in the caller's transaction (only flushes). Returns how many notifications were queued."""
    compliment = submission.compliment
    if submission.kind != SubmissionKind.COMPLIMENT or compliment is None:
        raise DomainError("This submission is not a compliment.")
    if compliment.internal is None:
        compliment.internal = False  # the public are outside the council
    compliment.fingerprint = compliment_fingerprint(submission.received_on, submission.team_id, compliment.words or "")
    db.session.flush()
    return notify_named_staff(submission, actor_label=actor_label)


@dataclass(frozen=True)
class ComplimentView:
    submission: Submission
    compliment: Compliment
    staff_user: StaffUser | None
    duplicates: list[Submission]
    messages: list[OutboxMessage]


def compliment_view(submission: Submission, *, viewer: StaffUser | None = None) -> ComplimentView:
    """What the record page shows: the compliment, who it names, possible duplicates and who was told.
    With a `viewer`, the view is audited like every view of a case."""
    if submission.compliment is None:
        raise DomainError("This submission is not a compliment.")
    if viewer is not None:
        record_case_view(submission, viewer, page="compliment")
    return ComplimentView(
        submission=submission,
        compliment=submission.compliment,
        staff_user=named_staff_user(submission),
        duplicates=possible_duplicates(submission),
        messages=messages_for(submission),
    )
