"""Staff session rules: sign-in required everywhere, two-factor completed, idle and absolute timeouts,
and "sign out everywhere" through the user's session version.

Session keys (the contract the sign-in views and the tests use):
- ``_user_id``: Flask-Login's id, "<user id>:<session version>";
- ``staff_2fa``: True once the second factor has been checked;
- ``staff_signed_in_at`` / ``staff_last_seen``: ISO timestamps (UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.extensions import db, login_manager
from portal.models import StaffUser
from staff import bp

SESSION_KEYS = ("staff_2fa", "staff_signed_in_at", "staff_last_seen", "staff_pending_user")

NAVIGATION = (
    # (endpoint, text, roles)
    ("staff.home", "Home", None),
    ("staff.triage_inbox", "Inbox", {"complaints_manager", "complaints_officer"}),
    ("staff.case_list", "Cases", {"complaints_manager", "complaints_officer", "responding_manager"}),
    ("staff.deadlines", "Deadlines", {"complaints_manager", "complaints_officer", "responding_manager"}),
    ("staff.learning_register", "Learning", {"complaints_manager", "complaints_officer", "responding_manager"}),
    ("staff.compliments_register", "Compliments", {"complaints_manager", "complaints_officer", "responding_manager"}),
    ("staff.advocacy_queue", "Advocacy", {"complaints_manager", "complaints_officer", "advocate"}),
    ("staff.reports_index", "Reports", {"complaints_manager", "report_viewer"}),
    ("staff.admin_index", "Settings", {"complaints_manager", "administrator"}),
    ("staff.account", "Your account", None),
)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(StaffUser, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or user.session_version != version:
        return None
    return user


login_manager.login_view = "staff.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.session_protection = "basic"


def end_staff_session() -> None:
    logout_user()
    for key in SESSION_KEYS:
        session.pop(key, None)


def _is_public_staff_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "public_staff_page", False))


@bp.before_request
def require_signed_in_staff():  # type: ignore[no-untyped-def]
    if request.endpoint is None or _is_public_staff_endpoint():
        return None
    if not current_user.is_authenticated or not session.get("staff_2fa"):
        end_staff_session()
        return redirect(url_for("staff.sign_in", next=request.full_path if request.method == "GET" else None))
    now = datetime.now(UTC)
    try:
        signed_in_at = datetime.fromisoformat(session["staff_signed_in_at"])
        last_seen = datetime.fromisoformat(session["staff_last_seen"])
    except (KeyError, ValueError):
        end_staff_session()
        return redirect(url_for("staff.sign_in"))
    cfg = current_app.config
    if now - last_seen > cfg["STAFF_IDLE_TIMEOUT"] or now - signed_in_at > cfg["STAFF_SESSION_LIFETIME"]:
        end_staff_session()
        flash("You were signed out to keep information safe. Sign in again to continue.")
        return redirect(url_for("staff.sign_in"))
    session["staff_last_seen"] = now.isoformat()
    return None


@bp.app_context_processor
def _navigation() -> dict:
    def staff_navigation() -> list[dict]:
        if not current_user.is_authenticated or not session.get("staff_2fa"):
            return []
        items = []
        for endpoint, text, roles in NAVIGATION:
            if endpoint not in current_app.view_functions:
                continue
            if roles is not None and current_user.role.value not in roles:
                continue
            href = url_for(endpoint)
            items.append({"href": href, "text": text, "active": request.path == href})
        if "staff.sign_out" in current_app.view_functions:
            items.append({"href": url_for("staff.sign_out"), "text": "Sign out"})
        return items

    return {"staff_navigation": staff_navigation}
