"""`make bench`: the portal in production mode beside the stack's ceiling, in one run, on 1k, 100k and 1M records.

For each dataset (benchmarks/datasets.py, built once and cached) it works on a fresh copy of the database and:

1. measures the ceiling (benchmarks/hello.py on the same gunicorn settings) with wrk;
2. starts the portal (gunicorn, 2 sync workers, APP_ENV=production, PostgreSQL, Redis db 5 as the limiter store),
   signs in a complaints manager (password and second factor), and measures with wrk -t2 -c10: the start page,
   a young person's question page (mid-journey, with a draft), GET /track, tracking look-ups (POST /track with a
   real reference and phone number), the staff case list (50 rows) and the overdue filter; then whole young
   person's complaints, page by page with CSRF tokens, as completed journeys per second with 2 clients;
   reads each worker's peak memory; stops the portal;
3. measures the ceiling again;
4. times the annual report in-process (`portal.services.reports.annual_report`, median of 3) against
   hand-written SQL of the same figures (benchmarks/annual_raw.py, checked to give the same figures).

Every HTTP figure is printed as a share of the ceiling measured in the same run (the mean of before and after),
with the 1-minute load average after it. Results go to benchmarks/results/<UTC time>.json and .md.

    make bench                                          # 1k, 100k and 1M
    BENCH_SIZES=1k,100k make bench                      # or: .venv/bin/python -m benchmarks.run --sizes 1k
    .venv/bin/python -m benchmarks.run --sizes 1k --seconds 5   # a quick check of the harness
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyotp
import sqlalchemy as sa

from benchmarks import annual_raw, datasets, journeys, servers
from benchmarks.browser import Browser, bench_address

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LUA = ROOT / "benchmarks" / "wrk.lua"
REPORT_YEAR = 2024  # financial year 2024/25, compared with 2023/24
PAGES_PER_ADDRESS = 500  # under the default limit of 600 an hour per address and endpoint


@dataclass
class Figure:
    """One wrk measurement."""

    name: str
    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    load: float
    share: float | None = None  # of the ceiling, filled in once the ceiling is known


@dataclass
class DatasetResult:
    size: str
    records: int
    built_seconds: float | None
    ceiling_before: Figure
    ceiling_after: Figure
    pages: list[Figure]
    journeys: dict[str, Any]
    peak_rss_mib: list[float]
    annual_report: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def ceiling(self) -> float:
        return (self.ceiling_before.per_second + self.ceiling_after.per_second) / 2


class Measurer:
    """Runs wrk against a server with addresses that never repeat within the run."""

    def __init__(self, seconds: int, warmup: int) -> None:
        self.seconds = seconds
        self.warmup = warmup
        self.next_address = 0

    def wrk(
        self,
        name: str,
        port: int,
        path: str,
        *,
        expect: int = 200,
        per_address: int = PAGES_PER_ADDRESS,
        method: str = "GET",
        body: str = "",
        cookie: str = "",
    ) -> Figure:
        def run(seconds: int) -> dict[str, Any]:
            servers.clear_limiter_counts()
            first = self.next_address
            self.next_address += 20_000
            args = [str(per_address), str(expect), method, str(first), body, cookie]
            command = ["wrk", "-t2", "-c10", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
            done = subprocess.run(
                [*command, f"http://127.0.0.1:{port}{path}", "--", *args],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=True,
            )
            return json.loads(done.stdout.strip().splitlines()[-1])

        if self.warmup:
            run(self.warmup)
        out = run(self.seconds)
        load = os.getloadavg()[0]
        if out["unexpected"] or out["errors"]:
            raise RuntimeError(
                f"{name}: {out['unexpected']} responses were not {expect} (last {out['unexpected_status']}), "
                f"{out['errors']} socket errors"
            )
        return Figure(
            name,
            out["requests"] / out["seconds"],
            out["latency_ms"]["p50"],
            out["latency_ms"]["p99"],
            out["requests"],
            load,
        )


def sign_in(port: int, address: str) -> str:
    """Sign the benchmark's complaints manager in (password, then the current TOTP code); returns the cookies."""
    browser = Browser(port, address)
    page = browser.get("/staff/sign-in")
    form = {"csrf_token": page.csrf(), "email": datasets.MANAGER_EMAIL, "password": datasets.MANAGER_PASSWORD}
    second = browser.post("/staff/sign-in", form).location
    page = browser.get(second)
    code = pyotp.TOTP(datasets.MANAGER_TOTP_SECRET).now()
    browser.post(second, {"csrf_token": page.csrf(), "code": code})
    browser.get("/staff/cases")
    return browser.cookie_header()


