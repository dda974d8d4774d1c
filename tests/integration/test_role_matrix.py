"""Every staff route x every role (and anonymous): the allowed/denied matrix, plus object-level checks.

The expected matrix is generated from the permission map (portal.domain.access.PERMISSIONS): each route declares
the action it requires (``@requires(Action.X)``), and a role may open it exactly when ``can(role, action)``.
URLs are built from ``PARAM_FACTORIES`` (one object of each kind), so routes added later by any area are covered
automatically. To cover a new URL parameter name, add it to PARAM_FACTORIES.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from portal.domain.access import can
from portal.domain.enums import CategoryKind, Procedure, Role, SubmissionKind
from portal.extensions import db
from portal.models import AdvocacyRequest, CaseNote, Category, LearningAction, OutboxMessage, Person
from portal.services.lifecycle import PanelCode, case_panel
from staff.links import LIFECYCLE_ENDPOINTS
from staff.permissions import required_action
from tests.factories import make_staff_user, make_submission, make_team

ROLES = list(Role)


def _world() -> dict[str, Any]:
    """One object of each kind, all visible to a responding manager of team A and an advocate."""
    team = make_team("Team A", "Area A")
    person = Person(full_name="Pat Example", name_key="pat example")
    db.session.add(person)
    db.session.flush()
    complaint = make_submission(team=team, person_id=person.id)
    compliment = make_submission(SubmissionKind.COMPLIMENT, team=team)
    advocacy = make_submission(SubmissionKind.ADVOCACY, team=team)
    db.session.add(AdvocacyRequest(submission_id=advocacy.id, linked_complaint_id=complaint.id))
    from portal.services.lifecycle import open_first_stage

    stage = open_first_stage(
        complaint, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=complaint.received_on
    )
    note = CaseNote(submission_id=complaint.id, body="A note")
    action = LearningAction(submission_id=complaint.id, team_id=team.id, category="other", description="Train")
    message = OutboxMessage(channel="email", recipient="a@example.com", template="t", subject="s", body="b")
    db.session.add_all([note, action, message])
    db.session.commit()
    category = db.session.query(Category).filter_by(kind=CategoryKind.THEME).first()
    other_user = make_staff_user(Role.COMPLAINTS_OFFICER)
    return {
        "team": team,
        "person": person,
        "complaint": complaint,
        "compliment": compliment,
        "advocacy": advocacy,
        "stage": stage,
        "note": note,
        "action": action,
        "message": message,
        "category": category,
        "user": other_user,
    }


def _reset_token(world: dict[str, Any]) -> str:
    from portal.services.auth import make_reset_token

    return make_reset_token(world["user"])


# URL parameter name -> value built from the world. Extend here when a route uses a new parameter name.
PARAM_FACTORIES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "case_id": lambda w: w["complaint"].id,
    "stage_id": lambda w: w["stage"].id,
    "user_id": lambda w: w["user"].id,
    "action_id": lambda w: w["action"].id,
    "note_id": lambda w: w["note"].id,
    "compliment_id": lambda w: w["compliment"].id,
    "request_id": lambda w: w["advocacy"].id,
    "category_id": lambda w: w["category"].id,
    "team_id": lambda w: w["team"].id,
    "message_id": lambda w: w["message"].id,
    "report": lambda w: "annual",
    "person_id": lambda w: w["person"].id,
    "token": _reset_token,
    "cost_id": lambda w: 1,
    "member_id": lambda w: 1,
    "point_id": lambda w: 1,
}


def area_policy(endpoint: str, role: Role) -> bool | None:
    """COMMON.md's area rules: False when the role must be refused, None when the route decides."""
    name = endpoint.removeprefix("staff.")
    everyone = name == "home" or name.startswith(("account", "sign_out"))
    if everyone:
        return True
    if role == Role.REPORT_VIEWER:
        return None if name.startswith("reports_") else False
    if role == Role.ADMINISTRATOR:
        return None if name.startswith("admin_") else False
    if role == Role.ADVOCATE:
        return None if name.startswith("advocacy_") or name == "case_detail" else False
    return None


def staff_rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.") and r.endpoint != "staff.static"),
        key=lambda r: r.rule,
    )


def _url(app: Flask, rule: Rule, world: dict[str, Any]) -> str:
    values = {}
    for arg in rule.arguments:
        if arg not in PARAM_FACTORIES:
            pytest.fail(f"{rule.endpoint}: URL parameter {arg!r} has no factory in PARAM_FACTORIES")
        values[arg] = PARAM_FACTORIES[arg](world)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _request(client: Any, app: Flask, rule: Rule, url: str) -> Any:
    if "GET" in (rule.methods or ()):
        return client.client.get(url)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        return client.client.post(url, data={})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_every_staff_endpoint_declares_its_action(app):
    missing = []
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        if required_action(view) is None and not getattr(view, "public_staff_page", False):
            missing.append(rule.endpoint)
    assert not missing, f"staff endpoints without @requires(Action.X) or @public_staff_page: {missing}"


