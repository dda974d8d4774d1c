"""Choice lists for staff forms and filters: plain (value, label) pairs from the reference data and the staff
accounts. Views turn them into form choices with `portal.form_choices.options`; they never query for them."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

import sqlalchemy as sa

from portal.domain.enums import CategoryKind, Role
from portal.extensions import db
from portal.models import Category, ServiceArea, StaffUser, Team


class Choice(NamedTuple):
    value: int | str
    label: str


def teams(*, active_only: bool = True, within: Collection[int] | None = None) -> list[Choice]:
    """Teams by name: the active ones (or all, for filtering old records), optionally only those in `within`."""
    query = sa.select(Team.id, Team.name).order_by(Team.name)
    if active_only:
        query = query.where(Team.active.is_(True))
    if within is not None:
        query = query.where(Team.id.in_(list(within)))
    return [Choice(team_id, name) for team_id, name in db.session.execute(query)]


def service_areas(*, active_only: bool = True) -> list[Choice]:
    query = sa.select(ServiceArea.id, ServiceArea.name).order_by(ServiceArea.sort_order, ServiceArea.name)
    if active_only:
        query = query.where(ServiceArea.active.is_(True))
    return [Choice(area_id, name) for area_id, name in db.session.execute(query)]


def staff(*roles: Role) -> list[Choice]:
    """Active staff with any of the roles, by name."""
    query = (
        sa.select(StaffUser.id, StaffUser.full_name)
        .where(StaffUser.active.is_(True), StaffUser.role.in_(list(roles)))
        .order_by(StaffUser.full_name)
    )
    return [Choice(user_id, name) for user_id, name in db.session.execute(query)]


def _category_rows(kind: CategoryKind, also: int | None) -> sa.Select[int, str]:
    shown = Category.active.is_(True) if also is None else sa.or_(Category.active.is_(True), Category.id == also)
    return (
        sa.select(Category.id, Category.label)
        .where(Category.kind == kind, shown)
        .order_by(Category.sort_order, Category.label)
    )


def categories(kind: CategoryKind, *, also: int | None = None) -> list[Choice]:
    """The active entries of a managed list, in the council's order; `also` keeps a retired entry that a record
    being edited still has."""
    return [Choice(category_id, label) for category_id, label in db.session.execute(_category_rows(kind, also))]


def category_labels(kind: CategoryKind) -> list[Choice]:
    """The active entries of a list whose records store the label itself (root causes): label as the value."""
    return [Choice(label, label) for _, label in db.session.execute(_category_rows(kind, None))]
