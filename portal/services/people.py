"""People who contact us: suggest likely matches so repeat contacts link to one person, list a person's contacts,
and record contact plans (persistent complainants). A contact plan never stops a contact being logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from portal.domain import DomainError
from portal.extensions import db
from portal.models import Child, ContactPlan, Person, StaffUser, Submission
from portal.services import audit
from portal.services.uow import transactional

REVIEW_MONTHS = 6


@dataclass(frozen=True)
class Match:
    person: Person
    reasons: tuple[str, ...]
    contacts: int


def _digits(text: str | None) -> str | None:
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits or None


def _match_queries(submission: Submission) -> list[tuple[sa.Select, str]]:
    """The ways another person may be this submission's person, each as a query of person ids and its reason."""
    queries: list[tuple[sa.Select, str]] = []
    person = submission.person
    if person is not None:
        for column, key, reason in (
            (Person.name_key, person.name_key, "same name"),
            (Person.email_key, person.email_key, "same email address"),
            (Person.phone_key, person.phone_key, "same phone number"),
        ):
            if key:
                queries.append((sa.select(Person.id).where(column == key), reason))
    child = submission.child
    if child is not None and child.name_key:
        same_child = (
            sa.select(Submission.person_id)
            .join(Child, Child.id == Submission.child_id)
            .where(Child.name_key == child.name_key, Submission.person_id.is_not(None), Submission.id != submission.id)
        )
        queries.append((same_child, "contact about a child with the same name"))
    return queries


def suggestions(submission: Submission, limit: int = 10) -> list[Match]:
    """Other people who may be the same as this submission's person: same name, email, phone or child."""
    own_id = submission.person.id if submission.person is not None else None
    reasons: dict[int, list[str]] = {}
    for query, reason in _match_queries(submission):
        for person_id in db.session.scalars(query.limit(50)):
            if person_id != own_id and reason not in reasons.setdefault(person_id, []):
                reasons[person_id].append(reason)
    if not reasons:
        return []
    people = {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(list(reasons))))}
    counts: dict[int, int] = {
        person_id: count
        for person_id, count in db.session.execute(
            sa.select(Submission.person_id, sa.func.count())
            .where(Submission.person_id.in_(list(reasons)))
            .group_by(Submission.person_id)
        )
        if person_id is not None
    }
    matches = [Match(people[i], tuple(r), counts.get(i, 0)) for i, r in reasons.items() if i in people]
    matches.sort(key=lambda m: (-len(m.reasons), -m.contacts, m.person.id))
    return matches[:limit]


@transactional
def link_to_person(submission: Submission, person: Person, *, actor: StaffUser) -> None:
    """Record that this contact is from an existing person (a repeat contact)."""
    if submission.person_id == person.id:
        return
    before = {"person_id": submission.person_id}
    submission.person_id = person.id
    audit.record(
        "submission.person_linked",
        "submission",
        submission.id,
        actor_id=actor.id,
        submission_id=submission.id,
        before=before,
        after={"person_id": person.id},
    )


def contacts_of(person: Person, visible: sa.ColumnElement[bool]) -> list[Submission]:
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.person_id == person.id, visible)
            .order_by(Submission.received_on.desc(), Submission.id.desc())
        )
    )


def active_plan(person: Person, today: date) -> ContactPlan | None:
    for plan in reversed(person.contact_plans):
        if plan.ended_on is None or plan.ended_on > today:
            return plan
    return None


def default_review_on(today: date) -> date:
    month = today.month - 1 + REVIEW_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return today + timedelta(days=182)


@transactional
def add_contact_plan(
    person: Person,
    *,
    measures: str,
    reason: str,
    named_officer_id: int | None,
    review_on: date | None,
    actor: StaffUser,
    today: date,
) -> ContactPlan:
    measures, reason = (measures or "").strip(), (reason or "").strip()
    if not measures:
        raise DomainError("Enter the measures in the contact plan")
    if not reason:
        raise DomainError("Enter why a contact plan is needed")
    review_on = review_on or default_review_on(today)
    if review_on <= today:
        raise DomainError("Review date must be in the future")
    if named_officer_id is not None and db.session.get(StaffUser, named_officer_id) is None:
        raise DomainError("Select a named officer from the list")
    current = active_plan(person, today)
    if current is not None:
        current.ended_on = today
    plan = ContactPlan(
        person_id=person.id,
        measures=measures,
        reason=reason,
        named_officer_id=named_officer_id,
        decided_by_id=actor.id,
        decided_on=today,
        review_on=review_on,
    )
    db.session.add(plan)
    db.session.flush()
    audit.record(
        "person.contact_plan_added",
        "person",
        person.id,
        actor_id=actor.id,
        after={"plan_id": plan.id, "review_on": review_on, "named_officer_id": named_officer_id},
    )
    return plan
