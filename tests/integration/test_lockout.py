"""Issue 11, finding 6: nobody can lock a member of staff out (ASVS 2.2.1). Wrong passwords throttle an account
for a short, capped time instead of banning it; the right password from a device the person has signed in on
before still works; and complaints managers are alerted to a password-spraying pattern, by message and in the
staff area."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import sqlalchemy as sa
import time_machine

from portal.domain.enums import Role
from portal.models import AuditEvent, OutboxMessage
from portal.services.users import create_user
from tests.factories import make_staff_user
from tests.helpers import PortalClient

PASSWORD = "lantern orchard violet 58"
EMAIL = "officer@example.gov.uk"


def _officer() -> str:
    secret = pyotp.random_base32()
    create_user(
        email=EMAIL, full_name="Olive Officer", role=Role.COMPLAINTS_OFFICER, password=PASSWORD, totp_secret=secret
    )
    return secret


def _password(client: PortalClient, password: str, email: str = EMAIL):  # type: ignore[no-untyped-def]
    return client.post("/staff/sign-in", {"email": email, "password": password}, form_url="/staff/sign-in")


def _code(client: PortalClient, secret: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/staff/sign-in/security-code", {"code": pyotp.TOTP(secret).now()}, form_url="/staff/sign-in/security-code"
    )


def test_many_wrong_passwords_throttle_the_account_for_minutes_not_a_day(app, client, db):
    _officer()
    for i in range(20):
        _password(client, f"wrong guess number {i}")
    assert _password(client, PASSWORD).status_code == 200  # throttled: even the right password waits
    cap = timedelta(minutes=app.config["SIGN_IN_THROTTLE_MAX_MINUTES"])
    assert cap <= timedelta(minutes=15)
    with time_machine.travel(datetime.now(UTC) + cap + timedelta(seconds=5)):
        assert _password(client, PASSWORD).status_code == 302


def test_the_right_password_from_a_known_device_works_while_the_account_is_throttled(app, db):
    secret = _officer()
    own_computer = PortalClient(app)
    assert _password(own_computer, PASSWORD).status_code == 302
    assert _code(own_computer, secret).status_code == 302
    own_computer.post("/staff/sign-out", {}, form_url="/staff/sign-out", expected_status=302)

    attacker = PortalClient(app)
    for i in range(12):
        _password(attacker, f"wrong guess number {i}")
    assert _password(attacker, PASSWORD).status_code == 200  # a new device waits out the throttle

    later = datetime.now(UTC) + timedelta(seconds=31)  # a fresh security code
    with time_machine.travel(later):
        assert _password(own_computer, PASSWORD).status_code == 302
        assert _code(own_computer, secret).status_code == 302
        own_computer.get("/staff/", expected_status=200)


def test_a_known_device_cookie_is_for_its_own_accounts_only(app, db):
    secret = _officer()
    create_user(email="other@example.gov.uk", full_name="Otto Other", role=Role.ADVOCATE, password=PASSWORD)
    device = PortalClient(app)
    _password(device, PASSWORD)
    assert _code(device, secret).status_code == 302
    device.post("/staff/sign-out", {}, form_url="/staff/sign-out", expected_status=302)
    attacker = PortalClient(app)
    for i in range(12):
        _password(attacker, f"wrong guess number {i}", email="other@example.gov.uk")
    assert _password(device, PASSWORD, email="other@example.gov.uk").status_code == 200


def test_password_spraying_alerts_complaints_managers_once_and_shows_in_the_staff_area(app, db, staff_client):
    managers = [make_staff_user(Role.COMPLAINTS_MANAGER) for _ in range(2)]
    make_staff_user(Role.COMPLAINTS_OFFICER)
    threshold = app.config["SPRAY_ALERT_ACCOUNTS"]
    targets = [make_staff_user(Role.COMPLAINTS_OFFICER).email for _ in range(threshold - 2)]
    targets += ["nobody@example.gov.uk", "no.one@example.gov.uk"]  # unknown addresses count too
    sprayer = PortalClient(app)
    for round_ in range(2):  # one password against every account, then another
        for email in targets:
            _password(sprayer, f"Winter2026! {round_}", email=email)
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "password_spraying")).all()
    assert sorted(m.recipient for m in messages) == sorted(m.email for m in managers)
    assert all("Winter2026" not in m.body and "nobody@example.gov.uk" not in m.body for m in messages)
    alerts = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "security.password_spraying")).all()
    assert len(alerts) == 1

    page = staff_client(Role.COMPLAINTS_MANAGER, user=managers[0]).page("/staff/settings/security")
    assert "password spraying" in page.text.lower() and "accounts" in page.text
    staff_client(Role.COMPLAINTS_OFFICER).get("/staff/settings/security", expected_status=403)


def test_a_few_wrong_passwords_raise_no_alert(app, db):
    make_staff_user(Role.COMPLAINTS_MANAGER)
    _officer()
    client = PortalClient(app)
    for i in range(app.config["SPRAY_ALERT_ACCOUNTS"] + 3):
        _password(client, f"my own typo {i}")  # one account, many tries: a throttle, not spraying
        _password(client, PASSWORD, email="offcer@example.gov.uk")  # the same mistyped address, again and again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
