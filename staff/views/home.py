"""The staff home page: what needs doing today, for the signed-in person's role."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain.access import Action
from portal.services import cases
from portal.services.clock import today_london
from staff import bp
from staff.permissions import requires


@bp.get("/")
@requires(Action.VIEW_HOME)
def home() -> ResponseReturnValue:
    today = today_london()
    return render_template(
        "staff/home/index.html",
        summary=cases.home_summary(current_user, today),
        today=today,
        week_end=cases.week_end(today),
    )