def test_anonymous_is_sent_to_sign_in_except_public_staff_pages(app, client, db):
    world = _world()
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        response = _request(client, app, rule, _url(app, rule, world))
        if getattr(view, "public_staff_page", False):
            assert response.status_code in (200, 302, 410), f"{rule.endpoint}: {response.status_code}"
            continue
        assert response.status_code == 302, f"{rule.endpoint}: anonymous got {response.status_code}"
        assert "/staff/sign-in" in response.headers["Location"], rule.endpoint


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_role_matrix(app, db, staff_client, role):
    world = _world()
    teams = [world["team"]] if role == Role.RESPONDING_MANAGER else []
    client = staff_client(role, teams=teams)
    problems = []
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "public_staff_page", False) or rule.endpoint == "staff.sign_out":
            continue
        action = required_action(view)
        assert action is not None, rule.endpoint
        allowed = can(role, action)
        policy = area_policy(rule.endpoint, role)
        if role == Role.COMPLAINTS_MANAGER and not allowed:
            problems.append(f"{rule.endpoint}: the complaints manager may do everything but is refused")
        if policy is False and allowed:
            problems.append(f"{rule.endpoint}: {role.value} is allowed but the area policy forbids it")
        url = _url(app, rule, world)
        response = _request(client, app, rule, url)
        if allowed and response.status_code == 403:
            problems.append(f"{rule.endpoint} ({url}): allowed role {role.value} got 403")
        if not allowed and response.status_code != 403:
            problems.append(f"{rule.endpoint} ({url}): refused role {role.value} got {response.status_code}")
        if response.status_code >= 500:
            problems.append(f"{rule.endpoint} ({url}): {role.value} got {response.status_code}")
        # Stay signed in: some actions (password change, sign out everywhere) end the session.
        if response.status_code == 302 and "/staff/sign-in" in response.headers.get("Location", ""):
            client = staff_client(role, user=client.user)
    assert not problems, "\n".join(problems)


def test_absolute_session_lifetime_ends_an_active_session(staff_client, app):
    from datetime import UTC, datetime, timedelta

    from portal.models import StaffSession

    client = staff_client(Role.COMPLAINTS_OFFICER)
    long_ago = datetime.now(UTC) - app.config["STAFF_SESSION_LIFETIME"] - timedelta(minutes=1)
    # Active all along (last seen is recent), but signed in longer ago than the absolute limit.
    db.session.execute(sa.update(StaffSession).values(created_at=long_ago))
    db.session.commit()
    response = client.get("/staff/", expected_status=302)
    assert "/staff/sign-in" in response.headers["Location"]


def test_responding_manager_gets_404_for_another_teams_case(db, staff_client):
    mine, other = make_team("Mine", "Area"), make_team("Other", "Area")
    theirs = make_submission(team=other)
    own = make_submission(team=mine)
    client = staff_client(Role.RESPONDING_MANAGER, teams=[mine])
    client.get(f"/staff/cases/{theirs.id}", expected_status=404)
    client.get(f"/staff/cases/{own.id}", expected_status=200)
    listing = client.page("/staff/cases")
    assert own.reference in listing.text and theirs.reference not in listing.text


def test_advocate_gets_404_for_unlinked_complaint_and_sees_linked_one(db, staff_client):
    linked, unlinked = make_submission(), make_submission()
    advocacy = make_submission(SubmissionKind.ADVOCACY)
    db.session.add(AdvocacyRequest(submission_id=advocacy.id, linked_complaint_id=linked.id))
    db.session.commit()
    client = staff_client(Role.ADVOCATE)
    client.get(f"/staff/cases/{unlinked.id}", expected_status=404)
    client.get(f"/staff/cases/{linked.id}", expected_status=200)


def test_every_panel_action_leads_to_a_page_its_role_may_open(app, db):
    """The case panel's action codes (a service) and the routes' actions (the views) come from one table."""
    assert set(LIFECYCLE_ENDPOINTS) == set(PanelCode)
    world = _world()
    offered: set[PanelCode] = set()
    for role in ROLES:
        user = make_staff_user(role, teams=[world["team"]])
        for action in case_panel(world["complaint"], user, world["complaint"].received_on).actions:
            offered.add(action.code)
            view = app.view_functions[LIFECYCLE_ENDPOINTS[action.code]]
            needed = required_action(view)
            assert needed is not None and can(role, needed), f"{role.value} is offered {action.code}"
    assert offered, "the panel offered no actions at all"
