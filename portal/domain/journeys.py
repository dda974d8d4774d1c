"""The public journeys: which exist, and how to find one. Pure Python: no Flask, no database, no clock.

A journey is an ordered list of steps (one question a page, mostly). A step, a question or a choice may apply only
when earlier answers make it relevant (for example "Does the child know and agree?" only for a child aged
CONSENT_AGE or over). Answers are a plain dict keyed by question name, as kept in the server-side draft; the keys
of completed steps are listed under ``COMPLETED``.

- ``questions.py``: the building blocks (Question, Choice, Step, Journey) and how answers fill a submission.
- ``journeys_young_person.py`` and ``journeys_adult.py``: the six journeys, question by question. Adding a
  question is a change there (plus any page text around it in ``templates/public/journey/intro/``).
- ``safety.py``: the rule that flags a submission for same-day attention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.domain import journeys_adult, journeys_young_person
from portal.domain.enums import Audience, SubmissionKind
from portal.domain.journeys_adult import add_months, child_age, is_out_of_time
from portal.domain.journeys_young_person import (
    FALLBACK_THEME,
    TOPIC_THEMES,
    YOUNG_PERSON_TOPICS,
    theme_labels_for_topics,
)
from portal.domain.questions import (
    COMPLETED,
    CONTACT_DIRECT,
    JOURNEY,
    NO_CONTACT,
    Answer,
    Journey,
    JourneyContext,
    Step,
)

__all__ = [
    "ADULT_ADVOCACY",
    "ADULT_COMPLAINT",
    "ADULT_COMPLIMENT",
    "COMPLETED",
    "CONTACT_DIRECT",
    "FALLBACK_THEME",
    "JOURNEYS",
    "NO_CONTACT",
    "TOPIC_THEMES",
    "YOUNG_PERSON_ADVOCACY",
    "YOUNG_PERSON_COMPLAINT",
    "YOUNG_PERSON_COMPLIMENT",
    "YOUNG_PERSON_TOPICS",
    "Journey",
    "JourneyContext",
    "Step",
    "add_months",
    "child_age",
    "choice_words",
    "is_out_of_time",
    "journey_asked",
    "journey_for",
    "recorded_answers",
    "theme_labels_for_topics",
]

YOUNG_PERSON_COMPLAINT = journeys_young_person.COMPLAINT
YOUNG_PERSON_COMPLIMENT = journeys_young_person.COMPLIMENT
YOUNG_PERSON_ADVOCACY = journeys_young_person.ADVOCACY
ADULT_COMPLAINT = journeys_adult.COMPLAINT
ADULT_COMPLIMENT = journeys_adult.COMPLIMENT
ADULT_ADVOCACY = journeys_adult.ADVOCACY

JOURNEYS: dict[str, Journey] = {
    j.key: j
    for j in (
        YOUNG_PERSON_COMPLAINT,
        YOUNG_PERSON_COMPLIMENT,
        YOUNG_PERSON_ADVOCACY,
        ADULT_COMPLAINT,
        ADULT_COMPLIMENT,
        ADULT_ADVOCACY,
    )
}


def journey_for(key: str) -> Journey | None:
    return JOURNEYS.get(key)


def choice_words(question_name: str) -> dict[str, str]:
    """{stored value: the words staff read} for a question, from every journey that asks it (e.g. the ways to get
    in touch of the young person's and the adult journeys together)."""
    return {
        choice.value: choice.staff_label
        for journey in JOURNEYS.values()
        for question in journey.questions()
        if question.name == question_name
        for choice in question.choices
    }


def journey_asked(audience: Audience | None, kind: SubmissionKind) -> Journey | None:
    """The journey through which a submission of this audience and kind comes in."""
    return next((j for j in JOURNEYS.values() if j.audience == audience and j.kind == kind), None)


def recorded_answers(
    stored: Mapping[str, Any] | None, audience: Audience | None = None, kind: SubmissionKind | None = None
) -> list[Answer]:
    """Every answer a submission's record holds (``Submission.answers``), question by question, in the order of
    the journey that asked them (as the record says, else the journey of its audience and kind); empty for a contact
    staff recorded by hand or imported."""
    if not stored:
        return []
    journey = JOURNEYS.get(str(stored.get(JOURNEY))) or (journey_asked(audience, kind) if kind else None)
    return journey.recorded_answers(stored) if journey is not None else []
