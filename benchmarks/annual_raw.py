"""The annual report's main figures in hand-written SQL: the reference the in-process report is measured against
(issue 14: "in-process time at most 2x the raw SQL of the same figures").

Each population is read once, with `FILTER (WHERE ...)` and `GROUPING SETS` in place of one query per figure, for
the year and the previous year together (England's procedure: stage1, stage2, stage3). The figures it returns are
checked against `portal.services.reports.annual_report` on the same database before any time is reported, so the
reference cannot drift from what the report means.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

CONTACTS = """
SELECT received_on >= %(start)s AS this_year, classification, channel, person_type, care_status,
       person_id IS NULL AS anonymous, count(*)
FROM submission
WHERE kind = 'complaint' AND received_on BETWEEN %(prev_start)s AND %(end)s
GROUP BY GROUPING SETS ((1, 2), (1, 3), (1, 4), (1, 3, 5), (1, 6))
"""

COMPLAINANTS = """
WITH per_person AS (
  SELECT received_on >= %(start)s AS this_year, person_id, count(*) AS n,
         count(*) FILTER (WHERE classification = 'statutory') AS statutory
  FROM submission
  WHERE kind = 'complaint' AND received_on BETWEEN %(prev_start)s AND %(end)s AND person_id IS NOT NULL
  GROUP BY 1, 2
)
SELECT this_year, n, count(*), sum(statutory) FROM per_person GROUP BY 1, 2
"""

STAGE1 = """
SELECT s.received_on >= %(start)s AS this_year, s.service_area_id, s.received_month, count(*),
       count(*) FILTER (WHERE r.outcome = 'upheld'),
       count(*) FILTER (WHERE r.outcome = 'partially_upheld'),
       count(*) FILTER (WHERE r.outcome = 'not_upheld'),
       count(*) FILTER (WHERE r.responded_on IS NOT NULL AND r.working_days_taken <= 10),
       count(*) FILTER (WHERE r.responded_on IS NOT NULL AND r.working_days_taken > 10 AND r.working_days_taken <= 20),
       count(*) FILTER (WHERE r.responded_on IS NOT NULL AND r.working_days_taken > 20),
       sum(r.working_days_taken) FILTER (WHERE r.responded_on IS NOT NULL),
       count(*) FILTER (WHERE r.extended),
       count(*) FILTER (WHERE r.responded_on IS NOT NULL AND r.met_deadline)
FROM submission s
LEFT JOIN stage_record r ON r.submission_id = s.id AND r.stage = 'stage1'
WHERE s.kind = 'complaint' AND s.classification = 'statutory' AND s.received_on BETWEEN %(prev_start)s AND %(end)s
GROUP BY GROUPING SETS ((1), (1, 2), (1, 3))
"""

LATER_STAGES = """
WITH years (y, y_end) AS (
  VALUES (%(start)s::date, %(end)s::date), (%(prev_start)s::date, %(start)s::date - 1),
         (%(prev2_start)s::date, %(prev_start)s::date - 1)
)
SELECT stage, y,
       count(*) FILTER (WHERE requested_on BETWEEN y AND y_end),
       count(*) FILTER (WHERE decision = 'declined' AND requested_on BETWEEN y AND y_end),
       count(*) FILTER (WHERE responded_on BETWEEN y AND y_end),
       sum(cost) FILTER (WHERE responded_on BETWEEN y AND y_end),
       avg(working_days_taken) FILTER (WHERE responded_on BETWEEN y AND y_end)
FROM stage_record CROSS JOIN years
WHERE stage IN ('stage2', 'stage3')
  AND (requested_on BETWEEN %(prev2_start)s AND %(end)s OR responded_on BETWEEN %(prev2_start)s AND %(end)s)
GROUP BY 1, 2
"""

THEMES = """
SELECT s.received_on >= %(start)s AS this_year, c.label, count(*),
       count(*) FILTER (WHERE r.outcome IN ('upheld', 'partially_upheld'))
FROM submission s
JOIN submission_theme t ON t.submission_id = s.id
JOIN category c ON c.id = t.category_id
LEFT JOIN stage_record r ON r.submission_id = s.id AND r.stage = 'stage1'
WHERE s.kind = 'complaint' AND s.classification = 'statutory' AND s.received_on BETWEEN %(prev_start)s AND %(end)s
GROUP BY 1, 2
"""

OUTCOMES = """
SELECT 'sought', c.label, count(*)
FROM submission s JOIN submission_outcome_sought o ON o.submission_id = s.id JOIN category c ON c.id = o.category_id
WHERE s.kind = 'complaint' AND s.classification = 'statutory' AND s.received_on BETWEEN %(start)s AND %(end)s
GROUP BY 2
UNION ALL
SELECT 'actual', c.label, count(*)
FROM submission s JOIN submission_actual_outcome o ON o.submission_id = s.id JOIN category c ON c.id = o.category_id
WHERE s.kind = 'complaint' AND s.classification = 'statutory' AND s.received_on BETWEEN %(start)s AND %(end)s
GROUP BY 2
"""

COMPLIMENTS_AND_OTHERS = """
SELECT s.received_on >= %(start)s AS this_year, s.kind, c.source_id, s.service_area_id, s.team_id, count(*),
       count(*) FILTER (WHERE c.internal), count(*) FILTER (WHERE NOT c.internal)
