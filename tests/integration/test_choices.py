"""Choice lists for staff forms come from one service, as plain (value, label) pairs."""

from __future__ import annotations

import sqlalchemy as sa

from portal.domain.enums import CategoryKind, Role
from portal.models import Category
from portal.services import choices
from tests.factories import make_staff_user, make_team


def test_teams_active_by_name_or_all_or_only_some(db) -> None:  # type: ignore[no-untyped-def]
    zeta, alpha, closed = make_team("Zeta Team"), make_team("Alpha Team"), make_team("Closed Team")
    closed.active = False
    db.session.commit()

    assert choices.teams() == [(alpha.id, "Alpha Team"), (zeta.id, "Zeta Team")]
    assert [c.label for c in choices.teams(active_only=False)] == ["Alpha Team", "Closed Team", "Zeta Team"]
    assert choices.teams(active_only=False, within={closed.id, zeta.id}) == [
        (closed.id, "Closed Team"),
        (zeta.id, "Zeta Team"),
    ]


def test_service_areas_in_the_councils_order(db) -> None:  # type: ignore[no-untyped-def]
    make_team("A", area="Youth Justice")
    make_team("B", area="Children in Care")

    assert [c.label for c in choices.service_areas()] == ["Children in Care", "Youth Justice"]


def test_staff_with_the_roles_who_can_still_sign_in(db) -> None:  # type: ignore[no-untyped-def]
    officer = make_staff_user(Role.COMPLAINTS_OFFICER, full_name="Bea Officer")
    manager = make_staff_user(Role.COMPLAINTS_MANAGER, full_name="Al Manager")
    make_staff_user(Role.COMPLAINTS_OFFICER, full_name="Gone Officer", active=False)
    make_staff_user(Role.ADVOCATE, full_name="Ada Advocate")

    assert choices.staff(Role.COMPLAINTS_OFFICER, Role.COMPLAINTS_MANAGER) == [
        (manager.id, "Al Manager"),
        (officer.id, "Bea Officer"),
    ]


def test_categories_keep_a_retired_entry_only_when_asked(db) -> None:  # type: ignore[no-untyped-def]
    themes = choices.categories(CategoryKind.THEME)
    retired = db.session.get(Category, themes[0].value)
    retired.active = False
    db.session.commit()

    assert (retired.id, retired.label) not in choices.categories(CategoryKind.THEME)
    assert choices.categories(CategoryKind.THEME, also=retired.id)[0] == (retired.id, retired.label)
    assert len(choices.categories(CategoryKind.THEME, also=retired.id)) == len(themes)


def test_root_causes_use_the_label_as_the_value(db) -> None:  # type: ignore[no-untyped-def]
    labels = db.session.scalars(
        sa.select(Category.label)
        .where(Category.kind == CategoryKind.ROOT_CAUSE, Category.active.is_(True))
        .order_by(Category.sort_order)
    ).all()

    assert choices.category_labels(CategoryKind.ROOT_CAUSE) == [(label, label) for label in labels]
    assert labels
