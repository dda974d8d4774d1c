"""Base forms for every staff form: text is stripped of surrounding spaces (never passwords), POST forms carry a CSRF
token, and GET filter forms carry none (choosing what to see changes nothing)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import PasswordField, SubmitField


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class StrippedForm(FlaskForm):
    """A CSRF-protected form whose text fields are stripped of surrounding whitespace (passwords are kept exactly as
    typed), in the manner of Notify's StripWhitespaceForm."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            if unbound_field.field_class is not PasswordField:
                filters = unbound_field.kwargs.get("filters", [])
                if strip not in filters:
                    unbound_field.kwargs["filters"] = [strip, *filters]
            return unbound_field.bind(form=form, **options)


class FilterForm(StrippedForm):
    """A GET form that filters a list or report: no CSRF token, since it changes nothing."""

    class Meta(StrippedForm.Meta):
        csrf = False


class ConfirmForm(StrippedForm):
    """A button-only POST form (sign out, new recovery codes, deactivate an account): the CSRF token is its point."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


def domain_error(form: FlaskForm, field_name: str, error: Exception) -> None:
    """Show a service's refusal (a DomainError) against the field it concerns."""
    field = getattr(form, field_name)
    field.errors = [*list(field.errors or []), str(error)]