def measure_portal(measure: Measurer, server: servers.Server, journey_seconds: int) -> tuple[list[Figure], dict]:
    port = server.port
    # A person half-way through a journey (their draft in the cookies), a sent complaint to track, a manager.
    person = Browser(port, bench_address(131_000))
    first_question = journeys.start(person)
    second_question = journeys.answer_step(person, first_question)
    sent = journeys.complete(Browser(port, bench_address(131_001)))
    tracker = Browser(port, bench_address(131_002))
    track_page = tracker.get("/track")
    track_body = urlencode({"csrf_token": track_page.csrf(), "reference": sent.reference, "check": journeys.PHONE})
    staff_cookie = sign_in(port, bench_address(131_003))

    pages = [
        measure.wrk("Start page", port, "/"),
        measure.wrk("A young person's question page", port, second_question, cookie=person.cookie_header()),
        measure.wrk("GET /track", port, "/track"),
        measure.wrk(
            "Tracking look-up (POST /track)",
            port,
            "/track",
            expect=302,
            per_address=1,
            method="POST",
            body=track_body,
            cookie=tracker.cookie_header(),
        ),
        measure.wrk("Staff case list (50 rows)", port, "/staff/cases", cookie=staff_cookie),
        measure.wrk("Staff case list, overdue", port, "/staff/cases?due=overdue", cookie=staff_cookie),
    ]
    servers.clear_limiter_counts()
    run = journeys.run_clients(port, clients=2, seconds=journey_seconds, first_address=measure.next_address)
    measure.next_address += 20_000
    if run.failures:
        raise RuntimeError(f"journeys failed: {run.failures[:3]}")
    journey = {
        "clients": run.clients,
        "seconds": round(run.seconds, 1),
        "completed": run.completed,
        "per_second": run.per_second,
        "requests_per_journey": run.requests_per_journey,
        "requests_per_second": run.requests / run.seconds,
        "load": os.getloadavg()[0],
    }
    return pages, journey


def annual_report(url: str) -> dict[str, Any]:
    """In-process time and statements of the annual report (with the previous year), against the raw SQL."""
    from portal.domain import reporting
    from portal.extensions import db
    from portal.services import reports

    period = reporting.financial_year(REPORT_YEAR)
    app = datasets._app(url)
    statements = []
    samples = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        for _ in range(3):
            statements.clear()
            started = time.perf_counter()
            report = reports.annual_report(period)
            samples.append(time.perf_counter() - started)
            db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    raw = annual_raw.time_raw(url.replace("+psycopg", ""), period.start, period.end)
    same = annual_raw.report_figures(report) == raw.figures
    in_process = statistics.median(samples)
    return {
        "in_process_s": in_process,
        "statements": len(statements),
        "raw_sql_s": raw.seconds,
        "raw_statements": raw.statements,
        "ratio": in_process / raw.seconds,
        "same_figures": same,
        "contacts": report["contacts"]["total"],
        "load": os.getloadavg()[0],
    }


