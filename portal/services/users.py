"""Staff accounts: create, edit role and teams, deactivate and reactivate, reset two-factor authentication."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pyotp
import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.access import Action, roles_with
from portal.domain.enums import Role
from portal.extensions import db
from portal.models import RecoveryCode, StaffUser, Team
from portal.services import audit
from portal.services.clock import now_utc
from portal.services.passwords import hash_password, password_problems
from portal.services.uow import transactional

log = logging.getLogger(__name__)

USER_FIELDS = ("email", "full_name", "job_title", "role", "active", "team_ids")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(sa.select(StaffUser).where(StaffUser.email == normalise_email(email)))


def active_user(user_id: int) -> StaffUser | None:
    """The account with this id, if it exists and may still sign in."""
    user = db.session.get(StaffUser, user_id)
    return user if user is not None and user.active else None


def _snapshot(user: StaffUser) -> dict:
    data = audit.snapshot(user, [f for f in USER_FIELDS if f != "team_ids"])
    data["team_ids"] = sorted(t.id for t in user.teams)
    return data


def _teams(teams: Iterable[Team | int]) -> list[Team]:
    result = []
    for team in teams:
        if isinstance(team, Team):
            result.append(team)
            continue
        loaded = db.session.get(Team, int(team))
        if loaded is None:
            raise DomainError(f"There is no team with id {team}")
        result.append(loaded)
    return result


@transactional
def create_user(
    *,
    email: str,
    full_name: str,
    role: Role | str,
    password: str,
    teams: Iterable[Team | int] = (),
    totp_secret: str | None = None,
    actor_id: int | None = None,
    job_title: str | None = None,
) -> StaffUser:
    """Create a staff account. Raises DomainError (plain English) when the email is taken or the password weak.

    With ``totp_secret`` (a base32 secret) two-factor authentication is already enrolled, as for demo data;
    otherwise the person enrols with a QR code on first sign-in.
    """
    email = normalise_email(email)
    if not email or "@" not in email:
        raise DomainError("Enter an email address in the correct format, like name@example.gov.uk")
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError("Enter the person's full name")
    role = Role(role)
    if find_by_email(email) is not None:
        raise DomainError("There is already an account with this email address")
    problems = password_problems(password, email=email, full_name=full_name)
    if problems:
        raise DomainError(problems[0])
    if totp_secret is not None:
        try:
            pyotp.TOTP(totp_secret).now()
        except Exception as exc:
            raise DomainError("The two-factor secret must be base32 text") from exc
    now = now_utc()
    user = StaffUser(
        email=email,
        full_name=full_name,
        job_title=(job_title or "").strip() or None,
        role=role,
        password_hash=hash_password(password),
        password_changed_at=now,
        totp_secret=totp_secret,
        totp_enabled_at=now if totp_secret else None,
        active=True,
    )
    user.teams = _teams(teams)
    db.session.add(user)
    db.session.flush()
    after = _snapshot(user)
    after["two_factor_preset"] = totp_secret is not None
    audit.record("user.created", "staff_user", user.id, actor_id=actor_id, after=after)
    log.info("staff user %s created with role %s", user.id, role.value)
    return user


@transactional
def update_user(
    user: StaffUser,
    *,
    full_name: str,
    job_title: str | None,
    role: Role | str,
    teams: Iterable[Team | int],
    actor_id: int | None,
) -> StaffUser:
    if actor_id == user.id and Role(role) != user.role:
        raise DomainError("You cannot change your own role. Ask another administrator")
    before = _snapshot(user)
    user.full_name = full_name.strip()
    user.job_title = (job_title or "").strip() or None
    role_changed = Role(role) != user.role
    user.role = Role(role)
    user.teams = _teams(teams)
    if role_changed:
        user.session_version += 1  # a new role takes effect at the next sign-in
    db.session.flush()
    old, new = audit.changes(before, _snapshot(user))
    if new:
        audit.record("user.updated", "staff_user", user.id, actor_id=actor_id, before=old, after=new)
    return user


@transactional
def set_active(user: StaffUser, *, active: bool, actor_id: int | None) -> StaffUser:
    if actor_id == user.id and not active:
        raise DomainError("You cannot deactivate your own account")
    if user.active == active:
        return user
    user.active = active
    user.session_version += 1
    if active:
        user.failed_sign_ins = 0
        user.locked_until = None
    audit.record(
        "user.reactivated" if active else "user.deactivated",
        "staff_user",
        user.id,
        actor_id=actor_id,
        before={"active": not active},
        after={"active": active},
    )
    return user


@transactional
def reset_two_factor(user: StaffUser, *, actor_id: int | None) -> StaffUser:
    """Remove the authenticator and recovery codes: the person enrols again at their next sign-in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.last_totp_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_version += 1
    audit.record("user.two_factor_reset", "staff_user", user.id, actor_id=actor_id)
    return user


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(sa.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.full_name)))


def users_who_can(action: Action) -> list[StaffUser]:
    """Active staff whose role may take ``action`` (the "assign to" lists), by name."""
    return list(
        db.session.scalars(
            sa.select(StaffUser)
            .where(StaffUser.active.is_(True), StaffUser.role.in_(sorted(roles_with(action))))
            .order_by(StaffUser.full_name)
        )
    )
