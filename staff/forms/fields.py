"""Fields every staff form shares: a GOV.UK date, money, hours, choice coercion and checkboxes, and small builders
for text boxes and buttons with GOV.UK error wording."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, Form, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

DATE_PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900
EXAMPLE_DATE = "For example, 27 3 2026"


def optional_int(value: Any) -> int | None:
    """Coerce a select's value: empty means none; anything that is not a whole number is treated as none too, so a
    tampered value is refused by the choice check rather than crashing."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def subject_of(label: str) -> str:
    """What a field is called in its error messages: its label without '(optional)' or a closing question mark."""
    return label.replace("(optional)", "").strip().rstrip("?").strip()


class StaffDateInput(GovDateInput):
    """GOV.UK date input that marks only the boxes in error when one part of the date is missing or wrong."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        parts = getattr(field, "error_parts", ())
        if field.errors and parts:
            for item, part in zip(params["items"], DATE_PARTS, strict=False):
                width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
                item["classes"] = f"{width} govuk-input--error" if part in parts else width
        return params


class GovDateField(DateField):
    """A day/month/year date with the GOV.UK Design System's error messages:

    - nothing entered: ``required_message`` when the date is required (for example "Enter the date of closure");
    - one or two parts empty: "<subject> must include a month" (or "a day and month"), marking only those boxes;
    - a year that is not 4 numbers: "Year must include 4 numbers";
    - anything else that is not a date (31 2 2026, 13 in the month): "<subject> must be a real date".

    ``subject`` names the date in messages ("Date of closure"); it defaults to the label.
    """

    widget = StaffDateInput()

    def __init__(
        self, label: str, *, required_message: str | None = None, subject: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, **kwargs)
        self.required_message = required_message
        self.subject = subject or subject_of(label)
        self.error_parts: tuple[str, ...] = ()
        if required_message:
            self.flags.required = True

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [*(v.strip() for v in valuelist), "", "", ""][:3]
        self.raw_data = parts
        self.data = None
        self.error_parts = ()
        if not any(parts):
            return
        missing = tuple(name for name, value in zip(DATE_PARTS, parts, strict=True) if not value)
        if missing:
            self.error_parts = missing
            raise ValueError(f"{self.subject} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts):
            raise ValueError(f"{self.subject} must be a real date")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            self.error_parts = ("year",)
            raise ValueError("Year must include 4 numbers")
        try:
            value = date(year, month, day)
        except ValueError:
            raise ValueError(f"{self.subject} must be a real date") from None
        if year < EARLIEST_YEAR:
            raise ValueError(f"{self.subject} must be a real date")
        self.data = value

    def pre_validate(self, form: Form) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            if self.required_message:
                raise StopValidation(self.required_message)
            raise StopValidation()  # an optional date left empty: nothing more to check


def required_date(field: GovDateField) -> date:
    """The date in a required date field, once its form has validated."""
    if field.data is None:
        raise ValueError(f"{field.name} has no date: validate the form before reading it")
    value: date = field.data
    return value


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a list of choices; anything posted that is not on the list is refused."""

    widget = GovCheckboxesInput()

    def pre_validate(self, form: Form) -> None:
        if self.data:
            values = {choice.value for choice in self.choices or []}
            for item in self.data:
                if str(item) not in values:
                    raise ValidationError("Select options from the list")


class MoneyField(StringField):
    """Pounds and pence as Decimal, never float. ``amount`` holds the parsed value."""

    def __init__(self, label: str, *, required_message: str | None = None, **kwargs: Any) -> None:
        validators = [InputRequired(required_message)] if required_message else [Optional()]
        super().__init__(label, widget=GovTextInput(), validators=validators, **kwargs)
        self.amount: Decimal | None = None

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        text = (self.data or "").replace("£", "").replace(",", "").strip()
        self.amount = None
        if not text:
            return
        subject = subject_of(str(self.label.text))
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{subject} must be an amount of money, like 150 or 150.50") from None
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(f"{subject} must be in pounds and pence, like 150.50")
        self.amount = amount


class HoursField(StringField):
    """A number of hours as Decimal. ``hours`` holds the parsed value."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, widget=GovTextInput(), validators=[Optional()], **kwargs)
        self.hours: Decimal | None = None

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        self.hours = None
        if not text:
            return
        try:
            self.hours = Decimal(text)
        except InvalidOperation:
            raise ValueError("Hours must be a number, like 3 or 2.5") from None


def _length_checks(label: str, required: str | None, max_length: int) -> list[Any]:
    validators: list[Any] = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=f"{subject_of(label)} must be {max_length} characters or fewer"))
    return validators


def text_field(label: str, *, required: str | None = None, max_length: int = 200, **kwargs: Any) -> StringField:
    """A one-line text box; ``required`` is the message when it is left empty."""
    return StringField(label, widget=GovTextInput(), validators=_length_checks(label, required, max_length), **kwargs)


def text_area(label: str, *, required: str | None = None, max_length: int = 5000, **kwargs: Any) -> TextAreaField:
    """A multi-line text box; ``required`` is the message when it is left empty."""
    return TextAreaField(label, widget=GovTextArea(), validators=_length_checks(label, required, max_length), **kwargs)


def submit_button(text: str) -> SubmitField:
    return SubmitField(text, widget=GovSubmitInput())
