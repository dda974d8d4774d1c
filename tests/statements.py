"""Counting the SQL statements a piece of work runs, so a regression in queries fails CI even where timing cannot
(issue 14). Used through the `count_statements` fixture in tests/conftest.py:

    with count_statements() as counted:
        client.get("/staff/cases")
    assert counted.count <= 5, counted.report()

The block starts with a fresh database session (as every request in production does), so nothing the test loaded
before is served from SQLAlchemy's identity map.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy


class StatementCounter:
    def __init__(self, db: SQLAlchemy) -> None:
        self.db = db
        self.statements: list[str] = []

    def _record(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)

    def report(self) -> str:
        """Every statement on its own line (for the assertion message)."""
        lines = [f"{self.count} statements:"]
        lines += [f"{i}. {' '.join(s.split())[:300]}" for i, s in enumerate(self.statements, 1)]
        return "\n".join(lines)

    def __enter__(self) -> StatementCounter:
        self.db.session.remove()
        self.statements.clear()
        sa.event.listen(self.db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        sa.event.remove(self.db.engine, "before_cursor_execute", self._record)
