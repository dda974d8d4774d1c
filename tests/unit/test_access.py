"""The permission map (portal/domain/access.py): every role has a row, and the object-level rule of who sees
which case."""

from __future__ import annotations

import pytest

from portal.domain.access import CASE_SCOPES, PERMISSIONS, Action, CaseFacts, CaseScope, can, case_scope, roles_with
from portal.domain.enums import Role, SubmissionKind

pytestmark = pytest.mark.no_db


def test_every_role_has_permissions_and_a_case_scope() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert set(CASE_SCOPES) == set(Role)


def test_every_action_is_given_to_some_role() -> None:
    assert [a for a in Action if not roles_with(a)] == []


def test_every_role_may_see_home_and_its_own_account_and_nobody_signed_out_may_do_anything() -> None:
    for role in Role:
        assert can(role, Action.VIEW_HOME) and can(role, Action.MANAGE_OWN_ACCOUNT)
    assert not any(can(None, action) for action in Action)


def test_the_complaints_manager_may_do_everything_but_be_allocated_advocacy() -> None:
    refused = [a for a in Action if not can(Role.COMPLAINTS_MANAGER, a)]
    assert refused == [Action.ACT_AS_ADVOCATE]
    assert roles_with(Action.ACT_AS_ADVOCATE) == {Role.ADVOCATE}


def test_report_viewers_and_administrators_never_touch_a_case() -> None:
    for role in (Role.REPORT_VIEWER, Role.ADMINISTRATOR):
        assert case_scope(role) == CaseScope.NONE
        assert not can(role, Action.VIEW_CASE)
        assert not can(role, Action.VIEW_CASE, case=CaseFacts(kind=SubmissionKind.COMPLAINT, in_users_team=True))


def test_roles_accept_their_string_values() -> None:
    assert can("complaints_officer", "triage")
    assert not can("responding_manager", "triage")
    with pytest.raises(ValueError):
        can(Role.COMPLAINTS_MANAGER, "no_such_action")


COMPLAINT = SubmissionKind.COMPLAINT
ADVOCACY = SubmissionKind.ADVOCACY


@pytest.mark.parametrize(
    ("role", "facts", "expected"),
    [
        (Role.COMPLAINTS_MANAGER, CaseFacts(kind=COMPLAINT), True),
        (Role.COMPLAINTS_OFFICER, CaseFacts(kind=ADVOCACY), True),
        (Role.RESPONDING_MANAGER, CaseFacts(kind=COMPLAINT), False),
        (Role.RESPONDING_MANAGER, CaseFacts(kind=COMPLAINT, in_users_team=True), True),
        (Role.RESPONDING_MANAGER, CaseFacts(kind=COMPLAINT, responding_manager_is_user=True), True),
        (Role.RESPONDING_MANAGER, CaseFacts(kind=ADVOCACY, linked_to_advocacy_request=True), False),
        (Role.ADVOCATE, CaseFacts(kind=ADVOCACY), True),
        (Role.ADVOCATE, CaseFacts(kind=COMPLAINT), False),
        (Role.ADVOCATE, CaseFacts(kind=COMPLAINT, linked_to_advocacy_request=True), True),
        (Role.ADVOCATE, CaseFacts(kind=COMPLAINT, in_users_team=True), False),
        (Role.REPORT_VIEWER, CaseFacts(kind=ADVOCACY), False),
    ],
)
def test_who_may_see_which_case(role: Role, facts: CaseFacts, expected: bool) -> None:
    assert can(role, Action.VIEW_CASE, case=facts) is expected


def test_the_case_rule_narrows_an_action_but_never_grants_one() -> None:
    mine = CaseFacts(kind=COMPLAINT, in_users_team=True)
    assert can(Role.RESPONDING_MANAGER, Action.RESPOND, case=mine)
    assert not can(Role.RESPONDING_MANAGER, Action.CHANGE_LIFECYCLE, case=mine)
    assert not can(Role.RESPONDING_MANAGER, Action.RESPOND, case=CaseFacts(kind=COMPLAINT))
