"""The typed shape of every report: what `annual_report`, `quarterly_indicators` and `team_dashboard` return.

They are TypedDicts, so a report is a plain dictionary at run time: it goes straight to JSON and CSV, and the
templates read it as they always have, while mypy checks every key the code writes or reads. Each key is the
name docs/reports.md defines; the order keys are written in is the order of the JSON and the CSV.

Breakdowns keyed by a stored value (a channel, a classification, a month, a service area) are `dict[str, int]`,
with missing values under `not_recorded`.
"""

from __future__ import annotations

from typing import NotRequired, TypeAlias, TypedDict

JSONValue: TypeAlias = "str | int | float | bool | list[JSONValue] | dict[str, JSONValue] | None"
"""A value of a report as published: small numbers suppressed turn counts into text such as "<5"."""

PublishedReport: TypeAlias = dict[str, JSONValue]
"""A report after small-number suppression (its shape is the report's, with some counts replaced by text)."""


class PeriodDates(TypedDict):
    start: str
    end: str


class LabelledPeriod(TypedDict):
    start: str
    end: str
    label: str


# ---------------------------------------------------------------------------------------------- annual report


class Contacts(TypedDict):
    total: int
    by_classification: dict[str, int]
    not_classified: int


class Complainants(TypedDict):
    distinct: int
    repeat: dict[str, int]
    repeat_people: int
    repeat_contacts: int
    repeat_contacts_stage1: int


class Refusals(TypedDict):
    total: int
    by_reason: dict[str, int]


class Conversion(TypedDict):
    received: int
    became_complaints: int


class Conversions(TypedDict):
    pre_complaints: Conversion
    case_concerns: Conversion
    stage1_from_pre_complaint: int
    stage1_from_case_concern: int


class YoungPeopleStage1(TypedDict):
    received: int
    share_of_stage1: str
    outcomes: dict[str, int]
    upheld_or_partly: int
    with_remedy: int


class YoungPeople(TypedDict):
    contacts: int
    by_channel_and_care_status: dict[str, dict[str, int]]
    care_status_totals: dict[str, int]
    stage1: YoungPeopleStage1


class Stage1Timeliness(TypedDict):
    within_10: int
    within_20: int
    over_20: int
    awaiting_response: int


class Stage1Figures(TypedDict):
    received: int
    outcomes: dict[str, int]
    upheld_or_partly: int
    timeliness: Stage1Timeliness
    responded: int
    within_timescale: int
    extended: int
    average_working_days: float | None
    by_service_area: dict[str, int]
    by_month: dict[str, int]


class Stage2Figures(TypedDict):
    requests: int
    declined: int
    completed: int
    working_days: list[int]
    within_25: int
    within_65: int
    over_65: int
    average_working_days: float | None
    total_cost: str
    average_cost: str | None
    completed_with_cost: int
    requests_from_repeat_complainants: int
    repeat_complainants_requesting: int
    request_share: NotRequired[str]  # the annual report's only: requests ÷ S1


class Stage2Year(TypedDict):
    period: PeriodDates
    completed: int
    total_cost: str
    average_cost: str | None
    average_working_days: float | None


class Stage3Figures(TypedDict):
    requests: int
    completed: int


class ThemeFigures(TypedDict):
    received: int
    upheld_or_partly: int


class LgscoRemedies(TypedDict):
    by_kind: dict[str, int]
    payments: int
    amount: str


class LgscoFigures(TypedDict):
    referrals: int
    decisions: dict[str, int]
    remedies: LgscoRemedies


class RemediesAfterUpheld(TypedDict):
    complaints: int
    with_remedy: int
    with_remedy_by_finding: dict[str, int]
    by_kind: dict[str, int]


class ComplimentFigures(TypedDict):
    total: int
    internal: int
    external: int
    by_source: dict[str, int]
    by_service_area: dict[str, int]


class AdvocacyFigures(TypedDict):
    requests: int


class AdrFigures(TypedDict):
    cases: int
    hours: str


