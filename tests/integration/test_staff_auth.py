"""Sign-in with password and TOTP (enrolment, replay, recovery codes), lockout, password reset and sign-out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import sqlalchemy as sa
import time_machine

from portal.domain.enums import Role
from portal.models import AuditEvent, OutboxMessage, StaffUser
from portal.services.users import create_user
from tests.helpers import PortalClient

PASSWORD = "lantern orchard violet 58"


def _user(secret: str | None = None, role: Role = Role.COMPLAINTS_OFFICER) -> StaffUser:
    return create_user(
        email="officer@example.gov.uk", full_name="Olive Officer", role=role, password=PASSWORD, totp_secret=secret
    )


def _password_step(client: PortalClient, password: str = PASSWORD, email: str = "officer@example.gov.uk"):
    return client.post("/staff/sign-in", {"email": email, "password": password}, form_url="/staff/sign-in")


def _actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_anonymous_staff_page_redirects_to_sign_in(client):
    response = client.get("/staff/cases", expected_status=302)
    assert "/staff/sign-in" in response.headers["Location"]


def test_first_sign_in_enrols_with_qr_code_then_shows_recovery_codes(client, db):
    user = _user()
    response = _password_step(client)
    assert response.headers["Location"].endswith("/staff/sign-in/set-up-two-factor")
    page = client.page("/staff/sign-in/set-up-two-factor")
    img = page.find("img", class_="app-qr-code")
    assert img["src"].startswith("data:image/svg+xml") and "QR code" in img["alt"]
    db.session.refresh(user)
    assert user.totp_secret and user.totp_enabled_at is None
    shown_key = page.find(id="setup-key").text.replace(" ", "")
    assert shown_key == user.totp_secret
    wrong = client.post("/staff/sign-in/set-up-two-factor", {"code": "000000"})
    assert "Enter a correct security code" in wrong.get_data(as_text=True)
    done = client.post("/staff/sign-in/set-up-two-factor", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert done.status_code == 200
    codes = [c.text for c in done.page.select(".app-recovery-codes code")]
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes)
    db.session.refresh(user)
    assert user.totp_enabled_at is not None
    assert all(code.replace("-", "") not in r.code_hash for r in user.recovery_codes for code in codes)
    client.get("/staff/")
    assert "auth.signed_in" in _actions(db)


def test_sign_in_with_totp_and_no_replay(client, db, app):
    secret = pyotp.random_base32()
    _user(secret)
    response = _password_step(client)
    assert response.headers["Location"].endswith("/staff/sign-in/security-code")
    code = pyotp.TOTP(secret).now()
    ok = client.post(
        "/staff/sign-in/security-code", {"code": code}, expected_status=302, form_url="/staff/sign-in/security-code"
    )
    assert ok.headers["Location"].endswith("/staff/")
    client.get("/staff/")
    # The same code cannot be used again in another session.
    other = PortalClient(app)
    _password_step(other)
    replay = other.post("/staff/sign-in/security-code", {"code": code}, form_url="/staff/sign-in/security-code")
    assert replay.status_code == 200 and "Enter a correct security code" in replay.get_data(as_text=True)


def test_recovery_code_works_once(client, db, app):
    user = _user()
    _password_step(client)
    client.get("/staff/sign-in/set-up-two-factor")
    db.session.refresh(user)
    page = client.post("/staff/sign-in/set-up-two-factor", {"code": pyotp.TOTP(user.totp_secret).now()}).page
    code = page.select(".app-recovery-codes code")[0].text
    first = PortalClient(app)
    _password_step(first)
    assert first.post(
        "/staff/sign-in/security-code",
        {"code": code.lower()},
        expected_status=302,
        form_url="/staff/sign-in/security-code",
    )
    second = PortalClient(app)
    _password_step(second)
    again = second.post("/staff/sign-in/security-code", {"code": code}, form_url="/staff/sign-in/security-code")
    assert again.status_code == 200 and "Enter a correct security code" in again.get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client, db):
    _user(pyotp.random_base32())
    wrong = _password_step(client, password="not the password at all")
    unknown = _password_step(client, email="nobody@example.gov.uk")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
        assert response.page.title.text.startswith("Error: Sign in")
    failed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")).all()
    assert len(failed) == 2
    assert all("not the password" not in str(e.after) for e in failed)


def test_lockout_after_threshold_grows_and_blocks_even_the_right_password(client, db, app):
    user = _user(pyotp.random_base32())
    threshold = app.config["SIGN_IN_LOCKOUT_THRESHOLD"]
    for _ in range(threshold):
        _password_step(client, password="wrong wrong wrong 1")
    db.session.refresh(user)
    first_lock = user.locked_until
    assert first_lock is not None and first_lock > datetime.now(UTC)
    blocked = _password_step(client)
    assert "Enter a correct email address and password" in blocked.get_data(as_text=True)
    with time_machine.travel(first_lock + timedelta(seconds=1)):
        _password_step(client, password="wrong wrong wrong 2")
        db.session.refresh(user)
        assert user.locked_until - datetime.now(UTC) > timedelta(minutes=1, seconds=30)  # doubled back-off


def test_password_reset_link_works_once_and_response_is_the_same_for_unknown_email(client, db):
    _user(pyotp.random_base32())
    unknown = client.post("/staff/password/forgotten", {"email": "nobody@example.gov.uk"}, expected_status=302)
    known = client.post("/staff/password/forgotten", {"email": "officer@example.gov.uk"}, expected_status=302)
    assert unknown.headers["Location"] == known.headers["Location"]
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [m.recipient for m in messages] == ["officer@example.gov.uk"]
    link = re.search(r"http://\S+/staff/password/reset/\S+", messages[0].body).group(0)
    path = link.split("localhost", 1)[-1]
    client.get(path)
    weak = client.post(path, {"new_password": "password1234", "confirm_password": "password1234"})
    assert "too common" in weak.get_data(as_text=True)
    new = "quiet meadow copper 913"
    done = client.post(path, {"new_password": new, "confirm_password": new}, expected_status=302)
    assert done.headers["Location"].endswith("/staff/sign-in")
    client.get(path, expected_status=410)
    assert _password_step(client, password=new).status_code == 302


def test_sign_out_needs_post_and_sign_out_everywhere_ends_other_sessions(staff_client, app, db):
    first = staff_client(Role.COMPLAINTS_OFFICER)
    second = PortalClient(app)
    from tests.helpers import sign_in_as

    sign_in_as(second, first.user)
    first.get("/staff/sign-out")
    first.get("/staff/", expected_status=200)  # GET shows a confirmation only
    first.get("/staff/account/sign-out-everywhere")
    first.post("/staff/account/sign-out-everywhere", {}, expected_status=302)
    second.get("/staff/", expected_status=302)
    first.get("/staff/", expected_status=302)
    assert "auth.signed_out_everywhere" in _actions(db)


def test_sign_out(staff_client, db):
    c = staff_client(Role.REPORT_VIEWER)
    c.post("/staff/sign-out", {}, form_url="/staff/sign-out", expected_status=302)
    c.get("/staff/", expected_status=302)
    assert "auth.signed_out" in _actions(db)


def test_idle_timeout_signs_out(staff_client):
    c = staff_client(Role.COMPLAINTS_OFFICER)
    c.get("/staff/")
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31)):
        response = c.get("/staff/", expected_status=302)
    assert "/staff/sign-in" in response.headers["Location"]


def test_change_password_requires_current_and_signs_out(staff_client, db):
    c = staff_client(Role.COMPLAINTS_OFFICER)
    bad = c.post(
        "/staff/account/password",
        {
            "current_password": "nope",
            "new_password": "quiet meadow copper 913",
            "confirm_password": "quiet meadow copper 913",
        },
    )
    assert "Enter your current password correctly" in bad.get_data(as_text=True)
    from tests.factories import TEST_PASSWORD

    ok = c.post(
        "/staff/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": "quiet meadow copper 913",
            "confirm_password": "quiet meadow copper 913",
        },
        expected_status=302,
    )
    assert ok.headers["Location"].endswith("/staff/sign-in")
    assert "user.password_changed" in _actions(db)
    c.get("/staff/", expected_status=302)


def test_account_pages_and_new_recovery_codes(staff_client):
    c = staff_client(Role.ADVOCATE)
    page = c.page("/staff/account")
    assert "Advocate" in page.text
    codes = c.post("/staff/account/recovery-codes", {}, form_url="/staff/account/recovery-codes")
    assert len(codes.page.select(".app-recovery-codes code")) == 10


def test_csrf_is_required_on_sign_in(client, db):
    _user(pyotp.random_base32())
    response = client.client.post("/staff/sign-in", data={"email": "officer@example.gov.uk", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_in_posts_are_rate_limited(app, db, database_url):
    """A separate app with rate limits on (the test config turns them off); the limit comes from the setting."""
    from portal import create_app
    from portal.config import TestConfig
    from portal.extensions import limiter

    limited = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        SERVER_NAME=None,
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGN_IN="3 per minute",
    )
    try:
        client = PortalClient(limited)
        statuses = []
        with limited.app_context():
            for _ in range(4):
                statuses.append(
                    client.post(
                        "/staff/sign-in",
                        {"email": "x@example.gov.uk", "password": "wrong wrong wrong"},
                        form_url="/staff/sign-in",
                    ).status_code
                )
            page_loads = client.client.get("/staff/sign-in").status_code
    finally:
        limiter.enabled = False
    assert statuses == [200, 200, 200, 429]
    assert page_loads == 200  # only the POSTs are limited


def test_session_is_renewed_at_sign_in_and_next_page_is_kept(client, db):
    secret = pyotp.random_base32()
    _user(secret)
    client.get("/staff/cases", expected_status=302)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post(
        "/staff/sign-in?next=/staff/cases",
        {"email": "officer@example.gov.uk", "password": PASSWORD},
        form_url="/staff/sign-in?next=/staff/cases",
        expected_status=302,
    )
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" not in session
    done = client.post(
        "/staff/sign-in/security-code",
        {"code": pyotp.TOTP(secret).now()},
        form_url="/staff/sign-in/security-code",
        expected_status=302,
    )
    assert done.headers["Location"].endswith("/staff/cases")
    with client.session_transaction() as session:
        assert session["staff_2fa"] is True and "staff_pending_user" not in session


def test_unsafe_next_is_ignored(client, db):
    secret = pyotp.random_base32()
    _user(secret)
    client.post(
        "/staff/sign-in?next=//evil.example/x",
        {"email": "officer@example.gov.uk", "password": PASSWORD},
        form_url="/staff/sign-in?next=//evil.example/x",
        expected_status=302,
    )
    done = client.post(
        "/staff/sign-in/security-code",
        {"code": pyotp.TOTP(secret).now()},
        form_url="/staff/sign-in/security-code",
        expected_status=302,
    )
    assert done.headers["Location"].endswith("/staff/")
