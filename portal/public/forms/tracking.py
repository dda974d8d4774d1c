"""The tracking forms: find a submission by its reference, then add information, withdraw it, or ask for the
next stage."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import Field, RadioField, StringField, SubmitField
from wtforms.validators import ValidationError

from portal.domain.references import normalise_reference
from portal.form_choices import options
from portal.public.forms.fields import free_text_limit, strip


class TrackForm(FlaskForm):
    reference = StringField("Reference", description="For example, 7KQ-M9T-X4R", widget=GovTextInput(), filters=[strip])
    check = StringField(
        "Email address, phone number or tracking code",
        description="Use the email address or phone number you gave us. If you gave neither, use the tracking code "
        "we showed you.",
        widget=GovTextInput(),
        filters=[strip],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_reference(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Enter your reference")
        if normalise_reference(field.data) is None:
            raise ValidationError("Enter your reference as it was given, like 7KQ-M9T-X4R")

    def validate_check(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Enter your email address, phone number or tracking code")


class AddInformationForm(FlaskForm):
    information = StringField("What would you like to add?", widget=GovCharacterCount())
    submit = SubmitField("Send", widget=GovSubmitInput())

    def validate_information(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Enter what you would like to add")
        if len(field.data) > free_text_limit():
            raise ValidationError(f"What you add must be {free_text_limit():,} characters or fewer")


class WithdrawForm(FlaskForm):
    reason = StringField("Why do you want to withdraw? (optional)", widget=GovCharacterCount())
    confirm = RadioField(
        "Are you sure you want to withdraw?",
        choices=options([("yes", "Yes, withdraw it"), ("no", "No, keep it open")]),
        widget=GovRadioInput(),
        validate_choice=False,
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_confirm(self, field: Field) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError("Select yes if you want to withdraw")

    def validate_reason(self, field: Field) -> None:
        if field.data and len(field.data) > free_text_limit():
            raise ValidationError(f"Reason must be {free_text_limit():,} characters or fewer")


class NextStageForm(FlaskForm):
    reason = StringField("Why are you not happy with the response?", widget=GovCharacterCount())
    submit = SubmitField("Ask for the next stage", widget=GovSubmitInput())

    def validate_reason(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Enter why you are not happy with the response")
        if len(field.data) > free_text_limit():
            raise ValidationError(f"Your reason must be {free_text_limit():,} characters or fewer")
