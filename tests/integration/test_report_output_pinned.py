"""The output of `flask --app wsgi report …` is pinned byte for byte for one dataset, so that reorganising the
report code cannot change a published figure, a CSV cell or a line of the printable document unnoticed.

The dataset is tests/integration/data/reports_fixture.csv plus three learning actions, each with a team (rows
with no team sort first on SQLite and last on PostgreSQL, so they would not pin one order). The expected files in
tests/integration/data/pinned/ were written by these same commands before the reports code was split into a
package; when a report deliberately changes, rerun with REPIN_REPORTS=1 and review the difference like any other change.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain.enums import LearningCategory, LearningStatus
from portal.models import LearningAction, Submission, Team
from portal.services import importer

DATA = Path(__file__).parent / "data"
PINNED = DATA / "pinned"
FY = ["--start", "2024-04-01", "--end", "2025-03-31"]

CASES = [
    (["annual", *FY], "annual.json"),
    (["annual", *FY, "--publication"], "annual.publication.json"),
    (["annual", *FY, "--format", "csv"], "annual.csv"),
    (["annual", *FY, "--format", "csv", "--publication"], "annual.publication.csv"),
    (["annual", *FY, "--format", "html"], "annual.html"),
    (["annual", *FY, "--format", "html", "--publication"], "annual.publication.html"),
    (["quarterly", "--end", "2024-06-30"], "quarterly.json"),
    (["quarterly", "--end", "2024-06-30", "--publication", "--format", "csv"], "quarterly.publication.csv"),
    (["quarterly", "--end", "2024-06-30", "--format", "html"], "quarterly.html"),
    (["team", *FY], "team.json"),
    (["team", *FY, "--publication"], "team.publication.json"),
    (["team", *FY, "--format", "csv"], "team.csv"),
    (["team", *FY, "--format", "html"], "team.html"),
]


@pytest.fixture
def pinned_dataset(db):  # type: ignore[no-untyped-def]
    result = importer.import_text((DATA / "reports_fixture.csv").read_text())
    assert result.ok, [str(p) for p in result.problems]
    ids = dict(db.session.execute(sa.select(Submission.reference, Submission.id)).all())
    teams = dict(db.session.execute(sa.select(Team.name, Team.id)).all())
    actions = [
        LearningAction(
            submission_id=ids["R1"],
            team_id=teams["CiC North"],
            root_cause="Communication",
            category=LearningCategory.STAFF_TRAINING.value,
            description="Remind social workers to return calls within two working days.",
            responsible_officer="Team manager, CiC North",
            due_on=date(2024, 9, 30),
            status=LearningStatus.COMPLETED.value,
            completed_on=date(2024, 9, 12),
        ),
        LearningAction(
            submission_id=ids["R2"],
            team_id=teams["CiC North"],
            root_cause="Staff absence",
            category=LearningCategory.PROCESS_CHANGE.value,
            description="=Cover rota for absences",
            timeframe="Within 3 months",
        ),
        LearningAction(
            submission_id=ids["R3"],
            team_id=teams["Care Leavers Team"],
            root_cause="Policy issue",
            category=LearningCategory.POLICY_REVIEW.value,
            description="Review the leaving care allowance policy.",
        ),
    ]
    db.session.add_all(actions)
    db.session.commit()


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[name for _, name in CASES])
def test_report_command_output_is_unchanged(pinned_dataset, runner, tmp_path, args, expected) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / expected

    with time_machine.travel("2025-05-06 09:00:00+01:00", tick=False):
        result = runner.invoke(args=["report", *args, "--output", str(out)])

    assert result.exit_code == 0, result.output
    if os.environ.get("REPIN_REPORTS") == "1":  # a deliberate change: rewrite the file, then review the diff
        (PINNED / expected).write_bytes(out.read_bytes())
    assert out.read_bytes() == (PINNED / expected).read_bytes()
