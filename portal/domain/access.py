"""Who may see what. Pure rules over plain values; the staff blueprint applies them to every route and object."""

from __future__ import annotations

from collections.abc import Collection

from portal.domain.enums import Role, SubmissionKind

# Roles that work on cases (personal data). Report viewers and administrators never see a case.
CASEWORK_ROLES = frozenset({Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.RESPONDING_MANAGER, Role.ADVOCATE})
ALL_CASES_ROLES = frozenset({Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER})
MANAGER_ROLES = frozenset({Role.COMPLAINTS_MANAGER})


def can_see_submission(
    role: Role,
    *,
    user_team_ids: Collection[int],
    submission_kind: SubmissionKind,
    submission_team_id: int | None,
    linked_to_advocacy_request: bool = False,
    responding_manager_is_user: bool = False,
) -> bool:
    """Object-level check for one submission.

    - complaints manager and officer: every submission;
    - responding manager: submissions assigned to one of their teams, or to them by name;
    - advocate: advocacy requests, and complaints linked to an advocacy request;
    - report viewer and administrator: none (aggregates and configuration only).
    """
    if role in ALL_CASES_ROLES:
        return True
    if role == Role.RESPONDING_MANAGER:
        return responding_manager_is_user or (submission_team_id is not None and submission_team_id in user_team_ids)
    if role == Role.ADVOCATE:
        return submission_kind == SubmissionKind.ADVOCACY or linked_to_advocacy_request
    return False
