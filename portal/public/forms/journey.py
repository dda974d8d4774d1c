"""The journey forms: one form class per step, made from the step's question definitions
(``portal/domain/journeys_*.py``). A form loads itself from the draft's answers and turns what was posted into
answers. Free text is stored exactly as typed (names, emails and numbers are trimmed of surrounding spaces)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import DateField, Field, StringField, SubmitField
from wtforms.validators import ValidationError

from portal.domain.questions import (
    FREE_TEXT_TYPES,
    AnswerType,
    Choice,
    Journey,
    JourneyContext,
    Question,
    Step,
)
from portal.public.forms.fields import (
    FORMAT_ERRORS,
    choice_values,
    field_for,
    free_text_limit,
    select_choices,
    strip,
    typed_value,
)

QUESTION_FIELD_PARAMS: dict[AnswerType, dict[str, Any]] = {
    AnswerType.PHONE: {"inputmode": "tel", "autocomplete": "tel", "classes": "govuk-input--width-20"},
    AnswerType.EMAIL: {"autocomplete": "email", "spellcheck": False},
    AnswerType.NUMBER: {"inputmode": "numeric", "classes": "govuk-input--width-3"},
}
FIELDSET_TYPES = frozenset({AnswerType.ONE, AnswerType.MANY, AnswerType.DATE})


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class JourneyForm(FlaskForm):
    """A page of a journey. Its questions are the step's, worded for the answers so far; the page's h1 is the
    step's title, or (without one) the label of its first question (``heading_field``)."""

    step: Step = Step("")
    questions: dict[str, Question]  # the questions that apply, worded for the answers so far (set by prepare)
    ctx: JourneyContext
    title: str | None
    heading_field: str | None
    # Spam trap: hidden from people and from assistive technology; real people never fill it in.
    contact_me_by_fax_only = StringField("Leave this field empty", filters=[strip])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def prepare(self, answers: Mapping[str, Any], lists: Mapping[str, Sequence[Choice]], ctx: JourneyContext) -> None:
        """Word the questions for the answers so far, drop those that do not apply, and set their choices."""
        self.ctx = ctx
        self.questions = {}
        for question in self.step.questions:
            if not question.applies(answers, ctx):
                del self[question.name]
                continue
            worded = question.worded(answers, ctx)
            field = self[question.name]
            field.label.text = worded.label
            field.description = worded.hint_text(ctx)
            if worded.choice_list is not None:
                blank = [Choice("", worded.blank_choice)] if worded.blank_choice else []
                field.choices = select_choices([*blank, *lists[worded.choice_list]])
            elif worded.choices:
                field.choices = select_choices(worded.offered_choices(answers, ctx))
            self.questions[question.name] = worded
        self.title = self.step.worded(answers, ctx).title
        self.heading_field = None if self.title else next(iter(self.questions), None)

    def question_fields(self) -> list[Field]:
        return [f for f in self if f.name in self.questions]

    @property
    def page_title(self) -> str:
        if self.heading_field:
            return str(self[self.heading_field].label.text)
        return self.title or ""

    def is_spam(self) -> bool:
        return bool(self.contact_me_by_fax_only.data)

    def load(self, answers: Mapping[str, Any]) -> None:
        for field in self.question_fields():
            if field.name not in answers:
                continue
            value = answers[field.name]
            if isinstance(field, DateField):
                try:
                    field.data = date.fromisoformat(value) if value else None
                except ValueError:
                    field.data = None
            else:
                field.data = value

    def to_answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in self.question_fields():
            value = typed_value(self.questions[field.name], field.data)
            if isinstance(value, date):
                value = value.isoformat()
            out[field.name] = value
        return out

    # -- validation ---------------------------------------------------------------------------------------------

    def _check(self, question: Question) -> Any:
        """The inline validator of one question: its format, then its own checks (the first problem found)."""

        def check(form: JourneyForm, field: Field) -> None:
            data = field.data
            format_error = FORMAT_ERRORS.get(question.type)
            if format_error is not None and data and format_error(data):
                raise ValidationError(question.invalid)
            if question.type == AnswerType.ONE and question.invalid and data and data not in choice_values(field):
                raise ValidationError(question.invalid)
            page = {f.name: f.data for f in self.question_fields()}
            value = typed_value(question, data)
            for rule in question.checks:
                message = rule(value, page, self.ctx)
                if message:
                    raise ValidationError(message)

        return check

    def validate(self, extra_validators: Any = None) -> bool:
        checks = {name: [self._check(question)] for name, question in self.questions.items()}
        for name, more in (extra_validators or {}).items():
            checks.setdefault(name, []).extend(more)
        ok = super().validate(checks)
        for field in self.question_fields():
            question = self.questions[field.name]
            self._after_checks(field, question)
        return ok and not any(f.errors for f in self)

    def _after_checks(self, field: Field, question: Question) -> None:
        """Not on the list, left empty, or too long: in that order, as GOV.UK's patterns show them."""
        data = field.data
        if question.type == AnswerType.ONE and data not in (None, "") and str(data) not in choice_values(field):
            field.errors.append("Select from the list")
        if question.required and not field.errors and _empty(data):
            field.errors.append(question.required)
        if question.max_length and isinstance(data, str) and len(data) > question.max_length:
            field.errors.append(f"{question.asked.rstrip('?')} must be {question.max_length} characters or fewer")
        limit = free_text_limit()
        if question.type in FREE_TEXT_TYPES and data and len(data) > limit:
            field.errors.append(f"{field.label.text.rstrip('?')} must be {limit:,} characters or fewer")

    # -- rendering ---------------------------------------------------------------------------------------------

    def field_params(self, field: Field) -> dict[str, Any]:
        question = self.questions[field.name]
        heading = field.name == self.heading_field
        params: dict[str, Any] = {}
        if question.type in FIELDSET_TYPES:
            size = "l" if heading else "m"
            params["fieldset"] = {
                "legend": {
                    "text": field.label.text,
                    "isPageHeading": heading,
                    "classes": f"govuk-fieldset__legend--{size}",
                }
            }
        else:
            params["label"] = {
                "text": field.label.text,
                "isPageHeading": heading,
                "classes": "govuk-label--l" if heading else "govuk-label--m",
            }
        if not field.description:
            params["hint"] = None  # no empty hint element for fields without one
        if question.type == AnswerType.LONG_TEXT:
            params["maxlength"] = free_text_limit()
            params["rows"] = 8
        params.update(QUESTION_FIELD_PARAMS.get(question.type, {}))
        if question.autocomplete:
            params["autocomplete"] = question.autocomplete
            params["spellcheck"] = False
        return params


