"""The deadlines dashboard: what is overdue, due today and due this week, by team and officer."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.domain.enums import Role
from portal.form_choices import options
from portal.services import choices, sender
from portal.services import deadlines as service
from portal.services.clock import today_london
from staff import bp
from staff.forms.filters import DeadlinesFilterForm
from staff.permissions import roles_required


@bp.get("/deadlines")
@roles_required(Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.RESPONDING_MANAGER)
def deadlines() -> str:
    form = DeadlinesFilterForm(request.args)
    officers = choices.staff(Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.RESPONDING_MANAGER)
    form.team.choices = options([("", "All teams"), *choices.teams()])
    form.officer.choices = options([("", "All officers"), *officers])
    board = service.dashboard(current_user, today_london(), team_id=form.team.data, officer_id=form.officer.data)
    outbox = None
    if current_user.role in (Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER):
        counts = sender.outbox_counts()
        outbox = {"failed": counts["failed"], "waiting": counts["pending"] + counts["sending"]}
    return render_template("staff/deadlines/index.html", board=board, filter_form=form, outbox=outbox)
