"""Browser tests: the app served on 127.0.0.1 by a background thread, driven by Debian's Chromium through
Playwright (never `playwright install`: it cannot download here), with axe-core for accessibility."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Tests write screenshots outside the checkout so `make test` leaves it clean; `make screenshots` points this at
# docs/screenshots on purpose to refresh the committed ones.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "portal-screenshots")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture
def axe():  # type: ignore[no-untyped-def]
    """``axe(page, name)``: run axe-core on the page and fail with a readable list of WCAG 2.2 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def check(page, name: str = "") -> None:  # type: ignore[no-untyped-def]
        results = runner.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response.get("violations", [])
        report = [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations
        ]
        assert not report, f"axe found {len(report)} violation(s) on {name or page.url}:\n" + "\n".join(report)

    return check


@pytest.fixture
def screenshot():  # type: ignore[no-untyped-def]
    def save(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
