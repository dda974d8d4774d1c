"""Who may do what: the one permission map. Pure rules over plain values (no Flask, no database).

``PERMISSIONS`` says which actions each role may take; ``can(role, action, case=...)`` answers one question, and
with ``case`` it also applies the object-level rule of which cases a role may see (``CASE_SCOPES``). The staff
route decorator (``staff.permissions.requires``), the services (case panel actions, sign-offs), the templates
(the ``can`` global) and the route × role test all read this module, so a change of policy is a change here.

To add an action: name it in ``Action``, give it to the roles in ``PERMISSIONS``, and decorate its routes with
``@requires(Action.X)``. To add a role: add it to ``Role``, ``PERMISSIONS`` and ``CASE_SCOPES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.domain.enums import Role, SubmissionKind


class Action(StrEnum):
    """What a member of staff can do."""

    # Every signed-in member of staff.
    VIEW_HOME = "view_home"
    MANAGE_OWN_ACCOUNT = "manage_own_account"
    # Casework.
    VIEW_CASE = "view_case"  # open a case page (only the cases in the role's CASE_SCOPE)
    LIST_CASES = "list_cases"  # the case list and the deadlines board
    ADD_CASE_NOTE = "add_case_note"
    VIEW_CASE_AUDIT = "view_case_audit"
    TRIAGE = "triage"  # the inbox, triage decisions, safety decisions, assignment, recording a new contact
    MANAGE_PEOPLE = "manage_people"  # a person's record and their contact plan
    RESPOND = "respond"  # the procedure panel, complaint points and findings, the response, ADR
    CHANGE_LIFECYCLE = "change_lifecycle"  # acknowledge, extend, escalate, accept, close, reopen, withdraw, ...
    REFUSE_ESCALATION = "refuse_escalation"  # the complaints manager's sign-off of a refusal
    OVERRIDE_CLOSURE = "override_closure"  # close although promised learning actions are still open
    MANAGE_LEARNING = "manage_learning"
    VIEW_COMPLIMENTS = "view_compliments"
    RECORD_COMPLIMENTS = "record_compliments"
    WORK_ON_ADVOCACY = "work_on_advocacy"  # the advocacy queue and its requests
    LINK_ADVOCACY = "link_advocacy"  # link an advocacy request to a complaint, or unlink it
    VIEW_OUTBOX = "view_outbox"
    # Aggregates and configuration.
    RUN_REPORTS = "run_reports"
    VIEW_REPORT_CASE_DETAILS = "view_report_case_details"  # references and learning actions inside reports
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"  # teams, lists, procedures, timescales, closure days
    IMPORT_RECORDS = "import_records"
    VIEW_SECURITY_ALERTS = "view_security_alerts"  # password-spraying alerts and throttled accounts
    # What a member of staff can be given (who appears in the "assign to" lists).
    ACT_AS_RESPONDING_MANAGER = "act_as_responding_manager"
    ACT_AS_CASE_OFFICER = "act_as_case_officer"
    ACT_AS_ADVOCATE = "act_as_advocate"
    OWN_LEARNING_ACTIONS = "own_learning_actions"
    RECEIVE_SECURITY_ALERTS = "receive_security_alerts"  # emailed when sign-in looks like password spraying


class CaseScope(StrEnum):
    """Which cases a role may see."""

    ALL = "all"  # every submission
    TEAM = "team"  # submissions of the user's teams, or assigned to the user as responding manager
    ADVOCACY = "advocacy"  # advocacy requests, and complaints linked to an advocacy request
    NONE = "none"  # aggregates and configuration only


_EVERYONE = frozenset({Action.VIEW_HOME, Action.MANAGE_OWN_ACCOUNT})
_CASEWORK = _EVERYONE | {Action.VIEW_CASE, Action.OWN_LEARNING_ACTIONS}
_TEAM_CASEWORK = _CASEWORK | {
    Action.LIST_CASES,
    Action.ADD_CASE_NOTE,
    Action.RESPOND,
    Action.MANAGE_LEARNING,
    Action.VIEW_COMPLIMENTS,
}
_OFFICER = _TEAM_CASEWORK | {
    Action.TRIAGE,
    Action.MANAGE_PEOPLE,
    Action.CHANGE_LIFECYCLE,
    Action.RECORD_COMPLIMENTS,
    Action.WORK_ON_ADVOCACY,
    Action.LINK_ADVOCACY,
    Action.VIEW_OUTBOX,
    Action.ACT_AS_CASE_OFFICER,
}
_ADMINISTRATION = frozenset(
    {Action.MANAGE_USERS, Action.MANAGE_SETTINGS, Action.IMPORT_RECORDS, Action.VIEW_SECURITY_ALERTS}
)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    # Everything, except being allocated advocacy work: advocates are independent of the complaints team.
    Role.COMPLAINTS_MANAGER: frozenset(Action) - {Action.ACT_AS_ADVOCATE},
    Role.COMPLAINTS_OFFICER: _OFFICER,
    Role.RESPONDING_MANAGER: _TEAM_CASEWORK | {Action.ACT_AS_RESPONDING_MANAGER},
    Role.ADVOCATE: _CASEWORK | {Action.WORK_ON_ADVOCACY, Action.ACT_AS_ADVOCATE},
    Role.REPORT_VIEWER: _EVERYONE | {Action.RUN_REPORTS},
    Role.ADMINISTRATOR: _EVERYONE | _ADMINISTRATION,
}

CASE_SCOPES: dict[Role, CaseScope] = {
    Role.COMPLAINTS_MANAGER: CaseScope.ALL,
    Role.COMPLAINTS_OFFICER: CaseScope.ALL,
    Role.RESPONDING_MANAGER: CaseScope.TEAM,
    Role.ADVOCATE: CaseScope.ADVOCACY,
    Role.REPORT_VIEWER: CaseScope.NONE,
    Role.ADMINISTRATOR: CaseScope.NONE,
}


@dataclass(frozen=True)
class CaseFacts:
    """What the object-level rule needs to know about one case, as seen by one user."""

    kind: SubmissionKind
    in_users_team: bool = False
    responding_manager_is_user: bool = False
    linked_to_advocacy_request: bool = False


def case_scope(role: Role) -> CaseScope:
    return CASE_SCOPES[Role(role)]


def _in_scope(scope: CaseScope, case: CaseFacts) -> bool:
    if scope == CaseScope.ALL:
        return True
    if scope == CaseScope.TEAM:
        return case.in_users_team or case.responding_manager_is_user
    if scope == CaseScope.ADVOCACY:
        return case.kind == SubmissionKind.ADVOCACY or case.linked_to_advocacy_request
    return False


def can(role: Role | str | None, action: Action | str, *, case: CaseFacts | None = None) -> bool:
    """May someone with ``role`` take ``action`` (on ``case``, when given)? No role (signed out) may do nothing."""
    if role is None:
        return False
    role = Role(role)
    if Action(action) not in PERMISSIONS[role]:
        return False
    return case is None or _in_scope(CASE_SCOPES[role], case)


def roles_with(action: Action | str) -> frozenset[Role]:
    """Every role that may take ``action`` (for "assign to" lists and the route × role test)."""
    wanted = Action(action)
    return frozenset(role for role, actions in PERMISSIONS.items() if wanted in actions)
