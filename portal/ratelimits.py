"""Rate limits that no IP address can dodge, and the per-IP ones set so that a school or a children's home (30
children behind one address in an hour) is never stopped.

Each form gets up to three limits, every one a setting (portal/config.py, README):
- per IP address (the address as the WSGI server sees it, or as TRUSTED_PROXY_COUNT proxies report it);
- per thing under attack, whatever address the request comes from: a tracking reference, a staff account;
- globally per form, all addresses together.

A wrong guess is what counts against a per-reference or per-account limit: a form that comes back with an error
(status 200) rather than moving on (a redirect). Empty or malformed submissions (no valid reference, no second
factor) cost a child nothing: they are never looked up, and only the general per-IP limit (RATELIMIT_DEFAULT)
applies to them. Every limit keeps the general per-IP limit as well (override_defaults=False).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Response, current_app, request
from flask_limiter import RouteLimit

from portal.domain.references import normalise_reference
from portal.extensions import limiter

F = TypeVar("F", bound=Callable[..., Any])


def setting(name: str) -> Callable[[], str]:
    """A limit read from the serving app's settings on each request."""

    def value() -> str:
        return str(current_app.config[name])

    value.__name__ = f"setting_{name.lower()}"
    return value


def form_value(name: str) -> str:
    return (request.form.get(name) or "").strip()


def everyone() -> str:
    """The key of a global limit: one bucket for every address (scoped to the form's endpoint)."""
    return "everyone"


def wrong_answer(response: Response) -> bool:
    """The form came back (an error shown) instead of moving on: a failed guess."""
    return response.status_code == 200


def hashed(value: str) -> str:
    """Keys in the limit store never hold an email address in clear."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def on_post(
    name: str,
    *,
    key_func: Callable[[], str] | None = None,
    exempt_when: Callable[[], bool] | None = None,
    deduct_when: Callable[[Response], bool] | None = None,
) -> RouteLimit:
    """A limit on a form's POSTs from the setting ``name``, on top of the general per-IP limit."""
    return limiter.limit(
        setting(name),
        key_func=key_func,
        methods=["POST"],
        exempt_when=exempt_when,
        deduct_when=deduct_when,
        override_defaults=False,
    )


def apply(*limits: Callable[[Any], Any]) -> Callable[[F], F]:
    """Stack several limits on one view."""

    def decorator(view: F) -> F:
        wrapped: Any = view
        for limit in reversed(limits):
            wrapped = limit(wrapped)
        return cast(F, wrapped)

    return decorator


# Tracking: reference + email, phone or tracking code ------------------------------------------------------------


def _tracking_reference() -> str | None:
    return normalise_reference(form_value("reference"))


def tracking_not_a_guess() -> bool:
    """Empty or malformed: no valid reference or no second factor, so nothing was looked up."""
    return _tracking_reference() is None or not form_value("check")


def tracking_reference_key() -> str:
    return f"reference:{_tracking_reference()}"


def tracking(view: F) -> F:
    return apply(
        on_post("RATELIMIT_TRACK", exempt_when=tracking_not_a_guess),
        on_post(
            "RATELIMIT_TRACK_REFERENCE",
            key_func=tracking_reference_key,
            exempt_when=tracking_not_a_guess,
            deduct_when=wrong_answer,
        ),
        on_post("RATELIMIT_TRACK_GLOBAL", key_func=everyone, exempt_when=tracking_not_a_guess),
    )(view)


# Sending a public form ----------------------------------------------------------------------------------------


def public_submit(view: F) -> F:
    return apply(on_post("RATELIMIT_PUBLIC_SUBMIT"), on_post("RATELIMIT_PUBLIC_SUBMIT_GLOBAL", key_func=everyone))(view)
