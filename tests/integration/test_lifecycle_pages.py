"""The lifecycle pages through HTTP with CSRF on: forms, GOV.UK errors, role checks and the case panel."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
import time_machine

from portal.domain.enums import Role, StageName, StageStatus, SubmissionStatus
from portal.models import LearningAction, OutboxMessage
from portal.services import lifecycle
from tests.factories import make_team
from tests.lifecycle_support import open_complaint


def _date(prefix: str, d: date) -> dict:
    return {prefix: [str(d.day), str(d.month), str(d.year)]}


def _post_date(client, url, name, d, **extra):
    data = {**extra}
    client.get(url)
    data["csrf_token"] = client.last_csrf
    return client.client.post(url, data={**data, name: [str(d.day), str(d.month), str(d.year)]})


@time_machine.travel("2026-11-20 10:00:00+00:00", tick=False)
def test_full_stage_1_flow_through_the_pages(staff_client, db):
    client = staff_client(Role.COMPLAINTS_MANAGER)
    submission = open_complaint()
    stage = submission.stages[0]
    base = f"/staff/cases/{submission.id}"
    panel = client.page(f"{base}/procedure")
    assert "Overdue by 4 working days" in panel.text  # due 16 November
    links = {a.text.strip() for a in panel.select(".app-lifecycle-panel a")}
    assert {"Record acknowledgement", "Extend the deadline", "Record the response"} <= links

    # Acknowledge: empty form shows a GOV.UK error
    page = client.post(f"{base}/stages/{stage.id}/acknowledge", {}).page
    assert page.title.text.startswith("Error: ")
    assert "Enter the date of the acknowledgement" in page.select_one(".govuk-error-summary").text
    response = _post_date(client, f"{base}/stages/{stage.id}/acknowledge", "acknowledged_on", date(2026, 11, 3))
    assert response.status_code == 302

    # A point and its finding
    response = client.post(f"{base}/stages/{stage.id}/points", {"text": "Nobody returned my calls"})
    assert response.status_code == 302
    point = stage.points[0]
    url = f"{base}/stages/{stage.id}/points/finding?point={point.id}"
    assert client.post(url, {"finding": "upheld", "rationale": "Calls missed"}, form_url=url).status_code == 302

    # Response, partially upheld
    url = f"{base}/stages/{stage.id}/respond"
    client.get(url)
    response = client.client.post(
        url,
        data={
            "csrf_token": client.last_csrf,
            "finding": "partially_upheld",
            "summary": "We apologise for the missed calls",
            **_date("responded_on", date(2026, 11, 19)),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert stage.status == StageStatus.RESPONDED and stage.working_days_taken == 13 and stage.met_deadline is False
    panel = client.page(f"{base}/procedure")
    assert "Record what the council will learn" in panel.text
    assert "The complainant can ask for Stage 2 until" in panel.text

    # Close is blocked by an open learning action for an officer, allowed with a manager's reason
    db.session.add(
        LearningAction(
            submission_id=submission.id, category="staff_training", description="Briefing", due_on=date(2027, 1, 8)
        )
    )
    db.session.commit()
    url = f"{base}/close"
    client.get(url)
    response = client.client.post(url, data={"csrf_token": client.last_csrf, **_date("closed_on", date(2026, 11, 20))})
    assert response.status_code == 200 and "1 promised learning action is still open" in response.get_data(as_text=True)
    response = client.client.post(
        url,
        data={
            "csrf_token": client.last_csrf,
            "override_reason": "Tracked in the service plan",
            **_date("closed_on", date(2026, 11, 20)),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert submission.status == SubmissionStatus.CLOSED


@time_machine.travel("2026-11-25 10:00:00+00:00", tick=False)
def test_refusal_page_warns_and_only_managers_reach_it(staff_client, db):
    submission = open_complaint()
    lifecycle.record_response(
        submission.stages[0],
        responded_on=date(2026, 11, 13),
        finding="not_upheld",
        summary=None,
        actor_id=None,
        today=date(2026, 11, 25),
    )
    stage2 = lifecycle.request_escalation(submission, requested_on=date(2026, 11, 20), source="public", actor_id=None)
    officer = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/cases/{submission.id}/stages/{stage2.id}/refuse"
    officer.get(url, expected_status=403)
    manager = staff_client(Role.COMPLAINTS_MANAGER)
    page = manager.page(url)
    assert "regards refusing to take a complaint to the next stage as fault" in page.text
    assert "Local Government and Social Care Ombudsman" in page.text
    page = manager.post(url, {"reason": "Court proceedings"}).page
    assert "Confirm that you sign off the refusal" in page.select_one(".govuk-error-summary").text
    response = manager.post(url, {"reason": "Court proceedings", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert stage2.status == StageStatus.DECLINED
    assert db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "escalation_refused"))


@time_machine.travel("2026-12-01 10:00:00+00:00", tick=False)
def test_stage_2_pages_costs_and_investigation(staff_client, db):
    client = staff_client(Role.COMPLAINTS_OFFICER)
    submission = open_complaint()
    lifecycle.record_response(
        submission.stages[0],
        responded_on=date(2026, 11, 13),
        finding="not_upheld",
        summary=None,
        actor_id=None,
        today=date(2026, 12, 1),
    )
    base = f"/staff/cases/{submission.id}"
    url = f"{base}/escalate"
    client.get(url)
    response = client.client.post(
        url, data={"csrf_token": client.last_csrf, **_date("requested_on", date(2026, 11, 20))}
    )
    assert response.status_code == 302
    db.session.expire_all()
    stage2 = submission.stages[-1]
    assert stage2.stage == StageName.STAGE2
    client.get(response.location)  # shows (and so clears) the message
    response = client.post(f"{base}/stages/{stage2.id}/accept", {})
    assert response.status_code == 302
    client.get(response.location)
    url = f"{base}/stages/{stage2.id}/costs"
    page = client.post(url, {"description": "IO fee", "amount": "12.345"}).page
    assert "must be in pounds and pence" in page.select_one(".govuk-error-summary").text
    assert client.post(url, {"description": "IO fee", "amount": "£1,250.50", "hours": "20"}).status_code == 302
    page = client.page(url)
    assert "£1,250.50" in page.text
    url = f"{base}/stages/{stage2.id}/investigation"
    response = client.post(url, {"investigating_officer": "A Investigator", "independent_person": "I Person"})
    assert response.status_code == 302
    db.session.expire_all()
    assert stage2.independent_person == "I Person"


def test_responding_manager_sees_only_their_teams_cases(staff_client, db):
    team = make_team("Children in Care North")
    other = make_team("Fostering")
    submission = open_complaint(team=other)
    client = staff_client(Role.RESPONDING_MANAGER, teams=[team])
    client.get(f"/staff/cases/{submission.id}/procedure", expected_status=404)
    client.get(f"/staff/cases/{submission.id}/stages/{submission.stages[0].id}/respond", expected_status=404)
    client.get(f"/staff/cases/{submission.id}/withdraw", expected_status=403)
    mine = open_complaint(team=team, email="m@example.com")
    client.page(f"/staff/cases/{mine.id}/stages/{mine.stages[0].id}/respond")


def test_report_viewers_and_advocates_cannot_reach_lifecycle_pages(staff_client, db):
    submission = open_complaint()
    for role in (Role.REPORT_VIEWER, Role.ADVOCATE, Role.ADMINISTRATOR):
        client = staff_client(role)
        client.get(f"/staff/cases/{submission.id}/procedure", expected_status=403)
        client.get("/staff/deadlines", expected_status=403)
        client.get("/staff/learning", expected_status=403)


def test_remedy_and_ombudsman_forms(staff_client, db):
    from portal.models import LgscoReferral, Remedy

    submission = open_complaint()
    client = staff_client(Role.COMPLAINTS_MANAGER)
    url = f"/staff/cases/{submission.id}/remedies"
    page = client.post(url, {"kind": "financial_remedy"}, form_url=url).page
    assert "Enter the amount of the payment" in page.select_one(".govuk-error-summary").text
    response = client.post(url, {"kind": "financial_remedy", "amount": "250", "payee": "Parent"})
    assert response.status_code == 302
    remedy = db.session.scalar(sa.select(Remedy))
    assert str(remedy.amount) == "250.00" and remedy.accepted is None
    url = f"/staff/cases/{submission.id}/ombudsman"
    client.get(url)
    response = client.client.post(
        url,
        data={
            "csrf_token": client.last_csrf,
            "lgsco_reference": "26 001 234",
            "stage_reached": "stage1",
            "decision": "premature",
            **_date("referred_on", date(2026, 11, 10)),
            **_date("decision_on", date(2026, 11, 12)),
        },
    )
    assert response.status_code == 302
    referral = db.session.scalar(sa.select(LgscoReferral))
    assert referral.decision == "premature" and referral.lgsco_reference == "26 001 234"
    page = client.page(f"/staff/cases/{submission.id}/procedure")
    assert "Premature" in page.text and "£250.00" in page.text


@time_machine.travel("2027-03-01 10:00:00+00:00", tick=False)
def test_stage_3_panel_page_members_and_dates(staff_client, db):
    submission = open_complaint()
    today = date(2027, 3, 1)
    lifecycle.record_response(
        submission.stages[0],
        responded_on=date(2026, 11, 13),
        finding="upheld",
        summary=None,
        actor_id=None,
        today=today,
    )
    stage2 = lifecycle.request_escalation(submission, requested_on=date(2026, 11, 20), source="staff", actor_id=None)
    lifecycle.accept_escalation(stage2, actor_id=None, today=today)
    lifecycle.update_investigation(
        stage2,
        investigating_officer="IO",
        independent_person="Indira Person",
        adjudicating_officer=None,
        statement_agreed_on=None,
        adjudicated_on=None,
        actor_id=None,
        today=today,
    )
    lifecycle.record_response(
        stage2, responded_on=date(2026, 12, 18), finding="not_upheld", summary=None, actor_id=None, today=today
    )
    stage3 = lifecycle.request_escalation(submission, requested_on=date(2027, 1, 4), source="staff", actor_id=None)
    client = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/cases/{submission.id}/stages/{stage3.id}/panel"
    page = client.post(url, {"name": "Indira Person", "add_member": "Add member"}, form_url=url).page
    assert "cannot sit on the review panel" in page.select_one(".govuk-error-summary").text
    response = client.post(url, {"name": "Pat Chair", "is_chair": "y", "add_member": "Add member"})
    assert response.status_code == 302
    client.get(url)
    response = client.client.post(
        url,
        data={
            "csrf_token": client.last_csrf,
            "save_dates": "Save dates",
            **_date("panel_on", date(2027, 2, 10)),
            **_date("findings_on", date(2027, 2, 12)),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [(m.name, m.is_chair) for m in stage3.panel_members] == [("Pat Chair", True)]
    assert stage3.panel_on == date(2027, 2, 10) and stage3.final_response_due_on == date(2027, 3, 5)
    member = stage3.panel_members[0]
    response = client.post(
        f"/staff/cases/{submission.id}/stages/{stage3.id}/panel/remove?member={member.id}", {}, form_url=url
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert stage3.panel_members == []
