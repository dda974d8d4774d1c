"""Issue 11, finding 5 and the shared-address item of 9: limits that no address can dodge (per tracking reference,
per staff account, globally per form), every one a setting, and public limits that let 30 children behind one
address (a school, a children's home) through in an hour. Empty or malformed tracking forms cost nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import sqlalchemy as sa
import time_machine

from portal.config import Config
from portal.domain.enums import Audience, Role, SubmissionKind
from portal.models import OutboxMessage
from portal.services.submissions import NewSubmission, create_submission
from portal.services.users import create_user
from tests.helpers import PortalClient
from tests.integration.test_public_journeys import walk
from tests.security_support import app_with, from_address

PASSWORD = "lantern orchard violet 58"
EMAIL = "officer@example.gov.uk"
PROXY = {"RATELIMIT_ENABLED": True, "TRUSTED_PROXY_COUNT": 1}  # each test request may come from its own address


def _complaint(email: str = "sam@example.com") -> str:
    result = create_submission(
        NewSubmission(kind=SubmissionKind.COMPLAINT, audience=Audience.ADULT, full_name="Sam", email=email)
    )
    return result.submission.reference


def _track(client: PortalClient, reference: str, check: str, number: int = 0) -> int:
    return client.post(
        "/track", {"reference": reference, "check": check}, form_url="/track", **from_address(number)
    ).status_code


def test_guesses_at_one_tracking_reference_are_limited_from_any_number_of_addresses(database_url, db):
    reference = _complaint()
    with app_with(database_url, **PROXY, RATELIMIT_TRACK_REFERENCE="3 per hour") as app:
        client = PortalClient(app)
        statuses = [_track(client, reference, f"guess{i}@example.com", i) for i in range(6)]
        right_answer_now = _track(client, reference, "sam@example.com", 99)
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert right_answer_now == 429  # no more answers for this reference until the window passes


def test_right_answers_do_not_count_against_the_reference(database_url, db):
    reference = _complaint()
    with app_with(database_url, **PROXY, RATELIMIT_TRACK_REFERENCE="2 per hour") as app:
        client = PortalClient(app)
        assert [_track(client, reference, "sam@example.com", i) for i in range(5)] == [302] * 5


def test_empty_or_malformed_tracking_forms_do_not_count(database_url, db):
    reference = _complaint()
    with app_with(database_url, RATELIMIT_ENABLED=True, RATELIMIT_TRACK="3 per hour") as app:
        client = PortalClient(app)
        malformed = [("", ""), (reference, ""), ("not a reference", "sam@example.com"), ("7KQ-M9T-X4Q", "x")]
        for _ in range(3):
            assert [_track(client, ref, check) for ref, check in malformed] == [200] * 4
        guesses = [_track(client, reference, f"guess{i}@example.com") for i in range(4)]
    assert guesses == [200, 200, 200, 429]


def test_each_form_has_a_global_limit_for_all_addresses_together(database_url, db):
    references = [_complaint(f"person{i}@example.com") for i in range(4)]
    with app_with(database_url, **PROXY, RATELIMIT_TRACK_GLOBAL="3 per minute") as app:
        client = PortalClient(app)
        statuses = [_track(client, ref, "wrong@example.com", i) for i, ref in enumerate(references)]
    assert statuses == [200, 200, 200, 429]


def _officer() -> str:
    secret = pyotp.random_base32()
    create_user(
        email=EMAIL, full_name="Olive Officer", role=Role.COMPLAINTS_OFFICER, password=PASSWORD, totp_secret=secret
    )
    return secret


def _password(client: PortalClient, password: str, number: int = 0, email: str = EMAIL) -> int:
    return client.post(
        "/staff/sign-in", {"email": email, "password": password}, form_url="/staff/sign-in", **from_address(number)
    ).status_code


def test_sign_in_attempts_on_one_account_are_limited_from_any_number_of_addresses(database_url, db):
    _officer()
    with app_with(database_url, **PROXY, RATELIMIT_SIGN_IN_ACCOUNT="3 per hour", SIGN_IN_LOCKOUT_THRESHOLD=100) as app:
        client = PortalClient(app)
        statuses = [_password(client, f"wrong guess number {i}", i) for i in range(5)]
        other_account = _password(client, "wrong guess again", 50, email="someone.else@example.gov.uk")
    assert statuses == [200, 200, 200, 429, 429]
    assert other_account == 200


def test_security_code_guesses_are_limited_per_account(database_url, db):
    _officer()
    with app_with(
        database_url, **PROXY, RATELIMIT_TWO_FACTOR_ACCOUNT="3 per hour", SIGN_IN_LOCKOUT_THRESHOLD=100
    ) as app:
        statuses = []
        for i in range(5):
            client = PortalClient(app)  # a new session, from a new address, each time
            assert _password(client, PASSWORD, i) == 302
            statuses.append(
                client.post(
                    "/staff/sign-in/security-code",
                    {"code": "000000"},
                    form_url="/staff/sign-in/security-code",
                    **from_address(i),
                ).status_code
            )
    assert statuses == [200, 200, 200, 429, 429]


def test_reset_emails_are_limited_per_account(database_url, db):
    _officer()
    with app_with(database_url, **PROXY, RATELIMIT_RESET_EMAIL_ACCOUNT="2 per hour") as app:
        client = PortalClient(app)
        statuses = [
            client.post(
                "/staff/password/forgotten", {"email": EMAIL}, form_url="/staff/password/forgotten", **from_address(i)
            ).status_code
            for i in range(4)
        ]
    assert statuses == [302, 302, 429, 429]
    assert len(db.session.scalars(sa.select(OutboxMessage)).all()) == 2


def test_thirty_children_behind_one_address_get_through_in_an_hour(database_url, db):
    """A school or a children's home: every child makes a complaint, mistypes tracking once, then tracks it."""
    start = datetime.now(UTC)
    with app_with(database_url, RATELIMIT_ENABLED=True) as app:
        for child in range(30):
            with time_machine.travel(start + timedelta(minutes=2 * child)):
                client = PortalClient(app)
                walk(client, "young-person/complaint")
                response = client.post("/young-person/complaint/check-your-answers", {}, expected_status=302)
                client.get(response.headers["Location"])
                reference = _latest_reference(db)
                client.get("/track/stop", expected_status=302)
                assert _track(client, reference, "07700 900999") == 200
                assert _track(client, reference, "07700 900123") == 302


def _latest_reference(db) -> str:  # type: ignore[no-untyped-def]
    from portal.models import Submission

    db.session.expire_all()
    return db.session.scalars(sa.select(Submission.reference).order_by(Submission.id.desc())).first()


def test_every_limit_is_a_documented_setting():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    names = [name for name in vars(Config) if name.startswith("RATELIMIT_") and name != "RATELIMIT_ENABLED"]
    assert {"RATELIMIT_TRACK_REFERENCE", "RATELIMIT_SIGN_IN_ACCOUNT", "RATELIMIT_PUBLIC_SUBMIT_GLOBAL"} <= set(names)
    missing = [name for name in names if f"`{name}`" not in readme]
    assert not missing, f"settings missing from README's configuration table: {missing}"
