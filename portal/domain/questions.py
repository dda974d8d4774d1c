"""Questions as data: the building blocks of the public journeys. Pure Python: no Flask, no database, no clock.

A question is written once (see ``journeys_young_person.py`` and ``journeys_adult.py``):

- its ``name``: the form field, and the key of the answer in the draft;
- the words the person reads: ``label``, ``hint``, the message when it is left empty (``required``) or cannot be
  right (``invalid``), and different words when earlier answers call for them (``variants``);
- how it is answered (``type``) and its choices: fixed, or one of the council's lists (``choice_list``);
- the words staff read for it (``staff_label``) and for each choice (``Choice.staff``);
- the fields of a new submission it fills (``fills``).

The public forms, "check your answers", the conversion of a draft into a submission, and the staff pages all
read that one definition, so adding a question is a change in one place (plus any page text around it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum, StrEnum
from typing import Any, TypeVar

from portal.domain.enums import Audience, SubmissionKind

COMPLETED = "_completed"  # the key, in a draft's answers, of the steps already answered
# The key, in a submission's stored answers, of the labels of what was chosen from the council's lists (a team, an
# outcome) as the person saw them, so staff read the same words even after a list is changed.
CHOSEN_LABELS = "_labels"
JOURNEY = "_journey"  # the key, in a submission's stored answers, of the journey that asked them
NO_CONTACT = "none"  # "Please do not get in touch with me"
CONTACT_DIRECT = ("phone", "text", "email")


@dataclass(frozen=True)
class JourneyContext:
    """What the conditions, wording and checks need besides the answers."""

    today: date
    consent_age: int = 12
    out_of_time_months: int = 12


Answers = Mapping[str, Any]
Condition = Callable[[Answers, JourneyContext], bool]
# (council list, chosen values) -> {value: label} for the values found on that list
ListLabels = Callable[[str, Sequence[str]], Mapping[str, str]]


class AnswerType(StrEnum):
    TEXT = "text"  # one line
    EMAIL = "email"
    PHONE = "phone"
    NUMBER = "number"  # a whole number, typed
    LONG_TEXT = "long_text"  # free text, up to the free-text limit, with a character count
    ADDRESS = "address"  # several lines
    ONE = "one"  # radios
    MANY = "many"  # checkboxes
    SELECT = "select"  # a drop-down list
    DATE = "date"  # day, month and year


FREE_TEXT_TYPES = frozenset({AnswerType.LONG_TEXT, AnswerType.ADDRESS})
CHOICE_TYPES = frozenset({AnswerType.ONE, AnswerType.MANY, AnswerType.SELECT})


# ---------------------------------------------------------------------------------------------------------
# Conditions on earlier answers


def chose(name: str, *values: str) -> Condition:
    """The answer to ``name`` is one of ``values`` (or, for several choices, includes one of them)."""

    def check(answers: Answers, ctx: JourneyContext) -> bool:
        value = answers.get(name)
        if isinstance(value, list | tuple):
            return any(v in values for v in value)
        return value in values

    return check


def chose_other_than(name: str, value: str) -> Condition:
    """Something was chosen for ``name``, and not only ``value``."""

    def check(answers: Answers, ctx: JourneyContext) -> bool:
        chosen = answers.get(name) or []
        return bool(chosen) and list(chosen) != [value]

    return check


def gave(*names: str) -> Condition:
    """At least one of the answers ``names`` is not empty."""

    def check(answers: Answers, ctx: JourneyContext) -> bool:
        return any(answers.get(name) for name in names)

    return check


def iso_date(value: Any) -> date | None:
    """A date kept in the draft as an ISO string (``2026-03-27``); None when empty or not a date."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------------------
# Choices and different words


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # the words the person reads and chooses
    staff: str | None = None  # the words staff read, when they differ from the person's
    when: Condition | None = None  # offered only when earlier answers say so

    @property
    def staff_label(self) -> str:
        return self.staff or self.label

    def offered(self, answers: Answers, ctx: JourneyContext) -> bool:
        return self.when is None or self.when(answers, ctx)


@dataclass(frozen=True)
class Variant:
    """Different words (or settings) for a question or a page when earlier answers call for them."""

    when: Condition
    changes: tuple[tuple[str, Any], ...]


def reworded(when: Condition, **changes: Any) -> Variant:
    """``reworded(for_self, label="How old are you?", required="Enter your age")``"""
    return Variant(when, tuple(changes.items()))


_Worded = TypeVar("_Worded", "Question", "Step")


