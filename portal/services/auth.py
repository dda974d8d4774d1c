"""Staff sign-in: password check with a throttle (ASVS 2.2.1), TOTP second factor (enrolment, replay protection,
recovery codes), password reset by emailed one-time link, password change and sign-out everywhere.

Wrong passwords or codes throttle an account, they never ban it: after SIGN_IN_LOCKOUT_THRESHOLD failures each
further one makes a new device wait (1, 2, 4 ... minutes, at most SIGN_IN_THROTTLE_MAX_MINUTES), while a device the
person has signed in on before (``known_device``) is still checked normally. Failed passwords against many
accounts in a short time (password spraying) raise an alert to the complaints managers.

Every attempt is audited (never with the password, the code or an unknown email address).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.domain import DomainError
from portal.domain.access import Action, roles_with
from portal.domain.enums import MessageChannel
from portal.extensions import db
from portal.models import AuditEvent, RecoveryCode, StaffUser
from portal.services import audit
from portal.services.clock import now_utc
from portal.services.outbox import queue_message
from portal.services.passwords import burn_time, hash_password, password_problems, verify_password
from portal.services.uow import transactional, unit_of_work
from portal.services.users import find_by_email, normalise_email

log = logging.getLogger(__name__)

SIGN_IN_ERROR = "Enter a correct email address and password"
CODE_ERROR = "Enter a correct security code"
RECOVERY_CODE_COUNT = 10
RESET_LINK_MINUTES = 60
ISSUER = "Complaints casework"
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class SignInError(DomainError):
    """A sign-in step failed. The message is generic on purpose."""


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg_data_uri: str

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def _audit_attempt(action: str, user: StaffUser | None, **after: object) -> None:
    audit.record(action, "staff_user", user.id if user else None, actor_id=user.id if user else None, after=after)


def _register_failure(user: StaffUser, stage: str) -> None:
    now = now_utc()
    user.failed_sign_ins += 1
    threshold = int(current_app.config["SIGN_IN_LOCKOUT_THRESHOLD"])
    if user.failed_sign_ins >= threshold:
        # A throttle, not a ban: the wait doubles with every further failure (1, 2, 4 ... minutes) up to a cap.
        cap = timedelta(minutes=int(current_app.config["SIGN_IN_THROTTLE_MAX_MINUTES"]))
        exponent = min(user.failed_sign_ins - threshold, 20)
        user.locked_until = now + min(timedelta(minutes=2**exponent), cap)
    _audit_attempt(
        "auth.sign_in_failed",
        user,
        stage=stage,
        failures=user.failed_sign_ins,
        locked_until=user.locked_until.isoformat() if user.locked_until else None,
    )


def is_locked(user: StaffUser) -> bool:
    """Throttled: a new device must wait before this account's password is checked again."""
    return user.locked_until is not None and user.locked_until > now_utc()


