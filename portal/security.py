"""Web-facing protections: the Host header checked against TRUSTED_HOSTS, proxy headers trusted only as far as
TRUSTED_PROXY_COUNT says, links built from PUBLIC_BASE_URL, and security headers on every response (a strict CSP
with a per-request nonce, no caching of pages, no framing, HSTS by its own setting)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

from portal import security_endpoints, session_store


class TrustedHostGuard:
    """WSGI middleware: a request whose Host header is not one of TRUSTED_HOSTS gets a plain 400, before any of
    the app runs, so nothing (a link, a redirect, an email) can ever be built from a forged host."""

    def __init__(self, wsgi_app: Any, config: dict[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            get_host(environ, trusted_hosts=self.config["TRUSTED_HOSTS"])
        except SecurityError:
            refused = Response(
                "Bad request: this site does not answer to that host name.\n", 400, mimetype="text/plain"
            )
            refused.headers["X-Content-Type-Options"] = "nosniff"
            refused.headers["Cache-Control"] = "no-store"
            return refused(environ, start_response)
        return self.wsgi_app(environ, start_response)


def wrap_wsgi(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto only from the configured number of proxies, then check the Host header."""
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.wsgi_app = TrustedHostGuard(app.wsgi_app, app.config)  # type: ignore[method-assign]


def public_url(path: str) -> str:
    """An absolute link for a message: PUBLIC_BASE_URL plus a path from url_for, never the request's host."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _content_security_policy(nonce: str, reporting: bool) -> str:
    policy = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    if reporting:
        policy += f"; report-uri {security_endpoints.REPORT_PATH}; report-to csp"
    return policy


def init_app(app: Flask) -> None:
    session_store.init_app(app)
    app.register_blueprint(security_endpoints.bp)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response: Response) -> Response:
        reporting = bool(app.config.get("CSP_REPORTING"))
        response.headers["Content-Security-Policy"] = _content_security_policy(csp_nonce(), reporting)
        if reporting:
            response.headers["Reporting-Endpoints"] = f'csp="{security_endpoints.REPORT_PATH}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # Same-origin: no address leaks to other sites, and Flask-WTF can check the Referer of HTTPS form posts.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("HSTS_ENABLED"):
            response.headers["Strict-Transport-Security"] = (
                f"max-age={int(app.config['HSTS_MAX_AGE'])}; includeSubDomains"
            )
        if not request.path.startswith(("/static/", "/assets/")):
            # Pages may hold a child's words or a case: never keep them in a shared or back-button cache.
            response.headers["Cache-Control"] = "no-store, no-cache, private, must-revalidate"
            response.headers["Pragma"] = "no-cache"
        if request.path.startswith("/staff") or request.path.startswith("/track"):
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