def _apply_variants(item: _Worded, variants: tuple[Variant, ...], answers: Answers, ctx: JourneyContext) -> _Worded:
    for variant in variants:
        if variant.when(answers, ctx):
            item = replace(item, **dict(variant.changes))
    return item


# ---------------------------------------------------------------------------------------------------------
# Filling a new submission


@dataclass(frozen=True)
class FillContext:
    answers: Answers  # every answer that still applies
    list_labels: ListLabels


Convert = Callable[[Any, FillContext], Any]


@dataclass(frozen=True)
class Fill:
    target: str  # a field of portal.services.submissions.NewSubmission
    convert: Convert | None = None  # None: the usual conversion for the question's type


def to(target: str, convert: Convert | None = None) -> Fill:
    return Fill(target, convert)


def as_text(value: Any, ctx: FillContext) -> str | None:
    """Free text exactly as given; empty is None."""
    return value or None


def as_number(value: Any, ctx: FillContext) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def as_date(value: Any, ctx: FillContext) -> date | None:
    return iso_date(value) if isinstance(value, str) else None


def as_list(value: Any, ctx: FillContext) -> list[str]:
    return list(value or [])


def yes_no(value: Any, ctx: FillContext) -> bool | None:
    """ "yes" is True, "no" is False, anything else (not sure, not asked) is None."""
    return {"yes": True, "no": False}.get(value)


def ids(value: Any, ctx: FillContext) -> list[int]:
    """Ids chosen from one of the council's lists (one or several)."""
    values = value if isinstance(value, list | tuple) else [value]
    return [number for number in (as_number(v, ctx) for v in values) if number is not None]


def first_id(value: Any, ctx: FillContext) -> int | None:
    found = ids(value, ctx)
    return found[0] if found else None


_E = TypeVar("_E", bound=Enum)


def member_of(enum: type[_E]) -> Convert:
    def convert(value: Any, ctx: FillContext) -> _E | None:
        return enum(value) if value else None

    return convert


def chosen_except(excluded: str) -> Convert:
    """The choices made, without ``excluded`` (e.g. "Please do not get in touch"); None when nothing is left."""

    def convert(value: Any, ctx: FillContext) -> list[str] | None:
        return [v for v in value or [] if v != excluded] or None

    return convert


def labels_from(choice_list: str) -> Convert:
    """The labels of the values chosen from one of the council's lists, in the order chosen."""

    def convert(value: Any, ctx: FillContext) -> list[str]:
        chosen = [str(v) for v in ids(value, ctx)]
        found = ctx.list_labels(choice_list, chosen) if chosen else {}
        return [found[v] for v in chosen if v in found]

    return convert


_CONVERT_BY_TYPE: dict[AnswerType, Convert] = {
    AnswerType.NUMBER: as_number,
    AnswerType.DATE: as_date,
    AnswerType.MANY: as_list,
}


# ---------------------------------------------------------------------------------------------------------
# Checks: rules about an answer beyond "it must be given" (the web layer checks formats: email, phone, number)

# (the answer as typed data, the answers on the same page, context) -> the message to show, or None
Check = Callable[[Any, Answers, JourneyContext], str | None]


def not_after_today(message: str) -> Check:
    def check(value: Any, page: Answers, ctx: JourneyContext) -> str | None:
        return message if isinstance(value, date) and value > ctx.today else None

    return check


def not_before_today(message: str) -> Check:
    def check(value: Any, page: Answers, ctx: JourneyContext) -> str | None:
        return message if isinstance(value, date) and value < ctx.today else None

    return check


def between(low: int, high: int, message: str) -> Check:
    def check(value: Any, page: Answers, ctx: JourneyContext) -> str | None:
        return message if isinstance(value, int) and not low <= value <= high else None

    return check


def needed_when(condition: Condition, message: str) -> Check:
    """Required when another answer on the same page says so."""

    def check(value: Any, page: Answers, ctx: JourneyContext) -> str | None:
        empty = not (value or "").strip() if isinstance(value, str | None) else not value
        return message if condition(page, ctx) and empty else None

    return check


def this_or(other: str, message: str) -> Check:
    """This answer, or the free text ``other`` on the same page, must be given."""

    def check(value: Any, page: Answers, ctx: JourneyContext) -> str | None:
        return message if not value and not (page.get(other) or "").strip() else None

    return check


