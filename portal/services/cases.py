"""Casework queries and actions: who may see which cases, the staff home counts, the case list (filters and keyset
pagination that stays fast at a million rows), the case page's timeline, internal notes, and the audit history."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.domain.access import Action, CaseScope, can, case_scope
from portal.domain.enums import StageName, SubmissionKind, SubmissionStatus
from portal.domain.references import ALPHABET
from portal.extensions import db
from portal.models import (
    AdvocacyRequest,
    AuditEvent,
    CaseNote,
    Child,
    Person,
    StaffUser,
    StageRecord,
    Submission,
    staff_user_team,
)
from portal.services import audit
from portal.services.clock import now_utc
from portal.services.uow import transactional

PAGE_SIZE = 50
COUNT_CAP = 1_000  # the list says "more than 1,000" past this; home and reports give full counts
OPEN_STATUSES = (SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION, SubmissionStatus.OPEN)
CLOSED_STATUSES = (SubmissionStatus.CLOSED, SubmissionStatus.WITHDRAWN, SubmissionStatus.REFUSED)
NAME_MATCH_LIMIT = 2000


# Who sees what --------------------------------------------------------------------------------------------------


def visible_parts(user: StaffUser) -> list[sa.ColumnElement[bool]]:
    """The submissions a user may see, as alternatives (the list-level twin of staff.permissions.user_can_see).

    Kept as separate parts so the case list can walk one index per part instead of one slow OR."""
    scope = case_scope(user.role)
    if scope == CaseScope.ALL:
        return [sa.true()]
    if scope == CaseScope.TEAM:
        # A literal list (not a subquery) lets the database walk the team index for each team.
        team_ids = sorted(
            db.session.scalars(sa.select(staff_user_team.c.team_id).where(staff_user_team.c.staff_user_id == user.id))
        )
        parts = [Submission.team_id == team_id for team_id in team_ids]
        return [*parts, Submission.responding_manager_id == user.id]
    if scope == CaseScope.ADVOCACY:
        linked = sa.select(AdvocacyRequest.linked_complaint_id).where(AdvocacyRequest.linked_complaint_id.is_not(None))
        return [Submission.kind == SubmissionKind.ADVOCACY, Submission.id.in_(linked)]
    return [sa.false()]


def visible_clause(user: StaffUser) -> sa.ColumnElement[bool]:
    parts = visible_parts(user)
    return parts[0] if len(parts) == 1 else sa.or_(*parts)


def week_end(today: date) -> date:
    """The Sunday that ends today's week: 'due this week' runs from today to then."""
    return today + timedelta(days=6 - today.weekday())


# Staff home -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSummary:
    awaiting_triage: int = 0
    safety_flags: int = 0
    my_cases: int = 0
    due_this_week: int = 0
    overdue: int = 0
    open_cases: int = 0
    flagged: list[Submission] = field(default_factory=list)


def _count(*where: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Submission).where(*where)) or 0


def safety_flag_clause() -> sa.ColumnElement[bool]:
    """Flagged for safety (young person feels unsafe, or words suggesting risk) with no recorded decision yet."""
    return sa.and_(
        sa.or_(Submission.safeguarding_flag.is_(True), Submission.feels_unsafe.is_(True)),
        Submission.safeguarding_decided_at.is_(None),
    )


def home_summary(user: StaffUser, today: date) -> HomeSummary:
    if not can(user.role, Action.VIEW_CASE):
        return HomeSummary()
    visible = visible_clause(user)
    complaints = Submission.kind == SubmissionKind.COMPLAINT
    is_open = Submission.status.in_(OPEN_STATUSES)
    triage_roles = can(user.role, Action.TRIAGE)
    # A responding manager's cases are their teams' cases; everyone else's are the ones assigned to them.
    mine = Submission.assigned_officer_id == user.id if case_scope(user.role) != CaseScope.TEAM else sa.true()
    flagged = []
    if triage_roles:
        flagged = list(
            db.session.scalars(
                sa.select(Submission).where(safety_flag_clause()).order_by(Submission.received_at).limit(10)
            )
        )
    return HomeSummary(
        awaiting_triage=_count(Submission.status == SubmissionStatus.NEW) if triage_roles else 0,
        safety_flags=_count(safety_flag_clause()) if triage_roles else 0,
        my_cases=_count(visible, complaints, is_open, mine),
        due_this_week=_count(
            visible, complaints, is_open, Submission.next_due_on >= today, Submission.next_due_on <= week_end(today)
        ),
        overdue=_count(visible, complaints, is_open, Submission.next_due_on < today),
        open_cases=_count(visible, complaints, is_open),
        flagged=flagged,
    )


