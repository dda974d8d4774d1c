"""Is the service able to work? For load balancers and monitoring."""

from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.services.uow import unit_of_work


def database_answers() -> bool:
    """True when the database answers a trivial query (the unit of work rolls back a broken connection)."""
    try:
        with unit_of_work():
            db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return False
    return True
