"""Role checks for staff routes and objects.

Every staff view is decorated with ``roles_required(...)`` (or ``any_signed_in`` for pages every role has, such as
the account page). The route-matrix test fails if a staff endpoint has neither.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from portal.domain.access import can_see_submission
from portal.domain.enums import Role, SubmissionKind

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES = frozenset(Role)


def roles_required(*roles: Role) -> Callable[[F], F]:
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def any_signed_in(view: F) -> F:
    return roles_required(*ALL_ROLES)(view)


def public_staff_page(view: F) -> F:
    """Sign-in, two-factor and password-reset pages: reachable before sign-in is complete."""
    view.allowed_roles = None  # type: ignore[attr-defined]
    view.public_staff_page = True  # type: ignore[attr-defined]
    return view


def user_can_see(user: Any, submission: Any) -> bool:
    from portal.extensions import db
    from portal.models import AdvocacyRequest

    linked = False
    if user.role == Role.ADVOCATE and submission.kind != SubmissionKind.ADVOCACY:
        import sqlalchemy as sa

        linked = (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AdvocacyRequest)
                .where(AdvocacyRequest.linked_complaint_id == submission.id)
            )
            > 0
        )
    return can_see_submission(
        user.role,
        user_team_ids={t.id for t in user.teams},
        submission_kind=submission.kind,
        submission_team_id=submission.team_id,
        linked_to_advocacy_request=linked,
        responding_manager_is_user=submission.responding_manager_id == user.id,
    )


def get_submission_or_404(submission_id: int) -> Any:
    """Load a submission the current user may see; 404 (not 403) otherwise, so ids cannot be probed."""
    from portal.extensions import db
    from portal.models import Submission

    submission = db.session.get(Submission, submission_id)
    if submission is None or not user_can_see(current_user, submission):
        abort(404)
    return submission