class TeamCompliments(TypedDict):
    service_area: str
    team: str
    stage1_complaints: int
    internal_compliments: int
    external_compliments: int
    compliments: int


class Stage2Case(TypedDict):
    reference: str
    service_area: str | None
    team: str | None
    requested_on: str | None
    statement_agreed_on: str | None
    adjudicated_on: str | None
    responded_on: str | None
    working_days: int | None
    cost: str | None
    outcome: str | None


class LearningActionRow(TypedDict):
    reference: str
    team: str | None
    root_cause: str | None
    category: str
    description: str
    responsible_officer: str | None
    timeframe: str | None
    status: str
    completed_on: str | None


class PreviousComplainants(TypedDict):
    distinct: int
    repeat_people: int
    repeat_contacts: int


class PreviousYoungPeople(TypedDict):
    contacts: int


class PreviousStage1(TypedDict):
    received: int
    outcomes: dict[str, int]
    upheld_or_partly: int
    timeliness: Stage1Timeliness
    average_working_days: float | None
    by_month: dict[str, int]


class PreviousStage2(TypedDict):
    requests: int
    declined: int
    completed: int
    total_cost: str
    average_cost: str | None


class ComplimentTotals(TypedDict):
    total: int
    internal: int
    external: int


class PreviousYear(TypedDict):
    """Only the figures the comparison table shows."""

    period: LabelledPeriod
    contacts: Contacts
    complainants: PreviousComplainants
    channels: dict[str, int]
    young_people: PreviousYoungPeople
    stage1: PreviousStage1
    stage2: PreviousStage2
    stage3: Stage3Figures
    themes: dict[str, ThemeFigures]
    compliments: ComplimentTotals


class AnnualReport(TypedDict):
    period: LabelledPeriod
    procedure: str
    contacts: Contacts
    refusals: Refusals
    conversions: Conversions
    complainants: Complainants
    channels: dict[str, int]
    person_types: dict[str, int]
    young_people: YoungPeople
    stage1: Stage1Figures
    stage2: Stage2Figures
    stage3: Stage3Figures
    themes: dict[str, ThemeFigures]
    outcomes_sought: dict[str, int]
    actual_outcomes: dict[str, int]
    actual_outcomes_by_finding: dict[str, dict[str, int]]
    remedies_after_upheld: RemediesAfterUpheld
    lgsco: LgscoFigures
    compliments: ComplimentFigures
    advocacy: AdvocacyFigures
    adr: AdrFigures
    compliments_by_team: list[TeamCompliments]
    filters: NotRequired[dict[str, list[str]]]  # only when the report is narrowed by a filter
    stage2_cases: NotRequired[list[Stage2Case]]  # details only
    learning_actions: NotRequired[list[LearningActionRow]]  # details only
    previous_year: NotRequired[PreviousYear]  # with the comparison only
    earlier_years: NotRequired[list[PreviousYear]]  # --compare-years N > 1: the years before the previous one
    stage2_history: NotRequired[list[Stage2Year]]  # with the comparison only


# ----------------------------------------------------------------------------------------- quarterly indicators


class Share(TypedDict):
    n: int
    percent: str


class ShareOrNotApplicable(TypedDict):
    """A share that is "N/A" (both parts) when the stage has no timescale."""

    n: int | str
    percent: str


class QuarterTotals(TypedDict):
    period: str
    start: str
    end: str
    received: int
    closed: int
    closed_at_stage: dict[str, Share]


class StageQuarter(TypedDict):
    period: str
    closed: int
    outcomes: dict[str, Share]
    average_working_days: str
    timescale: int | None
    within_timescale: ShareOrNotApplicable
    extended: Share


class QuarterlyStage(TypedDict):
    stage: str
    label: str
    quarters: list[StageQuarter]


class UpheldRegisterRow(TypedDict):
    reference: str
    stage: str
    type: str | None
    outcome: str | None
    responsible_officer: str | None
    action_taken: str | None


