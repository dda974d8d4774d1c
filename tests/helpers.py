"""Test helpers: a client that keeps CSRF on, and a Notify-style page checker."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import html5lib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_page(html: str) -> BeautifulSoup:
    """Assert the structural rules every page must follow, and return the parsed page."""
    html5lib.HTMLParser(strict=False).parse(html)
    page = BeautifulSoup(html, "html.parser")
    assert page.html is not None and page.html.get("lang"), "page has no lang"
    h1s = page.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}: {[normalise(h.text) for h in h1s]}"
    title = normalise(page.title.text) if page.title else ""
    h1 = normalise(h1s[0].text)
    has_errors = page.select_one(".govuk-error-summary") is not None
    expected_start = ("Error: " if has_errors else "") + h1
    assert title.startswith(expected_start), f"title {title!r} should start with {expected_start!r}"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            has_token = form.find("input", attrs={"name": "csrf_token"})
            assert has_token, f"POST form without csrf_token: {form.get('action')}"
    for script in page.find_all("script"):
        assert script.get("nonce"), "script without a CSP nonce"
    for link in page.select(".govuk-error-summary a"):
        target = link["href"].lstrip("#")
        assert page.find(id=target) is not None, f"error summary link to missing id #{target}"
    return page


class PortalClient:
    """Wraps Flask's test client. POSTs carry the CSRF token from the last page (or fetch the form first)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.last_csrf: str | None = None
        self.user: Any = None

    def _remember_csrf(self, html: str) -> None:
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"', html
        )
        if match:
            self.last_csrf = match.group(1)

    def get(self, url: str, expected_status: int = 200, check: bool = True, **kwargs: Any) -> Any:
        response = self.client.get(url, **kwargs)
        assert response.status_code == expected_status, (
            f"GET {url}: {response.status_code} (expected {expected_status}) {response.headers.get('Location', '')}"
        )
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            self._remember_csrf(html)
            if check and (expected_status < 300 or expected_status >= 400):
                response.page = check_page(html)
        return response

    def page(self, url: str, **kwargs: Any) -> BeautifulSoup:
        return self.get(url, **kwargs).page

    def post(
        self,
        url: str,
        data: dict[str, Any] | None = None,
        expected_status: int | None = None,
        form_url: str | None = None,
        check: bool = True,
        **kwargs: Any,
    ) -> Any:
        data = dict(data or {})
        if "csrf_token" not in data:
            if form_url is not None or self.last_csrf is None:
                self.get(form_url or url, check=False)
            data["csrf_token"] = self.last_csrf
        response = self.client.post(url, data=data, **kwargs)
        if expected_status is not None:
            assert response.status_code == expected_status, (
                f"POST {url}: {response.status_code} (expected {expected_status}) "
                f"{response.headers.get('Location', '')}"
            )
        if response.mimetype == "text/html" and response.status_code == 200:
            html = response.get_data(as_text=True)
            self._remember_csrf(html)
            if check:
                response.page = check_page(html)
        return response

    def session_transaction(self) -> Any:
        return self.client.session_transaction()


def sign_in_as(client: PortalClient, user: Any) -> None:
    """Put a fully signed-in staff session (password and second factor done) on the client, with its
    server-side session in the store."""
    from portal import session_store

    token = session_store.start(user.id, datetime.now(UTC))
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["staff_2fa"] = True
        session["staff_sid"] = token
