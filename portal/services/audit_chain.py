"""Chain every audit event to the one before it as it is written, and check the chain.

``install()`` (called once by the app factory) listens to every session flush. New ``AuditEvent`` rows get, in
the order they were made: the time, the IP address and user agent of the request that caused them (staff and
system events only: a member of the public's address is not kept, ICO Children's Code data minimisation), their
place in the chain, the previous event's hash and their own hash (portal/domain/audit_chain.py).

On PostgreSQL the flush first takes a transaction-scoped advisory lock, so concurrent writers extend the chain one
at a time: the lock is held until the transaction ends, and the next writer then reads the event just committed.
Whatever happens, ``chain_seq`` is unique, so two writers can never both follow the same event (the second one
fails instead of forking the chain). On SQLite writers are serialised by the database itself.

``verify()`` walks the whole chain in order and returns the first broken link, if any.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from portal.domain.audit_chain import (
    GENESIS,
    HASHED_FIELDS,
    PRUNED_ACTION,
    Anchor,
    Break,
    ChainRow,
    anchor_from,
    event_hash,
    first_break,
)
from portal.extensions import db
from portal.models import AuditEvent, utcnow

# Key of the PostgreSQL advisory lock that serialises writers of the chain (any fixed 64-bit number).
ADVISORY_LOCK_KEY = 0x70_6F_72_74_61_75_64  # "portaud"
# Events made by these actors keep no IP address or user agent.
UNTRACKED_ACTORS = frozenset({"public"})

_made = itertools.count()
_ORDER_ATTRIBUTE = "_audit_chain_order"


def _remember_creation_order(target: AuditEvent, args: Any, kwargs: Any) -> None:
    setattr(target, _ORDER_ATTRIBUTE, next(_made))


def _creation_order(item: AuditEvent) -> int:
    return int(getattr(item, _ORDER_ATTRIBUTE, 0))


def _fill_context(item: AuditEvent) -> None:
    if item.occurred_at is None:
        item.occurred_at = utcnow()
    if item.actor_label in UNTRACKED_ACTORS or not has_request_context():
        return
    if item.ip_address is None and request.remote_addr:
        item.ip_address = request.remote_addr[:45]
    if item.user_agent is None and request.user_agent.string:
        item.user_agent = request.user_agent.string[:300]


def _chain_tail(session: Session) -> tuple[int, str]:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
    last = connection.execute(
        sa.select(AuditEvent.chain_seq, AuditEvent.hash).order_by(AuditEvent.chain_seq.desc()).limit(1)
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def _chain_new_events(session: Session, flush_context: Any, instances: Any) -> None:
    pending = sorted(
        (obj for obj in session.new if isinstance(obj, AuditEvent) and obj.hash is None), key=_creation_order
    )
    if not pending:
        return
    seq, prev = _chain_tail(session)
    for item in pending:
        _fill_context(item)
        seq += 1
        item.chain_seq = seq
        item.prev_hash = prev
        item.hash = prev = event_hash(seq, prev, {name: getattr(item, name) for name in HASHED_FIELDS})


def install() -> None:
    """Listen to every session flush and every new AuditEvent (idempotent)."""
    if not sa_event.contains(Session, "before_flush", _chain_new_events):
        sa_event.listen(Session, "before_flush", _chain_new_events)
    if not sa_event.contains(AuditEvent, "init", _remember_creation_order):
        sa_event.listen(AuditEvent, "init", _remember_creation_order)


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found: how many events it checked, the newest place and hash, and the first break."""

    events: int
    head_seq: int | None
    head_hash: str | None
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


_COLUMNS = [getattr(AuditEvent, name) for name in HASHED_FIELDS]


def _rows() -> Iterator[ChainRow]:
    query = (
        sa.select(AuditEvent.id, AuditEvent.chain_seq, AuditEvent.prev_hash, AuditEvent.hash, *_COLUMNS)
        .order_by(AuditEvent.chain_seq)
        .execution_options(yield_per=2000)
    )
    for row in db.session.execute(query):
        yield ChainRow(
            row.id, row.chain_seq, row.prev_hash, row.hash, {name: row._mapping[name] for name in HASHED_FIELDS}
        )


def _anchors() -> list[Anchor]:
    recorded = db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == PRUNED_ACTION))
    return [anchor for anchor in map(anchor_from, recorded) if anchor is not None]


class _Counted:
    """Counts the rows handed to ``first_break`` and remembers the last one."""

    def __init__(self, rows: Iterator[ChainRow]) -> None:
        self.rows = rows
        self.count = 0
        self.last: ChainRow | None = None

    def __iter__(self) -> Iterator[ChainRow]:
        for row in self.rows:
            self.count += 1
            self.last = row
            yield row


def verify() -> ChainReport:
    """Check every stored event against its hash and its link to the one before (read only)."""
    counted = _Counted(_rows())
    broken = first_break(counted, _anchors())
    last = counted.last
    return ChainReport(counted.count, last.seq if last else None, last.hash if last else None, broken)
