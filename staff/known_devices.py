"""Known devices: a browser where an account has completed both sign-in factors before.

After a full sign-in the browser gets a long-lived, signed cookie naming (by a hash, never the address itself) the
accounts that signed in on it. An account that is being throttled after many wrong passwords (portal/services/
auth.py) still accepts the right password from such a device, and the per-account rate limits do not count it, so
nobody can lock a member of staff out of their own computer by guessing at their account (ASVS 2.2.1).
"""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.ratelimits import hashed
from portal.services.users import normalise_email

COOKIE = "portal_known_device"
SALT = "staff-known-device"
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age() -> int:
    return int(current_app.config["KNOWN_DEVICE_DAYS"]) * 24 * 3600


def account_key(email: str) -> str:
    return hashed("known-device:" + normalise_email(email))


def known_accounts() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        data = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:
        return []
    return [str(item) for item in data] if isinstance(data, list) else []


def is_known(email: str | None) -> bool:
    return bool(email) and account_key(email or "") in known_accounts()


def remember(response: Response, email: str) -> Response:
    """Add the account to this browser's known accounts (the most recent few)."""
    key = account_key(email)
    accounts = [key, *(a for a in known_accounts() if a != key)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(accounts),
        max_age=_max_age(),
        path="/staff",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response
