"""Signing in and the staff member's own account: password, two-factor, recovery codes, signing out."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from staff.forms.base import StrippedForm


class SignInForm(StrippedForm):
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


class SecurityCodeForm(StrippedForm):
    code = StringField(
        "Security code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes.",
        validators=[DataRequired("Enter your security code"), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolmentForm(StrippedForm):
    code = StringField(
        "Enter the 6-digit code your app shows",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the 6-digit code from your authenticator app"), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ForgottenPasswordForm(StrippedForm):
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


class ResetPasswordForm(StrippedForm):
    new_password, confirm_password = _new_password_fields()
    submit = SubmitField("Reset password", widget=GovSubmitInput())


class ChangePasswordForm(StrippedForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, confirm_password = _new_password_fields()
    submit = SubmitField("Change password", widget=GovSubmitInput())
