"""Learning actions (the complaint monitoring and learning form) and the learning register."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from portal.domain import DomainError
from portal.domain.enums import CategoryKind, LearningCategory, LearningStatus, Role
from portal.extensions import db
from portal.models import Category, LearningAction, StaffUser, Team
from portal.services import deadlines as register_service
from portal.services import lifecycle as service
from portal.services.clock import today_london
from staff import bp
from staff.permissions import get_submission_or_404, roles_required
from staff.views.lifecycle import GovDateField, StrippedForm, _area, _submit, case_url, domain_error

LEARNING_ROLES = (Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.RESPONDING_MANAGER)
CATEGORY_LABELS = {
    LearningCategory.PROCESS_CHANGE.value: "Process change",
    LearningCategory.STAFF_TRAINING.value: "Staff training",
    LearningCategory.INDIVIDUAL_SUPPORT.value: "Individual support",
    LearningCategory.POLICY_REVIEW.value: "Policy review",
    LearningCategory.OTHER.value: "Other",
}
STATUS_LABELS = {
    LearningStatus.OPEN.value: "Open",
    LearningStatus.IN_PROGRESS.value: "In progress",
    LearningStatus.COMPLETED.value: "Completed",
    LearningStatus.CANCELLED.value: "Cancelled",
}


def optional_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class LearningForm(StrippedForm):
    root_cause = SelectField("Root cause", widget=GovSelect(), validators=[Optional()])
    root_cause_other = StringField(
        "Or describe the root cause",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Root cause must be 200 characters or fewer")],
    )
    category = RadioField(
        "Category of learning",
        widget=GovRadioInput(),
        choices=list(CATEGORY_LABELS.items()),
        validators=[InputRequired("Select the category of learning")],
    )
    description = _area("What will be done?", required="Enter what will be done", max_length=3000)
    responsible_officer = StringField(
        "Responsible officer",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the responsible officer"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    responsible_officer_id = SelectField(
        "Staff account of the responsible officer (optional)", widget=GovSelect(), coerce=optional_int
    )
    team_id = SelectField("Team", widget=GovSelect(), coerce=optional_int)
    due_on = GovDateField("Due date", required_message="Enter the date the action is due")
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=list(STATUS_LABELS.items()),
        default=LearningStatus.OPEN.value,
        validators=[InputRequired("Select the status")],
    )
    evidence = _area("Evidence of completion", max_length=5000, description="Needed when the action is completed.")
    completed_on = GovDateField("Date completed")
    submit = _submit("Save learning action")


def _prepare(form: LearningForm) -> None:
    causes = db.session.scalars(
        sa.select(Category.label)
        .where(Category.kind == CategoryKind.ROOT_CAUSE, Category.active.is_(True))
        .order_by(Category.sort_order)
    )
    form.root_cause.choices = [("", "Select a root cause"), *[(c, c) for c in causes]]
    users = db.session.scalars(
        sa.select(StaffUser)
        .where(StaffUser.active.is_(True), StaffUser.role != Role.REPORT_VIEWER, StaffUser.role != Role.ADMINISTRATOR)
        .order_by(StaffUser.full_name)
    )
    form.responsible_officer_id.choices = [(None, "No staff account"), *[(u.id, u.full_name) for u in users]]
    teams = db.session.scalars(sa.select(Team).where(Team.active.is_(True)).order_by(Team.name))
    form.team_id.choices = [(None, "No team"), *[(t.id, t.name) for t in teams]]


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
@roles_required(*LEARNING_ROLES)
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
            return redirect(case_url(submission))
    return render_template(
        "staff/learning/form.html",
        form=form,
        submission=submission,
        title="Add a learning action",
        back_url=case_url(submission),
    )


@bp.route("/learning/<int:action_id>", methods=["GET", "POST"])
@roles_required(*LEARNING_ROLES)
def learning_edit(action_id: int) -> Any:
    action = db.session.get(LearningAction, action_id)
    if action is None:
        abort(404)
    submission = get_submission_or_404(action.submission_id) if action.submission_id else None
    form = LearningForm(obj=action if request.method == "GET" else None)
    _prepare(form)
    if request.method == "GET" and action.root_cause and action.root_cause not in dict(form.root_cause.choices):
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
@roles_required(*LEARNING_ROLES)
def learning_register() -> str:
    show = request.args.get("show", "open")
    if show not in ("open", "overdue", "completed", "all"):
        show = "open"
    team_id = request.args.get("team", type=int)
    officer = (request.args.get("officer") or "").strip()[:100] or None
    category = request.args.get("category") or None
    if category not in CATEGORY_LABELS:
        category = None
    rows = register_service.learning_register(
        current_user, today_london(), show=show, team_id=team_id, officer=officer, category=category
    )
    teams = list(db.session.scalars(sa.select(Team).order_by(Team.name)))
    return render_template(
        "staff/learning/register.html",
        rows=rows,
        show=show,
        team_id=team_id,
        officer=officer or "",
        category=category,
        teams=teams,
        category_labels=CATEGORY_LABELS,
        status_labels=STATUS_LABELS,
    )
