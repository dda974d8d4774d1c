"""Migrations build the same schema as the models, on SQLite and (when DATABASE_URL says so) PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]


def _flask(args: list[str], database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": database_url, "PORTAL_INSTANCE_PATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.no_db
def test_upgrade_then_check_has_no_drift(tmp_path):
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgresql"):
        name = f"migcheck_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        target = url.rpartition("/")[0] + "/" + name
    else:
        admin = None
        target = f"sqlite:///{tmp_path / 'empty.db'}"
    try:
        upgrade = _flask(["db", "upgrade"], target, tmp_path)
        assert upgrade.returncode == 0, upgrade.stderr
        check = _flask(["db", "check"], target, tmp_path)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "No new upgrade operations detected" in check.stdout + check.stderr
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
