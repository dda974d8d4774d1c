"""Compliments: the register (filters, pages, CSV), recording and correcting a compliment, and the wall."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action, can
from portal.domain.compliments import ComplimentError
from portal.domain.enums import SubmissionKind
from portal.form_choices import options
from portal.services import clock
from portal.services import compliments as service
from staff import bp
from staff.forms.compliments import ComplimentForm, from_bool
from staff.forms.filters import RegisterFilterForm, WallFilterForm
from staff.permissions import get_submission_or_404, requires


def _register_filters(form: RegisterFilterForm) -> service.RegisterFilters:
    """What the register shows for these filters (dates with errors are left out; other unknown values ignored)."""
    ok = not form.errors
    return service.filters_for(
        current_user,
        received_from=form.received_from.data if ok else None,
        received_to=form.received_to.data if ok else None,
        source_id=form.source.data,
        origin=form.origin.data if form.origin.data in ("internal", "external") else None,
        service_area_id=form.service_area.data,
        team_id=form.team.data,
        text=form.q.data or None,
    )


def _filter_form() -> RegisterFilterForm:
    form = RegisterFilterForm(request.args)
    form.fill_choices()
    if request.args:
        form.validate()
    return form


def _query_args() -> dict[str, Any]:
    """The current filters, for the pagination and CSV links."""
    return {k: v for k, v in request.args.items(multi=True) if k not in ("page", "submit") and v}


@bp.get("/compliments")
@requires(Action.VIEW_COMPLIMENTS)
def compliments_register():  # type: ignore[no-untyped-def]
    form = _filter_form()
    page = service.register_page(_register_filters(form), page=request.args.get("page", 1, type=int))
    args = _query_args()
    return render_template(
        "staff/compliments/register.html",
        form=form,
        results=page,
        query_args=args,
        filtered=bool(args),
        can_record=can(current_user.role, Action.RECORD_COMPLIMENTS),
    )


@bp.get("/compliments/export.csv")
@requires(Action.VIEW_COMPLIMENTS)
def compliments_export():  # type: ignore[no-untyped-def]
    form = _filter_form()
    if form.errors:
        abort(400)
    today = clock.today_london()
    rows = service.export_csv(_register_filters(form), actor_id=current_user.id)
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="compliments-{today.isoformat()}.csv"'},
    )


@bp.get("/compliments/wall")
@requires(Action.VIEW_COMPLIMENTS)
def compliments_wall():  # type: ignore[no-untyped-def]
    form = WallFilterForm(request.args)
    teams = service.team_choices()
    form.team.choices = options([("", "All teams"), *((t.id, t.name) for t in teams)])
    team_id = form.team.data if form.team.data in {t.id for t in teams} else None
    items = service.wall(today=clock.today_london(), team_id=team_id)
    return render_template(
        "staff/compliments/wall.html", filter_form=form, items=items, team_id=team_id, months=service.WALL_MONTHS
    )


def _duplicate_context(exc: service.DuplicateCompliment | None) -> dict[str, Any]:
    if exc is None:
        return {"duplicate": None}
    return {"duplicate": {"id": exc.existing_id, "reference": exc.existing_reference}}


@bp.route("/compliments/new", methods=["GET", "POST"])
@requires(Action.RECORD_COMPLIMENTS)
def compliments_new():  # type: ignore[no-untyped-def]
    form = ComplimentForm()
    form.fill_choices()
    duplicate = None
    if request.method == "GET":
        form.received_on.data = clock.today_london()
    if form.validate_on_submit():
        try:
            submission = service.record_compliment(
                form.details(),
                actor_id=current_user.id,
                today=clock.today_london(),
                allow_duplicate=bool(form.record_anyway.data),
                require_subject=True,
            )
        except service.DuplicateCompliment as exc:
            duplicate = exc
            form.words.errors.append(str(exc))
        except ComplimentError as exc:
            getattr(form, exc.field, form.words).errors.append(str(exc))
        except DomainError as exc:
            form.words.errors.append(str(exc))
        else:
            flash(f"Compliment {submission.reference} recorded", "success")
            return redirect(url_for("staff.compliments_record", compliment_id=submission.id))
    return render_template("staff/compliments/form.html", form=form, submission=None, **_duplicate_context(duplicate))


def _compliment_or_404(compliment_id: int) -> Any:
    submission = get_submission_or_404(compliment_id)
    if submission.kind != SubmissionKind.COMPLIMENT or submission.compliment is None:
        abort(404)
    return submission


@bp.get("/compliments/<int:compliment_id>")
@requires(Action.VIEW_COMPLIMENTS)
def compliments_record(compliment_id: int):  # type: ignore[no-untyped-def]
    submission = _compliment_or_404(compliment_id)
    view = service.compliment_view(submission, viewer=current_user)
    return render_template(
        "staff/compliments/record.html",
        submission=submission,
        compliment=view.compliment,
        duplicates=view.duplicates,
        messages=view.messages,
        staff_user=view.staff_user,
        can_edit=can(current_user.role, Action.RECORD_COMPLIMENTS),
    )


@bp.route("/compliments/<int:compliment_id>/edit", methods=["GET", "POST"])
@requires(Action.RECORD_COMPLIMENTS)
def compliments_edit(compliment_id: int):  # type: ignore[no-untyped-def]
    submission = _compliment_or_404(compliment_id)
    compliment = submission.compliment
    form = ComplimentForm()
    form.fill_choices(include_source_id=compliment.source_id)
    form.submit.label.text = "Save changes"
    duplicate = None
    if request.method == "GET":
        form.received_on.data = submission.received_on
        form.channel.data = submission.channel.value if submission.channel else ""
        form.source.data = compliment.source_id
        form.origin.data = None if compliment.internal is None else ("internal" if compliment.internal else "external")
        form.from_name.data = submission.person.full_name if submission.person is not None else ""
        form.team.data = submission.team_id
        form.service_area.data = submission.service_area_id
        form.staff_named.data = compliment.staff_named or ""
        form.staff_user.data = compliment.staff_user_id
        form.words.data = compliment.words or ""
        form.consent_pass_on.data = from_bool(compliment.consent_pass_on)
        form.consent_anonymous_use.data = from_bool(compliment.consent_anonymous_use)
    if form.validate_on_submit():
        try:
            service.update_compliment(
                submission,
                form.details(),
                actor_id=current_user.id,
                today=clock.today_london(),
                allow_duplicate=bool(form.record_anyway.data),
                require_subject=True,
            )
        except service.DuplicateCompliment as exc:
            duplicate = exc
            form.words.errors.append(str(exc))
        except ComplimentError as exc:
            getattr(form, exc.field, form.words).errors.append(str(exc))
        except DomainError as exc:
            form.words.errors.append(str(exc))
        else:
            flash(f"Compliment {submission.reference} updated", "success")
            return redirect(url_for("staff.compliments_record", compliment_id=submission.id))
    return render_template(
        "staff/compliments/form.html", form=form, submission=submission, **_duplicate_context(duplicate)
    )
