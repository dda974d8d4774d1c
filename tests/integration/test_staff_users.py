"""create_user, the password rules and the create-user / totp-code commands."""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa

from portal.domain import DomainError
from portal.domain.enums import Role
from portal.models import AuditEvent, StaffUser
from portal.services.passwords import is_common, password_problems, verify_password
from portal.services.users import create_user
from tests.factories import make_team

GOOD = "lantern orchard violet 58"


def test_create_user_hashes_with_scrypt_and_audits(db):
    team = make_team()
    user = create_user(
        email=" Ann.Lee@Example.gov.uk ", full_name="Ann Lee", role=Role.RESPONDING_MANAGER, password=GOOD, teams=[team]
    )
    assert user.email == "ann.lee@example.gov.uk"
    assert user.password_hash.startswith("scrypt:")
    assert verify_password(user.password_hash, GOOD)
    assert [t.name for t in user.teams] == [team.name]
    assert user.totp_secret is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.object_id == user.id
    assert GOOD not in str(event.after)


def test_create_user_with_totp_secret_is_enrolled(db):
    secret = pyotp.random_base32()
    user = create_user(
        email="demo@example.gov.uk", full_name="Demo", role="complaints_manager", password=GOOD, totp_secret=secret
    )
    assert user.totp_secret == secret and user.totp_enabled_at is not None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "12 characters or more"),
        ("password1234", "too common"),
        ("Password123!", "too common"),
        ("qwertyuiop12", "too common"),
        ("P@ssw0rd2024", "too common"),
        ("aaaaaaaaaaaaaaaa", "repeated"),
        ("annleeannlee1", "name or email"),
    ],
    ids=["short", "common", "common-capitalised", "keyboard", "leet", "repeated", "personal"],
)
def test_password_rules_reject(app, password, message):
    problems = password_problems(password, email="annlee@example.gov.uk", full_name="Ann Lee")
    assert problems and message in problems[0]


def test_password_rules_accept_a_passphrase(app):
    assert password_problems(GOOD, email="annlee@example.gov.uk", full_name="Ann Lee") == []
    assert not is_common(GOOD)


def test_create_user_refuses_weak_password_and_duplicates(db):
    with pytest.raises(DomainError, match="too common"):
        create_user(email="x@example.gov.uk", full_name="X Person", role=Role.ADVOCATE, password="iloveyou1234")
    create_user(email="x@example.gov.uk", full_name="X Person", role=Role.ADVOCATE, password=GOOD)
    with pytest.raises(DomainError, match="already an account"):
        create_user(email="X@example.gov.uk", full_name="X Person", role=Role.ADVOCATE, password=GOOD)


def test_create_user_command_reads_password_from_stdin(runner, db):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "boss@example.gov.uk",
            "--role",
            "complaints_manager",
            "--name",
            "Big Boss",
            "--team",
            "Safeguarding Hub",
            "--password-stdin",
        ],
        input=GOOD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "authenticator app" in result.output
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "boss@example.gov.uk"))
    assert user.role == Role.COMPLAINTS_MANAGER and user.full_name == "Big Boss"
    assert [t.name for t in user.teams] == ["Safeguarding Hub"]


def test_create_user_command_prompts_and_rejects_weak_password(runner, db):
    result = runner.invoke(
        args=["create-user", "--email", "a@example.gov.uk", "--role", "administrator"],
        input="password1234\npassword1234\n",
    )
    assert result.exit_code == 1
    assert "too common" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffUser)) == 0


def test_totp_code_command_prints_current_code(runner, db, app, monkeypatch):
    secret = pyotp.random_base32()
    create_user(
        email="demo@example.gov.uk", full_name="Demo", role="complaints_manager", password=GOOD, totp_secret=secret
    )
    result = runner.invoke(args=["totp-code", "--email", "demo@example.gov.uk"])
    assert result.exit_code == 0
    assert pyotp.TOTP(secret).verify(result.output.strip())
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    refused = runner.invoke(args=["totp-code", "--email", "demo@example.gov.uk"])
    assert refused.exit_code == 1 and "development only" in refused.output
