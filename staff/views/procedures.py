"""Settings: the procedures a council uses, their timescales and the council's closure days. Changes recompute the
due dates of running stages (each change audited)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action
from portal.extensions import db
from portal.models import ClosureDay, Timescale
from portal.services import procedures as service
from staff import bp
from staff.forms.base import domain_error
from staff.forms.fields import required_date
from staff.forms.settings import CLOCK_LABELS, ClosureForm, ProfileForm, RemoveClosureForm, TimescaleForm
from staff.permissions import requires


@bp.get("/admin/procedures")
@requires(Action.MANAGE_SETTINGS)
def admin_procedures() -> str:
    return render_template("staff/procedures/index.html", profiles=service.profiles(), clock_labels=CLOCK_LABELS)


@bp.route("/admin/procedures/profile", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_procedure_edit() -> Any:
    item = service.profile(request.args.get("procedure", ""))
    if item is None:
        abort(404)
    form = ProfileForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit():
        changed = service.update_profile(
            item,
            enabled=bool(form.enabled.data),
            honours_closure_days=bool(form.honours_closure_days.data),
            actor_id=current_user.id,
        )
        flash(f"{item.name} saved. Due dates recomputed: {changed} running stage(s) changed.", "success")
        return redirect(url_for("staff.admin_procedures"))
    return render_template(
        "staff/procedures/form.html", form=form, title=item.name, back_url=url_for("staff.admin_procedures")
    )


@bp.route("/admin/procedures/timescale", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_timescale_edit() -> Any:
    timescale = db.get_or_404(Timescale, request.args.get("timescale", type=int) or 0)
    is_choice = timescale.key.endswith(".clock_from")
    form = TimescaleForm(obj=timescale if request.method == "GET" else None)
    if is_choice:
        del form.working_days
    else:
        del form.text_value
    if form.validate_on_submit():
        try:
            changed = service.update_timescale(
                timescale,
                working_days=None if is_choice else form.working_days.data,
                text_value=form.text_value.data if is_choice else None,
                actor_id=current_user.id,
            )
        except DomainError as exc:
            domain_error(form, "text_value" if is_choice else "working_days", exc)
        else:
            flash(f"Timescale saved. Due dates recomputed: {changed} running stage(s) changed.", "success")
            return redirect(url_for("staff.admin_procedures"))
    return render_template(
        "staff/procedures/form.html",
        form=form,
        title=timescale.label,
        caption=timescale.profile.name,
        back_url=url_for("staff.admin_procedures"),
    )


@bp.route("/admin/closure-days", methods=["GET", "POST"])
@requires(Action.MANAGE_SETTINGS)
def admin_closure_days() -> Any:
    form = ClosureForm()
    if form.validate_on_submit():
        try:
            changed = service.add_closure_day(
                day=required_date(form.day), description=form.description.data, actor_id=current_user.id
            )
        except DomainError as exc:
            domain_error(form, "day", exc)
        else:
            flash(f"Closure day added. Due dates recomputed: {changed} running stage(s) changed.", "success")
            return redirect(url_for("staff.admin_closure_days"))
    return render_template(
        "staff/procedures/closures.html",
        form=form,
        closures=service.closure_days(),
        profiles=service.profiles(),
        remove_form=RemoveClosureForm(),
    )


@bp.post("/admin/closure-days/remove")
@requires(Action.MANAGE_SETTINGS)
def admin_closure_day_remove() -> Any:
    closure = db.get_or_404(ClosureDay, request.args.get("day", type=int) or 0)
    form = RemoveClosureForm()
    if not form.validate_on_submit():
        abort(404)
    changed = service.remove_closure_day(closure, actor_id=current_user.id)
    flash(f"Closure day removed. Due dates recomputed: {changed} running stage(s) changed.", "success")
    return redirect(url_for("staff.admin_closure_days"))
