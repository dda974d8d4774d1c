"""The public blueprint: start page, journeys, tracking, and the pages every public site needs."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.public import journey_views, tracking_views, views  # noqa: E402,F401
