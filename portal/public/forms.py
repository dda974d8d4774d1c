"""The journey forms: one small form per page. Each form knows how to load itself from the draft's answers and
how to turn what was posted into answers. Free text is stored exactly as typed (names, emails and numbers are
trimmed of surrounding spaces)."""

from __future__ import annotations

from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, Field, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import ValidationError

from portal.domain.enums import CARE_STATUS_LABELS, PERSON_TYPE_LABELS, CareStatus, PersonType
from portal.domain.journeys import NO_CONTACT, YOUNG_PERSON_TOPICS
from portal.domain.references import normalise_reference
from portal.form_choices import choice_labels, options


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def free_text_limit() -> int:
    return int(current_app.config.get("FREE_TEXT_LIMIT", 5000))


class MultiCheckboxField(SelectMultipleField):
    widget = GovCheckboxesInput()

    def pre_validate(self, form: Any) -> None:
        values = choice_labels(self.choices)
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


def _text(label: str, description: str | None = None) -> StringField:
    return StringField(label, description=description or "", widget=GovTextInput(), filters=[_strip])


def _area(label: str, description: str | None = None) -> StringField:
    return StringField(label, description=description or "", widget=GovCharacterCount())


def _radios(label: str, choices: list[tuple[str, str]], description: str | None = None) -> RadioField:
    return RadioField(
        label, choices=options(choices), description=description or "", widget=GovRadioInput(), validate_choice=False
    )


def _checks(label: str, choices: list[tuple[str, str]] | None = None, description: str | None = None):  # type: ignore[no-untyped-def]
    return MultiCheckboxField(label, choices=options(choices or []), description=description or "")


# Short answers are stored in columns of a fixed size; free text may be up to FREE_TEXT_LIMIT characters.
MAX_LENGTHS = {
    "full_name": 200,
    "child_name": 200,
    "email": 254,
    "phone": 40,
    "worker_name": 200,
    "relationship_to_child": 120,
    "staff_named": 300,
    "happened_when": 200,
    "interpreter_language": 100,
    "young_person_age": 3,
}

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_NOT_SURE = [("yes", "Yes"), ("no", "No"), ("not_sure", "I'm not sure")]


class JourneyForm(FlaskForm):
    """A page of a journey. ``heading_field`` names the field whose label is the page's h1; otherwise ``title``
    is the h1. Subclasses list the text fields that are free text (checked against FREE_TEXT_LIMIT)."""

    title = ""
    heading_field: str | None = None
    free_text: tuple[str, ...] = ()
    required: dict[str, str] = {}
    # Spam trap: hidden from people and from assistive technology; real people never fill it in.
    contact_me_by_fax_only = StringField("Leave this field empty", filters=[_strip])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        """Set choices from the council's lists and drop fields that do not apply, before validating."""

    def question_fields(self) -> list[Field]:
        return [f for f in self if f.name not in ("csrf_token", "contact_me_by_fax_only", "submit")]

    @property
    def page_title(self) -> str:
        if self.heading_field and self.heading_field in self:
            return str(self[self.heading_field].label.text)
        return self.title

    def is_spam(self) -> bool:
        return bool(self.contact_me_by_fax_only.data)

    def load(self, answers: dict[str, Any]) -> None:
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
            value = field.data
            if isinstance(value, date):
                value = value.isoformat()
            out[field.name] = value
        return out

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        limit = free_text_limit()
        for field in self.question_fields():
            choices = choice_labels(field.choices) if isinstance(field, RadioField) else {}
            if isinstance(field, RadioField) and field.data not in (None, "") and str(field.data) not in choices:
                field.errors.append("Select from the list")
        for name, message in self.required.items():
            if name in self and not self[name].errors and _empty(self[name].data):
                self[name].errors.append(message)
                ok = False
        for name, limit_chars in MAX_LENGTHS.items():
            if name in self and isinstance(self[name].data, str) and len(self[name].data) > limit_chars:
                label = str(self[name].label.text).replace(" (optional)", "").rstrip("?")
                self[name].errors.append(f"{label} must be {limit_chars} characters or fewer")
                ok = False
        for name in self.free_text:
            if name in self and self[name].data and len(self[name].data) > limit:
                self[name].errors.append(f"{self[name].label.text.rstrip('?')} must be {limit:,} characters or fewer")
                ok = False
        return ok and not any(f.errors for f in self)

    def field_params(self, field: Field) -> dict[str, Any]:
        heading = field.name == self.heading_field
        params: dict[str, Any] = {}
        if isinstance(field.widget, GovRadioInput | GovCheckboxesInput | GovDateInput):
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
        if isinstance(field.widget, GovCharacterCount):
            params["maxlength"] = free_text_limit()
            params["rows"] = 8
        if isinstance(field.widget, GovTextInput) and field.name in ("phone",):
            params["inputmode"] = "tel"
            params["autocomplete"] = "tel"
            params["classes"] = "govuk-input--width-20"
        if isinstance(field.widget, GovTextInput) and field.name == "email":
            params["autocomplete"] = "email"
            params["spellcheck"] = False
        if isinstance(field.widget, GovTextInput) and field.name == "full_name":
            params["autocomplete"] = "name"
            params["spellcheck"] = False
        if field.name == "young_person_age":
            params["inputmode"] = "numeric"
            params["classes"] = "govuk-input--width-3"
        return params


