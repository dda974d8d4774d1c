"""Jinja filters and globals: dates in GOV.UK style, labels for stored values, tag colours, pagination, and the
settings the layout needs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for

from portal.domain import enums
from portal.domain.deadlines import DeadlineState
from portal.domain.enums import AdvocacyStatus, OutboxStatus, StageStatus
from portal.domain.journeys import choice_words, recorded_answers
from portal.domain.questions import Answer, Choice

LONDON = ZoneInfo("Europe/London")


def govuk_date(value: date | datetime | None, with_day: bool = False) -> str:
    """'22 November 2026' (GOV.UK style), optionally with the weekday."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if with_day else text


def govuk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0") or "12"
    minute = "" if local.minute == 0 else f":{local.minute:02d}"
    return f"{govuk_date(local.date())} at {hour}{minute}{local.strftime('%p').lower()}"


def money(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"£{Decimal(value):,.2f}"


def label(value: object, vocabulary: str) -> str:
    """Human label for a stored vocabulary value, e.g. ``{{ s.channel|label('CHANNEL') }}``."""
    if value is None:
        return "Not recorded"
    table = getattr(enums, f"{vocabulary}_LABELS", {})
    for key, text in table.items():
        if key == value or getattr(key, "value", None) == value:
            return text
    return str(value).replace("_", " ").capitalize()


def answer_text(answer: Answer, staff: bool = False) -> str:
    """An answer in words: the choices picked as the person read them (or as staff read them), dates in GOV.UK
    style, several choices one a line, and "Not given" when it was left empty."""
    value = answer.value
    if value is None or value == ():
        return "Not given"
    if isinstance(value, date):
        return govuk_date(value)
    if isinstance(value, Choice):
        return value.staff_label if staff else value.label
    if isinstance(value, tuple):
        return "\n".join(c.staff_label if staff else c.label for c in value)
    return str(value)


# Tag colours: one per state, keyed by the domain's enums, so the same state looks the same on every page. The words
# are always shown too: colour is never the only cue.
DEADLINE_TAG_COLOURS: dict[DeadlineState, str] = {
    DeadlineState.ON_TRACK: "blue",
    DeadlineState.DUE_SOON: "yellow",
    DeadlineState.DUE_TODAY: "orange",
    DeadlineState.OVERDUE: "red",
    DeadlineState.MET: "green",
    DeadlineState.MISSED: "red",
}
TAG_COLOURS: dict[str, dict[str, str]] = {
    "advocacy": {
        AdvocacyStatus.NEW: "blue",
        AdvocacyStatus.ALLOCATED: "light-blue",
        AdvocacyStatus.IN_CONTACT: "purple",
        AdvocacyStatus.ACTIVE: "turquoise",
        AdvocacyStatus.CLOSED: "grey",
    },
    "stage": {
        StageStatus.REQUESTED: "purple",
        StageStatus.DECLINED: "red",
        StageStatus.OPEN: "blue",
        StageStatus.RESPONDED: "green",
        StageStatus.CLOSED: "grey",
        StageStatus.WITHDRAWN: "grey",
    },
    "outbox": {
        OutboxStatus.PENDING: "yellow",
        OutboxStatus.SENDING: "blue",
        OutboxStatus.SENT: "green",
        OutboxStatus.FAILED: "red",
    },
}


def deadline_tag_colour(state: DeadlineState) -> str:
    return DEADLINE_TAG_COLOURS[state]


def tag_colour(vocabulary: str, value: object) -> str:
    """The tag colour of a stored status value (enum member or its string) in one of TAG_COLOURS' vocabularies."""
    return TAG_COLOURS[vocabulary][str(getattr(value, "value", value))]


def pagination_params(page: int, pages: int, endpoint: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """govukPagination's parameters for page ``page`` of ``pages``: the first and last pages, two either side of this
    one, an ellipsis for each gap, and previous/next links. Links keep the list's filters (``args``)."""
    items: list[dict[str, Any]] = []
    for number in range(1, pages + 1):
        if number in (1, pages) or abs(number - page) <= 2:
            items.append({"number": number, "href": url_for(endpoint, page=number, **args), "current": number == page})
        elif abs(number - page) == 3:
            items.append({"ellipsis": True})
    return {
        "previous": {"href": url_for(endpoint, page=page - 1, **args)} if page > 1 else None,
        "next": {"href": url_for(endpoint, page=page + 1, **args)} if page < pages else None,
        "items": items,
    }


def journey_answers(submission: Any) -> list[Answer]:
    """``{{ submission | journey_answers }}``: what the person told us through a public journey, question by question
    (``answer.question.staff_label`` and ``answer | answer_text(staff=true)``); empty when staff recorded it."""
    return recorded_answers(submission.answers, submission.audience, submission.kind)


def chosen(value: str | list[str] | None, question_name: str) -> str:
    """``{{ submission.court_proceedings | chosen('court_proceedings') }}``: a stored answer in the words of the
    choice the person picked (several joined by commas); "Not given" when there is none."""
    if value in (None, "", []):
        return "Not given"
    words = choice_words(question_name)
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(words.get(str(v), str(v)) for v in values)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["govuk_date"] = govuk_date
    app.jinja_env.filters["govuk_datetime"] = govuk_datetime
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["answer_text"] = answer_text
    app.jinja_env.globals["deadline_tag_colour"] = deadline_tag_colour
    app.jinja_env.globals["tag_colour"] = tag_colour
    app.jinja_env.globals["pagination_params"] = pagination_params
    app.jinja_env.filters["journey_answers"] = journey_answers
    app.jinja_env.filters["chosen"] = chosen

    @app.context_processor
    def _settings() -> dict:
        cfg = current_app.config
        return {
            "council": {
                "name": cfg["COUNCIL_NAME"],
                "service_name": cfg["SERVICE_NAME"],
                "phone": cfg["COUNCIL_PHONE"],
                "email": cfg["COUNCIL_EMAIL"],
                "address": cfg["COUNCIL_ADDRESS"],
                "out_of_hours_phone": cfg["OUT_OF_HOURS_PHONE"],
                "childline_phone": cfg["CHILDLINE_PHONE"],
                "advocacy_provider": cfg["ADVOCACY_PROVIDER"],
                "advocacy_phone": cfg["ADVOCACY_PHONE"],
                "exit_page_url": cfg["EXIT_PAGE_URL"],
            }
        }
