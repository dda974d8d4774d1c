"""The advocacy queue through HTTP: roles, recording a request by hand, working it through to an outcome,
targets shown as text tags, and linking the complaint it supports (which is what lets an advocate see it)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain.enums import AdvocacyOutcome, AdvocacyStatus, CareStatus, Role, SubmissionKind, SubmissionStatus
from portal.models import AdvocacyRequest, AuditEvent, Submission
from portal.services import advocacy as service
from staff.permissions import user_can_see
from tests.factories import make_staff_user, make_submission, make_team
from tests.helpers import normalise

TODAY = "2026-11-20 10:00:00+00:00"  # Friday 20 November 2026


@pytest.fixture(autouse=True)
def _frozen_clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def _request(db, received_on=date(2026, 11, 20), complaint=None):  # type: ignore[no-untyped-def]
    complaint = complaint or make_submission(
        team=make_team(), wants_advocate=True, care_status=CareStatus.CHILD_IN_NEED
    )
    return service.create_for_complaint(complaint, actor_id=None, today=received_on)


def _new_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "received_on": ["19", "11", "2026"],
        "channel": "telephone",
        "referral": "adult",
        "referrer_name": "Jo Teacher",
        "referrer_role": "Head of year",
        "young_person_agrees": "yes",
        "young_person_name": "Alex Example",
        "young_person_dob": ["4", "3", "2011"],
        "young_person_age": "",
        "situation": "child_protection",
        "help_with": ["Child protection conference", "A decision about me"],
        "help_details": "Conference on 3 December; Alex wants their views heard.",
        "needed_by": ["3", "12", "2026"],
        "phone": "07700 900123",
        "email": "",
        "contact_methods": ["text"],
        "ok_to_leave_message": "no",
        "safe_contact_notes": "Text only; not before 4pm.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.ADVOCATE])
def test_queue_is_for_advocates_and_the_complaints_team(db, staff_client, role):
    created = _request(db)
    client = staff_client(role)

    page = client.page("/staff/advocacy")

    assert created.reference in normalise(page.text)
    client.get(f"/staff/advocacy/{created.id}")


@pytest.mark.parametrize("role", [Role.RESPONDING_MANAGER, Role.REPORT_VIEWER, Role.ADMINISTRATOR])
def test_responding_managers_report_viewers_and_admins_cannot_see_the_advocacy_queue(db, staff_client, role):
    created = _request(db)
    client = staff_client(role, teams=[make_team()] if role == Role.RESPONDING_MANAGER else [])

    for url in (
        "/staff/advocacy",
        "/staff/advocacy/new",
        f"/staff/advocacy/{created.id}",
        f"/staff/advocacy/{created.id}/allocate",
        f"/staff/advocacy/{created.id}/close",
    ):
        client.get(url, expected_status=403)


def test_a_responding_manager_of_the_complaints_team_cannot_see_the_request_by_any_route(db):
    team = make_team()
    complaint = make_submission(team=team, wants_advocate=True)
    created = _request(db, complaint=complaint)
    manager = make_staff_user(Role.RESPONDING_MANAGER, teams=[team])

    assert user_can_see(manager, complaint)
    assert not user_can_see(manager, created)


def test_advocate_sees_linked_complaints_only(db, staff_client):
    team = make_team()
    linked = make_submission(team=team, wants_advocate=True)
    unlinked = make_submission(team=team)
    compliment = make_submission(SubmissionKind.COMPLIMENT, team=team)
    _request(db, complaint=linked)
    advocate = staff_client(Role.ADVOCATE)

    assert user_can_see(advocate.user, linked)
    assert not user_can_see(advocate.user, unlinked)
    assert not user_can_see(advocate.user, compliment)
    advocate.get(f"/staff/cases/{linked.id}")
    advocate.get(f"/staff/cases/{unlinked.id}", expected_status=404)
    advocate.get(f"/staff/advocacy/{unlinked.id}", expected_status=404)
    advocate.get(f"/staff/compliments/{compliment.id}", expected_status=403)


def test_the_request_page_links_to_the_complaint_and_shows_targets_as_text(db, staff_client):
    complaint = make_submission(
        team=make_team(),
        wants_advocate=True,
        needs={"needs": ["interpreter", "easy_read"], "interpreter_language": "Tigrinya"},
    )
    created = _request(db, received_on=date(2026, 11, 16), complaint=complaint)  # Mon: contact due 17th, allocate 18th
    client = staff_client(Role.ADVOCATE)

    page = client.page(f"/staff/advocacy/{created.id}")

    text = normalise(page.text)
    assert "Allocate an advocate Overdue Overdue by 2 working days; due 18 November 2026" in text
    assert "Contact the young person Overdue Overdue by 3 working days; due 17 November 2026" in text
    assert "Needs: interpreter, easy read" in text and "Interpreter language: Tigrinya" in text
    complaint = created.advocacy.linked_complaint
    link = page.find("a", string=f"Complaint {complaint.reference}")
    assert link is not None and link["href"] == f"/staff/cases/{complaint.id}"
    assert f"Complaint {complaint.reference}, received 2 November 2026" in text
    assert page.find("a", string="Unlink this complaint") is None, "advocates cannot change links"
    queue = normalise(client.page("/staff/advocacy").text)
    assert "Overdue" in queue
    viewed = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "case.viewed", AuditEvent.submission_id == created.id)
    )
    assert viewed is not None and viewed.actor_id == client.user.id


def test_recording_a_request_by_hand(db, staff_client):
    client = staff_client(Role.COMPLAINTS_OFFICER)

    response = client.post("/staff/advocacy/new", _new_form(), expected_status=302)

    submission = db.session.scalar(sa.select(Submission).where(Submission.kind == SubmissionKind.ADVOCACY))
    assert response.headers["Location"].endswith(f"/staff/advocacy/{submission.id}")
    request = submission.advocacy
    assert request.for_self is False and request.young_person_agrees == "yes"
    assert request.young_person_age == 15
    assert request.situation == CareStatus.CHILD_PROTECTION
    assert request.help_with == ["Child protection conference", "A decision about me"]
    assert request.needed_by == date(2026, 12, 3)
    assert request.contact_due_on == date(2026, 11, 20) and request.allocate_due_on == date(2026, 11, 23)
    assert submission.child.full_name == "Alex Example"
    assert submission.person.full_name == "Jo Teacher" and submission.person.phone == "07700 900123"
    assert submission.safe_contact_notes == "Text only; not before 4pm."
    assert submission.team_id is None
    text = normalise(client.page(f"/staff/advocacy/{submission.id}").text)
    assert "An adult or professional: Jo Teacher (Head of year)" in text
    assert "Child protection conference, A decision about me" in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"young_person_agrees": "no"}, "young_person_agrees", "only ask for an advocate when the young person agrees"),
        ({"referrer_name": ""}, "referrer_name", "Enter the name of the adult or professional"),
        ({"young_person_name": ""}, "young_person_name", "Enter the young person's name"),
        ({"help_with": []}, "help_with", "Select what they need help with"),
        ({"phone": "", "safe_contact_notes": ""}, "safe_contact_notes", "Enter a phone number, an email address"),
        ({"young_person_age": "30", "young_person_dob": ["", "", ""]}, "young_person_age", "between 0 and 25"),
        ({"received_on": ["23", "11", "2026"]}, "received_on", "today or in the past"),
    ],
    ids=["no-agreement", "no-referrer", "no-name", "no-help", "no-contact", "age", "future"],
)
def test_recording_a_request_shows_errors(db, staff_client, overrides, field, message):
    client = staff_client(Role.ADVOCATE)

    response = client.post("/staff/advocacy/new", _new_form(**overrides), expected_status=200)

    summary = response.page.select_one(".govuk-error-summary")
    assert message in normalise(summary.text)
    assert summary.select_one("a")["href"] == f"#{field}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdvocacyRequest)) == 0


def test_a_self_referral_needs_no_agreement_question(db, staff_client):
    client = staff_client(Role.ADVOCATE)
    client.post(
        "/staff/advocacy/new",
        _new_form(referral="self", young_person_agrees="", referrer_name="", referrer_role=""),
        expected_status=302,
    )
    request = db.session.scalar(sa.select(AdvocacyRequest))
    assert request.for_self is True and request.young_person_agrees is None


def test_working_a_request_from_new_to_closed(db, staff_client):
    created = _request(db, received_on=date(2026, 11, 18))
    advocate = make_staff_user(Role.ADVOCATE, full_name="Ada Advocate")
    client = staff_client(Role.ADVOCATE, user=advocate)
    base = f"/staff/advocacy/{created.id}"

    allocate_page = client.page(f"{base}/allocate")
    assert allocate_page.select_one("#advocate option[selected]")["value"] == str(advocate.id)
    client.post(
        f"{base}/allocate", {"advocate": str(advocate.id), "allocated_on": ["19", "11", "2026"]}, expected_status=302
    )
    client.get(base)
    client.post(f"{base}/contact", {"contacted_on": ["20", "11", "2026"]}, expected_status=302)
    client.get(base)
    client.post(f"{base}/start", {"activated_on": ["20", "11", "2026"]}, expected_status=302)
    client.get(base)
    client.post(
        f"{base}/close",
        {"outcome": "complaint_supported", "notes": "", "closed_on": ["20", "11", "2026"]},
        expected_status=302,
    )

    db.session.expire_all()
    request = db.session.get(Submission, created.id).advocacy
    assert request.status == AdvocacyStatus.CLOSED
    assert (request.allocated_on, request.contacted_on, request.activated_on, request.closed_on) == (
        date(2026, 11, 19),
        date(2026, 11, 20),
        date(2026, 11, 20),
        date(2026, 11, 20),
    )
    assert request.outcome == AdvocacyOutcome.COMPLAINT_SUPPORTED
    assert db.session.get(Submission, created.id).status == SubmissionStatus.CLOSED
    assert db.session.get(Submission, created.id).next_due_on is None
    text = normalise(client.page(base).text)
    assert "Allocate an advocate Met due 20 November 2026" in text
    assert "Contact the young person Missed Missed by 1 working day; due 19 November 2026" in text
    assert "Complaint supported" in text
    assert "Advocate allocated (Ada Advocate)" in text
    actions = list(
        db.session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.submission_id == created.id, AuditEvent.action.like("advocacy.%")
            )
        )
    )
    assert actions[-4:] == ["advocacy.allocate", "advocacy.record_contact", "advocacy.start_work", "advocacy.close"]

    client.post(f"{base}/reopen", {"reason": "Young person came back"}, expected_status=302)
    db.session.expire_all()
    assert db.session.get(Submission, created.id).advocacy.status == AdvocacyStatus.ALLOCATED


def test_actions_out_of_order_are_refused(db, staff_client):
    created = _request(db)
    client = staff_client(Role.ADVOCATE)

    client.get(f"/staff/advocacy/{created.id}/allocate")  # a page with a form, for the CSRF token
    response = client.get(f"/staff/advocacy/{created.id}/contact", expected_status=302)
    assert response.headers["Location"].endswith(f"/staff/advocacy/{created.id}")
    client.post(f"/staff/advocacy/{created.id}/start", {"activated_on": ["20", "11", "2026"]}, expected_status=302)
    db.session.expire_all()
    assert db.session.get(Submission, created.id).advocacy.status == AdvocacyStatus.NEW


def test_closing_without_an_advocate_needs_a_fitting_outcome(db, staff_client):
    created = _request(db)
    client = staff_client(Role.COMPLAINTS_MANAGER)

    response = client.post(
        f"/staff/advocacy/{created.id}/close",
        {"outcome": "meeting_attended", "closed_on": ["20", "11", "2026"]},
        expected_status=200,
    )
    assert "needs an advocate" in normalise(response.page.select_one(".govuk-error-summary").text)
    response = client.post(
        f"/staff/advocacy/{created.id}/close",
        {"outcome": "other", "closed_on": ["20", "11", "2026"]},
        expected_status=200,
    )
    assert "Explain the outcome" in normalise(response.page.select_one(".govuk-error-summary").text)
    client.post(
        f"/staff/advocacy/{created.id}/close",
        {"outcome": "not_eligible", "closed_on": ["20", "11", "2026"]},
        expected_status=302,
    )


def test_contact_cannot_be_dated_before_allocation(db, staff_client):
    created = _request(db, received_on=date(2026, 11, 16))
    advocate = make_staff_user(Role.ADVOCATE)
    client = staff_client(Role.COMPLAINTS_OFFICER)
    client.post(
        f"/staff/advocacy/{created.id}/allocate",
        {"advocate": str(advocate.id), "allocated_on": ["18", "11", "2026"]},
        expected_status=302,
    )

    response = client.post(
        f"/staff/advocacy/{created.id}/contact", {"contacted_on": ["17", "11", "2026"]}, expected_status=200
    )

    assert "on or after the date the advocate was allocated" in normalise(response.page.text)


def test_only_advocates_can_be_allocated(db, staff_client):
    created = _request(db)
    officer = make_staff_user(Role.COMPLAINTS_OFFICER)
    client = staff_client(Role.COMPLAINTS_MANAGER)

    response = client.post(
        f"/staff/advocacy/{created.id}/allocate",
        {"advocate": str(officer.id), "allocated_on": ["20", "11", "2026"]},
        expected_status=200,
    )

    assert response.page.select_one(".govuk-error-summary") is not None
    db.session.expire_all()
    assert db.session.get(Submission, created.id).advocacy.advocate_id is None


def test_linking_and_unlinking_a_complaint(db, staff_client):
    client = staff_client(Role.COMPLAINTS_OFFICER)
    client.post("/staff/advocacy/new", _new_form(), expected_status=302)
    submission = db.session.scalar(sa.select(Submission).where(Submission.kind == SubmissionKind.ADVOCACY))
    complaint = make_submission(team=make_team())
    compliment = make_submission(SubmissionKind.COMPLIMENT)
    advocate = staff_client(Role.ADVOCATE)
    base = f"/staff/advocacy/{submission.id}"
    advocate.get(f"/staff/cases/{complaint.id}", expected_status=404)
    advocate.get(f"{base}/link", expected_status=403)
    advocate.get(f"{base}/unlink", expected_status=403)

    bad = client.post(f"{base}/link", {"reference": compliment.reference}, expected_status=200)
    assert "There is no complaint with that reference" in normalise(bad.page.text)
    typo = client.post(f"{base}/link", {"reference": "ABC"}, expected_status=200)
    assert "right format" in normalise(typo.page.text)
    client.post(f"{base}/link", {"reference": complaint.reference.lower().replace("-", " ")}, expected_status=302)
    client.get(base)

    db.session.expire_all()
    assert db.session.get(Submission, submission.id).advocacy.linked_complaint_id == complaint.id
    assert user_can_see(advocate.user, complaint)
    advocate.get(f"/staff/cases/{complaint.id}")

    client.post(f"{base}/unlink", {}, expected_status=302)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).advocacy.linked_complaint_id is None
    assert not user_can_see(advocate.user, complaint)
    advocate.get(f"/staff/cases/{complaint.id}", expected_status=404)


def test_queue_filters_and_orders_by_urgency(db, staff_client):
    older = _request(db, received_on=date(2026, 11, 16))
    newer = _request(db, received_on=date(2026, 11, 19))
    advocate = make_staff_user(Role.ADVOCATE)
    service.allocate(
        newer, advocate_id=advocate.id, allocated_on=date(2026, 11, 19), actor_id=None, today=date(2026, 11, 20)
    )
    client = staff_client(Role.ADVOCATE, user=advocate)

    def refs(query: str) -> list[str]:
        page = client.page(f"/staff/advocacy?{query}")
        return [a.text for a in page.select("tbody tr td:first-child a")]

    assert refs("") == [older.reference, newer.reference]
    summary = normalise(client.page("/staff/advocacy").select_one("main ul").text)
    assert "Open: 1 new, 1 allocated, 0 in contact, 0 active" in summary
    assert "1 past the target to allocate an advocate" in summary
    assert "1 past the target to contact the young person" in summary  # the other is due today
    assert refs("advocate=me") == [newer.reference]
    assert refs("advocate=unallocated") == [older.reference]
    assert refs("status=allocated") == [newer.reference]
    assert refs("status=closed") == []
    assert refs(f"q={older.reference.lower()}") == [older.reference]


def test_every_question_group_on_the_advocacy_forms_has_a_legend(db, staff_client):
    created = _request(db)
    client = staff_client(Role.COMPLAINTS_MANAGER)
    base = f"/staff/advocacy/{created.id}"
    for url in ("/staff/advocacy/new", f"{base}/allocate", f"{base}/close", f"{base}/edit"):
        for fieldset in client.page(url).select("fieldset"):
            legend = fieldset.find("legend")
            assert legend is not None and normalise(legend.text), f"{url}: a fieldset has no legend"


def test_an_advocate_from_the_complaints_team_cannot_be_allocated_or_linked(db, staff_client):
    team = make_team()
    complaint = make_submission(team=team, wants_advocate=True)
    created = _request(db, complaint=complaint)
    insider = make_staff_user(Role.ADVOCATE, teams=[team])
    client = staff_client(Role.COMPLAINTS_MANAGER)

    response = client.post(
        f"/staff/advocacy/{created.id}/allocate",
        {"advocate": str(insider.id), "allocated_on": ["20", "11", "2026"]},
        expected_status=200,
    )
    assert "works in the team the complaint is about" in normalise(response.page.text)

    other = _request(db, complaint=make_submission(team=make_team("Other team")))
    service.allocate(
        other, advocate_id=insider.id, allocated_on=date(2026, 11, 20), actor_id=None, today=date(2026, 11, 20)
    )
    service.unlink_complaint(other, actor_id=None)
    client.get(f"/staff/advocacy/{other.id}/link")
    response = client.post(f"/staff/advocacy/{other.id}/link", {"reference": complaint.reference}, expected_status=200)
    assert "works in the team the complaint is about" in normalise(response.page.text)


def test_changing_the_request_details(db, staff_client):
    created = _request(db)
    client = staff_client(Role.ADVOCATE)
    url = f"/staff/advocacy/{created.id}/edit"
    page = client.page(url)
    assert page.select_one('input[name="help_with"][value="Making a complaint"]').has_attr("checked")

    bad = client.post(url, {"situation": "child_in_care", "help_with": ["Family time"], "young_person_age": "40"})
    assert "Age must be between 0 and 25" in normalise(bad.page.select_one(".govuk-error-summary").text)
    client.post(
        url,
        {
            "young_person_age": "13",
            "situation": "child_in_care",
            "help_with": ["Making a complaint", "Family time"],
            "help_details": "Wants to see her brother more often.",
            "needed_by": ["1", "12", "2026"],
            "contact_methods": ["text"],
            "ok_to_leave_message": "no",
            "safe_contact_notes": "Through her foster carer only.",
        },
        expected_status=302,
    )

    db.session.expire_all()
    submission = db.session.get(Submission, created.id)
    request = submission.advocacy
    assert request.young_person_age == 13 and request.situation == CareStatus.CHILD_IN_CARE
    assert request.help_with == ["Making a complaint", "Family time"]
    assert request.needed_by == date(2026, 12, 1)
    assert submission.safe_contact_notes == "Through her foster carer only."
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "advocacy.updated"))
    assert event.after["young_person_age"] == 13 and event.before["young_person_age"] is None
    assert "Details changed" in normalise(client.page(f"/staff/advocacy/{created.id}").text)
