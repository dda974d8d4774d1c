"""Settings: the index, and staff accounts (create, edit role and teams, deactivate, reset two-factor)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action
from portal.extensions import db
from portal.form_choices import options
from portal.models import StaffUser
from portal.services import lists, users
from staff import bp
from staff.forms.base import ConfirmForm
from staff.forms.settings import UserForm
from staff.permissions import may_open, requires

OTHER_SETTINGS = (
    ("staff.admin_procedures", "Procedures and timescales"),
    ("staff.admin_closure_days", "Closure days"),
    ("staff.admin_import", "Import records from another system"),
)


def _user_or_404(user_id: int) -> StaffUser:
    return db.get_or_404(StaffUser, user_id)


@bp.get("/settings")
@requires(Action.MANAGE_SETTINGS)
def admin_index() -> ResponseReturnValue:
    # Settings pages of other areas (procedures, closure days, import), listed when this user may open them.
    more = [(endpoint, text) for endpoint, text in OTHER_SETTINGS if may_open(current_user, endpoint)]
    return render_template("staff/admin/index.html", kinds=lists.CATEGORY_KIND_LABELS, more_links=more)


@bp.get("/settings/users")
@requires(Action.MANAGE_USERS)
def admin_users() -> ResponseReturnValue:
    return render_template("staff/admin/users.html", users=users.list_users())


@bp.route("/settings/users/new", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def admin_user_new() -> ResponseReturnValue:
    form = UserForm()
    form.team_ids.choices = options((t.id, t.name) for t in lists.teams() if t.active)
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = ["Enter a temporary password"]
        else:
            try:
                user = users.create_user(
                    email=form.email.data,
                    full_name=form.full_name.data,
                    job_title=form.job_title.data,
                    role=form.role.data,
                    password=form.password.data,
                    teams=form.team_ids.data or [],
                    actor_id=current_user.id,
                )
            except DomainError as exc:
                target = form.password if "assword" in str(exc) else form.email
                target.errors = [str(exc)]
            else:
                flash(
                    f"Account created for {user.full_name}. They set up two-factor sign-in when they first sign in.",
                    "success",
                )
                return redirect(url_for("staff.admin_users"))
    return render_template("staff/admin/user_form.html", form=form, user=None)


@bp.route("/settings/users/<int:user_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def admin_user_edit(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = UserForm(obj=user if request.method == "GET" else None)
    del form.password
    form.email.render_kw = {"disabled": True}
    form.email.data = user.email
    form.team_ids.choices = options((t.id, t.name) for t in lists.teams())
    if request.method == "GET":
        form.role.data = user.role.value
        form.team_ids.data = [t.id for t in user.teams]
    if form.validate_on_submit():
        try:
            users.update_user(
                user,
                full_name=form.full_name.data,
                job_title=form.job_title.data,
                role=form.role.data,
                teams=form.team_ids.data or [],
                actor_id=current_user.id,
            )
        except DomainError as exc:
            form.role.errors = [str(exc)]
        else:
            flash(f"{user.full_name}'s account has been updated.", "success")
            return redirect(url_for("staff.admin_users"))
    return render_template("staff/admin/user_form.html", form=form, user=user)


@bp.route("/settings/users/<int:user_id>/active", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def admin_user_deactivate(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            users.set_active(user, active=not user.active, actor_id=current_user.id)
        except DomainError as exc:
            flash(str(exc))
        else:
            flash(f"{user.full_name}'s account is now {'active' if user.active else 'deactivated'}.", "success")
        return redirect(url_for("staff.admin_users"))
    return render_template("staff/admin/user_confirm.html", form=form, user=user, action="active")


@bp.route("/settings/users/<int:user_id>/reset-two-factor", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def admin_user_reset_2fa(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        users.reset_two_factor(user, actor_id=current_user.id)
        flash(
            f"Two-factor authentication reset for {user.full_name}. They set it up again at their next sign-in.",
            "success",
        )
        return redirect(url_for("staff.admin_users"))
    return render_template("staff/admin/user_confirm.html", form=form, user=user, action="two_factor")
