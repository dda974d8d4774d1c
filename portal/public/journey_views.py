"""The six journeys: one question a page, answers saved to a server-side draft after every page, check your
answers, submit, confirmation."""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from portal import ratelimits
from portal.domain.journeys import JOURNEYS, Journey, journey_for
from portal.public import bp
from portal.public.check_answers import answer_rows
from portal.public.forms import DiscardForm, SubmitForm, build_form
from portal.services import drafts
from portal.services.submissions import existing_for_draft, submission_by_id, what_happens_next

log = logging.getLogger(__name__)

DRAFT_COOKIE = "portal_drafts"
AUDIENCES = "any('young-person', 'adult')"
KINDS = "any(complaint, compliment, advocacy)"


# -- where the draft tokens live: the session, and a long-lived cookie so a closed browser loses nothing ------------


def _cookie_tokens() -> dict[str, str]:
    raw = request.cookies.get(DRAFT_COOKIE, "")
    return {k: v for k, v in parse_qsl(raw) if k in JOURNEYS and 20 <= len(v) <= 64}


def draft_tokens() -> dict[str, str]:
    tokens = _cookie_tokens()
    tokens.update({k: v for k, v in (session.get("drafts") or {}).items() if k in JOURNEYS})
    return tokens


def _store_tokens(response: Response, tokens: dict[str, str]) -> Response:
    session["drafts"] = tokens
    if tokens:
        response.set_cookie(
            DRAFT_COOKIE,
            urlencode(tokens),
            max_age=int(current_app.config["DRAFT_LIFETIME"].total_seconds()),
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            samesite="Lax",
        )
    else:
        response.delete_cookie(DRAFT_COOKIE)
    return response


def _journey(audience: str, kind: str) -> Journey:
    journey = journey_for(f"{audience}/{kind}")
    if journey is None:
        abort(404)
    return journey


def _context(journey: Journey, **extra: object) -> dict[str, object]:
    return {
        "journey": journey,
        "journey_title": journey.title,
        "young_person": journey.key.startswith("young-person/"),
        "show_help": True,  # every public page shows what to do if someone is in danger now
        **extra,
    }


def _step_url(journey: Journey, step: str, change: bool = False) -> str:
    audience, kind = journey.key.split("/")
    if change:
        return url_for("public.question", audience=audience, kind=kind, step=step, change=1)
    return url_for("public.question", audience=audience, kind=kind, step=step)


def _check_url(journey: Journey) -> str:
    audience, kind = journey.key.split("/")
    return url_for("public.check_answers", audience=audience, kind=kind)


# -- pages -------------------------------------------------------------------------------------------------------


@bp.get(f"/<{AUDIENCES}:audience>/<{KINDS}:kind>")
def journey_start(audience: str, kind: str) -> ResponseReturnValue:
    """Start a journey, or pick it up where it was left."""
    journey = _journey(audience, kind)
    draft = drafts.get_draft(draft_tokens().get(journey.key), journey.key)
    answers = draft.answers if draft else {}
    step = journey.first_incomplete(answers, drafts.journey_context())
    return redirect(_step_url(journey, step.key) if step else _check_url(journey))


@bp.route(f"/<{AUDIENCES}:audience>/<{KINDS}:kind>/<step>", methods=["GET", "POST"])
def question(audience: str, kind: str, step: str) -> ResponseReturnValue:
    journey = _journey(audience, kind)
    definition = journey.step(step)
    if definition is None:
        abort(404)
    tokens = draft_tokens()
    draft = drafts.get_draft(tokens.get(journey.key), journey.key)
    answers = dict(draft.answers) if draft else {}
    ctx = drafts.journey_context()
    change = request.args.get("change") == "1"
    if not definition.visible(answers, ctx):
        return redirect(url_for("public.journey_start", audience=audience, kind=kind))
    first_gap = journey.first_incomplete(answers, ctx)
    visible_keys = [s.key for s in journey.visible_steps(answers, ctx)]
    if first_gap is not None and visible_keys.index(step) > visible_keys.index(first_gap.key):
        # Skipping ahead (an old bookmark): go to the first page not yet answered.
        return redirect(_step_url(journey, first_gap.key))
    posted = request.method == "POST"
    form = build_form(journey, step, answers, drafts.journey_choices(), ctx, posted=posted)
    if posted and form.validate_on_submit():
        if form.is_spam():
            log.info("honeypot filled on %s/%s", journey.key, step)
            abort(400)
        draft = drafts.save_step(tokens.get(journey.key), journey, step, form.to_answers())
        tokens[journey.key] = draft.id
        answers = draft.answers
        following = journey.next_after_change(step, answers, ctx) if change else journey.next_step(step, answers, ctx)
        target = _step_url(journey, following.key, change=change) if following else _check_url(journey)
        return _store_tokens(redirect(target), tokens)
    previous = journey.previous_step(step, answers, ctx)
    if change:
        back_url = _check_url(journey)
    elif previous is not None:
        back_url = _step_url(journey, previous.key)
    else:
        back_url = url_for("public.start")
    return render_template(
        "public/journey/question.html",
        **_context(journey, form=form, step=step, back_url=back_url, answers=answers),
    )


