"""Import historic records from the interchange CSV (docs/import-format.md).

All or nothing: every row is checked first (format, vocabularies, date order, duplicate references in the file
and in the database, working days inside the calendar's coverage); if anything is wrong nothing is written and
every problem is returned with its line and column. Otherwise the rows are written with bulk inserts in one
transaction, so 100,000 rows take seconds rather than minutes (benchmarks/import_benchmark.py).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.domain.enums import (
    CategoryKind,
    Classification,
    EscalationDecision,
    Procedure,
    StageName,
    StageStatus,
    SubmissionKind,
    SubmissionStatus,
)
from portal.domain.import_format import (
    COLUMNS,
    ImportProblem,
    ImportRow,
    check_header,
    find_duplicates,
    parse_row,
)
from portal.domain.workdays import CalendarCoverageError, WorkingDayCalendar
from portal.extensions import db
from portal.models import (
    AdrSession,
    Category,
    Child,
    Compliment,
    LgscoReferral,
    Person,
    ServiceArea,
    StageRecord,
    Submission,
    Team,
    submission_actual_outcome,
    submission_outcome_sought,
    submission_theme,
)
from portal.services import audit
from portal.services.calendar import calendar_for, calendar_version
from portal.services.clock import LONDON
from portal.services.timescales import timescales_for
from portal.services.uow import unit_of_work

log = logging.getLogger(__name__)

CHUNK = 900  # parameters per IN (...) lookup, under SQLite's limit
MAX_PROBLEMS_SHOWN = 1000


@dataclass
class ImportResult:
    problems: list[ImportProblem] = field(default_factory=list)
    imported: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class StagePlan:
    """Which stage records a classification's rows become, under which procedure."""

    procedure: Procedure
    first: StageName
    second: StageName
    third: StageName | None
    first_key: str
    second_key: str


def stage_plan(classification: Classification | None, scotland: bool) -> StagePlan | None:
    if classification == Classification.CORPORATE:
        return StagePlan(
            Procedure.LGSCO_CORPORATE, StageName.CORPORATE1, StageName.CORPORATE2, None, "corporate1", "corporate2"
        )
    if classification == Classification.STATUTORY:
        if scotland:
            return StagePlan(
                Procedure.SCOTLAND_MCHP,
                StageName.FRONTLINE,
                StageName.INVESTIGATION,
                None,
                "frontline",
                "investigation",
            )
        return StagePlan(
            Procedure.ENGLAND_STATUTORY, StageName.STAGE1, StageName.STAGE2, StageName.STAGE3, "stage1", "stage2"
        )
    return None


def _received_at(day: date) -> datetime:
    """Imported rows only know the day: record receipt at 09:00 London time that day."""
    return datetime.combine(day, time(9, 0), LONDON).astimezone(UTC)


def _read_record(
    line: int, cells: list[str], names: list[str], rows: list[ImportRow], problems: list[ImportProblem]
) -> None:
    """One line of the file: a record in `rows`, or its problems in `problems` (blank lines are skipped)."""
    if not any(c.strip() for c in cells):
        return
    if len(cells) != len(names):
        problems.append(ImportProblem(line, None, f"has {len(cells)} cells but the header has {len(names)} columns"))
        return
    row, row_problems = parse_row(line, dict(zip(names, cells, strict=True)))
    if row is None:
        problems.extend(row_problems)
    else:
        rows.append(row)


def read_csv(stream: IO[str]) -> tuple[list[ImportRow], list[ImportProblem]]:
    """Parse and check every row of the file (no database access)."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [ImportProblem(1, None, f"the file is not valid CSV ({exc})")]
    if header is not None and header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    problems = check_header(header)
    if problems:
        return [], problems
    assert header is not None
    names = [h.strip() for h in header]
    rows: list[ImportRow] = []
    try:
        for cells in reader:
            _read_record(reader.line_num, cells, names, rows, problems)
    except csv.Error as exc:
        problems.append(ImportProblem(reader.line_num, None, f"the file is not valid CSV ({exc})"))
    except UnicodeDecodeError:
        problems.append(ImportProblem(reader.line_num + 1, None, "the file is not UTF-8 text"))
    problems.extend(find_duplicates(rows))
    if not rows and not problems:
        problems.append(ImportProblem(2, None, "the file has a header row but no records"))
    return rows, problems


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_references(references: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(references):
        found.update(db.session.scalars(sa.select(Submission.reference).where(Submission.reference.in_(chunk))))
    return found


class _Timing:
    """Working days and due dates of one procedure's stages, from the stored timescales and the calendar."""

    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self.calendar: WorkingDayCalendar = calendar_for(procedure)
        self.version = calendar_version(self.calendar)
        self.timescales = timescales_for(procedure)

    def days(self, start: date, end: date | None) -> int | None:
        return None if end is None else self.calendar.working_days_between(start, end)

    def due(self, start: date, key: str) -> date | None:
        n = self.timescales.get(key)
        if not isinstance(n, int):
            return None
        try:
            return self.calendar.add_working_days(start, n)
        except CalendarCoverageError:
            return None


