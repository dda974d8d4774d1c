"""The audit trail's hash chain: how one event's hash is made, and where a chain is broken. Pure; no database.

Every audit event carries its place in the chain (``chain_seq``: 1, 2, 3, ...), the hash of the event before it
(``prev_hash``; the first event points at ``GENESIS``) and its own ``hash``: SHA-256 over a canonical JSON form of
its recorded fields, its place and ``prev_hash``. Changing any recorded field of any event changes its hash;
deleting an event leaves a gap and a ``prev_hash`` that matches nothing. Both show in ``first_break``.

The canonical form below must never change for events already written: a new form would need a new version
tag and both kept, so old events still verify.

When retention removes the oldest events, an "audit.pruned" event (itself in the chain) records the place and
hash of the last event removed: that is an ``Anchor``, and the first event still kept must follow it exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

VERSION = "v1"
GENESIS = "0" * 64
PRUNED_ACTION = "audit.pruned"

# The recorded fields of an event, in the order they are hashed.
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "submission_id",
    "before",
    "after",
    "request_id",
    "ip_address",
    "user_agent",
)


def _canonical_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times are aware UTC datetimes")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(seq: int, prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of one event at place ``seq`` after ``prev_hash``; ``fields`` holds every name in HASHED_FIELDS."""
    values: list[Any] = [VERSION, seq, prev_hash]
    for name in HASHED_FIELDS:
        value = fields[name]
        values.append(_canonical_time(value) if isinstance(value, datetime) else value)
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """One stored event as read back for verification."""

    id: int
    seq: int | None
    prev_hash: str | None
    hash: str | None
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Anchor:
    """The last event removed by retention: the first event kept must follow it."""

    seq: int
    hash: str


@dataclass(frozen=True)
class Break:
    """The first broken link: the event where the chain stops holding, and why."""

    event_id: int
    seq: int | None
    reason: str


def anchor_from(after: Mapping[str, Any] | None) -> Anchor | None:
    """The anchor an "audit.pruned" event recorded (None if it recorded none)."""
    if not after or "through_seq" not in after or "through_hash" not in after:
        return None
    return Anchor(int(after["through_seq"]), str(after["through_hash"]))


def _start(first: ChainRow, anchors: Iterable[Anchor]) -> tuple[int, str] | None:
    """The place and hash the first kept event must follow: the genesis, or a recorded pruning anchor."""
    if first.seq == 1:
        return 0, GENESIS
    for anchor in anchors:
        if anchor.seq + 1 == first.seq:
            return anchor.seq, anchor.hash
    return None


def _check(row: ChainRow, expected_seq: int, expected_prev: str) -> str | None:
    if row.seq is None or row.hash is None or row.prev_hash is None:
        return "the event has no place in the chain"
    if row.seq != expected_seq:
        return f"expected place {expected_seq} but found {row.seq}: events are missing before it"
    if row.prev_hash != expected_prev:
        return "its link does not match the hash of the event before it"
    if event_hash(row.seq, row.prev_hash, row.fields) != row.hash:
        return "its contents do not match its hash: the event was changed after it was written"
    return None


def first_break(rows: Iterable[ChainRow], anchors: Iterable[Anchor] = ()) -> Break | None:
    """Walk ``rows`` in chain order; the first broken link, or None when the whole chain holds."""
    seq, prev = 0, GENESIS
    first = True
    for row in rows:
        if first:
            first = False
            start = _start(row, anchors)
            if start is None:
                return Break(row.id, row.seq, "the oldest event kept follows no recorded pruning: events were removed")
            seq, prev = start
        reason = _check(row, seq + 1, prev)
        if reason:
            return Break(row.id, row.seq, reason)
        seq, prev = row.seq or 0, row.hash or ""
    return None