def _validate_email(
    value: str | None, message: str = "Enter an email address in the correct format, like name@example.com"
) -> None:
    if not value:
        return
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(message) from None


def _validate_phone(value: str | None) -> None:
    if not value:
        return
    digits = "".join(ch for ch in value if ch.isdigit())
    allowed = set("0123456789 +()-")
    if not set(value) <= allowed or not 10 <= len(digits) <= 15:
        raise ValidationError("Enter a phone number, like 07700 900 982 or +44 7700 900 982")


# =============================================================================================================
# Young people


class YPAboutForm(JourneyForm):
    heading_field = "about"
    about = _checks(
        "What is it about?", list(YOUNG_PERSON_TOPICS.items()), "Pick all that fit. You can tell us more next."
    )
    required = {"about": "Pick what it is about"}


class YPWhatHappenedForm(JourneyForm):
    heading_field = "what_happened"
    free_text = ("what_happened",)
    what_happened = _area("What happened?", "Use your own words. Write as much or as little as you like.")
    required = {"what_happened": "Tell us what happened"}


class YPMakeItBetterForm(JourneyForm):
    heading_field = "outcome_wanted"
    free_text = ("outcome_wanted",)
    outcome_wanted = _area("What would make it better?", "You can leave this empty if you are not sure.")


class YPSafeForm(JourneyForm):
    heading_field = "safe"
    safe = _radios(
        "Do you feel safe right now?",
        [("yes", "Yes, I feel safe"), ("no", "No, I do not feel safe"), ("not_sure", "I am not sure")],
        "If you tell us you do not feel safe, we will read your message today.",
    )
    required = {"safe": "Pick if you feel safe"}


class InfoForm(JourneyForm):
    """A page with no question (for example, what happens when you do not feel safe)."""

    title = "We will read this today"


class YPNameForm(JourneyForm):
    heading_field = "full_name"
    full_name = _text("What is your name?", "You can use the name people call you.")
    required = {"full_name": "Tell us your name"}


class YPNameOptionalForm(JourneyForm):
    heading_field = "full_name"
    full_name = _text("What is your name?", "You do not have to tell us. You can leave this empty.")


YP_CONTACT_CHOICES = [
    ("phone", "Phone call"),
    ("text", "Text message"),
    ("email", "Email"),
    ("carer", "Through my carer"),
    ("advocate", "Through my advocate"),
    ("social_worker", "Through my social worker"),
    (NO_CONTACT, "Please do not get in touch with me"),
]


class YPContactForm(JourneyForm):
    heading_field = "contact_methods"
    contact_methods = _checks("How can we get in touch with you safely?", YP_CONTACT_CHOICES, "Pick all that are safe.")
    required = {"contact_methods": "Pick how we can get in touch with you"}

    def validate_contact_methods(self, field: Field) -> None:
        if NO_CONTACT in (field.data or []) and len(field.data) > 1:
            raise ValidationError("Pick ways to get in touch, or pick 'Please do not get in touch with me'")


