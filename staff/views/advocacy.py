"""The advocacy queue: requests from young people (or adults on their behalf, with their agreement), allocated to
advocates and worked through to an outcome, with the contact and allocation targets shown like other deadlines."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.domain import DomainError
from portal.domain.advocacy import ACTION_LABELS, ADVOCACY_OUTCOME_LABELS, ADVOCACY_STATUS_LABELS, AdvocacyAction
from portal.domain.enums import (
    CARE_STATUS_LABELS,
    CHANNEL_LABELS,
    AdvocacyOutcome,
    CareStatus,
    Channel,
    Role,
    SubmissionKind,
)
from portal.services import advocacy as service
from portal.services import clock
from staff import bp
from staff.permissions import get_submission_or_404, roles_required
from staff.views.compliments import GovDateField, StrippedForm, optional_int

QUEUE_ROLES = (Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.ADVOCATE)
LINK_ROLES = (Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER)

STATUS_FILTERS = [("open", "Open (not closed)")] + [(s.value, label) for s, label in ADVOCACY_STATUS_LABELS.items()]
STATUS_FILTERS.append(("all", "All"))
CASE_PAGE = "staff.case_detail"  # staff core's case page, where an advocate can read a linked complaint
CONTACT_METHODS = [("phone", "Phone call"), ("text", "Text message"), ("email", "Email"), ("letter", "Letter")]


class QueueFilterForm(StrippedForm):
    class Meta(StrippedForm.Meta):
        csrf = False

    status = SelectField("Status", widget=GovSelect(), choices=STATUS_FILTERS, default="open", validate_choice=False)
    advocate = SelectField(
        "Advocate",
        widget=GovSelect(),
        choices=[("any", "Anyone or nobody"), ("me", "Allocated to me"), ("unallocated", "Not allocated yet")],
        default="any",
        validate_choice=False,
    )
    q = StringField("Reference or young person's name", widget=GovTextInput(), validators=[Length(max=200)])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class AllocateForm(StrippedForm):
    advocate = SelectField(
        "Who is the advocate?",
        widget=GovSelect(),
        coerce=optional_int,
        validators=[InputRequired("Select the advocate")],
    )
    allocated_on = GovDateField(
        "When were they allocated?", required_message="Enter the date the advocate was allocated"
    )
    submit = SubmitField("Allocate", widget=GovSubmitInput())

    def validate_advocate(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the advocate")


class ContactForm(StrippedForm):
    contacted_on = GovDateField(
        "When did the advocate first speak to the young person?", required_message="Enter the date of contact"
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class StartForm(StrippedForm):
    activated_on = GovDateField("When did the advocacy work start?", required_message="Enter the date the work started")
    submit = SubmitField("Save", widget=GovSubmitInput())


class CloseForm(StrippedForm):
    outcome = RadioField(
        "What was the outcome?",
        widget=GovRadioInput(),
        choices=[(o.value, label) for o, label in ADVOCACY_OUTCOME_LABELS.items()],
        validators=[InputRequired("Select the outcome")],
    )
    notes = TextAreaField(
        "Notes about the outcome",
        widget=GovTextArea(),
        description="Required when you select 'Other'. Do not include anything the young person asked to keep private.",
        validators=[Length(max=5000, message="Notes must be 5,000 characters or fewer")],
    )
    closed_on = GovDateField("When did the advocacy end?", required_message="Enter the date the advocacy ended")
    submit = SubmitField("Close the request", widget=GovSubmitInput())


class ReopenForm(StrippedForm):
    reason = TextAreaField(
        "Why is the request being reopened?",
        widget=GovTextArea(),
        validators=[DataRequired("Enter why the request is being reopened"), Length(max=2000)],
    )
    submit = SubmitField("Reopen the request", widget=GovSubmitInput())


class LinkForm(StrippedForm):
    reference = StringField(
        "Complaint reference",
        widget=GovTextInput(),
        description="For example, 7KQ-M9T-X4R",
        validators=[DataRequired("Enter the complaint reference"), Length(max=20)],
        render_kw={"spellcheck": "false", "class": "govuk-input--width-10"},
    )
    submit = SubmitField("Link the complaint", widget=GovSubmitInput())


class UnlinkForm(StrippedForm):
    submit = SubmitField("Unlink the complaint", widget=GovSubmitInput())


class NewRequestForm(StrippedForm):
    received_on = GovDateField(
        "When was the request received?", required_message="Enter the date the request was received"
    )
    channel = SelectField(
        "How did it arrive?",
        widget=GovSelect(),
        choices=[("", "Select how it arrived")] + [(c.value, CHANNEL_LABELS[c]) for c in Channel],
        validators=[DataRequired("Select how the request arrived")],
    )
    referral = RadioField(
        "Who is asking for an advocate?",
        widget=GovRadioInput(),
        choices=[
            ("self", "The young person, for themselves"),
            ("adult", "An adult or professional, on the young person's behalf"),
        ],
        validators=[InputRequired("Select who is asking for an advocate")],
    )
    referrer_name = StringField(
        "Name of the adult or professional (if they referred)",
        widget=GovTextInput(),
        validators=[Length(max=200, message="Name must be 200 characters or fewer")],
    )
    referrer_role = StringField(
        "Their role or relationship to the young person",
        widget=GovTextInput(),
        description="For example, social worker, teacher, foster carer",
        validators=[Length(max=120, message="Role must be 120 characters or fewer")],
    )
    young_person_agrees = RadioField(
        "Does the young person agree to the referral?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes"), ("no", "No or not asked yet")],
        validators=[Optional()],
        description="Only for referrals by an adult or professional. We cannot take a referral without it.",
    )
    young_person_name = StringField(
        "Young person's name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the young person's name"), Length(max=200)],
    )
    young_person_dob = GovDateField("Young person's date of birth (optional)", description="For example, 27 3 2010")
    young_person_age = IntegerField(
        "Age, if the date of birth is not known (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=25, message="Age must be between 0 and 25")],
        render_kw={"class": "govuk-input--width-3", "inputmode": "numeric"},
    )
    situation = RadioField(
        "What is their situation?",
        widget=GovRadioInput(),
        choices=[(s.value, CARE_STATUS_LABELS[s]) for s in CareStatus],
        validators=[InputRequired("Select the young person's situation")],
    )
    help_with = SelectMultipleField(
        "What do they need help with?",
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Select what they need help with")],
    )
    help_details = TextAreaField(
        "Tell us more (optional)",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Details must be 5,000 characters or fewer")],
    )
    needed_by = GovDateField("When do they need help by? (optional)", description="For example, a meeting date")
    phone = StringField("Phone number (optional)", widget=GovTextInput(), validators=[Length(max=40)])
    email = StringField("Email address (optional)", widget=GovTextInput(), validators=[Length(max=254)])
    contact_methods = SelectMultipleField(
        "How can the advocate contact the young person safely?",
        widget=GovCheckboxesInput(),
        choices=CONTACT_METHODS,
        validators=[Optional()],
    )
    ok_to_leave_message = RadioField(
        "Is it OK to leave a message?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes"), ("no", "No")],
        validators=[Optional()],
    )
    safe_contact_notes = TextAreaField(
        "Anything the advocate must know to contact them safely (optional)",
        widget=GovTextArea(),
        description="For example, only text after school, or do not call the house phone.",
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Save request", widget=GovSubmitInput())

    def validate_young_person_agrees(self, field: RadioField) -> None:
        if self.referral.data == "adult" and field.data != "yes":
            raise ValidationError(
                "An adult or professional can only ask for an advocate when the young person agrees: "
                "ask the young person first"
            )

    def validate_referrer_name(self, field: StringField) -> None:
        if self.referral.data == "adult" and not field.data:
            raise ValidationError("Enter the name of the adult or professional who referred")

    def validate_safe_contact_notes(self, field: TextAreaField) -> None:
        if not (self.phone.data or self.email.data or field.data):
            raise ValidationError("Enter a phone number, an email address or how to contact the young person safely")

    def manual(self) -> service.ManualRequest:
        for_self = self.referral.data == "self"
        return service.ManualRequest(
            received_on=self.received_on.data,
            channel=Channel(self.channel.data),
            details=service.RequestDetails(
                for_self=for_self,
                young_person_agrees=None if for_self else self.young_person_agrees.data,
                young_person_age=self.young_person_age.data,
                situation=CareStatus(self.situation.data),
                help_with=tuple(self.help_with.data or ()),
                help_details=self.help_details.data or None,
                needed_by=self.needed_by.data,
            ),
            young_person_name=self.young_person_name.data,
            young_person_dob=self.young_person_dob.data,
            referrer_name=None if for_self else self.referrer_name.data or None,
            referrer_role=None if for_self else self.referrer_role.data or None,
            phone=self.phone.data or None,
            email=self.email.data or None,
            contact_methods=tuple(self.contact_methods.data or ()),
            ok_to_leave_message=self.ok_to_leave_message.data or None,
            safe_contact_notes=self.safe_contact_notes.data or None,
        )


class EditRequestForm(StrippedForm):
    young_person_age = IntegerField(
        "Age (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=25, message="Age must be between 0 and 25")],
        render_kw={"class": "govuk-input--width-3", "inputmode": "numeric"},
    )
    situation = RadioField(
        "What is their situation?",
        widget=GovRadioInput(),
        choices=[(s.value, CARE_STATUS_LABELS[s]) for s in CareStatus],
        validators=[InputRequired("Select the young person's situation")],
    )
    help_with = SelectMultipleField(
        "What do they need help with?",
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Select what they need help with")],
    )
    help_details = TextAreaField(
        "More about it (optional)",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Details must be 5,000 characters or fewer")],
    )
    needed_by = GovDateField("When do they need help by? (optional)", description="For example, 3 12 2026")
    contact_methods = SelectMultipleField(
        "How can the advocate contact the young person safely?",
        widget=GovCheckboxesInput(),
        choices=CONTACT_METHODS,
        validators=[Optional()],
    )
    ok_to_leave_message = RadioField(
        "Is it OK to leave a message?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes"), ("no", "No")],
        validators=[Optional()],
    )
    safe_contact_notes = TextAreaField(
        "Anything the advocate must know to contact them safely (optional)",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Notes must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def update(self) -> service.RequestUpdate:
        return service.RequestUpdate(
            young_person_age=self.young_person_age.data,
            situation=CareStatus(self.situation.data),
            help_with=tuple(self.help_with.data or ()),
            help_details=self.help_details.data or None,
            needed_by=self.needed_by.data,
            contact_methods=tuple(self.contact_methods.data or ()),
            ok_to_leave_message=self.ok_to_leave_message.data or None,
            safe_contact_notes=self.safe_contact_notes.data or None,
        )


@bp.get("/advocacy")
@roles_required(*QUEUE_ROLES)
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
@roles_required(*QUEUE_ROLES)
def advocacy_new():  # type: ignore[no-untyped-def]
    form = NewRequestForm()
    form.help_with.choices = [(label, label) for label in service.help_choices()]
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
@roles_required(*QUEUE_ROLES)
def advocacy_edit(request_id: int):  # type: ignore[no-untyped-def]
    submission = _request_or_404(request_id)
    current = submission.advocacy
    form = EditRequestForm()
    form.help_with.choices = [(label, label) for label in service.help_choices(current.help_with)]
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


def _complaint_endpoint() -> str | None:
    return CASE_PAGE if CASE_PAGE in current_app.view_functions else None


def _request_or_404(request_id: int) -> Any:
    submission = get_submission_or_404(request_id)
    if submission.kind != SubmissionKind.ADVOCACY or submission.advocacy is None:
        abort(404)
    return submission


@bp.get("/advocacy/<int:request_id>")
@roles_required(*QUEUE_ROLES)
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
        complaint_endpoint=_complaint_endpoint(),
        can_link=current_user.role in LINK_ROLES,
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
@roles_required(*QUEUE_ROLES)
def advocacy_allocate(request_id: int):  # type: ignore[no-untyped-def]
    form = AllocateForm()
    advocates = service.advocate_choices()
    form.advocate.choices = [("", "Select an advocate")] + [(a.id, a.full_name) for a in advocates]
    if request.method == "GET" and current_user.role == Role.ADVOCATE:
        form.advocate.data = current_user.id
    return _action_page(
        request_id,
        form,
        AdvocacyAction.ALLOCATE,
        lambda s: service.allocate(
            s,
            advocate_id=form.advocate.data,
            allocated_on=form.allocated_on.data,
            actor_id=current_user.id,
            today=clock.today_london(),
        ),
        heading="Allocate an advocate",
        field="allocated_on",
        success="Advocate allocated to {reference}",
    )


@bp.route("/advocacy/<int:request_id>/contact", methods=["GET", "POST"])
@roles_required(*QUEUE_ROLES)
def advocacy_record_contact(request_id: int):  # type: ignore[no-untyped-def]
    form = ContactForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.RECORD_CONTACT,
        lambda s: service.record_contact(
            s, contacted_on=form.contacted_on.data, actor_id=current_user.id, today=clock.today_london()
        ),
        heading="Record contact with the young person",
        field="contacted_on",
        success="Contact recorded for {reference}",
    )


@bp.route("/advocacy/<int:request_id>/start", methods=["GET", "POST"])
@roles_required(*QUEUE_ROLES)
def advocacy_start_work(request_id: int):  # type: ignore[no-untyped-def]
    form = StartForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.START_WORK,
        lambda s: service.start_work(
            s, activated_on=form.activated_on.data, actor_id=current_user.id, today=clock.today_london()
        ),
        heading="Record that advocacy work has started",
        field="activated_on",
        success="{reference} is now active",
    )


@bp.route("/advocacy/<int:request_id>/close", methods=["GET", "POST"])
@roles_required(*QUEUE_ROLES)
def advocacy_close(request_id: int):  # type: ignore[no-untyped-def]
    form = CloseForm()
    return _action_page(
        request_id,
        form,
        AdvocacyAction.CLOSE,
        lambda s: service.close(
            s,
            closed_on=form.closed_on.data,
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
@roles_required(*QUEUE_ROLES)
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
@roles_required(*LINK_ROLES)
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
@roles_required(*LINK_ROLES)
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
