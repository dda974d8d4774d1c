"""The journeys' pure rules: step order and conditions, the time limit, ages, and the safety keyword rule."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.journeys import (
    ADULT_ADVOCACY,
    ADULT_COMPLAINT,
    COMPLETED,
    YOUNG_PERSON_COMPLAINT,
    JourneyContext,
    add_months,
    child_age,
    is_out_of_time,
    theme_labels_for_topics,
)
from portal.domain.safety import assess_safety, risk_phrases_in

CTX = JourneyContext(today=date(2026, 11, 18), consent_age=12, out_of_time_months=12)


def keys(steps):
    return [s.key for s in steps]


def test_consent_question_only_for_children_of_the_consent_age():
    older = {"child_date_of_birth": "2014-11-18"}
    younger = {"child_date_of_birth": "2014-11-19"}
    assert "child-agrees" in keys(ADULT_COMPLAINT.visible_steps(older, CTX))
    assert "child-agrees" not in keys(ADULT_COMPLAINT.visible_steps(younger, CTX))
    assert "child-agrees" in keys(ADULT_COMPLAINT.visible_steps(younger, JourneyContext(CTX.today, consent_age=11)))


def test_time_limit_page_follows_the_configured_months():
    answers = {"grounds_arose_on": "2025-11-17"}
    assert "time-limit" in keys(ADULT_COMPLAINT.visible_steps(answers, CTX))
    assert "time-limit" not in keys(
        ADULT_COMPLAINT.visible_steps(answers, JourneyContext(CTX.today, out_of_time_months=13))
    )


def test_unsafe_page_for_no_and_not_sure():
    for answer, shown in (("yes", False), ("no", True), ("not_sure", True)):
        assert ("unsafe" in keys(YOUNG_PERSON_COMPLAINT.visible_steps({"safe": answer}, CTX))) is shown


def test_contact_details_skipped_when_they_do_not_want_contact():
    assert "contact-details" not in keys(YOUNG_PERSON_COMPLAINT.visible_steps({"contact_methods": ["none"]}, CTX))
    assert "contact-details" in keys(YOUNG_PERSON_COMPLAINT.visible_steps({"contact_methods": ["carer"]}, CTX))


def test_referral_questions_only_for_referrals():
    assert "agreement" in keys(ADULT_ADVOCACY.visible_steps({"for_whom": "someone_else"}, CTX))
    assert "agreement" not in keys(ADULT_ADVOCACY.visible_steps({"for_whom": "me"}, CTX))


def test_next_previous_and_resume():
    answers = {COMPLETED: ["about", "what-happened"], "safe": "yes"}
    assert YOUNG_PERSON_COMPLAINT.next_step("make-it-better", answers, CTX).key == "safe"
    assert YOUNG_PERSON_COMPLAINT.next_step("safe", answers, CTX).key == "name"  # unsafe page skipped
    assert YOUNG_PERSON_COMPLAINT.previous_step("what-happened", answers, CTX).key == "about"
    assert YOUNG_PERSON_COMPLAINT.first_incomplete(answers, CTX).key == "make-it-better"
    assert YOUNG_PERSON_COMPLAINT.next_step("advocate", answers, CTX) is None


def test_after_a_change_a_newly_relevant_question_comes_first():
    done = [s.key for s in YOUNG_PERSON_COMPLAINT.steps if s.key != "unsafe"]
    answers = {COMPLETED: done, "safe": "no", "contact_methods": ["phone"]}
    assert YOUNG_PERSON_COMPLAINT.next_after_change("safe", answers, CTX).key == "unsafe"
    answers["safe"] = "yes"
    assert YOUNG_PERSON_COMPLAINT.next_after_change("safe", answers, CTX) is None
    assert YOUNG_PERSON_COMPLAINT.is_complete(answers, CTX)


def test_hidden_steps_answers_are_dropped():
    answers = {"safe": "yes", "contact_methods": ["none"], "phone": "07700900123", "full_name": "Jo"}
    kept = YOUNG_PERSON_COMPLAINT.visible_answers(answers, CTX)
    assert "phone" not in kept and kept["full_name"] == "Jo"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 18), 12, date(2026, 11, 18)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_out_of_time_is_strictly_after_the_limit():
    assert not is_out_of_time(date(2025, 11, 18), date(2026, 11, 18), 12)
    assert is_out_of_time(date(2025, 11, 17), date(2026, 11, 18), 12)
    assert not is_out_of_time(None, date(2026, 11, 18), 12)


def test_child_age():
    assert child_age(date(2014, 11, 18), date(2026, 11, 18)) == 12
    assert child_age(date(2014, 11, 19), date(2026, 11, 18)) == 11
    assert child_age(None, date(2026, 11, 18)) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("He HITS me when he is angry", ["hits me"]),
        ("I want to self-harm", ["self harm"]),
        ("I feel unsafe at home and want to run away", ["unsafe", "run away"]),
        ("My social worker never calls back", []),
        ("The staff were abusive", []),  # whole words only: 'abusive' is not on the list
        ("my dad's a habit-hitter", []),
    ],
)
def test_risk_phrases(text, found):
    assert risk_phrases_in(text) == found


def test_assess_safety():
    a = assess_safety(safe_answer="no", texts=("fine",))
    assert a.feels_unsafe and a.flag and a.reason == "Said they do not feel safe"
    b = assess_safety(safe_answer="not_sure", texts=(None, "he hit me"))
    assert not b.feels_unsafe and b.flag and "not sure" in b.reason and "hit me" in b.reason
    c = assess_safety(safe_answer="yes", texts=("all good",))
    assert not c.flag and c.reason is None
    long_text = " ".join(["suicide", "knife", "weapon", "rape", "abuse"] * 3)
    assert len(assess_safety(safe_answer="no", texts=(long_text,)).reason) <= 300


def test_topics_map_to_themes():
    assert theme_labels_for_topics(["where_i_live", "something_else", "where_i_live"]) == [
        "Placement (where the child lives)",
        "Other",
    ]