def _unknown_account(email: str) -> str:
    """A keyed hash of an address that has no account, so spraying can be counted without keeping the address."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:16]


def _refuse(user: StaffUser | None, **after: object) -> None:
    _audit_attempt("auth.sign_in_failed", user, stage="password", **after)
    _watch_for_spraying()


def check_password(email: str, password: str, *, known_device: bool = False) -> StaffUser:
    """First step. Returns the user when the password is right and the account usable; raises SignInError.
    The attempt is recorded (and a failure counted) either way, so the record is saved before the error.

    ``known_device``: this browser has completed a sign-in to this account before, so a throttle does not apply.
    """
    with unit_of_work():
        user = _password_step(email, password, known_device=known_device)
    if user is None:
        raise SignInError(SIGN_IN_ERROR)
    return user


def _password_step(email: str, password: str, *, known_device: bool) -> StaffUser | None:
    user = find_by_email(email)
    if user is None:
        burn_time()
        _refuse(None, reason="unknown_email", account=_unknown_account(email))
        return None
    if is_locked(user) and not known_device:
        burn_time()
        _refuse(user, reason="throttled")
        return None
    if not verify_password(user.password_hash, password):
        _register_failure(user, "password")
        _watch_for_spraying()
        return None
    if not user.active:
        _refuse(user, reason="deactivated")
        return None
    _audit_attempt("auth.password_accepted", user, known_device=known_device)
    return user


# Password spraying: one or two passwords tried against many accounts ------------------------------------------

SPRAYING = "security.password_spraying"


@dataclass(frozen=True)
class SprayingAlert:
    occurred_at: datetime
    failed_attempts: int
    accounts: int
    window_minutes: int


def _watch_for_spraying() -> None:
    """Alert the complaints managers (once per window) when failed passwords reach SPRAY_ALERT_ACCOUNTS accounts."""
    cfg = current_app.config
    minutes = int(cfg["SPRAY_ALERT_WINDOW_MINUTES"])
    since = now_utc() - timedelta(minutes=minutes)
    db.session.flush()
    rows = db.session.execute(
        sa.select(AuditEvent.object_id, AuditEvent.after).where(
            AuditEvent.action == "auth.sign_in_failed", AuditEvent.occurred_at >= since
        )
    ).all()
    failures = [(object_id, after or {}) for object_id, after in rows if (after or {}).get("stage") == "password"]
    accounts = {str(object_id) if object_id is not None else after.get("account") for object_id, after in failures}
    if len(accounts) < int(cfg["SPRAY_ALERT_ACCOUNTS"]):
        return
    already = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == SPRAYING, AuditEvent.occurred_at >= since)
    )
    if already:
        return
    audit.record(
        SPRAYING,
        "sign_in",
        actor_label="system",
        after={"failed_attempts": len(failures), "accounts": len(accounts), "window_minutes": minutes},
    )
    _alert_managers(len(failures), len(accounts), minutes)
    log.warning("password spraying suspected: %s failed sign-ins on %s accounts", len(failures), len(accounts))


def _alert_managers(failed: int, accounts: int, minutes: int) -> None:
    stamp = now_utc().strftime("%Y-%m-%dT%H:%M")
    body = (
        f"In the last {minutes} minutes there were {failed} failed sign-ins to complaints casework, against "
        f"{accounts} different accounts. This looks like someone trying common passwords on many accounts "
        "(password spraying).\n\nAccounts are slowed down, not locked: staff on their usual computers can still sign "
        "in. Ask your IT security team to check the service's logs, and remind staff to use strong passwords. You "
        "can see this alert under Security in the staff area."
    )
    managers = db.session.scalars(
        sa.select(StaffUser).where(
            StaffUser.active.is_(True), StaffUser.role.in_(sorted(roles_with(Action.RECEIVE_SECURITY_ALERTS)))
        )
    )
    for manager in managers:
        queue_message(
            channel=MessageChannel.EMAIL,
            recipient=manager.email,
            template="password_spraying",
            subject="Possible attack on staff sign-in",
            body=body,
            dedupe_key=f"password-spraying:{stamp}:user:{manager.id}",
        )


def spraying_alerts(days: int = 30) -> list[SprayingAlert]:
    """Alerts raised in the last ``days`` days, newest first (for the staff area's security page)."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == SPRAYING, AuditEvent.occurred_at >= now_utc() - timedelta(days=days))
        .order_by(AuditEvent.occurred_at.desc())
    )
    return [
        SprayingAlert(
            occurred_at=event.occurred_at,
            failed_attempts=int((event.after or {}).get("failed_attempts", 0)),
            accounts=int((event.after or {}).get("accounts", 0)),
            window_minutes=int((event.after or {}).get("window_minutes", 0)),
        )
        for event in events
    ]


def throttled_accounts() -> list[StaffUser]:
    """Accounts a new device must wait to sign in to, right now."""
    return list(
        db.session.scalars(sa.select(StaffUser).where(StaffUser.locked_until > now_utc()).order_by(StaffUser.full_name))
    )


def needs_enrolment(user: StaffUser) -> bool:
    return user.totp_secret is None or user.totp_enabled_at is None