def only_on_its_own(choice: str, message: str) -> Check:
    """``choice`` (like "Please do not get in touch") cannot be chosen with anything else."""

    def check(value: Any, page: Answers, ctx: JourneyContext) -> str | None:
        chosen = value or []
        return message if choice in chosen and len(chosen) > 1 else None

    return check


# ---------------------------------------------------------------------------------------------------------
# Questions


Hint = str | Callable[[JourneyContext], str]


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    staff_label: str
    type: AnswerType = AnswerType.TEXT
    hint: Hint = ""
    choices: tuple[Choice, ...] = ()
    choice_list: str | None = None  # one of the council's lists: teams, outcomes, advocacy_help, ...
    blank_choice: str | None = None  # a first choice meaning "not known", stored as empty
    required: str | None = None  # the message when it is left empty; None: it may be left empty
    invalid: str | None = None  # the message when the answer is not in the right form (or not on the list)
    error_name: str | None = None  # how date messages name the answer: "{error_name} must be a real date"
    max_length: int | None = None  # for short answers kept in columns of a fixed size
    autocomplete: str | None = None  # the input's purpose, when it is the person's own detail
    checks: tuple[Check, ...] = ()
    when: Condition | None = None  # asked only when earlier answers say so
    variants: tuple[Variant, ...] = ()
    fills: tuple[Fill, ...] = ()

    def applies(self, answers: Answers, ctx: JourneyContext) -> bool:
        return self.when is None or self.when(answers, ctx)

    def worded(self, answers: Answers, ctx: JourneyContext) -> Question:
        """The question in the words the person reads, given their earlier answers."""
        return _apply_variants(self, self.variants, answers, ctx)

    def hint_text(self, ctx: JourneyContext) -> str:
        return self.hint(ctx) if callable(self.hint) else self.hint

    @property
    def asked(self) -> str:
        """The label without "(optional)", as "check your answers" shows it."""
        return self.label.replace(" (optional)", "")

    def offered_choices(self, answers: Answers, ctx: JourneyContext) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.offered(answers, ctx))

    def fill_value(self, fill: Fill, value: Any, ctx: FillContext) -> Any:
        convert = fill.convert or _CONVERT_BY_TYPE.get(self.type, as_text)
        return convert(value, ctx)


@dataclass(frozen=True)
class Fact:
    """A field of a new submission that follows from the journey itself, or from several answers together
    (``values`` holds what the questions filled)."""

    target: str
    value: Callable[[Answers, Mapping[str, Any]], Any]


def always(target: str, value: Any) -> Fact:
    return Fact(target, lambda answers, values: value)


# ---------------------------------------------------------------------------------------------------------
# Steps and journeys


@dataclass(frozen=True)
class Step:
    """One page. With a ``title`` the page is headed by it; without, by its first question."""

    key: str
    questions: tuple[Question, ...] = ()
    when: Condition | None = None
    title: str | None = None
    variants: tuple[Variant, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions)

    def visible(self, answers: Answers, ctx: JourneyContext) -> bool:
        return self.when is None or self.when(answers, ctx)

    def worded(self, answers: Answers, ctx: JourneyContext) -> Step:
        return _apply_variants(self, self.variants, answers, ctx)

    def asked(self, answers: Answers, ctx: JourneyContext) -> list[Question]:
        """The questions that apply, in the words the person reads."""
        return [q.worded(answers, ctx) for q in self.questions if q.applies(answers, ctx)]


@dataclass(frozen=True)
class Answer:
    """One answer, with its question as it was asked and its value as typed data: text, a number, a date, the
    ``Choice`` picked, or a tuple of the choices picked. None when it was left empty."""

    step: str
    question: Question
    value: str | int | date | Choice | tuple[Choice, ...] | None


def _choice(question: Question, value: Any, found: Mapping[str, str]) -> Choice:
    key = str(value)
    for choice in question.choices:
        if choice.value == key:
            return choice
    return Choice(key, found.get(key, key))


def typed_answer(question: Question, value: Any, list_labels: ListLabels) -> Any:
    """The stored answer as typed data for display (see ``Answer``)."""
    if value is None or value == "" or value == []:
        return None
    if question.type == AnswerType.DATE:
        return iso_date(value)
    if question.type not in CHOICE_TYPES:
        return value
    values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    found = list_labels(question.choice_list, values) if question.choice_list else {}
    chosen = tuple(_choice(question, v, found) for v in values)
    return chosen if question.type == AnswerType.MANY else chosen[0]


