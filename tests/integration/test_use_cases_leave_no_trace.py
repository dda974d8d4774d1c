"""A use-case that refuses (raises a DomainError) leaves the database exactly as it was: every row of every table
is the same afterwards, and nothing is left pending in the session for a later commit to save.

Each entry of USE_CASES calls one use-case in a way its rules refuse. To cover a new use-case, add an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.enums import Channel, Classification, Procedure, Role, SubmissionKind
from portal.extensions import db
from portal.models import ProcedureProfile, StaffUser, Submission, Team
from portal.services import advocacy, compliments, lifecycle, people, triage
from tests.factories import make_staff_user, make_submission, make_team
from tests.lifecycle_support import open_complaint

TODAY = date(2026, 11, 3)


@dataclass
class World:
    team: Team
    manager: StaffUser
    officer: StaffUser
    new: Submission  # a complaint waiting for triage
    open: Submission  # a complaint at Stage 1
    compliment: Submission
    advocacy_request: Submission

    @property
    def stage(self) -> Any:
        return self.open.stages[-1]


@pytest.fixture
def world(db: Any) -> World:
    team = make_team()
    world = World(
        team=team,
        manager=make_staff_user(Role.COMPLAINTS_MANAGER),
        officer=make_staff_user(Role.COMPLAINTS_OFFICER),
        new=make_submission(team=team),
        open=open_complaint(team=team),
        compliment=make_submission(SubmissionKind.COMPLIMENT, team=team),
        advocacy_request=make_submission(SubmissionKind.ADVOCACY),
    )
    lifecycle.add_point(world.stage, text="No reply to my calls", actor_id=None)
    return world


def _decision(classification: Classification, **kw: Any) -> triage.TriageDecision:
    return triage.TriageDecision(classification=classification, **kw)


def _classify(w: World, classification: Classification, **kw: Any) -> None:
    triage.classify(w.new, _decision(classification, **kw), actor=w.officer, today=TODAY)


def _turn_the_statutory_procedure_off(w: World) -> None:
    db.session.execute(
        sa.update(ProcedureProfile).where(ProcedureProfile.code == Procedure.ENGLAND_STATUTORY).values(enabled=False)
    )
    db.session.commit()


# Set-up some cases need beyond the world, done before the "before" snapshot.
PREPARE: dict[str, Callable[[World], None]] = {
    "triage.classify statutory when the procedure is off": _turn_the_statutory_procedure_off,
}

USE_CASES: dict[str, Callable[[World], object]] = {
    # Triage: the decision is checked before the case changes.
    "triage.classify case concern without a team": lambda w: _classify(w, Classification.CASE_CONCERN),
    "triage.classify pre-complaint without a question": lambda w: _classify(
        w, Classification.PRE_COMPLAINT, team_id=w.team.id, information_request=" "
    ),
    "triage.classify refused without a reason": lambda w: _classify(w, Classification.REFUSED, team_id=w.team.id),
    "triage.classify withdrawn without a reason": lambda w: _classify(w, Classification.WITHDRAWN, team_id=w.team.id),
    "triage.classify with an unknown theme": lambda w: _classify(w, Classification.REPRESENTATION, theme_ids=[999]),
    "triage.classify with an officer as responding manager": lambda w: _classify(
        w, Classification.STATUTORY, responding_manager_id=w.officer.id
    ),
    "triage.classify statutory when the procedure is off": lambda w: _classify(
        w, Classification.STATUTORY, team_id=w.team.id
    ),
    "triage.classify a case already triaged": lambda w: triage.classify(
        w.open, _decision(Classification.STATUTORY), actor=w.officer, today=TODAY
    ),
    "triage.convert to a complaint": lambda w: triage.convert(
        w.new, to_kind=SubmissionKind.COMPLAINT, actor=w.officer, today=TODAY
    ),
    "triage.convert a compliment from the future": lambda w: triage.convert(
        w.new, to_kind=SubmissionKind.COMPLIMENT, actor=w.officer, today=date(2026, 10, 1)
    ),
    "triage.update_assignment to an unknown team": lambda w: triage.update_assignment(
        w.open, _decision(Classification.STATUTORY, team_id=999), actor=w.officer
    ),
    "triage.record_safety_decision without words": lambda w: triage.record_safety_decision(
        w.new, decision=" ", actor=w.officer
    ),
    "triage.create_by_hand in the future": lambda w: triage.create_by_hand(
        triage.ManualContact(
            channel=Channel.TELEPHONE,
            received_at=datetime(2099, 1, 1, tzinfo=UTC),
            full_name="Sam",
            email=None,
            phone=None,
            child_name=None,
            what_happened="Words",
        ),
        actor=w.officer,
    ),
    # Every lifecycle use-case.
    "lifecycle.open_first_stage twice": lambda w: lifecycle.open_first_stage(
        w.open, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=TODAY
    ),
    "lifecycle.request_escalation dated in the future": lambda w: lifecycle.request_escalation(
        w.open, requested_on=date(2026, 11, 20), source="staff", actor_id=w.officer.id, today=TODAY
    ),
    "lifecycle.withdraw without a reason": lambda w: lifecycle.withdraw(
        w.open, on=TODAY, reason=" ", source="staff", actor_id=w.officer.id, today=TODAY
    ),
    "lifecycle.acknowledge before the complaint": lambda w: lifecycle.acknowledge(
        w.stage, on=date(2026, 10, 1), actor_id=None, today=TODAY
    ),
    "lifecycle.extend beyond the maximum": lambda w: lifecycle.extend(
        w.stage, new_due_on=date(2027, 6, 1), reason="Busy", authorised_by="Head", actor_id=None, today=TODAY
    ),
    "lifecycle.record_response with no finding": lambda w: lifecycle.record_response(
        w.stage, responded_on=TODAY, finding="", summary=None, actor_id=None, today=TODAY
    ),
    "lifecycle.accept_escalation of a running stage": lambda w: lifecycle.accept_escalation(
        w.stage, actor_id=None, today=TODAY
    ),
    "lifecycle.decline_escalation without a manager": lambda w: lifecycle.decline_escalation(
        w.stage, reason="Court case", decided_by=w.officer, signed_off_by=w.officer, today=TODAY
    ),
    "lifecycle.close_case before the response": lambda w: lifecycle.close_case(
        w.open, on=TODAY, actor=w.manager, today=TODAY
    ),
    "lifecycle.reopen_case that is open": lambda w: lifecycle.reopen_case(
        w.open, reason="Came back", actor_id=None, today=TODAY
    ),
    "lifecycle.update_investigation at Stage 1": lambda w: lifecycle.update_investigation(
        w.stage,
        investigating_officer="Io",
        independent_person="Ip",
        adjudicating_officer=None,
        statement_agreed_on=None,
        adjudicated_on=None,
        actor_id=None,
        today=TODAY,
    ),
    "lifecycle.add_cost below zero": lambda w: lifecycle.add_cost(
        w.stage, description="Refund", amount="-5", actor_id=None
    ),
    "lifecycle.add_panel_member at Stage 1": lambda w: lifecycle.add_panel_member(
        w.stage, name="Pat", is_chair=True, actor_id=None
    ),
    "lifecycle.record_panel at Stage 1": lambda w: lifecycle.record_panel(
        w.stage, panel_on=TODAY, findings_on=None, actor_id=None, today=TODAY
    ),
    "lifecycle.add_point without words": lambda w: lifecycle.add_point(w.stage, text=" ", actor_id=None),
    "lifecycle.set_point_finding unknown": lambda w: lifecycle.set_point_finding(
        w.stage.points[0], finding="maybe", rationale=None, actor_id=None
    ),
    "lifecycle.record_adr of an unknown kind": lambda w: lifecycle.record_adr(
        w.open, held_on=TODAY, kind="duel", facilitator="", hours=None, outcome=None, actor_id=None, today=TODAY
    ),
    "lifecycle.save_lgsco_referral without a date": lambda w: lifecycle.save_lgsco_referral(
        w.open, None, values={}, actor_id=None, today=TODAY
    ),
    "lifecycle.add_remedy payment without an amount": lambda w: lifecycle.add_remedy(
        w.open, values={"kind": "time_and_trouble"}, actor_id=None, today=TODAY
    ),
    "lifecycle.save_learning_action of no category": lambda w: lifecycle.save_learning_action(
        w.open, None, values={"category": "none"}, actor_id=None, today=TODAY
    ),
    # Other areas' use-cases.
    "advocacy.create_for_complaint from a compliment": lambda w: advocacy.create_for_complaint(
        w.compliment, actor_id=None, today=TODAY
    ),
    "advocacy.allocate to an officer": lambda w: advocacy.allocate(
        w.advocacy_request,
        advocate_id=w.officer.id,
        allocated_on=TODAY,
        actor_id=None,
        today=TODAY,
    ),
    "compliments.record_compliment without words": lambda w: compliments.record_compliment(
        compliments.ComplimentDetails(received_on=TODAY, words=" ", team_id=w.team.id),
        actor_id=w.officer.id,
        today=TODAY,
    ),
    "people.add_contact_plan without measures": lambda w: people.add_contact_plan(
        w.open.person,
        measures=" ",
        reason="Many calls",
        named_officer_id=w.officer.id,
        review_on=date(2027, 1, 1),
        actor=w.manager,
        today=TODAY,
    ),
}


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read through the session (so anything pending would be flushed into view)."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    return rows


@pytest.mark.parametrize("name", sorted(USE_CASES))
def test_a_refused_use_case_leaves_the_database_as_it_was(name: str, world: World) -> None:
    if name in PREPARE:
        PREPARE[name](world)
    before = _snapshot()
    with pytest.raises(DomainError):
        USE_CASES[name](world)
    assert not (db.session.new or db.session.dirty or db.session.deleted), "changes left pending in the session"
    after = _snapshot()
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [], f"{name} changed {changed}"


def _use_cases_of(module: Any) -> set[str]:
    """The module's public use-cases: the functions it defines with a unit-of-work boundary."""
    return {
        f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
        for name, value in vars(module).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__wrapped__", None) is not None
        and value.__module__.startswith(module.__name__)
    }


@pytest.mark.parametrize("module", [triage, lifecycle], ids=["triage", "lifecycle"])
def test_every_triage_and_lifecycle_use_case_that_can_refuse_is_covered(module: Any) -> None:
    covered = {name.split(" ")[0] for name in USE_CASES}
    never_refuse = {"lifecycle.remove_cost", "lifecycle.remove_panel_member"}  # they have no rule to break
    missing = _use_cases_of(module) - covered - never_refuse
    assert not missing, f"add these use-cases to USE_CASES: {sorted(missing)}"