def _check_working_days(rows: list[ImportRow], timings: dict[Procedure, _Timing], scotland: bool) -> list:
    problems = []
    for row in rows:
        plan = stage_plan(row.classification, scotland)
        if plan is None:
            continue
        calendar = timings[plan.procedure].calendar
        if scotland and row.stage3_requested_on is not None:
            problems.append(ImportProblem(row.line, "stage3_requested_on", "the Scottish procedure has no Stage 3"))
        for column in ("received_on", "stage1_responded_on", "stage2_requested_on", "stage2_started_on"):
            value = getattr(row, column)
            if value is None:
                continue
            try:
                calendar.is_working_day(value)
            except CalendarCoverageError as exc:
                problems.append(ImportProblem(row.line, column, str(exc)))
        for column in ("stage2_responded_on", "stage3_requested_on", "stage3_responded_on"):
            value = getattr(row, column)
            if value is not None:
                try:
                    calendar.is_working_day(value)
                except CalendarCoverageError as exc:
                    problems.append(ImportProblem(row.line, column, str(exc)))
    return problems


def check_rows(rows: list[ImportRow]) -> list[ImportProblem]:
    """The checks that need the database: references already used, dates the calendar cannot count."""
    problems: list[ImportProblem] = []
    existing = _existing_references([r.reference for r in rows])
    for row in rows:
        if row.reference in existing:
            problems.append(ImportProblem(row.line, "reference", f"'{row.reference}' is already in the database"))
    scotland = current_app.config["PROCEDURE"] == "scotland"
    timings = {p: _Timing(p) for p in (Procedure.ENGLAND_STATUTORY, Procedure.LGSCO_CORPORATE, Procedure.SCOTLAND_MCHP)}
    problems.extend(_check_working_days(rows, timings, scotland))
    return problems


def import_file(stream: IO[str], *, actor_id: int | None = None, source: str = "file") -> ImportResult:
    """Check the whole file, then import it in one transaction (or nothing at all)."""
    rows, problems = read_csv(stream)
    if not problems:
        problems = check_rows(rows)
    if problems:
        problems.sort(key=lambda p: (p.line, COLUMNS.index(p.column) if p.column in COLUMNS else -1))
        log.info("import refused: %d problems in %s", len(problems), source)
        return ImportResult(problems=problems)
    try:
        with unit_of_work():
            counts = _write(rows)
            audit.record(
                "import.completed",
                "import",
                actor_id=actor_id,
                actor_label="staff" if actor_id else "import",
                after={"source": source, **counts},
            )
    except IntegrityError:
        # Another process added records at the same moment (SQLite ids, or the same reference): nothing was kept.
        log.warning("import from %s clashed with another change; rolled back", source)
        return ImportResult(
            problems=[
                ImportProblem(
                    1,
                    None,
                    "the database refused the records (another change at the same moment, or a database rule); "
                    "nothing was imported, try again",
                )
            ]
        )
    log.info("imported %d records from %s", len(rows), source)
    return ImportResult(imported=len(rows), counts=counts)


def import_text(text: str, **kwargs: Any) -> ImportResult:
    return import_file(io.StringIO(text, newline=""), **kwargs)


# ----------------------------------------------------------------------------------------------- writing