# Case list ------------------------------------------------------------------------------------------------------


@dataclass
class CaseFilters:
    status: str | None = None
    stage: str | None = None
    team_id: int | None = None
    officer_id: int | None = None
    overdue: bool = False
    due_this_week: bool = False
    received_from: date | None = None
    received_to: date | None = None
    q: str | None = None
    kind: str | None = SubmissionKind.COMPLAINT.value

    def active(self) -> bool:
        return any(
            [
                self.status,
                self.stage,
                self.team_id,
                self.officer_id,
                self.overdue,
                self.due_this_week,
                self.received_from,
                self.received_to,
                self.q,
            ]
        )


@dataclass
class CasePage:
    rows: list[Submission]
    total: int
    total_capped: bool
    next_cursor: str | None
    prev_cursor: str | None
    first_page: bool


_REFERENCE_RE = re.compile(f"^[{ALPHABET}]{{9}}$")


def _reference_form(text: str) -> str | None:
    """'7kq m9t-x4r' -> '7KQ-M9T-X4R' when the text could be a reference (nine characters of its alphabet)."""
    compact = re.sub(r"[\s-]", "", text.upper())
    if _REFERENCE_RE.match(compact):
        return f"{compact[:3]}-{compact[3:6]}-{compact[6:]}"
    return None


def _name_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def filter_conditions(filters: CaseFilters, today: date) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.kind:
        where.append(Submission.kind == SubmissionKind(filters.kind))
    if filters.status:
        where.append(_status_condition(filters.status))
    if filters.stage:
        where.append(Submission.current_stage == StageName(filters.stage))
    if filters.team_id:
        where.append(Submission.team_id == filters.team_id)
    if filters.officer_id:
        where.append(Submission.assigned_officer_id == filters.officer_id)
    where += _due_conditions(filters, today)
    if filters.received_from:
        where.append(Submission.received_on >= filters.received_from)
    if filters.received_to:
        where.append(Submission.received_on <= filters.received_to)
    if filters.q:
        where.append(_search_condition(filters.q))
    return where


def _status_condition(status: str) -> sa.ColumnElement[bool]:
    if status == "active":
        # "Not closed" as NOT IN: the newest-first index then drives the scan instead of a sort.
        return Submission.status.not_in(CLOSED_STATUSES)
    return Submission.status == SubmissionStatus(status)


def _due_conditions(filters: CaseFilters, today: date) -> list[sa.ColumnElement[bool]]:
    due = []
    if filters.overdue:
        due.append(Submission.next_due_on < today)
    if filters.due_this_week:
        due.append(sa.and_(Submission.next_due_on >= today, Submission.next_due_on <= week_end(today)))
    return [Submission.status.in_(OPEN_STATUSES), sa.or_(*due)] if due else []


def _search_condition(text: str) -> sa.ColumnElement[bool]:
    """A reference that exists finds that case; anything else searches names."""
    reference = _reference_form(text)
    if reference and db.session.scalar(sa.select(Submission.id).where(Submission.reference == reference)):
        return Submission.reference == reference
    return _name_condition(text)


