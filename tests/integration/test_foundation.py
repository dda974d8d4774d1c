"""The service's foundations: pages, headers, errors, health, configuration and commands."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.config import Config, ConfigError, DevelopmentConfig
from portal.models import Category, ProcedureProfile, Timescale


@pytest.mark.parametrize("url", ["/", "/accessibility", "/privacy", "/contact"])
def test_public_pages_render_and_pass_the_page_checker(client, url):
    page = client.page(url)
    assert page.select_one("main h1")


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in response.headers["Cache-Control"]


def test_scripts_carry_the_nonce_from_the_header(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    scripts = response.page.find_all("script")
    assert scripts and all(s["nonce"] == nonce for s in scripts)


def test_no_gov_uk_crown_or_font(client):
    html = client.get("/").get_data(as_text=True)
    assert "govuk-logo" not in html and "GDS Transport" not in html and "govuk-crest" not in html


def test_health_checks_the_database(client):
    response = client.get("/health", check=False)
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_reports_a_broken_database(app, client, monkeypatch):
    from portal.extensions import db

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.client.get("/health")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_not_found_page(client):
    page = client.page("/no-such-page", expected_status=404)
    assert "Page not found" in page.h1.text


def test_method_not_allowed_page(client):
    response = client.client.post("/accessibility", data={})
    assert response.status_code == 405
    assert "not allowed" in response.get_data(as_text=True)


@pytest.fixture
def app_with_form(database_url):
    from portal import create_app
    from portal.config import TestConfig

    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @other.post("/__form")
    def form():
        return "ok"

    return other


def test_post_without_a_csrf_token_shows_the_expired_form_page(app_with_form):
    response = app_with_form.test_client().post("/__form", data={"a": "b"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_too_large_request_is_refused(app_with_form):
    limit = app_with_form.config["MAX_CONTENT_LENGTH"]
    response = app_with_form.test_client().post(
        "/__form", data={"text": "x" * (limit + 10)}, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
def test_every_error_page_renders(app, code):
    from flask import render_template

    from portal.errors import PAGES

    with app.test_request_context("/"):
        html = render_template(f"errors/{code}.html", title=PAGES[code])
    from tests.helpers import check_page

    check_page(html)


def test_unhandled_error_shows_the_500_page(app, database_url):
    from portal import create_app
    from portal.config import TestConfig

    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @other.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = other.test_client().get("/__boom")
    assert response.status_code == 500
    assert "problem with the service" in response.get_data(as_text=True)


def test_secret_key_is_required_outside_development():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Config.validate({"SECRET_KEY": None, "PROCEDURE": "england", "BANK_HOLIDAY_DIVISION": "england-and-wales"})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Config.validate({"SECRET_KEY": "short", "PROCEDURE": "england", "BANK_HOLIDAY_DIVISION": "england-and-wales"})


def test_development_generates_and_keeps_a_secret_key(tmp_path, monkeypatch):
    import portal.config as config

    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    first = {"SECRET_KEY": None, "PROCEDURE": "england", "BANK_HOLIDAY_DIVISION": "england-and-wales"}
    DevelopmentConfig.validate(first)
    second = {"SECRET_KEY": None, "PROCEDURE": "england", "BANK_HOLIDAY_DIVISION": "england-and-wales"}
    DevelopmentConfig.validate(second)
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").exists()


def test_settings_are_validated():
    good = {"SECRET_KEY": "x" * 40, "PROCEDURE": "england", "BANK_HOLIDAY_DIVISION": "england-and-wales"}
    Config.validate(good)
    with pytest.raises(ConfigError, match="PROCEDURE"):
        Config.validate({**good, "PROCEDURE": "wales"})
    with pytest.raises(ConfigError, match="BANK_HOLIDAY_DIVISION"):
        Config.validate({**good, "BANK_HOLIDAY_DIVISION": "narnia"})


def test_init_data_is_idempotent_and_keeps_edits(runner, db):
    timescale = db.session.scalar(sa.select(Timescale).where(Timescale.key == "stage1.response"))
    timescale.working_days = 9
    db.session.commit()
    result = runner.invoke(args=["init-data"])
    assert result.exit_code == 0, result.output
    assert "0 procedures, 0 timescales, 0 list entries added" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Timescale.working_days).where(Timescale.key == "stage1.response")) == 9
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProcedureProfile)) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) > 50


def test_calendar_status_passes_with_enough_coverage(runner):
    result = runner.invoke(args=["calendar-status", "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "2028-12-31" in result.output


def test_calendar_status_fails_with_less_than_twelve_months_left(runner):
    result = runner.invoke(args=["calendar-status", "--today", "2028-03-01"])
    assert result.exit_code == 1
    assert "less than 12 months" in result.output
