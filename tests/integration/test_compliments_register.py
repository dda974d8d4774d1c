"""Compliments through HTTP: recording (consent, notifications, duplicates), editing, the register, CSV and wall."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain.compliments import compliment_fingerprint
from portal.domain.enums import Role, SubmissionKind
from portal.models import AuditEvent, Compliment, OutboxMessage, Submission
from portal.services.compliments import find_duplicate
from tests.factories import make_staff_user, make_team
from tests.helpers import normalise
from tests.integration.compliments_helpers import make_compliment, source_id

TODAY = "2026-11-20 10:00:00+00:00"  # a Friday


@pytest.fixture(autouse=True)
def _frozen_clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def _team(db, name="Fostering South", manager_email="fostering.manager@example.gov.uk"):  # type: ignore[no-untyped-def]
    team = make_team(name, area="Children in Care")
    team.manager_email = manager_email
    db.session.commit()
    return team


def _form(for_team=None, worker=None, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "received_on": ["18", "11", "2026"],
        "channel": "letter",
        "source": str(source_id("Judge")),
        "origin": "external",
        "from_name": "HHJ Example",
        "team": str(for_team.id) if for_team else "",
        "service_area": "",
        "staff_named": "Priya Shah, social worker",
        "staff_user": str(worker.id) if worker else "",
        "words": "The social work evidence was the best this court has seen this year.",
        "consent_pass_on": "yes",
        "consent_anonymous_use": "yes",
    }
    data.update(overrides)
    return data


def _messages(db):  # type: ignore[no-untyped-def]
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_recording_a_compliment_tells_the_named_worker_and_the_team_manager(db, staff_client):
    team = _team(db)
    worker = make_staff_user(Role.RESPONDING_MANAGER, email="priya.shah@example.gov.uk", full_name="Priya Shah")
    client = staff_client(Role.COMPLAINTS_OFFICER)

    response = client.post("/staff/compliments/new", _form(team, worker), expected_status=302)

    submission = db.session.scalar(sa.select(Submission))
    assert response.headers["Location"].endswith(f"/staff/compliments/{submission.id}")
    compliment = submission.compliment
    assert compliment.internal is False and compliment.consent_pass_on is True
    assert submission.received_on == date(2026, 11, 18) and submission.team_id == team.id
    assert submission.service_area_id == team.service_area_id
    assert submission.person.full_name == "HHJ Example"
    messages = _messages(db)
    assert sorted(m.recipient for m in messages) == ["fostering.manager@example.gov.uk", "priya.shah@example.gov.uk"]
    to_worker = next(m for m in messages if m.recipient == "priya.shah@example.gov.uk")
    assert to_worker.subject == "You have received a compliment"
    assert "best this court has seen" in to_worker.body
    assert "HHJ Example" not in to_worker.body, "the author's name is not passed on"
    to_manager = next(m for m in messages if m.recipient == "fostering.manager@example.gov.uk")
    assert to_manager.subject == "A compliment for Fostering South"
    page = client.page(f"/staff/compliments/{submission.id}")
    text = normalise(page.text)
    assert "priya.shah@example.gov.uk" in text and "Pending" in text
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"compliment.recorded", "compliment.shared", "case.viewed"} <= actions


@pytest.mark.parametrize("consent", ["no", "not_asked"])
def test_no_message_when_consent_to_pass_on_was_not_given(db, staff_client, consent):
    team = _team(db)
    worker = make_staff_user(Role.RESPONDING_MANAGER, email="priya.shah@example.gov.uk")
    client = staff_client(Role.COMPLAINTS_OFFICER)

    client.post("/staff/compliments/new", _form(team, worker, consent_pass_on=consent), expected_status=302)

    submission = db.session.scalar(sa.select(Submission))
    assert submission.compliment.consent_pass_on is (False if consent == "no" else None)
    assert _messages(db) == []
    page = client.page(f"/staff/compliments/{submission.id}")
    assert "did not agree to the compliment being passed on" in normalise(page.text)


def test_consent_given_later_on_edit_tells_people_once(db, staff_client):
    team = _team(db)
    client = staff_client(Role.COMPLAINTS_MANAGER)
    client.post("/staff/compliments/new", _form(team, consent_pass_on="not_asked"), expected_status=302)
    submission = db.session.scalar(sa.select(Submission))
    assert _messages(db) == []

    client.post(f"/staff/compliments/{submission.id}/edit", _form(team, consent_pass_on="yes"), expected_status=302)
    client.post(
        f"/staff/compliments/{submission.id}/edit",
        _form(team, consent_pass_on="yes", staff_named="Priya Shah"),
        expected_status=302,
    )

    assert [m.recipient for m in _messages(db)] == ["fostering.manager@example.gov.uk"]
    updates = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "compliment.updated")))
    assert updates[0].before == {"consent_pass_on": None} and updates[0].after == {"consent_pass_on": True}


def test_the_same_compliment_recorded_twice_is_caught_with_a_link_to_the_first(db, staff_client):
    team = _team(db)
    client = staff_client(Role.COMPLAINTS_OFFICER)
    client.post("/staff/compliments/new", _form(team), expected_status=302)
    first = db.session.scalar(sa.select(Submission))

    retyped = _form(
        team, words="The social work evidence was the best this court has seen this year!!", channel="email"
    )
    response = client.post("/staff/compliments/new", retyped, expected_status=200)

    page = response.page
    summary = normalise(page.select_one(".govuk-error-summary").text)
    assert f"already recorded as {first.reference}" in summary
    assert page.title.text.startswith("Error: Record a compliment")
    link = page.select_one(f'#duplicate a[href="/staff/compliments/{first.id}"]')
    assert link is not None and first.reference in link.text
    assert page.find("input", attrs={"name": "record_anyway"}) is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Compliment)) == 1
    assert len(_messages(db)) == 1, "no second email for a duplicate"


def test_record_anyway_saves_a_genuinely_different_compliment_and_flags_it(db, staff_client):
    team = _team(db)
    client = staff_client(Role.COMPLAINTS_OFFICER)
    client.post("/staff/compliments/new", _form(team, words="Thank you"), expected_status=302)
    first = db.session.scalar(sa.select(Submission))

    client.post("/staff/compliments/new", _form(team, words="Thank you", from_name="Another family"))
    client.post(
        "/staff/compliments/new",
        _form(team, words="Thank you", from_name="Another family", record_anyway="y"),
        expected_status=302,
    )

    second = db.session.scalar(sa.select(Submission).where(Submission.id != first.id))
    assert second is not None
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "compliment.recorded", AuditEvent.submission_id == second.id)
    )
    assert event.after["recorded_despite_duplicate_of"] == first.reference
    page = client.page(f"/staff/compliments/{second.id}")
    assert f"This may be the same compliment as {first.reference}" in normalise(page.text)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"words": ""}, "words", "Enter the words of the compliment"),
        ({"source": ""}, "source", "Select who the compliment is from"),
        ({"origin": ""}, "origin", "Select whether the compliment is internal or external"),
        ({"consent_pass_on": ""}, "consent_pass_on", "Select whether they agreed to it being passed on"),
        ({"received_on": ["", "", ""]}, "received_on", "Enter the date the compliment was received"),
        ({"received_on": ["31", "2", "2026"]}, "received_on", "must be a real date"),
        ({"received_on": ["23", "11", "2026"]}, "received_on", "must be today or in the past"),
        ({"team": "", "staff_named": ""}, "team", "Select the team or service area, or name the member of staff"),
    ],
    ids=["no-words", "no-source", "no-origin", "no-consent", "no-date", "bad-date", "future", "about-nobody"],
)
def test_recording_errors_are_shown_against_the_field(db, staff_client, overrides, field, message):
    team = _team(db)
    client = staff_client(Role.COMPLAINTS_OFFICER)

    response = client.post("/staff/compliments/new", _form(team, **overrides), expected_status=200)

    summary = response.page.select_one(".govuk-error-summary")
    assert message in normalise(summary.text)
    assert summary.select_one("a")["href"] == f"#{field}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Compliment)) == 0


def _register_rows(page):  # type: ignore[no-untyped-def]
    return [normalise(tr.text) for tr in page.select("tbody tr")]


def test_register_filters_by_date_source_origin_area_team_and_text(db, staff_client):
    fostering = _team(db)
    duty = make_team("Duty and Assessment", area="Front Door")
    make_compliment(fostering, received_on=date(2026, 10, 1), source="Judge", words="Excellent court work")
    make_compliment(
        fostering,
        received_on=date(2026, 11, 2),
        source="Internal colleague",
        internal=True,
        words="Thanks for covering",
    )
    make_compliment(duty, received_on=date(2026, 11, 10), source="Police", words="Quick response on Friday night")
    client = staff_client(Role.COMPLAINTS_MANAGER)

    def count(query: str) -> int:
        return len(_register_rows(client.page(f"/staff/compliments?{query}")))

    assert count("") == 3
    assert "2 external, 1 internal." in normalise(client.page("/staff/compliments").text)
    assert count("received_from=1&received_from=11&received_from=2026") == 2
    assert count("received_to=31&received_to=10&received_to=2026") == 1
    assert count(f"source={source_id('Police')}") == 1
    assert count("origin=internal") == 1
    assert count("origin=external") == 2
    assert count(f"service_area={duty.service_area_id}") == 1
    assert count(f"team={fostering.id}") == 2
    assert count("q=COURT") == 1
    assert count("q=100%25") == 0


def test_register_shows_a_filter_error_for_an_impossible_range(db, staff_client):
    client = staff_client(Role.COMPLAINTS_MANAGER)
    page = client.page(
        "/staff/compliments?received_from=2&received_from=11&received_from=2026"
        "&received_to=1&received_to=11&received_to=2026"
    )
    assert "Received to must be the same as or after received from" in normalise(
        page.select_one(".govuk-error-summary").text
    )


def test_register_pages_through_results(db, staff_client):
    team = _team(db)
    for n in range(27):
        make_compliment(team, words=f"Thank you number {n}")
    client = staff_client(Role.COMPLAINTS_MANAGER)

    first = client.page("/staff/compliments")
    second = client.page("/staff/compliments?page=2")

    assert len(_register_rows(first)) == 25 and len(_register_rows(second)) == 2
    assert "27 compliments" in normalise(first.text)
    assert first.select_one(".govuk-pagination__next a")["href"].endswith("page=2")


def test_csv_export_is_filtered_and_formula_safe(db, staff_client):
    team = _team(db)
    make_compliment(team, words='=HYPERLINK("http://evil.example","click")', staff_named="+Priya")
    make_compliment(team, internal=True, source="Internal colleague", words="Internal thanks")
    client = staff_client(Role.COMPLAINTS_OFFICER)

    response = client.get("/staff/compliments/export.csv?origin=external")

    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["words"].startswith("'=HYPERLINK")
    assert rows[0]["staff_named"] == "'+Priya"
    assert rows[0]["internal_or_external"] == "external"
    assert rows[0]["team"] == "Fostering South"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "compliments.exported"))
    assert event.actor_id == client.user.id and event.after == {"origin": "external"}


def test_wall_shows_recent_external_compliments_with_consent_and_never_the_author(db, staff_client):
    team = _team(db)
    make_compliment(team, words="Shown on the wall", from_name="Mrs Author Name")
    make_compliment(team, words="No anonymous use", consent_anonymous_use=False)
    make_compliment(team, words="Not asked about anonymous use", consent_anonymous_use=None)
    make_compliment(team, words="Internal thanks", internal=True, source="Internal colleague")
    make_compliment(team, words="Too old for the wall", received_on=date(2026, 4, 1))
    client = staff_client(Role.RESPONDING_MANAGER, teams=[])

    page = client.page("/staff/compliments/wall")

    text = normalise(page.select_one("main").text)
    assert "Shown on the wall" in text
    assert "Foster carer, November 2026, about Fostering South" in text
    for hidden in ("No anonymous use", "Not asked about", "Internal thanks", "Too old", "Mrs Author Name", "18 Nov"):
        assert hidden not in text


def test_wall_can_show_one_team(db, staff_client):
    fostering = _team(db)
    duty = make_team("Duty and Assessment", area="Front Door")
    make_compliment(fostering, words="Fostering words")
    make_compliment(duty, words="Duty words")
    client = staff_client(Role.COMPLAINTS_OFFICER)

    text = normalise(client.page(f"/staff/compliments/wall?team={duty.id}").text)

    assert "Duty words" in text and "Fostering words" not in text


def test_responding_manager_sees_only_their_teams_compliments_and_cannot_record(db, staff_client):
    fostering = _team(db)
    duty = make_team("Duty and Assessment", area="Front Door")
    mine = make_compliment(fostering, words="For my team")
    other = make_compliment(duty, words="For another team")
    client = staff_client(Role.RESPONDING_MANAGER, teams=[fostering])

    rows = _register_rows(client.page("/staff/compliments"))
    assert len(rows) == 1 and mine.reference in rows[0]
    client.get(f"/staff/compliments/{mine.id}")
    client.get(f"/staff/compliments/{other.id}", expected_status=404)
    client.get("/staff/compliments/new", expected_status=403)
    client.get(f"/staff/compliments/{mine.id}/edit", expected_status=403)
    rows = list(csv.reader(io.StringIO(client.get("/staff/compliments/export.csv").get_data(as_text=True))))
    assert len(rows) == 2


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.REPORT_VIEWER, Role.ADMINISTRATOR])
def test_other_roles_cannot_see_compliments(db, staff_client, role):
    team = _team(db)
    compliment = make_compliment(team)
    client = staff_client(role)

    for url in (
        "/staff/compliments",
        "/staff/compliments/wall",
        "/staff/compliments/export.csv",
        "/staff/compliments/new",
        f"/staff/compliments/{compliment.id}",
        f"/staff/compliments/{compliment.id}/edit",
    ):
        client.get(url, expected_status=403)


def test_a_complaint_is_not_shown_as_a_compliment(db, staff_client):
    from tests.factories import make_submission

    complaint = make_submission()
    client = staff_client(Role.COMPLAINTS_MANAGER)
    client.get(f"/staff/compliments/{complaint.id}", expected_status=404)
    client.get(f"/staff/compliments/{complaint.id}/edit", expected_status=404)


def test_every_question_group_on_the_compliment_forms_has_a_legend(db, staff_client):
    compliment = make_compliment(_team(db))
    client = staff_client(Role.COMPLAINTS_MANAGER)
    for url in ("/staff/compliments/new", f"/staff/compliments/{compliment.id}/edit", "/staff/compliments"):
        page = client.page(url)
        fieldsets = page.select("fieldset")
        assert fieldsets
        for fieldset in fieldsets:
            legend = fieldset.find("legend")
            assert legend is not None and normalise(legend.text), f"{url}: a fieldset has no legend"


@pytest.mark.parametrize(("consent", "told"), [(True, ["fostering.manager@example.gov.uk"]), (False, []), (None, [])])
def test_a_public_compliment_is_fingerprinted_and_shared_only_with_consent(db, consent, told):
    from portal.services.compliments import complete_public_compliment
    from tests.factories import make_submission

    team = _team(db)
    submission = make_submission(SubmissionKind.COMPLIMENT, team=team, received_on=date(2026, 11, 19))
    submission.compliment = Compliment(words="Thank you, Sam!", consent_pass_on=consent)
    db.session.flush()

    queued = complete_public_compliment(submission)
    db.session.commit()

    assert queued == len(told)
    assert [m.recipient for m in _messages(db)] == told
    assert submission.compliment.internal is False
    assert submission.compliment.fingerprint == compliment_fingerprint(date(2026, 11, 19), team.id, "thank you sam")
    client_duplicate = find_duplicate(compliment_fingerprint(date(2026, 11, 19), team.id, "THANK YOU SAM"))
    assert client_duplicate is not None and client_duplicate.id == submission.id


def test_a_compliment_recorded_by_another_service_need_not_name_a_team(db):
    from portal.services.compliments import ComplimentDetails, record_compliment

    submission = record_compliment(
        ComplimentDetails(received_on=date(2026, 11, 19), words="Thanks to everyone"),
        actor_id=None,
        today=date(2026, 11, 20),
    )

    assert submission.compliment.words == "Thanks to everyone" and submission.team_id is None
    assert _messages(db) == []


def test_a_compliment_from_the_public_journey_is_fingerprinted_and_shared(db):
    """create_submission completes a public compliment itself (fingerprint, external, the named worker's manager
    told once) in the same transaction."""
    from portal.services.submissions import NewSubmission, create_submission

    team = _team(db)
    created = create_submission(
        NewSubmission(
            kind=SubmissionKind.COMPLIMENT,
            full_name="A Parent",
            email="parent@example.com",
            team_id=team.id,
            staff_named="Priya",
            compliment_words="Priya listened to us.",
            compliment_source_id=source_id("Parent or carer"),
            consent_pass_on=True,
            consent_anonymous_use=True,
        ),
    )

    submission = db.session.get(Submission, created.submission.id)
    assert submission.compliment.fingerprint is not None and submission.compliment.internal is False
    assert [m.recipient for m in _messages(db)].count("fostering.manager@example.gov.uk") == 1
    assert "A Parent" not in next(m.body for m in _messages(db) if m.recipient.startswith("fostering"))


def test_the_named_workers_own_team_manager_is_told_too(db, staff_client):
    fostering = _team(db)
    duty = make_team("Duty and Assessment", area="Front Door")
    duty.manager_email = "duty.manager@example.gov.uk"
    db.session.commit()
    worker = make_staff_user(Role.RESPONDING_MANAGER, email="sam.worker@example.gov.uk", teams=[duty])
    client = staff_client(Role.COMPLAINTS_OFFICER)

    client.post("/staff/compliments/new", _form(fostering, worker), expected_status=302)

    messages = {m.recipient: m for m in _messages(db)}
    assert set(messages) == {
        "sam.worker@example.gov.uk",
        "fostering.manager@example.gov.uk",
        "duty.manager@example.gov.uk",
    }
    assert messages["duty.manager@example.gov.uk"].subject == "A compliment for Duty and Assessment"
    assert messages["fostering.manager@example.gov.uk"].subject == "A compliment for Fostering South"
    assert "who works in Duty and Assessment, has been named in a compliment about Fostering South" in (
        messages["duty.manager@example.gov.uk"].body
    )
    assert "Fostering South has received a compliment naming Priya Shah" in (
        messages["fostering.manager@example.gov.uk"].body
    )
