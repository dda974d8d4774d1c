"""Export records in the interchange format (docs/import-format.md), so another system, or an empty portal, can
import them again. Reads in batches of submissions with one query per table per batch (never per record)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.domain.enums import SubmissionKind
from portal.domain.import_format import COLUMNS, ImportRow, format_row
from portal.extensions import db
from portal.models import (
    AdrSession,
    Category,
    Compliment,
    LgscoReferral,
    Person,
    ServiceArea,
    StageRecord,
    Submission,
    Team,
    submission_actual_outcome,
    submission_outcome_sought,
    submission_theme,
)

BATCH = 5000
FIRST = {"stage1", "corporate1", "frontline"}
SECOND = {"stage2", "corporate2", "investigation"}
THIRD = {"stage3"}


def _stages(ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = db.session.execute(
        sa.select(
            StageRecord.submission_id,
            StageRecord.stage,
            StageRecord.requested_on,
            StageRecord.decision,
            StageRecord.started_on,
            StageRecord.statement_agreed_on,
            StageRecord.responded_on,
            StageRecord.outcome,
            StageRecord.extended,
            StageRecord.cost,
            StageRecord.panel_on,
        )
        .where(StageRecord.submission_id.in_(ids))
        .order_by(StageRecord.id)
    )
    for sid, stage, requested, decision, started, agreed, responded, outcome, extended, cost, panel in rows:
        values = out[sid]
        name = stage.value
        if name in FIRST:
            values.update(
                stage1_extended=True if extended else None, stage1_responded_on=responded, stage1_outcome=outcome
            )
        elif name in SECOND:
            if agreed is None and started is not None and started != requested:
                agreed = started
            values.update(
                stage2_requested_on=requested,
                stage2_decision=decision,
                stage2_started_on=agreed,
                stage2_responded_on=responded,
                stage2_outcome=outcome,
                stage2_cost=cost,
            )
        elif name in THIRD:
            values.update(
                stage3_requested_on=requested,
                stage3_panel_on=panel,
                stage3_responded_on=responded,
                stage3_outcome=outcome,
            )
    return out


def _labels(table: sa.Table, ids: list[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(table.c.submission_id, Category.label)
        .join(Category, Category.id == table.c.category_id)
        .where(table.c.submission_id.in_(ids))
        .order_by(table.c.submission_id, Category.sort_order, Category.label)
    )
    for sid, label in rows:
        out[sid].append(label)
    return {k: tuple(v) for k, v in out.items()}


def _adr_hours(ids: list[int]) -> dict[int, Decimal]:
    rows = db.session.execute(
        sa.select(AdrSession.submission_id, sa.func.sum(sa.func.coalesce(AdrSession.hours, 0)))
        .where(AdrSession.submission_id.in_(ids))
        .group_by(AdrSession.submission_id)
    )
    return {sid: Decimal(str(hours)).quantize(Decimal("0.01")) for sid, hours in rows}


def _lgsco(ids: list[int]) -> dict[int, tuple[date, str | None]]:
    rows = db.session.execute(
        sa.select(LgscoReferral.submission_id, LgscoReferral.referred_on, LgscoReferral.decision)
        .where(LgscoReferral.submission_id.in_(ids))
        .order_by(LgscoReferral.referred_on.desc(), LgscoReferral.id.desc())
    )
    out: dict[int, tuple[date, str | None]] = {}
    for sid, referred, decision in rows:
        out.setdefault(sid, (referred, decision))  # the first referral is what the format holds
    return out


def iter_rows(start: date | None = None, end: date | None = None) -> Iterator[dict[str, str]]:
    """Every submission (optionally received between start and end), as interchange rows, in id order."""
    refusal = aliased(Category)
    source = aliased(Category)
    query = (
        sa.select(
            Submission.id,
            Submission.reference,
            Submission.kind,
            Submission.received_on,
            Submission.channel,
            Person.external_id,
            Submission.person_id,
            Submission.person_type,
            Submission.care_status,
            ServiceArea.name,
            Team.name,
            Submission.classification,
            refusal.label,
            Submission.closed_on,
            source.label,
            Compliment.internal,
        )
        .outerjoin(Person, Person.id == Submission.person_id)
        .outerjoin(ServiceArea, ServiceArea.id == Submission.service_area_id)
        .outerjoin(Team, Team.id == Submission.team_id)
        .outerjoin(refusal, refusal.id == Submission.refusal_reason_id)
        .outerjoin(Compliment, Compliment.submission_id == Submission.id)
        .outerjoin(source, source.id == Compliment.source_id)
        .order_by(Submission.id)
    )
    if start is not None:
        query = query.where(Submission.received_on >= start)
    if end is not None:
        query = query.where(Submission.received_on <= end)
    last_id = 0
    while True:
        batch = db.session.execute(query.where(Submission.id > last_id).limit(BATCH)).all()
        if not batch:
            return
        ids = [row[0] for row in batch]
        last_id = ids[-1]
        stages = _stages(ids)
        themes = _labels(submission_theme, ids)
        sought = _labels(submission_outcome_sought, ids)
        actual = _labels(submission_actual_outcome, ids)
        adr = _adr_hours(ids)
        lgsco = _lgsco(ids)
        for (
            sid,
            reference,
            kind,
            received_on,
            channel,
            external_id,
            person_id,
            person_type,
            care_status,
            area,
            team,
            classification,
            refusal_label,
            closed_on,
            source_label,
            internal,
        ) in batch:
            referral = lgsco.get(sid)
            row = ImportRow(
                line=0,
                reference=reference,
                kind=kind,
                received_on=received_on,
                channel=channel,
                person_id=external_id or (f"portal-{person_id}" if person_id else None),
                person_type=person_type,
                care_status=care_status,
                service_area=area,
                team=team,
                classification=classification,
                refusal_reason=refusal_label,
                themes=themes.get(sid, ()),
                outcomes_sought=sought.get(sid, ()),
                adr_hours=adr.get(sid),
                lgsco_referred_on=referral[0] if referral else None,
                lgsco_decision=referral[1] if referral else None,
                actual_outcomes=actual.get(sid, ()),
                closed_on=closed_on,
                compliment_source=source_label if kind == SubmissionKind.COMPLIMENT else None,
                compliment_internal=internal if kind == SubmissionKind.COMPLIMENT else None,
                **stages.get(sid, {}),
            )
            yield format_row(row)
        db.session.expunge_all()


def write_csv(out: IO[str], start: date | None = None, end: date | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in iter_rows(start, end):
        writer.writerow(row)
        n += 1
    return n