def _name_condition(text: str) -> sa.ColumnElement[bool]:
    """Contacts whose person or child name contains the text. The matching people and children are found first
    (a scan of the smaller tables), then their submissions through the person_id and child_id indexes."""
    pattern = "%" + _name_key(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    person_ids = list(
        db.session.scalars(
            sa.select(Person.id).where(Person.name_key.like(pattern, escape="\\")).limit(NAME_MATCH_LIMIT)
        )
    )
    child_ids = list(
        db.session.scalars(sa.select(Child.id).where(Child.name_key.like(pattern, escape="\\")).limit(NAME_MATCH_LIMIT))
    )
    conditions = []
    if person_ids:
        conditions.append(Submission.person_id.in_(person_ids))
    if child_ids:
        conditions.append(Submission.child_id.in_(child_ids))
    return sa.or_(*conditions) if conditions else sa.false()


def _decode_cursor(cursor: str | None) -> tuple[date, int] | None:
    if not cursor:
        return None
    try:
        day, _, ident = cursor.partition("_")
        return date.fromisoformat(day), int(ident)
    except ValueError:
        return None


def _encode_cursor(row: Submission, sort_column: Any) -> str:
    return f"{getattr(row, sort_column.key).isoformat()}_{row.id}"


def _fetch(parts: list[Any], where: list[Any], sort_column: Any, *, ascending: bool, limit: int) -> list[Submission]:
    """The first `limit` rows in (sort_column, id) order over the union of the visibility parts, one indexed
    query per part, merged here."""
    if ascending:
        order = (sort_column.asc(), Submission.id.asc())
    else:
        order = (sort_column.desc(), Submission.id.desc())
    key = sort_column.key
    found: dict[int, Submission] = {}
    for part in parts:
        query = sa.select(Submission).where(part, *where).order_by(*order).limit(limit).options(*_list_options())
        for row in db.session.scalars(query):
            found[row.id] = row
    rows = sorted(found.values(), key=lambda r: (getattr(r, key), r.id), reverse=not ascending)
    return rows[:limit]


def _capped_count(parts: list[Any], where: list[Any]) -> int:
    """How many rows match, counting at most COUNT_CAP + 1: one limited, indexed query per part, de-duplicated."""
    branches = [
        sa.select(sa.select(Submission.id).where(part, *where).limit(COUNT_CAP + 1).subquery().c.id) for part in parts
    ]
    ids = branches[0] if len(branches) == 1 else sa.union(*branches)
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0


def list_cases(
    user: StaffUser,
    filters: CaseFilters,
    today: date,
    *,
    after: str | None = None,
    before: str | None = None,
    page_size: int = PAGE_SIZE,
) -> CasePage:
    """Newest received first, or soonest due first when filtering on due dates; pages by keyset on (that date,
    id), so every page costs the same however deep it is."""
    parts = visible_parts(user)
    where = filter_conditions(filters, today)
    by_due = filters.overdue or filters.due_this_week
    sort_column = Submission.next_due_on if by_due else Submission.received_on
    display_ascending = by_due
    after_key, before_key = _decode_cursor(after), _decode_cursor(before)
    key_columns = sa.tuple_(sort_column, Submission.id)

    def beyond(cursor: tuple[date, int], forward: bool) -> Any:
        value = sa.tuple_(sa.literal(cursor[0]), sa.literal(cursor[1]))
        return key_columns > value if forward == display_ascending else key_columns < value

    if before_key is not None:
        rows = _fetch(
            parts,
            [*where, beyond(before_key, False)],
            sort_column,
            ascending=not display_ascending,
            limit=page_size + 1,
        )
        has_more_before = len(rows) > page_size
        rows = list(reversed(rows[:page_size]))
        first_page = not has_more_before
        next_cursor = _encode_cursor(rows[-1], sort_column) if rows else None
        prev_cursor = _encode_cursor(rows[0], sort_column) if rows and has_more_before else None
    else:
        page_where = list(where)
        if after_key is not None:
            page_where.append(beyond(after_key, True))
        rows = _fetch(parts, page_where, sort_column, ascending=display_ascending, limit=page_size + 1)
        has_more = len(rows) > page_size
        rows = rows[:page_size]
        first_page = after_key is None
        next_cursor = _encode_cursor(rows[-1], sort_column) if rows and has_more else None
        prev_cursor = _encode_cursor(rows[0], sort_column) if rows and not first_page else None
    total = _capped_count(parts, where)
    return CasePage(
        rows=rows,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
        next_cursor=next_cursor,
        prev_cursor=prev_cursor,
        first_page=first_page,
    )


def _list_options() -> list[Any]:
    return [
        joinedload(Submission.person),
        joinedload(Submission.child),
        joinedload(Submission.team),
        joinedload(Submission.assigned_officer),
    ]


# Case page ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "event", "note", "stage"
    title: str
    actor: str | None
    body: str | None = None
    details: dict[str, Any] | None = None


ACTION_TITLES = {
    "case.viewed": "Case viewed",
    "submission.created": "Received",
    "submission.triaged": "Triaged",
    "submission.classified": "Classified",
    "submission.assigned": "Assignment changed",
    "submission.safety_decision": "Safety decision recorded",
    "submission.person_linked": "Linked to a person",
    "note.added": "Internal note added",
}


def action_title(action: str) -> str:
    return ACTION_TITLES.get(action) or action.replace(".", ": ").replace("_", " ").capitalize()


@transactional
def record_case_view(submission: Submission, user: StaffUser, *, page: str = "case") -> None:
    """Every view of a case is an audit event."""
    audit.record(
        "case.viewed",
        "submission",
        submission.id,
        actor_id=user.id,
        submission_id=submission.id,
        after={"page": page},
    )


def staff_names() -> dict[int, str]:
    return dict(db.session.execute(sa.select(StaffUser.id, StaffUser.full_name)).all())


def timeline(submission: Submission, *, include_views: bool = False) -> list[TimelineEntry]:
    names = staff_names()
    entries: list[TimelineEntry] = []
    events = sa.select(AuditEvent).where(AuditEvent.submission_id == submission.id)
    if not include_views:
        events = events.where(AuditEvent.action != "case.viewed")
    for event in db.session.scalars(events.order_by(AuditEvent.occurred_at, AuditEvent.id)):
        if event.action == "note.added":
            continue  # the note itself is on the timeline
        actor = names.get(event.actor_id) if event.actor_id else event.actor_label.capitalize()
        entries.append(
            TimelineEntry(event.occurred_at, "event", action_title(event.action), actor, details=event.after or None)
        )
    for note in notes_for(submission):
        author = "Member of the public" if note.from_public else (note.author.full_name if note.author else None)
        entries.append(TimelineEntry(note.created_at, "note", "Internal note", author, body=note.body))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def notes_for(submission: Submission) -> list[CaseNote]:
    return list(
        db.session.scalars(
            sa.select(CaseNote)
            .where(CaseNote.submission_id == submission.id)
            .options(joinedload(CaseNote.author))
            .order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
        )
    )


@transactional
def add_note(submission: Submission, *, body: str, author: StaffUser) -> CaseNote:
    body = body.strip()
    note = CaseNote(submission_id=submission.id, author_id=author.id, body=body, created_at=now_utc())
    db.session.add(note)
    db.session.flush()
    audit.record(
        "note.added",
        "case_note",
        note.id,
        actor_id=author.id,
        submission_id=submission.id,
        after={"length": len(body)},
    )
    return note


def linked_contacts(submission: Submission, user: StaffUser) -> list[Submission]:
    """Other contacts from the same person (only those this user may see)."""
    if submission.person_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(
                Submission.person_id == submission.person_id,
                Submission.id != submission.id,
                visible_clause(user),
            )
            .order_by(Submission.received_on.desc())
            .limit(50)
        )
    )