class YPContactDetailsForm(JourneyForm):
    title = "How to reach you"
    free_text = ("safe_contact_notes",)
    phone = _text("Your phone number")
    email = _text("Your email address")
    ok_to_leave_message = _radios("Is it OK to leave a message?", YES_NO)
    safe_contact_notes = _area(
        "When is a safe time to get in touch? (optional)",
        "For example, after school. Tell us if there is anyone we should not talk to.",
    )

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        methods = set(answers.get("contact_methods") or [])
        if not methods & {"phone", "text"}:
            del self.phone
            del self.ok_to_leave_message
        else:
            self.required = {**self.required, "phone": "Tell us your phone number"}
            self.required["ok_to_leave_message"] = "Pick yes if we can leave a message"
        if "email" not in methods:
            del self.email
        else:
            self.required = {**self.required, "email": "Tell us your email address"}

    def validate_phone(self, field: Field) -> None:
        _validate_phone(field.data)

    def validate_email(self, field: Field) -> None:
        _validate_email(field.data, "Write your email address like name@example.com")


class YPAdvocateForm(JourneyForm):
    heading_field = "wants_advocate"
    wants_advocate = _radios(
        "Would you like an advocate?",
        [("yes", "Yes, please"), ("no", "No, thank you"), ("not_sure", "I am not sure yet")],
    )
    required = {"wants_advocate": "Pick if you would like an advocate"}


class YPWhoForm(JourneyForm):
    heading_field = "staff_named"
    staff_named = _text("Who do you want to thank?", "Write their name, or the name of their team.")
    required = {"staff_named": "Tell us who you want to thank"}


class YPWhatTheyDidForm(JourneyForm):
    heading_field = "words"
    free_text = ("words",)
    words = _area("What did they do?", "Tell us what they did that helped you.")
    required = {"words": "Tell us what they did"}


class YPPassOnForm(JourneyForm):
    heading_field = "consent_pass_on"
    consent_pass_on = _radios("Can we tell them what you said?", YES_NO)
    required = {"consent_pass_on": "Pick yes if we can tell them"}


class YPShareForm(JourneyForm):
    heading_field = "consent_anonymous_use"
    consent_anonymous_use = _radios(
        "Can we share your words without your name?",
        YES_NO,
        "We may use them to show others what good help looks like. We will not say who you are.",
    )
    required = {"consent_anonymous_use": "Pick yes if we can share your words"}


class YPHelpWithForm(JourneyForm):
    heading_field = "help_with"
    free_text = ("help_details",)
    help_with = _checks("What do you want help with?", description="Pick all that fit.")
    help_details = _area("Tell us more (optional)", "For example, what the meeting is about.")
    required = {"help_with": "Pick what you want help with"}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        self.help_with.choices = options(choices["advocacy_help"])


class YPAgeForm(JourneyForm):
    heading_field = "young_person_age"
    young_person_age = _text("How old are you?")
    required = {"young_person_age": "Tell us how old you are"}

    def validate_young_person_age(self, field: Field) -> None:
        _validate_age(field, "Write your age as a number, like 14")

    def to_answers(self) -> dict[str, Any]:
        return {"young_person_age": int(self.young_person_age.data)}


def _validate_age(field: Field, message: str) -> None:
    if not field.data:
        return
    if not str(field.data).isdigit():
        raise ValidationError(message)
    if not 4 <= int(field.data) <= 25:
        raise ValidationError("Age must be between 4 and 25")


YP_SITUATIONS = [
    (CareStatus.CHILD_IN_CARE.value, "I live in care"),
    (CareStatus.LEAVING_CARE.value, "I am getting ready to leave care"),
    (CareStatus.CARE_LEAVER.value, "I have left care"),
    (CareStatus.CHILD_PROTECTION.value, "I have a child protection plan"),
    (CareStatus.CHILD_IN_NEED.value, "I have a social worker"),
    (CareStatus.OTHER.value, "None of these, or I am not sure"),
]


class YPSituationForm(JourneyForm):
    heading_field = "situation"
    situation = _radios("Which of these is true for you?", YP_SITUATIONS)
    required = {"situation": "Pick the one that is true for you"}


class YPNeededByForm(JourneyForm):
    heading_field = "needed_by"
    needed_by = OptionalDateField(
        "Is there a day you need help by?",
        name_for_errors="The date",
        description="For example, the day of a meeting, like 27 3 2027. Leave it empty if there is no date.",
    )

    def validate_needed_by(self, field: Field) -> None:
        if field.data and field.data < _today():
            raise ValidationError("The date must be today or later")


