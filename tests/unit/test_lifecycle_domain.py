"""The lifecycle rules: every stage transition (allowed and refused), every timescale of every procedure from the
seeded defaults (including Easter and Christmas), extensions, escalation windows and the domain rules."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays

from portal.domain import DomainError
from portal.domain import lifecycle as rules
from portal.domain.enums import Finding, Procedure, StageName, StageStatus, SubmissionStatus
from portal.domain.lifecycle import Action
from portal.domain.procedures import DEFAULT_PROFILES
from portal.domain.workdays import WorkingDayCalendar


def _calendar(division):
    return WorkingDayCalendar.from_holidays(
        h["date"] for h in BankHolidays(use_cached_holidays=True).get_holidays(division=division)
    )


EW = _calendar(BankHolidays.ENGLAND_AND_WALES)
SCOT = _calendar(BankHolidays.SCOTLAND)
TIMESCALES = {
    p.code: {t.key: (t.text_value if t.text_value is not None else t.working_days) for t in p.timescales}
    for p in DEFAULT_PROFILES
}
ENG = TIMESCALES[Procedure.ENGLAND_STATUTORY]
CORP = TIMESCALES[Procedure.LGSCO_CORPORATE]
MCHP = TIMESCALES[Procedure.SCOTLAND_MCHP]

# --- transitions ------------------------------------------------------------------------------------------------------

EXPECTED = {
    (StageStatus.REQUESTED, Action.ACKNOWLEDGE): StageStatus.REQUESTED,
    (StageStatus.REQUESTED, Action.ACCEPT_ESCALATION): StageStatus.OPEN,
    (StageStatus.REQUESTED, Action.DECLINE_ESCALATION): StageStatus.DECLINED,
    (StageStatus.REQUESTED, Action.WITHDRAW): StageStatus.WITHDRAWN,
    (StageStatus.OPEN, Action.ACKNOWLEDGE): StageStatus.OPEN,
    (StageStatus.OPEN, Action.EXTEND): StageStatus.OPEN,
    (StageStatus.OPEN, Action.RECORD_RESPONSE): StageStatus.RESPONDED,
    (StageStatus.OPEN, Action.WITHDRAW): StageStatus.WITHDRAWN,
    (StageStatus.OPEN, Action.REQUEST_ESCALATION): StageStatus.CLOSED,
    (StageStatus.RESPONDED, Action.CLOSE): StageStatus.CLOSED,
    (StageStatus.RESPONDED, Action.REQUEST_ESCALATION): StageStatus.CLOSED,
    (StageStatus.RESPONDED, Action.WITHDRAW): StageStatus.WITHDRAWN,
    (StageStatus.DECLINED, Action.CLOSE): StageStatus.DECLINED,
    (StageStatus.DECLINED, Action.REOPEN): StageStatus.REQUESTED,
    (StageStatus.CLOSED, Action.REOPEN): StageStatus.RESPONDED,
    (StageStatus.CLOSED, Action.REQUEST_ESCALATION): StageStatus.CLOSED,
    (StageStatus.WITHDRAWN, Action.REOPEN): StageStatus.OPEN,
}
ALL_PAIRS = list(itertools.product(StageStatus, Action))


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_every_stage_transition_is_allowed_or_refused_as_specified(status, action):
    expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(DomainError, match="You cannot"):
            rules.next_status(status, action)
    else:
        assert rules.next_status(status, action) == expected


CASE_PAIRS = list(itertools.product(SubmissionStatus, Action))
CASE_ALLOWED = {
    Action.ACKNOWLEDGE: {SubmissionStatus.OPEN},
    Action.EXTEND: {SubmissionStatus.OPEN},
    Action.RECORD_RESPONSE: {SubmissionStatus.OPEN},
    Action.CLOSE: {SubmissionStatus.OPEN},
    Action.REOPEN: {SubmissionStatus.CLOSED, SubmissionStatus.WITHDRAWN},
    Action.WITHDRAW: {SubmissionStatus.NEW, SubmissionStatus.AWAITING_INFORMATION, SubmissionStatus.OPEN},
    Action.REQUEST_ESCALATION: {SubmissionStatus.OPEN, SubmissionStatus.CLOSED},
    Action.ACCEPT_ESCALATION: {SubmissionStatus.OPEN},
    Action.DECLINE_ESCALATION: {SubmissionStatus.OPEN},
}


@pytest.mark.parametrize(("case", "action"), CASE_PAIRS, ids=[f"{c.value}-{a.value}" for c, a in CASE_PAIRS])
def test_every_action_checks_the_case_status(case, action):
    if case in CASE_ALLOWED[action]:
        rules.check_case_status(case, action)
    else:
        with pytest.raises(DomainError):
            rules.check_case_status(case, action)


def test_transition_allowed_combines_case_and_stage():
    assert rules.transition_allowed(SubmissionStatus.OPEN, StageStatus.OPEN, Action.RECORD_RESPONSE)
    assert not rules.transition_allowed(SubmissionStatus.CLOSED, StageStatus.OPEN, Action.RECORD_RESPONSE)
    assert rules.transition_allowed(SubmissionStatus.NEW, None, Action.WITHDRAW)
    assert not rules.transition_allowed(SubmissionStatus.NEW, None, Action.CLOSE)


def test_stage_sequences():
    assert rules.first_stage(Procedure.ENGLAND_STATUTORY) == StageName.STAGE1
    assert rules.next_stage(Procedure.ENGLAND_STATUTORY, StageName.STAGE1) == StageName.STAGE2
    assert rules.next_stage(Procedure.ENGLAND_STATUTORY, StageName.STAGE2) == StageName.STAGE3
    assert rules.next_stage(Procedure.ENGLAND_STATUTORY, StageName.STAGE3) is None
    assert rules.next_stage(Procedure.LGSCO_CORPORATE, StageName.CORPORATE1) == StageName.CORPORATE2
    assert rules.next_stage(Procedure.SCOTLAND_MCHP, StageName.FRONTLINE) == StageName.INVESTIGATION
    with pytest.raises(DomainError):
        rules.next_stage(Procedure.SCOTLAND_MCHP, StageName.STAGE1)
    with pytest.raises(DomainError):
        rules.first_stage(Procedure.ADVOCACY)


# --- timescales -------------------------------------------------------------------------------------------------------


def _dates(stage, timescales, calendar=EW, **facts):
    return rules.compute_stage_dates(rules.StageFacts(stage=stage, **facts), timescales, calendar)


@pytest.mark.parametrize(
    ("received", "ack", "due", "max_due"),
    [
        (date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 16), date(2026, 11, 30)),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April
        (date(2026, 3, 30), date(2026, 4, 2), date(2026, 4, 15), date(2026, 4, 29)),
        # Christmas 2026: 25 and 28 December (Boxing Day substitute), New Year 1 January
        (date(2026, 12, 21), date(2026, 12, 24), date(2027, 1, 7), date(2027, 1, 21)),
        # DOMAIN.md worked examples
        (date(2025, 4, 17), date(2025, 4, 24), date(2025, 5, 6), date(2025, 5, 20)),
        (date(2025, 12, 22), date(2025, 12, 29), date(2026, 1, 8), date(2026, 1, 22)),
    ],
    ids=["ordinary", "easter-2026", "christmas-2026", "easter-2025", "christmas-2025"],
)
def test_england_stage_1_dates(received, ack, due, max_due):
    dates = _dates(StageName.STAGE1, ENG, requested_on=received)
    assert (dates.started_on, dates.acknowledge_due_on, dates.due_on, dates.max_due_on) == (
        received,
        ack,
        due,
        max_due,
    )


def test_england_stage_2_from_the_request_crossing_christmas():
    dates = _dates(StageName.STAGE2, ENG, requested_on=date(2026, 12, 1))
    assert dates.acknowledge_due_on == date(2026, 12, 3)
    assert dates.due_on == date(2027, 1, 8)  # 25 working days skipping 25, 28 December and 1 January
    assert dates.max_due_on == date(2027, 3, 5)  # 65 working days


def test_england_stage_2_from_the_agreed_statement_when_set():
    settings = {**ENG, "stage2.clock_from": "statement_agreed"}
    before = _dates(StageName.STAGE2, settings, requested_on=date(2026, 3, 2))
    assert before.started_on == date(2026, 3, 2)
    after = _dates(StageName.STAGE2, settings, requested_on=date(2026, 3, 2), statement_agreed_on=date(2026, 3, 16))
    assert after.started_on == date(2026, 3, 16)
    assert after.due_on == date(2026, 4, 22)  # 25 working days over Easter
    default = _dates(StageName.STAGE2, ENG, requested_on=date(2026, 3, 2), statement_agreed_on=date(2026, 3, 16))
    assert default.started_on == date(2026, 3, 2)


def test_england_stage_3_panel_findings_and_final_response():
    dates = _dates(StageName.STAGE3, ENG, requested_on=date(2026, 3, 2))
    assert dates.panel_due_on == date(2026, 4, 15)  # 30 working days over Easter
    assert dates.findings_due_on == date(2026, 4, 22)
    assert dates.final_response_due_on == dates.due_on == date(2026, 5, 14)  # skips the early May bank holiday
    assert dates.max_due_on is None
    actual = _dates(
        StageName.STAGE3, ENG, requested_on=date(2026, 3, 2), panel_on=date(2026, 4, 8), findings_on=date(2026, 4, 10)
    )
    assert actual.findings_due_on == date(2026, 4, 15) and actual.final_response_due_on == date(2026, 5, 1)


def test_corporate_stages_count_from_acknowledgement():
    provisional = _dates(StageName.CORPORATE1, CORP, requested_on=date(2026, 12, 21))
    assert provisional.acknowledge_due_on == date(2026, 12, 30)
    assert provisional.started_on == date(2026, 12, 30)
    assert provisional.due_on == date(2027, 1, 14)
    acknowledged = _dates(
        StageName.CORPORATE1, CORP, requested_on=date(2026, 12, 21), acknowledged_on=date(2026, 12, 22)
    )
    assert acknowledged.started_on == date(2026, 12, 22)
    assert acknowledged.due_on == date(2027, 1, 8)
    assert acknowledged.max_due_on == date(2027, 1, 22)
    stage2 = _dates(StageName.CORPORATE2, CORP, requested_on=date(2026, 3, 30), acknowledged_on=date(2026, 4, 1))
    assert stage2.acknowledge_due_on == date(2026, 4, 8)
    assert stage2.due_on == date(2026, 5, 1)  # 20 working days over Easter


def test_scotland_counts_in_the_scottish_calendar():
    frontline = _dates(StageName.FRONTLINE, MCHP, SCOT, requested_on=date(2025, 12, 22))
    assert frontline.due_on == date(2025, 12, 31)  # 5 working days skipping 25 and 26 December
    assert frontline.max_due_on == date(2026, 1, 9)  # and 1 and 2 January
    easter = _dates(StageName.FRONTLINE, MCHP, SCOT, requested_on=date(2026, 4, 2))
    assert easter.due_on == date(2026, 4, 10)  # Good Friday only: Easter Monday is not a Scottish holiday
    investigation = _dates(StageName.INVESTIGATION, MCHP, SCOT, requested_on=date(2026, 12, 21))
    assert investigation.acknowledge_due_on == date(2026, 12, 24)
    assert investigation.due_on == date(2027, 1, 22)


def test_missing_timescale_is_a_plain_error():
    with pytest.raises(DomainError, match=r"no timescale 'stage1\.response'"):
        _dates(StageName.STAGE1, {}, requested_on=date(2026, 11, 2))


# --- extensions -------------------------------------------------------------------------------------------------------


def _extend(new_due, *, current=date(2026, 4, 15), max_due=date(2026, 4, 29), reason="Complex", who="Head of Service"):
    rules.check_extension(
        new_due_on=new_due, current_due_on=current, max_due_on=max_due, reason=reason, authorised_by=who
    )


def test_extension_over_easter_up_to_the_maximum():
    stage1 = _dates(StageName.STAGE1, ENG, requested_on=date(2026, 3, 30))
    _extend(stage1.max_due_on, current=stage1.due_on, max_due=stage1.max_due_on)
    with pytest.raises(DomainError, match="29 April 2026"):
        _extend(date(2026, 4, 30), current=stage1.due_on, max_due=stage1.max_due_on)


def test_extension_over_christmas_up_to_the_maximum():
    stage2 = _dates(StageName.STAGE2, ENG, requested_on=date(2026, 12, 1))
    _extend(date(2027, 2, 1), current=stage2.due_on, max_due=stage2.max_due_on)
    with pytest.raises(DomainError, match="5 March 2027"):
        _extend(date(2027, 3, 8), current=stage2.due_on, max_due=stage2.max_due_on)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"new_due": date(2026, 4, 15)}, "after the current due date"),
        ({"new_due": date(2026, 4, 20), "reason": " "}, "reason"),
        ({"new_due": date(2026, 4, 20), "who": ""}, "who authorised"),
        ({"new_due": date(2026, 4, 20), "max_due": None}, "cannot be extended"),
    ],
    ids=["not-later", "no-reason", "no-authoriser", "stage-3"],
)
def test_extension_refusals(kwargs, message):
    new_due = kwargs.pop("new_due")
    with pytest.raises(DomainError, match=message):
        _extend(new_due, **kwargs)


# --- escalation -------------------------------------------------------------------------------------------------------


def _facts(**kw):
    base = {
        "procedure": Procedure.ENGLAND_STATUTORY,
        "case_status": SubmissionStatus.OPEN,
        "stage": StageName.STAGE1,
        "stage_status": StageStatus.RESPONDED,
        "responded_on": date(2026, 12, 10),
        "due_on": date(2026, 12, 14),
    }
    return rules.EscalationFacts(**{**base, **kw})


def _escalate(facts, on, source="public"):
    return rules.check_escalation(facts, requested_on=on, source=source, timescales=ENG, calendar=EW)


def test_escalation_window_crosses_christmas():
    assert rules.escalation_window_end(_facts(), ENG, EW) == date(2027, 1, 12)
    assert _escalate(_facts(), date(2027, 1, 12)) == StageName.STAGE2
    with pytest.raises(DomainError, match="has passed"):
        _escalate(_facts(), date(2027, 1, 13))
    assert _escalate(_facts(), date(2027, 1, 13), "staff") == StageName.STAGE2


def test_adr_after_the_response_extends_the_window():
    facts = _facts(last_adr_on=date(2027, 1, 8))
    assert rules.escalation_window_end(facts, ENG, EW) == date(2027, 2, 5)


def test_escalation_refusals():
    with pytest.raises(DomainError, match="last stage"):
        _escalate(_facts(stage=StageName.STAGE3), date(2026, 12, 11))
    with pytest.raises(DomainError, match="not been sent"):
        _escalate(_facts(stage_status=StageStatus.OPEN, responded_on=None), date(2026, 12, 11))
    with pytest.raises(DomainError, match="not been sent"):
        _escalate(_facts(stage_status=StageStatus.OPEN, responded_on=None), date(2026, 12, 15), "public")
    assert _escalate(_facts(stage_status=StageStatus.OPEN, responded_on=None), date(2026, 12, 15), "staff")
    with pytest.raises(DomainError, match="on or after"):
        _escalate(_facts(), date(2026, 12, 9))
    with pytest.raises(DomainError):
        _escalate(_facts(case_status=SubmissionStatus.WITHDRAWN), date(2026, 12, 11))
    with pytest.raises(DomainError, match="Unknown source"):
        _escalate(_facts(), date(2026, 12, 11), "fax")
    frontline = _facts(
        procedure=Procedure.SCOTLAND_MCHP, stage=StageName.FRONTLINE, stage_status=StageStatus.OPEN, responded_on=None
    )
    assert _escalate(frontline, date(2026, 12, 11), "staff") == StageName.INVESTIGATION


# --- other rules ------------------------------------------------------------------------------------------------------


def _response(**kw):
    base = {
        "procedure": Procedure.ENGLAND_STATUTORY,
        "stage": StageName.STAGE1,
        "started_on": date(2026, 11, 2),
        "responded_on": date(2026, 11, 13),
        "finding": Finding.UPHELD,
    }
    return rules.ResponseFacts(**{**base, **kw})


def test_response_rules():
    today = date(2026, 11, 20)
    rules.check_response(_response(), today)
    with pytest.raises(DomainError, match="today or in the past"):
        rules.check_response(_response(responded_on=date(2026, 11, 21)), today)
    with pytest.raises(DomainError, match="on or after"):
        rules.check_response(_response(responded_on=date(2026, 11, 1)), today)
    with pytest.raises(DomainError, match="overall finding"):
        rules.check_response(_response(finding=Finding.RESOLVED), today)
    rules.check_response(_response(procedure=Procedure.SCOTLAND_MCHP, finding=Finding.RESOLVED), today)
    with pytest.raises(DomainError, match="every complaint point"):
        rules.check_response(_response(point_findings=(Finding.UPHELD, None)), today)
    with pytest.raises(DomainError, match="Investigating Officer"):
        rules.check_response(_response(stage=StageName.STAGE2), today)
    with pytest.raises(DomainError, match="panel met"):
        rules.check_response(_response(stage=StageName.STAGE3), today)


def test_working_days_taken():
    assert rules.working_days_taken(date(2026, 11, 2), date(2026, 11, 2), EW) == 0
    assert rules.working_days_taken(date(2026, 12, 21), date(2027, 1, 7), EW) == 10


def test_overall_finding_suggestion():
    assert rules.overall_from_points((Finding.UPHELD, Finding.UPHELD)) == Finding.UPHELD
    assert rules.overall_from_points((Finding.UPHELD, Finding.NOT_UPHELD)) == Finding.PARTIALLY_UPHELD
    assert rules.overall_from_points((Finding.NOT_UPHELD,)) == Finding.NOT_UPHELD
    assert rules.overall_from_points(()) is None


def test_learning_is_prompted_by_upheld_findings_only():
    assert rules.prompts_learning("upheld") and rules.prompts_learning(Finding.PARTIALLY_UPHELD)
    assert not rules.prompts_learning("not_upheld") and not rules.prompts_learning(None)


def test_close_decline_withdraw_rules():
    rules.check_close(open_learning_actions=0, override_reason=None, override_by_manager=False)
    with pytest.raises(DomainError, match="2 promised learning actions are still open"):
        rules.check_close(open_learning_actions=2, override_reason="", override_by_manager=True)
    with pytest.raises(DomainError, match="Only a complaints manager"):
        rules.check_close(open_learning_actions=1, override_reason="Reason", override_by_manager=False)
    rules.check_close(open_learning_actions=1, override_reason="Reason", override_by_manager=True)
    with pytest.raises(DomainError, match="sign off"):
        rules.check_decline(reason="Court", signed_off_by_manager=False)
    with pytest.raises(DomainError, match="reason"):
        rules.check_decline(reason="", signed_off_by_manager=True)
    with pytest.raises(DomainError, match="on or after"):
        rules.check_withdraw(on=date(2026, 1, 1), reason="x", received_on=date(2026, 2, 1), today=date(2026, 3, 1))


def test_panel_rules():
    rules.check_panel_member("A Person", stage2_independent_person="Jo Bloggs", existing=())
    with pytest.raises(DomainError, match="Independent Person"):
        rules.check_panel_member(" jo  bloggs", stage2_independent_person="Jo Bloggs", existing=())
    with pytest.raises(DomainError, match="already on the panel"):
        rules.check_panel_member("A Person", stage2_independent_person=None, existing=("a person",))
    with pytest.raises(DomainError, match="three members"):
        rules.check_panel_member("D", stage2_independent_person=None, existing=("A", "B", "C"))
    with pytest.raises(DomainError, match="on or after the panel"):
        rules.check_panel_dates(
            requested_on=date(2026, 1, 5),
            panel_on=date(2026, 2, 2),
            findings_on=date(2026, 2, 1),
            today=date(2026, 3, 1),
        )
    with pytest.raises(DomainError, match="panel date before"):
        rules.check_panel_dates(
            requested_on=date(2026, 1, 5), panel_on=None, findings_on=date(2026, 2, 1), today=date(2026, 3, 1)
        )


def test_money_rules():
    rules.check_remedy("time_and_trouble", Decimal("150.00"))
    rules.check_remedy("apology", None)
    with pytest.raises(DomainError, match="amount"):
        rules.check_remedy("financial_remedy", None)
    with pytest.raises(DomainError, match="kind"):
        rules.check_remedy("cash", Decimal("1"))
    with pytest.raises(DomainError):
        rules.check_cost(Decimal("-0.01"), None)


def test_adr_only_beside_the_first_stage_or_before_the_next():
    rules.check_adr(
        stage=StageName.STAGE1, stage_status=StageStatus.RESPONDED, held_on=date(2026, 1, 5), today=date(2026, 1, 5)
    )
    rules.check_adr(
        stage=StageName.STAGE2, stage_status=StageStatus.REQUESTED, held_on=date(2026, 1, 5), today=date(2026, 1, 5)
    )
    with pytest.raises(DomainError, match="beside the first stage"):
        rules.check_adr(
            stage=StageName.STAGE2, stage_status=StageStatus.OPEN, held_on=date(2026, 1, 5), today=date(2026, 1, 5)
        )


def test_timescale_settings_rules():
    rules.check_timescale_value("stage1.response", 10, None)
    rules.check_timescale_value("stage2.clock_from", None, "statement_agreed")
    with pytest.raises(DomainError):
        rules.check_timescale_value("stage2.clock_from", None, "whenever")
    with pytest.raises(DomainError):
        rules.check_timescale_value("stage1.response", 0, None)
    with pytest.raises(DomainError, match="cannot be before"):
        rules.check_timescales({"stage1.response": 10, "stage1.max": 9})
    for profile in DEFAULT_PROFILES:
        rules.check_timescales(TIMESCALES[profile.code])
