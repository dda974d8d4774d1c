"""The permission map (portal.domain.access) applied to staff routes, cases and templates.

Every staff view is decorated with ``@requires(Action.X)``, or ``@public_staff_page`` for the sign-in pages that
are reachable before sign-in is complete. The route × role test fails if a staff endpoint has neither. Cases are
loaded with ``get_submission_or_404``, which answers 404 (never 403) for a case the user may not see, so ids
cannot be probed. Templates ask ``can(Action.X)`` or ``can(Action.X, case=submission)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user

from portal.domain.access import Action, CaseFacts, CaseScope, can, case_scope
from portal.domain.enums import SubmissionKind
from portal.extensions import db
from portal.models import AdvocacyRequest, StaffUser, Submission
from staff import bp

F = TypeVar("F", bound=Callable[..., Any])


def requires(action: Action) -> Callable[[F], F]:
    """Only signed-in staff whose role may take ``action`` reach the view (others get 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if not can(current_user.role, action):
                abort(403)
            return view(*args, **kwargs)

        cast(Any, wrapped).required_action = action
        return cast(F, wrapped)

    return decorator


def public_staff_page(view: F) -> F:
    """Sign-in, two-factor and password-reset pages: reachable before sign-in is complete."""
    cast(Any, view).public_staff_page = True
    return view


def required_action(view: Callable[..., Any]) -> Action | None:
    """The action a staff view requires (None for public staff pages and non-staff views)."""
    return cast(Action | None, getattr(view, "required_action", None))


def may_open(user: Any, endpoint: str) -> bool:
    """May ``user`` open the page at ``endpoint``? (Navigation and settings menus list only what opens.)"""
    view = current_app.view_functions[endpoint]  # an unknown endpoint is a bug: fail loudly
    if getattr(view, "public_staff_page", False):
        return True
    action = required_action(view)
    return action is not None and can(user.role, action)


def case_facts(user: StaffUser, submission: Submission) -> CaseFacts:
    linked = False  # asked only when it matters: an advocate looking at a complaint
    if case_scope(user.role) == CaseScope.ADVOCACY and submission.kind != SubmissionKind.ADVOCACY:
        linked = bool(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AdvocacyRequest)
                .where(AdvocacyRequest.linked_complaint_id == submission.id)
            )
        )
    return CaseFacts(
        kind=SubmissionKind(submission.kind),
        in_users_team=submission.team_id is not None and submission.team_id in {t.id for t in user.teams},
        responding_manager_is_user=submission.responding_manager_id == user.id,
        linked_to_advocacy_request=linked,
    )


def user_can_see(user: StaffUser, submission: Submission) -> bool:
    return can(user.role, Action.VIEW_CASE, case=case_facts(user, submission))


def get_submission_or_404(submission_id: int) -> Submission:
    """Load a submission the current user may see; 404 (not 403) otherwise, so ids cannot be probed."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not user_can_see(current_user, submission):
        abort(404)
    return submission


def current_user_can(action: Action | str, case: Submission | None = None) -> bool:
    """The template global ``can``: may the signed-in user take ``action`` (on ``case``)?"""
    if not current_user.is_authenticated:
        return False
    facts = case_facts(current_user, case) if case is not None else None
    return can(current_user.role, action, case=facts)


@bp.app_context_processor
def _permission_globals() -> dict[str, Any]:
    return {"can": current_user_can, "Action": Action}