def _today() -> date:
    from portal.services.clock import today_london

    return today_london()


# =============================================================================================================
# Adults

ADULT_PERSON_TYPES = [(t.value, PERSON_TYPE_LABELS[t]) for t in PersonType if t != PersonType.CHILD_OR_YOUNG_PERSON]


class WhoYouAreForm(JourneyForm):
    heading_field = "person_type"
    person_type = _radios("Who are you?", ADULT_PERSON_TYPES, "Select the one that describes you best.")
    relationship_to_child = _text(
        "Your relationship to the child (optional)", "For example, aunt, foster carer, teacher or youth worker."
    )
    required = {"person_type": "Select who you are"}


class ChildForm(JourneyForm):
    title = "About the child or young person"
    child_name = _text("Their full name")
    child_date_of_birth = OptionalDateField(
        "Their date of birth", name_for_errors="Date of birth", description="For example, 27 3 2012"
    )
    required = {"child_name": "Enter the child's full name", "child_date_of_birth": "Enter the child's date of birth"}

    def validate_child_date_of_birth(self, field: Field) -> None:
        if field.data and field.data > _today():
            raise ValidationError("Date of birth must be in the past")


class ParentalResponsibilityForm(JourneyForm):
    heading_field = "has_parental_responsibility"
    has_parental_responsibility = _radios(
        "Do you have parental responsibility for the child?",
        YES_NO_NOT_SURE,
        "Parental responsibility means the legal rights and duties of a parent. Birth mothers always have it. "
        "Fathers, step-parents, special guardians and others may have it too.",
    )
    required = {"has_parental_responsibility": "Select if you have parental responsibility"}


class ChildAgreesForm(JourneyForm):
    heading_field = "child_knows"
    free_text = ("child_consent_note",)
    child_knows = _radios(
        "Does the child know about this complaint and agree with it?",
        [("yes", "Yes, they know and agree"), ("no", "No, or I have not asked them")],
    )
    child_consent_note = _area("If not, why not?", "We will still read your complaint.")
    required = {"child_knows": "Select if the child knows and agrees"}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        age = current_app.config.get("CONSENT_AGE", 12)
        self.child_knows.description = (
            f"We ask because the child is {age} or older. Children of this age can usually say what they want. "
            "We may contact them to check."
        )

    def validate_child_consent_note(self, field: Field) -> None:
        if self.child_knows.data == "no" and not (field.data or "").strip():
            raise ValidationError("Enter why the child does not know or agree")


class ServiceForm(JourneyForm):
    heading_field = "team_id"
    team_id = SelectField("Which service or team is it about?", widget=GovSelect(), validate_choice=True)
    worker_name = _text("Name of the worker (optional)", "If you know the name of the worker involved.")

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        self.team_id.choices = options([("", "I do not know"), *choices["teams"]])


class AdultWhatHappenedForm(JourneyForm):
    heading_field = "what_happened"
    free_text = ("what_happened",)
    what_happened = _area(
        "What happened?",
        "Tell us what went wrong, who was involved and what you have already done to try to sort it out. "
        "Include dates if you can.",
    )
    required = {"what_happened": "Enter what happened"}


class WhenForm(JourneyForm):
    heading_field = "grounds_arose_on"
    grounds_arose_on = OptionalDateField(
        "When did it happen?",
        name_for_errors="The date it happened",
        description="If it happened over a period of time, tell us when it started. If you are not sure of the "
        "day, give your best guess. For example, 27 3 2026.",
    )
    happened_when = _text("Anything else about when it happened (optional)", "For example, it is still happening.")
    required = {"grounds_arose_on": "Enter when it happened"}

    def validate_grounds_arose_on(self, field: Field) -> None:
        if field.data and field.data > _today():
            raise ValidationError("The date it happened must be today or in the past")


class TimeLimitForm(JourneyForm):
    title = "We can still look at this"
    free_text = ("late_reason",)
    late_reason = _area(
        "Why are you telling us now? (optional)",
        "For example, you did not know you could complain, or you were waiting for something else to finish.",
    )


