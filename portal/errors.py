"""Friendly error pages for every status the app can return, including an expired form."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

PAGES = {
    400: "Sorry, there is a problem with that request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, that action is not allowed here",
    413: "What you sent is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):  # type: ignore[no-untyped-def]
        log.info("csrf failure path=%s reason=%s", request.path, error.description)
        return render_template("errors/csrf.html", back_url=request.path), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        if code not in PAGES:
            return error
        return render_template(f"errors/{code}.html", title=PAGES[code]), code

    @app.errorhandler(Exception)
    def _unhandled(error: Exception):  # type: ignore[no-untyped-def]
        if isinstance(error, HTTPException):
            return _http(error)
        log.exception("unhandled error path=%s", request.path)
        return render_template("errors/500.html", title=PAGES[500]), InternalServerError.code
