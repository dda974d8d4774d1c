"""Lifecycle actions on a complaint: acknowledge, extend, points and findings, respond, escalate, accept or refuse
a request, close, reopen, withdraw; Stage 2 investigation and costs; the Stage 3 panel; ADR, remedies and
Ombudsman enquiries. Each view parses one form and calls one service."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.access import Action
from portal.domain.enums import FINDING_LABELS, CategoryKind, Procedure, StageName, SubmissionKind
from portal.extensions import db
from portal.form_choices import options
from portal.models import ComplaintPoint, LgscoReferral, PanelMember, StageCost, StageRecord, Submission
from portal.services import choices
from portal.services import lifecycle as service
from portal.services.clock import today_london
from portal.template_helpers import govuk_date
from staff import bp
from staff.forms.base import domain_error
from staff.forms.fields import required_date
from staff.forms.lifecycle import (
    AcceptForm,
    AcknowledgeForm,
    AdrForm,
    CloseForm,
    CostForm,
    DeclineForm,
    EscalateForm,
    ExtendForm,
    InvestigationForm,
    LgscoForm,
    PanelDatesForm,
    PanelMemberForm,
    PointFindingForm,
    PointForm,
    RemedyForm,
    RemoveForm,
    ReopenForm,
    ResponseForm,
    WithdrawForm,
)
from staff.links import lifecycle_links
from staff.permissions import get_submission_or_404, requires

# --- helpers --------------------------------------------------------------------------------------------------------


def case_url(submission: Submission) -> str:
    return url_for("staff.case_detail", case_id=submission.id)


def _complaint(case_id: int) -> Submission:
    submission = get_submission_or_404(case_id)
    if submission.kind != SubmissionKind.COMPLAINT:
        abort(404)
    return submission


def _stage(submission: Submission, stage_id: int) -> StageRecord:
    stage = db.get_or_404(StageRecord, stage_id)
    if stage.submission_id != submission.id:
        abort(404)
    return stage


def _render(
    template: str, submission: Submission, form: FlaskForm, *, title: str, stage: StageRecord | None = None, **ctx: Any
) -> str:
    return render_template(
        template,
        submission=submission,
        stage=stage,
        stage_label=rules.stage_label(stage.stage) if stage is not None else None,
        form=form,
        title=title,
        back_url=case_url(submission),
        **ctx,
    )


def _done(submission: Submission, message: str) -> Response:
    flash(message, "success")
    return redirect(case_url(submission))


# --- pages ----------------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/procedure")
@requires(Action.RESPOND)
def lifecycle_case(case_id: int) -> str:
    """The procedure panel on its own page (the case page includes the same panel)."""
    submission = _complaint(case_id)
    panel = service.case_panel(submission, current_user, today_london())
    return render_template(
        "staff/lifecycle/case.html",
        submission=submission,
        panel=panel,
        panel_links=lifecycle_links(submission.id, panel.actions),
    )


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/acknowledge", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_acknowledge(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        try:
            service.acknowledge(
                stage, on=required_date(form.acknowledged_on), actor_id=current_user.id, today=today_london()
            )
        except DomainError as exc:
            domain_error(form, "acknowledged_on", exc)
        else:
            return _done(submission, "Acknowledgement recorded")
    return _render("staff/lifecycle/form.html", submission, form, title="Record acknowledgement", stage=stage)


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/extend", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_extend(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    form = ExtendForm()
    try:
        max_due = service.stage_dates(stage).max_due_on
    except DomainError:
        max_due = None
    if form.validate_on_submit():
        try:
            service.extend(
                stage,
                new_due_on=required_date(form.new_due_on),
                reason=form.reason.data,
                authorised_by=form.authorised_by.data,
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "new_due_on", exc)
        else:
            return _done(submission, "Deadline extended. The complainant will be told.")
    return _render(
        "staff/lifecycle/form.html",
        submission,
        form,
        title="Extend the deadline",
        stage=stage,
        intro=[
            f"Currently due on {_d(stage.due_on)}.",
            f"The latest date the procedure allows is {_d(max_due)}." if max_due else "This stage cannot be extended.",
        ],
    )


def _d(value: date | None) -> str:
    return govuk_date(value)


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/points", methods=["GET", "POST"])
@requires(Action.RESPOND)
def lifecycle_points(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    form = PointForm()
    if form.validate_on_submit():
        try:
            service.add_point(stage, text=form.text.data, actor_id=current_user.id)
        except DomainError as exc:
            domain_error(form, "text", exc)
        else:
            flash("Complaint point added", "success")
            return redirect(url_for("staff.lifecycle_points", case_id=case_id, stage_id=stage_id))
    return _render(
        "staff/lifecycle/points.html",
        submission,
        form,
        title=f"{rules.stage_label(stage.stage)} complaint points",
        stage=stage,
        finding_labels=FINDING_LABELS,
    )


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/points/finding", methods=["GET", "POST"])
@requires(Action.RESPOND)
def lifecycle_point_finding(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    point_id = request.args.get("point", type=int)
    point = db.get_or_404(ComplaintPoint, point_id) if point_id else (stage.points[0] if stage.points else None)
    if point is None or point.stage_id != stage.id:
        abort(404)
    form = PointFindingForm(obj=point if request.method == "GET" else None)
    form.finding.choices = options(
        (f.value, FINDING_LABELS[f]) for f in rules.allowed_findings(Procedure(stage.procedure))
    )
    if form.validate_on_submit():
        try:
            service.set_point_finding(
                point, finding=form.finding.data, rationale=form.rationale.data, actor_id=current_user.id
            )
        except DomainError as exc:
            domain_error(form, "finding", exc)
        else:
            flash(f"Finding saved for point {point.position}", "success")
            return redirect(url_for("staff.lifecycle_points", case_id=case_id, stage_id=stage_id))
    return _render(
        "staff/lifecycle/form.html",
        submission,
        form,
        title=f"Finding for point {point.position}",
        stage=stage,
        quote=point.text,
        back=url_for("staff.lifecycle_points", case_id=case_id, stage_id=stage_id),
    )


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/respond", methods=["GET", "POST"])
@requires(Action.RESPOND)
def lifecycle_respond(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    form = ResponseForm()
    procedure = Procedure(stage.procedure)
    form.finding.choices = options((f.value, FINDING_LABELS[f]) for f in rules.allowed_findings(procedure))
    form.outcomes.choices = options(choices.categories(CategoryKind.ACTUAL_OUTCOME))
    if request.method == "GET":
        form.outcomes.data = [c.id for c in submission.actual_outcomes]
        suggestion = rules.overall_from_points(tuple(p.finding for p in stage.points if p.finding))
        if suggestion is not None:
            form.finding.data = suggestion.value
    if form.validate_on_submit():
        try:
            service.record_response(
                stage,
                responded_on=required_date(form.responded_on),
                finding=form.finding.data,
                summary=form.summary.data,
                actual_outcome_ids=form.outcomes.data or [],
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "responded_on", exc)
        else:
            message = "Response recorded"
            if rules.prompts_learning(form.finding.data):
                message += ". The finding was upheld in part or in full: record the learning actions."
            return _done(submission, message)
    return _render(
        "staff/lifecycle/form.html",
        submission,
        form,
        title=f"Record the {rules.stage_label(stage.stage)} response",
        stage=stage,
        intro=[
            f"Due on {_d(stage.due_on)}.",
            f"{len([p for p in stage.points if p.finding])} of {len(stage.points)} complaint points have a finding.",
        ],
    )


@bp.route("/cases/<int:case_id>/escalate", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_escalate(case_id: int) -> Any:
    submission = _complaint(case_id)
    form = EscalateForm()
    if form.validate_on_submit():
        try:
            stage = service.request_escalation(
                submission,
                requested_on=required_date(form.requested_on),
                source="staff",
                actor_id=current_user.id,
                reason=form.reason.data,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "requested_on", exc)
        else:
            return _done(submission, f"Request for {rules.stage_label(stage.stage)} recorded")
    option = service.escalation_option(submission, today_london())
    intro = []
    if option is not None:
        intro.append(f"They could ask for {option.next_stage} until {_d(option.request_by)}.")
        if not option.allowed:
            intro.append("That date has passed. You can still accept a late request if it is reasonable.")
    return _render(
        "staff/lifecycle/form.html", submission, form, title="Record a request for the next stage", intro=intro
    )


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/accept", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_accept(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            service.accept_escalation(stage, actor_id=current_user.id, today=today_london())
        except DomainError as exc:
            domain_error(form, "submit", exc)
        else:
            return _done(submission, f"{rules.stage_label(stage.stage)} started")
    return _render(
        "staff/lifecycle/form.html",
        submission,
        form,
        title=f"Accept the request for {rules.stage_label(stage.stage)}",
        stage=stage,
        intro=[f"Requested on {_d(stage.requested_on)}. The response is due on {_d(stage.due_on)}."],
    )


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/refuse", methods=["GET", "POST"])
@requires(Action.REFUSE_ESCALATION)
def lifecycle_decline(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            service.decline_escalation(
                stage,
                reason=form.reason.data,
                decided_by=current_user,
                signed_off_by=current_user,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "reason", exc)
        else:
            return _done(submission, "Request refused. The complainant will be told, with the Ombudsman's details.")
    return _render(
        "staff/lifecycle/form.html",
        submission,
        form,
        title=f"Refuse the request for {rules.stage_label(stage.stage)}",
        stage=stage,
        warning=rules.REFUSAL_WARNING,
        quote=service.signpost_text(Procedure(stage.procedure)),
        quote_label="The letter will end with",
    )


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_close(case_id: int) -> Any:
    submission = _complaint(case_id)
    form = CloseForm()
    open_actions = service.open_learning_actions(submission)
    if request.method == "GET":
        form.closed_on.data = today_london()
    if form.validate_on_submit():
        try:
            service.close_case(
                submission,
                on=required_date(form.closed_on),
                actor=current_user,
                today=today_london(),
                override_reason=form.override_reason.data,
            )
        except DomainError as exc:
            domain_error(form, "override_reason" if open_actions else "closed_on", exc)
        else:
            return _done(submission, "Complaint closed")
    intro = []
    if open_actions:
        intro.append(
            f"{open_actions} learning action{'s are' if open_actions != 1 else ' is'} still open. Complete "
            "them first, or a complaints manager can close the complaint with a reason."
        )
    return _render("staff/lifecycle/form.html", submission, form, title="Close the complaint", intro=intro)


@bp.route("/cases/<int:case_id>/reopen", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_reopen(case_id: int) -> Any:
    submission = _complaint(case_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            service.reopen_case(submission, reason=form.reason.data, actor_id=current_user.id, today=today_london())
        except DomainError as exc:
            domain_error(form, "reason", exc)
        else:
            return _done(submission, "Complaint reopened")
    return _render("staff/lifecycle/form.html", submission, form, title="Reopen the complaint")


@bp.route("/cases/<int:case_id>/withdraw", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_withdraw(case_id: int) -> Any:
    submission = _complaint(case_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            service.withdraw(
                submission,
                on=required_date(form.withdrawn_on),
                reason=form.reason.data,
                source="staff",
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "withdrawn_on", exc)
        else:
            return _done(submission, "Withdrawal recorded")
    return _render("staff/lifecycle/form.html", submission, form, title="Record a withdrawal")


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/investigation", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_investigation(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    if stage.stage != StageName.STAGE2.value:
        abort(404)
    form = InvestigationForm(obj=stage if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            service.update_investigation(
                stage,
                investigating_officer=form.investigating_officer.data,
                independent_person=form.independent_person.data,
                adjudicating_officer=form.adjudicating_officer.data,
                statement_agreed_on=form.statement_agreed_on.data,
                adjudicated_on=form.adjudicated_on.data,
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "statement_agreed_on", exc)
        else:
            return _done(submission, "Investigation details saved")
    return _render("staff/lifecycle/form.html", submission, form, title="Stage 2 investigation", stage=stage)


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/costs", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_costs(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    if stage.stage not in (StageName.STAGE2.value, StageName.STAGE3.value):
        abort(404)
    form = CostForm()
    if form.validate_on_submit():
        try:
            service.add_cost(
                stage,
                description=form.description.data,
                amount=form.amount.amount,
                hours=form.hours.hours,
                actor_id=current_user.id,
            )
        except DomainError as exc:
            domain_error(form, "amount", exc)
        else:
            flash("Cost added", "success")
            return redirect(url_for("staff.lifecycle_costs", case_id=case_id, stage_id=stage_id))
    return _render(
        "staff/lifecycle/costs.html",
        submission,
        form,
        title=f"{rules.stage_label(stage.stage)} costs",
        stage=stage,
        remove_form=RemoveForm(),
    )


@bp.post("/cases/<int:case_id>/stages/<int:stage_id>/costs/remove")
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_cost_remove(case_id: int, stage_id: int) -> Response:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    cost = db.get_or_404(StageCost, request.args.get("cost", type=int) or 0)
    form = RemoveForm()
    if cost.stage_id != stage.id or not form.validate_on_submit():
        abort(404)
    service.remove_cost(cost, actor_id=current_user.id)
    flash("Cost removed", "success")
    return redirect(url_for("staff.lifecycle_costs", case_id=case_id, stage_id=stage_id))


@bp.route("/cases/<int:case_id>/stages/<int:stage_id>/panel", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_panel(case_id: int, stage_id: int) -> Any:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    if stage.stage != StageName.STAGE3.value:
        abort(404)
    posted = request.method == "POST"
    dates_form = PanelDatesForm(
        obj=stage if not posted else None, formdata=request.form if posted and "save_dates" in request.form else None
    )
    member_form = PanelMemberForm(formdata=request.form if posted and "add_member" in request.form else None)
    if posted and "save_dates" in request.form and dates_form.validate_on_submit():
        try:
            service.record_panel(
                stage,
                panel_on=dates_form.panel_on.data,
                findings_on=dates_form.findings_on.data,
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(dates_form, "panel_on", exc)
        else:
            flash("Panel dates saved", "success")
            return redirect(url_for("staff.lifecycle_panel", case_id=case_id, stage_id=stage_id))
    if posted and "add_member" in request.form and member_form.validate_on_submit():
        try:
            service.add_panel_member(
                stage, name=member_form.name.data, is_chair=bool(member_form.is_chair.data), actor_id=current_user.id
            )
        except DomainError as exc:
            domain_error(member_form, "name", exc)
        else:
            flash("Panel member added", "success")
            return redirect(url_for("staff.lifecycle_panel", case_id=case_id, stage_id=stage_id))
    errors_form = member_form if member_form.errors else dates_form
    return render_template(
        "staff/lifecycle/panel.html",
        submission=submission,
        stage=stage,
        dates_form=dates_form,
        member_form=member_form,
        form=errors_form,
        remove_form=RemoveForm(),
        back_url=case_url(submission),
    )


@bp.post("/cases/<int:case_id>/stages/<int:stage_id>/panel/remove")
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_panel_remove(case_id: int, stage_id: int) -> Response:
    submission = _complaint(case_id)
    stage = _stage(submission, stage_id)
    member = db.get_or_404(PanelMember, request.args.get("member", type=int) or 0)
    form = RemoveForm()
    if member.stage_id != stage.id or not form.validate_on_submit():
        abort(404)
    service.remove_panel_member(member, actor_id=current_user.id)
    flash("Panel member removed", "success")
    return redirect(url_for("staff.lifecycle_panel", case_id=case_id, stage_id=stage_id))


@bp.route("/cases/<int:case_id>/adr", methods=["GET", "POST"])
@requires(Action.RESPOND)
def lifecycle_adr(case_id: int) -> Any:
    submission = _complaint(case_id)
    form = AdrForm()
    if form.validate_on_submit():
        try:
            service.record_adr(
                submission,
                held_on=required_date(form.held_on),
                kind=form.kind.data,
                facilitator=form.facilitator.data,
                hours=form.hours.hours,
                outcome=form.outcome.data,
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "held_on", exc)
        else:
            return _done(submission, "Session recorded. The complainant keeps the right to ask for the next stage.")
    return _render(
        "staff/lifecycle/form.html",
        submission,
        form,
        title="Record alternative dispute resolution",
        intro=["Mediation or a facilitated meeting never takes away the right to ask for the next stage."],
    )


@bp.route("/cases/<int:case_id>/remedies", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_remedy(case_id: int) -> Any:
    submission = _complaint(case_id)
    form = RemedyForm()
    if form.validate_on_submit():
        try:
            service.add_remedy(
                submission,
                values={
                    "kind": form.kind.data,
                    "amount": form.amount.amount,
                    "payee": form.payee.data,
                    "approved_by": form.approved_by.data,
                    "offered_on": form.offered_on.data,
                    "accepted": form.accepted.data,
                    "paid_on": form.paid_on.data,
                },
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "amount" if "amount" in str(exc) else "kind", exc)
        else:
            return _done(submission, "Remedy recorded")
    return _render("staff/lifecycle/form.html", submission, form, title="Record a remedy")


@bp.route("/cases/<int:case_id>/ombudsman", methods=["GET", "POST"])
@requires(Action.CHANGE_LIFECYCLE)
def lifecycle_lgsco(case_id: int) -> Any:
    submission = _complaint(case_id)
    referral = None
    if request.args.get("referral"):
        referral = db.get_or_404(LgscoReferral, request.args.get("referral", type=int) or 0)
        if referral.submission_id != submission.id:
            abort(404)
    form = LgscoForm(obj=referral if request.method == "GET" else None)
    if request.method == "GET" and referral is None and submission.current_stage is not None:
        form.stage_reached.data = StageName(submission.current_stage).value
    if form.validate_on_submit():
        try:
            service.save_lgsco_referral(
                submission,
                referral,
                values={name: getattr(form, name).data for name in service.LGSCO_FIELDS},
                actor_id=current_user.id,
                today=today_london(),
            )
        except DomainError as exc:
            domain_error(form, "referred_on", exc)
        else:
            return _done(submission, "Ombudsman enquiry saved")
    title = "Ombudsman enquiry" if referral else "Record an Ombudsman enquiry"
    return _render("staff/lifecycle/form.html", submission, form, title=title)
