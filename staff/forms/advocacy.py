"""Advocacy forms: recording a request, changing its details, and the steps of the work (allocate, contact, start,
close, reopen, link a complaint)."""

from __future__ import annotations

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

from portal.domain.advocacy import ADVOCACY_OUTCOME_LABELS
from portal.domain.enums import CARE_STATUS_LABELS, CHANNEL_LABELS, CareStatus, Channel
from portal.form_choices import options
from portal.services import advocacy as service
from staff.forms.base import StrippedForm
from staff.forms.fields import GovDateField, optional_int, required_date

CONTACT_METHODS = [("phone", "Phone call"), ("text", "Text message"), ("email", "Email"), ("letter", "Letter")]


class AllocateForm(StrippedForm):
    advocate = SelectField(
        "Who is the advocate?",
        widget=GovSelect(),
        coerce=optional_int,
        validators=[InputRequired("Select the advocate")],
    )
    allocated_on = GovDateField(
        "When were they allocated?",
        subject="Date of allocation",
        required_message="Enter the date the advocate was allocated",
    )
    submit = SubmitField("Allocate", widget=GovSubmitInput())

    def validate_advocate(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the advocate")


class ContactForm(StrippedForm):
    contacted_on = GovDateField(
        "When did the advocate first speak to the young person?",
        subject="Date of contact",
        required_message="Enter the date of contact",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class StartForm(StrippedForm):
    activated_on = GovDateField(
        "When did the advocacy work start?",
        subject="Date the work started",
        required_message="Enter the date the work started",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class CloseForm(StrippedForm):
    outcome = RadioField(
        "What was the outcome?",
        widget=GovRadioInput(),
        choices=options((o.value, label) for o, label in ADVOCACY_OUTCOME_LABELS.items()),
        validators=[InputRequired("Select the outcome")],
    )
    notes = TextAreaField(
        "Notes about the outcome",
        widget=GovTextArea(),
        description="Required when you select 'Other'. Do not include anything the young person asked to keep private.",
        validators=[Length(max=5000, message="Notes must be 5,000 characters or fewer")],
    )
    closed_on = GovDateField(
        "When did the advocacy end?",
        subject="Date the advocacy ended",
        required_message="Enter the date the advocacy ended",
    )
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
        "When was the request received?",
        subject="Date the request was received",
        required_message="Enter the date the request was received",
    )
    channel = SelectField(
        "How did it arrive?",
        widget=GovSelect(),
        choices=options([("", "Select how it arrived")] + [(c.value, CHANNEL_LABELS[c]) for c in Channel]),
        validators=[DataRequired("Select how the request arrived")],
    )
    referral = RadioField(
        "Who is asking for an advocate?",
        widget=GovRadioInput(),
        choices=options(
            [
                ("self", "The young person, for themselves"),
                ("adult", "An adult or professional, on the young person's behalf"),
            ]
        ),
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
        choices=options([("yes", "Yes"), ("no", "No or not asked yet")]),
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
        choices=options((s.value, CARE_STATUS_LABELS[s]) for s in CareStatus),
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
    needed_by = GovDateField(
        "When do they need help by? (optional)",
        subject="Date help is needed by",
        description="For example, a meeting date",
    )
    phone = StringField("Phone number (optional)", widget=GovTextInput(), validators=[Length(max=40)])
    email = StringField("Email address (optional)", widget=GovTextInput(), validators=[Length(max=254)])
    contact_methods = SelectMultipleField(
        "How can the advocate contact the young person safely?",
        widget=GovCheckboxesInput(),
        choices=options(CONTACT_METHODS),
        validators=[Optional()],
    )
    ok_to_leave_message = RadioField(
        "Is it OK to leave a message?",
        widget=GovRadioInput(),
        choices=options([("yes", "Yes"), ("no", "No")]),
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
            received_on=required_date(self.received_on),
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
        choices=options((s.value, CARE_STATUS_LABELS[s]) for s in CareStatus),
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
    needed_by = GovDateField(
        "When do they need help by? (optional)", subject="Date help is needed by", description="For example, 3 12 2026"
    )
    contact_methods = SelectMultipleField(
        "How can the advocate contact the young person safely?",
        widget=GovCheckboxesInput(),
        choices=options(CONTACT_METHODS),
        validators=[Optional()],
    )
    ok_to_leave_message = RadioField(
        "Is it OK to leave a message?",
        widget=GovRadioInput(),
        choices=options([("yes", "Yes"), ("no", "No")]),
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
