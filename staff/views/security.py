"""Security in the staff area: password-spraying alerts and the accounts being throttled now."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from portal.domain.access import Action
from portal.services import auth
from staff import bp
from staff.permissions import requires

ALERT_DAYS = 30


@bp.get("/settings/security")
@requires(Action.VIEW_SECURITY_ALERTS)
def admin_security() -> ResponseReturnValue:
    return render_template(
        "staff/security/index.html",
        alerts=auth.spraying_alerts(ALERT_DAYS),
        throttled=auth.throttled_accounts(),
        days=ALERT_DAYS,
    )
