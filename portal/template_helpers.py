"""Jinja filters and globals: dates in GOV.UK style, labels for stored values, settings for the layout."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from portal.domain import enums
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


def init_app(app: Flask) -> None:
    app.jinja_env.filters["govuk_date"] = govuk_date
    app.jinja_env.filters["govuk_datetime"] = govuk_datetime
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["answer_text"] = answer_text
    app.jinja_env.globals["has_endpoint"] = lambda name: name in current_app.view_functions

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