def _accept_totp(user: StaffUser, code: str) -> bool:
    """Accept a code from the current, previous or next 30-second step, once: a used step cannot be replayed."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6 or not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = now_utc()
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if user.last_totp_step is not None and step <= user.last_totp_step:
            continue
        expected = totp.generate_otp(step)
        if hmac.compare_digest(expected, code):
            user.last_totp_step = step
            return True
    return False


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash_recovery(code: str) -> str:
    return "sha256$" + hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def _accept_recovery_code(user: StaffUser, code: str) -> bool:
    normalised = _normalise_recovery(code)
    if len(normalised) != 12:
        return False
    wanted = _hash_recovery(normalised)
    for row in user.recovery_codes:
        if row.used_at is None and hmac.compare_digest(row.code_hash, wanted):
            row.used_at = now_utc()
            return True
    return False


def verify_second_factor(user: StaffUser, code: str, *, known_device: bool = False) -> str:
    """Second step: a TOTP code or an unused recovery code. Returns "totp" or "recovery_code"; raises SignInError
    (after the failed attempt is saved)."""
    with unit_of_work():
        method = _second_factor_step(user, code, known_device=known_device)
    if method is None:
        raise SignInError(CODE_ERROR)
    return method


def _second_factor_step(user: StaffUser, code: str, *, known_device: bool) -> str | None:
    if (is_locked(user) and not known_device) or not user.active or needs_enrolment(user):
        _audit_attempt("auth.sign_in_failed", user, stage="two_factor", reason="locked_or_inactive")
        return None
    method = None
    if _accept_totp(user, code):
        method = "totp"
    elif _accept_recovery_code(user, code):
        method = "recovery_code"
    if method is None:
        _register_failure(user, "two_factor")
        return None
    _complete(user, method)
    return method


def _complete(user: StaffUser, method: str) -> None:
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now_utc()
    remaining = sum(1 for r in user.recovery_codes if r.used_at is None)
    _audit_attempt("auth.signed_in", user, method=method, recovery_codes_left=remaining)


def remaining_recovery_codes(user: StaffUser) -> int:
    return sum(1 for r in user.recovery_codes if r.used_at is None)


def begin_enrolment(user: StaffUser) -> Enrolment:
    """Give the user a new secret (kept until confirmed with a code) and its QR code, drawn on our server."""
    if not needs_enrolment(user):
        raise DomainError("Two-factor authentication is already set up")
    if not user.totp_secret:
        with unit_of_work():
            user.totp_secret = pyotp.random_base32()
    return enrolment_for(user)


def enrolment_for(user: StaffUser) -> Enrolment:
    secret = user.totp_secret or ""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config.get("ISSUER", ISSUER))
    qr = segno.make(uri, error="m")
    return Enrolment(secret=secret, uri=uri, qr_svg_data_uri=qr.svg_data_uri(scale=5, border=2))


def _new_recovery_codes(user: StaffUser) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.expire(user, ["recovery_codes"])
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(raw)))
    return codes


def confirm_enrolment(user: StaffUser, code: str) -> list[str]:
    """Check the first code from the new authenticator; returns the recovery codes (shown once, stored hashed)."""
    if not needs_enrolment(user) or not user.totp_secret:
        raise DomainError("Two-factor authentication is already set up")
    codes: list[str] = []
    with unit_of_work():
        if _accept_totp(user, code):
            user.totp_enabled_at = now_utc()
            codes = _new_recovery_codes(user)
            audit.record("user.two_factor_enrolled", "staff_user", user.id, actor_id=user.id)
            _complete(user, "totp_enrolment")
        else:
            _register_failure(user, "two_factor_enrolment")  # saved before the error below
    if not codes:
        raise SignInError(CODE_ERROR)
    return codes


@transactional
def regenerate_recovery_codes(user: StaffUser) -> list[str]:
    codes = _new_recovery_codes(user)
    audit.record("user.recovery_codes_regenerated", "staff_user", user.id, actor_id=user.id)
    return codes


@transactional
def sign_out_everywhere(user: StaffUser) -> None:
    user.session_version += 1
    audit.record("auth.signed_out_everywhere", "staff_user", user.id, actor_id=user.id)


@transactional
def record_sign_out(user: StaffUser) -> None:
    audit.record("auth.signed_out", "staff_user", user.id, actor_id=user.id)


def _set_password(user: StaffUser, new_password: str) -> None:
    problems = password_problems(new_password, email=user.email, full_name=user.full_name)
    if problems:
        raise DomainError(problems[0])
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now_utc()
    user.session_version += 1  # every other session ends
    user.failed_sign_ins = 0
    user.locked_until = None


def change_password(user: StaffUser, *, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        with unit_of_work():
            _register_failure(user, "change_password")  # saved before the error below
        raise DomainError("Enter your current password correctly")
    if current_password == new_password:
        raise DomainError("Enter a new password that is different from your current one")
    with unit_of_work():
        _set_password(user, new_password)
        audit.record("user.password_changed", "staff_user", user.id, actor_id=user.id)


# Password reset by an emailed one-time link ------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-password-reset")


def _password_fingerprint(user: StaffUser) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def make_reset_token(user: StaffUser) -> str:
    return _serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})


@transactional
def request_password_reset(email: str, *, link_for: Callable[[str], str]) -> None:
    """Queue a reset email when the address belongs to an active account. Says nothing either way."""
    user = find_by_email(email)
    if user is None or not user.active:
        _audit_attempt("auth.password_reset_requested", None, known=False)
        return
    link = link_for(make_reset_token(user))
    body = (
        f"Dear {user.full_name},\n\n"
        "Someone asked to reset the password of your complaints casework account. If it was you, use this link "
        f"within {RESET_LINK_MINUTES} minutes. It works once.\n\n{link}\n\n"
        "If it was not you, you do not need to do anything: your password has not changed. Tell your manager if "
        "this keeps happening."
    )
    queue_message(
        channel=MessageChannel.EMAIL,
        recipient=user.email,
        template="staff_password_reset",
        subject="Reset your password",
        body=body,
    )
    _audit_attempt("auth.password_reset_requested", user, known=True)


def user_for_reset_token(token: str) -> StaffUser:
    try:
        data = _serializer().loads(token, max_age=RESET_LINK_MINUTES * 60)
    except SignatureExpired as exc:
        raise DomainError("This link has expired. Ask for a new one") from exc
    except BadSignature as exc:
        raise DomainError("This link is not valid. Ask for a new one") from exc
    user = db.session.get(StaffUser, int(data.get("u", 0))) if isinstance(data, dict) else None
    if user is None or not user.active or not hmac.compare_digest(str(data.get("p")), _password_fingerprint(user)):
        raise DomainError("This link has already been used or is not valid. Ask for a new one")
    return user


@transactional
def reset_password(token: str, new_password: str) -> StaffUser:
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    audit.record("user.password_reset", "staff_user", user.id, actor_id=user.id)
    return user
