"""Settings forms: staff accounts, service areas, teams, the council's lists, procedures and timescales, closure
days, and importing historic records."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from portal.domain.enums import ROLE_LABELS
from portal.domain.lifecycle import CLOCK_FROM_CHOICES
from portal.form_choices import options
from staff.forms.base import StrippedForm
from staff.forms.fields import (
    EXAMPLE_DATE,
    GovDateField,
    MultiCheckboxField,
    optional_int,
    submit_button,
    text_field,
)


class UserForm(StrippedForm):
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
        choices=options((r.value, label) for r, label in ROLE_LABELS.items()),
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


class ServiceAreaForm(StrippedForm):
    name = StringField(
        "Service area name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the service area name"), Length(max=120)],
    )
    submit = SubmitField("Add service area", widget=GovSubmitInput())


class TeamForm(StrippedForm):
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


class CategoryForm(StrippedForm):
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


CLOCK_LABELS = {
    "request": "From the date of the request",
    "statement_agreed": "From the date the complaint statement is agreed",
    "acknowledged": "From the date of acknowledgement",
}


class WorkingDaysField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Working days must be a whole number, like 10") from None


class ProfileForm(StrippedForm):
    enabled = BooleanField("This council uses this procedure", widget=GovCheckboxInput())
    honours_closure_days = BooleanField(
        "Council closure days stop the clock",
        widget=GovCheckboxInput(),
        description="The England statutory procedure counts only weekends and bank holidays as non-working days.",
    )
    submit = submit_button("Save")


class TimescaleForm(StrippedForm):
    working_days = WorkingDaysField(
        "Working days",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=260, message="Enter a number of working days between 1 and 260"),
        ],
    )
    text_value = RadioField(
        "When does the clock start?",
        widget=GovRadioInput(),
        choices=options((c, CLOCK_LABELS[c]) for c in CLOCK_FROM_CHOICES),
        validators=[Optional()],
    )
    submit = submit_button("Save and recompute due dates")


class ClosureForm(StrippedForm):
    day = GovDateField("Date the council is closed", required_message="Enter the date", description=EXAMPLE_DATE)
    description = text_field(
        "What is it?", required="Enter what the closure is", description="For example, Christmas closure"
    )
    submit = submit_button("Add closure day")


class RemoveClosureForm(StrippedForm):
    submit = submit_button("Remove")


class ImportForm(StrippedForm):
    file = FileField(
        "Upload a CSV file",
        widget=GovFileInput(),
        validators=[FileRequired("Select a CSV file"), FileAllowed(["csv"], "The selected file must be a CSV")],
    )
    submit = SubmitField("Check and import", widget=GovSubmitInput())
