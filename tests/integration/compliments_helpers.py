"""Factories for compliment and advocacy tests (H6's own helpers)."""

from __future__ import annotations

from datetime import date
from typing import Any

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
