"""The journeys' question definitions: each is complete, and the answers fill a new submission as defined."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest

from portal.domain.enums import Audience, CareStatus, PersonType, SubmissionKind
from portal.domain.journeys import JOURNEYS, JourneyContext, choice_words, recorded_answers
from portal.domain.questions import CHOICE_TYPES, COMPLETED, AnswerType, Journey
from portal.services.submissions import NewSubmission

CTX = JourneyContext(today=date(2026, 11, 18))
SUBMISSION_FIELDS = {f.name for f in fields(NewSubmission)}
LISTS = {"teams": {"7": "Family Support"}, "advocacy_help": {"3": "A meeting or review"}}


def list_labels(choice_list, values):
    return {v: LISTS.get(choice_list, {})[v] for v in values if v in LISTS.get(choice_list, {})}


def every(journey: Journey, answers: dict) -> dict:
    return {**answers, COMPLETED: [s.key for s in journey.steps]}


@pytest.mark.parametrize("journey", JOURNEYS.values(), ids=lambda j: j.key)
def test_every_question_is_complete(journey):
    names = [q.name for q in journey.questions()]
    assert len(names) == len(set(names)), "a question name is asked twice in one journey"
    for question in journey.questions():
        assert question.label and question.staff_label, question.name
        assert (question.type in CHOICE_TYPES) == bool(question.choices or question.choice_list), question.name
        if question.type in (AnswerType.EMAIL, AnswerType.PHONE, AnswerType.NUMBER):
            assert question.invalid, f"{question.name} needs a message for an answer in the wrong form"
        for variant in question.variants:
            replace(question, **dict(variant.changes))  # every change names a field of the question
        for fill in question.fills:
            assert fill.target in SUBMISSION_FIELDS, f"{question.name} fills unknown field {fill.target}"
    for fact in journey.facts:
        assert fact.target in SUBMISSION_FIELDS, fact.target
    for step in journey.steps:
        for variant in step.variants:
            replace(step, **dict(variant.changes))


def test_a_young_persons_number_is_not_used_once_they_choose_another_way():
    journey = JOURNEYS["young-person/complaint"]
    answers = every(
        journey,
        {"safe": "yes", "contact_methods": ["advocate"], "phone": "07700 900123", "ok_to_leave_message": "yes"},
    )
    values = journey.submission_values(answers, CTX, list_labels)
    assert values.get("phone") is None and values.get("ok_to_leave_message") is None
    assert "phone" not in values["answers"] and "ok_to_leave_message" not in values["answers"]
    assert values["contact_methods"] == ["advocate"]


def test_asking_for_an_advocate_for_yourself():
    journey = JOURNEYS["adult/advocacy"]
    answers = every(
        journey,
        {
            "for_whom": "me",
            "young_person_agrees": "no",  # answered before changing to "me": no longer applies
            "child_name": "Someone Else",
            "young_person_age": 17,
            "situation": "care_leaver",
            "help_with": ["3"],
            "help_details": "",
            "full_name": "Riley",
            "safe_contact_notes": "",
        },
    )
    values = journey.submission_values(answers, CTX, list_labels)
    assert values["for_self"] is True and values["young_person_agrees"] == "yes"
    assert values["child_name"] == "Riley" and values["person_type"] == PersonType.CHILD_OR_YOUNG_PERSON
    assert values["acting_capacity"] is None and values["wants_advocate"] is True
    assert values["care_status"] == CareStatus.CARE_LEAVER and values["help_with"] == ["A meeting or review"]
    step = journey.step("young-person")
    assert step is not None and step.worded(answers, CTX).title is None
    assert [q.label for q in step.asked(answers, CTX)] == ["How old are you?"]


def test_adult_complaint_fills_the_submission():
    journey = JOURNEYS["adult/complaint"]
    answers = every(
        journey,
        {
            "person_type": "parent",
            "child_name": "Alex",
            "child_date_of_birth": "2020-01-01",  # under the consent age: not asked whether they agree
            "child_knows": "yes",
            "team_id": "7",
            "grounds_arose_on": "2026-10-01",
            "outcome_sought": ["4", "5"],
            "needs": ["interpreter", "large_print"],
            "interpreter_language": "Polish",
            "full_name": "Sam",
        },
    )
    values = journey.submission_values(answers, CTX, list_labels)
    assert values["child_knows"] == "too_young" and "child_knows" not in values["answers"]
    assert values["team_id"] == 7 and values["outcome_sought_ids"] == [4, 5]
    assert values["grounds_arose_on"] == date(2026, 10, 1) and values["person_type"] == PersonType.PARENT
    assert values["needs"] == {"interpreter": True, "large_print": True, "interpreter_language": "Polish"}
    assert values["acting_capacity"] == "on_behalf"


def test_answers_given_are_typed_and_worded():
    journey = JOURNEYS["adult/compliment"]
    answers = every(journey, {"staff_named": "Priya", "team_id": "7", "consent_pass_on": "yes", "full_name": ""})
    given = {a.question.name: a for a in journey.answers_given(answers, CTX, list_labels)}
    assert given["team_id"].value.label == "Family Support"
    assert given["consent_pass_on"].value.label == "Yes"
    assert given["full_name"].value is None and given["full_name"].question.asked == "Full name"


def test_what_a_young_persons_complaint_is_about_is_kept_in_their_words():
    journey = JOURNEYS["young-person/complaint"]
    values = journey.submission_values(every(journey, {"about": ["where_i_live", "listened"]}), CTX, list_labels)
    assert values["about_text"] == "Where I live, Being listened to"
    assert values["theme_labels"] == ["Placement (where the child lives)", "Being listened to"]


def test_the_record_keeps_the_words_of_council_list_choices_and_reads_back_in_order():
    journey = JOURNEYS["adult/compliment"]
    answers = every(journey, {"staff_named": "Dee", "team_id": "7", "words": "Kind.", "consent_pass_on": "no"})
    stored = journey.submission_values(answers, CTX, list_labels)["answers"]
    assert stored["_labels"] == {"teams": {"7": "Family Support"}} and stored["_journey"] == "adult/compliment"
    recorded = recorded_answers({**stored, "_labels": {"teams": {"7": "Family Support (renamed later)"}}})
    assert [a.question.name for a in recorded] == ["staff_named", "team_id", "words", "consent_pass_on"]
    assert recorded[1].value.label == "Family Support (renamed later)"
    assert recorded[3].value.staff_label == "No"
    assert recorded_answers(None) == [] and recorded_answers({"what_happened": "typed by staff"}) == []
    # a record made before the journey was written into it: the journey of its audience and kind
    older = {"staff_named": "Dee", "consent_pass_on": "yes"}
    assert [a.question.name for a in recorded_answers(older, Audience.ADULT, SubmissionKind.COMPLIMENT)] == [
        "staff_named",
        "consent_pass_on",
    ]


def test_stored_codes_read_in_the_words_of_every_journey_that_asks():
    words = choice_words("contact_methods")
    assert words["carer"] == "Through my carer" and words["letter"] == "Letter"
    assert choice_words("court_proceedings")["not_sure"] == "I'm not sure"
