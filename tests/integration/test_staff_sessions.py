"""Issue 11, findings 1 and 2: staff sessions live on the server, so sign-out, a password change, a role change and
deactivation end them at once (a copied cookie opens nothing afterwards); a session is bound to its account; and a
GET never changes the session, so no link from another site can sign staff out."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from flask import request_started

from portal import session_store
from portal.domain.enums import Role
from portal.models import StaffUser
from portal.services import users
from portal.services.users import create_user
from tests.conftest import _fresh_request_globals
from tests.factories import make_staff_user, make_submission
from tests.helpers import PortalClient

PASSWORD = "lantern orchard violet 58"
COOKIE = "portal_session"


def _manager(email: str = "manager@example.gov.uk") -> tuple[StaffUser, str]:
    secret = pyotp.random_base32()
    user = create_user(
        email=email, full_name="Mona Manager", role=Role.COMPLAINTS_MANAGER, password=PASSWORD, totp_secret=secret
    )
    return user, secret


def _sign_in(app, email: str, secret: str) -> PortalClient:  # type: ignore[no-untyped-def]
    """The real journey: password, then a security code (each code once, so step the clock past the last)."""
    client = PortalClient(app)
    client.post(
        "/staff/sign-in", {"email": email, "password": PASSWORD}, form_url="/staff/sign-in", expected_status=302
    )
    code = pyotp.TOTP(secret).now()
    client.post(
        "/staff/sign-in/security-code", {"code": code}, form_url="/staff/sign-in/security-code", expected_status=302
    )
    client.get("/staff/")
    return client


def _copy(app, client: PortalClient) -> PortalClient:  # type: ignore[no-untyped-def]
    """Another browser, anywhere, holding a copy of the session cookie."""
    cookie = client.client.get_cookie(COOKIE)
    assert cookie is not None
    thief = PortalClient(app)
    thief.client.set_cookie(COOKIE, cookie.value, domain="localhost")
    return thief


def test_a_copied_cookie_opens_nothing_after_sign_out(app, db):
    user, secret = _manager()
    case = make_submission()
    client = _sign_in(app, user.email, secret)
    thief = _copy(app, client)
    thief.get(f"/staff/cases/{case.id}", expected_status=200)  # the copy works while the session lives

    client.post("/staff/sign-out", {}, form_url="/staff/sign-out", expected_status=302)

    response = thief.get(f"/staff/cases/{case.id}", expected_status=302)
    assert "/staff/sign-in" in response.headers["Location"]
    client.get(f"/staff/cases/{case.id}", expected_status=302)
    assert session_store.count(user.id) == 0


def test_a_signed_cookie_without_a_live_server_side_session_opens_nothing(app, db):
    """What the cookie alone used to be enough for: a forged or leftover signed session with no server record."""
    user = make_staff_user(Role.COMPLAINTS_MANAGER)
    client = PortalClient(app)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["staff_2fa"] = True
        session["staff_sid"] = "made-up-token"
    client.get("/staff/", expected_status=302)


def test_a_session_is_bound_to_its_account(app, db, staff_client):
    victim = make_staff_user(Role.COMPLAINTS_MANAGER)
    attacker = staff_client(Role.REPORT_VIEWER)
    with attacker.session_transaction() as session:
        session["_user_id"] = victim.get_id()  # the attacker's live session id, claiming someone else's account
    attacker.get("/staff/", expected_status=302)


def test_a_password_change_ends_every_session_at_once(app, db):
    user, secret = _manager()
    client = _sign_in(app, user.email, secret)
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
        other = _sign_in(app, user.email, secret)
    thief = _copy(app, client)
    assert session_store.count(user.id) == 2
    new = "quiet meadow copper 913"
    client.post(
        "/staff/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        form_url="/staff/account/password",
        expected_status=302,
    )
    for browser in (client, other, thief):
        browser.get("/staff/", expected_status=302)
    assert session_store.count(user.id) == 0


@pytest.mark.parametrize("change", ["role", "deactivate", "sign_out_everywhere"])
def test_role_change_deactivation_and_sign_out_everywhere_end_the_session_at_once(app, db, staff_client, change):
    admin = make_staff_user(Role.ADMINISTRATOR)
    client = staff_client(Role.COMPLAINTS_OFFICER)
    thief = _copy(app, client)
    thief.get("/staff/", expected_status=200)
    user = client.user
    if change == "role":
        users.update_user(
            user, full_name=user.full_name, job_title=None, role=Role.ADVOCATE, teams=[], actor_id=admin.id
        )
    elif change == "deactivate":
        users.set_active(user, active=False, actor_id=admin.id)
    else:
        client.post("/staff/account/sign-out-everywhere", {}, form_url="/staff/account/sign-out-everywhere")
    thief.get("/staff/", expected_status=302)
    client.get("/staff/", expected_status=302)


def test_a_busy_session_still_ends_at_the_absolute_limit(app, db, staff_client):
    client = staff_client(Role.COMPLAINTS_OFFICER)
    lifetime = app.config["STAFF_SESSION_LIFETIME"]
    now = datetime.now(UTC)
    step = timedelta(minutes=20)  # a request every 20 minutes all day: never idle
    for i in range(1, int(lifetime / step)):
        with time_machine.travel(now + step * i):
            client.get("/staff/", expected_status=200)
    with time_machine.travel(now + lifetime + timedelta(minutes=1)):
        response = client.get("/staff/", expected_status=302)
    assert "/staff/sign-in" in response.headers["Location"]


def test_an_idle_session_is_ended_on_the_server(app, db, staff_client):
    client = staff_client(Role.COMPLAINTS_OFFICER)
    user_id = client.user.id
    with time_machine.travel(datetime.now(UTC) + app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=1)):
        client.get("/staff/", expected_status=302)
    assert session_store.count(user_id) == 0
    client.get("/staff/", expected_status=302)  # back in the present, the session is gone for good


def test_an_expired_session_says_why(app, db, staff_client):
    client = staff_client(Role.COMPLAINTS_OFFICER)
    with time_machine.travel(datetime.now(UTC) + app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=1)):
        client.get("/staff/", expected_status=302)
        page = client.page("/staff/sign-in")
    assert "You were signed out to keep information safe" in page.text


def _session_state(client: PortalClient) -> dict:
    with client.session_transaction() as session:
        return {k: v for k, v in session.items() if k not in {"csrf_token", "_flashes"}}


GET_PAGES = [
    "/staff/sign-in",
    "/staff/sign-in/security-code",
    "/staff/sign-in/set-up-two-factor",
    "/staff/sign-out",
    "/staff/account/sign-out-everywhere",
    "/staff/password/forgotten",
    "/staff/password/check-your-email",
    "/staff/password/reset/not-a-real-token",
    "/staff/cases",
]


@pytest.mark.parametrize("url", GET_PAGES)
def test_a_get_never_changes_a_signed_in_session(app, db, url):
    user, secret = _manager()
    client = _sign_in(app, user.email, secret)
    before = _session_state(client)
    client.client.get(url)
    assert _session_state(client) == before
    client.get("/staff/", expected_status=200)


def test_a_get_of_the_security_code_page_does_not_cancel_a_sign_in_in_progress(app, db):
    user, secret = _manager()
    client = PortalClient(app)
    client.post(
        "/staff/sign-in", {"email": user.email, "password": PASSWORD}, form_url="/staff/sign-in", expected_status=302
    )
    before = _session_state(client)
    for url in ("/staff/cases", "/staff/sign-in/set-up-two-factor", "/staff/sign-out"):
        client.client.get(url)
    assert _session_state(client) == before
    client.post(
        "/staff/sign-in/security-code",
        {"code": pyotp.TOTP(secret).now()},
        form_url="/staff/sign-in/security-code",
        expected_status=302,
    )
    client.get("/staff/", expected_status=200)


def test_staff_pages_do_not_rewrite_the_cookie_on_every_request(app, db, staff_client):
    """The last-seen time lives on the server: an idle page load sends no new cookie to keep a copy alive."""
    client = staff_client(Role.COMPLAINTS_OFFICER)
    client.get("/staff/")
    response = client.client.get("/staff/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture
def redis_app(database_url):
    """The same app with staff sessions in Redis (its own key prefix, removed afterwards)."""
    import redis

    from portal import create_app
    from portal.config import TestConfig

    prefix = f"test-{uuid.uuid4().hex}:"
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        SERVER_NAME=None,
        STAFF_SESSION_STORE=REDIS_URL,
        STAFF_SESSION_KEY_PREFIX=prefix,
    )
    request_started.connect(_fresh_request_globals, app)
    yield app
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_sessions_kept_in_redis_end_at_sign_out_and_at_a_password_change(redis_app, db):
    user, secret = _manager()
    case = make_submission()
    with redis_app.app_context():
        client = _sign_in(redis_app, user.email, secret)
        thief = _copy(redis_app, client)
        thief.get(f"/staff/cases/{case.id}", expected_status=200)
        assert session_store.count(user.id) == 1
        client.post("/staff/sign-out", {}, form_url="/staff/sign-out", expected_status=302)
        thief.get(f"/staff/cases/{case.id}", expected_status=302)
        with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
            first = _sign_in(redis_app, user.email, secret)
        with time_machine.travel(datetime.now(UTC) + timedelta(seconds=62)):
            second = _sign_in(redis_app, user.email, secret)
        assert session_store.count(user.id) == 2
        session_store.end_all(user.id)
        first.get("/staff/", expected_status=302)
        second.get("/staff/", expected_status=302)
        assert session_store.count(user.id) == 0


def test_redis_sessions_time_out_when_idle(redis_app, db):
    user, secret = _manager()
    with redis_app.app_context():
        client = _sign_in(redis_app, user.email, secret)
        with time_machine.travel(datetime.now(UTC) + redis_app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=1)):
            client.get("/staff/", expected_status=302)
        assert session_store.count(user.id) == 0
