"""The annual report over 1,000,000 records on PostgreSQL (or SQLite): load the records through the importer in
batches of 100,000, then time `portal.services.reports.annual_report` (and the quarterly indicators and team
dashboard) for one financial year, median of 3 runs.

    .venv/bin/python benchmarks/annual_report_benchmark.py                     # PostgreSQL database bench_reports
    .venv/bin/python benchmarks/annual_report_benchmark.py --rows 200000       # quicker
    .venv/bin/python benchmarks/annual_report_benchmark.py --reuse             # time again without reloading

It builds its own database (bench_reports on 127.0.0.1, or /tmp/bench_reports.db) and touches nothing else.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

from benchmarks.import_benchmark import database_url, fresh_app  # noqa: E402
from benchmarks.reports_data import csv_text, rows  # noqa: E402

BATCH = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="Keep the database loaded by an earlier run.")
    args = parser.parse_args()
    if args.reuse:
        url = (
            "sqlite:////tmp/bench_reports.db"
            if args.backend == "sqlite"
            else "postgresql+psycopg://postgres@127.0.0.1:5432/bench_reports"
        )
        from portal import create_app
        from portal.config import TestConfig

        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None)
    else:
        app = fresh_app(database_url(args.backend, "bench_reports"))
    with app.app_context():
        from portal.domain import reporting
        from portal.extensions import db
        from portal.services import importer, reports
        from portal.services.calendar import calendar_for

        if not args.reuse:
            calendar = calendar_for(None)
            loaded = 0
            started = time.perf_counter()
            for batch, first in enumerate(range(0, args.rows, BATCH)):
                n = min(BATCH, args.rows - first)
                text = csv_text(rows(n, date(2019, 4, 1), date(2026, 3, 31), calendar, seed=batch, prefix=f"B{batch}-"))
                result = importer.import_file(io.StringIO(text, newline=""), source=f"benchmark batch {batch}")
                assert result.ok, result.problems[:5]
                loaded += n
                print(f"loaded {loaded:,} records ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE")
        period = reporting.financial_year(2024)
        timings = {}
        for name, run in (
            ("annual report (with previous year)", lambda: reports.annual_report(period)),
            ("quarterly indicators (5 quarters)", lambda: reports.quarterly_indicators(period.end)),
            ("team dashboard", lambda: reports.team_dashboard(period)),
        ):
            samples = []
            for _ in range(3):
                started = time.perf_counter()
                data = run()
                samples.append(time.perf_counter() - started)
                db.session.rollback()
            timings[name] = statistics.median(samples)
            if name.startswith("annual"):
                contacts = data["contacts"]["total"]
        total = db.session.scalar(__import__("sqlalchemy").text("SELECT count(*) FROM submission"))
        print(f"| {db.engine.dialect.name} | {total:,} records | {contacts:,} contacts in 2024/25 |")
        for name, seconds in timings.items():
            print(f"| {name} | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