FROM submission s LEFT JOIN compliment c ON c.submission_id = s.id
WHERE s.kind IN ('compliment', 'advocacy') AND s.received_on BETWEEN %(prev_start)s AND %(end)s
GROUP BY GROUPING SETS ((1, 2), (1, 2, 3), (1, 2, 4), (1, 2, 4, 5))
"""

REFERRALS_AND_ADR = """
SELECT 'lgsco', decision, count(*), NULL::numeric FROM lgsco_referral
WHERE referred_on BETWEEN %(start)s AND %(end)s GROUP BY 2
UNION ALL
SELECT 'adr', NULL, count(DISTINCT a.submission_id), sum(a.hours)
FROM adr_session a JOIN submission s ON s.id = a.submission_id
WHERE s.kind = 'complaint' AND s.received_on BETWEEN %(start)s AND %(end)s
"""

STATEMENTS = {
    "contacts": CONTACTS,
    "complainants": COMPLAINANTS,
    "stage1": STAGE1,
    "later_stages": LATER_STAGES,
    "themes": THEMES,
    "outcomes": OUTCOMES,
    "compliments_and_others": COMPLIMENTS_AND_OTHERS,
    "referrals_and_adr": REFERRALS_AND_ADR,
}


@dataclass(frozen=True)
class RawResult:
    seconds: float
    statements: int
    figures: dict[str, Any]


def _parameters(start: date, end: date) -> dict[str, date]:
    prev_start = start.replace(year=start.year - 1)
    return {
        "start": start,
        "end": end,
        "prev_start": prev_start,
        "prev2_start": start.replace(year=start.year - 2),
    }


def _run(conn: psycopg.Connection, params: dict[str, date]) -> dict[str, list[tuple]]:
    out = {}
    with conn.cursor() as cur:
        for name, sql in STATEMENTS.items():
            cur.execute(sql, params)
            out[name] = cur.fetchall()
    return out


def figures(rows: dict[str, list[tuple]], start: date) -> dict[str, Any]:
    """The figures the check compares with the report (this year unless it says previous)."""
    by_class = {r[1]: r[6] for r in rows["contacts"] if r[0] and r[1] is not None}
    totals = {}
    for this_year in (True, False):
        totals[this_year] = sum(r[6] for r in rows["contacts"] if r[0] is this_year and r[5] is not None)
    people = [r for r in rows["complainants"] if r[0]]
    anonymous = sum(r[6] for r in rows["contacts"] if r[0] and r[5] is True)
    stage1 = next(r for r in rows["stage1"] if r[0] and r[1] is None and r[2] is None)
    stage2 = next((r for r in rows["later_stages"] if r[0] == "stage2" and r[1] == start), None)
    themes = {r[1]: (r[2], r[3]) for r in rows["themes"] if r[0]}
    return {
        "contacts.total": totals[True],
        "contacts.by_classification": by_class,
        "complainants.distinct": sum(r[2] for r in people) + anonymous,
        "complainants.repeat_people": sum(r[2] for r in people if r[1] >= 2),
        "stage1.received": stage1[3],
        "stage1.outcomes": {"upheld": stage1[4], "partially_upheld": stage1[5], "not_upheld": stage1[6]},
        "stage2.completed": stage2[4] if stage2 else 0,
        "themes": themes,
        "previous_year.contacts.total": totals[False],
    }


def report_figures(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "contacts.total": report["contacts"]["total"],
        "contacts.by_classification": {k: v for k, v in report["contacts"]["by_classification"].items() if v},
        "complainants.distinct": report["complainants"]["distinct"],
        "complainants.repeat_people": report["complainants"]["repeat_people"],
        "stage1.received": report["stage1"]["received"],
        "stage1.outcomes": report["stage1"]["outcomes"],
        "stage2.completed": report["stage2"]["completed"],
        "themes": {k: (v["received"], v["upheld_or_partly"]) for k, v in report["themes"].items()},
        "previous_year.contacts.total": report["previous_year"]["contacts"]["total"],
    }


def time_raw(dsn: str, start: date, end: date, runs: int = 3) -> RawResult:
    """Median wall time of the statements over one connection (opened before the clock starts)."""
    params = _parameters(start, end)
    samples = []
    rows: dict[str, list[tuple]] = {}
    with psycopg.connect(dsn) as conn:
        for _ in range(runs):
            started = time.perf_counter()
            rows = _run(conn, params)
            samples.append(time.perf_counter() - started)
            conn.rollback()
    return RawResult(statistics.median(samples), len(STATEMENTS), figures(rows, start))


def year_end(start: date) -> date:
    return start.replace(year=start.year + 1) - timedelta(days=1)
