"""The council's structure and editable lists: service areas, teams, and category lists (add, rename, retire,
reorder). Renaming keeps reports year-on-year comparable through Category.report_group."""

from __future__ import annotations

import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.enums import CategoryKind
from portal.extensions import db
from portal.models import Category, ServiceArea, Team
from portal.services import audit
from portal.services.uow import transactional

CATEGORY_KIND_LABELS = {
    CategoryKind.THEME: "Themes",
    CategoryKind.OUTCOME_SOUGHT: "Outcomes sought",
    CategoryKind.ACTUAL_OUTCOME: "Actual outcomes",
    CategoryKind.REFUSAL_REASON: "Reasons for refusing",
    CategoryKind.COMPLIMENT_SOURCE: "Who compliments are from",
    CategoryKind.ADVOCACY_HELP: "Help advocacy can give",
    CategoryKind.ROOT_CAUSE: "Root causes",
}


def service_areas() -> list[ServiceArea]:
    return list(db.session.scalars(sa.select(ServiceArea).order_by(ServiceArea.sort_order, ServiceArea.name)))


def teams() -> list[Team]:
    return list(db.session.scalars(sa.select(Team).order_by(Team.name)))


@transactional
def add_service_area(name: str, *, actor_id: int) -> ServiceArea:
    name = name.strip()
    if db.session.scalar(sa.select(ServiceArea.id).where(sa.func.lower(ServiceArea.name) == name.lower())):
        raise DomainError("There is already a service area with this name")
    area = ServiceArea(name=name, sort_order=len(service_areas()))
    db.session.add(area)
    db.session.flush()
    audit.record("service_area.added", "service_area", area.id, actor_id=actor_id, after={"name": name})
    return area


@transactional
def save_team(
    team: Team | None,
    *,
    name: str,
    service_area_id: int | None,
    manager_email: str | None,
    active: bool,
    actor_id: int,
) -> Team:
    name = name.strip()
    clash = db.session.scalar(sa.select(Team.id).where(sa.func.lower(Team.name) == name.lower()))
    if clash is not None and (team is None or clash != team.id):
        raise DomainError("There is already a team with this name")
    if service_area_id is not None and db.session.get(ServiceArea, service_area_id) is None:
        raise DomainError("Select a service area from the list")
    fields = ("name", "service_area_id", "manager_email", "active")
    before = audit.snapshot(team, fields) if team is not None else {}
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    team.name = name
    team.service_area_id = service_area_id
    team.manager_email = (manager_email or "").strip().lower() or None
    team.active = active
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(team, fields))
    audit.record(
        "team.added" if not before else "team.updated", "team", team.id, actor_id=actor_id, before=old, after=new
    )
    return team


def categories(kind: CategoryKind) -> list[Category]:
    return list(
        db.session.scalars(
            sa.select(Category)
            .where(Category.kind == kind)
            .order_by(Category.active.desc(), Category.sort_order, Category.label)
        )
    )


@transactional
def save_category(
    category: Category | None,
    *,
    kind: CategoryKind,
    label: str,
    help_text: str | None,
    sort_order: int | None,
    active: bool,
    actor_id: int,
) -> Category:
    label = label.strip()
    clash = db.session.scalar(
        sa.select(Category.id).where(Category.kind == kind, sa.func.lower(Category.label) == label.lower())
    )
    if clash is not None and (category is None or clash != category.id):
        raise DomainError("There is already an entry with this name in this list")
    fields = ("label", "help_text", "sort_order", "active", "report_group")
    before = audit.snapshot(category, fields) if category is not None else {}
    if category is None:
        existing = categories(kind)
        category = Category(kind=kind, label=label, sort_order=max((c.sort_order for c in existing), default=0) + 1)
        db.session.add(category)
    elif category.label != label and not category.report_group:
        # Reports keep grouping the renamed entry with its old records under the original name.
        category.report_group = category.label
    category.label = label
    category.help_text = (help_text or "").strip() or None
    if sort_order is not None:
        category.sort_order = sort_order
    category.active = active
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(category, fields))
    action = (
        "category.added"
        if not before
        else ("category.retired" if before.get("active") and not active else "category.updated")
    )
    audit.record(action, "category", category.id, actor_id=actor_id, before=old, after={**new, "kind": kind})
    return category


@transactional
def move_category(category: Category, *, direction: str, actor_id: int) -> None:
    """Swap the entry with its neighbour (up or down) among the entries in use."""
    items = [c for c in categories(category.kind) if c.active]
    for position, item in enumerate(items):
        item.sort_order = position
    index = items.index(category) if category in items else -1
    other = index - 1 if direction == "up" else index + 1
    if index < 0 or not 0 <= other < len(items):
        return
    items[index].sort_order, items[other].sort_order = items[other].sort_order, items[index].sort_order
    audit.record("category.moved", "category", category.id, actor_id=actor_id, after={"direction": direction})
