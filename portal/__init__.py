"""Application factory."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from portal.config import ROOT, Config, config_from_env

log = logging.getLogger(__name__)


def create_app(config: type[Config] | None = None, **overrides: object) -> Flask:
    config = config or config_from_env()
    app = Flask(
        "portal",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config)
    app.config.from_prefixed_env("PORTAL")
    app.config.update(overrides)
    config.validate(app.config)

    _setup_logging(app)
    _setup_jinja(app)
    _setup_extensions(app)
    from portal import security

    security.init_app(app)
    _register_blueprints(app)
    from portal import errors

    errors.init_app(app)
    from portal import cli

    cli.init_app(app)
    security.wrap_wsgi(app)
    return app


def _setup_logging(app: Flask) -> None:
    from portal.logging_setup import configure_logging

    configure_logging(app)


def _setup_jinja(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    from portal import template_helpers

    template_helpers.init_app(app)


def _setup_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.services import audit_chain

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _prepare_sqlite(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    WTFormsHelpers(app)
    audit_chain.install()


def _prepare_sqlite(app: Flask) -> None:
    """Make the instance folder and turn on foreign keys and WAL for every SQLite connection."""
    import sqlalchemy as sa
    from sqlalchemy import event

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite://":
        Path(uri[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("connect_args", {})["timeout"] = 30
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    @event.listens_for(sa.engine.Engine, "connect")
    def _sqlite_pragmas(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    @event.listens_for(sa.engine.Engine, "savepoint")
    def _sqlite_savepoint_inside_a_transaction(conn: sa.engine.Connection, name: str) -> None:
        # pysqlite opens a transaction only before a write, so a SAVEPOINT issued first would open one itself and
        # its RELEASE would commit everything so far, outside the unit of work. Open the transaction first.
        dbapi_connection = conn.connection.dbapi_connection
        if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")


def _register_blueprints(app: Flask) -> None:
    from portal.public import bp as public_bp
    from staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
