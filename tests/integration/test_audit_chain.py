"""The audit trail is tamper-evident: every event is chained by hash to the one before, carries the IP address and
user agent of the staff request that caused it, and `flask --app wsgi audit verify` finds the first broken link."""

from __future__ import annotations

import itertools
import json
import threading

import pytest
import sqlalchemy as sa

from portal.domain.audit_chain import GENESIS, PRUNED_ACTION
from portal.domain.enums import Role
from portal.models import AuditEvent
from portal.services import audit, audit_chain
from portal.services.uow import unit_of_work
from tests.factories import make_submission
from tests.privacy_support import owner_execute, run_flask, scratch_database


def _write_events(count: int) -> list[int]:
    ids = []
    for n in range(count):
        with unit_of_work():
            event = audit.record("test.event", "thing", n, actor_label="system", after={"n": n, "text": "é"})
        ids.append(event.id)
    return ids


def test_audit_events_are_chained_in_order(db):
    _write_events(3)
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.chain_seq)).all()

    assert [e.chain_seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == len(events)


def test_events_written_in_one_transaction_keep_the_order_they_were_made(db):
    with unit_of_work():
        first = audit.record("test.first", "thing", 1, actor_label="system")
        second = audit.record("test.second", "thing", 2, actor_label="system")

    assert second.chain_seq == first.chain_seq + 1
    assert second.prev_hash == first.hash


def test_staff_read_records_ip_address_and_user_agent(staff_client, db):
    manager = staff_client(Role.COMPLAINTS_MANAGER)
    case = make_submission()

    manager.get(
        f"/staff/cases/{case.id}",
        headers={"User-Agent": "Firefox/140 (council laptop)"},
        environ_base={"REMOTE_ADDR": "10.20.30.40"},
    )

    viewed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.viewed")).one()
    assert viewed.ip_address == "10.20.30.40"
    assert viewed.user_agent == "Firefox/140 (council laptop)"


def test_public_events_keep_no_ip_address(app, db):
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.9.9.9"}), unit_of_work():
        event = audit.record("submission.created", "submission", 1, actor_label="public")

    assert event.ip_address is None
    assert event.user_agent is None


def _place(db, event_id: int) -> int:
    return db.session.scalar(sa.select(AuditEvent.chain_seq).where(AuditEvent.id == event_id))


def test_verify_reports_an_intact_chain(runner, db):
    ids = _write_events(4)

    result = runner.invoke(args=["audit", "verify"])

    assert result.exit_code == 0, result.output
    assert f"Audit chain intact: {_place(db, ids[-1])} events" in result.output
    assert audit_chain.verify().intact


def test_verify_reports_a_changed_event_as_the_first_broken_link(runner, db):
    ids = _write_events(5)
    place = _place(db, ids[2])
    owner_execute(db, "UPDATE audit_event SET after = :after WHERE id = :id", after='{"n": 99}', id=ids[2])

    result = runner.invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert f"BROKEN at event id {ids[2]} (place {place})" in result.output
    assert "contents do not match its hash" in result.output


def test_verify_reports_a_deleted_event(runner, db):
    ids = _write_events(5)
    place = _place(db, ids[2])
    owner_execute(db, "DELETE FROM audit_event WHERE id = :id", id=ids[1])

    result = runner.invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert f"BROKEN at event id {ids[2]} (place {place})" in result.output
    assert "events are missing before it" in result.output


def test_verify_reports_a_rewritten_link(db):
    ids = _write_events(3)
    owner_execute(db, "UPDATE audit_event SET prev_hash = :h WHERE id = :id", h="f" * 64, id=ids[2])

    broken = audit_chain.verify().broken

    assert broken is not None
    assert (broken.event_id, broken.reason) == (ids[2], "its link does not match the hash of the event before it")


def _delete_through(db, event_id: int) -> None:
    owner_execute(db, "DELETE FROM audit_event WHERE chain_seq <= :seq", seq=_place(db, event_id))


def test_oldest_events_removed_without_a_recorded_pruning_break_the_chain(db):
    ids = _write_events(4)
    _delete_through(db, ids[1])

    broken = audit_chain.verify().broken

    assert broken is not None and broken.event_id == ids[2]
    assert "follows no recorded pruning" in broken.reason


def test_oldest_events_removed_with_a_recorded_pruning_still_verify(db):
    ids = _write_events(4)
    second = db.session.get(AuditEvent, ids[1])
    assert second is not None
    anchor = {"through_seq": second.chain_seq, "through_hash": second.hash}
    with unit_of_work():
        audit.record(PRUNED_ACTION, "audit_event", actor_label="system", after=anchor)
    _delete_through(db, ids[1])

    report = audit_chain.verify()

    assert report.intact, report.broken
    assert report.events == 3  # two written after the pruned ones, and the pruning itself


def test_two_writers_cannot_both_follow_the_same_event(db):
    (last,) = _write_events(1)
    forged = {"seq": _place(db, last), "prev": "a" * 64}

    with pytest.raises(sa.exc.IntegrityError):
        owner_execute(
            db,
            "INSERT INTO audit_event (occurred_at, actor_label, action, object_type, chain_seq, prev_hash, hash) "
            "VALUES (CURRENT_TIMESTAMP, 'system', 'forged', 'thing', :seq, :prev, :prev)",
            **forged,
        )


def test_concurrent_writers_extend_one_unbroken_chain(app, db):
    """Eight threads, each with its own connection, write events at once: one chain, no gaps, no forks."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs several connections writing at once: PostgreSQL only (SQLite serialises writers)")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for i in range(10):
                    with unit_of_work():
                        audit.record("test.concurrent", "thing", n * 100 + i, actor_label="system")
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    report = audit_chain.verify()
    assert report.intact, report.broken
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "test.concurrent")) == 80
    assert report.head_seq == report.events


@pytest.mark.no_db
def test_migration_chains_the_events_already_written(tmp_path):
    """Upgrading a database that already holds audit events chains them in the order they were written."""
    with scratch_database(tmp_path) as url:
        assert run_flask(["db", "upgrade", "0002"], url, tmp_path).returncode == 0
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    sa.text(
                        "INSERT INTO audit_event (occurred_at, actor_label, action, object_type, object_id, after) "
                        "VALUES (:at, 'system', 'old.event', 'thing', :n, :after)"
                    ),
                    {"at": f"2025-0{n + 1}-01 10:00:00.123456+00:00", "n": n, "after": json.dumps({"n": n})},
                )
        engine.dispose()
        upgrade = run_flask(["db", "upgrade"], url, tmp_path)
        assert upgrade.returncode == 0, upgrade.stderr

        verified = run_flask(["audit", "verify"], url, tmp_path)

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Audit chain intact: 3 events" in verified.stdout
