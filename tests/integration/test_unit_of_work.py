"""The unit-of-work boundary (portal/services/uow.py): commit on success, roll back on any exception, and nested
boundaries join the outermost one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.domain import DomainError
from portal.extensions import db
from portal.models import ServiceArea
from portal.services.uow import UnitOfWorkFailed, depth, transactional, unit_of_work


def _names() -> list[str]:
    with db.engine.connect() as conn:  # a second connection sees only what was committed
        return list(conn.scalars(sa.select(ServiceArea.name).order_by(ServiceArea.name)))


@transactional
def _add_area(name: str, *, fail: bool = False) -> ServiceArea:
    area = ServiceArea(name=name)
    db.session.add(area)
    db.session.flush()
    if fail:
        raise DomainError("refused")
    return area


@transactional
def _outer(*names: str, fail_after: bool = False) -> None:
    for name in names:
        _add_area(name)
        assert depth() == 1  # the inner boundary has closed; the outer one is still open
    if fail_after:
        raise DomainError("refused after the inner use-cases")


def test_commits_on_success() -> None:
    _add_area("Early Help")
    assert _names() == ["Early Help"]
    assert depth() == 0


def test_rolls_back_on_a_domain_error() -> None:
    with pytest.raises(DomainError):
        _add_area("Early Help", fail=True)
    assert _names() == []
    assert db.session.scalars(sa.select(ServiceArea)).all() == []
    assert depth() == 0


def test_rolls_back_on_any_exception() -> None:
    with pytest.raises(ZeroDivisionError), unit_of_work() as session:
        session.add(ServiceArea(name="Early Help"))
        session.flush()
        _ = 1 / 0
    assert db.session.scalars(sa.select(ServiceArea)).all() == []


def test_inner_use_cases_join_the_outer_one_and_do_not_commit() -> None:
    with unit_of_work():
        _add_area("Early Help")
        assert depth() == 1
        assert _names() == []  # flushed inside the outer transaction, not committed
    assert _names() == ["Early Help"]


def test_an_outer_failure_undoes_the_inner_use_cases() -> None:
    with pytest.raises(DomainError):
        _outer("Early Help", "Youth Justice", fail_after=True)
    assert _names() == []
    _outer("Early Help", "Youth Justice")
    assert _names() == ["Early Help", "Youth Justice"]


def test_an_inner_failure_swallowed_by_its_caller_is_not_committed() -> None:
    with pytest.raises(UnitOfWorkFailed), unit_of_work():
        _add_area("Early Help")
        with pytest.raises(DomainError):
            _add_area("Youth Justice", fail=True)
    assert _names() == []
    assert depth() == 0
    _add_area("Early Help")  # the next unit of work starts afresh
    assert _names() == ["Early Help"]
