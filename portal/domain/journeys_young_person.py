"""The young person's three journeys, question by question (see ``questions.py`` for what a question holds).

The words are written for a reading age of about 9 to 10 (``tests/integration/test_public_reading_age.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.domain.enums import Audience, CareStatus, PersonType, SubmissionKind
from portal.domain.questions import (
    NO_CONTACT,
    AnswerType,
    Choice,
    Fact,
    FillContext,
    Journey,
    Question,
    Step,
    always,
    between,
    chose,
    chose_other_than,
    chosen_except,
    labels_from,
    member_of,
    not_before_today,
    only_on_its_own,
    to,
    yes_no,
)

# ---------------------------------------------------------------------------------------------------------
# What a young person's complaint is about -> the council's THEME list

YOUNG_PERSON_TOPICS: dict[str, str] = {
    "social_worker": "My social worker",
    "where_i_live": "Where I live",
    "family": "Seeing my family",
    "money": "Money",
    "listened": "Being listened to",
    "something_else": "Something else",
}

# Default THEME labels (portal.domain.procedures.DEFAULT_CATEGORIES) each simple choice is recorded under.
# Councils may rename themes: a label that no longer exists falls back to "Other", and triage can change themes.
TOPIC_THEMES: dict[str, tuple[str, ...]] = {
    "social_worker": ("Staff conduct or attitude",),
    "where_i_live": ("Placement (where the child lives)",),
    "family": ("Family time or contact",),
    "money": ("Money, allowances or funding",),
    "listened": ("Being listened to",),
    "something_else": ("Other",),
}
FALLBACK_THEME = "Other"


def theme_labels_for_topics(topics: list[str] | tuple[str, ...]) -> list[str]:
    labels: list[str] = []
    for topic in topics:
        for label in TOPIC_THEMES.get(topic, (FALLBACK_THEME,)):
            if label not in labels:
                labels.append(label)
    return labels


def _themes(value: Any, ctx: FillContext) -> list[str]:
    return theme_labels_for_topics(value or [])


def _topic_words(value: Any, ctx: FillContext) -> str | None:
    return ", ".join(YOUNG_PERSON_TOPICS.get(topic, topic) for topic in value or []) or None


# ---------------------------------------------------------------------------------------------------------
# Questions

YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))

ABOUT = Question(
    "about",
    "What is it about?",
    staff_label="What it is about",
    type=AnswerType.MANY,
    hint="Pick all that fit. You can tell us more next.",
    choices=tuple(Choice(value, label) for value, label in YOUNG_PERSON_TOPICS.items()),
    required="Pick what it is about",
    fills=(to("theme_labels", _themes), to("about_text", _topic_words)),
)
WHAT_HAPPENED = Question(
    "what_happened",
    "What happened?",
    staff_label="What happened",
    type=AnswerType.LONG_TEXT,
    hint="Use your own words. Write as much or as little as you like.",
    required="Tell us what happened",
    fills=(to("what_happened"),),
)
MAKE_IT_BETTER = Question(
    "outcome_wanted",
    "What would make it better?",
    staff_label="What would make it better",
    type=AnswerType.LONG_TEXT,
    hint="You can leave this empty if you are not sure.",
    fills=(to("outcome_wanted"),),
)
SAFE = Question(
    "safe",
    "Do you feel safe right now?",
    staff_label="Feels safe right now",
    type=AnswerType.ONE,
    hint="If you tell us you do not feel safe, we will read your message today.",
    choices=(
        Choice("yes", "Yes, I feel safe"),
        Choice("no", "No, I do not feel safe"),
        Choice("not_sure", "I am not sure"),
    ),
    required="Pick if you feel safe",
    fills=(to("safe_answer"),),
)
NAME = Question(
    "full_name",
    "What is your name?",
    staff_label="Name",
    hint="You can use the name people call you.",
    required="Tell us your name",
    max_length=200,
    autocomplete="name",
    fills=(to("full_name"),),
)
NAME_OPTIONAL = Question(
    "full_name",
    "What is your name?",
    staff_label="Name",
    hint="You do not have to tell us. You can leave this empty.",
    max_length=200,
    autocomplete="name",
    fills=(to("full_name"),),
)
CONTACT_METHODS = Question(
    "contact_methods",
    "How can we get in touch with you safely?",
    staff_label="Safe ways to get in touch",
    type=AnswerType.MANY,
    hint="Pick all that are safe.",
    choices=(
        Choice("phone", "Phone call"),
        Choice("text", "Text message"),
        Choice("email", "Email"),
        Choice("carer", "Through my carer"),
        Choice("advocate", "Through my advocate"),
        Choice("social_worker", "Through my social worker"),
        Choice(NO_CONTACT, "Please do not get in touch with me"),
    ),
    required="Pick how we can get in touch with you",
    checks=(only_on_its_own(NO_CONTACT, "Pick ways to get in touch, or pick 'Please do not get in touch with me'"),),
    fills=(to("contact_methods", chosen_except(NO_CONTACT)),),
)
# A young person's number or email is only asked for, and used, when they chose a direct way to contact them.
PHONE = Question(
    "phone",
    "Your phone number",
    staff_label="Phone",
    type=AnswerType.PHONE,
    required="Tell us your phone number",
    invalid="Enter a phone number, like 07700 900 982 or +44 7700 900 982",
    max_length=40,
    when=chose("contact_methods", "phone", "text"),
    fills=(to("phone"),),
)
EMAIL = Question(
    "email",
    "Your email address",
    staff_label="Email",
    type=AnswerType.EMAIL,
    required="Tell us your email address",
    invalid="Write your email address like name@example.com",
    max_length=254,
    when=chose("contact_methods", "email"),
    fills=(to("email"),),
)
OK_TO_LEAVE_MESSAGE = Question(
    "ok_to_leave_message",
    "Is it OK to leave a message?",
    staff_label="OK to leave a message",
    type=AnswerType.ONE,
    choices=YES_NO,
    required="Pick yes if we can leave a message",
    when=chose("contact_methods", "phone", "text"),
    fills=(to("ok_to_leave_message"),),
)
SAFE_TIME = Question(
    "safe_contact_notes",
    "When is a safe time to get in touch? (optional)",
    staff_label="Safe times to get in touch, and anyone not to talk to",
    type=AnswerType.LONG_TEXT,
    hint="For example, after school. Tell us if there is anyone we should not talk to.",
    fills=(to("safe_contact_notes"),),
)
WANTS_ADVOCATE = Question(
    "wants_advocate",
    "Would you like an advocate?",
    staff_label="Would like an advocate",
    type=AnswerType.ONE,
    choices=(Choice("yes", "Yes, please"), Choice("no", "No, thank you"), Choice("not_sure", "I am not sure yet")),
    required="Pick if you would like an advocate",
    fills=(to("wants_advocate", yes_no),),
)
THANK_WHO = Question(
    "staff_named",
    "Who do you want to thank?",
    staff_label="Who they want to thank",
    hint="Write their name, or the name of their team.",
    required="Tell us who you want to thank",
    max_length=300,
    fills=(to("staff_named"),),
)
WHAT_THEY_DID = Question(
    "words",
    "What did they do?",
    staff_label="What they did",
    type=AnswerType.LONG_TEXT,
    hint="Tell us what they did that helped you.",
    required="Tell us what they did",
    fills=(to("compliment_words"), to("what_happened")),
)
PASS_ON = Question(
    "consent_pass_on",
    "Can we tell them what you said?",
    staff_label="Can we pass on their words",
    type=AnswerType.ONE,
    choices=YES_NO,
    required="Pick yes if we can tell them",
    fills=(to("consent_pass_on", yes_no),),
)
SHARE = Question(
    "consent_anonymous_use",
    "Can we share your words without your name?",
    staff_label="Can we share their words without their name",
    type=AnswerType.ONE,
    hint="We may use them to show others what good help looks like. We will not say who you are.",
    choices=YES_NO,
    required="Pick yes if we can share your words",
    fills=(to("consent_anonymous_use", yes_no),),
)
HELP_WITH = Question(
    "help_with",
    "What do you want help with?",
    staff_label="Help wanted with",
    type=AnswerType.MANY,
    hint="Pick all that fit.",
    choice_list="advocacy_help",
    required="Pick what you want help with",
    fills=(to("help_with", labels_from("advocacy_help")),),
)
HELP_DETAILS = Question(
    "help_details",
    "Tell us more (optional)",
    staff_label="More about the help wanted",
    type=AnswerType.LONG_TEXT,
    hint="For example, what the meeting is about.",
    fills=(to("help_details"), to("what_happened")),
)
AGE = Question(
    "young_person_age",
    "How old are you?",
    staff_label="Age",
    type=AnswerType.NUMBER,
    required="Tell us how old you are",
    invalid="Write your age as a number, like 14",
    max_length=3,
    checks=(between(4, 25, "Age must be between 4 and 25"),),
    fills=(to("young_person_age"),),
)
SITUATION = Question(
    "situation",
    "Which of these is true for you?",
    staff_label="Their situation",
    type=AnswerType.ONE,
    choices=(
        Choice(CareStatus.CHILD_IN_CARE.value, "I live in care"),
        Choice(CareStatus.LEAVING_CARE.value, "I am getting ready to leave care"),
        Choice(CareStatus.CARE_LEAVER.value, "I have left care"),
        Choice(CareStatus.CHILD_PROTECTION.value, "I have a child protection plan"),
        Choice(CareStatus.CHILD_IN_NEED.value, "I have a social worker"),
        Choice(CareStatus.OTHER.value, "None of these, or I am not sure"),
    ),
    required="Pick the one that is true for you",
    fills=(to("care_status", member_of(CareStatus)),),
)
NEEDED_BY = Question(
    "needed_by",
    "Is there a day you need help by?",
    staff_label="Help needed by",
    type=AnswerType.DATE,
    hint="For example, the day of a meeting, like 27 3 2027. Leave it empty if there is no date.",
    error_name="The date",
    checks=(not_before_today("The date must be today or later"),),
    fills=(to("needed_by"),),
)

# ---------------------------------------------------------------------------------------------------------
# Steps shared by the three journeys

CONTACT = (
    Step("contact", (CONTACT_METHODS,)),
    Step(
        "contact-details",
        (PHONE, EMAIL, OK_TO_LEAVE_MESSAGE, SAFE_TIME),
        when=chose_other_than("contact_methods", NO_CONTACT),
        title="How to reach you",
    ),
)
SAFETY = (
    Step("safe", (SAFE,)),
    Step("unsafe", when=chose("safe", "no", "not_sure"), title="We will read this today"),
)
YOUNG_PERSON = (
    always("person_type", PersonType.CHILD_OR_YOUNG_PERSON),
    always("acting_capacity", "own_right"),
)


def _own_name(answers: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    return values.get("full_name")


# ---------------------------------------------------------------------------------------------------------
# Journeys

COMPLAINT = Journey(
    "young-person/complaint",
    Audience.YOUNG_PERSON,
    SubmissionKind.COMPLAINT,
    "Tell us something is wrong",
    (
        Step("about", (ABOUT,)),
        Step("what-happened", (WHAT_HAPPENED,)),
        Step("make-it-better", (MAKE_IT_BETTER,)),
        *SAFETY,
        Step("name", (NAME,)),
        *CONTACT,
        Step("advocate", (WANTS_ADVOCATE,)),
    ),
    facts=YOUNG_PERSON,
)

COMPLIMENT = Journey(
    "young-person/compliment",
    Audience.YOUNG_PERSON,
    SubmissionKind.COMPLIMENT,
    "Say thank you",
    (
        Step("who", (THANK_WHO,)),
        Step("what-they-did", (WHAT_THEY_DID,)),
        Step("pass-on", (PASS_ON,)),
        Step("share", (SHARE,)),
        Step("name", (NAME_OPTIONAL,)),
        *CONTACT,
    ),
    facts=YOUNG_PERSON,
)

ADVOCACY = Journey(
    "young-person/advocacy",
    Audience.YOUNG_PERSON,
    SubmissionKind.ADVOCACY,
    "Get someone to help you speak up",
    (
        Step("help-with", (HELP_WITH, HELP_DETAILS)),
        Step("age", (AGE,)),
        Step("situation", (SITUATION,)),
        Step("needed-by", (NEEDED_BY,)),
        *SAFETY,
        Step("name", (NAME,)),
        *CONTACT,
    ),
    facts=(
        *YOUNG_PERSON,
        always("for_self", True),
        always("young_person_agrees", "yes"),
        always("wants_advocate", True),
        Fact("child_name", _own_name),
    ),
)
