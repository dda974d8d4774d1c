"""axe-core over every page a person can open: every public page without parameters and every staff GET page,
as a complaints manager (who may open them all), with one object of each kind so parameterised pages render."""

from __future__ import annotations

import pytest

from portal.domain.enums import Role
from tests.factories import make_staff_user
from tests.helpers import PortalClient, sign_in_as
from tests.integration.test_role_matrix import _url, _world, staff_rules

# Pages that end the session under test (downloads, *.csv and *.pdf, are skipped by their path).
SKIP = {"staff.sign_out_everywhere"}


def _signed_in_context(browser, app, live_server):  # type: ignore[no-untyped-def]
    manager = make_staff_user(Role.COMPLAINTS_MANAGER)
    client = PortalClient(app)
    sign_in_as(client, manager)
    cookie = client.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    context = browser.new_context()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    return context


def test_every_public_page_passes_axe(page, app, live_server, axe):
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("public.") and "GET" in r.methods and not r.arguments and r.endpoint != "public.health"
    ]
    assert len(rules) >= 5
    for rule in rules:
        response = page.goto(live_server + rule.rule)
        assert response is not None and response.status < 500, f"{rule.rule}: {response and response.status}"
        if "text/html" in (response.headers.get("content-type") or ""):
            axe(page, rule.rule)


def test_every_staff_page_passes_axe(browser, app, live_server, axe):
    world = _world()
    context = _signed_in_context(browser, app, live_server)
    page = context.new_page()
    checked = []
    for rule in staff_rules(app):
        if "GET" not in rule.methods or rule.endpoint in SKIP or rule.rule.endswith((".csv", ".pdf")):
            continue
        url = _url(app, rule, world)
        response = page.goto(live_server + url)
        assert response is not None, url
        assert response.status < 500, f"{rule.endpoint} {url}: {response.status}"
        if response.status == 200 and "text/html" in (response.headers.get("content-type") or ""):
            axe(page, f"{rule.endpoint} ({url})")
            checked.append(rule.endpoint)
    context.close()
    if len(checked) < 40:
        pytest.fail(f"only {len(checked)} staff pages were checked: {checked}")
