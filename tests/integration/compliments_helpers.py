"""Factories for compliment and advocacy tests (H6's own helpers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from portal.domain.enums import CategoryKind
from portal.extensions import db
from portal.models import Category
from portal.services import compliments as compliments_service


def source_id(label: str = "Foster carer") -> int:
    return db.session.scalar(
        sa.select(Category.id).where(Category.kind == CategoryKind.COMPLIMENT_SOURCE, Category.label == label)
    )


def make_compliment(team: Any = None, *, today: date = date(2026, 11, 20), **kw: Any) -> Any:
    details = compliments_service.ComplimentDetails(
        received_on=kw.pop("received_on", date(2026, 11, 18)),
        words=kw.pop("words", "Thank you for everything you did for our family."),
        source_id=kw.pop("source_id", None) or source_id(kw.pop("source", "Foster carer")),
        internal=kw.pop("internal", False),
        team_id=team.id if team is not None else None,
        staff_named=kw.pop("staff_named", "Priya"),
        consent_pass_on=kw.pop("consent_pass_on", True),
        consent_anonymous_use=kw.pop("consent_anonymous_use", True),
        **kw,
    )
    return compliments_service.record_compliment(details, actor_id=None, today=today)


@pytest.fixture
def separate_users(monkeypatch):  # type: ignore[no-untyped-def]
    """The test keeps one app context open, and Flask reuses it (and its `g`) for every request, so Flask-Login's
    cached `g._login_user` would carry one client's user into another client's request. Forget it per request."""
    from flask import g
    from flask.testing import FlaskClient

    original = FlaskClient.open

    def open_without_cached_user(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        g.pop("_login_user", None)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FlaskClient, "open", open_without_cached_user)


def case_page_exists(app: Any) -> bool:
    return "staff.case_detail" in app.view_functions
