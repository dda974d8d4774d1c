"""Learning actions (the complaint monitoring and learning form) and the learning register."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action, roles_with
from portal.domain.enums import CategoryKind
from portal.extensions import db
from portal.form_choices import choice_labels, options
from portal.models import LearningAction
from portal.services import choices
from portal.services import deadlines as register_service
from portal.services import lifecycle as service
from portal.services.clock import today_london
from staff import bp
from staff.forms.base import domain_error
from staff.forms.filters import LearningFilterForm
from staff.forms.lifecycle import CATEGORY_LABELS, STATUS_LABELS, LearningForm
from staff.permissions import get_submission_or_404, requires


def _prepare(form: LearningForm) -> None:
    causes = choices.category_labels(CategoryKind.ROOT_CAUSE)
    form.root_cause.choices = options([("", "Select a root cause"), *causes])
    form.responsible_officer_id.choices = options(
        [(None, "No staff account"), *choices.staff(*roles_with(Action.OWN_LEARNING_ACTIONS))]
    )
    form.team_id.choices = options([(None, "No team"), *choices.teams()])


def _values(form: LearningForm) -> dict[str, Any]:
    return {
        "root_cause": form.root_cause_other.data or form.root_cause.data or None,
        "category": form.category.data,
        "description": form.description.data,
        "responsible_officer": form.responsible_officer.data,
        "responsible_officer_id": form.responsible_officer_id.data,
        "team_id": form.team_id.data,
        "due_on": form.due_on.data,
        "status": form.status.data,
        "evidence": form.evidence.data,
        "completed_on": form.completed_on.data,
    }


def _field_for(error: DomainError) -> str:
    text = str(error).lower()
    for needle, name in (
        ("evidence", "evidence"),
        ("completion date", "completed_on"),
        ("completed", "completed_on"),
        ("category", "category"),
        ("officer", "responsible_officer"),
        ("due", "due_on"),
        ("status", "status"),
    ):
        if needle in text:
            return name
    return "description"


@bp.route("/cases/<int:case_id>/learning/new", methods=["GET", "POST"])
@requires(Action.MANAGE_LEARNING)
def learning_new(case_id: int) -> Any:
    submission = get_submission_or_404(case_id)
    form = LearningForm()
    _prepare(form)
    if request.method == "GET":
        form.team_id.data = submission.team_id
    if form.validate_on_submit():
        try:
            service.save_learning_action(
                submission, None, values=_values(form), actor_id=current_user.id, today=today_london()
            )
        except DomainError as exc:
            domain_error(form, _field_for(exc), exc)
        else:
            flash("Learning action recorded", "success")
            return redirect(url_for("staff.case_detail", case_id=submission.id))
    return render_template(
        "staff/learning/form.html",
        form=form,
        submission=submission,
        title="Add a learning action",
        back_url=url_for("staff.case_detail", case_id=submission.id),
    )


@bp.route("/learning/<int:action_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_LEARNING)
def learning_edit(action_id: int) -> Any:
    action = db.get_or_404(LearningAction, action_id)
    submission = get_submission_or_404(action.submission_id) if action.submission_id else None
    form = LearningForm(obj=action if request.method == "GET" else None)
    _prepare(form)
    known_cause = action.root_cause in choice_labels(form.root_cause.choices)
    if request.method == "GET" and action.root_cause and not known_cause:
        form.root_cause.data = ""
        form.root_cause_other.data = action.root_cause
    if form.validate_on_submit():
        try:
            service.save_learning_action(
                submission, action, values=_values(form), actor_id=current_user.id, today=today_london()
            )
        except DomainError as exc:
            domain_error(form, _field_for(exc), exc)
        else:
            flash("Learning action saved", "success")
            return redirect(url_for("staff.learning_register"))
    return render_template(
        "staff/learning/form.html",
        form=form,
        submission=submission,
        title="Learning action",
        back_url=url_for("staff.learning_register"),
    )


@bp.get("/learning")
@requires(Action.MANAGE_LEARNING)
def learning_register() -> str:
    form = LearningFilterForm(request.args)
    form.team.choices = options([("", "All teams"), *choices.teams(active_only=False)])
    rows = register_service.learning_register(
        current_user,
        today_london(),
        show=form.shown(),
        team_id=form.team.data,
        officer=form.chosen_officer(),
        category=form.chosen_category(),
    )
    return render_template(
        "staff/learning/register.html",
        rows=rows,
        filter_form=form,
        category_labels=CATEGORY_LABELS,
        status_labels=STATUS_LABELS,
    )
