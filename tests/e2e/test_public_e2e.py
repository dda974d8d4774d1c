"""The public journeys and tracking in Chromium, with axe-core on every page (and every error state)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from portal.models import Submission
from tests.public_journeys import JOURNEY_ANSWERS, resolve

START_LINKS = {
    "young-person/complaint": "tell us something is wrong",
    "young-person/compliment": "say thank you",
    "young-person/advocacy": "get someone to help me speak up",
    "adult/complaint": "make a complaint",
    "adult/compliment": "give a compliment",
    "adult/advocacy": "ask for an advocate",
}


def fill(page, data: dict) -> None:
    for name, value in resolve(data).items():
        if name.endswith(("date_of_birth", "arose_on", "needed_by")):
            for part, text in zip(("day", "month", "year"), value, strict=True):
                page.fill(f"#{name}-{part}", text)
        elif isinstance(value, list):
            for box in page.locator(f"input[type=checkbox][name={name}]").all():
                if box.get_attribute("value") in value:
                    box.check()
                else:
                    box.uncheck()
        elif page.locator(f"input[type=radio][name={name}]").count():
            page.check(f"input[type=radio][name={name}][value='{value}']")
        elif page.locator(f"select[name={name}]").count():
            page.select_option(f"select[name={name}]", value)
        else:
            page.fill(f"[name={name}]", value)


def submit(page) -> None:
    """Press the page's form button and wait for the next page (which may be the same URL with errors)."""
    with page.expect_navigation():
        page.locator("main form button.govuk-button").first.click()


def run_journey(page, axe, base: str, journey: str, shots=None) -> str:
    """Go from the start page to the confirmation, checking each page (and its error state) with axe."""
    page.goto(base + "/")
    axe(page, "start page")
    shot = 1
    if shots:
        shots(page, f"{shot:02d}-start-page")
    name = START_LINKS[journey]
    page.locator("main a", has_text=re.compile(re.escape(name), re.I)).first.click()
    for step, data in JOURNEY_ANSWERS[journey]:
        assert page.url.endswith(f"/{journey}/{step}"), (page.url, step)
        axe(page, f"{journey}/{step}")
        if shots:
            shot += 1
            shots(page, f"{shot:02d}-{step}")
        url = page.url
        submit(page)  # empty: the error state, or on to the next page when nothing is required
        if page.url == url:
            assert page.title().startswith("Error: ")
            assert page.locator(".govuk-error-summary").is_visible()
            axe(page, f"{journey}/{step} (error)")
            if shots:
                shot += 1
                shots(page, f"{shot:02d}-{step}-error")
        else:
            page.goto(url)
        fill(page, data)
        submit(page)
    assert page.url.endswith(f"/{journey}/check-your-answers")
    axe(page, f"{journey} check your answers")
    if shots:
        shot += 1
        shots(page, f"{shot:02d}-check-your-answers")
    submit(page)
    assert page.url.endswith(f"/{journey}/sent")
    axe(page, f"{journey} confirmation")
    if shots:
        shot += 1
        shots(page, f"{shot:02d}-confirmation")
    return page.locator(".govuk-panel strong").inner_text().strip()


@pytest.mark.parametrize("journey", [j for j in JOURNEY_ANSWERS if j != "young-person/complaint"])
def test_journey_in_a_browser(page, live_server, axe, db, journey):
    reference = run_journey(page, axe, live_server, journey)
    assert db.session.scalar(sa.select(Submission.reference)) == reference


