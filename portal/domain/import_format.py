"""The interchange format for historic records (docs/import-format.md): parsing and checking one CSV row.

Pure Python. `parse_row` turns the cells of one row into an `ImportRow` or a list of `ImportProblem`s naming the
line, the column and what was wrong; `format_row` turns an `ImportRow` back into cells (used by the export), so
export followed by import gives the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.domain.enums import (
    CareStatus,
    Channel,
    Classification,
    EscalationDecision,
    LgscoDecision,
    PersonType,
    SubmissionKind,
)

COLUMNS: tuple[str, ...] = (
    "reference",
    "kind",
    "received_on",
    "channel",
    "person_id",
    "person_type",
    "care_status",
    "service_area",
    "team",
    "classification",
    "refusal_reason",
    "themes",
    "outcomes_sought",
    "stage1_extended",
    "stage1_responded_on",
    "stage1_outcome",
    "stage2_requested_on",
    "stage2_decision",
    "stage2_started_on",
    "stage2_responded_on",
    "stage2_outcome",
    "stage2_cost",
    "stage3_requested_on",
    "stage3_panel_on",
    "stage3_responded_on",
    "stage3_outcome",
    "adr_hours",
    "lgsco_referred_on",
    "lgsco_decision",
    "actual_outcomes",
    "closed_on",
    "compliment_source",
    "compliment_internal",
)
REQUIRED: frozenset[str] = frozenset({"reference", "kind", "received_on"})
STAGE_OUTCOMES: tuple[str, ...] = ("upheld", "partially_upheld", "not_upheld")
YES_NO = {"yes": True, "no": False}
KINDS = tuple(k.value for k in SubmissionKind)
CHANNELS = tuple(c.value for c in Channel)
PERSON_TYPES = tuple(t.value for t in PersonType)
CARE_STATUSES = tuple(c.value for c in CareStatus)
CLASSIFICATIONS = tuple(c.value for c in Classification)
DECISIONS = tuple(d.value for d in EscalationDecision)
LGSCO_DECISIONS = tuple(d.value for d in LgscoDecision)

# Limits of the columns the values are stored in.
MAX_REFERENCE = 16
MAX_NAME = 120
MAX_LABEL = 160
MAX_PERSON_ID = 120
MAX_MONEY = Decimal("9999999999.99")
MAX_HOURS = Decimal("999999.99")

# Columns only a complaint may fill in.
COMPLAINT_ONLY = (
    "classification",
    "refusal_reason",
    "themes",
    "outcomes_sought",
    "stage1_extended",
    "stage1_responded_on",
    "stage1_outcome",
    "stage2_requested_on",
    "stage2_decision",
    "stage2_started_on",
    "stage2_responded_on",
    "stage2_outcome",
    "stage2_cost",
    "stage3_requested_on",
    "stage3_panel_on",
    "stage3_responded_on",
    "stage3_outcome",
    "adr_hours",
    "lgsco_referred_on",
    "lgsco_decision",
    "actual_outcomes",
)
COMPLIMENT_ONLY = ("compliment_source", "compliment_internal")
STAGE_COLUMNS = tuple(c for c in COMPLAINT_ONLY if c.startswith("stage"))
# The dates of a complaint's life, in the order they must happen (each no earlier than any before it).
DATE_ORDER = (
    "received_on",
    "stage1_responded_on",
    "stage2_requested_on",
    "stage2_started_on",
    "stage2_responded_on",
    "stage3_requested_on",
    "stage3_panel_on",
    "stage3_responded_on",
)


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportRow:
    line: int
    reference: str
    kind: SubmissionKind
    received_on: date
    channel: Channel | None = None
    person_id: str | None = None
    person_type: PersonType | None = None
    care_status: CareStatus | None = None
    service_area: str | None = None
    team: str | None = None
    classification: Classification | None = None
    refusal_reason: str | None = None
    themes: tuple[str, ...] = ()
    outcomes_sought: tuple[str, ...] = ()
    stage1_extended: bool | None = None
    stage1_responded_on: date | None = None
    stage1_outcome: str | None = None
    stage2_requested_on: date | None = None
    stage2_decision: str | None = None
    stage2_started_on: date | None = None
    stage2_responded_on: date | None = None
    stage2_outcome: str | None = None
    stage2_cost: Decimal | None = None
    stage3_requested_on: date | None = None
    stage3_panel_on: date | None = None
    stage3_responded_on: date | None = None
    stage3_outcome: str | None = None
    adr_hours: Decimal | None = None
    lgsco_referred_on: date | None = None
    lgsco_decision: str | None = None
    actual_outcomes: tuple[str, ...] = ()
    closed_on: date | None = None
    compliment_source: str | None = None
    compliment_internal: bool | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)


def check_header(header: Iterable[str] | None) -> list[ImportProblem]:
    if header is None:
        return [ImportProblem(1, None, "the file is empty: it needs a header row naming the columns")]
    names = [h.strip() for h in header]
    problems: list[ImportProblem] = []
    seen: set[str] = set()
    for name in names:
        if name not in COLUMNS:
            problems.append(ImportProblem(1, name or "(blank)", "unknown column; see docs/import-format.md"))
        elif name in seen:
            problems.append(ImportProblem(1, name, "column appears more than once"))
        seen.add(name)
    for name in COLUMNS:
        if name in REQUIRED and name not in seen:
            problems.append(ImportProblem(1, name, "required column is missing"))
    return problems


class _RowParser:
    def __init__(self, line: int, cells: Mapping[str, str | None]) -> None:
        self.line = line
        self.cells = {k: (v or "").strip() for k, v in cells.items()}
        self.problems: list[ImportProblem] = []

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(ImportProblem(self.line, column, message))

    def text(self, column: str, limit: int) -> str | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        if len(value) > limit:
            self.problem(column, f"is longer than {limit} characters")
            return None
        return value

    def choice(self, column: str, allowed: tuple[str, ...] | dict[str, bool]) -> str | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        if value not in allowed:
            self.problem(column, f"'{value}' is not one of: {', '.join(allowed)}")
            return None
        return value

    def day(self, column: str) -> date | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        try:
            if len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"'{value}' is not a date in the form YYYY-MM-DD")
            return None

    def yes_no(self, column: str) -> bool | None:
        value = self.choice(column, YES_NO)
        return None if value is None else YES_NO[value]

    def amount(self, column: str, limit: Decimal, what: str) -> Decimal | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        try:
            number = Decimal(value.replace(",", "").lstrip("£"))
        except InvalidOperation:
            self.problem(column, f"'{value}' is not {what}")
            return None
        if not number.is_finite() or number < 0 or number > limit:
            self.problem(column, f"'{value}' is not {what}")
            return None
        if number != number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
            self.problem(column, f"'{value}' has more than 2 decimal places")
            return None
        return number.quantize(Decimal("0.01"))

    def names(self, column: str) -> tuple[str, ...]:
        value = self.cells.get(column, "")
        if not value:
            return ()
        out: list[str] = []
        for part in value.split(";"):
            name = part.strip()
            if not name:
                self.problem(column, "has an empty name in its ';'-separated list")
                continue
            if len(name) > MAX_LABEL:
                self.problem(column, f"'{name[:30]}…' is longer than {MAX_LABEL} characters")
                continue
            if name not in out:
                out.append(name)
        return tuple(out)


def parse_row(line: int, cells: Mapping[str, str | None]) -> tuple[ImportRow | None, list[ImportProblem]]:
    """Check one row. Returns the parsed row, or None and every problem found in it."""
    p = _RowParser(line, cells)
    for column in sorted(REQUIRED, key=COLUMNS.index):
        if not p.cells.get(column):
            p.problem(column, "is required")
    reference = p.text("reference", MAX_REFERENCE)
    kind_value = p.choice("kind", KINDS)
    received_on = p.day("received_on")
    channel = p.choice("channel", CHANNELS)
    person_type = p.choice("person_type", PERSON_TYPES)
    care_status = p.choice("care_status", CARE_STATUSES)
    classification = p.choice("classification", CLASSIFICATIONS)
    values: dict[str, object] = {
        "person_id": p.text("person_id", MAX_PERSON_ID),
        "service_area": p.text("service_area", MAX_NAME),
        "team": p.text("team", MAX_NAME),
        "refusal_reason": p.text("refusal_reason", MAX_LABEL),
        "themes": p.names("themes"),
        "outcomes_sought": p.names("outcomes_sought"),
        "stage1_extended": p.yes_no("stage1_extended"),
        "stage1_responded_on": p.day("stage1_responded_on"),
        "stage1_outcome": p.choice("stage1_outcome", STAGE_OUTCOMES),
        "stage2_requested_on": p.day("stage2_requested_on"),
        "stage2_decision": p.choice("stage2_decision", DECISIONS),
        "stage2_started_on": p.day("stage2_started_on"),
        "stage2_responded_on": p.day("stage2_responded_on"),
        "stage2_outcome": p.choice("stage2_outcome", STAGE_OUTCOMES),
        "stage2_cost": p.amount("stage2_cost", MAX_MONEY, "an amount in pounds such as 6265.11"),
        "stage3_requested_on": p.day("stage3_requested_on"),
        "stage3_panel_on": p.day("stage3_panel_on"),
        "stage3_responded_on": p.day("stage3_responded_on"),
        "stage3_outcome": p.choice("stage3_outcome", STAGE_OUTCOMES),
        "adr_hours": p.amount("adr_hours", MAX_HOURS, "a number of hours such as 2.5"),
        "lgsco_referred_on": p.day("lgsco_referred_on"),
        "lgsco_decision": p.choice("lgsco_decision", LGSCO_DECISIONS),
        "actual_outcomes": p.names("actual_outcomes"),
        "closed_on": p.day("closed_on"),
        "compliment_source": p.text("compliment_source", MAX_LABEL),
        "compliment_internal": p.yes_no("compliment_internal"),
    }

    filled = {c for c, v in p.cells.items() if v}
    if kind_value and kind_value != SubmissionKind.COMPLAINT:
        for column in COMPLAINT_ONLY:
            if column in filled:
                p.problem(column, f"only a complaint can have a {column} (this row is a {kind_value})")
    if kind_value and kind_value != SubmissionKind.COMPLIMENT:
        for column in COMPLIMENT_ONLY:
            if column in filled:
                p.problem(column, f"only a compliment can have a {column} (this row is a {kind_value})")
    if kind_value == SubmissionKind.COMPLAINT:
        _check_complaint(p, classification, filled, values)

    dates = {"received_on": received_on, **{k: v for k, v in values.items() if k in DATE_ORDER}}
    _check_order(p, dates)
    for column in ("closed_on", "lgsco_referred_on"):
        if received_on and values[column] and values[column] < received_on:  # type: ignore[operator]
            p.problem(column, f"{values[column]} is before received_on {received_on}")

    if p.problems or reference is None or kind_value is None or received_on is None:
        return None, p.problems
    row = ImportRow(
        line=line,
        reference=reference,
        kind=SubmissionKind(kind_value),
        received_on=received_on,
        channel=Channel(channel) if channel else None,
        person_type=PersonType(person_type) if person_type else None,
        care_status=CareStatus(care_status) if care_status else None,
        classification=Classification(classification) if classification else None,
        **values,  # type: ignore[arg-type]
    )
    return row, []


def _check_complaint(p: _RowParser, classification: str | None, filled: set[str], values: dict[str, object]) -> None:
    staged = [c for c in STAGE_COLUMNS if c in filled]
    if staged and classification not in (Classification.STATUTORY, Classification.CORPORATE):
        p.problem(
            staged[0],
            "stage columns need classification statutory or corporate "
            f"(this row is {classification or 'not classified'})",
        )
    if "refusal_reason" in filled and classification != Classification.REFUSED:
        p.problem("refusal_reason", "only a refused complaint has a refusal reason")
    if classification == Classification.CORPORATE and any(c in filled for c in STAGE_COLUMNS if "stage3" in c):
        p.problem("stage3_requested_on", "a corporate complaint has no Stage 3")
    needs = (
        ("stage1_outcome", "stage1_responded_on"),
        ("stage2_decision", "stage2_requested_on"),
        ("stage2_started_on", "stage2_requested_on"),
        ("stage2_responded_on", "stage2_requested_on"),
        ("stage2_outcome", "stage2_responded_on"),
        ("stage2_cost", "stage2_requested_on"),
        ("stage3_panel_on", "stage3_requested_on"),
        ("stage3_responded_on", "stage3_requested_on"),
        ("stage3_outcome", "stage3_responded_on"),
        ("stage3_requested_on", "stage2_responded_on"),
        ("lgsco_decision", "lgsco_referred_on"),
    )
    for column, needed in needs:
        if column in filled and needed not in filled:
            p.problem(column, f"is given but {needed} is empty")
    if values["stage2_decision"] == EscalationDecision.DECLINED:
        for column in ("stage2_started_on", "stage2_responded_on", "stage2_outcome", "stage3_requested_on"):
            if column in filled:
                p.problem(column, "Stage 2 was declined, so there can be no " + column)


def _check_order(p: _RowParser, dates: Mapping[str, date | None]) -> None:
    latest_name, latest = None, None
    for name in DATE_ORDER:
        value = dates.get(name)
        if value is None:
            continue
        if latest is not None and value < latest:
            p.problem(name, f"{value.isoformat()} is before {latest_name} {latest.isoformat()}")
        else:
            latest_name, latest = name, value


def find_duplicates(rows: Iterable[ImportRow]) -> list[ImportProblem]:
    """References that appear more than once in the file (every repeat is reported)."""
    first: dict[str, int] = {}
    problems = []
    for row in rows:
        if row.reference in first:
            problems.append(
                ImportProblem(
                    row.line, "reference", f"'{row.reference}' is already used on line {first[row.reference]}"
                )
            )
        else:
            first[row.reference] = row.line
    return problems


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    return str(value.value if hasattr(value, "value") else value)


def format_row(row: ImportRow) -> dict[str, str]:
    """The cells of one row, in the interchange format."""
    names = {f.name for f in fields(row)}
    return {column: _cell(getattr(row, column)) for column in COLUMNS if column in names}
