"""gunicorn settings for the portal: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/deployment.md, `make bench`).

Every value can be changed from the environment without editing this file. Proxy headers are the app's business
(TRUSTED_PROXY_COUNT in portal/config.py), so gunicorn is told to trust none itself, and the `Server` header
gunicorn adds to every response (naming the server software) is not sent.
"""

from __future__ import annotations

import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are replaced now and then, so a slow leak can never grow without limit.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
proc_name = "cyp-feedback-portal"
# The app decides which proxy headers to believe (TRUSTED_PROXY_COUNT); gunicorn believes none.
forwarded_allow_ips = ""
# No access log by default: a password-reset link carries its token in the path. The app logs each request's id.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Request sizes: gunicorn's limits, below the app's MAX_CONTENT_LENGTH for bodies.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

_default_headers = _gunicorn_wsgi.Response.default_headers


def _headers_without_server(self: _gunicorn_wsgi.Response) -> list[str]:
    """gunicorn always writes `Server: gunicorn`; it tells an attacker what to look up, so leave it out."""
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _headers_without_server