def test_a_journey_with_javascript_turned_off(browser, live_server, db):
    """Every page works without JavaScript (axe needs JavaScript, so it runs in the journeys above)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    reference = run_journey(page, lambda *args: None, live_server, "adult/compliment")
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    assert db.session.scalar(sa.select(Submission.reference)) == reference
    context.close()


def test_unfinished_answers_are_offered_and_can_be_deleted(page, live_server, axe, db):
    page.goto(live_server + "/young-person/advocacy/help-with")
    page.locator("input[type=checkbox][name=help_with]").first.check()
    submit(page)
    page.goto(live_server + "/")
    continue_link = page.get_by_role("link", name=re.compile("Continue: Get someone to help you speak up"))
    assert continue_link.is_visible()
    axe(page, "start page with a draft")
    page.get_by_role("link", name=re.compile("Delete what you typed for get someone")).click()
    axe(page, "delete what you typed")
    submit(page)
    assert "We have deleted what you typed" in page.locator("main").inner_text()
    axe(page, "start page after deleting")


def test_young_person_complaint_on_a_phone_with_screenshots(browser, live_server, axe, screenshot, db):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()

    def shots(p, name):
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} is {width}px wide on a 390px phone"
        screenshot(p, f"young-person-complaint-{name}")

    reference = run_journey(page, axe, live_server, "young-person/complaint", shots=shots)
    submission = db.session.scalar(sa.select(Submission).where(Submission.reference == reference))
    assert submission.feels_unsafe and submission.safeguarding_flag
    assert "advocate" in page.locator("main").inner_text()
    context.close()


def test_question_pages_fit_a_320px_screen(browser, live_server, axe):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for url in ("/young-person/complaint/about", "/adult/complaint/who-you-are", "/track"):
        page.goto(live_server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    context.close()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def test_young_person_compliment_with_a_keyboard_only(browser, live_server, axe, db):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.goto(live_server + "/")
    _tab_to(page, "a[href$='/young-person/compliment']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/young-person/compliment/who")
    _tab_to(page, "#staff_named")
    page.keyboard.type("Priya")
    _tab_to(page, "main form button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/what-they-did")
    _tab_to(page, "#words")
    page.keyboard.type("She came to my match.")
    _tab_to(page, "main form button")
    page.keyboard.press("Enter")
    for step in ("pass-on", "share"):
        page.wait_for_url(f"**/{step}")
        _tab_to(page, "input[type=radio][value=yes]")
        page.keyboard.press("Space")
        _tab_to(page, "main form button")
        page.keyboard.press("Enter")
    page.wait_for_url("**/name")
    _tab_to(page, "main form button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact")
    _tab_to(page, "input[type=checkbox][value=none]")
    page.keyboard.press("Space")
    _tab_to(page, "main form button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check-your-answers")
    _tab_to(page, "main form button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sent")
    assert "Thank you" in page.locator("h1").inner_text()
    compliment = db.session.scalar(sa.select(Submission)).compliment
    assert compliment.staff_named == "Priya" and compliment.consent_pass_on and compliment.consent_anonymous_use
    context.close()


def test_tracking_in_a_browser(page, live_server, axe, db):
    from portal.domain.enums import Audience, Procedure, SubmissionKind
    from portal.services import lifecycle
    from portal.services.submissions import NewSubmission, create_submission

    def complaint(email):
        return create_submission(
            NewSubmission(
                kind=SubmissionKind.COMPLAINT,
                audience=Audience.ADULT,
                full_name="Sam",
                email=email,
                what_happened="The review was cancelled.",
            ),
            received_at=datetime(2026, 11, 18, 10, 0, tzinfo=UTC),
        ).submission

    responded = complaint("done@example.com")
    today = date.today()
    stage = lifecycle.open_first_stage(responded, procedure=Procedure.ENGLAND_STATUTORY, actor_id=None, today=today)
    lifecycle.record_response(stage, responded_on=today, finding="not_upheld", summary=None, actor_id=None, today=today)
    fresh = complaint("sam@example.com")
    reference = fresh.reference

    page.goto(live_server + "/track")
    axe(page, "track")
    submit(page)
    assert page.title().startswith("Error: ")
    axe(page, "track (error)")
    page.fill("#reference", reference)
    page.fill("#check", "someone@example.com")
    submit(page)
    assert "could not find a match" in page.locator(".govuk-error-summary").inner_text()
    axe(page, "track (no match)")
    page.fill("#check", "sam@example.com")
    submit(page)
    page.wait_for_url("**/track/status")
    assert page.locator("h1").inner_text() == "Received"
    axe(page, "track status")

    page.get_by_role("link", name="Add more information").click()
    axe(page, "add information")
    submit(page)
    axe(page, "add information (error)")
    page.fill("#information", "The meeting is now on Friday.")
    submit(page)
    assert "We have added what you told us" in page.locator("main").inner_text()
    axe(page, "track status with a message")

    page.get_by_role("link", name="Withdraw your complaint").click()
    axe(page, "withdraw")
    submit(page)
    axe(page, "withdraw (error)")
    page.check("input[name=confirm][value=yes]")
    submit(page)
    assert page.locator("h1").inner_text() == "Withdrawn"
    page.get_by_role("link", name="Finish checking progress").click()

    page.goto(live_server + "/track")
    page.fill("#reference", responded.reference)
    page.fill("#check", "done@example.com")
    submit(page)
    assert page.locator("h1").inner_text() == "Responded"
    axe(page, "track status responded")
    page.get_by_role("link", name="Ask for Stage 2").click()
    axe(page, "next stage")
    submit(page)
    axe(page, "next stage (error)")
    page.fill("#reason", "You did not answer my main point.")
    submit(page)
    assert "We have your request for Stage 2" in page.locator("main").inner_text()
