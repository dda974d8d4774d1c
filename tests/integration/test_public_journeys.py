"""The six public journeys through the Flask test client (CSRF on, every page through the page checker)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain.enums import Audience, SubmissionKind
from portal.models import AdvocacyRequest, AuditEvent, Draft, OutboxMessage, Submission
from tests.helpers import PortalClient, normalise
from tests.public_journeys import JOURNEY_ANSWERS, resolve

NOW = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)  # a Wednesday


def walk(client, journey: str, *, stop_before: str | None = None):
    """Answer each page in turn; returns the check-your-answers page."""
    response = client.get(f"/{journey}", expected_status=302)
    location = response.headers["Location"]
    for step, data in JOURNEY_ANSWERS[journey]:
        assert location.endswith(f"/{journey}/{step}"), f"expected {step}, went to {location}"
        if step == stop_before:
            return None
        page = client.get(location).page
        assert all(h.get_text(strip=True) not in ("", "None") for h in page.select(".govuk-hint")), step
        response = client.post(location, resolve(data), expected_status=302)
        location = response.headers["Location"]
    assert location.endswith(f"/{journey}/check-your-answers"), location
    return client.get(location).page


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("journey", list(JOURNEY_ANSWERS), ids=lambda j: j.replace("/", "-"))
def test_each_journey_end_to_end(client, db, journey):
    check = walk(client, journey)
    rows = {normalise(r.select_one("dt").text): r for r in check.select(".govuk-summary-list__row")}
    assert rows, "check your answers lists the answers"
    for row in rows.values():
        link = row.select_one(".govuk-summary-list__actions a")
        assert link and "change=1" in link["href"]
    response = client.post(f"/{journey}/check-your-answers", {}, expected_status=302)
    assert response.headers["Location"].endswith(f"/{journey}/sent")
    page = client.page(f"/{journey}/sent")
    submission = db.session.scalar(sa.select(Submission))
    assert submission.reference in page.select_one(".govuk-panel").text
    assert submission.kind == SubmissionKind(journey.split("/")[1])
    young = journey.startswith("young-person")
    assert submission.audience == (Audience.YOUNG_PERSON if young else Audience.ADULT)
    assert bool(page.select_one(".govuk-exit-this-page")) == young
    assert bool(page.find(string=lambda s: "Need help now?" in s)) == young


def test_young_person_complaint_records_what_they_said(client, db):
    walk(client, "young-person/complaint")
    client.post("/young-person/complaint/check-your-answers", {}, expected_status=302)
    page = client.page("/young-person/complaint/sent")
    s = db.session.scalar(sa.select(Submission))
    assert s.feels_unsafe and s.safeguarding_flag and "do not feel safe" in s.safeguarding_reason
    assert [t.label for t in s.themes] == ["Placement (where the child lives)", "Being listened to"]
    assert s.what_happened == "My carer reads my messages.\nI told my social worker & nothing <changed>."
    assert s.contact_methods == ["text", "advocate"] and s.ok_to_leave_message == "no"
    assert s.wants_advocate is True and s.child.full_name == "Jordan"
    # acknowledgement by text, in young person's words, queued with the submission
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "acknowledgement"))
    assert message.channel.value == "sms" and message.recipient == "07700 900123" and "advocate" in message.body
    # Wednesday 18 November + 3 working days = Monday 23 November; + 10 = Wednesday 2 December
    text = normalise(page.text)
    assert "Monday 23 November 2026" in text and "Wednesday 2 December 2026" in text
    assert "advocate" in text
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submission.created")).actor_label
        == "public"
    )


def test_adult_complaint_records_consent_time_limit_needs_and_outcomes(client, db):
    walk(client, "adult/complaint")
    client.post("/adult/complaint/check-your-answers", {}, expected_status=302)
    s = db.session.scalar(sa.select(Submission))
    assert s.out_of_time and s.child_knows == "no" and "too upset" in s.child_consent_note
    assert s.child.full_name == "Alex Smith" and s.has_parental_responsibility == "yes"
    assert s.needs == {"interpreter": True, "interpreter_language": "Polish"}
    assert sorted(c.label for c in s.outcomes_sought) == ["Meeting", "Review or change a decision"]
    assert s.answers["late_reason"] == "I did not know I could complain."
    assert s.person.email == "sam@example.com" and s.worker_name == "Mr Jones"
    assert db.session.scalar(sa.select(OutboxMessage)).channel.value == "email"


def test_time_limit_page_only_when_over_the_limit(client, db):
    walk(client, "adult/complaint", stop_before="when")
    response = client.post(
        "/adult/complaint/when", {"grounds_arose_on": ["1", "6", "2026"], "happened_when": ""}, expected_status=302
    )
    assert response.headers["Location"].endswith("/adult/complaint/court")


def test_child_under_the_consent_age_is_not_asked_about(client, db):
    client.get("/adult/complaint/who-you-are")
    client.post("/adult/complaint/who-you-are", {"person_type": "carer"}, expected_status=302)
    client.post(
        "/adult/complaint/child", {"child_name": "Baby", "child_date_of_birth": ["1", "1", "2020"]}, expected_status=302
    )
    response = client.post(
        "/adult/complaint/parental-responsibility", {"has_parental_responsibility": "no"}, expected_status=302
    )
    assert response.headers["Location"].endswith("/adult/complaint/service")


def test_compliment_without_contact_details_shows_a_tracking_code_once(client, db):
    walk(client, "young-person/compliment")
    client.post("/young-person/compliment/check-your-answers", {}, expected_status=302)
    first = client.page("/young-person/compliment/sent")
    code = first.select_one("p.app-reference")
    assert code is not None and len(code.text.strip()) == 11
    again = client.page("/young-person/compliment/sent")
    assert again.select_one("p.app-reference") is None
    s = db.session.scalar(sa.select(Submission))
    assert s.compliment.consent_pass_on and s.compliment.consent_anonymous_use and s.person_id is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_advocacy_referral_records_the_request(client, db):
    walk(client, "adult/advocacy")
    client.post("/adult/advocacy/check-your-answers", {}, expected_status=302)
    request = db.session.scalar(sa.select(AdvocacyRequest))
    assert request.for_self is False and request.young_person_agrees == "yes" and request.young_person_age == 15
    assert request.help_with == ["Child protection conference"] and request.situation.value == "child_protection"
    assert request.submission.child.full_name == "Riley Brown"
    assert request.submission.safe_contact_notes == "Through school, not at home."
    page = client.page("/adult/advocacy/sent")
    assert "advocacy service will get in touch by" in normalise(page.text)


def test_double_submit_creates_one_record(client, db):
    walk(client, "adult/complaint")
    csrf = client.last_csrf
    first = client.post("/adult/complaint/check-your-answers", {"csrf_token": csrf}, expected_status=302)
    second = client.post("/adult/complaint/check-your-answers", {"csrf_token": csrf}, expected_status=302)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_resubmitting_from_a_new_browser_tab_with_the_same_draft_is_idempotent(app, client, db):
    walk(client, "adult/compliment")
    cookie = client.client.get_cookie("portal_drafts").value
    client.post("/adult/compliment/check-your-answers", {}, expected_status=302)
    other = PortalClient(app)
    other.client.set_cookie("portal_drafts", cookie)
    start = other.page("/")  # a fresh session: the submitted draft is not offered again
    assert "Continue where you left off" not in start.text
    response = other.get("/adult/compliment/check-your-answers", expected_status=302)
    assert response.headers["Location"].endswith("/adult/compliment/sent")
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/young-person/complaint/about", {}, "Pick what it is about"),
        ("/young-person/complaint/what-happened", {"what_happened": "   "}, "Tell us what happened"),
        ("/young-person/complaint/what-happened", {"what_happened": "x" * 5001}, "5,000 characters or fewer"),
        ("/young-person/complaint/about", {"about": ["not-a-choice"]}, "Select from the list"),
        ("/adult/complaint/who-you-are", {"person_type": "dragon"}, "Select from the list"),
        ("/adult/complaint/who-you-are", {}, "Select who you are"),
        ("/young-person/complaint/name", {"full_name": "J" * 201}, "must be 200 characters or fewer"),
    ],
)
def test_validation_errors_use_the_error_summary(client, db, url, data, message):
    journey, step = url[1:].rsplit("/", 1)
    walk(client, journey, stop_before=step)
    response = client.post(url, data, form_url=url)
    assert response.status_code == 200
    page = response.page
    assert page.title.text.startswith("Error: ")
    assert message in page.select_one(".govuk-error-summary").text
    assert message in page.select_one(".govuk-error-message").text


def test_every_page_error_state(client, db):
    """Submit each required page empty and check the GOV.UK error pattern."""
    from portal.domain.journeys import JOURNEYS

    checked = 0
    for key, answers in JOURNEY_ANSWERS.items():
        response = client.get(f"/{key}", expected_status=302)
        location = response.headers["Location"]
        for step, data in answers:
            blank = {
                k: ([] if isinstance(v, list) and not k.endswith(("date_of_birth", "arose_on")) else "")
                for k, v in data.items()
            }
            response = client.post(location, blank, form_url=location)
            if response.status_code == 200:
                assert response.page.title.text.startswith("Error: "), (key, step)
                checked += 1
            response = client.post(location, resolve(data), form_url=location, expected_status=302)
            location = response.headers["Location"]
        assert JOURNEYS[key]
    assert checked >= 25


def test_dates_are_validated(client, db):
    client.get("/adult/complaint/who-you-are")
    client.post("/adult/complaint/who-you-are", {"person_type": "parent"}, expected_status=302)
    response = client.post("/adult/complaint/child", {"child_name": "A", "child_date_of_birth": ["31", "2", "2015"]})
    assert "Date of birth must be a real date" in response.page.select_one(".govuk-error-summary").text
    response = client.post("/adult/complaint/child", {"child_name": "A", "child_date_of_birth": ["", "2", "2015"]})
    assert "must include a day, month and year" in response.page.text
    response = client.post("/adult/complaint/child", {"child_name": "A", "child_date_of_birth": ["1", "2", "2030"]})
    assert "must be in the past" in response.page.text


def test_contact_details_needed_for_the_ways_chosen(client, db):
    walk(client, "young-person/complaint", stop_before="contact")
    client.post(
        "/young-person/complaint/contact",
        {"contact_methods": ["email", "none"]},
        form_url="/young-person/complaint/contact",
    )
    response = client.post("/young-person/complaint/contact", {"contact_methods": ["email"]}, expected_status=302)
    page = client.page(response.headers["Location"])
    assert page.find(id="email") and not page.find(id="phone")
    response = client.post("/young-person/complaint/contact-details", {"email": "not an email"})
    assert "name@example.com" in response.page.select_one(".govuk-error-summary").text


def test_free_text_is_escaped_on_check_your_answers(client, db):
    page = walk(client, "young-person/complaint")
    html = str(page)
    assert "&lt;changed&gt;" in html and "<changed>" not in html


def test_change_link_returns_to_check_answers(client, db):
    walk(client, "adult/complaint")
    client.get("/adult/complaint/court?change=1")
    response = client.post("/adult/complaint/court?change=1", {"court_proceedings": "yes"}, expected_status=302)
    assert response.headers["Location"].endswith("/adult/complaint/check-your-answers")
    page = client.page("/adult/complaint/check-your-answers")
    assert "Yes" in normalise(page.text)


def test_change_that_opens_a_new_question_asks_it_first(client, db):
    walk(client, "young-person/advocacy")
    response = client.post(
        "/young-person/advocacy/safe?change=1",
        {"safe": "not_sure"},
        form_url="/young-person/advocacy/safe?change=1",
        expected_status=302,
    )
    assert response.headers["Location"].endswith("/young-person/advocacy/unsafe?change=1")
    response = client.post(
        "/young-person/advocacy/unsafe?change=1",
        {},
        form_url="/young-person/advocacy/unsafe?change=1",
        expected_status=302,
    )
    assert response.headers["Location"].endswith("/young-person/advocacy/check-your-answers")


def test_skipping_ahead_goes_back_to_the_first_unanswered_page(client):
    response = client.get("/adult/complaint/court", expected_status=302)
    assert response.headers["Location"].endswith("/adult/complaint/who-you-are")


def test_draft_survives_a_new_session_and_the_start_page_offers_it(app, client, db):
    walk(client, "adult/complaint", stop_before="court")
    cookie = client.client.get_cookie("portal_drafts")
    assert cookie is not None
    fresh = PortalClient(app)  # a new browser session: only the long-lived cookie survives
    fresh.client.set_cookie("portal_drafts", cookie.value)
    start = fresh.page("/")
    link = start.find("a", string=lambda s: s and "Continue: Make a complaint" in s)
    assert link is not None
    response = fresh.get(link["href"], expected_status=302)
    assert response.headers["Location"].endswith("/adult/complaint/court")
    page = fresh.page("/adult/complaint/what-happened")
    assert "cancelled three times" in page.select_one("textarea").text


def test_refresh_and_back_keep_answers(client, db):
    walk(client, "young-person/complaint", stop_before="make-it-better")
    page = client.page("/young-person/complaint/what-happened")
    assert "My carer reads my messages." in page.select_one("textarea").text
    assert page.select_one(".govuk-back-link")["href"].endswith("/young-person/complaint/about")


def test_discarding_a_draft_deletes_it(client, db):
    walk(client, "adult/compliment", stop_before="share")
    assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 1
    client.page("/adult/compliment/delete-answers")
    client.post("/adult/compliment/delete-answers", {}, expected_status=302)
    assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 0
    assert "We have deleted what you typed" in client.page("/").text


def test_expired_drafts_are_not_used_and_are_purged(app, client, db, runner):
    walk(client, "adult/compliment", stop_before="share")
    with time_machine.travel(NOW + app.config["DRAFT_LIFETIME"] + timedelta(minutes=1), tick=False):
        response = client.get("/adult/compliment", expected_status=302)
        assert response.headers["Location"].endswith("/adult/compliment/who")
        result = runner.invoke(args=["purge-drafts"])
    assert result.exit_code == 0 and "Deleted 1 expired drafts" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 0


def test_purge_keeps_live_drafts(client, db, runner):
    walk(client, "adult/compliment", stop_before="share")
    result = runner.invoke(args=["purge-drafts"])
    assert result.exit_code == 0 and "Deleted 0 expired drafts" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 1


def test_honeypot_filled_is_refused(client, db):
    client.get("/young-person/complaint/about")
    response = client.post(
        "/young-person/complaint/about", {"about": ["money"], "contact_me_by_fax_only": "http://spam"}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 0


def test_honeypot_is_hidden_and_labelled(client):
    page = client.page("/young-person/complaint/about")
    trap = page.find(id="contact_me_by_fax_only")
    wrapper = trap.find_parent("div")
    assert wrapper.has_attr("hidden") and wrapper["aria-hidden"] == "true"
    assert page.find("label", attrs={"for": "contact_me_by_fax_only"})


def test_young_person_pages_have_help_and_exit(client):
    page = client.page("/young-person/advocacy/help-with")
    assert page.select_one(".govuk-exit-this-page") and "Childline" in page.text
    assert page.select_one(".app-young-person")


def test_teams_come_from_the_database(client, db):
    from tests.factories import make_team

    make_team("Children in Care North")
    walk(client, "adult/complaint", stop_before="service")
    page = client.page("/adult/complaint/service")
    options = [o.text for o in page.select("select option")]
    assert options[0] == "I do not know" and "Children in Care North" in options


def test_start_page_offers_every_journey_and_tracking(client):
    page = client.page("/")
    hrefs = {a["href"] for a in page.select("main a")}
    for key in JOURNEY_ANSWERS:
        assert f"/{key}" in hrefs
    assert "/track" in hrefs
