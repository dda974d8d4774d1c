"""Tracking by reference: second factor, no enumeration, plain-words status, actions, rate limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from portal.domain.enums import Audience, Procedure, Role, SubmissionKind, SubmissionStatus
from portal.domain.references import generate_reference
from portal.models import AuditEvent, CaseNote, StageRecord
from portal.services import lifecycle
from portal.services.submissions import NewSubmission, create_submission
from tests.factories import make_staff_user, make_team
from tests.helpers import PortalClient, normalise

NOW = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)
GENERIC = "We could not find a match"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _complaint(**kw):
    data = NewSubmission(
        kind=SubmissionKind.COMPLAINT,
        audience=kw.pop("audience", Audience.ADULT),
        full_name="Sam Carer",
        email=kw.pop("email", "sam@example.com"),
        phone=kw.pop("phone", "07700 900123"),
        what_happened="The review was cancelled.",
        **kw,
    )
    return create_submission(data)


def _track(client, reference, check):
    return client.post("/track", {"reference": reference, "check": check}, form_url="/track")


@pytest.mark.parametrize("check", ["sam@example.com", " SAM@Example.com ", "+44 7700 900123", "07700900123"])
def test_tracking_with_the_email_or_phone_given(client, db, check):
    s = _complaint().submission
    response = _track(client, s.reference.lower().replace("-", ""), check)
    assert response.status_code == 302 and response.headers["Location"].endswith("/track/status")
    page = client.page("/track/status")
    text = normalise(page.text)
    assert page.h1.text.strip() == "Received"
    assert "18 November 2026" in text and "Monday 23 November 2026" in text
    assert "The complaints team" in text


def test_tracking_with_the_one_time_code(client, db):
    result = _complaint(email=None, phone=None)
    response = _track(client, result.submission.reference, result.tracking_code.lower().replace("-", " "))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("reference", "check"),
    [("right", "wrong@example.com"), ("other", "sam@example.com"), ("right", "07700 900124"), ("right", "ABCDE-FGHJK")],
    ids=["wrong-email", "unknown-reference", "wrong-phone", "wrong-code"],
)
def test_any_mismatch_gives_the_same_message(client, db, reference, check):
    s = _complaint().submission
    ref = s.reference if reference == "right" else generate_reference()
    response = _track(client, ref, check)
    assert response.status_code == 200
    page = response.page
    assert page.title.text.startswith("Error: ")
    assert GENERIC in page.select_one(".govuk-error-summary").text
    assert "sam@example.com" not in response.get_data(as_text=True) or check == "sam@example.com"
    assert client.get("/track/status", expected_status=302).headers["Location"].endswith("/track")


def test_a_short_number_cannot_match_a_phone(client, db):
    s = _complaint(phone="123").submission
    assert _track(client, s.reference, "123").status_code == 200


def test_badly_typed_reference_and_empty_fields(client, db):
    page = _track(client, "", "").page
    summary = page.select_one(".govuk-error-summary").text
    assert "Enter your reference" in summary and "Enter your email address, phone number or tracking code" in summary
    page = _track(client, "7KQ-M9T-X4A", "a@b.com").page  # wrong check character
    assert "like 7KQ-M9T-X4R" in page.select_one(".govuk-error-summary").text


def test_tracking_session_lasts_thirty_minutes(client, db):
    s = _complaint().submission
    _track(client, s.reference, "sam@example.com")
    with time_machine.travel(NOW + timedelta(minutes=29), tick=False):
        client.get("/track/status")
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        client.get("/track/status", expected_status=302)


def test_who_is_looking_shows_role_and_team_not_name(app, client, db):
    team = make_team("Children in Care North")
    manager = make_staff_user(Role.RESPONDING_MANAGER, teams=[team], full_name="Jane Private")
    s = _complaint().submission
    s.team_id, s.responding_manager_id = team.id, manager.id
    lifecycle.open_first_stage(s, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 18))
    _track(client, s.reference, "sam@example.com")
    text = normalise(client.page("/track/status").text)
    assert "Being looked at" in text and "A responding manager in the Children in Care North team" in text
    assert "Jane Private" not in text and "Wednesday 2 December 2026" in text
    app.config["SHOW_RESPONDER_NAME_PUBLICLY"] = True
    try:
        assert "Jane Private" in client.page("/track/status").text
    finally:
        app.config["SHOW_RESPONDER_NAME_PUBLICLY"] = False


def test_extension_and_response_and_next_stage(client, db):
    s = _complaint().submission
    stage = lifecycle.open_first_stage(
        s, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 18)
    )
    lifecycle.extend(
        stage,
        new_due_on=date(2026, 12, 16),
        reason="We need to speak to the school first.",
        authorised_by="Complaints manager",
        actor_id=None,
        today=date(2026, 11, 18),
    )
    _track(client, s.reference, "sam@example.com")
    text = normalise(client.page("/track/status").text)
    assert "We needed more time" in text and "We need to speak to the school first." in text
    lifecycle.record_response(
        stage,
        responded_on=date(2026, 11, 18),
        finding="partially_upheld",
        summary="Sorry.",
        actor_id=None,
        today=date(2026, 11, 18),
    )
    page = client.page("/track/status")
    text = normalise(page.text)
    assert page.h1.text.strip() == "Responded" and "Partially upheld" in text and "Ask for Stage 2" in text
    client.page("/track/next-stage")
    response = client.post("/track/next-stage", {"reason": ""})
    assert "Enter why you are not happy" in response.page.select_one(".govuk-error-summary").text
    client.post("/track/next-stage", {"reason": "The response did not answer my main point."}, expected_status=302)
    db.session.expire_all()
    stages = db.session.scalars(sa.select(StageRecord).order_by(StageRecord.id)).all()
    assert [st.stage.value for st in stages] == ["stage1", "stage2"] and stages[1].status == "requested"
    note = db.session.scalar(sa.select(CaseNote).where(CaseNote.from_public.is_(True)))
    assert "main point" in note.body


def test_next_stage_is_not_offered_after_the_window(client, db):
    s = _complaint().submission
    stage = lifecycle.open_first_stage(
        s, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=date(2026, 11, 18)
    )
    lifecycle.record_response(
        stage,
        responded_on=date(2026, 11, 18),
        finding="not_upheld",
        summary=None,
        actor_id=None,
        today=date(2026, 11, 18),
    )
    with time_machine.travel(datetime(2027, 2, 1, 10, tzinfo=UTC), tick=False):
        _track(client, s.reference, "sam@example.com")
        assert "Ask for Stage 2" not in client.page("/track/status").text
        client.get("/track/next-stage", expected_status=302)


def test_add_information(client, db):
    s = _complaint().submission
    _track(client, s.reference, "sam@example.com")
    client.page("/track/add-information")
    response = client.post("/track/add-information", {"information": ""})
    assert "Enter what you would like to add" in response.page.select_one(".govuk-error-summary").text
    client.post(
        "/track/add-information", {"information": "Here is the <b>letter</b> date: 3 May."}, expected_status=302
    )
    page = client.page("/track/status")
    assert "We have added what you told us" in page.text
    note = db.session.scalar(sa.select(CaseNote))
    assert note.from_public and note.body == "Here is the <b>letter</b> date: 3 May." and note.author_id is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "case_note.added_by_public"))
    assert event.actor_label == "public" and event.submission_id == s.id


def test_withdraw_a_new_complaint(client, db):
    s = _complaint().submission
    _track(client, s.reference, "sam@example.com")
    client.page("/track/withdraw")
    response = client.post("/track/withdraw", {"reason": ""})
    assert "Select yes if you want to withdraw" in response.page.text
    client.post(
        "/track/withdraw", {"reason": "Sorted out with my social worker.", "confirm": "yes"}, expected_status=302
    )
    db.session.expire_all()
    assert s.status == SubmissionStatus.WITHDRAWN and s.withdrawn_reason == "Sorted out with my social worker."
    page = client.page("/track/status")
    assert page.h1.text.strip() == "Withdrawn" and "Withdraw your complaint" not in page.text


def test_young_person_status_reminds_them_about_advocates(client, db):
    s = _complaint(audience=Audience.YOUNG_PERSON).submission
    _track(client, s.reference, "sam@example.com")
    page = client.page("/track/status")
    assert "advocate" in page.text and page.select_one(".govuk-exit-this-page")


def test_actions_need_a_tracking_session(client):
    for url in ("/track/status", "/track/add-information", "/track/withdraw", "/track/next-stage"):
        assert client.get(url, expected_status=302).headers["Location"].endswith("/track")


@pytest.fixture
def limited_app(database_url):
    """A second app with rate limits on (memory storage); the shared limiter is put back afterwards."""
    from portal import create_app
    from portal.config import TestConfig
    from portal.extensions import limiter

    before = limiter.enabled
    other = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_TRACK="3 per minute",
        RATELIMIT_PUBLIC_SUBMIT="2 per minute",
    )
    limiter.reset()
    yield other
    limiter.reset()
    limiter.enabled = before


def test_tracking_is_rate_limited(limited_app, db):
    client = PortalClient(limited_app)
    with limited_app.app_context():
        statuses = [_track(client, generate_reference(), f"guess{i}@example.com").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_submitting_is_rate_limited(limited_app, db):
    client = PortalClient(limited_app)
    with limited_app.app_context():
        statuses = [
            client.post("/adult/complaint/check-your-answers", {}, form_url="/track").status_code for _ in range(3)
        ]
    assert statuses == [302, 302, 429]


def test_advocacy_request_status_names_the_advocacy_service(client, db):
    result = create_submission(
        NewSubmission(
            kind=SubmissionKind.ADVOCACY,
            audience=Audience.YOUNG_PERSON,
            full_name="Kai",
            email="kai@example.com",
            help_with=["A meeting or review"],
        )
    )
    _track(client, result.submission.reference, "kai@example.com")
    page = client.page("/track/status")
    text = normalise(page.text)
    assert page.h1.text.strip() == "Finding an advocate" and "The advocacy service" in text
    assert "complaints team" not in text and "Withdraw" not in text