@bp.route(f"/<{AUDIENCES}:audience>/<{KINDS}:kind>/check-your-answers", methods=["GET", "POST"])
@ratelimits.public_submit
def check_answers(audience: str, kind: str) -> ResponseReturnValue:
    journey = _journey(audience, kind)
    tokens = draft_tokens()
    submitted = dict(session.get("submitted") or {})
    # A resubmitted form (back button, double click) finds the draft it already sent in the session.
    token = tokens.get(journey.key) or submitted.get(journey.key)
    form = SubmitForm()
    if request.method == "POST" and form.validate_on_submit():
        if form.contact_me_by_fax_only.data:
            log.info("honeypot filled on %s submit", journey.key)
            abort(400)
        result = drafts.submit(token, journey)
        if result.created is None:
            return redirect(url_for("public.journey_start", audience=audience, kind=kind))
        submission = result.created.submission
        confirmation = {"id": submission.id, "journey": journey.key}
        if result.created.tracking_code:
            confirmation["code"] = result.created.tracking_code
        elif session.get("confirmation", {}).get("id") == submission.id:
            confirmation = session["confirmation"]  # a double click keeps the code from the first click
        session["confirmation"] = confirmation
        session["submitted"] = {**submitted, journey.key: token}
        tokens.pop(journey.key, None)
        return _store_tokens(redirect(url_for("public.confirmation", audience=audience, kind=kind)), tokens)
    draft = drafts.get_draft(token, journey.key)
    ctx = drafts.journey_context()
    if draft is None or not journey.is_complete(draft.answers or {}, ctx):
        if token and request.method == "GET" and _already_submitted(token):
            return redirect(url_for("public.confirmation", audience=audience, kind=kind))
        return redirect(url_for("public.journey_start", audience=audience, kind=kind))
    rows = answer_rows(journey, draft.answers, ctx, drafts.list_labels_for(journey, draft.answers))
    last = journey.visible_steps(draft.answers, ctx)[-1]
    return render_template(
        "public/journey/check_answers.html",
        **_context(
            journey,
            form=form,
            rows=rows,
            step_url=lambda key: _step_url(journey, key, change=True),
            back_url=_step_url(journey, last.key),
        ),
    )


def _already_submitted(token: str) -> bool:
    return existing_for_draft(token) is not None


@bp.get(f"/<{AUDIENCES}:audience>/<{KINDS}:kind>/sent")
def confirmation(audience: str, kind: str) -> ResponseReturnValue:
    journey = _journey(audience, kind)
    info = session.get("confirmation") or {}
    if info.get("journey") != journey.key:
        return redirect(url_for("public.start"))
    submission = submission_by_id(info.get("id"))
    if submission is None:
        return redirect(url_for("public.start"))
    code = info.pop("code", None)  # shown once
    session["confirmation"] = info
    return render_template(
        "public/journey/confirmation.html",
        **_context(journey, submission=submission, dates=what_happens_next(submission), tracking_code=code),
    )


@bp.route(f"/<{AUDIENCES}:audience>/<{KINDS}:kind>/delete-answers", methods=["GET", "POST"])
def discard(audience: str, kind: str) -> ResponseReturnValue:
    journey = _journey(audience, kind)
    tokens = draft_tokens()
    form = DiscardForm()
    if form.validate_on_submit():
        drafts.discard(tokens.pop(journey.key, None))
        session["discarded"] = True
        return _store_tokens(redirect(url_for("public.start")), tokens)
    return render_template(
        "public/journey/discard.html",
        **_context(journey, form=form, back_url=url_for("public.journey_start", audience=audience, kind=kind)),
    )


def unfinished_journeys() -> list[tuple[Journey, str, datetime]]:
    """(journey, title, last saved) for each live draft this browser holds, for the start page."""
    found = []
    for key, token in draft_tokens().items():
        draft = drafts.get_draft(token, key)
        if draft is not None:
            found.append((JOURNEYS[key], JOURNEYS[key].title, draft.updated_at))
    return found
