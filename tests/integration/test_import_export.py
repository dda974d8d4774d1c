"""Import of historic records: every bad-input rule, all or nothing, and export -> import round trips."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.models import AdrSession, Category, Compliment, Person, StageRecord, Submission, Team
from portal.services import exporter, importer
from tests.reports_helpers import csv_text

FIXTURE = Path(__file__).parent / "data" / "reports_fixture.csv"
GOOD = {"reference": "X1", "kind": "complaint", "received_on": "2024-04-02"}


def problems(text: str) -> list[str]:
    result = importer.import_text(text)
    assert not result.ok
    return [str(p) for p in result.problems]


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_imports_rows_onto_the_models(db) -> None:  # type: ignore[no-untyped-def]
    result = importer.import_text(FIXTURE.read_text())
    assert result.ok and result.imported == 18
    r2 = db.session.scalar(sa.select(Submission).where(Submission.reference == "R2"))
    assert r2.imported and r2.channel.value == "telephone" and r2.received_month == "2024-04"
    assert r2.team.name == "CiC North" and r2.service_area.name == "Children in Care"
    assert r2.status.value == "closed" and r2.current_stage.value == "stage2"
    stages = {s.stage.value: s for s in r2.stages}
    assert stages["stage1"].working_days_taken == 11 and stages["stage1"].extended
    assert stages["stage2"].started_on.isoformat() == "2024-05-07"
    assert stages["stage2"].working_days_taken == 25
    assert stages["stage2"].cost == Decimal("4000.01")
    assert db.session.scalar(sa.select(AdrSession.hours).where(AdrSession.submission_id == r2.id)) == Decimal("2.50")
    assert r2.person.external_id == "P1"
    assert count(db, Person) == 7
    r4 = db.session.scalar(sa.select(Submission).where(Submission.reference == "R4"))
    assert r4.child.care_status.value == "child_in_care" and r4.status.value == "open"
    r7 = db.session.scalar(sa.select(Submission).where(Submission.reference == "R7"))
    assert r7.channel is None and r7.status.value == "withdrawn"
    compliment = db.session.scalar(sa.select(Compliment).join(Submission).where(Submission.reference == "R14"))
    assert compliment.internal is True and compliment.source.label == "Internal colleague"
    theme = db.session.scalar(sa.select(Category).where(Category.label == "Money, allowances or funding"))
    assert theme is not None  # an existing list entry is reused, not duplicated
    assert count(db, Team) == 3


def test_new_category_names_are_created_trimmed_and_kept_as_written(db) -> None:  # type: ignore[no-untyped-def]
    text = csv_text([{**GOOD, "classification": "statutory", "themes": "  Transport to school ; Communication"}])
    assert importer.import_text(text).ok
    labels = set(db.session.scalars(sa.select(Category.label).where(Category.kind == "theme")))
    assert "Transport to school" in labels


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"kind": "grumble"}, "line 2, column kind: 'grumble' is not one of"),
        ({"received_on": "02/04/2024"}, "line 2, column received_on: '02/04/2024' is not a date"),
        ({"received_on": ""}, "line 2, column received_on: is required"),
        ({"reference": ""}, "line 2, column reference: is required"),
        ({"channel": "pigeon"}, "column channel: 'pigeon' is not one of"),
        ({"person_type": "uncle"}, "column person_type"),
        ({"care_status": "fostered"}, "column care_status"),
        ({"classification": "informal"}, "column classification"),
        (
            {"classification": "statutory", "stage1_outcome": "sort_of", "stage1_responded_on": "2024-04-05"},
            "column stage1_outcome",
        ),
        ({"classification": "statutory", "stage1_extended": "maybe"}, "column stage1_extended"),
        (
            {"classification": "statutory", "stage1_responded_on": "2024-03-01"},
            "stage1_responded_on: 2024-03-01 is before received_on",
        ),
        (
            {"classification": "statutory", "stage1_responded_on": "2024-04-10", "stage2_requested_on": "2024-04-09"},
            "stage2_requested_on: 2024-04-09 is before stage1_responded_on",
        ),
        (
            {
                "classification": "statutory",
                "stage1_responded_on": "2024-04-10",
                "stage2_requested_on": "2024-04-11",
                "stage2_cost": "lots",
            },
            "column stage2_cost: 'lots' is not an amount",
        ),
        (
            {
                "classification": "statutory",
                "stage1_responded_on": "2024-04-10",
                "stage2_requested_on": "2024-04-11",
                "stage2_cost": "1.234",
            },
            "more than 2 decimal places",
        ),
        (
            {
                "classification": "statutory",
                "stage1_responded_on": "2024-04-10",
                "stage2_requested_on": "2024-04-11",
                "stage2_decision": "declined",
                "stage2_responded_on": "2024-05-01",
            },
            "Stage 2 was declined",
        ),
        (
            {"classification": "statutory", "stage2_responded_on": "2024-05-01"},
            "stage2_responded_on: is given but stage2_requested_on is empty",
        ),
        (
            {"classification": "case_concern", "stage1_responded_on": "2024-04-05"},
            "stage columns need classification statutory or corporate",
        ),
        (
            {"classification": "statutory", "refusal_reason": "Out of time"},
            "only a refused complaint has a refusal reason",
        ),
        ({"kind": "compliment", "classification": "statutory"}, "only a complaint can have a classification"),
        ({"compliment_source": "Judge"}, "only a compliment can have a compliment_source"),
        ({"kind": "compliment", "compliment_internal": "perhaps"}, "column compliment_internal"),
        ({"classification": "refused", "closed_on": "2024-01-01"}, "closed_on: 2024-01-01 is before received_on"),
        (
            {"classification": "statutory", "lgsco_decision": "no_fault"},
            "lgsco_decision: is given but lgsco_referred_on is empty",
        ),
        (
            {"classification": "statutory", "lgsco_referred_on": "2024-05-01", "lgsco_decision": "bad"},
            "column lgsco_decision",
        ),
        ({"classification": "statutory", "adr_hours": "-1"}, "column adr_hours"),
        ({"classification": "statutory", "themes": "Communication;;Delay"}, "empty name"),
        ({"reference": "X" * 17}, "longer than 16 characters"),
        ({"classification": "statutory", "received_on": "2011-06-01"}, "outside the bank-holiday data"),
        (
            {
                "classification": "corporate",
                "stage1_responded_on": "2024-04-05",
                "stage2_requested_on": "2024-04-08",
                "stage2_responded_on": "2024-05-01",
                "stage3_requested_on": "2024-05-02",
            },
            "a corporate complaint has no Stage 3",
        ),
    ],
)
def test_bad_cells_are_reported_with_line_and_column(db, row, expected) -> None:  # type: ignore[no-untyped-def]
    found = problems(csv_text([{**GOOD, **row}]))
    assert any(expected in p for p in found), found
    assert count(db, Submission) == 0


def test_every_problem_is_reported_and_nothing_is_imported(db) -> None:  # type: ignore[no-untyped-def]
    text = csv_text(
        [
            GOOD,
            {**GOOD, "reference": "X2", "kind": "grumble", "channel": "pigeon"},
            {**GOOD, "reference": "X3"},
            {**GOOD, "reference": "X3"},
        ]
    )
    found = problems(text)
    assert any(p.startswith("line 3, column kind") for p in found)
    assert any(p.startswith("line 3, column channel") for p in found)
    assert any(p.startswith("line 5, column reference: 'X3' is already used on line 4") for p in found)
    assert count(db, Submission) == 0


def test_unknown_and_missing_columns(db) -> None:  # type: ignore[no-untyped-def]
    found = problems("reference,kind,received_on,colour\nX1,complaint,2024-04-02,blue\n")
    assert found == ["line 1, column colour: unknown column; see docs/import-format.md"]
    found = problems("reference,received_on\nX1,2024-04-02\n")
    assert found == ["line 1, column kind: required column is missing"]
    assert problems("") == ["line 1: the file is empty: it needs a header row naming the columns"]
    assert problems("reference,kind,received_on\n") == ["line 2: the file has a header row but no records"]
    found = problems("reference,kind,received_on\nX1,complaint\n")
    assert found == ["line 2: has 2 cells but the header has 3 columns"]


def test_reference_already_in_the_database(db) -> None:  # type: ignore[no-untyped-def]
    assert importer.import_text(csv_text([GOOD])).ok
    found = problems(csv_text([{**GOOD, "reference": "X9"}, GOOD]))
    assert found == ["line 3, column reference: 'X1' is already in the database"]
    assert count(db, Submission) == 1


def test_database_error_rolls_everything_back(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    original = importer._insert

    def failing(table, rows):  # type: ignore[no-untyped-def]
        if table.name == "lgsco_referral":
            raise RuntimeError("disk full")
        return original(table, rows)

    monkeypatch.setattr(importer, "_insert", failing)
    with pytest.raises(RuntimeError):
        importer.import_text(FIXTURE.read_text())
    assert count(db, Submission) == 0
    assert count(db, StageRecord) == 0


def test_a_clash_while_writing_is_reported_not_raised(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    def clash(rows):  # type: ignore[no-untyped-def]
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(importer, "_write", clash)
    found = problems(FIXTURE.read_text())
    assert found == [
        "line 1: the database refused the records (another change at the same moment, or a database rule); "
        "nothing was imported, try again"
    ]
    assert count(db, Submission) == 0


def test_export_import_round_trip(db, app) -> None:  # type: ignore[no-untyped-def]
    assert importer.import_text(FIXTURE.read_text()).ok
    first = io.StringIO()
    assert exporter.write_csv(first) == 18
    # The export is the fixture itself (the fixture is written the way the export writes it).
    assert first.getvalue().splitlines() == FIXTURE.read_text().splitlines()
    from portal.services.reference_data import ensure_reference_data
    from tests.conftest import _wipe

    db.session.remove()
    _wipe(db)
    ensure_reference_data()
    assert importer.import_text(first.getvalue()).ok
    second = io.StringIO()
    exporter.write_csv(second)
    assert second.getvalue() == first.getvalue()


def test_commands(db, runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([{**GOOD, "kind": "grumble"}]))
    result = runner.invoke(args=["import-cases", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv: line 2, column kind" in result.output
    assert "nothing was imported" in result.output
    result = runner.invoke(args=["import-cases", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "Imported 18 records" in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["export-cases", "--output", str(out)])
    assert result.exit_code == 0
    assert out.read_text().splitlines() == FIXTURE.read_text().splitlines()
    result = runner.invoke(args=["export-cases", "--start", "2025-01-01"])
    assert result.output.splitlines()[1:] == [
        line for line in FIXTURE.read_text().splitlines() if ",2025-" in line[:30]
    ]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("reference,kind,received_on\nX£,complaint,2024-04-02\n".encode("latin-1"))
    result = runner.invoke(args=["import-cases", str(latin)])
    assert result.exit_code == 1 and "UTF-8" in result.output
