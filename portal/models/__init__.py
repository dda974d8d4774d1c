"""SQLAlchemy 2.0 typed models. Import from here so every table is registered on the metadata."""

from portal.models.base import Base, UTCDateTime, enum_type, utcnow
from portal.models.org import Category, ClosureDay, ProcedureProfile, ServiceArea, Team, Timescale
from portal.models.people import Child, ContactPlan, Person
from portal.models.staff import RecoveryCode, StaffUser, staff_user_team
from portal.models.staff_session import StaffSession
from portal.models.submission import (
    AdrSession,
    AdvocacyRequest,
    CaseNote,
    ComplaintPoint,
    Compliment,
    LearningAction,
    LgscoReferral,
    PanelMember,
    Remedy,
    StageCost,
    StageRecord,
    Submission,
    submission_actual_outcome,
    submission_outcome_sought,
    submission_theme,
)
from portal.models.system import AuditEvent, Draft, OutboxMessage

__all__ = [
    "AdrSession",
    "AdvocacyRequest",
    "AuditEvent",
    "Base",
    "CaseNote",
    "Category",
    "Child",
    "ClosureDay",
    "ComplaintPoint",
    "Compliment",
    "ContactPlan",
    "Draft",
    "LearningAction",
    "LgscoReferral",
    "OutboxMessage",
    "PanelMember",
    "Person",
    "ProcedureProfile",
    "RecoveryCode",
    "Remedy",
    "ServiceArea",
    "StaffSession",
    "StaffUser",
    "StageCost",
    "StageRecord",
    "Submission",
    "Team",
    "Timescale",
    "UTCDateTime",
    "enum_type",
    "staff_user_team",
    "submission_actual_outcome",
    "submission_outcome_sought",
    "submission_theme",
    "utcnow",
]