def _table(model: type[Any]) -> sa.Table:
    """A model's table (typed as a plain FromClause by SQLAlchemy's declarative base)."""
    table = model.__table__
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _allocate_ids(table: sa.Table, n: int) -> list[int]:
    """Primary keys for n new rows: from the table's sequence on PostgreSQL, after the largest id on SQLite
    (SQLite allows one writer at a time; a clash would fail the whole import, never half of it)."""
    if n == 0:
        return []
    if _postgresql():
        sequence = db.session.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        return list(
            db.session.scalars(sa.text("SELECT nextval(:s) FROM generate_series(1, :n)"), {"s": sequence, "n": n})
        )
    top = db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0
    return list(range(top + 1, top + n + 1))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite. Every row has the same keys."""
    if not rows:
        return
    if _postgresql():
        columns = list(rows[0])
        driver = db.session.connection().connection.driver_connection
        if driver is None:
            raise RuntimeError("the database connection is closed")
        cursor = driver.cursor()
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_plain(row[c]) for c in columns])
        cursor.close()
        return
    for chunk in _chunks(rows, 5000):
        db.session.execute(sa.insert(table), chunk)


def _insert_returning_ids(table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    ids = _allocate_ids(table, len(rows))
    _insert(table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    return ids


def _lookup_names(names: Iterable[str]) -> dict[str, int]:
    """Service areas by name."""
    wanted = sorted(set(names))
    out: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = db.session.execute(sa.select(ServiceArea.name, ServiceArea.id).where(ServiceArea.name.in_(chunk)))
        out.update((name, area_id) for name, area_id in rows)
    return out


def _service_areas(rows: list[ImportRow]) -> dict[str, int]:
    names = {r.service_area for r in rows if r.service_area}
    known = _lookup_names(names)
    new = sorted(names - known.keys())
    ids = _insert_returning_ids(_table(ServiceArea), [{"name": n, "active": True, "sort_order": 0} for n in new])
    known.update(zip(new, ids, strict=True))
    return known


def _area_id(areas: dict[str, int], name: str | None) -> int | None:
    return areas.get(name) if name else None


def _teams(rows: list[ImportRow], areas: dict[str, int]) -> dict[str, tuple[int, int | None]]:
    names: dict[str, str | None] = {}
    for r in rows:
        if r.team and (names.get(r.team) is None):
            names[r.team] = r.service_area
    out: dict[str, tuple[int, int | None]] = {}
    for chunk in _chunks(sorted(names)):
        for name, team_id, area_id in db.session.execute(
            sa.select(Team.name, Team.id, Team.service_area_id).where(Team.name.in_(chunk))
        ):
            out[name] = (team_id, area_id)
    new = sorted(set(names) - out.keys())
    area_ids = [_area_id(areas, names[n]) for n in new]
    params = [{"name": n, "service_area_id": a, "active": True} for n, a in zip(new, area_ids, strict=True)]
    ids = _insert_returning_ids(_table(Team), params)
    for name, team_id, area_id in zip(new, ids, area_ids, strict=True):
        out[name] = (team_id, area_id)
    return out


def _categories(rows: list[ImportRow]) -> dict[tuple[CategoryKind, str], int]:
    wanted: set[tuple[CategoryKind, str]] = set()
    for r in rows:
        wanted.update((CategoryKind.THEME, n) for n in r.themes)
        wanted.update((CategoryKind.OUTCOME_SOUGHT, n) for n in r.outcomes_sought)
        wanted.update((CategoryKind.ACTUAL_OUTCOME, n) for n in r.actual_outcomes)
        if r.refusal_reason:
            wanted.add((CategoryKind.REFUSAL_REASON, r.refusal_reason))
        if r.compliment_source:
            wanted.add((CategoryKind.COMPLIMENT_SOURCE, r.compliment_source))
    kinds = {k for k, _ in wanted}
    known = {
        (CategoryKind(kind), label): cid
        for cid, kind, label in db.session.execute(
            sa.select(Category.id, Category.kind, Category.label).where(Category.kind.in_(kinds))
        )
    }
    new = sorted(wanted - known.keys())
    next_order: dict[CategoryKind, int] = {
        CategoryKind(kind): (top or 0) + 1
        for kind, top in db.session.execute(
            sa.select(Category.kind, sa.func.max(Category.sort_order)).group_by(Category.kind)
        )
    }
    params = []
    for kind, label in new:
        order = next_order.get(kind, 0)
        next_order[kind] = order + 1
        params.append({"kind": kind, "label": label, "active": True, "sort_order": order})
    ids = _insert_returning_ids(_table(Category), params)
    known.update(zip(new, ids, strict=True))
    return known


def _people(rows: list[ImportRow]) -> dict[str, int]:
    first_type: dict[str, Any] = {}
    for r in rows:
        if r.person_id and (r.person_id not in first_type or first_type[r.person_id] is None):
            first_type[r.person_id] = r.person_type
    known: dict[str, int] = {}
    for chunk in _chunks(sorted(first_type)):
        rows_found = db.session.execute(sa.select(Person.external_id, Person.id).where(Person.external_id.in_(chunk)))
        known.update((external_id, person_id) for external_id, person_id in rows_found if external_id is not None)
    new = sorted(set(first_type) - known.keys())
    now = datetime.now(UTC)
    ids = _insert_returning_ids(
        _table(Person),
        [{"external_id": e, "person_type": first_type[e], "created_at": now} for e in new],
    )
    known.update(zip(new, ids, strict=True))
    return known


def _status(row: ImportRow) -> SubmissionStatus:
    if row.classification == Classification.REFUSED:
        return SubmissionStatus.REFUSED
    if row.classification == Classification.WITHDRAWN:
        return SubmissionStatus.WITHDRAWN
    if row.closed_on is not None:
        return SubmissionStatus.CLOSED
    if row.kind == SubmissionKind.COMPLAINT and row.classification is None:
        return SubmissionStatus.NEW
    if row.classification == Classification.PRE_COMPLAINT:
        return SubmissionStatus.AWAITING_INFORMATION
    return SubmissionStatus.OPEN


def _met(days: int | None, responded_on: date | None, due: date | None) -> bool | None:
    """Whether a response met its deadline; unknown without the working days taken, the response or the due date."""
    if days is None or responded_on is None or due is None:
        return None
    return responded_on <= due


def _stage_rows(row: ImportRow, plan: StagePlan, timing: _Timing, closed: bool) -> list[dict[str, Any]]:
    """The stage records of one complaint, as insert parameters (without submission_id)."""
    blank: dict[str, Any] = {c.name: None for c in _table(StageRecord).columns if c.name not in ("id", "submission_id")}
    out = []

    def stage(**values: Any) -> dict[str, Any]:
        record = dict(blank)
        record.update(procedure=plan.procedure, extended=False, calendar_version=timing.version)
        record.update(values)
        if record["responded_on"] is not None:
            record["status"] = StageStatus.CLOSED if closed else StageStatus.RESPONDED
        return record

    # First stage: the clock runs from receipt.
    received = row.received_on
    original = timing.due(received, f"{plan.first_key}.response")
    due = timing.due(received, f"{plan.first_key}.max") if row.stage1_extended else original
    days = timing.days(received, row.stage1_responded_on)
    out.append(
        stage(
            stage=plan.first,
            status=StageStatus.OPEN,
            requested_on=received,
            started_on=received,
            original_due_on=original,
            due_on=due,
            extended=bool(row.stage1_extended),
            responded_on=row.stage1_responded_on,
            outcome=row.stage1_outcome,
            working_days_taken=days,
            met_deadline=_met(days, row.stage1_responded_on, due),
        )
    )
    if row.stage2_requested_on is not None:
        declined = row.stage2_decision == EscalationDecision.DECLINED
        start = row.stage2_started_on or row.stage2_requested_on
        original = None if declined else timing.due(start, f"{plan.second_key}.response")
        days = timing.days(start, row.stage2_responded_on)
        if declined:
            status = StageStatus.DECLINED
        elif row.stage2_decision or row.stage2_started_on:
            status = StageStatus.OPEN
        else:
            status = StageStatus.REQUESTED
        out.append(
            stage(
                stage=plan.second,
                status=status,
                requested_on=row.stage2_requested_on,
                decision=row.stage2_decision,
                started_on=None if declined else start,
                statement_agreed_on=row.stage2_started_on,
                original_due_on=original,
                due_on=original,
                responded_on=row.stage2_responded_on,
                outcome=row.stage2_outcome,
                working_days_taken=days,
                met_deadline=_met(days, row.stage2_responded_on, original),
                cost=row.stage2_cost,
            )
        )
    if row.stage3_requested_on is not None and plan.third is not None:
        start = row.stage3_requested_on
        days = timing.days(start, row.stage3_responded_on)
        out.append(
            stage(
                stage=plan.third,
                status=StageStatus.OPEN,
                requested_on=start,
                started_on=start,
                panel_due_on=timing.due(start, "stage3.panel"),
                panel_on=row.stage3_panel_on,
                responded_on=row.stage3_responded_on,
                outcome=row.stage3_outcome,
                working_days_taken=days,
            )
        )
    return out


def _current_stage(row: ImportRow, plan: StagePlan | None) -> StageName | None:
    """The stage an imported complaint reached (a refused request for the next stage leaves it where it was)."""
    if plan is None:
        return None
    current = plan.first
    if row.stage2_requested_on and row.stage2_decision != EscalationDecision.DECLINED:
        current = plan.second
    if row.stage3_requested_on and plan.third:
        current = plan.third
    return current


def _write(rows: list[ImportRow]) -> dict[str, int]:
    scotland = current_app.config["PROCEDURE"] == "scotland"
    timings = {p: _Timing(p) for p in (Procedure.ENGLAND_STATUTORY, Procedure.LGSCO_CORPORATE, Procedure.SCOTLAND_MCHP)}
    areas = _service_areas(rows)
    teams = _teams(rows, areas)
    categories = _categories(rows)
    people = _people(rows)
    now = datetime.now(UTC)

    with_child = [r for r in rows if r.care_status is not None]
    child_ids = _insert_returning_ids(
        _table(Child), [{"care_status": r.care_status, "created_at": now} for r in with_child]
    )
    child_of = {r.reference: cid for r, cid in zip(with_child, child_ids, strict=True)}

    params = []
    plans: list[StagePlan | None] = []
    stage_lists: list[list[dict[str, Any]]] = []
    for r in rows:
        plan = stage_plan(r.classification, scotland) if r.kind == SubmissionKind.COMPLAINT else None
        plans.append(plan)
        own_stages = _stage_rows(r, plan, timings[plan.procedure], r.closed_on is not None) if plan else []
        stage_lists.append(own_stages)
        running = [s for s in own_stages if s["status"] in (StageStatus.OPEN, StageStatus.REQUESTED)]
        team_id, team_area = teams.get(r.team, (None, None)) if r.team else (None, None)
        record: dict[str, Any] = {}
        status = _status(r)
        current = _current_stage(r, plan)
        record.update(
            reference=r.reference,
            kind=r.kind,
            channel=r.channel,
            received_at=_received_at(r.received_on),
            received_on=r.received_on,
            received_month=r.received_on.strftime("%Y-%m"),
            created_at=now,
            updated_at=now,
            imported=True,
            person_id=people.get(r.person_id) if r.person_id else None,
            person_type=r.person_type,
            child_id=child_of.get(r.reference),
            care_status=r.care_status,
            service_area_id=areas[r.service_area] if r.service_area else team_area,
            team_id=team_id,
            status=status,
            classification=r.classification,
            refusal_reason_id=categories[(CategoryKind.REFUSAL_REASON, r.refusal_reason)] if r.refusal_reason else None,
            procedure=plan.procedure if plan else None,
            current_stage=current,
            withdrawn_on=r.closed_on if status == SubmissionStatus.WITHDRAWN else None,
            closed_on=r.closed_on,
            next_due_on=running[-1]["due_on"] if running and r.closed_on is None else None,
            out_of_time=False,
            feels_unsafe=False,
            safeguarding_flag=False,
        )
        params.append(record)
    ids = _insert_returning_ids(_table(Submission), params)

    stages: list[dict[str, Any]] = []
    themes: list[dict[str, int]] = []
    sought: list[dict[str, int]] = []
    actual: list[dict[str, int]] = []
    compliments: list[dict[str, Any]] = []
    adr: list[dict[str, Any]] = []
    lgsco: list[dict[str, Any]] = []
    for r, sid, own_stages in zip(rows, ids, stage_lists, strict=True):
        for s in own_stages:
            s["submission_id"] = sid
            stages.append(s)
        themes.extend({"submission_id": sid, "category_id": categories[(CategoryKind.THEME, n)]} for n in r.themes)
        sought.extend(
            {"submission_id": sid, "category_id": categories[(CategoryKind.OUTCOME_SOUGHT, n)]}
            for n in r.outcomes_sought
        )
        actual.extend(
            {"submission_id": sid, "category_id": categories[(CategoryKind.ACTUAL_OUTCOME, n)]}
            for n in r.actual_outcomes
        )
        if r.kind == SubmissionKind.COMPLIMENT:
            compliments.append(
                {
                    "submission_id": sid,
                    "source_id": categories[(CategoryKind.COMPLIMENT_SOURCE, r.compliment_source)]
                    if r.compliment_source
                    else None,
                    "internal": r.compliment_internal,
                }
            )
        if r.adr_hours is not None:
            adr.append({"submission_id": sid, "hours": r.adr_hours})
        if r.lgsco_referred_on is not None:
            lgsco.append({"submission_id": sid, "referred_on": r.lgsco_referred_on, "decision": r.lgsco_decision})
    _insert(_table(StageRecord), stages)
    _insert(submission_theme, themes)
    _insert(submission_outcome_sought, sought)
    _insert(submission_actual_outcome, actual)
    _insert(_table(Compliment), compliments)
    _insert(_table(AdrSession), adr)
    _insert(_table(LgscoReferral), lgsco)
    return {
        "records": len(rows),
        "stages": len(stages),
        "people": len(people),
        "service_areas": len(areas),
        "teams": len(teams),
    }
