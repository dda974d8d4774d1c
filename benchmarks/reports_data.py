"""Synthetic interchange rows for the import and report benchmarks (deterministic, calendar-valid dates)."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from portal.domain.import_format import COLUMNS
from portal.domain.workdays import WorkingDayCalendar

CLASSES = ["statutory"] * 60 + ["representation"] * 8 + ["withdrawn"] * 10 + ["corporate"] * 8 + ["case_concern"] * 6
CLASSES += ["pre_complaint"] * 3 + ["refused"] * 5
CHANNELS = ["email", "telephone", "online_form", "letter", "in_person", "advocate", "app"]
TYPES = ["parent"] * 6 + ["child_or_young_person", "grandparent", "carer", "professional"]
THEMES = [
    "Communication",
    "Decision-making",
    "Delay in a service or assessment",
    "Staff conduct or attitude",
    "Family time or contact",
    "Placement (where the child lives)",
    "Money, allowances or funding",
]
AREAS = [(f"Service area {a}", f"Team {a}{t}") for a in "ABCDEFGH" for t in range(1, 5)]


def rows(
    n: int,
    start: date,
    end: date,
    calendar: WorkingDayCalendar,
    seed: int = 7,
    prefix: str = "B",
    open_from: date | None = None,
) -> Iterator[dict[str, str]]:
    """n interchange rows received between start and 120 days before end. With ``open_from``, complaints received
    on or after that date are still open (no response yet, so some are overdue) and no Stage 2 ends after it:
    a live caseload for the staff list, not only history."""
    rng = random.Random(seed)
    span = (end - start).days - 120
    for i in range(n):
        received = calendar.next_working_day_on_or_after(start + timedelta(days=rng.randrange(span)))
        area, team = rng.choice(AREAS)
        kind = "complaint" if i % 10 < 8 else ("compliment" if i % 10 == 8 else "advocacy")
        row = {
            "reference": f"{prefix}{i:09d}",
            "kind": kind,
            "received_on": received.isoformat(),
            "channel": rng.choice(CHANNELS),
            "person_id": f"{prefix}P{rng.randrange(n // 2 + 1)}",
            "person_type": rng.choice(TYPES),
            "service_area": area,
            "team": team,
        }
        if kind == "compliment":
            row.update(
                compliment_source=rng.choice(["Judge", "Foster carer", "Parent or carer"]),
                compliment_internal=rng.choice(["yes", "no"]),
                person_id="",
                person_type="",
                channel="email",
            )
        elif kind == "complaint":
            c = rng.choice(CLASSES)
            row["classification"] = c
            if c in ("statutory", "corporate") and open_from is not None and received >= open_from:
                row.update(themes=";".join(rng.sample(THEMES, rng.choice([1, 1, 2]))), outcomes_sought="Apology")
            elif c in ("statutory", "corporate"):
                responded = calendar.add_working_days(received, rng.randint(2, 30))
                row.update(
                    themes=";".join(rng.sample(THEMES, rng.choice([1, 1, 2]))),
                    outcomes_sought="Apology",
                    stage1_responded_on=responded.isoformat(),
                    stage1_outcome=rng.choice(["upheld", "partially_upheld", "not_upheld", "not_upheld"]),
                    closed_on=responded.isoformat(),
                )
                if c == "statutory" and rng.random() < 0.05:
                    requested = calendar.add_working_days(responded, 5)
                    done = calendar.add_working_days(requested, rng.randint(15, 80))
                    if open_from is None or done < open_from:
                        row.update(
                            stage2_requested_on=requested.isoformat(),
                            stage2_decision="accepted",
                            stage2_responded_on=done.isoformat(),
                            stage2_outcome="not_upheld",
                            stage2_cost=f"{rng.randint(200000, 800000) / 100:.2f}",
                            closed_on=done.isoformat(),
                        )
            elif c == "refused":
                row.update(refusal_reason="Out of time")
        yield row


def csv_text(generated: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(generated)
    return out.getvalue()
