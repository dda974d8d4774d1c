"""The advocacy queue: requests from young people (or adults on their behalf, with their agreement), allocated to
advocates and worked through to an outcome, with the contact and allocation targets shown like other deadlines."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action, can
from portal.domain.advocacy import ACTION_LABELS, ADVOCACY_OUTCOME_LABELS, ADVOCACY_STATUS_LABELS, AdvocacyAction
from portal.domain.enums import AdvocacyOutcome, SubmissionKind
from portal.form_choices import options
from portal.services import advocacy as service
from portal.services import clock
from staff import bp
from staff.forms.advocacy import (
    AllocateForm,
    CloseForm,
    ContactForm,
    EditRequestForm,
    LinkForm,
    NewRequestForm,
    ReopenForm,
    StartForm,
    UnlinkForm,
)
from staff.forms.fields import required_date
from staff.forms.filters import QueueFilterForm
from staff.permissions import get_submission_or_404, requires


@bp.get("/advocacy")
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_queue():  # type: ignore[no-untyped-def]
    form = QueueFilterForm(request.args)
    filters = service.QueueFilters(
        status=form.status.data or "open", advocate=form.advocate.data or "any", text=form.q.data or None
    )
    today = clock.today_london()
    page = service.queue_page(filters, user_id=current_user.id, today=today, page=request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k not in ("page", "submit") and v}
    return render_template(
        "staff/advocacy/queue.html",
        status_labels=ADVOCACY_STATUS_LABELS,
        filter_form=form,
        results=page,
        query_args=args,
        today=today,
        filtered=bool(args),
    )


@bp.route("/advocacy/new", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_new():  # type: ignore[no-untyped-def]
    form = NewRequestForm()
    form.help_with.choices = options((label, label) for label in service.help_choices())
    if request.method == "GET":
        form.received_on.data = clock.today_london()
    if form.validate_on_submit():
        try:
            submission = service.record_request(form.manual(), actor_id=current_user.id, today=clock.today_london())
        except DomainError as exc:
            form.received_on.errors.append(str(exc))
        else:
            flash(f"Advocacy request {submission.reference} recorded", "success")
            return redirect(url_for("staff.advocacy_request", request_id=submission.id))
    return render_template("staff/advocacy/new.html", form=form)


@bp.route("/advocacy/<int:request_id>/edit", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_edit(request_id: int):  # type: ignore[no-untyped-def]
    submission = _request_or_404(request_id)
    current = submission.advocacy
    form = EditRequestForm()
    form.help_with.choices = options((label, label) for label in service.help_choices(current.help_with))
    if request.method == "GET":
        form.young_person_age.data = current.young_person_age
        form.situation.data = current.situation.value if current.situation else None
        form.help_with.data = list(current.help_with or [])
        form.help_details.data = current.help_details or ""
        form.needed_by.data = current.needed_by
        form.contact_methods.data = list(submission.contact_methods or [])
        form.ok_to_leave_message.data = submission.ok_to_leave_message
        form.safe_contact_notes.data = submission.safe_contact_notes or ""
    if form.validate_on_submit():
        try:
            service.update_request(submission, form.update(), actor_id=current_user.id, today=clock.today_london())
        except DomainError as exc:
            form.young_person_age.errors.append(str(exc))
        else:
            flash(f"Advocacy request {submission.reference} updated", "success")
            return redirect(url_for("staff.advocacy_request", request_id=submission.id))
    return render_template("staff/advocacy/edit.html", form=form, submission=submission)


def _request_or_404(request_id: int) -> Any:
    submission = get_submission_or_404(request_id)
    if submission.kind != SubmissionKind.ADVOCACY or submission.advocacy is None:
        abort(404)
    return submission


@bp.get("/advocacy/<int:request_id>")
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_request(request_id: int):  # type: ignore[no-untyped-def]
    submission = _request_or_404(request_id)
    today = clock.today_london()
    view = service.request_view(submission, today=today, viewer=current_user)
    return render_template(
        "staff/advocacy/request.html",
        submission=submission,
        view=view,
        action_labels=ACTION_LABELS,
        status_labels=ADVOCACY_STATUS_LABELS,
        outcome_labels=ADVOCACY_OUTCOME_LABELS,
        can_link=can(current_user.role, Action.LINK_ADVOCACY),
    )


def _action_page(
    request_id: int,
    form: Any,
    action: AdvocacyAction | None,
    call: Any,
    *,
    heading: str,
    field: str,
    success: str,
    intro: str | None = None,
) -> Any:
    submission = _request_or_404(request_id)
    if action is not None and not service.action_allowed(submission, action):
        flash(f"You cannot do that now: the request is {ADVOCACY_STATUS_LABELS[submission.advocacy.status].lower()}.")
        return redirect(url_for("staff.advocacy_request", request_id=submission.id))
    if request.method == "GET" and field and getattr(form, field).data is None:
        getattr(form, field).data = clock.today_london()
    if form.validate_on_submit():
        try:
            call(submission)
        except DomainError as exc:
            getattr(form, field or "submit").errors.append(str(exc))
        else:
            flash(success.format(reference=submission.reference), "success")
            return redirect(url_for("staff.advocacy_request", request_id=submission.id))
    return render_template("staff/advocacy/action.html", form=form, submission=submission, heading=heading, intro=intro)


@bp.route("/advocacy/<int:request_id>/allocate", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_allocate(request_id: int):  # type: ignore[no-untyped-def]
    form = AllocateForm()
    advocates = service.advocate_choices()
    form.advocate.choices = options([("", "Select an advocate"), *((a.id, a.full_name) for a in advocates)])
    if request.method == "GET" and can(current_user.role, Action.ACT_AS_ADVOCATE):
        form.advocate.data = current_user.id
    return _action_page(
        request_id,
        form,
        AdvocacyAction.ALLOCATE,
        lambda s: service.allocate(
            s,
            advocate_id=form.advocate.data,
            allocated_on=required_date(form.allocated_on),
            actor_id=current_user.id,
            today=clock.today_london(),
        ),
        heading="Allocate an advocate",
        field="allocated_on",
        success="Advocate allocated to {reference}",
    )


@bp.route("/advocacy/<int:request_id>/contact", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_record_contact(request_id: int):  # type: ignore[no-untyped-def]
    form = ContactForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.RECORD_CONTACT,
        lambda s: service.record_contact(
            s, contacted_on=required_date(form.contacted_on), actor_id=current_user.id, today=clock.today_london()
        ),
        heading="Record contact with the young person",
        field="contacted_on",
        success="Contact recorded for {reference}",
    )


@bp.route("/advocacy/<int:request_id>/start", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_start_work(request_id: int):  # type: ignore[no-untyped-def]
    form = StartForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.START_WORK,
        lambda s: service.start_work(
            s, activated_on=required_date(form.activated_on), actor_id=current_user.id, today=clock.today_london()
        ),
        heading="Record that advocacy work has started",
        field="activated_on",
        success="{reference} is now active",
    )


@bp.route("/advocacy/<int:request_id>/close", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_close(request_id: int):  # type: ignore[no-untyped-def]
    form = CloseForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.CLOSE,
        lambda s: service.close(
            s,
            closed_on=required_date(form.closed_on),
            outcome=AdvocacyOutcome(form.outcome.data),
            notes=form.notes.data,
            actor_id=current_user.id,
            today=clock.today_london(),
        ),
        heading="Close the request",
        field="outcome",
        success="{reference} closed",
    )


@bp.route("/advocacy/<int:request_id>/reopen", methods=["GET", "POST"])
@requires(Action.WORK_ON_ADVOCACY)
def advocacy_reopen(request_id: int):  # type: ignore[no-untyped-def]
    form = ReopenForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.REOPEN,
        lambda s: service.reopen(s, reason=form.reason.data, actor_id=current_user.id),
        heading="Reopen the request",
        field="reason",
        success="{reference} reopened",
    )


@bp.route("/advocacy/<int:request_id>/link", methods=["GET", "POST"])
@requires(Action.LINK_ADVOCACY)
def advocacy_link_complaint(request_id: int):  # type: ignore[no-untyped-def]
    form = LinkForm()
    return _action_page(
        request_id,
        form,
        None,
        lambda s: service.link_complaint(s, reference=form.reference.data, actor_id=current_user.id),
        heading="Link the complaint this request supports",
        field="reference",
        intro="Linking lets the advocate open that complaint's case page. Only link the complaint this young person "
        "is being helped with.",
        success="Complaint linked to {reference}",
    )


@bp.route("/advocacy/<int:request_id>/unlink", methods=["GET", "POST"])
@requires(Action.LINK_ADVOCACY)
def advocacy_unlink_complaint(request_id: int):  # type: ignore[no-untyped-def]
    form = UnlinkForm()
    return _action_page(
        request_id,
        form,
        None,
        lambda s: service.unlink_complaint(s, actor_id=current_user.id),
        heading="Unlink the complaint",
        field="",
        intro="The advocate will no longer be able to open the complaint's case page through this request.",
        success="Complaint unlinked from {reference}",
    )