def _working_copy(dataset: datasets.Dataset) -> str:
    name = f"{dataset.name}_run"
    admin = sa.create_engine(f"{datasets.PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{dataset.name}"'))
    admin.dispose()
    return name


def _drop(name: str) -> None:
    admin = sa.create_engine(f"{datasets.PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def ceiling(measure: Measurer, log_dir: Path, name: str) -> Figure:
    server = servers.start_ceiling(log_dir)
    try:
        return measure.wrk(name, server.port, "/")
    finally:
        server.stop()


def run_dataset(size: str, measure: Measurer, log_dir: Path, journey_seconds: int) -> DatasetResult:
    print(f"[{size}] dataset", file=sys.stderr, flush=True)
    dataset = datasets.ensure(size)
    copy = _working_copy(dataset)
    url = f"{datasets.PG_SERVER}/{copy}"
    try:
        print(f"[{size}] ceiling (before)", file=sys.stderr, flush=True)
        before = ceiling(measure, log_dir, "Ceiling before")
        print(f"[{size}] portal", file=sys.stderr, flush=True)
        server = servers.start_portal(url, log_dir)
        try:
            pages, journey = measure_portal(measure, server, journey_seconds)
            peaks = server.peak_rss_mib()
        finally:
            server.stop()
        print(f"[{size}] ceiling (after)", file=sys.stderr, flush=True)
        after = ceiling(measure, log_dir, "Ceiling after")
        print(f"[{size}] annual report", file=sys.stderr, flush=True)
        report = annual_report(url)
    finally:
        _drop(copy)
        servers.clear_limiter_counts()
    result = DatasetResult(size, dataset.rows, dataset.built_seconds, before, after, pages, journey, peaks, report)
    for figure in pages:
        figure.share = figure.per_second / result.ceiling
    journey["share"] = journey["requests_per_second"] / result.ceiling
    if not report["same_figures"]:
        result.notes.append("the raw SQL's figures differ from the report's: update benchmarks/annual_raw.py")
    return result


def _cell(figure: Figure) -> str:
    return f"{100 * (figure.share or 0):.1f} % ({figure.per_second:,.0f}/s, load {figure.load:.1f})"


def markdown(results: list[DatasetResult], started: datetime) -> str:
    sizes = [r.size for r in results]
    head = "| Measure | " + " | ".join(f"{s} records" for s in sizes) + " |"
    lines = [
        f"Run of {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores. Share of the ceiling from the same run "
        "(requests/s, 1-minute load average after the measurement).",
        "",
        head,
        "|" + " --- |" + " ---: |" * len(sizes),
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "Ceiling: hello world, before / after (req/s)",
        [
            f"{r.ceiling_before.per_second:,.0f} / {r.ceiling_after.per_second:,.0f} "
            f"(load {r.ceiling_before.load:.1f} / {r.ceiling_after.load:.1f})"
            for r in results
        ],
    )
    for i, page in enumerate(results[0].pages):
        row(page.name, [_cell(r.pages[i]) for r in results])
    row(
        "Median / p99 latency, staff case list (ms)",
        [f"{r.pages[4].p50_ms:.0f} / {r.pages[4].p99_ms:.0f}" for r in results],
    )
    row(
        "Whole submissions, 2 clients (journeys/s)",
        [
            f"{r.journeys['per_second']:.1f}/s ({r.journeys['requests_per_journey']:.0f} requests each, "
            f"{100 * r.journeys['share']:.1f} % of the ceiling, load {r.journeys['load']:.1f})"
            for r in results
        ],
    )
    row(
        "Annual report with previous year: in-process / raw SQL",
        [
            f"{r.annual_report['in_process_s']:.2f} s / {r.annual_report['raw_sql_s']:.2f} s = "
            f"{r.annual_report['ratio']:.1f}× ({r.annual_report['statements']} statements, "
            f"load {r.annual_report['load']:.1f})"
            for r in results
        ],
    )
    row("Peak memory per worker (MiB)", [" / ".join(f"{m:.0f}" for m in r.peak_rss_mib) for r in results])
    row(
        "Dataset",
        [
            "cached" if r.built_seconds is None else f"built in {r.built_seconds:.0f} s"
            for r in results  # the time to generate and load, when this run built it
        ],
    )
    notes = [f"- {r.size}: {note}" for r in results for note in r.notes]
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1k,100k,1m"))
    parser.add_argument("--seconds", type=int, default=10, help="Length of each wrk measurement.")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of wrk before each measurement.")
    parser.add_argument("--journey-seconds", type=int, default=30)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `make bench` installs Debian's wrk")
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    log_dir = RESULTS / f"{stamp}-logs"
    log_dir.mkdir()
    measure = Measurer(args.seconds, args.warmup)
    results = [run_dataset(size, measure, log_dir, args.journey_seconds) for size in args.sizes.split(",")]
    table = markdown(results, started)
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps({"started": started.isoformat(), "results": [asdict(r) for r in results]}, indent=2, default=str)
    )
    (RESULTS / f"{stamp}.md").write_text(table)
    print(table)
    print(f"Written to {RESULTS / stamp}.md and .json (server logs in {log_dir})", file=sys.stderr)


if __name__ == "__main__":
    main()
