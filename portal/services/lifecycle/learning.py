"""Learning actions: what the council promised to change after a complaint, and the evidence it did."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.enums import (
    LearningCategory,
    LearningStatus,
)
from portal.extensions import db
from portal.models import (
    LearningAction,
    Submission,
)
from portal.services import audit
from portal.services.lifecycle.records import current_stage
from portal.services.uow import transactional

LEARNING_FIELDS = (
    "root_cause",
    "category",
    "description",
    "responsible_officer",
    "responsible_officer_id",
    "team_id",
    "due_on",
    "status",
    "evidence",
    "completed_on",
)


def _check_learning(values: dict[str, Any], *, new: bool, today: date) -> tuple[str, str]:
    """Every rule of the learning form, before anything changes. Returns the category and the status."""
    category = values.get("category")
    if category not in {c.value for c in LearningCategory}:
        raise DomainError("Select the category of learning")
    if not (values.get("description") or "").strip():
        raise DomainError("Enter what will be done")
    if not ((values.get("responsible_officer") or "").strip() or values.get("responsible_officer_id")):
        raise DomainError("Enter the responsible officer")
    status = values.get("status") or LearningStatus.OPEN.value
    if status not in {s.value for s in LearningStatus}:
        raise DomainError("Select the status")
    _check_completion(values, completed=status == LearningStatus.COMPLETED.value, today=today)
    if new and values.get("due_on") is None:
        raise DomainError("Enter the date the action is due")
    return str(category), str(status)


def _check_completion(values: dict[str, Any], *, completed: bool, today: date) -> None:
    if not completed:
        if values.get("completed_on") is not None:
            raise DomainError("Only a completed action has a completion date")
        return
    if not (values.get("evidence") or "").strip():
        raise DomainError("Enter the evidence that the action was completed")
    if values.get("completed_on") is None:
        raise DomainError("Enter the date the action was completed")
    rules.check_not_future(values["completed_on"], today, "The completion date")


@transactional
def save_learning_action(
    submission: Submission | None,
    action: LearningAction | None,
    *,
    values: dict[str, Any],
    actor_id: int | None,
    today: date,
) -> LearningAction:
    """Create or update a promised action (the complaint monitoring and learning form). Completing an action
    needs evidence and a completion date."""
    category, status = _check_learning(values, new=action is None, today=today)
    before = audit.snapshot(action, LEARNING_FIELDS) if action is not None else None
    if action is None:
        stage = current_stage(submission) if submission is not None else None
        action = LearningAction(
            submission_id=submission.id if submission is not None else None,
            stage_id=stage.id if stage is not None else None,
            team_id=submission.team_id if submission is not None else None,
            category=category,
            description="",
        )
        db.session.add(action)
    for name in LEARNING_FIELDS:
        if name in values:
            value = values[name]
            setattr(action, name, (value.strip() or None) if isinstance(value, str) else value)
    action.status = status
    db.session.flush()
    audit.record(
        "learning.saved" if before else "learning.created",
        "learning_action",
        action.id,
        actor_id=actor_id,
        submission_id=action.submission_id,
        before=before,
        after=audit.snapshot(action, LEARNING_FIELDS),
    )
    return action
