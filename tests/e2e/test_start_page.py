"""The start page in a real browser: it loads, has no accessibility violations, and works at 320px wide."""

from __future__ import annotations


def test_start_page_loads_and_passes_axe(page, live_server, axe):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text().strip() != ""
    assert "js-enabled" in (page.locator("body").get_attribute("class") or "")
    axe(page, "start page")


def test_start_page_fits_a_320px_screen(browser, live_server, axe):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"page is {scroll_width}px wide at a 320px viewport"
    axe(page, "start page at 320px")
    context.close()


def test_error_page_passes_axe(page, live_server, axe):
    response = page.goto(live_server + "/no-such-page")
    assert response is not None and response.status == 404
    axe(page, "404 page")
