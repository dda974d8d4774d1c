"""The deadlines dashboard: what is overdue, due today and due this week, by team and officer."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.domain.access import Action, can, roles_with
from portal.form_choices import options
from portal.services import choices, sender
from portal.services import deadlines as service
from portal.services.clock import today_london
from staff import bp
from staff.forms.filters import DeadlinesFilterForm
from staff.permissions import requires


@bp.get("/deadlines")
@requires(Action.LIST_CASES)
def deadlines() -> str:
    form = DeadlinesFilterForm(request.args)
    officers = choices.staff(*roles_with(Action.LIST_CASES))
    form.team.choices = options([("", "All teams"), *choices.teams()])
    form.officer.choices = options([("", "All officers"), *officers])
    board = service.dashboard(current_user, today_london(), team_id=form.team.data, officer_id=form.officer.data)
    outbox = None
    if can(current_user.role, Action.VIEW_OUTBOX):
        counts = sender.outbox_counts()
        outbox = {"failed": counts["failed"], "waiting": counts["pending"] + counts["sending"]}
    return render_template("staff/deadlines/index.html", board=board, filter_form=form, outbox=outbox)