def stages_for(submission: Submission) -> list[StageRecord]:
    return list(
        db.session.scalars(
            sa.select(StageRecord).where(StageRecord.submission_id == submission.id).order_by(StageRecord.id)
        )
    )


# Audit history --------------------------------------------------------------------------------------------------


def audit_history(submission: Submission) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                sa.or_(
                    AuditEvent.submission_id == submission.id,
                    sa.and_(AuditEvent.object_type == "submission", AuditEvent.object_id == submission.id),
                )
            )
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


@transactional
def audit_history_csv(submission: Submission, user: StaffUser) -> str:
    names = staff_names()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["When (UTC)", "Who", "Action", "Object", "Object id", "Before", "After", "Request id"])
    for event in audit_history(submission):
        who = names.get(event.actor_id, "") if event.actor_id else event.actor_label
        writer.writerow(
            [
                safe_cell(event.occurred_at.isoformat()),
                safe_cell(who),
                safe_cell(event.action),
                safe_cell(event.object_type),
                safe_cell(event.object_id),
                safe_cell(json.dumps(event.before, sort_keys=True) if event.before else ""),
                safe_cell(json.dumps(event.after, sort_keys=True) if event.after else ""),
                safe_cell(event.request_id),
            ]
        )
    audit.record(
        "case.audit_exported",
        "submission",
        submission.id,
        actor_id=user.id,
        submission_id=submission.id,
    )
    return out.getvalue()
