"""Settings: service areas and teams, and the category lists (add, rename, retire, reorder)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action
from portal.domain.enums import CategoryKind
from portal.extensions import db
from portal.form_choices import options
from portal.models import Category, Team
from portal.services import lists
from staff import bp
from staff.forms.base import ConfirmForm
from staff.forms.settings import CategoryForm, ServiceAreaForm, TeamForm
from staff.permissions import requires


@bp.route("/settings/teams", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_teams() -> ResponseReturnValue:
    form = ServiceAreaForm()
    if form.validate_on_submit():
        try:
            lists.add_service_area(form.name.data, actor_id=current_user.id)
        except DomainError as exc:
            form.name.errors = [str(exc)]
        else:
            flash("Service area added.", "success")
            return redirect(url_for("staff.admin_teams"))
    return render_template("staff/admin/teams.html", form=form, areas=lists.service_areas(), teams=lists.teams())


def _team_form(team: Team | None) -> ResponseReturnValue:
    form = TeamForm(obj=team if request.method == "GET" and team else None)
    form.service_area_id.choices = options([(None, "None"), *((a.id, a.name) for a in lists.service_areas())])
    if form.validate_on_submit():
        try:
            lists.save_team(
                team,
                name=form.name.data,
                service_area_id=form.service_area_id.data,
                manager_email=form.manager_email.data,
                active=form.active.data,
                actor_id=current_user.id,
            )
        except DomainError as exc:
            form.name.errors = [str(exc)]
        else:
            flash("Team saved.", "success")
            return redirect(url_for("staff.admin_teams"))
    return render_template("staff/admin/team_form.html", form=form, team=team)


@bp.route("/settings/teams/new", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_team_new() -> ResponseReturnValue:
    return _team_form(None)


@bp.route("/settings/teams/<int:team_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_team_edit(team_id: int) -> ResponseReturnValue:
    return _team_form(db.get_or_404(Team, team_id))


def _kind() -> CategoryKind:
    try:
        return CategoryKind(request.args.get("kind", CategoryKind.THEME.value))
    except ValueError:
        abort(404)


@bp.get("/settings/lists")
@requires(Action.MANAGE_SETTINGS)
def admin_categories() -> ResponseReturnValue:
    kind = _kind()
    return render_template(
        "staff/admin/categories.html",
        kind=kind,
        kind_label=lists.CATEGORY_KIND_LABELS[kind],
        kinds=lists.CATEGORY_KIND_LABELS,
        items=lists.categories(kind),
        move_form=ConfirmForm(formdata=None),
    )


def _category_form(category: Category | None, kind: CategoryKind) -> ResponseReturnValue:
    form = CategoryForm(obj=category if request.method == "GET" and category else None)
    if form.validate_on_submit():
        try:
            lists.save_category(
                category,
                kind=kind,
                label=form.label.data,
                help_text=form.help_text.data,
                sort_order=form.sort_order.data,
                active=form.active.data,
                actor_id=current_user.id,
            )
        except DomainError as exc:
            form.label.errors = [str(exc)]
        else:
            flash("List saved.", "success")
            return redirect(url_for("staff.admin_categories", kind=kind.value))
    return render_template(
        "staff/admin/category_form.html",
        form=form,
        category=category,
        kind=kind,
        kind_label=lists.CATEGORY_KIND_LABELS[kind],
    )


@bp.route("/settings/lists/new", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_category_new() -> ResponseReturnValue:
    return _category_form(None, _kind())


@bp.route("/settings/lists/<int:category_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_category_edit(category_id: int) -> ResponseReturnValue:
    category = db.get_or_404(Category, category_id)
    return _category_form(category, category.kind)


@bp.route("/settings/lists/<int:category_id>/move", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_category_move(category_id: int) -> ResponseReturnValue:
    category = db.get_or_404(Category, category_id)
    form = ConfirmForm()
    if form.validate_on_submit() and request.form.get("direction") in ("up", "down"):
        lists.move_category(category, direction=request.form["direction"], actor_id=current_user.id)
    return redirect(url_for("staff.admin_categories", kind=category.kind.value))
