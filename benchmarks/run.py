"""`make bench`: the portal in production mode beside the stack's ceiling, in one run, on 1k, 100k and 1M records.

For each dataset (benchmarks/datasets.py, built once and cached) it works on a fresh copy of the database, starts
the ceiling (benchmarks/hello.py) and the portal in production mode (gunicorn, 2 sync workers, APP_ENV=production,
PostgreSQL, Redis db 5 as the limiter store) on the same gunicorn settings, signs in a complaints manager (password
and second factor), and measures with wrk -t2 -c10, the ceiling before and after every figure:

- the start page, a young person's question page (mid-journey, with a draft), GET /track, tracking look-ups
  (POST /track with a real reference and phone number), the staff case list (50 rows) and the overdue filter;
- whole young person's complaints, page by page with CSRF tokens, as completed journeys per second with 2 clients;
- each worker's peak memory (VmHWM);
- the annual report in-process (`portal.services.reports.annual_report`, median of 3) against hand-written SQL of
  the same figures (benchmarks/annual_raw.py, checked to give the same figures), with the servers stopped.

Every HTTP figure is printed as a share of the mean of the ceiling runs just before and just after it, with the
1-minute load average. Results go to benchmarks/results/<UTC time>.json and .md.

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
PAGES_PER_ADDRESS = 250  # under RATELIMIT_DEFAULT (300 a minute, 3000 an hour per address and endpoint)


@dataclass
class Figure:
    """One measurement. For wrk, per_second is requests/s; for the journeys, completed journeys/s."""

    name: str
    per_second: float
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    load: float
    requests: int
    ceiling: float = 0.0  # the mean of the ceiling runs just before and just after this one
    detail: str = ""

    @property
    def share(self) -> float:
        return self.requests_per_second / self.ceiling if self.ceiling else 0.0


@dataclass
class DatasetResult:
    size: str
    records: int
    built_seconds: float | None
    ceilings: list[Figure]
    figures: list[Figure]
    peak_rss_mib: list[float]
    annual_report: dict[str, Any]
    notes: list[str] = field(default_factory=list)


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
        warmup: bool = True,
        slow: bool = False,
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

        if warmup and self.warmup:
            run(self.warmup)
        out = run(self.seconds * (3 if slow else 1))  # a slow figure gets longer, to count enough requests
        load = os.getloadavg()[0]
        if out["unexpected"] or out["errors"]:
            raise RuntimeError(
                f"{name}: {out['unexpected']} responses were not {expect} (last {out['unexpected_status']}), "
                f"{out['errors']} socket errors"
            )
        rate = out["requests"] / out["seconds"]
        return Figure(name, rate, rate, out["latency_ms"]["p50"], out["latency_ms"]["p99"], load, out["requests"])


class Bracketed:
    """Measures the ceiling before and after every figure (both servers stay up; the idle one costs nothing), so
    each share compares the portal with the ceiling of the same minute on a machine whose load keeps changing."""

    def __init__(self, measure: Measurer, ceiling_port: int) -> None:
        self.measure = measure
        self.port = ceiling_port
        self.ceilings = [measure.wrk("Ceiling", ceiling_port, "/")]

    def __call__(self, figure: Figure) -> Figure:
        after = self.measure.wrk("Ceiling", self.port, "/", warmup=False)
        figure.ceiling = (self.ceilings[-1].per_second + after.per_second) / 2
        self.ceilings.append(after)
        return figure


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


def measure_portal(measure: Measurer, portal: servers.Server, ceiling: Bracketed, journey_seconds: int) -> list[Figure]:
    port = portal.port
    # A person half-way through a journey (their draft in the cookies), a sent complaint to track, a manager.
    person = Browser(port, bench_address(131_000))
    first_question = journeys.start(person)
    second_question = journeys.answer_step(person, first_question)
    sent = journeys.complete(Browser(port, bench_address(131_001)))
    tracker = Browser(port, bench_address(131_002))
    track_page = tracker.get("/track")
    track_body = urlencode({"csrf_token": track_page.csrf(), "reference": sent.reference, "check": journeys.PHONE})
    staff_cookie = sign_in(port, bench_address(131_003))

    figures = [
        ceiling(measure.wrk("Start page", port, "/")),
        ceiling(measure.wrk("A young person's question page", port, second_question, cookie=person.cookie_header())),
        ceiling(measure.wrk("GET /track", port, "/track")),
        ceiling(
            measure.wrk(
                "Tracking look-up (POST /track)",
                port,
                "/track",
                expect=302,
                per_address=1,
                method="POST",
                body=track_body,
                cookie=tracker.cookie_header(),
                slow=True,
            )
        ),
        ceiling(measure.wrk("Staff case list (50 rows)", port, "/staff/cases", cookie=staff_cookie)),
        ceiling(measure.wrk("Staff case list, overdue", port, "/staff/cases?due=overdue", cookie=staff_cookie)),
    ]
    servers.clear_limiter_counts()
    run = journeys.run_clients(port, clients=2, seconds=journey_seconds, first_address=measure.next_address)
    measure.next_address += 20_000
    if run.failures:
        raise RuntimeError(f"journeys failed: {run.failures[:3]}")
    journey = Figure(
        "Whole submissions, 2 clients (journeys/s)",
        run.per_second,
        run.requests / run.seconds,
        None,
        None,
        os.getloadavg()[0],
        run.requests,
        detail=f"{run.requests_per_journey:.0f} requests each",
    )
    figures.append(ceiling(journey))
    return figures


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


def run_dataset(size: str, measure: Measurer, log_dir: Path, journey_seconds: int) -> DatasetResult:
    print(f"[{size}] dataset", file=sys.stderr, flush=True)
    dataset = datasets.ensure(size)
    copy = _working_copy(dataset)
    url = f"{datasets.PG_SERVER}/{copy}"
    try:
        print(f"[{size}] ceiling and portal", file=sys.stderr, flush=True)
        hello = servers.start_ceiling(log_dir)
        try:
            portal = servers.start_portal(url, log_dir)
            try:
                ceiling = Bracketed(measure, hello.port)
                figures = measure_portal(measure, portal, ceiling, journey_seconds)
                peaks = portal.peak_rss_mib()
            finally:
                portal.stop()
        finally:
            hello.stop()
        print(f"[{size}] annual report", file=sys.stderr, flush=True)
        report = annual_report(url)
    finally:
        _drop(copy)
        servers.clear_limiter_counts()
    result = DatasetResult(size, dataset.rows, dataset.built_seconds, ceiling.ceilings, figures, peaks, report)
    if not report["same_figures"]:
        result.notes.append("the raw SQL's figures differ from the report's: update benchmarks/annual_raw.py")
    return result


def _cell(figure: Figure) -> str:
    rate = f"{figure.per_second:,.1f}/s" if figure.per_second < 100 else f"{figure.per_second:,.0f}/s"
    detail = f", {figure.detail}" if figure.detail else ""
    return f"{100 * figure.share:.1f} % ({rate}{detail}, load {figure.load:.1f})"


def markdown(results: list[DatasetResult], started: datetime) -> str:
    sizes = [r.size for r in results]
    lines = [
        f"Run of {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores. Each cell: share of the ceiling measured "
        "just before and just after it (requests/s; for journeys, their requests), the figure, and the 1-minute "
        "load average after it.",
        "",
        "| Measure | " + " | ".join(f"{s} records" for s in sizes) + " |",
        "|" + " --- |" + " ---: |" * len(sizes),
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "Ceiling: hello world (req/s, lowest–highest of the runs)",
        [
            f"{min(c.per_second for c in r.ceilings):,.0f}–{max(c.per_second for c in r.ceilings):,.0f} "
            f"({len(r.ceilings)} runs)"
            for r in results
        ],
    )
    for i, figure in enumerate(results[0].figures):
        row(figure.name, [_cell(r.figures[i]) for r in results])
    row(
        "Staff case list: median / p99 latency (ms)",
        [f"{r.figures[4].p50_ms or 0:.0f} / {r.figures[4].p99_ms or 0:.0f}" for r in results],
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
        ["cached" if r.built_seconds is None else f"built in {r.built_seconds:.0f} s" for r in results],
    )
    notes = [f"- {r.size}: {note}" for r in results for note in r.notes]
    notes += [
        f"- {r.size}: {f.name}: only {f.requests} requests in the measurement; give it more --seconds"
        for r in results
        for f in r.figures
        if f.requests < 20
    ]
    busiest = max(f.load for r in results for f in r.figures + r.ceilings)
    if busiest > (os.cpu_count() or 1):
        notes.append(
            f"- The load average reached {busiest:.1f} on {os.cpu_count()} cores: other work shared the machine, so "
            "absolute figures are low and shares are approximate."
        )
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