class CourtForm(JourneyForm):
    heading_field = "court_proceedings"
    court_proceedings = _radios(
        "Are there court proceedings about the child at the moment?",
        YES_NO_NOT_SURE,
        "For example, care proceedings or a family court case about where the child lives.",
    )
    required = {"court_proceedings": "Select if there are court proceedings"}


class OutcomeForm(JourneyForm):
    heading_field = "outcome_sought"
    free_text = ("outcome_wanted",)
    outcome_sought = _checks("What would you like to happen?", description="Select all that apply.")
    outcome_wanted = _area("Tell us more about what you would like to happen (optional)")

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        self.outcome_sought.choices = options(choices["outcomes"])

    def validate_outcome_sought(self, field: Field) -> None:
        if not field.data and not (self.outcome_wanted.data or "").strip():
            raise ValidationError("Select what you would like to happen, or describe it")


NEEDS = [
    ("interpreter", "An interpreter"),
    ("bsl", "A British Sign Language (BSL) interpreter"),
    ("large_print", "Letters in large print"),
    ("easy_read", "Letters in easy read"),
]


class NeedsForm(JourneyForm):
    heading_field = "needs"
    needs = _checks(
        "Do you need any help to take part?", NEEDS, "Select all that apply. Leave empty if you do not need any."
    )
    interpreter_language = _text("If you need an interpreter, which language?")

    def validate_interpreter_language(self, field: Field) -> None:
        if "interpreter" in (self.needs.data or []) and not field.data:
            raise ValidationError("Enter the language you need an interpreter for")


class YourDetailsForm(JourneyForm):
    title = "Your details"
    full_name = _text("Full name")
    email = _text("Email address (optional)", "We will send a copy of what you told us and updates by email.")
    phone = _text("Phone number (optional)")
    address = StringField("Postal address (optional)", widget=GovTextArea())
    required = {"full_name": "Enter your full name"}
    free_text = ("address",)

    def validate_email(self, field: Field) -> None:
        _validate_email(field.data)

    def validate_phone(self, field: Field) -> None:
        _validate_phone(field.data)


class YourDetailsOptionalForm(YourDetailsForm):
    title = "Your details (optional)"
    required: dict[str, str] = {}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        self.full_name.label.text = "Full name (optional)"
        self.email.description = "If you would like us to reply."


ADULT_CONTACT = [("email", "Email"), ("phone", "Phone call"), ("text", "Text message"), ("letter", "Letter")]


class ContactPreferencesForm(JourneyForm):
    heading_field = "contact_methods"
    contact_methods = _checks("How should we contact you?", description="Select all that are good for you.")
    ok_to_leave_message = _radios("Can we leave a message if you do not answer?", YES_NO)
    required = {"contact_methods": "Select how we should contact you"}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        given = {
            "email": bool(answers.get("email")),
            "phone": bool(answers.get("phone")),
            "text": bool(answers.get("phone")),
            "letter": bool(answers.get("address")),
        }
        self.contact_methods.choices = options((k, v) for k, v in ADULT_CONTACT if given[k])
        if not given["phone"]:
            del self.ok_to_leave_message


class ComplimentWhoForm(JourneyForm):
    heading_field = "staff_named"
    staff_named = _text("Who would you like to thank?", "The name of the person or the team.")
    team_id = SelectField("Which team do they work in? (optional)", widget=GovSelect())
    required = {"staff_named": "Enter who you would like to thank"}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        self.team_id.choices = options([("", "I do not know"), *choices["teams"]])


class AdultWhatTheyDidForm(JourneyForm):
    heading_field = "words"
    free_text = ("words",)
    words = _area("What did they do?", "Tell us what they did and the difference it made.")
    required = {"words": "Enter what they did"}


class AdultPassOnForm(JourneyForm):
    heading_field = "consent_pass_on"
    consent_pass_on = _radios("Can we pass on your compliment to them and their manager?", YES_NO)
    required = {"consent_pass_on": "Select yes if we can pass on your compliment"}


class AdultShareForm(JourneyForm):
    heading_field = "consent_anonymous_use"
    consent_anonymous_use = _radios(
        "Can we use your words without your name?",
        YES_NO,
        "For example, in our reports or to show staff what good practice looks like.",
    )
    required = {"consent_anonymous_use": "Select yes if we can use your words without your name"}


