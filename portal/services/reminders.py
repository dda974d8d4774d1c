"""Daily reminder digests to the people who must act: N working days before a due date and when overdue.

One message per person per day at most (the outbox's dedupe_key), so running the command twice sends nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from portal.domain.enums import LearningStatus, StageStatus, SubmissionStatus
from portal.domain.lifecycle import stage_label
from portal.extensions import db
from portal.models import LearningAction, StaffUser, StageRecord, Submission
from portal.services import audit
from portal.services.calendar import calendar_for
from portal.services.messages import queue_email
from portal.services.uow import transactional

OPEN_STAGE = (StageStatus.OPEN.value, StageStatus.REQUESTED.value)
OPEN_LEARNING = (LearningStatus.OPEN.value, LearningStatus.IN_PROGRESS.value)


@dataclass(frozen=True)
class ReminderItem:
    reference: str
    what: str
    due_on: date


def _stage_items(horizon: date) -> dict[int, list[ReminderItem]]:
    """Stage acknowledgements and responses due on or before `horizon`, by the staff member who must act."""
    owner = sa.func.coalesce(Submission.responding_manager_id, Submission.assigned_officer_id)
    by_user: dict[int, list[ReminderItem]] = {}
    rows = db.session.execute(
        sa.select(owner, Submission.reference, StageRecord)
        .join(Submission, Submission.id == StageRecord.submission_id)
        .where(
            StageRecord.status.in_(OPEN_STAGE),
            Submission.status == SubmissionStatus.OPEN,
            owner.is_not(None),
            sa.or_(
                StageRecord.due_on <= horizon,
                sa.and_(StageRecord.acknowledged_on.is_(None), StageRecord.acknowledge_due_on <= horizon),
            ),
        )
    )
    for user_id, reference, stage in rows:
        items = by_user.setdefault(user_id, [])
        if stage.acknowledged_on is None and stage.acknowledge_due_on and stage.acknowledge_due_on <= horizon:
            items.append(
                ReminderItem(reference, f"acknowledgement of {stage_label(stage.stage)}", stage.acknowledge_due_on)
            )
        if stage.due_on and stage.due_on <= horizon:
            items.append(ReminderItem(reference, f"{stage_label(stage.stage)} response", stage.due_on))
    return by_user


def _collect(horizon: date) -> dict[int, list[ReminderItem]]:
    """Items due on or before `horizon` (stages and learning actions), grouped by the staff member who must act."""
    by_user = _stage_items(horizon)
    actions = db.session.execute(
        sa.select(LearningAction.responsible_officer_id, Submission.reference, LearningAction.due_on)
        .outerjoin(Submission, Submission.id == LearningAction.submission_id)
        .where(
            LearningAction.status.in_(OPEN_LEARNING),
            LearningAction.responsible_officer_id.is_not(None),
            LearningAction.due_on <= horizon,
        )
    )
    for user_id, reference, due_on in actions:
        if user_id is not None and due_on is not None:
            by_user.setdefault(user_id, []).append(ReminderItem(reference or "No case", "learning action", due_on))
    return by_user


@transactional
def send_reminders(today: date) -> dict[str, int]:
    """Queue today's digests (working days only: nobody is reminded on a weekend or bank holiday). Returns counts
    of digests queued and people skipped because theirs was already sent today."""
    days = int(current_app.config.get("REMINDER_WORKING_DAYS", 2))
    calendar = calendar_for(None)
    counts = {"queued": 0, "already_sent": 0, "items": 0, "not_a_working_day": 0}
    if not calendar.is_working_day(today):
        counts["not_a_working_day"] = 1
        return counts
    horizon = calendar.add_working_days(today, days)
    for user_id, items in sorted(_collect(horizon).items()):
        user = db.session.get(StaffUser, user_id)
        if user is None or not user.active or not items:
            continue
        items.sort(key=lambda i: (i.due_on, i.reference))
        message = queue_email(
            user.email,
            "reminder_digest",
            dedupe_key=f"digest:{today.isoformat()}:user:{user.id}",
            name=user.full_name,
            today=today,
            overdue=[i for i in items if i.due_on < today],
            upcoming=[i for i in items if i.due_on >= today],
            days=days,
        )
        if message is None:
            counts["already_sent"] += 1
        else:
            counts["queued"] += 1
            counts["items"] += len(items)
    audit.record("reminders.queued", "outbox_message", actor_label="system", after={"date": today, **counts})
    return counts
