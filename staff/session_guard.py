"""Staff session rules: sign-in required everywhere, two-factor completed, a server-side session checked on every
request (idle and absolute timeouts, sign-out, revocation; portal/session_store.py), and "sign out everywhere"
through the user's session version.

Session keys (the contract the sign-in views and the tests use):
- ``_user_id``: Flask-Login's id, "<user id>:<session version>";
- ``staff_sid``: the token of the server-side session (the store keeps only its hash);
- ``staff_2fa``: True once the second factor has been checked.

A GET never changes the session: the last-seen time lives in the store, not in the cookie.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user

from portal import session_store
from portal.extensions import db, login_manager
from portal.models import StaffUser
from staff import bp
from staff.permissions import may_open

NAVIGATION = (
    # (endpoint, text): shown when the signed-in user may open the page (staff.permissions.may_open)
    ("staff.home", "Home"),
    ("staff.triage_inbox", "Inbox"),
    ("staff.case_list", "Cases"),
    ("staff.deadlines", "Deadlines"),
    ("staff.learning_register", "Learning"),
    ("staff.compliments_register", "Compliments"),
    ("staff.advocacy_queue", "Advocacy"),
    ("staff.reports_index", "Reports"),
    ("staff.admin_index", "Settings"),
    ("staff.admin_security", "Security"),
    ("staff.account", "Your account"),
)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """The signed-in user, only while the server-side session behind the cookie is alive and theirs."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(StaffUser, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    token = session.get("staff_sid")
    if user is None or not user.active or user.session_version != version:
        session_store.end(token)
        return None
    state = session_store.check(token, user.id, datetime.now(UTC))
    if state is not session_store.SessionState.ACTIVE:
        g.staff_session_expired = state is session_store.SessionState.EXPIRED
        return None
    return user


login_manager.login_view = "staff.sign_in"
login_manager.login_message = "Sign in to continue."
# Flask-Login's own "protection" only marks sessions non-fresh (which nothing here uses) and writes to the cookie on
# a GET; the server-side session above is the protection.
login_manager.session_protection = None


def start_staff_session(user: StaffUser) -> None:
    """After both factors: a new server-side session, its token in the (already renewed) cookie."""
    session["staff_sid"] = session_store.start(user.id, datetime.now(UTC))
    session["staff_2fa"] = True


def renew_session() -> None:
    """A new session: nothing from before (including the CSRF secret) carries over, so none can be fixed."""
    session.clear()
    g.pop("csrf_token", None)


def end_staff_session() -> None:
    """Sign-out in this browser: the server forgets the session, then the cookie forgets everything."""
    session_store.end(session.get("staff_sid"))
    logout_user()
    renew_session()


def end_every_session(user: StaffUser) -> None:
    """After a password change or "sign out everywhere": every session of the account ends, this one too."""
    session_store.end_all(user.id)
    end_staff_session()


def _is_public_staff_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "public_staff_page", False))


@bp.before_request
def require_signed_in_staff() -> ResponseReturnValue | None:
    if request.endpoint is None or _is_public_staff_endpoint():
        return None
    if current_user.is_authenticated and session.get("staff_2fa"):
        return None
    if g.pop("staff_session_expired", False):
        flash("You were signed out to keep information safe. Sign in again to continue.")
    return redirect(url_for("staff.sign_in", next=request.full_path if request.method == "GET" else None))


@bp.app_context_processor
def _navigation() -> dict:
    def staff_navigation() -> list[dict]:
        if not current_user.is_authenticated or not session.get("staff_2fa"):
            return []
        items = []
        for endpoint, text in NAVIGATION:
            if not may_open(current_user, endpoint):
                continue
            href = url_for(endpoint)
            items.append({"href": href, "text": text, "active": request.path == href})
        if "staff.sign_out" in current_app.view_functions:
            items.append({"href": url_for("staff.sign_out"), "text": "Sign out"})
        return items

    return {"staff_navigation": staff_navigation}
