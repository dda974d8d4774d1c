"""Seed the editable reference data (procedures and their timescales, category lists) once. Idempotent:
existing rows, including councils' edits, are never overwritten."""

from __future__ import annotations

import sqlalchemy as sa

from portal.domain.enums import CategoryKind
from portal.domain.procedures import DEFAULT_CATEGORIES, DEFAULT_PROFILES
from portal.extensions import db
from portal.models import Category, ProcedureProfile, Timescale
from portal.services import audit
from portal.services.uow import transactional


@transactional
def ensure_reference_data() -> dict[str, int]:
    """Insert any missing default procedure, timescale or category. Returns counts of what was added."""
    added = {"procedures": 0, "timescales": 0, "categories": 0}
    profiles = {p.code: p for p in db.session.scalars(sa.select(ProcedureProfile))}
    for default in DEFAULT_PROFILES:
        profile = profiles.get(default.code)
        if profile is None:
            profile = ProcedureProfile(
                code=default.code, name=default.name, honours_closure_days=default.honours_closure_days
            )
            db.session.add(profile)
            added["procedures"] += 1
        existing = {t.key for t in profile.timescales}
        for ts in default.timescales:
            if ts.key not in existing:
                profile.timescales.append(
                    Timescale(key=ts.key, label=ts.label, working_days=ts.working_days, text_value=ts.text_value)
                )
                added["timescales"] += 1
    present = {(kind, label) for kind, label in db.session.execute(sa.select(Category.kind, Category.label))}
    for kind_value, labels in DEFAULT_CATEGORIES.items():
        kind = CategoryKind(kind_value)
        for order, label in enumerate(labels):
            if (kind, label) not in present:
                db.session.add(Category(kind=kind, label=label, sort_order=order))
                added["categories"] += 1
    if any(added.values()):
        audit.record("reference_data.seeded", "reference_data", actor_label="system", after=added)
    return added
