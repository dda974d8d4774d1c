"""The public journeys as data, and the small rules they need. Pure Python: no Flask, no database, no clock.

A journey is an ordered list of steps (one question a page). A step may be shown only when earlier answers
make it relevant (for example "Does the child know and agree?" only for a child aged CONSENT_AGE or over).
Answers are a plain dict keyed by field name, as kept in the server-side draft; the keys of completed steps are
listed under ``COMPLETED``. The web layer owns the forms and the wording; this module owns the order, the
conditions, and the rules that turn answers into flags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.domain.enums import Audience, SubmissionKind

COMPLETED = "_completed"


@dataclass(frozen=True)
class JourneyContext:
    """What the step conditions need besides the answers."""

    today: date
    consent_age: int = 12
    out_of_time_months: int = 12


Condition = Callable[[Mapping[str, Any], JourneyContext], bool]


@dataclass(frozen=True)
class Step:
    key: str
    fields: tuple[str, ...]
    when: Condition | None = None

    def visible(self, answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
        return self.when is None or self.when(answers, ctx)


@dataclass(frozen=True)
class Journey:
    key: str  # also the URL: /<audience slug>/<kind>
    audience: Audience
    kind: SubmissionKind
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def visible_steps(self, answers: Mapping[str, Any], ctx: JourneyContext) -> list[Step]:
        return [s for s in self.steps if s.visible(answers, ctx)]

    def first_incomplete(self, answers: Mapping[str, Any], ctx: JourneyContext) -> Step | None:
        done = set(answers.get(COMPLETED, ()))
        return next((s for s in self.visible_steps(answers, ctx) if s.key not in done), None)

    def next_step(self, current: str, answers: Mapping[str, Any], ctx: JourneyContext) -> Step | None:
        """The visible step after ``current``; None means the journey goes to "check your answers"."""
        visible = self.visible_steps(answers, ctx)
        keys = [s.key for s in visible]
        if current not in keys:
            return self.first_incomplete(answers, ctx)
        index = keys.index(current)
        return visible[index + 1] if index + 1 < len(visible) else None

    def previous_step(self, current: str, answers: Mapping[str, Any], ctx: JourneyContext) -> Step | None:
        visible = self.visible_steps(answers, ctx)
        keys = [s.key for s in visible]
        if current not in keys:
            return None
        index = keys.index(current)
        return visible[index - 1] if index > 0 else None

    def next_after_change(self, current: str, answers: Mapping[str, Any], ctx: JourneyContext) -> Step | None:
        """After changing an answer from "check your answers": a newly relevant unanswered step, or None (go back)."""
        return self.first_incomplete(answers, ctx)

    def is_complete(self, answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
        return self.first_incomplete(answers, ctx) is None

    def visible_answers(self, answers: Mapping[str, Any], ctx: JourneyContext) -> dict[str, Any]:
        """Only the answers of steps that still apply (a changed answer can hide a later step)."""
        keep: dict[str, Any] = {}
        for step in self.visible_steps(answers, ctx):
            for name in step.fields:
                if name in answers:
                    keep[name] = answers[name]
        return keep


# ---------------------------------------------------------------------------------------------------------
# Conditions


def _has(name: str, *values: str) -> Condition:
    def check(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
        value = answers.get(name)
        if isinstance(value, list | tuple):
            return any(v in values for v in value)
        return value in values

    return check


def _not_only(name: str, value: str) -> Condition:
    def check(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
        chosen = answers.get(name) or []
        return bool(chosen) and list(chosen) != [value]

    return check


def child_age(date_of_birth: date | None, today: date) -> int | None:
    if date_of_birth is None:
        return None
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def _iso_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _child_old_enough(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
    age = child_age(_iso_date(answers.get("child_date_of_birth")), ctx.today)
    return age is not None and age >= ctx.consent_age


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


def _late(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
    return is_out_of_time(_iso_date(answers.get("grounds_arose_on")), ctx.today, ctx.out_of_time_months)


def _gave_contact_details(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
    return any(answers.get(name) for name in ("email", "phone", "address"))


def _referral(answers: Mapping[str, Any], ctx: JourneyContext) -> bool:
    return answers.get("for_whom") == "someone_else"


# ---------------------------------------------------------------------------------------------------------
# Shared steps

CONTACT_DIRECT = ("phone", "text", "email")
NO_CONTACT = "none"

_YP_CONTACT = (
    Step("contact", ("contact_methods",)),
    Step(
        "contact-details",
        ("phone", "email", "ok_to_leave_message", "safe_contact_notes"),
        when=_not_only("contact_methods", NO_CONTACT),
    ),
)
_YP_SAFE = (
    Step("safe", ("safe",)),
    Step("unsafe", (), when=_has("safe", "no", "not_sure")),
)

YOUNG_PERSON_COMPLAINT = Journey(
    "young-person/complaint",
    Audience.YOUNG_PERSON,
    SubmissionKind.COMPLAINT,
    (
        Step("about", ("about",)),
        Step("what-happened", ("what_happened",)),
        Step("make-it-better", ("outcome_wanted",)),
        *_YP_SAFE,
        Step("name", ("full_name",)),
        *_YP_CONTACT,
        Step("advocate", ("wants_advocate",)),
    ),
)

YOUNG_PERSON_COMPLIMENT = Journey(
    "young-person/compliment",
    Audience.YOUNG_PERSON,
    SubmissionKind.COMPLIMENT,
    (
        Step("who", ("staff_named",)),
        Step("what-they-did", ("words",)),
        Step("pass-on", ("consent_pass_on",)),
        Step("share", ("consent_anonymous_use",)),
        Step("name", ("full_name",)),
        *_YP_CONTACT,
    ),
)

YOUNG_PERSON_ADVOCACY = Journey(
    "young-person/advocacy",
    Audience.YOUNG_PERSON,
    SubmissionKind.ADVOCACY,
    (
        Step("help-with", ("help_with", "help_details")),
        Step("age", ("young_person_age",)),
        Step("situation", ("situation",)),
        Step("needed-by", ("needed_by",)),
        *_YP_SAFE,
        Step("name", ("full_name",)),
        *_YP_CONTACT,
    ),
)

_ADULT_DETAILS = (
    Step("your-details", ("full_name", "email", "phone", "address")),
    Step("contact-preferences", ("contact_methods", "ok_to_leave_message"), when=_gave_contact_details),
)

ADULT_COMPLAINT = Journey(
    "adult/complaint",
    Audience.ADULT,
    SubmissionKind.COMPLAINT,
    (
        Step("who-you-are", ("person_type", "relationship_to_child")),
        Step("child", ("child_name", "child_date_of_birth")),
        Step("parental-responsibility", ("has_parental_responsibility",)),
        Step("child-agrees", ("child_knows", "child_consent_note"), when=_child_old_enough),
        Step("service", ("team_id", "worker_name")),
        Step("what-happened", ("what_happened",)),
        Step("when", ("grounds_arose_on", "happened_when")),
        Step("time-limit", ("late_reason",), when=_late),
        Step("court", ("court_proceedings",)),
        Step("outcome", ("outcome_sought", "outcome_wanted")),
        Step("needs", ("needs", "interpreter_language")),
        *_ADULT_DETAILS,
    ),
)

ADULT_COMPLIMENT = Journey(
    "adult/compliment",
    Audience.ADULT,
    SubmissionKind.COMPLIMENT,
    (
        Step("who", ("staff_named", "team_id")),
        Step("what-they-did", ("words",)),
        Step("pass-on", ("consent_pass_on",)),
        Step("share", ("consent_anonymous_use",)),
        Step("about-you", ("compliment_source",)),
        Step("your-details", ("full_name", "email", "phone", "address")),
    ),
)

ADULT_ADVOCACY = Journey(
    "adult/advocacy",
    Audience.ADULT,
    SubmissionKind.ADVOCACY,
    (
        Step("for-whom", ("for_whom",)),
        Step("agreement", ("young_person_agrees",), when=_referral),
        Step("young-person", ("child_name", "young_person_age")),
        Step("situation", ("situation",)),
        Step("help-with", ("help_with", "help_details")),
        Step("needed-by", ("needed_by",)),
        Step("who-you-are", ("person_type", "relationship_to_child"), when=_referral),
        Step("safe-contact", ("safe_contact_notes",)),
        *_ADULT_DETAILS,
    ),
)

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


# ---------------------------------------------------------------------------------------------------------
# Safety: words in free text that may mean someone is at risk of harm
#
# A deliberately small rule. It does not decide anything: a match puts the submission on the same-day list
# (safeguarding_flag with the words found as the reason) so a person reads it today. False positives cost a
# few minutes of a complaints officer's time; a missed child at risk costs far more, so the list leans wide.
# Phrases match whole words, case-insensitively, allowing any run of spaces or hyphens between words.

RISK_PHRASES: tuple[str, ...] = (
    "kill myself",
    "killing myself",
    "suicide",
    "suicidal",
    "self harm",
    "self harming",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "want to die",
    "end my life",
    "not safe",
    "unsafe",
    "scared to go home",
    "afraid to go home",
    "hits me",
    "hit me",
    "hitting me",
    "beats me",
    "beat me",
    "kicked me",
    "punched me",
    "hurts me",
    "hurt me",
    "touched me",
    "abuse",
    "abused",
    "abusing",
    "rape",
    "raped",
    "sexual",
    "threatened",
    "threatens",
    "knife",
    "weapon",
    "ran away",
    "run away",
    "running away",
    "going missing",
)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"\b" + r"[\s\-]+".join(words) + r"\b", re.IGNORECASE)


_RISK_PATTERNS = tuple((phrase, _phrase_pattern(phrase)) for phrase in RISK_PHRASES)


def risk_phrases_in(*texts: str | None) -> list[str]:
    """The risk phrases found in any of the texts, in list order, without repeats."""
    found: list[str] = []
    for phrase, pattern in _RISK_PATTERNS:
        if phrase not in found and any(text and pattern.search(text) for text in texts):
            found.append(phrase)
    return found


@dataclass(frozen=True)
class SafetyAssessment:
    feels_unsafe: bool
    flag: bool
    reason: str | None


def assess_safety(*, safe_answer: str | None, texts: tuple[str | None, ...]) -> SafetyAssessment:
    """Flag for same-day attention when a young person says they do not feel safe (or are not sure),
    or when free text contains words that may mean risk of harm."""
    reasons: list[str] = []
    feels_unsafe = safe_answer == "no"
    if feels_unsafe:
        reasons.append("Said they do not feel safe")
    elif safe_answer == "not_sure":
        reasons.append("Said they are not sure they are safe")
    phrases = risk_phrases_in(*texts)
    if phrases:
        reasons.append("Words that may mean risk of harm: " + ", ".join(phrases))
    reason = "; ".join(reasons) or None
    if reason and len(reason) > 300:
        reason = reason[:297] + "..."
    return SafetyAssessment(feels_unsafe=feels_unsafe, flag=bool(reasons), reason=reason)
