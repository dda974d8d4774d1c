"""Concurrent submissions on PostgreSQL: a reference collision is retried in its SAVEPOINT, and the same draft
submitted twice at once makes one record."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from portal.domain.enums import Audience, SubmissionKind
from portal.models import Submission
from portal.services import submissions
from portal.services.submissions import NewSubmission, create_submission

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (row locks on unique keys between connections)")


def _data(name: str) -> NewSubmission:
    return NewSubmission(
        kind=SubmissionKind.COMPLAINT, audience=Audience.ADULT, full_name=name, what_happened="Nobody called back."
    )


def _run_together(app, jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def worker(index, job):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                created = job()
                results[index] = (created.submission.id, created.created, created.submission.reference)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                from portal.extensions import db

                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_the_same_draft_submitted_at_once_makes_one_record(app, db):
    results = _run_together(
        app,
        [
            lambda: create_submission(_data("A"), draft_token="same"),
            lambda: create_submission(_data("A"), draft_token="same"),
        ],
    )
    assert results[0][0] == results[1][0]
    assert sorted(r[1] for r in results) == [False, True]
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1


def test_a_reference_collision_between_two_submissions_is_retried(app, db, monkeypatch):
    first_refs = {"n": 0}
    lock = threading.Lock()
    real = submissions.generate_reference

    def colliding():
        with lock:
            first_refs["n"] += 1
            if first_refs["n"] <= 2:
                return "7KQ-M9T-X4R"  # both threads draw the same reference first
        return real()

    monkeypatch.setattr(submissions, "generate_reference", colliding)
    results = _run_together(app, [lambda: create_submission(_data("A")), lambda: create_submission(_data("B"))])
    references = {r[2] for r in results}
    assert len(references) == 2 and "7KQ-M9T-X4R" in references
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 2
