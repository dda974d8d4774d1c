"""Two small public endpoints for security people:

- ``POST /csp-report``: browsers report Content Security Policy violations here (``report-uri`` and the Reporting
  API's ``report-to``). A report is logged as one line with the directive, the blocked resource's origin (never its
  path or query) and the name of the page's route (never its URL, which could carry a token), so nothing personal
  is kept. It is rate-limited per address and for everyone together.
- ``GET /.well-known/security.txt`` (RFC 9116), from settings: who to tell about a vulnerability.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app
from flask import request as flask_request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from portal.extensions import csrf
from portal.ratelimits import apply, everyone, on_post

log = logging.getLogger(__name__)

bp = Blueprint("security", __name__)

REPORT_PATH = "/csp-report"
MAX_REPORT_BYTES = 16 * 1024
_KEYWORDS = {"inline", "eval", "wasm-eval", "data", "blob", "self", "trusted-types-policy", "trusted-types-sink"}


def _origin(value: object) -> str:
    """'inline', 'eval' ... as they are; a URL reduced to scheme://host; anything else 'other'."""
    text = str(value or "").strip()
    if text.lower() in _KEYWORDS:
        return text.lower()
    parts = urlsplit(text)
    if parts.scheme in {"http", "https"} and parts.hostname:
        return f"{parts.scheme}://{parts.hostname}"
    return parts.scheme or "other"


def _route(document_url: object) -> str:
    """The endpoint name of the page the violation happened on (a URL's path can hold a token)."""
    path = urlsplit(str(document_url or "")).path or "/"
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path, method="GET")
    except RequestRedirect:
        return "redirect"
    except HTTPException:
        return "unknown"
    return str(endpoint)


def _reports(payload: Any) -> list[dict[str, Any]]:
    """Both formats: {"csp-report": {...}} from report-uri, and a list of {"type", "body"} from report-to."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        body = payload["csp-report"]
        return [
            {
                "directive": body.get("effective-directive") or body.get("violated-directive"),
                "blocked": body.get("blocked-uri"),
                "page": body.get("document-uri"),
                "disposition": body.get("disposition"),
            }
        ]
    if isinstance(payload, list):
        return [
            {
                "directive": item["body"].get("effectiveDirective"),
                "blocked": item["body"].get("blockedURL"),
                "page": item["body"].get("documentURL"),
                "disposition": item["body"].get("disposition"),
            }
            for item in payload[:10]
            if isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
    return []


def _word(value: object) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isalnum() or ch in "-_")
    return text[:40] or "unknown"


@bp.post(REPORT_PATH)
@csrf.exempt
@apply(on_post("RATELIMIT_CSP_REPORT"), on_post("RATELIMIT_CSP_REPORT_GLOBAL", key_func=everyone))
def csp_report() -> Response:
    if (flask_request.content_length or 0) > MAX_REPORT_BYTES:
        return Response(status=413)
    try:
        payload = json.loads(flask_request.get_data(cache=False)[:MAX_REPORT_BYTES] or b"null")
    except ValueError:
        return Response(status=400)
    for report in _reports(payload):
        log.warning(
            "csp violation directive=%s blocked=%s page=%s disposition=%s",
            _word(report["directive"]),
            _origin(report["blocked"]),
            _route(report["page"]),
            _word(report["disposition"]),
        )
    return Response(status=204)


def _expires() -> str:
    configured = current_app.config.get("SECURITY_TXT_EXPIRES")
    if configured:
        return str(configured)
    return (datetime.now(UTC) + timedelta(days=180)).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    cfg = current_app.config
    lines = [f"Contact: {cfg['SECURITY_CONTACT'] or 'mailto:' + cfg['COUNCIL_EMAIL']}", f"Expires: {_expires()}"]
    if cfg.get("SECURITY_POLICY_URL"):
        lines.append(f"Policy: {cfg['SECURITY_POLICY_URL']}")
    lines += [
        "Preferred-Languages: en",
        f"Canonical: {cfg['PUBLIC_BASE_URL'].rstrip('/')}/.well-known/security.txt",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
