"""The rows of "check your answers", read from the journey's question definitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.domain.questions import AnswerType, Journey, JourneyContext, ListLabels
from portal.template_helpers import answer_text


@dataclass(frozen=True)
class AnswerRow:
    step: str
    label: str
    value: str
    multiline: bool


def answer_rows(
    journey: Journey, answers: Mapping[str, Any], ctx: JourneyContext, list_labels: ListLabels
) -> list[AnswerRow]:
    rows: list[AnswerRow] = []
    for answer in journey.answers_given(answers, ctx, list_labels):
        value = answer_text(answer)
        multiline = answer.question.type == AnswerType.MANY or "\n" in value
        rows.append(AnswerRow(answer.step, answer.question.asked, value, multiline))
    return rows
