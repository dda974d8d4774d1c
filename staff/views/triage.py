"""Triage: the inbox, one submission's triage page (safety decision, people, classification), conversion to a
compliment or advocacy request, and recording a contact taken by hand."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action, roles_with
from portal.domain.enums import CategoryKind, Classification, Role, SubmissionKind
from portal.extensions import db
from portal.form_choices import options
from portal.models import Person
from portal.services import choices, people, triage
from portal.services.clock import LONDON, now_london, today_london
from staff import bp
from staff.forms.casework import (
    AssignmentForm,
    ConvertForm,
    LinkPersonForm,
    ManualContactForm,
    SafetyDecisionForm,
    TriageForm,
)
from staff.forms.fields import required_date
from staff.permissions import get_submission_or_404, requires


def _fill_choices(form: TriageForm | AssignmentForm) -> None:
    none = (None, "Not assigned")
    form.service_area_id.choices = options([none, *choices.service_areas(active_only=False)])
    form.team_id.choices = options([none, *choices.teams()])
    form.responding_manager_id.choices = options([none, *choices.staff(*roles_with(Action.ACT_AS_RESPONDING_MANAGER))])
    form.assigned_officer_id.choices = options([none, *choices.staff(*roles_with(Action.ACT_AS_CASE_OFFICER))])
    form.theme_ids.choices = options(choices.categories(CategoryKind.THEME))
    form.outcome_ids.choices = options(choices.categories(CategoryKind.OUTCOME_SOUGHT))
    if isinstance(form, TriageForm):
        form.refusal_reason_id.choices = options(
            [(None, "Select a reason"), *choices.categories(CategoryKind.REFUSAL_REASON)]
        )


@bp.get("/triage")
@requires(Action.TRIAGE)
def triage_inbox() -> ResponseReturnValue:
    items = triage.inbox()
    return render_template("staff/triage/inbox.html", items=items, needs_decision=triage.needs_safety_decision)


def _triage_page(submission, form, safety_form=None, status=200):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "staff/triage/submission.html",
            submission=submission,
            form=form,
            safety_form=safety_form or SafetyDecisionForm(formdata=None),
            link_form=LinkPersonForm(formdata=None),
            matches=people.suggestions(submission),
            needs_decision=triage.needs_safety_decision(submission),
            plan=people.active_plan(submission.person, today_london()) if submission.person else None,
        ),
        status,
    )


@bp.route("/triage/<int:case_id>", methods=["GET", "POST"])
@requires(Action.TRIAGE)
def triage_submission(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    if submission.kind != SubmissionKind.COMPLAINT or submission.status not in triage.INBOX_STATUSES:
        return redirect(url_for("staff.case_detail", case_id=submission.id))
    form = TriageForm()
    _fill_choices(form)
    if request.method == "GET":
        form.channel.data = submission.channel.value if submission.channel else None
        form.service_area_id.data = submission.service_area_id
        form.team_id.data = submission.team_id
        form.responding_manager_id.data = submission.responding_manager_id
        form.assigned_officer_id.data = submission.assigned_officer_id or (
            current_user.id if current_user.role == Role.COMPLAINTS_OFFICER else None
        )
        form.theme_ids.data = [c.id for c in submission.themes]
        form.outcome_ids.data = [c.id for c in submission.outcomes_sought]
        form.refusal_letter.data = triage.default_refusal_letter(submission, None)
    if form.validate_on_submit():
        decision = triage.TriageDecision(
            classification=Classification(form.classification.data),
            channel=form.channel.data,
            service_area_id=form.service_area_id.data,
            team_id=form.team_id.data,
            responding_manager_id=form.responding_manager_id.data,
            assigned_officer_id=form.assigned_officer_id.data,
            theme_ids=list(form.theme_ids.data or []),
            outcome_ids=list(form.outcome_ids.data or []),
            refusal_reason_id=form.refusal_reason_id.data,
            refusal_letter=form.refusal_letter.data,
            information_request=form.information_request.data,
            withdrawn_reason=form.withdrawn_reason.data,
            formal_option_explained=form.formal_option_explained.data,
        )
        try:
            triage.classify(submission, decision, actor=current_user, today=today_london())
        except DomainError as exc:
            form.classification.errors = [*form.classification.errors, str(exc)]
        else:
            flash(f"{submission.reference} triaged: {form.classification.data.replace('_', ' ')}", "success")
            return redirect(url_for("staff.case_detail", case_id=submission.id))
    return _triage_page(submission, form)


@bp.route("/triage/<int:case_id>/safety", methods=["GET", "POST"])
@requires(Action.TRIAGE)
def triage_safety(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    form = SafetyDecisionForm()
    if form.validate_on_submit():
        try:
            triage.record_safety_decision(submission, decision=form.decision.data, actor=current_user)
        except DomainError as exc:
            form.decision.errors = [*form.decision.errors, str(exc)]
        else:
            flash("Safety decision recorded.", "success")
            if submission.status in triage.INBOX_STATUSES and submission.kind == SubmissionKind.COMPLAINT:
                return redirect(url_for("staff.triage_submission", case_id=submission.id))
            return redirect(url_for("staff.case_detail", case_id=submission.id))
    return render_template("staff/triage/safety.html", submission=submission, form=form)


@bp.route("/triage/<int:case_id>/link-person", methods=["GET", "POST"])
@requires(Action.TRIAGE)
def triage_link_person(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    form = LinkPersonForm()
    if form.validate_on_submit():
        try:
            person_id = int(form.person_id.data)
        except ValueError:
            abort(404)
        person = db.get_or_404(Person, person_id)
        people.link_to_person(submission, person, actor=current_user)
        flash("Linked to the existing person: their other contacts are now shown together.", "success")
    return redirect(url_for("staff.triage_submission", case_id=submission.id))


@bp.route("/triage/<int:case_id>/convert", methods=["GET", "POST"])
@requires(Action.TRIAGE)
def triage_convert(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    form = ConvertForm()
    if form.validate_on_submit():
        try:
            triage.convert(
                submission, to_kind=SubmissionKind(form.to_kind.data), actor=current_user, today=today_london()
            )
        except DomainError as exc:
            form.to_kind.errors = [*form.to_kind.errors, str(exc)]
        else:
            flash(f"{submission.reference} recorded as {form.to_kind.data}.", "success")
            return redirect(url_for("staff.triage_inbox"))
    return render_template("staff/triage/convert.html", submission=submission, form=form)


@bp.route("/triage/new", methods=["GET", "POST"])
@requires(Action.TRIAGE)
def triage_new() -> ResponseReturnValue:
    form = ManualContactForm()
    if request.method == "GET":
        form.received_on.data = today_london()
    if form.validate_on_submit():
        received_on = required_date(form.received_on)
        now_local = now_london()
        when = now_local if received_on == now_local.date() else datetime.combine(received_on, time(12, 0), LONDON)
        try:
            submission = triage.create_by_hand(
                triage.ManualContact(
                    channel=form.channel.data,
                    received_at=when,
                    full_name=form.full_name.data or None,
                    email=form.email.data or None,
                    phone=form.phone.data or None,
                    child_name=form.child_name.data or None,
                    what_happened=form.what_happened.data,
                    outcome_wanted=form.outcome_wanted.data or None,
                    audience=form.audience.data,
                    safeguarding_concern=form.safeguarding_concern.data,
                ),
                actor=current_user,
            )
        except DomainError as exc:
            form.received_on.errors = [*form.received_on.errors, str(exc)]
        else:
            flash(f"Contact recorded as {submission.reference}. Triage it now.", "success")
            return redirect(url_for("staff.triage_submission", case_id=submission.id))
    return render_template("staff/triage/new.html", form=form)


@bp.route("/cases/<int:case_id>/assignment", methods=["GET", "POST"])
@requires(Action.TRIAGE)
def case_assignment(case_id: int) -> ResponseReturnValue:
    submission = get_submission_or_404(case_id)
    form = AssignmentForm()
    _fill_choices(form)
    if request.method == "GET":
        form.service_area_id.data = submission.service_area_id
        form.team_id.data = submission.team_id
        form.responding_manager_id.data = submission.responding_manager_id
        form.assigned_officer_id.data = submission.assigned_officer_id
        form.theme_ids.data = [c.id for c in submission.themes]
        form.outcome_ids.data = [c.id for c in submission.outcomes_sought]
    if form.validate_on_submit():
        decision = triage.TriageDecision(
            classification=submission.classification or Classification.STATUTORY,
            service_area_id=form.service_area_id.data,
            team_id=form.team_id.data,
            responding_manager_id=form.responding_manager_id.data,
            assigned_officer_id=form.assigned_officer_id.data,
            theme_ids=list(form.theme_ids.data or []),
            outcome_ids=list(form.outcome_ids.data or []),
        )
        try:
            triage.update_assignment(submission, decision, actor=current_user)
        except DomainError as exc:
            form.team_id.errors = [*form.team_id.errors, str(exc)]
        else:
            flash("Assignment saved.", "success")
            return redirect(url_for("staff.case_detail", case_id=submission.id))
    return render_template("staff/cases/assignment.html", submission=submission, form=form)
