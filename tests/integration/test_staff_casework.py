"""Triage, case list, case page (audit on every view), notes, audit export, people and settings, through HTTP."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from portal.domain.enums import CategoryKind, Role, SubmissionStatus
from portal.models import AuditEvent, Category, OutboxMessage, Person, Submission
from tests.factories import make_staff_user, make_submission, make_team


def _count(db, action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_inbox_puts_undecided_safety_flags_first(db, staff_client):
    old = make_submission(received_on=date(2026, 10, 1))
    flagged = make_submission(received_on=date(2026, 11, 2), feels_unsafe=True)
    c = staff_client(Role.COMPLAINTS_OFFICER)
    rows = c.page("/staff/triage").select("tbody tr")
    assert flagged.reference in rows[0].text and "Decision needed today" in rows[0].text
    assert old.reference in rows[1].text


def test_flagged_item_needs_safety_decision_before_classification(db, staff_client):
    s = make_submission(safeguarding_flag=True, safeguarding_reason="Words suggesting risk")
    c = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/triage/{s.id}"
    refused = c.post(url, {"classification": "representation", "channel": "email"}, form_url=url)
    assert "Record the safety decision before" in refused.get_data(as_text=True)
    c.post(
        f"/staff/triage/{s.id}/safety",
        {"decision": "Rang duty team; no immediate risk"},
        form_url=url,
        expected_status=302,
    )
    db.session.refresh(s)
    assert s.safeguarding_decided_by_id == c.user.id and s.safeguarding_decided_at is not None
    assert _count(db, "submission.safety_decision") == 1


def test_triage_into_stage_one_shows_due_dates(db, staff_client):
    team = make_team()
    s = make_submission(received_on=date(2026, 11, 2))
    theme = db.session.scalars(sa.select(Category).where(Category.kind == CategoryKind.THEME)).first()
    c = staff_client(Role.COMPLAINTS_MANAGER)
    url = f"/staff/triage/{s.id}"
    c.get(url)
    response = c.post(
        url,
        {"classification": "statutory", "channel": "telephone", "team_id": str(team.id), "theme_ids": str(theme.id)},
        expected_status=302,
    )
    assert response.headers["Location"].endswith(f"/staff/cases/{s.id}")
    db.session.refresh(s)
    assert s.status == SubmissionStatus.OPEN and s.current_stage.value == "stage1"
    assert s.acknowledge_due_on is not None and s.next_due_on is not None
    page = c.page(f"/staff/cases/{s.id}")
    text = page.text
    assert "Acknowledge by" in text and "Next due" in text
    assert any(t in text for t in ("On track", "Due soon", "Overdue", "Due today"))
    assert _count(db, "submission.triaged") == 1 and _count(db, "case.viewed") == 1


def test_refusal_queues_letter_with_signpost(db, staff_client):
    person = Person(full_name="Ann Parent", name_key="ann parent", email="ann@example.com", email_key="ann@example.com")
    db.session.add(person)
    db.session.commit()
    s = make_submission(person_id=person.id)
    reason = db.session.scalars(sa.select(Category).where(Category.kind == CategoryKind.REFUSAL_REASON)).first()
    c = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/triage/{s.id}"
    page = c.page(url)
    assert "Ombudsman" in page.find("textarea", attrs={"name": "refusal_letter"}).text
    missing = c.post(url, {"classification": "refused", "channel": "email"})
    assert "Select the reason for refusing" in missing.get_data(as_text=True)
    c.post(
        url, {"classification": "refused", "channel": "email", "refusal_reason_id": str(reason.id)}, expected_status=302
    )
    db.session.refresh(s)
    assert s.status == SubmissionStatus.REFUSED and s.refusal_reason_id == reason.id
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.recipient == "ann@example.com" and "Ombudsman" in message.body


def test_pre_complaint_records_date_and_queues_request(db, staff_client):
    person = Person(full_name="Bo", name_key="bo", email="bo@example.com", email_key="bo@example.com")
    db.session.add(person)
    db.session.commit()
    s = make_submission(person_id=person.id)
    c = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/triage/{s.id}"
    c.post(
        url,
        {"classification": "pre_complaint", "channel": "email", "information_request": "Which school?"},
        form_url=url,
        expected_status=302,
    )
    db.session.refresh(s)
    assert s.status == SubmissionStatus.AWAITING_INFORMATION and s.information_requested_on is not None
    assert db.session.scalars(sa.select(OutboxMessage.body)).one() == "Which school?"


def test_people_suggestions_and_link_and_contact_plan(db, staff_client):
    earlier = Person(full_name="Sam Smith", name_key="sam smith", phone="07700 900123", phone_key="07700900123")
    newer = Person(full_name="Sam Smith", name_key="sam smith")
    db.session.add_all([earlier, newer])
    db.session.commit()
    make_submission(person_id=earlier.id)
    s = make_submission(person_id=newer.id)
    c = staff_client(Role.COMPLAINTS_OFFICER)
    page = c.page(f"/staff/triage/{s.id}")
    assert "Same name" in page.text
    c.post(f"/staff/triage/{s.id}/link-person", {"person_id": str(earlier.id)}, expected_status=302)
    db.session.refresh(s)
    assert s.person_id == earlier.id and _count(db, "submission.person_linked") == 1
    person_page = c.page(f"/staff/people/{earlier.id}")
    assert "Contacts (2)" in person_page.text
    url = f"/staff/people/{earlier.id}/contact-plan"
    c.post(url, {"measures": "One named officer", "reason": "Daily calls"}, form_url=url, expected_status=302)
    assert "Contact plan in place" in c.page(f"/staff/people/{earlier.id}").text
    assert "Contact plan in place" in c.page(f"/staff/triage/{s.id}").text


def test_case_list_filters_search_and_escaping(db, staff_client):
    person = Person(full_name="<script>x</script> Jones", name_key="<script>x</script> jones")
    db.session.add(person)
    db.session.commit()
    a = make_submission(person_id=person.id, received_on=date(2026, 9, 1))
    b = make_submission(received_on=date(2026, 11, 2), status=SubmissionStatus.OPEN, next_due_on=date(2026, 1, 5))
    c = staff_client(Role.COMPLAINTS_OFFICER)
    response = c.get("/staff/cases?q=jones")
    html = response.get_data(as_text=True)
    assert a.reference in html and b.reference not in html and "<script>x</script>" not in html
    overdue = c.get("/staff/cases?due=overdue").get_data(as_text=True)
    assert b.reference in overdue and a.reference not in overdue
    by_ref = c.get(f"/staff/cases?q={b.reference.replace('-', '').lower()}").get_data(as_text=True)
    assert b.reference in by_ref and a.reference not in by_ref
    ranged = c.get("/staff/cases?received_from=1&received_from=10&received_from=2026").get_data(as_text=True)
    assert b.reference in ranged and a.reference not in ranged


def test_case_list_keyset_pages(db, staff_client):
    made = [make_submission(received_on=date(2026, 10, 1 + i)) for i in range(3)]
    from portal.services import cases

    c = staff_client(Role.COMPLAINTS_MANAGER)
    first = cases.list_cases(c.user, cases.CaseFilters(), date(2026, 11, 20), page_size=2)
    assert [s.id for s in first.rows] == [made[2].id, made[1].id] and first.next_cursor
    second = cases.list_cases(c.user, cases.CaseFilters(), date(2026, 11, 20), after=first.next_cursor, page_size=2)
    assert [s.id for s in second.rows] == [made[0].id] and second.next_cursor is None and second.prev_cursor
    back = cases.list_cases(c.user, cases.CaseFilters(), date(2026, 11, 20), before=second.prev_cursor, page_size=2)
    assert [s.id for s in back.rows] == [made[2].id, made[1].id]


def test_due_filters_list_soonest_due_first_with_keyset_pages(db, staff_client):
    from portal.services import cases

    dues = [date(2026, 11, 3), date(2026, 11, 1), date(2026, 11, 2)]
    made = [
        make_submission(received_on=date(2026, 10, 1 + i), status=SubmissionStatus.OPEN, next_due_on=due)
        for i, due in enumerate(dues)
    ]
    make_submission(status=SubmissionStatus.CLOSED, next_due_on=date(2026, 10, 1))
    c = staff_client(Role.COMPLAINTS_MANAGER)
    overdue = cases.CaseFilters(overdue=True)
    first = cases.list_cases(c.user, overdue, date(2026, 11, 20), page_size=2)
    assert [s.id for s in first.rows] == [made[1].id, made[2].id] and first.total == 3
    second = cases.list_cases(c.user, overdue, date(2026, 11, 20), after=first.next_cursor, page_size=2)
    assert [s.id for s in second.rows] == [made[0].id] and second.next_cursor is None
    back = cases.list_cases(c.user, overdue, date(2026, 11, 20), before=second.prev_cursor, page_size=2)
    assert [s.id for s in back.rows] == [made[1].id, made[2].id]


def test_notes_audit_history_and_csv_export_is_formula_safe(db, staff_client):
    s = make_submission()
    c = staff_client(Role.COMPLAINTS_MANAGER)
    c.get(f"/staff/cases/{s.id}")
    c.post(f"/staff/cases/{s.id}/notes", {"body": '=HYPERLINK("http://x")'}, expected_status=302)
    assert "=HYPERLINK" in c.page(f"/staff/cases/{s.id}").text
    audit_page = c.page(f"/staff/cases/{s.id}/audit")
    assert "Case viewed" in audit_page.text and "Internal note added" in audit_page.text
    response = c.get(f"/staff/cases/{s.id}/audit.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "When (UTC)" and len(rows) >= 4
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_officer_cannot_see_audit_history(db, staff_client):
    s = make_submission()
    officer = staff_client(Role.COMPLAINTS_OFFICER)
    officer.get(f"/staff/cases/{s.id}/audit", expected_status=403)


def test_home_counts_per_role(db, staff_client):
    team = make_team()
    make_submission(feels_unsafe=True)
    make_submission(team=team, status=SubmissionStatus.OPEN, next_due_on=date(2026, 1, 5))
    officer = staff_client(Role.COMPLAINTS_OFFICER)
    text = " ".join(officer.page("/staff/").text.split())
    assert "1 safety flag awaiting a decision" in text and "2 new submissions awaiting triage" not in text
    assert "1 case overdue" in text


def test_home_for_responding_manager_counts_team_cases(db, staff_client):
    team = make_team()
    make_submission(feels_unsafe=True)
    make_submission(team=team, status=SubmissionStatus.OPEN, next_due_on=date(2026, 1, 5))
    rm = staff_client(Role.RESPONDING_MANAGER, teams=[team])
    rm_text = " ".join(rm.page("/staff/").text.split())
    assert "1 open case" in rm_text and "1 case overdue" in rm_text
    assert "safety flag" not in rm_text


def test_admin_creates_user_edits_role_and_resets_two_factor(db, staff_client):
    team = make_team()
    admin = staff_client(Role.ADMINISTRATOR)
    weak = admin.post(
        "/staff/settings/users/new",
        {
            "email": "new@example.gov.uk",
            "full_name": "New Person",
            "role": "responding_manager",
            "password": "password1234",
        },
        form_url="/staff/settings/users/new",
    )
    assert "too common" in weak.get_data(as_text=True)
    admin.post(
        "/staff/settings/users/new",
        {
            "email": "new@example.gov.uk",
            "full_name": "New Person",
            "role": "responding_manager",
            "team_ids": str(team.id),
            "password": "harbour lamp quartz 77",
        },
        expected_status=302,
    )
    from portal.models import StaffUser

    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "new@example.gov.uk"))
    assert [t.id for t in user.teams] == [team.id]
    url = f"/staff/settings/users/{user.id}"
    admin.post(url, {"full_name": "New Person", "role": "complaints_officer"}, form_url=url, expected_status=302)
    db.session.refresh(user)
    assert user.role == Role.COMPLAINTS_OFFICER
    admin.post(
        f"/staff/settings/users/{user.id}/active",
        {},
        form_url=f"/staff/settings/users/{user.id}/active",
        expected_status=302,
    )
    db.session.refresh(user)
    assert not user.active and _count(db, "user.deactivated") == 1


def test_admin_lists_add_rename_retire(db, staff_client):
    admin = staff_client(Role.COMPLAINTS_MANAGER)
    url = "/staff/settings/lists/new?kind=theme"
    admin.post(url, {"label": "Transport", "active": "y"}, form_url=url, expected_status=302)
    item = db.session.scalar(sa.select(Category).where(Category.label == "Transport"))
    edit = f"/staff/settings/lists/{item.id}"
    admin.post(edit, {"label": "School transport"}, form_url=edit, expected_status=302)
    db.session.refresh(item)
    assert item.label == "School transport" and item.report_group == "Transport" and not item.active
    assert "School transport" in admin.page("/staff/settings/lists?kind=theme").text


def test_staff_can_record_a_contact_by_hand(db, staff_client):
    c = staff_client(Role.COMPLAINTS_OFFICER)
    response = c.post(
        "/staff/triage/new",
        {
            "channel": "telephone",
            "received_on": ["2", "11", "2026"],
            "audience": "adult",
            "full_name": "Caller",
            "what_happened": "Rang us",
        },
        form_url="/staff/triage/new",
        expected_status=302,
    )
    s = db.session.scalars(sa.select(Submission)).one()
    assert s.channel.value == "telephone" and s.received_on >= date(2026, 11, 2)
    assert response.headers["Location"].endswith(f"/staff/triage/{s.id}")


def test_responding_manager_list_only_shows_team(db, staff_client):
    mine = make_team("Mine", "A")
    other = make_team("Other", "A")
    a, b = make_submission(team=mine), make_submission(team=other)
    rm = make_staff_user(Role.RESPONDING_MANAGER, teams=[mine])
    c = staff_client(Role.RESPONDING_MANAGER, user=rm)
    html = c.get("/staff/cases").get_data(as_text=True)
    assert a.reference in html and b.reference not in html


def test_young_person_wanting_an_advocate_gets_a_linked_advocacy_request(db, staff_client):
    from portal.domain.enums import Audience
    from portal.models import AdvocacyRequest

    s = make_submission(audience=Audience.YOUNG_PERSON, wants_advocate=True)
    c = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/triage/{s.id}"
    c.post(url, {"classification": "statutory", "channel": "online_form"}, form_url=url, expected_status=302)
    request = db.session.scalars(sa.select(AdvocacyRequest).where(AdvocacyRequest.linked_complaint_id == s.id)).one()
    assert request.submission.kind.value == "advocacy"


def test_corporate_complaint_uses_the_corporate_procedure_and_scotland_uses_mchp(db, staff_client, app, monkeypatch):
    first, second = make_submission(), make_submission()
    c = staff_client(Role.COMPLAINTS_MANAGER)
    c.post(
        f"/staff/triage/{first.id}",
        {"classification": "corporate", "channel": "email"},
        form_url=f"/staff/triage/{first.id}",
        expected_status=302,
    )
    db.session.refresh(first)
    assert first.procedure.value == "lgsco_corporate" and first.next_due_on is not None
    monkeypatch.setitem(app.config, "PROCEDURE", "scotland")
    c.post(
        f"/staff/triage/{second.id}",
        {"classification": "statutory", "channel": "email"},
        form_url=f"/staff/triage/{second.id}",
        expected_status=302,
    )
    db.session.refresh(second)
    assert second.procedure.value == "scotland_mchp"


def test_case_concern_goes_to_the_team_for_same_day_action(db, staff_client):
    team = make_team()
    team.manager_email = "team.manager@example.gov.uk"
    db.session.commit()
    s = make_submission()
    c = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/triage/{s.id}"
    no_team = c.post(url, {"classification": "case_concern", "channel": "email"}, form_url=url)
    assert "Select the team the concern is passed to" in no_team.get_data(as_text=True)
    c.post(url, {"classification": "case_concern", "channel": "email", "team_id": str(team.id)}, expected_status=302)
    db.session.refresh(s)
    assert s.status == SubmissionStatus.OPEN and s.next_due_on is not None
    assert db.session.scalars(sa.select(OutboxMessage.recipient)).one() == "team.manager@example.gov.uk"


def test_withdrawn_at_triage_closes_with_reason(db, staff_client):
    s = make_submission()
    c = staff_client(Role.COMPLAINTS_OFFICER)
    url = f"/staff/triage/{s.id}"
    c.post(
        url,
        {"classification": "withdrawn", "channel": "telephone", "withdrawn_reason": "Resolved by phone"},
        form_url=url,
        expected_status=302,
    )
    db.session.refresh(s)
    assert s.status == SubmissionStatus.WITHDRAWN and s.withdrawn_reason == "Resolved by phone"


def test_convert_to_compliment_and_to_advocacy_request(db, staff_client):
    thanks = make_submission(what_happened="Thank you to my social worker, she was brilliant")
    helper = make_submission(what_happened="I want someone to help me speak at my review")
    c = staff_client(Role.COMPLAINTS_OFFICER)
    c.post(
        f"/staff/triage/{thanks.id}/convert",
        {"to_kind": "compliment"},
        form_url=f"/staff/triage/{thanks.id}/convert",
        expected_status=302,
    )
    c.post(
        f"/staff/triage/{helper.id}/convert",
        {"to_kind": "advocacy"},
        form_url=f"/staff/triage/{helper.id}/convert",
        expected_status=302,
    )
    db.session.refresh(thanks)
    db.session.refresh(helper)
    assert thanks.kind.value == "compliment" and thanks.compliment is not None
    assert helper.kind.value == "advocacy" and helper.advocacy is not None
    assert _count(db, "submission.converted") == 2
    assert thanks.reference not in c.page("/staff/triage").text


def test_admin_resets_two_factor_and_manages_teams_and_order(db, staff_client):
    import pyotp

    from portal.services.users import create_user

    user = create_user(
        email="p@example.gov.uk",
        full_name="P Person",
        role=Role.ADVOCATE,
        password="harbour lamp quartz 77",
        totp_secret=pyotp.random_base32(),
    )
    admin = staff_client(Role.ADMINISTRATOR)
    url = f"/staff/settings/users/{user.id}/reset-two-factor"
    admin.post(url, {}, form_url=url, expected_status=302)
    db.session.refresh(user)
    assert user.totp_secret is None and user.totp_enabled_at is None
    admin.post("/staff/settings/teams", {"name": "Early Help"}, form_url="/staff/settings/teams", expected_status=302)
    admin.post(
        "/staff/settings/teams/new",
        {"name": "Early Help North", "active": "y"},
        form_url="/staff/settings/teams/new",
        expected_status=302,
    )
    assert "Early Help North" in admin.page("/staff/settings/teams").text
    themes = list(
        db.session.scalars(sa.select(Category).where(Category.kind == CategoryKind.THEME, Category.active.is_(True)))
    )
    themes.sort(key=lambda c: (c.sort_order, c.label))
    second = themes[1]
    page_url = "/staff/settings/lists?kind=theme"
    admin.post(f"/staff/settings/lists/{second.id}/move", {"direction": "up"}, form_url=page_url, expected_status=302)
    from portal.services import lists

    assert next(c.id for c in lists.categories(CategoryKind.THEME) if c.active) == second.id


def test_case_page_escapes_user_text_and_keeps_line_breaks(db, staff_client):
    s = make_submission(what_happened="<script>alert(1)</script>\nsecond line", outcome_wanted="<b>bold</b>")
    c = staff_client(Role.COMPLAINTS_OFFICER)
    html = c.get(f"/staff/cases/{s.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    page = c.page(f"/staff/cases/{s.id}")
    assert any("second line" in span.text for span in page.select(".app-pre-wrap"))


def test_reassigning_a_case_is_audited(db, staff_client):
    first, second = make_team("First", "A"), make_team("Second", "A")
    s = make_submission(team=first, status=SubmissionStatus.OPEN)
    c = staff_client(Role.COMPLAINTS_MANAGER)
    url = f"/staff/cases/{s.id}/assignment"
    assert c.page(url).find("select", attrs={"name": "team_id"}).find("option", selected=True)["value"] == str(first.id)
    c.post(url, {"team_id": str(second.id)}, expected_status=302)
    db.session.refresh(s)
    assert s.team_id == second.id
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "submission.assigned")).one()
    assert event.before["team_id"] == first.id and event.after["team_id"] == second.id


def test_settings_index_links_other_areas_settings_only_when_allowed(db, staff_client, app):
    manager = staff_client(Role.COMPLAINTS_MANAGER)
    page = manager.page("/staff/settings")
    links = {a["href"] for a in page.select("main a")}
    assert "/staff/settings/users" in links and "/staff/settings/lists?kind=theme" in links
    from flask import url_for

    with app.test_request_context():
        expected = [
            url_for(e) for e in ("staff.admin_procedures", "staff.admin_closure_days") if e in app.view_functions
        ]
    assert all(href in links for href in expected)


def test_a_flagged_advocacy_request_appears_in_the_inbox_until_a_safety_decision(db, staff_client):
    from portal.domain.enums import Role, SubmissionKind, SubmissionStatus
    from tests.factories import make_submission

    request = make_submission(
        SubmissionKind.ADVOCACY, status=SubmissionStatus.OPEN, feels_unsafe=True, safeguarding_flag=True
    )
    client = staff_client(Role.COMPLAINTS_OFFICER)
    page = client.page("/staff/triage")
    link = page.find("a", string=request.reference)
    assert link is not None and link["href"].endswith(f"/triage/{request.id}/safety")
    client.post(f"/staff/triage/{request.id}/safety", {"decision": "Called the young person; safe with carer."})
    assert client.page("/staff/triage").find("a", string=request.reference) is None
