"""Small factories for test data. Each test makes only what it needs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from werkzeug.security import generate_password_hash

from portal.domain.enums import Channel, Role, SubmissionKind, SubmissionStatus
from portal.domain.references import generate_reference
from portal.extensions import db
from portal.models import ServiceArea, StaffUser, Submission, Team

TEST_PASSWORD = "correct horse battery staple 42"
_FAST_HASH = generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:1000")


def make_team(name: str = "Family Support Central", area: str = "Family Support") -> Team:
    service_area = db.session.query(ServiceArea).filter_by(name=area).one_or_none()
    if service_area is None:
        service_area = ServiceArea(name=area)
        db.session.add(service_area)
    team = db.session.query(Team).filter_by(name=name).one_or_none()
    if team is None:
        team = Team(name=name, service_area=service_area)
        db.session.add(team)
    db.session.commit()
    return team


_counter = {"n": 0}


def make_staff_user(
    role: Role | str, *, teams: list[Team] | None = None, email: str | None = None, **kw: Any
) -> StaffUser:
    _counter["n"] += 1
    role = Role(role)
    user = StaffUser(
        email=email or f"{role.value}{_counter['n']}@example.gov.uk",
        full_name=kw.pop("full_name", f"Test {role.value.replace('_', ' ').title()} {_counter['n']}"),
        role=role,
        password_hash=kw.pop("password_hash", _FAST_HASH),
        **kw,
    )
    user.teams = list(teams or [])
    db.session.add(user)
    db.session.commit()
    return user


def make_submission(
    kind: SubmissionKind = SubmissionKind.COMPLAINT,
    *,
    received_on: date = date(2026, 11, 2),
    team: Team | None = None,
    status: SubmissionStatus = SubmissionStatus.NEW,
    **kw: Any,
) -> Submission:
    submission = Submission(
        reference=generate_reference(),
        kind=kind,
        channel=kw.pop("channel", Channel.ONLINE_FORM),
        received_at=kw.pop("received_at", datetime.combine(received_on, datetime.min.time(), UTC).replace(hour=10)),
        received_on=received_on,
        received_month=received_on.strftime("%Y-%m"),
        team_id=team.id if team else None,
        service_area_id=team.service_area_id if team else None,
        status=status,
        what_happened=kw.pop("what_happened", "My social worker never calls me back."),
        **kw,
    )
    db.session.add(submission)
    db.session.commit()
    return submission
