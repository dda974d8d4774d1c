"""Staff forms: sign-in, two-factor, passwords and account. Every form is a FlaskForm (CSRF on)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class StaffForm(FlaskForm):
    """Strips whitespace from every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):  # type: ignore[no-untyped-def]
            if unbound_field.field_class is not PasswordField:
                filters = unbound_field.kwargs.get("filters", [])
                if strip not in filters:
                    unbound_field.kwargs["filters"] = [strip, *filters]
            return unbound_field.bind(form=form, **options)


class SignInForm(StaffForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SecurityCodeForm(StaffForm):
    code = StringField(
        "Security code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes.",
        validators=[DataRequired("Enter your security code"), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolmentForm(StaffForm):
    code = StringField(
        "Enter the 6-digit code your app shows",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the 6-digit code from your authenticator app"), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ForgottenPasswordForm(StaffForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="We will email you a link to reset your password if this address has an account.",
        validators=[DataRequired("Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            "New password",
            widget=GovPasswordInput(),
            description="At least 12 characters. A few unrelated words together are easy to remember and hard "
            "to guess. Common passwords are not allowed.",
            validators=[InputRequired("Enter a new password"), Length(max=1024)],
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            "Confirm new password",
            widget=GovPasswordInput(),
            validators=[
                InputRequired("Confirm your new password"),
                EqualTo("new_password", "Enter the same password in both boxes"),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class ResetPasswordForm(StaffForm):
    new_password, confirm_password = _new_password_fields()
    submit = SubmitField("Reset password", widget=GovSubmitInput())


class ChangePasswordForm(StaffForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, confirm_password = _new_password_fields()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ConfirmForm(StaffForm):
    """A button-only form (sign out, sign out everywhere, new recovery codes): CSRF-protected POST."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


# Triage, cases, people and settings ------------------------------------------------------------------------------

from govuk_frontend_wtf.wtforms_widgets import (  # noqa: E402
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
)
from wtforms import (  # noqa: E402
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Email, NumberRange, Optional, ValidationError  # noqa: E402

from portal.domain.enums import (  # noqa: E402
    CHANNEL_LABELS,
    CLASSIFICATION_LABELS,
    ROLE_LABELS,
    Channel,
    Classification,
)


class GovDateField(DateField):
    """A day/month/year date: the GOV.UK widget needs three raw values even when none were sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", GovDateInput())
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not any(v.strip() for v in valuelist):
            self.raw_data = ["", "", ""]
            self.data = None
            return
        self.raw_data = list(valuelist) + [""] * (3 - len(valuelist))
        super().process_formdata([" ".join(v.strip() for v in valuelist)])

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if not self.raw_data or len(self.raw_data) != 3:
            if self.data:
                self.raw_data = [str(self.data.day), str(self.data.month), str(self.data.year)]
            else:
                self.raw_data = ["", "", ""]


def optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


class MultiCheckboxField(SelectMultipleField):
    widget = GovCheckboxesInput()

    def pre_validate(self, form: Any) -> None:
        if self.data:
            values = {str(v) for v, *_ in self.choices}
            for item in self.data:
                if str(item) not in values:
                    raise ValidationError("Select options from the list")


class SafetyDecisionForm(StaffForm):
    decision = TextAreaField(
        "What did you decide, and what did you do?",
        widget=GovTextArea(),
        description="For example: spoke to the duty social worker at 10:15; no immediate risk; child's social "
        "worker to visit today.",
        validators=[DataRequired("Enter what you decided and what you did"), Length(max=5000)],
    )
    save_decision = SubmitField("Record safety decision", widget=GovSubmitInput())


class TriageForm(StaffForm):
    classification = RadioField(
        "How should this be handled?",
        widget=GovRadioInput(),
        choices=[(c.value, CLASSIFICATION_LABELS[c]) for c in Classification],
        validators=[DataRequired("Select how this should be handled")],
    )
    channel = SelectField(
        "How did it come in?",
        widget=GovSelect(),
        choices=[(c.value, CHANNEL_LABELS[c]) for c in Channel],
        validators=[DataRequired("Select how it came in")],
    )
    service_area_id = SelectField("Service area", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    team_id = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    responding_manager_id = SelectField(
        "Responding manager", widget=GovSelect(), coerce=optional_int, validate_choice=True
    )
    assigned_officer_id = SelectField(
        "Complaints officer", widget=GovSelect(), coerce=optional_int, validate_choice=True
    )
    theme_ids = MultiCheckboxField("Themes", coerce=int, validate_choice=False)
    outcome_ids = MultiCheckboxField("Outcomes sought", coerce=int, validate_choice=False)
    formal_option_explained = BooleanField(
        "The person has been told they can make a formal complaint", widget=GovCheckboxInput()
    )
    information_request = TextAreaField(
        "Pre-complaint: what information do you need?",
        widget=GovTextArea(),
        description="Sent to the person if they gave an email address.",
        validators=[Optional(), Length(max=5000)],
    )
    refusal_reason_id = SelectField("Refused: reason", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    refusal_letter = TextAreaField(
        "Refused: letter to the person",
        widget=GovTextArea(),
        description="Leave as it is to send the standard letter with the Ombudsman signpost, or edit it.",
        validators=[Optional(), Length(max=10000)],
    )
    withdrawn_reason = TextAreaField(
        "Withdrawn: why was it withdrawn?", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField("Save triage decision", widget=GovSubmitInput())

    def validate_refusal_reason_id(self, field: Any) -> None:
        if self.classification.data == Classification.REFUSED.value and not field.data:
            raise ValidationError("Select the reason for refusing")

    def validate_information_request(self, field: Any) -> None:
        if self.classification.data == Classification.PRE_COMPLAINT.value and not field.data:
            raise ValidationError("Enter what information you need from the person")

    def validate_withdrawn_reason(self, field: Any) -> None:
        if self.classification.data == Classification.WITHDRAWN.value and not field.data:
            raise ValidationError("Enter why the complaint was withdrawn")


class ConvertForm(StaffForm):
    to_kind = RadioField(
        "What is it really?",
        widget=GovRadioInput(),
        choices=[("compliment", "A compliment"), ("advocacy", "A request for an advocate")],
        validators=[DataRequired("Select what it really is")],
    )
    submit = SubmitField("Record it as this", widget=GovSubmitInput())


class LinkPersonForm(StaffForm):
    person_id = HiddenField(validators=[DataRequired("Select a person")])
    submit = SubmitField("Link to this person", widget=GovSubmitInput())


class ManualContactForm(StaffForm):
    channel = SelectField(
        "How did it come in?",
        widget=GovSelect(),
        choices=[(c.value, CHANNEL_LABELS[c]) for c in Channel if c != Channel.ONLINE_FORM],
        validators=[DataRequired("Select how it came in")],
    )
    received_on = GovDateField(
        "Date received",
        description="For example, 27 3 2026",
        validators=[DataRequired("Enter the date received, for example 27 3 2026")],
    )
    audience = RadioField(
        "Who made the contact?",
        widget=GovRadioInput(),
        choices=[("young_person", "A child or young person"), ("adult", "An adult (parent, carer, professional)")],
        validators=[DataRequired("Select who made the contact")],
    )
    full_name = StringField("Their name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[Optional(), Email("Enter an email address in the correct format"), Length(max=254)],
    )
    phone = StringField("Phone number", widget=GovTextInput(), validators=[Optional(), Length(max=40)])
    child_name = StringField("Child's name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    what_happened = TextAreaField(
        "What happened?",
        widget=GovTextArea(),
        validators=[DataRequired("Enter what the person told you"), Length(max=10000)],
    )
    outcome_wanted = TextAreaField(
        "What would they like to happen?", widget=GovTextArea(), validators=[Optional(), Length(max=5000)]
    )
    safeguarding_concern = BooleanField("Flag a safety concern for a same-day decision", widget=GovCheckboxInput())
    submit = SubmitField("Record contact", widget=GovSubmitInput())


class NoteForm(StaffForm):
    body = TextAreaField(
        "Add an internal note",
        widget=GovTextArea(),
        description="Staff only. Never shown to the person who contacted us.",
        validators=[
            DataRequired("Enter the note"),
            Length(max=10000, message="Note must be 10,000 characters or fewer"),
        ],
    )
    add_note = SubmitField("Add note", widget=GovSubmitInput())


class CaseFilterForm(FlaskForm):
    """GET form: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Reference or name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()])
    stage = SelectField("Stage", widget=GovSelect(), validators=[Optional()])
    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validators=[Optional()])
    officer = SelectField("Complaints officer", widget=GovSelect(), coerce=optional_int, validators=[Optional()])
    due = SelectField(
        "Due",
        widget=GovSelect(),
        choices=[
            ("", "Any time"),
            ("overdue", "Overdue"),
            ("week", "Due this week"),
            ("both", "Overdue or due this week"),
        ],
        validators=[Optional()],
    )
    received_from = GovDateField("Received from", validators=[Optional()], description="For example, 1 4 2026")
    received_to = GovDateField("Received to", validators=[Optional()], description="For example, 31 3 2027")
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class ContactPlanForm(StaffForm):
    measures = TextAreaField(
        "What are the arrangements?",
        widget=GovTextArea(),
        description="For example: one named officer; replies by email within 10 working days; no phone calls.",
        validators=[DataRequired("Enter the measures in the contact plan"), Length(max=5000)],
    )
    reason = TextAreaField(
        "Why is a contact plan needed?",
        widget=GovTextArea(),
        validators=[DataRequired("Enter why a contact plan is needed"), Length(max=5000)],
    )
    named_officer_id = SelectField("Named officer", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    review_on = GovDateField(
        "Review date",
        description="Leave empty to review in 6 months.",
        validators=[Optional()],
    )
    submit = SubmitField("Save contact plan", widget=GovSubmitInput())


class UserForm(StaffForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter an email address"),
            Email("Enter an email address in the correct format, like name@example.gov.uk"),
            Length(max=254),
        ],
    )
    full_name = StringField(
        "Full name", widget=GovTextInput(), validators=[DataRequired("Enter the person's full name"), Length(max=200)]
    )
    job_title = StringField("Job title", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[DataRequired("Select a role")],
    )
    team_ids = MultiCheckboxField("Teams", coerce=int, validate_choice=False)
    password = PasswordField(
        "Temporary password",
        widget=GovPasswordInput(),
        description="At least 12 characters and not a common password. Give it to the person securely; they can "
        "change it after signing in.",
        validators=[Optional(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ServiceAreaForm(StaffForm):
    name = StringField(
        "Service area name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the service area name"), Length(max=120)],
    )
    submit = SubmitField("Add service area", widget=GovSubmitInput())


class TeamForm(StaffForm):
    name = StringField(
        "Team name", widget=GovTextInput(), validators=[DataRequired("Enter the team name"), Length(max=120)]
    )
    service_area_id = SelectField("Service area", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    manager_email = StringField(
        "Team manager's email address",
        widget=GovTextInput(),
        description="Case concerns passed to the team are sent here.",
        validators=[Optional(), Email("Enter an email address in the correct format"), Length(max=254)],
    )
    active = BooleanField("Team is in use", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save team", widget=GovSubmitInput())


class CategoryForm(StaffForm):
    label = StringField("Name", widget=GovTextInput(), validators=[DataRequired("Enter the name"), Length(max=160)])
    help_text = TextAreaField("Help text", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    sort_order = IntegerField(
        "Position in the list",
        widget=GovTextInput(),
        description="Lower numbers come first.",
        validators=[Optional(), NumberRange(min=0, max=10000, message="Position must be between 0 and 10000")],
    )
    active = BooleanField("In use (untick to retire it: old records keep it)", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save", widget=GovSubmitInput())


class AssignmentForm(StaffForm):
    service_area_id = SelectField("Service area", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    team_id = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=True)
    responding_manager_id = SelectField(
        "Responding manager", widget=GovSelect(), coerce=optional_int, validate_choice=True
    )
    assigned_officer_id = SelectField(
        "Complaints officer", widget=GovSelect(), coerce=optional_int, validate_choice=True
    )
    theme_ids = MultiCheckboxField("Themes", coerce=int, validate_choice=False)
    outcome_ids = MultiCheckboxField("Outcomes sought", coerce=int, validate_choice=False)
    submit = SubmitField("Save", widget=GovSubmitInput())
