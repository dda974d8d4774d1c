"""The fields the public forms share, and the WTForms field for each kind of question (``AnswerType``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import ValidationError

from portal.domain.questions import AnswerType, Choice, Question
from portal.form_choices import choice_labels, options


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def free_text_limit() -> int:
    return int(current_app.config.get("FREE_TEXT_LIMIT", 5000))


def select_choices(choices: Iterable[Choice]) -> list[SelectChoice]:
    return options((c.value, c.label) for c in choices)


def choice_values(field: Any) -> set[str]:
    return set(choice_labels(field.choices))


class MultiCheckboxField(SelectMultipleField):
    widget = GovCheckboxesInput()

    def pre_validate(self, form: Any) -> None:
        values = choice_values(self)
        for item in self.data or []:
            if str(item) not in values:
                raise ValidationError("Select from the list")


class OptionalDateField(DateField):
    """Day, month and year boxes. Empty is allowed (None); anything else must be a real date."""

    widget = GovDateInput()

    def __init__(self, label: str, *, name_for_errors: str, **kwargs: Any) -> None:
        super().__init__(label, format="%d %m %Y", **kwargs)
        self.name_for_errors = name_for_errors

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            return
        parts = [v.strip() for v in valuelist]
        if len(parts) != 3 or not all(parts):
            self.data = None
            raise ValueError(f"{self.name_for_errors} must include a day, month and year")
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900:
                raise ValueError
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.name_for_errors} must be a real date") from None


def field_for(question: Question) -> UnboundField:
    """The form field that asks ``question`` (words that depend on earlier answers are set on the bound form)."""
    label, kind = question.label, question.type
    hint = question.hint if isinstance(question.hint, str) else ""
    choices = select_choices(question.choices)
    if kind in (AnswerType.TEXT, AnswerType.EMAIL, AnswerType.PHONE, AnswerType.NUMBER):
        return StringField(label, description=hint, widget=GovTextInput(), filters=[strip])
    if kind == AnswerType.LONG_TEXT:
        return StringField(label, description=hint, widget=GovCharacterCount())
    if kind == AnswerType.ADDRESS:
        return StringField(label, description=hint, widget=GovTextArea())
    if kind == AnswerType.ONE:
        return RadioField(label, choices=choices, description=hint, widget=GovRadioInput(), validate_choice=False)
    if kind == AnswerType.MANY:
        return MultiCheckboxField(label, choices=choices, description=hint)
    if kind == AnswerType.SELECT:
        return SelectField(label, description=hint, widget=GovSelect(), validate_choice=True)
    return OptionalDateField(label, name_for_errors=question.error_name or label, description=hint)


# -- formats the person types, checked before the question's own rules -------------------------------------------


def email_error(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return True
    return False


def phone_error(value: str) -> bool:
    digits = "".join(ch for ch in value if ch.isdigit())
    return not set(value) <= set("0123456789 +()-") or not 10 <= len(digits) <= 15


FORMAT_ERRORS = {
    AnswerType.EMAIL: email_error,
    AnswerType.PHONE: phone_error,
    AnswerType.NUMBER: lambda value: not value.isdigit(),
}


def typed_value(question: Question, data: Any) -> Any:
    """The field's data as the question's checks see it (a whole number for NUMBER)."""
    if question.type == AnswerType.NUMBER and isinstance(data, str) and data.isdigit():
        return int(data)
    return data
