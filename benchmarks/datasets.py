"""PostgreSQL datasets for `make bench`: bench_portal_1k, bench_portal_100k and bench_portal_1m.

Each is built once and kept. The records come from `benchmarks/reports_data.py` (seven financial years up to today,
the complaints of the last 60 days still open so the overdue filter has work) and go in through the real importer
(`portal.services.importer`, which writes with COPY) in batches of 100,000, followed by `VACUUM ANALYZE` (autovacuum
is off on these machines, and planner statistics decide the staff list's plan). One complaints manager with a
known password and second-factor secret is added so the benchmark can sign in like a person.

The database's comment records what built it (generator version, rows, a hash of the schema). A later run reuses
the database when the comment matches and rebuilds it when the generator or the models changed.

    .venv/bin/python -m benchmarks.datasets 100k        # build (or check) one dataset
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
GENERATOR_VERSION = 1
BATCH = 100_000
OPEN_DAYS = 60
FIRST_DAY = date(2019, 4, 1)
SIZES = {"1k": 1_000, "100k": 100_000, "1m": 1_000_000}

MANAGER_EMAIL = "bench.manager@example.gov.uk"
MANAGER_PASSWORD = "Benchmark-manager-passphrase-for-sign-in-7Q"
MANAGER_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class Dataset:
    name: str
    rows: int
    url: str
    built_seconds: float | None  # None when an earlier run's database was reused


def database_name(size: str) -> str:
    return f"bench_portal_{size}"


def _admin() -> sa.Engine:
    return sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def _app(url: str) -> Flask:
    os.environ.setdefault("APP_ENV", "test")
    from portal import create_app
    from portal.config import TestConfig

    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None)


def schema_hash() -> str:
    """A hash of the schema the models create on PostgreSQL, so a model change rebuilds the datasets."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    from portal.extensions import db

    dialect = postgresql.dialect()
    parts = []
    for table in db.metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)))
        parts.extend(sorted(str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def cache_key(rows: int) -> str:
    return f"bench-portal generator v{GENERATOR_VERSION}, {rows} rows, schema {schema_hash()}"


def _comment(name: str) -> str | None:
    with _admin().connect() as conn:
        return conn.scalar(
            sa.text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"), {"n": name}
        )


def ensure(size: str, log: bool = True) -> Dataset:
    """The dataset of that size, built now unless an identical one is already there."""
    name = database_name(size)
    rows = SIZES[size]
    url = f"{PG_SERVER}/{name}"
    key = cache_key(rows)
    if _comment(name) == key:
        return Dataset(name, rows, url, None)
    started = time.perf_counter()
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    _load(url, rows, log)
    with admin.connect() as conn:
        conn.execute(sa.text(f"COMMENT ON DATABASE \"{name}\" IS '{key}'"))
    admin.dispose()
    return Dataset(name, rows, url, time.perf_counter() - started)


def _load(url: str, rows: int, log: bool) -> None:
    from benchmarks.reports_data import csv_text
    from benchmarks.reports_data import rows as generate
    from portal.extensions import db
    from portal.services import importer
    from portal.services.calendar import calendar_for
    from portal.services.reference_data import ensure_reference_data

    app = _app(url)
    today = date.today()
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        db.session.commit()
        calendar = calendar_for(None)
        started = time.perf_counter()
        for batch, first in enumerate(range(0, rows, BATCH)):
            n = min(BATCH, rows - first)
            generated = generate(
                n,
                FIRST_DAY,
                today + timedelta(days=120),  # the generator stops 120 days before its end date
                calendar,
                seed=batch,
                prefix=f"B{batch}-",
                open_from=today - timedelta(days=OPEN_DAYS),
            )
            result = importer.import_file(io.StringIO(csv_text(generated), newline=""), source=f"bench {batch}")
            if not result.ok:
                raise RuntimeError(f"the importer refused the generated rows: {result.problems[:5]}")
            if log:
                print(f"  {first + n:,} records loaded ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        _add_manager()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def _add_manager() -> None:
    from portal.services.users import create_user

    create_user(
        email=MANAGER_EMAIL,
        full_name="Bench Manager",
        role="complaints_manager",
        password=MANAGER_PASSWORD,
        totp_secret=MANAGER_TOTP_SECRET,
    )


def main() -> None:
    for size in sys.argv[1:] or ["1k"]:
        dataset = ensure(size)
        how = "reused" if dataset.built_seconds is None else f"built in {dataset.built_seconds:.0f} s"
        print(f"{dataset.name}: {dataset.rows:,} records, {how}")


if __name__ == "__main__":
    main()
