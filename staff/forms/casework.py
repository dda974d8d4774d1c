"""Casework forms: triage (safety decision, classification, conversion, people), contacts taken by hand, internal
notes, who deals with a case, contact plans and the outbox retry."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.domain.enums import CHANNEL_LABELS, CLASSIFICATION_LABELS, Channel, Classification
from portal.form_choices import options
from staff.forms.base import StrippedForm
from staff.forms.fields import GovDateField, MultiCheckboxField, optional_int, submit_button


class SafetyDecisionForm(StrippedForm):
    decision = TextAreaField(
        "What did you decide, and what did you do?",
        widget=GovTextArea(),
        description="For example: spoke to the duty social worker at 10:15; no immediate risk; child's social "
        "worker to visit today.",
        validators=[DataRequired("Enter what you decided and what you did"), Length(max=5000)],
    )
    save_decision = SubmitField("Record safety decision", widget=GovSubmitInput())


class TriageForm(StrippedForm):
    classification = RadioField(
        "How should this be handled?",
        widget=GovRadioInput(),
        choices=options((c.value, CLASSIFICATION_LABELS[c]) for c in Classification),
        validators=[DataRequired("Select how this should be handled")],
    )
    channel = SelectField(
        "How did it come in?",
        widget=GovSelect(),
        choices=options((c.value, CHANNEL_LABELS[c]) for c in Channel),
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


class ConvertForm(StrippedForm):
    to_kind = RadioField(
        "What is it really?",
        widget=GovRadioInput(),
        choices=options([("compliment", "A compliment"), ("advocacy", "A request for an advocate")]),
        validators=[DataRequired("Select what it really is")],
    )
    submit = SubmitField("Record it as this", widget=GovSubmitInput())


class LinkPersonForm(StrippedForm):
    person_id = HiddenField(validators=[DataRequired("Select a person")])
    submit = SubmitField("Link to this person", widget=GovSubmitInput())


class ManualContactForm(StrippedForm):
    channel = SelectField(
        "How did it come in?",
        widget=GovSelect(),
        choices=options((c.value, CHANNEL_LABELS[c]) for c in Channel if c != Channel.ONLINE_FORM),
        validators=[DataRequired("Select how it came in")],
    )
    received_on = GovDateField(
        "Date received",
        description="For example, 27 3 2026",
        required_message="Enter the date received, for example 27 3 2026",
    )
    audience = RadioField(
        "Who made the contact?",
        widget=GovRadioInput(),
        choices=options(
            [("young_person", "A child or young person"), ("adult", "An adult (parent, carer, professional)")]
        ),
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


class NoteForm(StrippedForm):
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


class AssignmentForm(StrippedForm):
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


class ContactPlanForm(StrippedForm):
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
    )
    submit = SubmitField("Save contact plan", widget=GovSubmitInput())


class RetryForm(StrippedForm):
    submit = submit_button("Retry")
