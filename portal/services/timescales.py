"""Read a procedure's timescales from the database (where councils edit them)."""

from __future__ import annotations

import sqlalchemy as sa

from portal.domain.enums import Procedure
from portal.extensions import db
from portal.models import ProcedureProfile, Timescale


class MissingTimescale(LookupError):
    pass


def timescales_for(procedure: Procedure) -> dict[str, int | str | None]:
    rows = db.session.execute(
        sa.select(Timescale.key, Timescale.working_days, Timescale.text_value)
        .join(ProcedureProfile)
        .where(ProcedureProfile.code == procedure)
    )
    return {key: (text if text is not None else days) for key, days, text in rows}


def working_days(procedure: Procedure, key: str) -> int:
    value = timescales_for(procedure).get(key)
    if not isinstance(value, int):
        raise MissingTimescale(f"{procedure.value} has no timescale '{key}'; run `flask --app wsgi init-data`")
    return value
