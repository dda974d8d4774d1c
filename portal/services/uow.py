"""One unit of work per use-case: the boundary that commits or rolls back.

A public service function is one use-case. It validates first, then changes objects, then leaves; the boundary
around it commits when it returns and rolls back when anything is raised (a ``DomainError`` included), so a caller
never has anything to undo. Inner helpers only ``flush()``.

Two spellings of the same boundary::

    @transactional
    def close_case(submission, ...):        # the whole function is one unit of work
        ...

    with unit_of_work():                     # a block inside a function (e.g. record a failed sign-in, then raise)
        ...

Boundaries nest. Only the outermost one commits or rolls back; an inner use-case called inside another (triage
opening the first stage of a complaint) joins the outer transaction and only flushes, so the two succeed or fail
together. If an inner unit of work fails and its caller swallows the exception, the outer boundary refuses to
commit the half-done work: it rolls back and raises ``UnitOfWorkFailed``.

The nesting depth lives in the SQLAlchemy session's ``info`` dictionary, so it follows the session (one per
application context in Flask-SQLAlchemy) and not the thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from portal.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH = "portal.uow.depth"
_FAILED = "portal.uow.inner_failed"


class UnitOfWorkFailed(RuntimeError):
    """An inner unit of work raised, its caller carried on, and the outer boundary was asked to commit."""


def depth() -> int:
    """How many units of work are open on the current session (0 outside any)."""
    return int(db.session().info.get(_DEPTH, 0))


def in_unit_of_work() -> bool:
    return depth() > 0


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Run the block as one unit of work (or as part of the one already open). Yields the session."""
    session = db.session()
    outer = int(session.info.get(_DEPTH, 0))
    session.info[_DEPTH] = outer + 1
    if outer == 0:
        session.info[_FAILED] = False
    try:
        yield session
        if outer == 0:
            if session.info.get(_FAILED):
                raise UnitOfWorkFailed("An inner unit of work failed; nothing was saved")
            session.commit()
        else:
            session.flush()
    except BaseException:
        if outer == 0:
            session.rollback()
        else:
            session.info[_FAILED] = True
        raise
    finally:
        session.info[_DEPTH] = outer
        if outer == 0:
            session.info.pop(_FAILED, None)


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Make a service function one use-case: commit when it returns, roll back when it raises, join an outer one."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return func(*args, **kwargs)

    return wrapper
