"""Import speed: 100,000 interchange rows through `portal.services.importer` (the code behind `import-cases`),
into an empty database, on SQLite and on PostgreSQL. Prints the time to check and write the file.

    .venv/bin/python benchmarks/import_benchmark.py --backend sqlite
    .venv/bin/python benchmarks/import_benchmark.py --backend postgresql   # database bench_import on 127.0.0.1

It builds its own database (SQLite file in /tmp, or PostgreSQL database bench_import) and touches nothing else.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from benchmarks.reports_data import csv_text, rows  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def database_url(backend: str, name: str) -> str:
    if backend == "sqlite":
        path = Path(f"/tmp/{name}.db")
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def fresh_app(url: str) -> Flask:
    from portal import create_app
    from portal.config import TestConfig
    from portal.extensions import db
    from portal.services.reference_data import ensure_reference_data

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None)
    with app.app_context():
        db.create_all()
        ensure_reference_data()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    app = fresh_app(database_url(args.backend, "bench_import"))
    with app.app_context():
        from portal.services import importer
        from portal.services.calendar import calendar_for

        text = csv_text(rows(args.rows, date(2022, 4, 1), date(2025, 3, 31), calendar_for(None)))
        started = time.perf_counter()
        result = importer.import_file(io.StringIO(text, newline=""), source="benchmark")
        elapsed = time.perf_counter() - started
        assert result.ok, result.problems[:5]
        print(f"| {args.backend} | {args.rows:,} rows | {result.counts['stages']:,} stage records | {elapsed:.1f} s |")


if __name__ == "__main__":
    main()
