"""Issue 11, item 9: CSP violations are reported to an endpoint of ours that records them without personal data
(and is rate-limited), and /.well-known/security.txt comes from settings."""

from __future__ import annotations

import json
import logging
import re

from tests.security_support import app_with

SECRET_PAGE = "http://localhost/staff/password/reset/SECRETTOKEN123?email=kid@example.com"
BLOCKED = "https://evil.example/steal?name=Jordan"


def _post(client, payload, content_type="application/csp-report"):  # type: ignore[no-untyped-def]
    return client.client.post("/csp-report", data=json.dumps(payload), content_type=content_type)


def test_pages_ask_browsers_to_report_csp_violations(client):
    response = client.get("/")
    assert "report-uri /csp-report" in response.headers["Content-Security-Policy"]
    assert "report-to csp" in response.headers["Content-Security-Policy"]
    assert response.headers["Reporting-Endpoints"] == 'csp="/csp-report"'


def test_a_csp_report_is_recorded_without_personal_data(client, caplog):
    caplog.set_level(logging.WARNING, logger="portal.security_endpoints")
    report = {"csp-report": {"document-uri": SECRET_PAGE, "blocked-uri": BLOCKED, "effective-directive": "img-src"}}
    response = _post(client, report)  # browsers send no CSRF token
    assert response.status_code == 204
    modern = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "http://localhost/",
                "blockedURL": "inline",
                "effectiveDirective": "script-src-elem",
            },
        }
    ]
    assert _post(client, modern, "application/reports+json").status_code == 204
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("csp violation")]
    assert lines == [
        "csp violation directive=img-src blocked=https://evil.example page=staff.password_reset disposition=unknown",
        "csp violation directive=script-src-elem blocked=inline page=public.start disposition=unknown",
    ]
    assert not any(word in caplog.text for word in ("SECRETTOKEN", "Jordan", "kid@example.com", "steal"))


def test_a_malformed_or_huge_csp_report_is_refused(client):
    assert client.client.post("/csp-report", data="{not json", content_type="application/csp-report").status_code == 400
    huge = {"csp-report": {"document-uri": "x" * 20000}}
    assert _post(client, huge).status_code == 413


def test_csp_reports_are_rate_limited(database_url, db):
    with app_with(database_url, RATELIMIT_ENABLED=True, RATELIMIT_CSP_REPORT="2 per minute") as app:
        client = app.test_client()
        statuses = [
            client.post("/csp-report", data="{}", content_type="application/csp-report").status_code for _ in range(3)
        ]
    assert statuses == [204, 204, 429]


def test_security_txt_comes_from_settings(database_url, db):
    settings = {
        "PUBLIC_BASE_URL": "https://complaints.example.gov.uk",
        "TRUSTED_HOSTS": ["localhost"],
        "SECURITY_CONTACT": "mailto:security@example.gov.uk",
        "SECURITY_TXT_EXPIRES": "2027-06-30T23:00:00Z",
        "SECURITY_POLICY_URL": "https://example.gov.uk/vulnerability-disclosure",
    }
    with app_with(database_url, **settings) as app:
        response = app.test_client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).splitlines() == [
        "Contact: mailto:security@example.gov.uk",
        "Expires: 2027-06-30T23:00:00Z",
        "Policy: https://example.gov.uk/vulnerability-disclosure",
        "Preferred-Languages: en",
        "Canonical: https://complaints.example.gov.uk/.well-known/security.txt",
    ]


def test_security_txt_defaults_to_the_council_email(client, app):
    text = client.get("/.well-known/security.txt").get_data(as_text=True)
    assert f"Contact: mailto:{app.config['COUNCIL_EMAIL']}" in text and "Expires: " in text


def test_referrer_policy_keeps_addresses_on_our_site(client, db):
    """Not no-referrer: over HTTPS Flask-WTF refuses a form post without a same-origin Referer."""
    https = {"base_url": "https://localhost"}
    page = client.client.get("/staff/sign-in", **https)
    assert page.headers["Referrer-Policy"] == "same-origin"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    form = {"email": "nobody@example.gov.uk", "password": "not the password", "csrf_token": token}
    with_referer = client.client.post(
        "/staff/sign-in", data=form, headers={"Referer": "https://localhost/staff/sign-in"}, **https
    )
    without = client.client.post("/staff/sign-in", data=form, **https)
    assert (with_referer.status_code, without.status_code) == (200, 400)
