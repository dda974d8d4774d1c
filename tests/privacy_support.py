"""Test support for information governance tests: change stored rows as the database owner would (the
application's own role may not update or delete audit events), run `flask` commands on a scratch database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]


def owner_execute(db: Any, sql: str, **params: Any) -> None:
    """Run ``sql`` in its own committed transaction, outside the application's session."""
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql), params)


def run_flask(args: list[str], database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``flask --app wsgi <args>`` in a fresh process on ``database_url``."""
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": database_url, "PORTAL_INSTANCE_PATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind the suite runs on (PostgreSQL when DATABASE_URL says so), dropped after."""
    url = os.environ.get("DATABASE_URL")
    if not (url and url.startswith("postgresql")):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.rpartition("/")[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
