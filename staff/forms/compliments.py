"""Compliment forms: recording a compliment and correcting it."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.domain.enums import CHANNEL_LABELS, Channel
from portal.form_choices import options
from portal.services import compliments as service
from staff.forms.base import StrippedForm
from staff.forms.fields import GovDateField, optional_int, required_date

CONSENT_CHOICES = [("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked or not known")]
ORIGIN_CHOICES = [("external", "External (from outside the council)"), ("internal", "Internal (from a colleague)")]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def from_bool(value: bool | None) -> str:
    return "not_asked" if value is None else ("yes" if value else "no")


class ComplimentForm(StrippedForm):
    received_on = GovDateField(
        "When was the compliment received?",
        subject="Date the compliment was received",
        required_message="Enter the date the compliment was received",
        description="For example, 27 3 2026",
    )
    channel = SelectField(
        "How did it arrive?",
        widget=GovSelect(),
        choices=options([("", "Select how it arrived")] + [(c.value, CHANNEL_LABELS[c]) for c in Channel]),
        validators=[DataRequired("Select how the compliment arrived")],
    )
    source = SelectField(
        "Who is it from?",
        widget=GovSelect(),
        coerce=optional_int,
        validators=[InputRequired("Select who the compliment is from")],
    )
    origin = RadioField(
        "Is it from inside or outside the council?",
        widget=GovRadioInput(),
        choices=options(ORIGIN_CHOICES),
        validators=[InputRequired("Select whether the compliment is internal or external")],
    )
    from_name = StringField(
        "Name of the person who sent it (optional)",
        widget=GovTextInput(),
        description="Kept on the record only. Never shown on the compliments wall or sent to staff.",
        validators=[Length(max=200, message="Name must be 200 characters or fewer")],
    )
    team = SelectField("Which team is it about?", widget=GovSelect(), coerce=optional_int)
    service_area = SelectField(
        "Which service area is it about?",
        widget=GovSelect(),
        coerce=optional_int,
        description="Only needed when no team is selected: the team's service area is used otherwise.",
    )
    staff_named = StringField(
        "Which members of staff does it name? (optional)",
        widget=GovTextInput(),
        description="As written, for example 'Priya (social worker) and her manager'.",
        validators=[Length(max=300, message="Staff named must be 300 characters or fewer")],
    )
    staff_user = SelectField(
        "Named member of staff with an account (optional)",
        widget=GovSelect(),
        coerce=optional_int,
        description="They are emailed the compliment when the person agreed to it being passed on.",
    )
    words = TextAreaField(
        "What did they say?",
        widget=GovTextArea(),
        description="Copy the words exactly. For a card or letter, type what it says.",
        validators=[DataRequired("Enter the words of the compliment"), Length(max=10000)],
    )
    consent_pass_on = RadioField(
        "Did they agree to it being passed on to the staff named and their manager?",
        widget=GovRadioInput(),
        choices=options(CONSENT_CHOICES),
        validators=[InputRequired("Select whether they agreed to it being passed on")],
    )
    consent_anonymous_use = RadioField(
        "Did they agree to it being used without their name, for example on the compliments wall or in reports?",
        widget=GovRadioInput(),
        choices=options(CONSENT_CHOICES),
        validators=[InputRequired("Select whether they agreed to anonymous use")],
    )
    record_anyway = BooleanField(
        "This is a different compliment with the same words: record it anyway",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save compliment", widget=GovSubmitInput())

    def fill_choices(self, include_source_id: int | None = None) -> None:
        self.source.choices = options(
            [("", "Select who it is from"), *((c.id, c.label) for c in service.source_choices(include_source_id))]
        )
        self.team.choices = options([("", "No particular team"), *((t.id, t.name) for t in service.team_choices())])
        self.service_area.choices = options(
            [("", "Not known or not needed"), *((a.id, a.name) for a in service.service_area_choices())]
        )
        self.staff_user.choices = options(
            [("", "Nobody selected"), *((u.id, f"{u.full_name} ({u.email})") for u in service.staff_choices())]
        )

    def validate_source(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select who the compliment is from")

    def details(self) -> service.ComplimentDetails:
        return service.ComplimentDetails(
            received_on=required_date(self.received_on),
            words=self.words.data or "",
            channel=Channel(self.channel.data) if self.channel.data else None,
            source_id=self.source.data,
            internal=self.origin.data == "internal",
            service_area_id=self.service_area.data,
            team_id=self.team.data,
            staff_named=self.staff_named.data or None,
            staff_user_id=self.staff_user.data,
            consent_pass_on=yes_no(self.consent_pass_on.data),
            consent_anonymous_use=yes_no(self.consent_anonymous_use.data),
            from_name=self.from_name.data or None,
        )
