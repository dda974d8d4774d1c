"""Public journey drafts, kept on the server so nothing a person types is lost (refresh, back button, a closed
browser). The draft's random id is held in the session and in a long-lived cookie; the answers live here,
in the ``draft`` table, until they are submitted or the draft expires (DRAFT_LIFETIME after the last save).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from portal.domain.enums import Audience, CareStatus, CategoryKind, PersonType, SubmissionKind
from portal.domain.journeys import (
    COMPLETED,
    CONTACT_DIRECT,
    NO_CONTACT,
    Journey,
    JourneyContext,
    theme_labels_for_topics,
)
from portal.extensions import db
from portal.models import Category, Draft, Team
from portal.services import clock
from portal.services.submissions import CreatedSubmission, NewSubmission, create_submission

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
    db.session.commit()
    return draft


def discard(token: str | None) -> bool:
    draft = db.session.get(Draft, token) if token else None
    if draft is None or draft.submission_id is not None:
        return False
    db.session.delete(draft)
    db.session.commit()
    return True


def purge_expired(now: datetime | None = None) -> int:
    """Delete drafts past their expiry (submitted or not). Returns how many were deleted."""
    now = now or clock.now_utc()
    result = db.session.execute(sa.delete(Draft).where(Draft.expires_at <= now))
    db.session.commit()
    count = result.rowcount or 0
    log.info("purged %s expired drafts", count)
    return count


# -- choices the journeys offer, from the council's lists ------------------------------------------------------


def category_choices(kind: CategoryKind) -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(Category.id, Category.label)
        .where(Category.kind == kind, Category.active.is_(True))
        .order_by(Category.sort_order, Category.label)
    )
    return [(str(i), label) for i, label in rows]


def team_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(sa.select(Team.id, Team.name).where(Team.active.is_(True)).order_by(Team.name))
    return [(str(i), name) for i, name in rows]


def journey_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "teams": team_choices(),
        "outcomes": category_choices(CategoryKind.OUTCOME_SOUGHT),
        "advocacy_help": category_choices(CategoryKind.ADVOCACY_HELP),
        "compliment_sources": category_choices(CategoryKind.COMPLIMENT_SOURCE),
    }


# -- answers -> a new submission -----------------------------------------------------------------------------------


def _date(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _ids(values: Any) -> list[int]:
    return [i for i in (_int(v) for v in values or []) if i is not None]


def _labels(kind: CategoryKind, ids: list[int]) -> list[str]:
    if not ids:
        return []
    rows = db.session.execute(sa.select(Category.id, Category.label).where(Category.kind == kind, Category.id.in_(ids)))
    by_id = dict(rows.all())
    return [by_id[i] for i in ids if i in by_id]


def to_new_submission(journey: Journey, answers: dict[str, Any], ctx: JourneyContext) -> NewSubmission:
    """Turn the answers of the steps that still apply into a NewSubmission."""
    a = journey.visible_answers(answers, ctx)
    young = journey.audience == Audience.YOUNG_PERSON
    methods = [m for m in a.get("contact_methods") or [] if m != NO_CONTACT]
    direct = set(methods) & set(CONTACT_DIRECT) if young else None
    needs: dict[str, Any] = {}
    for need in a.get("needs") or []:
        needs[need] = True
    if needs.get("interpreter") and a.get("interpreter_language"):
        needs["interpreter_language"] = a["interpreter_language"]
    data = NewSubmission(
        kind=journey.kind,
        audience=journey.audience,
        full_name=a.get("full_name") or None,
        # A young person's number or email is only used when they chose a direct way to contact them.
        email=(a.get("email") or None) if not young or (direct and "email" in direct) else None,
        phone=(a.get("phone") or None) if not young or (direct and direct & {"phone", "text"}) else None,
        address=a.get("address") or None,
        contact_methods=methods or None,
        ok_to_leave_message=a.get("ok_to_leave_message") or None,
        safe_contact_notes=a.get("safe_contact_notes") or None,
        answers=dict(a.items()),
        needs=needs or None,
    )
    if young:
        data.person_type = PersonType.CHILD_OR_YOUNG_PERSON
        data.acting_capacity = "own_right"
        data.safe_answer = a.get("safe")
    else:
        person_type = a.get("person_type")
        data.person_type = PersonType(person_type) if person_type else None
        data.relationship_to_child = a.get("relationship_to_child") or None

    if journey.kind == SubmissionKind.COMPLAINT:
        data.what_happened = a.get("what_happened")
        data.outcome_wanted = a.get("outcome_wanted") or None
        if young:
            data.theme_labels = theme_labels_for_topics(a.get("about") or [])
            data.about_text = ", ".join(a.get("about") or []) or None
            data.wants_advocate = _yes_no(a.get("wants_advocate"))
        else:
            data.acting_capacity = "on_behalf"
            data.child_name = a.get("child_name")
            data.child_date_of_birth = _date(a.get("child_date_of_birth"))
            data.has_parental_responsibility = a.get("has_parental_responsibility")
            data.child_knows = a.get("child_knows") or "too_young"
            data.child_consent_note = a.get("child_consent_note") or None
            data.team_id = _int(a.get("team_id"))
            data.worker_name = a.get("worker_name") or None
            data.grounds_arose_on = _date(a.get("grounds_arose_on"))
            data.happened_when = a.get("happened_when") or None
            data.court_proceedings = a.get("court_proceedings")
            data.outcome_sought_ids = _ids(a.get("outcome_sought"))
            if a.get("late_reason"):
                data.answers["late_reason"] = a["late_reason"]
    elif journey.kind == SubmissionKind.COMPLIMENT:
        data.staff_named = a.get("staff_named")
        data.compliment_words = a.get("words")
        data.what_happened = a.get("words")
        data.consent_pass_on = _yes_no(a.get("consent_pass_on"))
        data.consent_anonymous_use = _yes_no(a.get("consent_anonymous_use"))
        data.team_id = _int(a.get("team_id"))
        sources = _ids([a.get("compliment_source")])
        data.compliment_source_id = sources[0] if sources else None
        data.person_type = None if not young else data.person_type
    else:  # advocacy
        for_self = young or a.get("for_whom") == "me"
        data.for_self = for_self
        data.young_person_agrees = "yes" if for_self else a.get("young_person_agrees")
        data.young_person_age = _int(a.get("young_person_age"))
        data.care_status = CareStatus(a["situation"]) if a.get("situation") else None
        data.help_with = _labels(CategoryKind.ADVOCACY_HELP, _ids(a.get("help_with")))
        data.help_details = a.get("help_details") or None
        data.what_happened = a.get("help_details") or None
        data.needed_by = _date(a.get("needed_by"))
        data.wants_advocate = True
        if for_self:
            data.person_type = PersonType.CHILD_OR_YOUNG_PERSON if young or data.person_type is None else None
            data.child_name = a.get("full_name")
        else:
            data.acting_capacity = "on_behalf"
            data.child_name = a.get("child_name")
    return data


@dataclass(frozen=True)
class SubmitResult:
    created: CreatedSubmission | None
    incomplete: bool = False


def submit(token: str | None, journey: Journey) -> SubmitResult:
    """Submit a complete draft. A draft already submitted returns its submission (double click, resubmitted form)."""
    from portal.services.submissions import existing_for_draft

    if token:
        existing = existing_for_draft(token)
        if existing is not None:
            return SubmitResult(CreatedSubmission(existing, created=False, tracking_code=None))
    draft = get_draft(token, journey.key)
    ctx = journey_context()
    if draft is None or not journey.is_complete(draft.answers or {}, ctx):
        return SubmitResult(None, incomplete=True)
    data = to_new_submission(journey, draft.answers or {}, ctx)
    created = create_submission(data, draft_token=draft.id, commit=False)
    if created.created:
        draft.submission_id = created.submission.id
        draft.answers = {}  # the words now live on the submission; keep no second copy
        draft.updated_at = clock.now_utc()
    db.session.commit()
    return SubmitResult(created)
