"""Tracking by reference: check, then a short-lived session showing the status and the actions."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from portal import ratelimits
from portal.domain import DomainError
from portal.models import Submission
from portal.public import bp
from portal.public.forms import AddInformationForm, NextStageForm, TrackForm, WithdrawForm
from portal.services import clock, tracking

log = logging.getLogger(__name__)

TRACKING_MINUTES = 30
GENERIC_ERROR = (
    "We could not find a match for that reference and the details you gave. Check them and try again, or call us."
)


def _tracked() -> Submission | None:
    info = session.get("tracked") or {}
    until = info.get("until")
    if not until or until < clock.now_utc().timestamp():
        session.pop("tracked", None)
        return None
    return tracking.tracked_submission(info.get("id"))


def _keep(submission: Submission) -> None:
    session["tracked"] = {
        "id": submission.id,
        "until": (clock.now_utc() + timedelta(minutes=TRACKING_MINUTES)).timestamp(),
    }


@bp.route("/track", methods=["GET", "POST"])
@ratelimits.tracking
def track() -> ResponseReturnValue:
    form = TrackForm()
    if form.validate_on_submit():
        submission = tracking.find_for_tracking(form.reference.data, form.check.data)
        if submission is not None:
            _keep(submission)
            return redirect(url_for("public.track_status"))
        log.info("tracking check did not match")
        form.reference.errors.append(GENERIC_ERROR)
    return render_template("public/track/start.html", form=form, back_url=url_for("public.start"))


@bp.get("/track/status")
def track_status() -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for("public.track"))
    status = tracking.public_status(submission, clock.today_london())
    return render_template("public/track/status.html", status=status, submission=submission)


@bp.route("/track/add-information", methods=["GET", "POST"])
def track_add_information() -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for("public.track"))
    status = tracking.public_status(submission, clock.today_london())
    if not status.can_add_information:
        return redirect(url_for("public.track_status"))
    form = AddInformationForm()
    if form.validate_on_submit():
        tracking.add_information(submission, form.information.data)
        flash("Thank you. We have added what you told us.", "success")
        return redirect(url_for("public.track_status"))
    return render_template(
        "public/track/add_information.html", form=form, status=status, back_url=url_for("public.track_status")
    )


@bp.route("/track/withdraw", methods=["GET", "POST"])
def track_withdraw() -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for("public.track"))
    status = tracking.public_status(submission, clock.today_london())
    if not status.can_withdraw:
        return redirect(url_for("public.track_status"))
    form = WithdrawForm()
    if form.validate_on_submit():
        if form.confirm.data != "yes":
            return redirect(url_for("public.track_status"))
        try:
            tracking.withdraw(submission, form.reason.data)
        except DomainError as error:
            form.confirm.errors.append(str(error))
        else:
            flash("You have withdrawn your complaint. We will not look into it any further.", "success")
            return redirect(url_for("public.track_status"))
    return render_template(
        "public/track/withdraw.html", form=form, status=status, back_url=url_for("public.track_status")
    )


@bp.route("/track/next-stage", methods=["GET", "POST"])
def track_next_stage() -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for("public.track"))
    status = tracking.public_status(submission, clock.today_london())
    if status.escalation is None or not status.escalation.allowed:
        return redirect(url_for("public.track_status"))
    form = NextStageForm()
    if form.validate_on_submit():
        try:
            tracking.request_next_stage(submission, form.reason.data)
        except DomainError as error:
            form.reason.errors.append(str(error))
        else:
            flash(f"We have your request for {status.escalation.next_stage}.", "success")
            return redirect(url_for("public.track_status"))
    return render_template(
        "public/track/next_stage.html", form=form, status=status, back_url=url_for("public.track_status")
    )


@bp.get("/track/stop")
def track_stop() -> ResponseReturnValue:
    session.pop("tracked", None)
    return redirect(url_for("public.start"))
