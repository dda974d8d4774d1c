"""Which form asks each step's question, and the rows of "check your answers"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from wtforms import DateField, RadioField, SelectField, SelectMultipleField

from portal.domain.journeys import Journey, JourneyContext
from portal.form_choices import choice_labels
from portal.public import forms as f
from portal.template_helpers import govuk_date

YP = {
    "about": f.YPAboutForm,
    "what-happened": f.YPWhatHappenedForm,
    "make-it-better": f.YPMakeItBetterForm,
    "safe": f.YPSafeForm,
    "unsafe": f.InfoForm,
    "name": f.YPNameForm,
    "contact": f.YPContactForm,
    "contact-details": f.YPContactDetailsForm,
    "advocate": f.YPAdvocateForm,
    "who": f.YPWhoForm,
    "what-they-did": f.YPWhatTheyDidForm,
    "pass-on": f.YPPassOnForm,
    "share": f.YPShareForm,
    "help-with": f.YPHelpWithForm,
    "age": f.YPAgeForm,
    "situation": f.YPSituationForm,
    "needed-by": f.YPNeededByForm,
}

ADULT = {
    "who-you-are": f.WhoYouAreForm,
    "child": f.ChildForm,
    "parental-responsibility": f.ParentalResponsibilityForm,
    "child-agrees": f.ChildAgreesForm,
    "service": f.ServiceForm,
    "what-happened": f.AdultWhatHappenedForm,
    "when": f.WhenForm,
    "time-limit": f.TimeLimitForm,
    "court": f.CourtForm,
    "outcome": f.OutcomeForm,
    "needs": f.NeedsForm,
    "your-details": f.YourDetailsForm,
    "contact-preferences": f.ContactPreferencesForm,
    "who": f.ComplimentWhoForm,
    "what-they-did": f.AdultWhatTheyDidForm,
    "pass-on": f.AdultPassOnForm,
    "share": f.AdultShareForm,
    "about-you": f.ComplimentSourceForm,
    "for-whom": f.ForWhomForm,
    "agreement": f.AgreementForm,
    "young-person": f.YoungPersonForm,
    "situation": f.AdultSituationForm,
    "help-with": f.AdultHelpWithForm,
    "needed-by": f.AdultNeededByForm,
    "safe-contact": f.SafeContactForm,
}

OVERRIDES = {
    ("young-person/compliment", "name"): f.YPNameOptionalForm,
    ("adult/compliment", "your-details"): f.YourDetailsOptionalForm,
}

JOURNEY_TITLES = {
    "young-person/complaint": "Tell us something is wrong",
    "young-person/compliment": "Say thank you",
    "young-person/advocacy": "Get someone to help you speak up",
    "adult/complaint": "Make a complaint",
    "adult/compliment": "Give a compliment",
    "adult/advocacy": "Ask for an advocate",
}


def form_class(journey: Journey, step: str) -> type[f.JourneyForm]:
    override = OVERRIDES.get((journey.key, step))
    if override is not None:
        return override
    table = YP if journey.key.startswith("young-person/") else ADULT
    return table[step]


def build_form(
    journey: Journey, step: str, answers: dict[str, Any], choices: dict[str, list[tuple[str, str]]], *, posted: bool
) -> f.JourneyForm:
    cls = form_class(journey, step)
    form = cls() if posted else cls(formdata=None)
    form.prepare(choices, answers)
    if not posted:
        form.load(answers)
    return form


@dataclass(frozen=True)
class AnswerRow:
    step: str
    label: str
    value: str
    multiline: bool


def _display(field: Any) -> str:
    data = field.data
    if data in (None, "", []):
        return "Not given"
    if isinstance(field, DateField) and isinstance(data, date):
        return govuk_date(data)
    if isinstance(field, SelectMultipleField):
        labels = choice_labels(field.choices)
        return "\n".join(labels.get(str(v), str(v)) for v in data)
    if isinstance(field, RadioField | SelectField):
        labels = choice_labels(field.choices)
        return labels.get(str(data), str(data))
    return str(data)


def answer_rows(
    journey: Journey, answers: dict[str, Any], ctx: JourneyContext, choices: dict[str, list[tuple[str, str]]]
) -> list[AnswerRow]:
    rows: list[AnswerRow] = []
    for step in journey.visible_steps(answers, ctx):
        form = build_form(journey, step.key, answers, choices, posted=False)
        for field in form.question_fields():
            label = str(field.label.text).replace(" (optional)", "")
            value = _display(field)
            multiline = isinstance(field, SelectMultipleField) or "\n" in value
            rows.append(AnswerRow(step.key, label, value, multiline))
    return rows
