"""Security in the staff area: password-spraying alerts and the accounts being throttled now."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from portal.domain.enums import Role
from portal.services import auth
from staff import bp
from staff.permissions import roles_required

ALERT_DAYS = 30


@bp.get("/settings/security")
@roles_required(Role.COMPLAINTS_MANAGER, Role.ADMINISTRATOR)
def admin_security() -> ResponseReturnValue:
    return render_template(
        "staff/security/index.html",
        alerts=auth.spraying_alerts(ALERT_DAYS),
        throttled=auth.throttled_accounts(),
        days=ALERT_DAYS,
    )
