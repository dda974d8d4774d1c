"""The staff template toolkit (templates/components/ and its helpers in portal/template_helpers.py): one colour per
deadline state and per status everywhere, numbered pages built once, and no guessing in templates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import time_machine

from portal.domain.deadlines import DeadlineState
from portal.domain.enums import AdvocacyStatus, OutboxStatus, Role, StageStatus
from portal.template_helpers import DEADLINE_TAG_COLOURS, TAG_COLOURS, pagination_params
from tests.helpers import normalise
from tests.lifecycle_support import open_complaint

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.no_db
def test_every_deadline_state_and_status_has_one_tag_colour():
    assert set(DEADLINE_TAG_COLOURS) == set(DeadlineState)
    assert set(TAG_COLOURS["advocacy"]) == set(AdvocacyStatus)
    assert set(TAG_COLOURS["stage"]) == set(StageStatus)
    assert set(TAG_COLOURS["outbox"]) == set(OutboxStatus)


def _tags(page, words):  # type: ignore[no-untyped-def]
    """The colour classes of every tag on the page whose text mentions ``words``."""
    return {
        " ".join(c for c in tag["class"] if c.startswith("govuk-tag--"))
        for tag in page.select(".govuk-tag")
        if re.search(words, normalise(tag.text))
    }


@time_machine.travel("2026-11-04 10:00:00+00:00", tick=False)
def test_the_case_page_shows_an_on_track_deadline_in_one_colour(staff_client):
    submission = open_complaint(received_on=date(2026, 11, 2))
    client = staff_client(Role.COMPLAINTS_MANAGER)

    page = client.page(f"/staff/cases/{submission.id}")

    # The deadlines summary ("On track") and the procedure panel ("N working days left") show the same state.
    assert _tags(page, r"^On track$") == {"govuk-tag--blue"}
    assert _tags(page, r"working days left") == {"govuk-tag--blue"}


def test_pagination_params_show_the_ends_two_either_side_and_keep_the_filters(app):
    with app.test_request_context():
        params = pagination_params(5, 10, "staff.advocacy_queue", {"status": "all"})

    numbers = [item.get("number", "…") for item in params["items"]]
    assert numbers == [1, "…", 3, 4, 5, 6, 7, "…", 10]
    assert [item["number"] for item in params["items"] if item.get("current")] == [5]
    assert params["previous"]["href"] == "/staff/advocacy?page=4&status=all"
    assert params["next"]["href"] == "/staff/advocacy?page=6&status=all"


def test_pagination_params_have_no_previous_on_the_first_page_or_next_on_the_last(app):
    with app.test_request_context():
        first = pagination_params(1, 2, "staff.compliments_register", {})
        last = pagination_params(2, 2, "staff.compliments_register", {})

    assert first["previous"] is None and first["next"]["href"] == "/staff/compliments?page=2"
    assert last["next"] is None and last["previous"]["href"] == "/staff/compliments?page=1"


@pytest.mark.no_db
@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"<select", "filter forms are WTForms: render the field, never a hand-written select"),
        (r"has_endpoint\(", "every staff endpoint exists: link to it, never test for it"),
        (r"ignore missing", "a missing template must fail loudly"),
    ],
    ids=["select", "has-endpoint", "ignore-missing"],
)
def test_staff_templates_do_not_guess_or_hand_write_form_controls(pattern, why):
    staff_templates = [*(TEMPLATES / "staff").rglob("*.html"), *(TEMPLATES / "components").rglob("*.html")]
    offenders = [str(path.relative_to(TEMPLATES)) for path in staff_templates if re.search(pattern, path.read_text())]
    assert offenders == [], why