class ComplimentSourceForm(JourneyForm):
    heading_field = "compliment_source"
    compliment_source = _radios("Which of these describes you best?", [])
    required = {"compliment_source": "Select what describes you best"}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        self.compliment_source.choices = options(choices["compliment_sources"])

    def validate_compliment_source(self, field: Field) -> None:
        if field.data and field.data not in choice_labels(field.choices):
            raise ValidationError("Select what describes you best")


class ForWhomForm(JourneyForm):
    heading_field = "for_whom"
    for_whom = _radios(
        "Who needs an advocate?",
        [("me", "I do (I am a young person or care leaver)"), ("someone_else", "A child or young person I know")],
    )
    required = {"for_whom": "Select who needs an advocate"}


class AgreementForm(JourneyForm):
    heading_field = "young_person_agrees"
    young_person_agrees = _radios(
        "Does the young person agree to you asking for an advocate for them?",
        [("yes", "Yes"), ("no", "No"), ("not_asked", "I have not asked them yet")],
        "An advocate only works with a young person who wants their help. They will check with the young person.",
    )
    required = {"young_person_agrees": "Select if the young person agrees"}


class YoungPersonForm(JourneyForm):
    title = "About the young person"
    child_name = _text("Their full name")
    young_person_age = _text("Their age")
    required = {"child_name": "Enter the young person's full name", "young_person_age": "Enter their age"}

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        if answers.get("for_whom") == "me":
            del self.child_name
            self.required = {"young_person_age": "Enter your age"}
            self.heading_field = "young_person_age"
            self.young_person_age.label.text = "How old are you?"

    def validate_young_person_age(self, field: Field) -> None:
        _validate_age(field, "Enter the age as a number, like 14")

    def to_answers(self) -> dict[str, Any]:
        out = super().to_answers()
        out["young_person_age"] = int(self.young_person_age.data)
        return out


class AdultSituationForm(JourneyForm):
    heading_field = "situation"
    situation = _radios(
        "Which of these describes the young person's situation?",
        [(s.value, CARE_STATUS_LABELS[s]) for s in CareStatus],
    )
    required = {"situation": "Select the young person's situation"}


class AdultHelpWithForm(YPHelpWithForm):
    heading_field = "help_with"
    help_with = _checks("What do they need help with?", description="Select all that apply.")
    help_details = _area("Tell us more (optional)", "For example, the date and purpose of a meeting.")
    required = {"help_with": "Select what they need help with"}


class AdultNeededByForm(YPNeededByForm):
    needed_by = OptionalDateField(
        "Is there a date the help is needed by? (optional)",
        name_for_errors="The date",
        description="For example, the date of a meeting or review, like 27 3 2027.",
    )


class SafeContactForm(JourneyForm):
    heading_field = "safe_contact_notes"
    free_text = ("safe_contact_notes",)
    safe_contact_notes = _area(
        "How can the advocate get in touch with the young person safely?",
        "For example, the best times, who to go through, and anyone they should not speak to.",
    )

    def prepare(self, choices: dict[str, list[tuple[str, str]]], answers: dict[str, Any]) -> None:
        if answers.get("for_whom") == "me":
            self.safe_contact_notes.label.text = "How can the advocate get in touch with you safely? (optional)"
            self.safe_contact_notes.description = (
                "For example, the best times to call, and anyone we should not speak to."
            )
        else:
            self.required = {"safe_contact_notes": "Enter how the advocate can get in touch safely"}


# =============================================================================================================
# Submit, tracking


class SubmitForm(FlaskForm):
    contact_me_by_fax_only = StringField("Leave this field empty", filters=[_strip])
    submit = SubmitField("Send", widget=GovSubmitInput())


class DiscardForm(FlaskForm):
    submit = SubmitField("Delete what I typed", widget=GovSubmitInput())


class TrackForm(FlaskForm):
    reference = StringField(
        "Reference", description="For example, 7KQ-M9T-X4R", widget=GovTextInput(), filters=[_strip]
    )
    check = StringField(
        "Email address, phone number or tracking code",
        description="Use the email address or phone number you gave us. If you gave neither, use the tracking code "
        "we showed you.",
        widget=GovTextInput(),
        filters=[_strip],
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
