"""Shared fixtures: the app on SQLite (default) or PostgreSQL (DATABASE_URL), a clean database for every test,
a test client that keeps CSRF on, a page checker, staff sign-in, and data factories."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, request_started

os.environ["APP_ENV"] = "test"
_TMP = Path(tempfile.mkdtemp(prefix="portal-tests-"))
os.environ.setdefault("PORTAL_INSTANCE_PATH", str(_TMP))


def _database_url(worker: str) -> str:
    """One database per pytest-xdist worker so parallel workers never share rows."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{_TMP / f'test-{worker}.db'}"
    if worker == "master":
        return url
    base, _, name = url.rpartition("/")
    worker_db = f"{name}_{worker}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": worker_db})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{worker_db}"'))
    admin.dispose()
    return f"{base}/{worker_db}"


@pytest.fixture(scope="session")
def worker_id_safe(request) -> str:  # type: ignore[no-untyped-def]
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(scope="session")
def database_url(worker_id_safe: str) -> str:
    return _database_url(worker_id_safe)


@pytest.fixture(scope="session")
def app(database_url: str):  # type: ignore[no-untyped-def]
    from portal import create_app
    from portal.config import TestConfig
    from portal.extensions import db

    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SERVER_NAME=None)
    request_started.connect(_fresh_request_globals, application)
    with application.app_context():
        db.drop_all()
        db.create_all()  # tests only: real deployments use `flask db upgrade`
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _fresh_request_globals(sender, **extra) -> None:  # type: ignore[no-untyped-def]
    """Tests keep one app context open, so Flask would share `g` between requests: forget the signed-in user,
    the CSRF token and the nonce cached there, so every request is judged on its own session, as in production."""
    for key in ("_login_user", "csrf_token", "csp_nonce", "request_id"):
        g.pop(key, None)


def _wipe(db) -> None:  # type: ignore[no-untyped-def]
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for table in tables:
                conn.execute(table.delete())
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture(autouse=True)
def _clean_database(request, app):  # type: ignore[no-untyped-def]
    """Every test starts with only the reference data (procedures, timescales, lists)."""
    if request.node.get_closest_marker("no_db"):
        yield
        return
    from portal.extensions import db
    from portal.services.reference_data import ensure_reference_data

    with app.app_context():
        _wipe(db)
        ensure_reference_data()
        db.session.remove()
    ctx = app.app_context()
    ctx.push()
    try:
        yield
    finally:
        db.session.remove()
        ctx.pop()


@pytest.fixture
def db(app):  # type: ignore[no-untyped-def]
    from portal.extensions import db as _db

    return _db


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from tests.helpers import PortalClient

    return PortalClient(app)


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def make_staff(db):  # type: ignore[no-untyped-def]
    from tests.factories import make_staff_user

    return make_staff_user


@pytest.fixture
def staff_client(app, db):  # type: ignore[no-untyped-def]
    """``staff_client(role, teams=[...])`` -> a PortalClient signed in (password and second factor done)."""
    from tests.factories import make_staff_user
    from tests.helpers import PortalClient, sign_in_as

    def _make(role, **kwargs):  # type: ignore[no-untyped-def]
        user = kwargs.pop("user", None) or make_staff_user(role, **kwargs)
        c = PortalClient(app)
        sign_in_as(c, user)
        c.user = user
        return c

    return _make


@pytest.fixture
def count_statements(db):
    """``with count_statements() as counted: ...`` counts the SQL statements run in the block (tests/statements.py)."""
    from tests.statements import StatementCounter

    return lambda: StatementCounter(db)