@dataclass(frozen=True)
class Journey:
    key: str  # also the URL: /<audience slug>/<kind>
    audience: Audience
    kind: SubmissionKind
    title: str
    steps: tuple[Step, ...]
    facts: tuple[Fact, ...] = ()

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def visible_steps(self, answers: Answers, ctx: JourneyContext) -> list[Step]:
        return [s for s in self.steps if s.visible(answers, ctx)]

    def first_incomplete(self, answers: Answers, ctx: JourneyContext) -> Step | None:
        done = set(answers.get(COMPLETED, ()))
        return next((s for s in self.visible_steps(answers, ctx) if s.key not in done), None)

    def next_step(self, current: str, answers: Answers, ctx: JourneyContext) -> Step | None:
        """The visible step after ``current``; None means the journey goes to "check your answers"."""
        visible = self.visible_steps(answers, ctx)
        keys = [s.key for s in visible]
        if current not in keys:
            return self.first_incomplete(answers, ctx)
        index = keys.index(current)
        return visible[index + 1] if index + 1 < len(visible) else None

    def previous_step(self, current: str, answers: Answers, ctx: JourneyContext) -> Step | None:
        visible = self.visible_steps(answers, ctx)
        keys = [s.key for s in visible]
        if current not in keys:
            return None
        index = keys.index(current)
        return visible[index - 1] if index > 0 else None

    def next_after_change(self, current: str, answers: Answers, ctx: JourneyContext) -> Step | None:
        """After changing an answer from "check your answers": a newly relevant unanswered step, or None (go back)."""
        return self.first_incomplete(answers, ctx)

    def is_complete(self, answers: Answers, ctx: JourneyContext) -> bool:
        return self.first_incomplete(answers, ctx) is None

    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def visible_answers(self, answers: Answers, ctx: JourneyContext) -> dict[str, Any]:
        """Only the answers to questions that still apply (a changed answer can make a page or a question go)."""
        keep: dict[str, Any] = {}
        for step in self.visible_steps(answers, ctx):
            for question in step.questions:
                if question.name in answers and question.applies(answers, ctx):
                    keep[question.name] = answers[question.name]
        return keep

    def answers_given(self, answers: Answers, ctx: JourneyContext, list_labels: ListLabels) -> list[Answer]:
        """Each question that applies, in page order, worded as the person read it, with its answer."""
        return [
            Answer(step.key, question, typed_answer(question, answers.get(question.name), list_labels))
            for step in self.visible_steps(answers, ctx)
            for question in step.asked(answers, ctx)
        ]

    def recorded_answers(self, stored: Answers) -> list[Answer]:
        """Every answer a submission's record holds (``Submission.answers``), in the journey's order, with the
        words of the choices made from the council's lists as they were when the person chose them."""
        chosen = stored.get(CHOSEN_LABELS) or {}

        def labels(choice_list: str, values: Sequence[str]) -> Mapping[str, str]:
            known = chosen.get(choice_list, {})
            return {value: known[value] for value in values if value in known}

        return [
            Answer(step.key, question, typed_answer(question, stored[question.name], labels))
            for step in self.steps
            for question in step.questions
            if question.name in stored
        ]

    def submission_values(self, answers: Answers, ctx: JourneyContext, list_labels: ListLabels) -> dict[str, Any]:
        """The fields of a new submission (portal.services.submissions.NewSubmission, apart from its kind and
        audience) that the answers still applying fill, and every one of those answers as given (with the labels
        of what was chosen from the council's lists, under ``CHOSEN_LABELS``)."""
        given = self.visible_answers(answers, ctx)
        fill_context = FillContext(given, list_labels)
        values: dict[str, Any] = {}
        for step in self.visible_steps(answers, ctx):
            for question in step.questions:
                if not question.applies(answers, ctx):
                    continue
                for fill in question.fills:
                    values[fill.target] = question.fill_value(fill, given.get(question.name), fill_context)
        for fact in self.facts:
            values[fact.target] = fact.value(given, values)
        values["answers"] = {**given, CHOSEN_LABELS: self.chosen_labels(given, list_labels), JOURNEY: self.key}
        return values

    def chosen_labels(self, given: Answers, list_labels: ListLabels) -> dict[str, dict[str, str]]:
        """{council list: {value chosen: its label}} for the answers chosen from the council's lists."""
        chosen: dict[str, dict[str, str]] = {}
        for question in self.questions():
            value = given.get(question.name)
            if question.choice_list is None or value in (None, "", []):
                continue
            values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
            chosen.setdefault(question.choice_list, {}).update(list_labels(question.choice_list, values))
        return chosen
