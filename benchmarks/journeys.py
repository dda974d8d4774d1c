"""Whole submissions through HTTP, as a person makes them: the start page, then a young person's complaint page by
page (the answers the tests use, in tests/public_journeys.py, including the extra page for "not safe"), check your
answers, send, and the confirmation page with the reference. Every POST carries the page's CSRF token.

`run_clients` runs several such people at once for a bounded time and counts completed journeys per second.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from benchmarks.browser import Browser, UnexpectedResponse, bench_address
from tests.public_journeys import YP_COMPLAINT

JOURNEY = "/young-person/complaint"
ANSWERS: dict[str, dict[str, Any]] = dict(YP_COMPLAINT)
PHONE = ANSWERS["contact-details"]["phone"]
REFERENCE = re.compile(r'class="app-reference">([0-9A-Z-]+)<')
MAX_PAGES = 40


@dataclass(frozen=True)
class Sent:
    reference: str
    requests: int


def answer_step(browser: Browser, path: str) -> str:
    """Answer the question page at path; returns where the portal sends the person next."""
    step = path.rsplit("/", 1)[-1].split("?", 1)[0]
    if step not in ANSWERS:
        raise UnexpectedResponse(f"the journey asked {step!r}, which the benchmark has no answer for")
    page = browser.get(path)
    return browser.post(path, {"csrf_token": page.csrf(), **ANSWERS[step]}).location


def start(browser: Browser) -> str:
    """The start page, then the journey's first question; returns its path."""
    browser.get("/")
    return browser.get(JOURNEY, expect=302).location


def complete(browser: Browser) -> Sent:
    """One whole young person's complaint, from the start page to the reference."""
    path = start(browser)
    for _ in range(MAX_PAGES):
        if path.endswith("/check-your-answers"):
            break
        path = answer_step(browser, path)
    else:
        raise UnexpectedResponse("the journey did not reach check your answers")
    check = browser.get(path)
    sent = browser.post(path, {"csrf_token": check.csrf()}).location
    page = browser.get(sent)
    match = REFERENCE.search(page.body)
    if match is None:
        raise UnexpectedResponse("no reference on the confirmation page")
    return Sent(match.group(1), browser.requests)


@dataclass(frozen=True)
class JourneyRun:
    clients: int
    seconds: float
    completed: int
    requests: int
    failures: list[str]

    @property
    def per_second(self) -> float:
        return self.completed / self.seconds

    @property
    def requests_per_journey(self) -> float:
        return self.requests / self.completed if self.completed else 0.0


def run_clients(port: int, clients: int, seconds: float, first_address: int, max_journeys: int = 5000) -> JourneyRun:
    """`clients` people, each completing journeys one after another for `seconds` (at most `max_journeys` in all).
    Each journey is a new person: new cookies, new address."""
    lock = threading.Lock()
    counter = {"next": first_address, "completed": 0, "requests": 0}
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def person() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if counter["completed"] >= max_journeys:
                    return
                address = bench_address(counter["next"])
                counter["next"] += 1
            browser = Browser(port, address)
            try:
                sent = complete(browser)
            except (UnexpectedResponse, OSError) as error:
                failures.append(str(error))
                if len(failures) > 5:
                    return
                continue
            with lock:
                counter["completed"] += 1
                counter["requests"] += sent.requests

    started = time.perf_counter()
    threads = [threading.Thread(target=person) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return JourneyRun(clients, elapsed, counter["completed"], counter["requests"], failures)
