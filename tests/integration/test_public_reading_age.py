"""Every young person's page reads at Flesch-Kincaid grade 5 or below (a reading age of about 9 to 10)."""

from __future__ import annotations

import re

import pytest
import textstat

from tests.helpers import normalise
from tests.public_journeys import JOURNEY_ANSWERS, resolve

MAX_GRADE = 5.0
YOUNG_PERSON_JOURNEYS = [k for k in JOURNEY_ANSWERS if k.startswith("young-person/")]


def visible_copy(page) -> str:
    """The words a young person reads in the page's main area: not hidden, not screen-reader-only text."""
    main = page.select_one("main")
    for hidden in main.select("[hidden], .govuk-visually-hidden, script"):
        hidden.decompose()
    chunks = []
    for element in main.find_all(
        ["h1", "h2", "h3", "p", "li", "label", "legend", "span", "dt", "dd", "a", "button", "summary", "div"]
    ):
        if element.find(["p", "li", "label", "legend", "h1", "h2", "dt", "dd", "div"]) is None:
            text = normalise(element.get_text(" "))
            if text:
                chunks.append(text if re.search(r"[.!?]$", text) else text + ".")
    return " ".join(dict.fromkeys(chunks))


@pytest.fixture(autouse=True)
def _offline_syllables(monkeypatch):
    """textstat looks words up in NLTK's CMU dictionary, which it would download; there is no download here (or in
    CI), so syllables are counted with Pyphen's bundled English hyphenation dictionary, textstat's own fallback."""
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    _count_syllables.count_syllables.cache_clear() if hasattr(_count_syllables.count_syllables, "cache_clear") else None


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


@pytest.mark.parametrize("journey", YOUNG_PERSON_JOURNEYS, ids=lambda j: j.replace("/", "-"))
def test_young_person_pages_read_at_grade_five_or_below(client, db, journey):
    grades: dict[str, float] = {}
    response = client.get(f"/{journey}", expected_status=302)
    location = response.headers["Location"]
    for step, data in JOURNEY_ANSWERS[journey]:
        page = client.page(location)
        copy = visible_copy(page)
        assert page.h1.get_text(" ", strip=True) in copy and "Childline" in copy and "Leave this field" not in copy
        grades[step] = grade(copy)
        if data:  # the page in its error state too
            blank = client.post(location, {}, form_url=location)
            if blank.status_code == 200:
                grades[f"{step} (error)"] = grade(visible_copy(blank.page))
        response = client.post(location, resolve(data), form_url=location, expected_status=302)
        location = response.headers["Location"]
    grades["check"] = grade(visible_copy(client.page(location)))
    client.post(location, {}, expected_status=302)
    grades["sent"] = grade(visible_copy(client.page(f"/{journey}/sent")))
    too_hard = {name: g for name, g in grades.items() if g > MAX_GRADE}
    assert not too_hard, f"pages above grade {MAX_GRADE}: {too_hard}"


def test_the_reading_check_can_fail():
    hard = (
        "Notwithstanding the aforementioned considerations, the local authority's statutory representations "
        "procedure necessitates comprehensive documentation of circumstances."
    )
    assert grade(hard) > MAX_GRADE


def test_young_person_tracking_page_reads_at_grade_five_or_below(client, db):
    from portal.domain.enums import Audience, SubmissionKind
    from portal.services.submissions import NewSubmission, create_submission

    s = create_submission(
        NewSubmission(
            kind=SubmissionKind.COMPLAINT,
            audience=Audience.YOUNG_PERSON,
            full_name="Jo",
            email="jo@example.com",
            what_happened="x",
        )
    ).submission
    client.post("/track", {"reference": s.reference, "check": "jo@example.com"}, form_url="/track")
    page = client.page("/track/status")
    assert page.select_one(".govuk-exit-this-page")
    assert grade(visible_copy(page)) <= MAX_GRADE
