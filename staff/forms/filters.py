"""Filter forms: GET forms that choose what a list or report shows. They change nothing, so carry no CSRF token, and
they are lenient: an unknown value in the address is ignored rather than shown as an error."""

from __future__ import annotations

from datetime import date
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from portal.domain import reporting
from portal.domain.advocacy import ADVOCACY_STATUS_LABELS
from portal.form_choices import options
from portal.services import compliments
from staff.forms.base import FilterForm
from staff.forms.fields import GovDateField, optional_int
from staff.forms.lifecycle import CATEGORY_LABELS as LEARNING_CATEGORY_LABELS

ADVOCACY_STATUS_FILTERS = [
    ("open", "Open (not closed)"),
    *((s.value, label) for s, label in ADVOCACY_STATUS_LABELS.items()),
    ("all", "All"),
]
LEARNING_SHOW = [("open", "Open"), ("overdue", "Overdue"), ("completed", "Completed"), ("all", "All")]

PERIOD_KINDS = [
    ("financial_year", "Financial year"),
    ("quarter", "Quarter"),
    ("half_year", "Half-year"),
    ("month", "Month"),
    ("custom", "Another date range"),
]
MONTHS = [(str(m), date(2000, m, 1).strftime("%B")) for m in range(1, 13)]


class CaseFilterForm(FilterForm):
    """The case list's filters."""

    q = StringField("Reference or name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()])
    stage = SelectField("Stage", widget=GovSelect(), validators=[Optional()])
    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validators=[Optional()])
    officer = SelectField("Complaints officer", widget=GovSelect(), coerce=optional_int, validators=[Optional()])
    due = SelectField(
        "Due",
        widget=GovSelect(),
        choices=options(
            [
                ("", "Any time"),
                ("overdue", "Overdue"),
                ("week", "Due this week"),
                ("both", "Overdue or due this week"),
            ]
        ),
        validators=[Optional()],
    )
    received_from = GovDateField("Received from", description="For example, 1 4 2026")
    received_to = GovDateField("Received to", description="For example, 31 3 2027")
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class QueueFilterForm(FilterForm):
    """The advocacy queue's filters."""

    status = SelectField(
        "Status", widget=GovSelect(), choices=options(ADVOCACY_STATUS_FILTERS), default="open", validate_choice=False
    )
    advocate = SelectField(
        "Advocate",
        widget=GovSelect(),
        choices=options([("any", "Anyone or nobody"), ("me", "Allocated to me"), ("unallocated", "Not allocated yet")]),
        default="any",
        validate_choice=False,
    )
    q = StringField("Reference or young person's name", widget=GovTextInput(), validators=[Length(max=200)])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class RegisterFilterForm(FilterForm):
    """The compliments register's filters."""

    received_from = GovDateField("Received from")
    received_to = GovDateField("Received to")
    # Filters are lenient: an unknown value in the address is ignored rather than shown as an error.
    source = SelectField("Who it is from", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    origin = SelectField(
        "Internal or external",
        widget=GovSelect(),
        choices=options([("", "Internal and external"), ("external", "External"), ("internal", "Internal")]),
        default="",
        validate_choice=False,
    )
    service_area = SelectField("Service area", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    q = StringField("Words, staff named or reference", widget=GovTextInput(), validators=[Length(max=200)])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def fill_choices(self) -> None:
        self.source.choices = options([("", "Any source"), *((c.id, c.label) for c in compliments.source_choices())])
        self.service_area.choices = options(
            [("", "Any service area"), *((a.id, a.name) for a in compliments.service_area_choices())]
        )
        self.team.choices = options([("", "Any team"), *((t.id, t.name) for t in compliments.team_choices())])

    def validate_received_to(self, field: GovDateField) -> None:
        if field.data and self.received_from.data and field.data < self.received_from.data:
            raise ValidationError("Received to must be the same as or after received from")


class WallFilterForm(FilterForm):
    """Which team's compliments the wall shows."""

    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    submit = SubmitField("Show", widget=GovSubmitInput())


class PeriodForm(FilterForm):
    """The reports' date-range picker."""

    period = RadioField("Period", widget=GovRadioInput(), choices=options(PERIOD_KINDS), default="financial_year")
    year = SelectField("Year", widget=GovSelect(), coerce=int)
    quarter = SelectField(
        "Quarter",
        widget=GovSelect(),
        choices=options(
            [
                ("1", "Q1: April to June"),
                ("2", "Q2: July to September"),
                ("3", "Q3: October to December"),
                ("4", "Q4: January to March"),
            ]
        ),
        default="1",
    )
    half = SelectField(
        "Half-year",
        widget=GovSelect(),
        choices=options([("1", "April to September"), ("2", "October to March")]),
        default="1",
    )
    month = SelectField(
        "Month (in the financial year chosen)", widget=GovSelect(), choices=options(MONTHS), default="4"
    )
    start = GovDateField("Start date")
    end = GovDateField("End date")
    submit = SubmitField("Show report", widget=GovSubmitInput())

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = reporting.financial_year_start(today)
        self.year.choices = options((y, f"{y}/{str(y + 1)[-2:]}") for y in range(current, current - 10, -1))
        if self.year.data is None:
            self.year.data = current
        self.chosen: reporting.Period | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.period.data != "custom" or self.start.errors or self.end.errors:
            return ok
        start, end = self.start.data, self.end.data
        if start is None:
            self.start.errors = ["Enter the start date"]
        if end is None:
            self.end.errors = ["Enter the end date"]
        elif start is not None and end < start:
            self.end.errors = ["The end date must be the same as or after the start date"]
        elif start is not None and (end - start).days > 366 * 5:
            self.end.errors = ["The period must be 5 years or shorter"]
        return ok and not self.start.errors and not self.end.errors

    def resolve(self) -> reporting.Period:
        kind, year = self.period.data, int(self.year.data)
        if kind == "quarter":
            return reporting.quarter(year, int(self.quarter.data))
        if kind == "half_year":
            return reporting.half_year(year, int(self.half.data))
        if kind == "month":
            m = int(self.month.data)
            return reporting.month(year if m >= 4 else year + 1, m)
        if kind == "custom":
            start, end = self.start.data, self.end.data
            if start is None or end is None:  # validate() has said so already
                raise reporting.PeriodError("Enter the start date and the end date")
            return reporting.custom(start, end)
        return reporting.financial_year(year)


class LearningFilterForm(FilterForm):
    """The learning register's filters."""

    show = SelectField(
        "Show", widget=GovSelect(), choices=options(LEARNING_SHOW), default="open", validate_choice=False
    )
    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    officer = StringField("Responsible officer", widget=GovTextInput())
    category = SelectField(
        "Category",
        widget=GovSelect(),
        choices=options([("", "All categories"), *LEARNING_CATEGORY_LABELS.items()]),
        default="",
        validate_choice=False,
    )

    def shown(self) -> str:
        return self.show.data if self.show.data in dict(LEARNING_SHOW) else "open"

    def chosen_category(self) -> str | None:
        return self.category.data if self.category.data in LEARNING_CATEGORY_LABELS else None

    def chosen_officer(self) -> str | None:
        return (self.officer.data or "")[:100] or None


class DeadlinesFilterForm(FilterForm):
    """The deadlines dashboard's filters."""

    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    officer = SelectField("Officer", widget=GovSelect(), coerce=optional_int, validate_choice=False)
