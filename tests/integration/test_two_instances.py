"""Issue 11, "a deployment a council can run": two gunicorn instances (the repo's gunicorn.conf.py, production
settings) on one database and one Redis. A staff session, a rate limit and a public draft work across both: every
request may go to either instance and sees the same state. Also: no `Server` or `X-RateLimit-*` headers."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
import redis
import requests

from portal.domain.enums import Audience, Role, SubmissionKind
from portal.services.submissions import NewSubmission, create_submission
from portal.services.users import create_user
from tests.public_journeys import YP_COMPLAINT

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
PASSWORD = "lantern orchard violet 58"
EMAIL = "manager@example.gov.uk"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn at {base} exited with {process.returncode}")
        try:
            if requests.get(f"{base}/health", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or the worker is still loading the app
        time.sleep(0.3)
    raise AssertionError(f"gunicorn at {base} did not answer within {seconds} seconds")


@pytest.fixture(scope="module")
def two_instances(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Started once for this module (each test still gets a clean database); stopped and cleaned afterwards."""
    tmp_path = tmp_path_factory.mktemp("two-instances")
    prefix = f"two-instances-{uuid.uuid4().hex}:"
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "STAFF_SESSION_STORE": REDIS_URL,
        "STAFF_SESSION_KEY_PREFIX": prefix,
        "PORTAL_RATELIMIT_KEY_PREFIX": prefix,
        "RATELIMIT_TRACK_REFERENCE": "3 per hour",
        "PUBLIC_BASE_URL": "https://127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",  # plain http on loopback in this test
        "PORTAL_INSTANCE_PATH": str(tmp_path),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "LOG_LEVEL": "WARNING",
    }
    processes, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
            process = subprocess.Popen(
                command, cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=subprocess.DEVNULL
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            _wait_until_up(base, process)
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):  # session keys start with it; limiter keys hold it
            store.delete(key)


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _post_form(browser: requests.Session, base: str, path: str, data: dict) -> requests.Response:
    page = browser.get(base + path, allow_redirects=False)
    assert page.status_code == 200, (path, page.status_code)
    return browser.post(base + path, data={**data, "csrf_token": _token(page.text)}, allow_redirects=False)


def test_a_staff_session_works_and_ends_on_both_instances(two_instances, db):
    a, b = two_instances
    secret = pyotp.random_base32()
    create_user(
        email=EMAIL, full_name="Mona Manager", role=Role.COMPLAINTS_MANAGER, password=PASSWORD, totp_secret=secret
    )
    browser = requests.Session()
    signed = _post_form(browser, a, "/staff/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert signed.status_code == 302 and signed.headers["Location"].endswith("/staff/sign-in/security-code")
    code = _post_form(browser, b, "/staff/sign-in/security-code", {"code": pyotp.TOTP(secret).now()})
    assert code.status_code == 302, code.text[:500]
    for base in (a, b, a):
        assert browser.get(f"{base}/staff/cases", allow_redirects=False).status_code == 200
    copy = requests.Session()
    copy.cookies.update(browser.cookies)
    assert copy.get(f"{a}/staff/cases", allow_redirects=False).status_code == 200

    out = _post_form(browser, b, "/staff/sign-out", {})
    assert out.status_code == 302
    for base in (a, b):
        assert copy.get(f"{base}/staff/cases", allow_redirects=False).status_code == 302
        assert browser.get(f"{base}/staff/cases", allow_redirects=False).status_code == 302


def test_a_rate_limit_counts_requests_to_both_instances(two_instances, db):
    a, b = two_instances
    reference = create_submission(
        NewSubmission(kind=SubmissionKind.COMPLAINT, audience=Audience.ADULT, full_name="Sam", email="sam@example.com")
    ).submission.reference
    statuses = []
    for i, base in enumerate((a, b, a, b, a)):
        response = _post_form(
            requests.Session(), base, "/track", {"reference": reference, "check": f"g{i}@example.com"}
        )
        statuses.append(response.status_code)
        for name in response.headers:
            assert not name.lower().startswith("x-ratelimit"), name
        assert "Server" not in response.headers
    assert statuses == [200, 200, 200, 429, 429]


def test_a_public_draft_typed_on_one_instance_continues_on_the_other(two_instances, db):
    a, b = two_instances
    child = requests.Session()
    start = child.get(f"{a}/young-person/complaint", allow_redirects=False)
    assert start.status_code == 302
    location = start.headers["Location"]
    path = location[location.index("/young-person") :]
    for i, (step, data) in enumerate(YP_COMPLAINT):
        base = (a, b)[i % 2]
        assert path.endswith(f"/young-person/complaint/{step}"), path
        answered = _post_form(child, base, path, data)
        assert answered.status_code == 302, (step, answered.status_code)
        location = answered.headers["Location"]
        path = location[location.index("/young-person") :]
    assert path.endswith("/young-person/complaint/check-your-answers")
    check = child.get(b + path, allow_redirects=False)
    assert check.status_code == 200 and "My carer reads my messages." in check.text
    sent = child.post(a + path, data={"csrf_token": _token(check.text)}, allow_redirects=False)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/young-person/complaint/sent")
    assert "Server" not in sent.headers
