"""The adult journeys (a parent, carer, relative or professional), question by question (see ``questions.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.domain.enums import CARE_STATUS_LABELS, PERSON_TYPE_LABELS, Audience, CareStatus, PersonType, SubmissionKind
from portal.domain.questions import (
    NO_CONTACT,
    AnswerType,
    Choice,
    Fact,
    FillContext,
    Journey,
    JourneyContext,
    Question,
    Step,
    always,
    between,
    chose,
    chosen_except,
    first_id,
    gave,
    ids,
    iso_date,
    labels_from,
    member_of,
    needed_when,
    not_after_today,
    not_before_today,
    reworded,
    this_or,
    to,
    yes_no,
)

# ---------------------------------------------------------------------------------------------------------
# Rules the conditions need


def child_age(date_of_birth: date | None, today: date) -> int | None:
    if date_of_birth is None:
        return None
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def is_out_of_time(grounds_arose_on: date | None, received_on: date, months: int) -> bool:
    """More than ``months`` months between what happened and when we heard about it (staff still decide)."""
    return grounds_arose_on is not None and received_on > add_months(grounds_arose_on, months)


def _child_old_enough(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
    age = child_age(iso_date(answers.get("child_date_of_birth")), ctx.today)
    return age is not None and age >= ctx.consent_age


def _late(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
    return is_out_of_time(iso_date(answers.get("grounds_arose_on")), ctx.today, ctx.out_of_time_months)


_referral = chose("for_whom", "someone_else")
_for_self = chose("for_whom", "me")


def _consent_hint(ctx: JourneyContext) -> str:
    return (
        f"We ask because the child is {ctx.consent_age} or older. Children of this age can usually say what they "
        "want. We may contact them to check."
    )


def _need_flags(value: Any, ctx: FillContext) -> dict[str, Any] | None:
    """{"interpreter": True, "interpreter_language": "Polish", "large_print": True, ...}; None when none."""
    needs: dict[str, Any] = dict.fromkeys(value or [], True)
    if needs.get("interpreter") and ctx.answers.get("interpreter_language"):
        needs["interpreter_language"] = ctx.answers["interpreter_language"]
    return needs or None


# ---------------------------------------------------------------------------------------------------------
# Questions

YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))
YES_NO_NOT_SURE = (Choice("yes", "Yes"), Choice("no", "No"), Choice("not_sure", "I'm not sure"))
INVALID_EMAIL = "Enter an email address in the correct format, like name@example.com"
INVALID_PHONE = "Enter a phone number, like 07700 900 982 or +44 7700 900 982"

PERSON_TYPE = Question(
    "person_type",
    "Who are you?",
    staff_label="Who they are",
    type=AnswerType.ONE,
    hint="Select the one that describes you best.",
    choices=tuple(Choice(t.value, PERSON_TYPE_LABELS[t]) for t in PersonType if t != PersonType.CHILD_OR_YOUNG_PERSON),
    required="Select who you are",
    fills=(to("person_type", member_of(PersonType)),),
)
RELATIONSHIP = Question(
    "relationship_to_child",
    "Your relationship to the child (optional)",
    staff_label="Relationship to the child",
    hint="For example, aunt, foster carer, teacher or youth worker.",
    max_length=120,
    fills=(to("relationship_to_child"),),
)
CHILD_NAME = Question(
    "child_name",
    "Their full name",
    staff_label="Child's name",
    required="Enter the child's full name",
    max_length=200,
    fills=(to("child_name"),),
)
CHILD_DATE_OF_BIRTH = Question(
    "child_date_of_birth",
    "Their date of birth",
    staff_label="Child's date of birth",
    type=AnswerType.DATE,
    hint="For example, 27 3 2012",
    required="Enter the child's date of birth",
    error_name="Date of birth",
    checks=(not_after_today("Date of birth must be in the past"),),
    fills=(to("child_date_of_birth"),),
)
PARENTAL_RESPONSIBILITY = Question(
    "has_parental_responsibility",
    "Do you have parental responsibility for the child?",
    staff_label="Has parental responsibility",
    type=AnswerType.ONE,
    hint="Parental responsibility means the legal rights and duties of a parent. Birth mothers always have it. "
    "Fathers, step-parents, special guardians and others may have it too.",
    choices=YES_NO_NOT_SURE,
    required="Select if you have parental responsibility",
    fills=(to("has_parental_responsibility"),),
)
CHILD_KNOWS = Question(
    "child_knows",
    "Does the child know about this complaint and agree with it?",
    staff_label="Does the child know about the complaint and agree with it",
    type=AnswerType.ONE,
    hint=_consent_hint,
    choices=(Choice("yes", "Yes, they know and agree"), Choice("no", "No, or I have not asked them")),
    required="Select if the child knows and agrees",
    fills=(to("child_knows"),),
)
CHILD_CONSENT_NOTE = Question(
    "child_consent_note",
    "If not, why not?",
    staff_label="Why the child does not know or agree",
    type=AnswerType.LONG_TEXT,
    hint="We will still read your complaint.",
    checks=(needed_when(chose("child_knows", "no"), "Enter why the child does not know or agree"),),
    fills=(to("child_consent_note"),),
)
SERVICE = Question(
    "team_id",
    "Which service or team is it about?",
    staff_label="Service or team it is about",
    type=AnswerType.SELECT,
    choice_list="teams",
    blank_choice="I do not know",
    fills=(to("team_id", first_id),),
)
WORKER = Question(
    "worker_name",
    "Name of the worker (optional)",
    staff_label="Worker named",
    hint="If you know the name of the worker involved.",
    max_length=200,
    fills=(to("worker_name"),),
)
WHAT_HAPPENED = Question(
    "what_happened",
    "What happened?",
    staff_label="What happened",
    type=AnswerType.LONG_TEXT,
    hint="Tell us what went wrong, who was involved and what you have already done to try to sort it out. "
    "Include dates if you can.",
    required="Enter what happened",
    fills=(to("what_happened"),),
)
WHEN = Question(
    "grounds_arose_on",
    "When did it happen?",
    staff_label="When it happened",
    type=AnswerType.DATE,
    hint="If it happened over a period of time, tell us when it started. If you are not sure of the day, give your "
    "best guess. For example, 27 3 2026.",
    required="Enter when it happened",
    error_name="The date it happened",
    checks=(not_after_today("The date it happened must be today or in the past"),),
    fills=(to("grounds_arose_on"),),
)
HAPPENED_WHEN = Question(
    "happened_when",
    "Anything else about when it happened (optional)",
    staff_label="More about when it happened",
    hint="For example, it is still happening.",
    max_length=200,
    fills=(to("happened_when"),),
)
LATE_REASON = Question(  # kept with the answers for the complaints team, who decide whether to look at it
    "late_reason",
    "Why are you telling us now? (optional)",
    staff_label="Why they are telling us now",
    type=AnswerType.LONG_TEXT,
    hint="For example, you did not know you could complain, or you were waiting for something else to finish.",
)
COURT = Question(
    "court_proceedings",
    "Are there court proceedings about the child at the moment?",
    staff_label="Court proceedings about the child",
    type=AnswerType.ONE,
    hint="For example, care proceedings or a family court case about where the child lives.",
    choices=YES_NO_NOT_SURE,
    required="Select if there are court proceedings",
    fills=(to("court_proceedings"),),
)
OUTCOME_SOUGHT = Question(
    "outcome_sought",
    "What would you like to happen?",
    staff_label="What they would like to happen",
    type=AnswerType.MANY,
    hint="Select all that apply.",
    choice_list="outcomes",
    checks=(this_or("outcome_wanted", "Select what you would like to happen, or describe it"),),
    fills=(to("outcome_sought_ids", ids),),
)
OUTCOME_WANTED = Question(
    "outcome_wanted",
    "Tell us more about what you would like to happen (optional)",
    staff_label="More about what they would like to happen",
    type=AnswerType.LONG_TEXT,
    fills=(to("outcome_wanted"),),
)
NEEDS = Question(
    "needs",
    "Do you need any help to take part?",
    staff_label="Help they need to take part",
    type=AnswerType.MANY,
    hint="Select all that apply. Leave empty if you do not need any.",
    choices=(
        Choice("interpreter", "An interpreter"),
        Choice("bsl", "A British Sign Language (BSL) interpreter"),
        Choice("large_print", "Letters in large print"),
        Choice("easy_read", "Letters in easy read"),
    ),
    fills=(to("needs", _need_flags),),  # with the interpreter's language
)
INTERPRETER_LANGUAGE = Question(
    "interpreter_language",
    "If you need an interpreter, which language?",
    staff_label="Interpreter's language",
    max_length=100,
    checks=(needed_when(chose("needs", "interpreter"), "Enter the language you need an interpreter for"),),
)
FULL_NAME = Question(
    "full_name",
    "Full name",
    staff_label="Name",
    required="Enter your full name",
    max_length=200,
    autocomplete="name",
    fills=(to("full_name"),),
)
EMAIL = Question(
    "email",
    "Email address (optional)",
    staff_label="Email",
    type=AnswerType.EMAIL,
    hint="We will send a copy of what you told us and updates by email.",
    invalid=INVALID_EMAIL,
    max_length=254,
    fills=(to("email"),),
)
PHONE = Question(
    "phone",
    "Phone number (optional)",
    staff_label="Phone",
    type=AnswerType.PHONE,
    invalid=INVALID_PHONE,
    max_length=40,
    fills=(to("phone"),),
)
ADDRESS = Question(
    "address",
    "Postal address (optional)",
    staff_label="Postal address",
    type=AnswerType.ADDRESS,
    fills=(to("address"),),
)
CONTACT_METHODS = Question(
    "contact_methods",
    "How should we contact you?",
    staff_label="How to contact them",
    type=AnswerType.MANY,
    hint="Select all that are good for you.",
    choices=(
        Choice("email", "Email", when=gave("email")),
        Choice("phone", "Phone call", when=gave("phone")),
        Choice("text", "Text message", when=gave("phone")),
        Choice("letter", "Letter", when=gave("address")),
    ),
    required="Select how we should contact you",
    fills=(to("contact_methods", chosen_except(NO_CONTACT)),),
)
OK_TO_LEAVE_MESSAGE = Question(
    "ok_to_leave_message",
    "Can we leave a message if you do not answer?",
    staff_label="OK to leave a message",
    type=AnswerType.ONE,
    choices=YES_NO,
    when=gave("phone"),
    fills=(to("ok_to_leave_message"),),
)

# The compliment's

THANK_WHO = Question(
    "staff_named",
    "Who would you like to thank?",
    staff_label="Who they would like to thank",
    hint="The name of the person or the team.",
    required="Enter who you would like to thank",
    max_length=300,
    fills=(to("staff_named"),),
)
THANK_TEAM = Question(
    "team_id",
    "Which team do they work in? (optional)",
    staff_label="Their team",
    type=AnswerType.SELECT,
    choice_list="teams",
    blank_choice="I do not know",
    fills=(to("team_id", first_id),),
)
WHAT_THEY_DID = Question(
    "words",
    "What did they do?",
    staff_label="What they did",
    type=AnswerType.LONG_TEXT,
    hint="Tell us what they did and the difference it made.",
    required="Enter what they did",
    fills=(to("compliment_words"), to("what_happened")),
)
PASS_ON = Question(
    "consent_pass_on",
    "Can we pass on your compliment to them and their manager?",
    staff_label="Can we pass it on to them and their manager",
    type=AnswerType.ONE,
    choices=YES_NO,
    required="Select yes if we can pass on your compliment",
    fills=(to("consent_pass_on", yes_no),),
)
SHARE = Question(
    "consent_anonymous_use",
    "Can we use your words without your name?",
    staff_label="Can we use their words without their name",
    type=AnswerType.ONE,
    hint="For example, in our reports or to show staff what good practice looks like.",
    choices=YES_NO,
    required="Select yes if we can use your words without your name",
    fills=(to("consent_anonymous_use", yes_no),),
)
COMPLIMENT_SOURCE = Question(
    "compliment_source",
    "Which of these describes you best?",
    staff_label="Who they are",
    type=AnswerType.ONE,
    choice_list="compliment_sources",
    required="Select what describes you best",
    invalid="Select what describes you best",
    fills=(to("compliment_source_id", first_id),),
)
FULL_NAME_OPTIONAL = Question(
    "full_name",
    "Full name (optional)",
    staff_label="Name",
    max_length=200,
    autocomplete="name",
    fills=(to("full_name"),),
)
EMAIL_FOR_A_REPLY = Question(
    "email",
    "Email address (optional)",
    staff_label="Email",
    type=AnswerType.EMAIL,
    hint="If you would like us to reply.",
    invalid=INVALID_EMAIL,
    max_length=254,
    fills=(to("email"),),
)

# The advocacy request's

FOR_WHOM = Question(
    "for_whom",
    "Who needs an advocate?",
    staff_label="Who needs an advocate",
    type=AnswerType.ONE,
    choices=(
        Choice("me", "I do (I am a young person or care leaver)"),
        Choice("someone_else", "A child or young person I know"),
    ),
    required="Select who needs an advocate",
    fills=(to("for_self", lambda value, ctx: value == "me"),),
)
AGREEMENT = Question(
    "young_person_agrees",
    "Does the young person agree to you asking for an advocate for them?",
    staff_label="Does the young person agree to the request",
    type=AnswerType.ONE,
    hint="An advocate only works with a young person who wants their help. They will check with the young person.",
    choices=(Choice("yes", "Yes"), Choice("no", "No"), Choice("not_asked", "I have not asked them yet")),
    required="Select if the young person agrees",
    fills=(to("young_person_agrees"),),
)
YOUNG_PERSON_NAME = Question(
    "child_name",
    "Their full name",
    staff_label="Young person's name",
    required="Enter the young person's full name",
    max_length=200,
    when=_referral,
    fills=(to("child_name"),),
)
YOUNG_PERSON_AGE = Question(
    "young_person_age",
    "Their age",
    staff_label="Young person's age",
    type=AnswerType.NUMBER,
    required="Enter their age",
    invalid="Enter the age as a number, like 14",
    max_length=3,
    checks=(between(4, 25, "Age must be between 4 and 25"),),
    variants=(reworded(_for_self, label="How old are you?", required="Enter your age"),),
    fills=(to("young_person_age"),),
)
SITUATION = Question(
    "situation",
    "Which of these describes the young person's situation?",
    staff_label="Young person's situation",
    type=AnswerType.ONE,
    choices=tuple(Choice(s.value, CARE_STATUS_LABELS[s]) for s in CareStatus),
    required="Select the young person's situation",
    fills=(to("care_status", member_of(CareStatus)),),
)
HELP_WITH = Question(
    "help_with",
    "What do they need help with?",
    staff_label="Help needed with",
    type=AnswerType.MANY,
    hint="Select all that apply.",
    choice_list="advocacy_help",
    required="Select what they need help with",
    fills=(to("help_with", labels_from("advocacy_help")),),
)
HELP_DETAILS = Question(
    "help_details",
    "Tell us more (optional)",
    staff_label="More about the help needed",
    type=AnswerType.LONG_TEXT,
    hint="For example, the date and purpose of a meeting.",
    fills=(to("help_details"), to("what_happened")),
)
NEEDED_BY = Question(
    "needed_by",
    "Is there a date the help is needed by? (optional)",
    staff_label="Help needed by",
    type=AnswerType.DATE,
    hint="For example, the date of a meeting or review, like 27 3 2027.",
    error_name="The date",
    checks=(not_before_today("The date must be today or later"),),
    fills=(to("needed_by"),),
)
SAFE_CONTACT = Question(
    "safe_contact_notes",
    "How can the advocate get in touch with the young person safely?",
    staff_label="How to get in touch with the young person safely",
    type=AnswerType.LONG_TEXT,
    hint="For example, the best times, who to go through, and anyone they should not speak to.",
    required="Enter how the advocate can get in touch safely",
    variants=(
        reworded(
            _for_self,
            label="How can the advocate get in touch with you safely? (optional)",
            hint="For example, the best times to call, and anyone we should not speak to.",
            required=None,
        ),
    ),
    fills=(to("safe_contact_notes"),),
)

# ---------------------------------------------------------------------------------------------------------
# Steps shared by the journeys

WHO_YOU_ARE = (PERSON_TYPE, RELATIONSHIP)
DETAILS = (
    Step("your-details", (FULL_NAME, EMAIL, PHONE, ADDRESS), title="Your details"),
    Step("contact-preferences", (CONTACT_METHODS, OK_TO_LEAVE_MESSAGE), when=gave("email", "phone", "address")),
)


def _child_knows(answers: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    return values.get("child_knows") or "too_young"  # not asked: the child is under the consent age


def _on_behalf_unless_for_self(answers: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    return None if values.get("for_self") else "on_behalf"


def _agrees(answers: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    return "yes" if values.get("for_self") else values.get("young_person_agrees")


def _person_type(answers: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    return PersonType.CHILD_OR_YOUNG_PERSON if values.get("for_self") else values.get("person_type")


def _young_person_name(answers: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    return values.get("full_name") if values.get("for_self") else values.get("child_name")


# ---------------------------------------------------------------------------------------------------------
# Journeys

COMPLAINT = Journey(
    "adult/complaint",
    Audience.ADULT,
    SubmissionKind.COMPLAINT,
    "Make a complaint",
    (
        Step("who-you-are", WHO_YOU_ARE),
        Step("child", (CHILD_NAME, CHILD_DATE_OF_BIRTH), title="About the child or young person"),
        Step("parental-responsibility", (PARENTAL_RESPONSIBILITY,)),
        Step("child-agrees", (CHILD_KNOWS, CHILD_CONSENT_NOTE), when=_child_old_enough),
        Step("service", (SERVICE, WORKER)),
        Step("what-happened", (WHAT_HAPPENED,)),
        Step("when", (WHEN, HAPPENED_WHEN)),
        Step("time-limit", (LATE_REASON,), when=_late, title="We can still look at this"),
        Step("court", (COURT,)),
        Step("outcome", (OUTCOME_SOUGHT, OUTCOME_WANTED)),
        Step("needs", (NEEDS, INTERPRETER_LANGUAGE)),
        *DETAILS,
    ),
    facts=(always("acting_capacity", "on_behalf"), Fact("child_knows", _child_knows)),
)

COMPLIMENT = Journey(
    "adult/compliment",
    Audience.ADULT,
    SubmissionKind.COMPLIMENT,
    "Give a compliment",
    (
        Step("who", (THANK_WHO, THANK_TEAM)),
        Step("what-they-did", (WHAT_THEY_DID,)),
        Step("pass-on", (PASS_ON,)),
        Step("share", (SHARE,)),
        Step("about-you", (COMPLIMENT_SOURCE,)),
        Step(
            "your-details",
            (FULL_NAME_OPTIONAL, EMAIL_FOR_A_REPLY, PHONE, ADDRESS),
            title="Your details (optional)",
        ),
    ),
)

ADVOCACY = Journey(
    "adult/advocacy",
    Audience.ADULT,
    SubmissionKind.ADVOCACY,
    "Ask for an advocate",
    (
        Step("for-whom", (FOR_WHOM,)),
        Step("agreement", (AGREEMENT,), when=_referral),
        Step(
            "young-person",
            (YOUNG_PERSON_NAME, YOUNG_PERSON_AGE),
            title="About the young person",
            variants=(reworded(_for_self, title=None),),
        ),
        Step("situation", (SITUATION,)),
        Step("help-with", (HELP_WITH, HELP_DETAILS)),
        Step("needed-by", (NEEDED_BY,)),
        Step("who-you-are", WHO_YOU_ARE, when=_referral),
        Step("safe-contact", (SAFE_CONTACT,)),
        *DETAILS,
    ),
    facts=(
        always("wants_advocate", True),
        Fact("acting_capacity", _on_behalf_unless_for_self),
        Fact("young_person_agrees", _agrees),
        Fact("person_type", _person_type),
        Fact("child_name", _young_person_name),
    ),
)
