"""Issue 11, findings 4, 5 and 9: links in messages come from PUBLIC_BASE_URL, any other Host gets a 400, proxy
headers are trusted only when a setting says how many proxies there are, every limit is a setting, no rate-limit
or server headers, and HSTS has its own setting."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from portal.config import Config, ConfigError
from portal.domain.enums import Role
from portal.models import OutboxMessage
from portal.services.users import create_user
from tests.helpers import PortalClient

GOOD = {"SECRET_KEY": "x" * 40, "PROCEDURE": "england", "BANK_HOLIDAY_DIVISION": "england-and-wales"}


@pytest.fixture
def other_app(database_url):
    """``other_app(**settings)``: a second app on the same database; the shared limiter is put back afterwards."""
    from portal import create_app
    from portal.config import TestConfig
    from portal.extensions import limiter

    before = limiter.enabled

    def _make(**settings):  # type: ignore[no-untyped-def]
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SERVER_NAME=None, **settings)
        if limiter.enabled:
            limiter.reset()
        return app

    yield _make
    if limiter.enabled:
        limiter.reset()
    limiter.enabled = before


def _officer() -> None:
    create_user(
        email="officer@example.gov.uk",
        full_name="Olive Officer",
        role=Role.COMPLAINTS_OFFICER,
        password="lantern orchard violet 58",
        totp_secret=pyotp.random_base32(),
    )


def test_a_forged_host_header_is_refused_and_sends_no_reset_email(client, db):
    _officer()
    evil = {"base_url": "http://evil.example"}
    form = client.client.get("/staff/password/forgotten", **evil)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.get_data(as_text=True))
    response = client.client.post(
        "/staff/password/forgotten",
        data={"email": "officer@example.gov.uk", "csrf_token": token.group(1) if token else ""},
        **evil,
    )
    assert (form.status_code, response.status_code) == (400, 400)
    assert db.session.scalars(sa.select(OutboxMessage)).all() == []


def test_the_reset_link_comes_from_public_base_url_whatever_trusted_host_was_used(other_app, db):
    app = other_app(PUBLIC_BASE_URL="https://complaints.example.gov.uk", TRUSTED_HOSTS=["127.0.0.1"])
    client = PortalClient(app)
    _officer()
    with app.app_context():
        client.get("/staff/password/forgotten", base_url="http://127.0.0.1")
        client.post(
            "/staff/password/forgotten",
            {"email": "officer@example.gov.uk"},
            base_url="http://127.0.0.1",
            expected_status=302,
        )
    body = db.session.scalars(sa.select(OutboxMessage.body)).one()
    links = re.findall(r"\w+://\S+", body)
    assert links and all(link.startswith("https://complaints.example.gov.uk/staff/password/reset/") for link in links)


def test_trusted_hosts_default_to_the_host_of_public_base_url(other_app):
    app = other_app(PUBLIC_BASE_URL="https://complaints.example.gov.uk/", TRUSTED_HOSTS=None)
    assert app.config["TRUSTED_HOSTS"] == ["complaints.example.gov.uk"]
    client = app.test_client()
    assert client.get("/accessibility", base_url="https://complaints.example.gov.uk").status_code == 200
    assert client.get("/accessibility", base_url="https://complaints.example.gov.uk.evil.example").status_code == 400


def test_production_needs_an_https_public_base_url():
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        Config.validate({**GOOD, "APP_ENV": "production", "PUBLIC_BASE_URL": "http://complaints.example.gov.uk"})
    Config.validate({**GOOD, "APP_ENV": "production", "PUBLIC_BASE_URL": "https://complaints.example.gov.uk"})


def _sign_in_statuses(app, n: int, forwarded: bool) -> list[int]:  # type: ignore[no-untyped-def]
    client = PortalClient(app)
    statuses = []
    with app.app_context():
        for i in range(n):
            headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"} if forwarded else {}
            statuses.append(
                client.post(
                    "/staff/sign-in",
                    {"email": f"nobody{i}@example.gov.uk", "password": "wrong wrong wrong"},
                    form_url="/staff/sign-in",
                    headers=headers,
                ).status_code
            )
    return statuses


def test_a_forged_x_forwarded_for_does_not_dodge_the_limit_without_a_proxy(other_app, db):
    app = other_app(RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN="3 per minute")
    assert _sign_in_statuses(app, 4, forwarded=True) == [200, 200, 200, 429]


def test_x_forwarded_for_is_used_when_a_proxy_is_configured(other_app, db):
    app = other_app(RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN="3 per minute", TRUSTED_PROXY_COUNT=1)
    assert _sign_in_statuses(app, 4, forwarded=True) == [200, 200, 200, 200]


def test_the_default_limit_is_a_setting_and_no_rate_limit_headers_go_out(other_app, db):
    app = other_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    responses = [client.get("/accessibility") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    for response in responses:
        assert not [h for h, _ in response.headers.items() if h.lower().startswith(("x-ratelimit", "retry-after"))]


def test_static_files_do_not_count_against_the_default_limit(other_app, db):
    app = other_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    assert [client.get("/static/css/app.css").status_code for _ in range(4)] == [200] * 4


@pytest.mark.parametrize(("enabled", "secure", "expected"), [(True, False, True), (False, True, False)])
def test_hsts_has_its_own_setting(other_app, enabled, secure, expected):
    app = other_app(HSTS_ENABLED=enabled, SESSION_COOKIE_SECURE=secure)
    response = app.test_client().get("/accessibility")
    assert ("Strict-Transport-Security" in response.headers) is expected


def test_hsts_is_on_in_production_and_off_in_development_and_test():
    from portal.config import DevelopmentConfig, TestConfig

    assert Config.HSTS_ENABLED is True
    assert DevelopmentConfig.HSTS_ENABLED is False and TestConfig.HSTS_ENABLED is False
