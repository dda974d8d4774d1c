"""Public journey drafts, kept on the server so nothing a person types is lost (refresh, back button, a closed
browser). The draft's random id is held in the session and in a long-lived cookie; the answers live here,
in the ``draft`` table, until they are submitted or the draft expires (DRAFT_LIFETIME after the last save).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import CursorResult

from portal.domain.enums import CategoryKind
from portal.domain.questions import COMPLETED, Choice, Journey, JourneyContext, ListLabels
from portal.extensions import db
from portal.models import Category, Draft, Team
from portal.services import clock
from portal.services.submissions import CreatedSubmission, NewSubmission, create_submission, existing_for_draft
from portal.services.uow import transactional

log = logging.getLogger(__name__)


def journey_context() -> JourneyContext:
    cfg = current_app.config
    return JourneyContext(
        today=clock.today_london(),
        consent_age=int(cfg.get("CONSENT_AGE", 12)),
        out_of_time_months=int(cfg.get("OUT_OF_TIME_MONTHS", 12)),
    )


def new_token() -> str:
    return secrets.token_urlsafe(32)


def get_draft(token: str | None, journey: str | None = None) -> Draft | None:
    """A live draft (not expired, not yet submitted), optionally only for one journey."""
    if not token or len(token) > 64:
        return None
    draft = db.session.get(Draft, token)
    if draft is None or draft.expires_at <= clock.now_utc() or draft.submission_id is not None:
        return None
    if journey is not None and draft.journey != journey:
        return None
    return draft


@transactional
def save_step(token: str | None, journey: Journey, step: str, updates: dict[str, Any]) -> Draft:
    """Store one page's answers (creating the draft on the first save) and mark the page done."""
    now = clock.now_utc()
    draft = get_draft(token, journey.key)
    if draft is None:
        draft = Draft(id=new_token(), journey=journey.key, answers={}, created_at=now)
        db.session.add(draft)
    answers = dict(draft.answers or {})
    answers.update(updates)
    completed = [key for key in answers.get(COMPLETED, []) if key != step]
    answers[COMPLETED] = [*completed, step]
    draft.answers = answers  # a new dict, so the JSON column is seen as changed
    draft.updated_at = now
    draft.expires_at = now + current_app.config["DRAFT_LIFETIME"]
    return draft


@transactional
def discard(token: str | None) -> bool:
    draft = db.session.get(Draft, token) if token else None
    if draft is None or draft.submission_id is not None:
        return False
    db.session.delete(draft)
    return True


@transactional
def purge_expired(now: datetime | None = None) -> int:
    """Delete drafts past their expiry (submitted or not). Returns how many were deleted."""
    result = db.session.execute(sa.delete(Draft).where(Draft.expires_at <= (now or clock.now_utc())))
    count = cast("CursorResult[Any]", result).rowcount or 0
    log.info("purged %s expired drafts", count)
    return count


# -- choices the journeys offer, from the council's lists ------------------------------------------------------

# Each council list a question may offer, as a Category kind (teams come from the Team table).
LIST_KINDS = {
    "outcomes": CategoryKind.OUTCOME_SOUGHT,
    "advocacy_help": CategoryKind.ADVOCACY_HELP,
    "compliment_sources": CategoryKind.COMPLIMENT_SOURCE,
}


def category_choices(kind: CategoryKind) -> list[Choice]:
    rows = db.session.execute(
        sa.select(Category.id, Category.label)
        .where(Category.kind == kind, Category.active.is_(True))
        .order_by(Category.sort_order, Category.label)
    )
    return [Choice(str(i), label) for i, label in rows]


def team_choices() -> list[Choice]:
    rows = db.session.execute(sa.select(Team.id, Team.name).where(Team.active.is_(True)).order_by(Team.name))
    return [Choice(str(i), name) for i, name in rows]


def journey_choices() -> dict[str, list[Choice]]:
    """The choices on each of the council's lists that the journeys offer today (active ones, in order)."""
    return {"teams": team_choices(), **{name: category_choices(kind) for name, kind in LIST_KINDS.items()}}


def list_labels_for(journey: Journey, answers: Mapping[str, Any]) -> ListLabels:
    """The labels of what the answers chose from the council's lists, whether or not still offered (two queries at
    most: teams, and every other list's categories)."""
    wanted: dict[str, set[int]] = {}
    for question in journey.questions():
        value = answers.get(question.name)
        if question.choice_list is not None and value not in (None, "", []):
            values = value if isinstance(value, list | tuple) else [value]
            wanted.setdefault(question.choice_list, set()).update(int(v) for v in values if str(v).isdigit())
    known: dict[str, dict[str, str]] = {}
    if wanted.get("teams"):
        rows = db.session.execute(sa.select(Team.id, Team.name).where(Team.id.in_(wanted["teams"])))
        known["teams"] = {str(i): name for i, name in rows}
    category_ids = {i for name, ids in wanted.items() if name != "teams" for i in ids}
    if category_ids:
        lists = {kind: name for name, kind in LIST_KINDS.items()}
        categories = db.session.execute(
            sa.select(Category.id, Category.kind, Category.label).where(Category.id.in_(category_ids))
        )
        for i, kind, label in categories:
            if kind in lists:
                known.setdefault(lists[kind], {})[str(i)] = label

    def labels(choice_list: str, values: Sequence[str]) -> Mapping[str, str]:
        found = known.get(choice_list, {})
        return {value: found[value] for value in values if value in found}

    return labels


# -- answers -> a new submission -----------------------------------------------------------------------------------


def to_new_submission(journey: Journey, answers: dict[str, Any], ctx: JourneyContext) -> NewSubmission:
    """The answers of the questions that still apply, as the journey's definition says they fill a submission."""
    values = journey.submission_values(answers, ctx, list_labels_for(journey, answers))
    return NewSubmission(kind=journey.kind, audience=journey.audience, **values)


@dataclass(frozen=True)
class SubmitResult:
    created: CreatedSubmission | None
    incomplete: bool = False


@transactional
def submit(token: str | None, journey: Journey) -> SubmitResult:
    """Submit a complete draft. A draft already submitted returns its submission (double click, resubmitted form)."""
    if token:
        existing = existing_for_draft(token)
        if existing is not None:
            return SubmitResult(CreatedSubmission(existing, created=False, tracking_code=None))
    draft = get_draft(token, journey.key)
    ctx = journey_context()
    if draft is None or not journey.is_complete(draft.answers or {}, ctx):
        return SubmitResult(None, incomplete=True)
    data = to_new_submission(journey, draft.answers or {}, ctx)
    created = create_submission(data, draft_token=draft.id)
    if created.created:
        draft.submission_id = created.submission.id
        draft.answers = {}  # the words now live on the submission; keep no second copy
        draft.updated_at = clock.now_utc()
    return SubmitResult(created)
