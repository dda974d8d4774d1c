"""The case list (filters, keyset pagination), the case page (everything known, timeline, deadlines, notes, linked
contacts, the lifecycle panel), internal notes, and a case's audit history with a CSV export for managers."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain.access import Action, CaseScope, can, case_scope, roles_with
from portal.domain.deadlines import deadline_status
from portal.domain.enums import STAGE_LABELS, StageName, SubmissionStatus
from portal.form_choices import options
from portal.services import cases, choices, people
from portal.services.calendar import calendar_for
from portal.services.clock import today_london
from portal.services.lifecycle import case_panel
from staff import bp
from staff.forms.casework import NoteForm
from staff.forms.filters import CaseFilterForm
from staff.links import lifecycle_links
from staff.permissions import get_submission_or_404, requires

STATUS_LABELS = {
    "active": "Not closed (new, waiting or open)",
    SubmissionStatus.NEW.value: "New (awaiting triage)",
    SubmissionStatus.AWAITING_INFORMATION.value: "Waiting for information",
    SubmissionStatus.OPEN.value: "Open",
    SubmissionStatus.CLOSED.value: "Closed",
    SubmissionStatus.WITHDRAWN.value: "Withdrawn",
    SubmissionStatus.REFUSED.value: "Refused",
}


def _filter_form() -> CaseFilterForm:
    form = CaseFilterForm(request.args)
    form.status.choices = options([("", "Any status"), *STATUS_LABELS.items()])
    form.stage.choices = options([("", "Any stage"), *((s.value, STAGE_LABELS[s]) for s in StageName)])
    own = {t.id for t in current_user.teams} if case_scope(current_user.role) == CaseScope.TEAM else None
    form.team.choices = options([(None, "Any team"), *choices.teams(active_only=False, within=own)])
    form.officer.choices = options([(None, "Any officer"), *choices.staff(*roles_with(Action.ACT_AS_CASE_OFFICER))])
    return form


@bp.get("/cases")
@requires(Action.LIST_CASES)
def case_list() -> ResponseReturnValue:
    form = _filter_form()
    today = today_london()
    valid = form.validate() if request.args else True
    filters = cases.CaseFilters()
    if valid:
        due = form.due.data or ""
        filters = cases.CaseFilters(
            status=form.status.data or None,
            stage=form.stage.data or None,
            team_id=form.team.data,
            officer_id=form.officer.data,
            overdue=due in ("overdue", "both"),
            due_this_week=due in ("week", "both"),
            received_from=form.received_from.data,
            received_to=form.received_to.data,
            q=(form.q.data or "").strip() or None,
        )
    page = cases.list_cases(
        current_user, filters, today, after=request.args.get("after"), before=request.args.get("before")
    )
    args = {k: v for k, v in request.args.items(multi=False) if k not in ("after", "before") and v}
    calendar = calendar_for(None)
    return render_template(
        "staff/cases/list.html",
        form=form if not valid else None,
        filter_form=form,
        page=page,
        filters=filters,
        today=today,
        args=args,
        status_labels=STATUS_LABELS,
        deadline=lambda s: deadline_status(today, s.next_due_on, calendar) if s.next_due_on else None,
    )


@bp.get("/cases/<int:case_id>")
@requires(Action.VIEW_CASE)
def case_detail(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    cases.record_case_view(submission, current_user)
    today = today_london()
    panel = case_panel(submission, current_user, today)
    procedure = submission.procedure
    calendar = calendar_for(procedure)
    deadlines = []
    for label, due, done in (
        ("Acknowledge by", submission.acknowledge_due_on, submission.acknowledged_on),
        ("Next due", submission.next_due_on, submission.closed_on),
    ):
        if due is not None:
            deadlines.append((label, deadline_status(today, due, calendar, done_on=done)))
    return render_template(
        "staff/cases/detail.html",
        submission=submission,
        panel=panel,
        panel_links=lifecycle_links(submission.id, panel.actions),
        deadlines=deadlines,
        stages=cases.stages_for(submission),
        timeline=cases.timeline(submission),
        linked=cases.linked_contacts(submission, current_user),
        note_form=NoteForm(formdata=None),
        can_add_note=can(current_user.role, Action.ADD_CASE_NOTE),
        can_see_audit=can(current_user.role, Action.VIEW_CASE_AUDIT),
        can_triage=can(current_user.role, Action.TRIAGE),
        plan=people.active_plan(submission.person, today) if submission.person else None,
    )


@bp.route("/cases/<int:case_id>/notes", methods=["GET", "POST"])
@requires(Action.ADD_CASE_NOTE)
def case_add_note(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    form = NoteForm()
    if form.validate_on_submit():
        cases.add_note(submission, body=form.body.data, author=current_user)
        flash("Note added.", "success")
        return redirect(url_for("staff.case_detail", case_id=submission.id) + "#timeline")
    return render_template("staff/cases/note.html", submission=submission, form=form)


@bp.get("/cases/<int:case_id>/audit")
@requires(Action.VIEW_CASE_AUDIT)
def case_audit(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    cases.record_case_view(submission, current_user, page="audit")
    return render_template(
        "staff/cases/audit.html",
        submission=submission,
        events=cases.audit_history(submission),
        names=cases.staff_names(),
        title=cases.action_title,
    )


@bp.get("/cases/<int:case_id>/audit.csv")
@requires(Action.VIEW_CASE_AUDIT)
def case_audit_csv(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    body = cases.audit_history_csv(submission, current_user)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{submission.reference}.csv"'},
    )