class QuarterlyIndicators(TypedDict):
    procedure: str
    quarters: list[str]
    totals: list[QuarterTotals]
    stages: list[QuarterlyStage]
    upheld_register: NotRequired[list[UpheldRegisterRow]]  # details only


# ---------------------------------------------------------------------------------------------- team dashboard


class StageCounts(TypedDict):
    received: int
    accepted: int
    responded: int
    upheld: int
    partially_upheld: int
    not_upheld: int
    due: int
    met_when_due: int


class TeamRow(TypedDict):
    service_area: str
    team: str
    representations: int
    case_concerns: int
    stage1_received: int
    withdrawn: int
    closed: int
    stages: dict[str, StageCounts]
    responded: int
    upheld_or_partly: int
    upheld_percent: str
    due: int
    met_when_due: int
    timeliness_percent: str
    adr_cases: int
    adr_hours: str
    stage2_cost: str


class TeamTotals(TypedDict):
    representations: int
    case_concerns: int
    stage1_received: int
    withdrawn: int
    closed: int
    responded: int
    upheld_or_partly: int
    due: int
    met_when_due: int
    adr_cases: int
    stages: dict[str, StageCounts]
    upheld_percent: str
    timeliness_percent: str
    adr_hours: str
    stage2_cost: str


class RankedName(TypedDict):
    name: str | None
    actions: int


class HalfYearSummary(TypedDict):
    period: LabelledPeriod
    totals: TeamTotals
    top_root_causes: list[RankedName]
    top_learning_categories: list[RankedName]


class TeamDashboard(TypedDict):
    period: LabelledPeriod
    stages: list[str]
    top_root_causes: list[RankedName]
    top_learning_categories: list[RankedName]
    rows: list[TeamRow]
    totals: TeamTotals
    half_years: list[HalfYearSummary]  # April–September and October–March when P is a financial year
    filters: NotRequired[dict[str, list[str]]]  # only when the dashboard is narrowed by a filter


AnyReport: TypeAlias = AnnualReport | QuarterlyIndicators | TeamDashboard | PublishedReport
"""Any report, internal or for publication, as the pages and the command hand it to a template or an export."""


# ---------------------------------------------------------------------------------------------- table builder


class TableTotals(TypedDict):
    """The totals of a built table. `records` counts records, never cells: with a list dimension (`multi_valued`)
    a record is in a cell for each of its values, so the cells add up to more than `records`."""

    rows: NotRequired[dict[str, int]]  # two dimensions only: the records in each row
    columns: NotRequired[dict[str, int]]  # two dimensions only: the records in each column
    records: int
    multi_valued: bool


class BuiltTable(TypedDict):
    period: LabelledPeriod
    of: str
    rows: str
    columns: str | None
    filters: dict[str, list[str]]
    table: dict[str, int] | dict[str, dict[str, int]]
    totals: TableTotals


# ----------------------------------------------------------------------------------------------- board report


class BoardOverview(TypedDict):
    all_stage1: int
    stage1: int
    outcomes: dict[str, int]
    upheld_or_partly: int
    responded: int
    within_timescale: int
    within_timescale_percent: str
    overdue_open: int
    upheld_by_team: dict[str, int]
    upheld_by_person_type: dict[str, int]
    upheld_resolved_at: dict[str, int]
    stage2_concluded: int


class ComplaintPointRow(TypedDict):
    text: str
    finding: str | None


class BoardCase(TypedDict):
    reference: str
    team: str | None
    person_type: str | None
    outcome: str | None
    points: list[ComplaintPointRow]


class OverdueCase(TypedDict):
    reference: str
    team: str | None
    stage: str | None
    due_on: str | None
    days_overdue: int


class BoardReport(TypedDict):
    period: LabelledPeriod
    filters: dict[str, list[str]]
    overview: BoardOverview
    upheld_complaints: NotRequired[list[BoardCase]]  # complaints managers only
    overdue_cases: NotRequired[list[OverdueCase]]  # complaints managers only
    stage2_concluded_cases: NotRequired[list[BoardCase]]  # complaints managers only
