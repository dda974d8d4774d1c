"""Case list at a million rows: bulk-insert 1,000,000 submissions (with people, teams and officers) into SQLite and
PostgreSQL, then time the staff case list's common filters and keyset pages through the real service
(portal.services.cases.list_cases), as a complaints manager and as a responding manager.

    .venv/bin/python benchmarks/case_list.py --backend sqlite
    .venv/bin/python benchmarks/case_list.py --backend postgresql   # database bench_cases on 127.0.0.1
    .venv/bin/python benchmarks/case_list.py --rows 100000          # a quicker run

It builds its own database (SQLite file in /tmp, or PostgreSQL database bench_cases) and never touches others.
Prints a Markdown table of median timings (ms) over 5 runs per filter.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask_sqlalchemy import SQLAlchemy  # noqa: E402

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
FIRST = ["Sam", "Alex", "Jo", "Chris", "Pat", "Jamie", "Morgan", "Taylor", "Robin", "Charlie", "Ali", "Kim"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Evans"]
STATUSES = (
    ["new"] * 2 + ["awaiting_information"] + ["open"] * 12 + ["closed"] * 80 + ["withdrawn"] * 2 + ["refused"] * 3
)
STAGES = ["stage1"] * 80 + ["stage2"] * 12 + ["stage3"] * 3 + ["corporate1"] * 5


def reference(i: int) -> str:
    chars = []
    for _ in range(9):
        i, r = divmod(i, 30)
        chars.append(ALPHABET[r])
    s = "".join(reversed(chars))
    return f"{s[:3]}-{s[3:6]}-{s[6:]}"


def build_app(url: str) -> Flask:
    from portal import create_app
    from portal.config import TestConfig

    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None)


def populate(db: SQLAlchemy, rows: int, today: date) -> None:
    from portal.models import Person, ServiceArea, StaffUser, Submission, Team, staff_user_team

    rnd = random.Random(42)
    conn = db.session.connection()
    conn.execute(
        sa.insert(ServiceArea), [{"id": i, "name": f"Area {i}", "active": True, "sort_order": i} for i in range(1, 6)]
    )
    conn.execute(
        sa.insert(Team),
        [{"id": i, "name": f"Team {i}", "service_area_id": 1 + i % 5, "active": True} for i in range(1, 41)],
    )
    staff = [
        {
            "id": i,
            "email": f"officer{i}@example.gov.uk",
            "full_name": f"Officer {i}",
            "role": "complaints_officer",
            "password_hash": "x",
            "active": True,
            "failed_sign_ins": 0,
            "session_version": 1,
        }
        for i in range(1, 21)
    ]
    staff.append(
        {
            "id": 21,
            "email": "manager@example.gov.uk",
            "full_name": "Manager",
            "role": "complaints_manager",
            "password_hash": "x",
            "active": True,
            "failed_sign_ins": 0,
            "session_version": 1,
        }
    )
    for rm_id in range(22, 32):  # ten responding managers; the benchmark signs in as the first
        staff.append(
            {
                "id": rm_id,
                "email": f"rm{rm_id}@example.gov.uk",
                "full_name": f"Responding {rm_id}",
                "role": "responding_manager",
                "password_hash": "x",
                "active": True,
                "failed_sign_ins": 0,
                "session_version": 1,
            }
        )
    conn.execute(sa.insert(StaffUser), staff)
    conn.execute(sa.insert(staff_user_team), [{"staff_user_id": 22, "team_id": 7}, {"staff_user_id": 22, "team_id": 8}])
    people = rows // 3
    chunk = 20_000
    created = datetime.now(UTC)
    for start in range(1, people + 1, chunk):
        batch = []
        for pid in range(start, min(start + chunk, people + 1)):
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}-{pid}"
            batch.append({"id": pid, "full_name": name, "name_key": name.lower(), "created_at": created})
        conn.execute(sa.insert(Person), batch)
    first_day = today - timedelta(days=6 * 365)
    span = (today - first_day).days
    for start in range(1, rows + 1, chunk):
        batch = []
        for sid in range(start, min(start + chunk, rows + 1)):
            received = first_day + timedelta(days=rnd.randrange(span))
            status = rnd.choice(STATUSES)
            is_open = status in ("new", "awaiting_information", "open")
            batch.append(
                {
                    "id": sid,
                    "reference": reference(sid),
                    "kind": "complaint" if sid % 10 else rnd.choice(["compliment", "advocacy"]),
                    "channel": "online_form",
                    "received_at": datetime.combine(received, datetime.min.time(), UTC),
                    "received_on": received,
                    "received_month": received.strftime("%Y-%m"),
                    "created_at": created,
                    "updated_at": created,
                    "imported": True,
                    "person_id": rnd.randrange(1, people + 1),
                    "team_id": rnd.randrange(1, 41),
                    "service_area_id": rnd.randrange(1, 6),
                    "status": status,
                    "current_stage": rnd.choice(STAGES) if status != "new" else None,
                    "assigned_officer_id": rnd.randrange(1, 21),
                    "responding_manager_id": rnd.randrange(22, 32) if status != "new" else None,
                    "next_due_on": (today + timedelta(days=rnd.randrange(-20, 40))) if is_open else None,
                    "feels_unsafe": False,
                    "safeguarding_flag": False,
                    "out_of_time": False,
                }
            )
        conn.execute(sa.insert(Submission), batch)
        db.session.commit()
        conn = db.session.connection()
        print(f"  inserted {min(start + chunk - 1, rows):,} rows", file=sys.stderr, flush=True)
    db.session.commit()


def timed(fn: Callable[[], object], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing populated database.")
    args = parser.parse_args()
    if args.backend == "sqlite":
        path = Path("/tmp/bench_cases.db")
        if not args.reuse and path.exists():
            path.unlink()
        url = f"sqlite:///{path}"
    else:
        admin = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not args.reuse:
                conn.execute(sa.text("DROP DATABASE IF EXISTS bench_cases"))
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = 'bench_cases'")):
                conn.execute(sa.text("CREATE DATABASE bench_cases"))
        admin.dispose()
        url = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_cases"

    app = build_app(url)
    today = date(2026, 11, 18)
    from portal.extensions import db
    from portal.models import StaffUser, Submission
    from portal.services import cases

    with app.app_context():
        populated = args.reuse and sa.inspect(db.engine).has_table("submission")
        if not populated:
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            populate(db, args.rows, today)
            print(f"Inserted {args.rows:,} submissions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) or 0
        manager = db.session.get_one(StaffUser, 21)
        responding = db.session.get_one(StaffUser, 22)
        deep = cases.list_cases(manager, cases.CaseFilters(), today)
        for _ in range(200):  # walk 200 pages to get a deep cursor
            deep = cases.list_cases(manager, cases.CaseFilters(), today, after=deep.next_cursor)
        probe_ref = reference(count // 2 + 1)
        probe_name = db.session.scalar(sa.text("SELECT full_name FROM person WHERE id = 1234")).split(" ", 1)[1].lower()
        checks = [
            ("First page, no filter", manager, cases.CaseFilters(), None),
            ("Page 201 (keyset cursor)", manager, cases.CaseFilters(), deep.next_cursor),
            ("Status open", manager, cases.CaseFilters(status="open"), None),
            ("Not closed (active)", manager, cases.CaseFilters(status="active"), None),
            ("Stage 2", manager, cases.CaseFilters(stage="stage2"), None),
            ("One team", manager, cases.CaseFilters(team_id=7), None),
            ("One officer", manager, cases.CaseFilters(officer_id=3), None),
            ("Overdue", manager, cases.CaseFilters(overdue=True), None),
            ("Due this week", manager, cases.CaseFilters(due_this_week=True), None),
            (
                "Received in one month",
                manager,
                cases.CaseFilters(received_from=date(2025, 3, 1), received_to=date(2025, 3, 31)),
                None,
            ),
            ("Reference search", manager, cases.CaseFilters(q=probe_ref), None),
            ("Name search", manager, cases.CaseFilters(q=probe_name), None),
            ("Officer + overdue", manager, cases.CaseFilters(officer_id=3, overdue=True), None),
            ("Responding manager (2 teams), first page", responding, cases.CaseFilters(), None),
            ("Responding manager, overdue", responding, cases.CaseFilters(overdue=True), None),
        ]
        print(f"\n{args.backend}: {count:,} submissions\n")
        print("| Filter | Rows on page | Median ms (5 runs) |")
        print("| --- | ---: | ---: |")
        for label, user, filters, after in checks:
            result = cases.list_cases(user, filters, today, after=after)
            ms = timed(functools.partial(cases.list_cases, user, filters, today, after=after))
            print(f"| {label} | {len(result.rows)} | {ms:.1f} |")
            db.session.rollback()


if __name__ == "__main__":
    main()
