"""Password rules and hashing for staff accounts.

- at least PASSWORD_MIN_LENGTH characters (12 by default) and at most 256;
- not one of the common or breached passwords in the list bundled with the zxcvbn package (30,000 entries, read
  from the installed package, never fetched), including simple variations such as a common password followed by
  digits or punctuation, or with letters swapped for look-alike digits;
- not built from the person's own name or email address, and not one character repeated;
- hashed with scrypt (werkzeug).
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MAX_LENGTH = 256
HASH_METHOD = "scrypt"
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The zxcvbn package's bundled frequency list of common and breached passwords (lower case)."""

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def _variants(password: str) -> set[str]:
    lowered = password.lower()
    compact = re.sub(r"\s+", "", lowered)
    stripped = re.sub(r"[\d\W_]+$", "", compact)
    stripped = re.sub(r"^[\d\W_]+", "", stripped)
    return {lowered, compact, stripped, compact.translate(_LEET), stripped.translate(_LEET)}


def is_common(password: str) -> bool:
    words = common_passwords()
    return any(v and v in words for v in _variants(password))


def password_problems(password: str, *, email: str | None = None, full_name: str | None = None) -> list[str]:
    """Plain-English reasons the password is not allowed (empty when it is fine)."""
    minimum = int(current_app.config.get("PASSWORD_MIN_LENGTH", 12))
    if not password:
        return ["Enter a password"]
    if len(password) < minimum:
        return [f"Password must be {minimum} characters or more"]
    if len(password) > MAX_LENGTH:
        return [f"Password must be {MAX_LENGTH} characters or fewer"]
    if len(set(password)) <= 2:
        return ["Password must not be one or two characters repeated"]
    if is_common(password):
        return ["Password is too common: it appears in lists of passwords that criminals try first. Choose another"]
    compact = re.sub(r"[\W_]+", "", password.lower())
    personal = []
    if email:
        personal.append(re.sub(r"[\W_]+", "", email.split("@", 1)[0].lower()))
    if full_name:
        personal.append(re.sub(r"[\W_]+", "", full_name.lower()))
    for item in personal:
        if len(item) >= 4 and item in compact and len(compact.replace(item, "")) < minimum // 2:
            return ["Password must not be based on your name or email address"]
    return []


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash or not password:
        return False
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password-for-timing", method=HASH_METHOD)


def burn_time() -> None:
    """Check a password against a dummy hash so an unknown email takes as long as a wrong password."""
    check_password_hash(_dummy_hash(), "wrong")