_FORM_CLASSES: dict[tuple[str, str], type[JourneyForm]] = {}


def form_class(journey: Journey, step_key: str) -> type[JourneyForm]:
    """The form class of one step (made once): a field for each of its questions, in order."""
    key = (journey.key, step_key)
    if key not in _FORM_CLASSES:
        step = journey.step(step_key)
        if step is None:
            raise KeyError(step_key)
        fields = {question.name: field_for(question) for question in step.questions}
        name = "".join(part.title() for part in f"{journey.key}-{step.key}".replace("/", "-").split("-")) + "Form"
        _FORM_CLASSES[key] = type(name, (JourneyForm,), {"step": step, **fields})
    return _FORM_CLASSES[key]


def build_form(
    journey: Journey,
    step: str,
    answers: Mapping[str, Any],
    lists: Mapping[str, Sequence[Choice]],
    ctx: JourneyContext,
    *,
    posted: bool,
) -> JourneyForm:
    cls = form_class(journey, step)
    form = cls() if posted else cls(formdata=None)
    form.prepare(answers, lists, ctx)
    if not posted:
        form.load(answers)
    return form


class SubmitForm(FlaskForm):
    contact_me_by_fax_only = StringField("Leave this field empty", filters=[strip])
    submit = SubmitField("Send", widget=GovSubmitInput())


class DiscardForm(FlaskForm):
    submit = SubmitField("Delete what I typed", widget=GovSubmitInput())
