"""Small query helpers shared by the reports: run an aggregate and key its counts the way every report does."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.domain.reporting import Period
from portal.extensions import db
from portal.models import ServiceArea, Team
from portal.services.reports.definitions import NOT_RECORDED, ReportFilter
from portal.services.reports.figures import LabelledPeriod


def key(value: object) -> str:
    """A breakdown key: an enum's value, a plain value as text, or `not_recorded` for nothing."""
    if value is None:
        return NOT_RECORDED
    return str(getattr(value, "value", value))


def n(value: int | None) -> int:
    """A count from SQL (COUNT and SUM of nothing are NULL in some databases)."""
    return int(value or 0)


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def labelled(period: Period) -> LabelledPeriod:
    return LabelledPeriod(start=period.start.isoformat(), end=period.end.isoformat(), label=period.label)


def count_by(stmt: sa.Select) -> dict[str, int]:
    """Counts of a `SELECT value, COUNT(*) … GROUP BY value`, keyed by value, largest first, not_recorded last."""
    counts = {key(k): int(c) for k, c in db.session.execute(stmt)}
    return dict(sorted(counts.items(), key=lambda kv: (kv[0] == NOT_RECORDED, -kv[1], kv[0])))


def counts_in_order(stmt: sa.Select) -> dict[str, int]:
    """Counts of a `SELECT label, COUNT(*) … GROUP BY label ORDER BY …`, in the query's order."""
    return {label: int(c) for label, c in db.session.execute(stmt)}


def count_where(*conditions: sa.ColumnElement[bool]) -> int:
    """How many submissions meet every condition."""
    return n(db.session.scalar(sa.select(sa.func.count()).where(*conditions)))


def unknown_names(where: ReportFilter) -> list[str]:
    """The service areas and teams a filter names that do not exist (a typo would otherwise give an empty report
    that looks like a real one)."""
    problems = []
    for model, names, what in ((ServiceArea, where.service_area, "service area"), (Team, where.team, "team")):
        wanted = {name for name in names if name != NOT_RECORDED}
        if not wanted:
            continue
        known = set(db.session.scalars(sa.select(model.name).where(model.name.in_(wanted))))
        problems += [f"There is no {what} called {name!r}" for name in sorted(wanted - known)]
    return problems
