"""Public pages that are not part of a journey."""

from __future__ import annotations

from flask import jsonify, render_template, session
from flask.typing import ResponseReturnValue

from portal.extensions import limiter
from portal.public import bp
from portal.public.journey_views import unfinished_journeys
from portal.services.health import database_answers


@bp.get("/")
def start() -> ResponseReturnValue:
    return render_template(
        "public/start.html", unfinished=unfinished_journeys(), discarded=session.pop("discarded", False)
    )


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template("public/accessibility.html")


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("public/privacy.html")


@bp.get("/contact")
def contact() -> ResponseReturnValue:
    return render_template("public/contact.html")


@bp.get("/health")
@limiter.exempt
def health() -> ResponseReturnValue:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    if not database_answers():
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
