"""Deadlines dashboard, learning register and the daily reminder digests."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.domain.enums import Role
from portal.models import LearningAction, OutboxMessage
from portal.services import deadlines, lifecycle, reminders
from tests.factories import make_staff_user, make_team
from tests.lifecycle_support import open_complaint


def _learning(submission, *, due_on, officer_id=None, status="open", team_id=None, description="Team briefing"):
    action = LearningAction(
        submission_id=submission.id if submission else None,
        team_id=team_id,
        category="staff_training",
        description=description,
        responsible_officer="Team manager",
        responsible_officer_id=officer_id,
        due_on=due_on,
        status=status,
    )
    from portal.extensions import db

    db.session.add(action)
    db.session.commit()
    return action


def test_dashboard_buckets_overdue_today_and_this_week(db):
    team = make_team("Children in Care North")
    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    responder = make_staff_user(Role.RESPONDING_MANAGER, teams=[team])
    overdue = open_complaint(received_on=date(2026, 11, 2), team=team, responding_manager_id=responder.id)
    due_today = open_complaint(received_on=date(2026, 11, 4), email="b@example.com")  # due 18 November
    this_week = open_complaint(received_on=date(2026, 11, 6), email="c@example.com")  # due 20 November
    later = open_complaint(received_on=date(2026, 11, 16), email="d@example.com")  # due 30 November
    _learning(overdue, due_on=date(2026, 11, 17), team_id=team.id)
    today = date(2026, 11, 18)  # a Wednesday
    board = deadlines.dashboard(manager, today)
    assert board.week_end == date(2026, 11, 22)
    overdue_refs = {(i.reference, i.kind) for i in board.overdue}
    assert (overdue.reference, "response") in overdue_refs and (overdue.reference, "learning") in overdue_refs
    assert (overdue.reference, "acknowledgement") in overdue_refs
    assert [i.reference for i in board.due_today if i.kind == "response"] == [due_today.reference]
    assert this_week.reference in {i.reference for i in board.due_this_week}
    listed = {(i.reference, i.kind) for i in board.overdue + board.due_today + board.due_this_week}
    assert (later.reference, "acknowledgement") in listed and (later.reference, "response") not in listed
    assert board.overdue[0].status.description.startswith("Overdue by")
    assert ("Children in Care North", 3, 0, 0) in board.by_team
    # A responding manager sees only their team's and their own cases.
    mine = deadlines.dashboard(responder, today)
    assert {i.reference for i in mine.overdue + mine.due_today + mine.due_this_week} == {overdue.reference}
    assert deadlines.dashboard(manager, today, team_id=team.id).due_today == []
    # Answered and acknowledged items drop off.
    lifecycle.record_response(
        overdue.stages[0], responded_on=today, finding="not_upheld", summary=None, actor_id=None, today=today
    )
    board = deadlines.dashboard(manager, today)
    assert (overdue.reference, "response") not in {(i.reference, i.kind) for i in board.overdue}


def test_deadlines_page_shows_text_tags(staff_client, db):
    open_complaint(received_on=date(2026, 10, 1))
    client = staff_client(Role.COMPLAINTS_OFFICER)
    page = client.page("/staff/deadlines")
    overdue = page.select_one("#overdue")
    assert overdue is not None and "Overdue by" in overdue.text
    assert "0 waiting to be sent" in page.text
    client.page("/staff/deadlines?team=999&officer=999")


def test_learning_register_filters(staff_client, db):
    team = make_team("Fostering")
    submission = open_complaint()
    _learning(submission, due_on=date(2020, 1, 6), team_id=team.id, description="Overdue fostering action")
    _learning(submission, due_on=date(2099, 1, 6), description="Future action")
    _learning(submission, due_on=date(2020, 1, 6), status="completed", description="Done action")
    client = staff_client(Role.COMPLAINTS_MANAGER)
    page = client.page("/staff/learning")
    assert "Overdue fostering action" in page.text and "Future action" in page.text and "Done action" not in page.text
    page = client.page("/staff/learning?show=overdue")
    assert "Overdue fostering action" in page.text and "Future action" not in page.text
    page = client.page(f"/staff/learning?show=all&team={team.id}")
    assert "Overdue fostering action" in page.text and "Done action" not in page.text
    page = client.page("/staff/learning?show=completed&officer=team%20manager")
    assert "Done action" in page.text and "Future action" not in page.text


def test_learning_form_through_the_page(staff_client, db):
    submission = open_complaint()
    client = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/cases/{submission.id}/learning/new"
    page = client.post(url, {"category": "staff_training"}, form_url=url).page
    summary = page.select_one(".govuk-error-summary").text
    assert "Enter what will be done" in summary and "Enter the date the action is due" in summary
    client.get(url)
    response = client.client.post(
        url,
        data={
            "csrf_token": client.last_csrf,
            "root_cause": "Communication",
            "category": "process_change",
            "description": "Call-back log for duty calls",
            "responsible_officer": "Duty team manager",
            "due_on": ["29", "1", "2027"],
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = db.session.scalar(sa.select(LearningAction))
    assert action.root_cause == "Communication" and action.due_on == date(2027, 1, 29)
    url = f"/staff/learning/{action.id}"
    client.get(url)
    response = client.client.post(
        url,
        data={
            "csrf_token": client.last_csrf,
            "category": "process_change",
            "description": "Call-back log for duty calls",
            "responsible_officer": "Duty team manager",
            "due_on": ["29", "1", "2027"],
            "status": "completed",
        },
    )
    assert "Enter the evidence that the action was completed" in response.get_data(as_text=True)


def test_reminder_digest_once_a_day_to_the_responding_manager(app, db, runner):
    manager = make_staff_user(Role.RESPONDING_MANAGER, email="rm@example.gov.uk")
    officer = make_staff_user(Role.COMPLAINTS_OFFICER, email="officer@example.gov.uk")
    soon = open_complaint(received_on=date(2026, 11, 2), responding_manager_id=manager.id)  # due 16 November
    late = open_complaint(received_on=date(2026, 10, 19), email="x@example.com", assigned_officer_id=officer.id)
    far = open_complaint(received_on=date(2026, 11, 12), email="y@example.com", responding_manager_id=manager.id)
    for s in (soon, late, far):
        lifecycle.acknowledge(s.stages[0], on=s.received_on, actor_id=None, today=s.received_on)
    _learning(None, due_on=date(2026, 11, 13), officer_id=manager.id)
    today = date(2026, 11, 12)  # REMINDER_WORKING_DAYS = 2: horizon 16 November
    counts = reminders.send_reminders(today)
    assert counts["queued"] == 2
    digests = {m.recipient: m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert soon.reference in digests["rm@example.gov.uk"].body
    assert "learning action" in digests["rm@example.gov.uk"].body
    assert far.reference not in digests["rm@example.gov.uk"].body
    assert (
        "Overdue:" in digests["officer@example.gov.uk"].body
        and late.reference in digests["officer@example.gov.uk"].body
    )
    assert "Sam Taylor" not in digests["rm@example.gov.uk"].body  # references only
    result = runner.invoke(args=["send-reminders", "--today", "2026-11-12"])
    assert result.exit_code == 0 and "0 digests queued" in result.output and "2 already sent" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2
    result = runner.invoke(args=["send-reminders", "--today", "2026-11-14"])  # a Saturday
    assert "not a working day" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2
