"""Submissions of every kind (complaint, compliment, advocacy request) and what hangs off them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.enums import (
    AdvocacyOutcome,
    AdvocacyStatus,
    Audience,
    CareStatus,
    Channel,
    Classification,
    PersonType,
    Procedure,
    StageName,
    SubmissionKind,
    SubmissionStatus,
)
from portal.models.base import Base, UTCDateTime, enum_type, utcnow

submission_theme = sa.Table(
    "submission_theme",
    Base.metadata,
    sa.Column("submission_id", sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("category.id"), primary_key=True, index=True),
)

submission_outcome_sought = sa.Table(
    "submission_outcome_sought",
    Base.metadata,
    sa.Column("submission_id", sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("category.id"), primary_key=True, index=True),
)

submission_actual_outcome = sa.Table(
    "submission_actual_outcome",
    Base.metadata,
    sa.Column("submission_id", sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("category.id"), primary_key=True, index=True),
)


class Submission(Base):
    """One contact: what someone told us, how it came in, how it was triaged, and where it is now."""

    __tablename__ = "submission"
    __table_args__ = (
        sa.Index("ix_submission_status_received", "status", "received_on"),
        sa.Index("ix_submission_kind_received", "kind", "received_on"),
        sa.Index("ix_submission_team_status", "team_id", "status"),
        # The staff case list: each common filter walks its own index newest first (keyset on received_on, id).
        sa.Index("ix_submission_team_received", "team_id", "received_on"),
        sa.Index("ix_submission_officer_received", "assigned_officer_id", "received_on"),
        sa.Index("ix_submission_stage_received", "current_stage", "received_on"),
        sa.Index("ix_submission_status_due", "status", "next_due_on"),
        sa.Index("ix_submission_manager_received", "responding_manager_id", "received_on"),
        # ... and, filtered on due dates, by due date within a team, a responding manager or an officer.
        sa.Index("ix_submission_team_due", "team_id", "next_due_on"),
        sa.Index("ix_submission_manager_due", "responding_manager_id", "next_due_on"),
        sa.Index("ix_submission_officer_due", "assigned_officer_id", "next_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    kind: Mapped[SubmissionKind] = mapped_column(enum_type(SubmissionKind))
    audience: Mapped[Audience | None] = mapped_column(enum_type(Audience))
    # None: not recorded (imported records may not say how they came in)
    channel: Mapped[Channel | None] = mapped_column(enum_type(Channel), default=Channel.ONLINE_FORM)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_on: Mapped[date] = mapped_column(index=True)  # effective date of receipt (day 0 of the clock)
    received_month: Mapped[str] = mapped_column(sa.String(7), index=True)  # "YYYY-MM" of received_on
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    imported: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    # The draft that produced this submission: unique, so a resubmitted form cannot create a second record.
    draft_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    # Who
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)
    person_type: Mapped[PersonType | None] = mapped_column(enum_type(PersonType))  # at the time of contact
    relationship_to_child: Mapped[str | None] = mapped_column(sa.String(120))
    acting_capacity: Mapped[str | None] = mapped_column(sa.String(40))  # own_right | on_behalf | both
    has_parental_responsibility: Mapped[str | None] = mapped_column(sa.String(12))  # yes | no | not_sure
    child_id: Mapped[int | None] = mapped_column(sa.ForeignKey("child.id"), index=True)
    care_status: Mapped[CareStatus | None] = mapped_column(enum_type(CareStatus))  # at the time of contact
    child_knows: Mapped[str | None] = mapped_column(sa.String(20))  # yes | no | too_young
    child_consent_note: Mapped[str | None] = mapped_column(sa.Text)

    # What
    service_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_area.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id"))
    worker_name: Mapped[str | None] = mapped_column(sa.String(200))
    about_text: Mapped[str | None] = mapped_column(sa.String(200))  # the person's own words for "who/which team"
    what_happened: Mapped[str | None] = mapped_column(sa.Text)
    happened_when: Mapped[str | None] = mapped_column(sa.String(200))
    grounds_arose_on: Mapped[date | None]
    out_of_time: Mapped[bool] = mapped_column(default=False)
    court_proceedings: Mapped[str | None] = mapped_column(sa.String(12))  # yes | no | not_sure
    outcome_wanted: Mapped[str | None] = mapped_column(sa.Text)
    needs: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # interpreter, large print, easy read, BSL
    answers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # everything the journey asked, as given

    # Contact preferences
    contact_methods: Mapped[list[str] | None] = mapped_column(sa.JSON)
    ok_to_leave_message: Mapped[str | None] = mapped_column(sa.String(12))
    safe_contact_notes: Mapped[str | None] = mapped_column(sa.Text)
    wants_advocate: Mapped[bool | None]
    tracking_code_hash: Mapped[str | None] = mapped_column(sa.String(200))

    # Safety
    feels_unsafe: Mapped[bool] = mapped_column(default=False)
    safeguarding_flag: Mapped[bool] = mapped_column(default=False, index=True)
    safeguarding_reason: Mapped[str | None] = mapped_column(sa.String(300))
    safeguarding_decision: Mapped[str | None] = mapped_column(sa.Text)
    safeguarding_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    safeguarding_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    # Triage
    status: Mapped[SubmissionStatus] = mapped_column(enum_type(SubmissionStatus), default=SubmissionStatus.NEW)
    classification: Mapped[Classification | None] = mapped_column(enum_type(Classification), index=True)
    classified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    classified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    refusal_reason_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    refusal_letter: Mapped[str | None] = mapped_column(sa.Text)
    information_requested_on: Mapped[date | None]
    formal_option_explained: Mapped[bool | None]
    procedure: Mapped[Procedure | None] = mapped_column(enum_type(Procedure))
    current_stage: Mapped[StageName | None] = mapped_column(enum_type(StageName), index=True)
    assigned_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    responding_manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    acknowledge_due_on: Mapped[date | None] = mapped_column(index=True)
    acknowledged_on: Mapped[date | None]
    # The due date of whatever is running now (a stage response, or triage): a plain date for list filters.
    next_due_on: Mapped[date | None] = mapped_column(index=True)
    withdrawn_on: Mapped[date | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    closed_on: Mapped[date | None] = mapped_column(index=True)
    closure_override_reason: Mapped[str | None] = mapped_column(sa.Text)
    converted_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id"))

    person = relationship("Person", foreign_keys=[person_id])
    child = relationship("Child", foreign_keys=[child_id])
    service_area = relationship("ServiceArea")
    team = relationship("Team")
    refusal_reason = relationship("Category", foreign_keys=[refusal_reason_id])
    assigned_officer = relationship("StaffUser", foreign_keys=[assigned_officer_id])
    responding_manager = relationship("StaffUser", foreign_keys=[responding_manager_id])
    themes = relationship("Category", secondary=submission_theme, order_by="Category.sort_order")
    outcomes_sought = relationship("Category", secondary=submission_outcome_sought, order_by="Category.sort_order")
    actual_outcomes = relationship("Category", secondary=submission_actual_outcome, order_by="Category.sort_order")
    stages = relationship(
        "StageRecord", back_populates="submission", order_by="StageRecord.id", cascade="all, delete-orphan"
    )
    compliment = relationship("Compliment", back_populates="submission", uselist=False, cascade="all, delete-orphan")
    advocacy = relationship(
        "AdvocacyRequest",
        back_populates="submission",
        uselist=False,
        cascade="all, delete-orphan",
        foreign_keys="AdvocacyRequest.submission_id",
    )


class Compliment(Base):
    __tablename__ = "compliment"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"), index=True)
    internal: Mapped[bool | None]
    staff_named: Mapped[str | None] = mapped_column(sa.String(300))
    staff_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    words: Mapped[str | None] = mapped_column(sa.Text)
    consent_pass_on: Mapped[bool | None]
    consent_anonymous_use: Mapped[bool | None]
    # Hash of date + team + normalised words: the same compliment recorded twice is caught.
    fingerprint: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    submission = relationship("Submission", back_populates="compliment")
    source = relationship("Category")


class AdvocacyRequest(Base):
    __tablename__ = "advocacy_request"
    __table_args__ = (sa.Index("ix_advocacy_request_status_due", "status", "allocate_due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    for_self: Mapped[bool | None]
    young_person_agrees: Mapped[str | None] = mapped_column(sa.String(12))
    young_person_age: Mapped[int | None]
    situation: Mapped[CareStatus | None] = mapped_column(enum_type(CareStatus))
    help_with: Mapped[list[str] | None] = mapped_column(sa.JSON)
    help_details: Mapped[str | None] = mapped_column(sa.Text)
    needed_by: Mapped[date | None]
    status: Mapped[AdvocacyStatus] = mapped_column(enum_type(AdvocacyStatus), default=AdvocacyStatus.NEW)
    advocate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    allocated_on: Mapped[date | None]
    contacted_on: Mapped[date | None]
    activated_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    outcome: Mapped[AdvocacyOutcome | None] = mapped_column(enum_type(AdvocacyOutcome))
    outcome_notes: Mapped[str | None] = mapped_column(sa.Text)
    contact_due_on: Mapped[date | None]
    allocate_due_on: Mapped[date | None]
    linked_complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id"), index=True)
    submission = relationship("Submission", back_populates="advocacy", foreign_keys=[submission_id])
    linked_complaint = relationship("Submission", foreign_keys=[linked_complaint_id])
    advocate = relationship("StaffUser")


class StageRecord(Base):
    """One stage of a complaint procedure, with its clock, deadlines, people, outcome and costs."""

    __tablename__ = "stage_record"
    __table_args__ = (
        sa.Index("ix_stage_record_stage_requested", "stage", "requested_on"),
        sa.Index("ix_stage_record_stage_responded", "stage", "responded_on"),
        sa.Index("ix_stage_record_open_due", "status", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    procedure: Mapped[Procedure] = mapped_column(enum_type(Procedure))
    stage: Mapped[StageName] = mapped_column(enum_type(StageName))
    status: Mapped[str] = mapped_column(sa.String(20), default="open")  # StageStatus value
    requested_on: Mapped[date | None]
    decision: Mapped[str | None] = mapped_column(sa.String(12))  # accepted | declined (escalations)
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    started_on: Mapped[date | None]  # the date the clock runs from
    acknowledge_due_on: Mapped[date | None]
    acknowledged_on: Mapped[date | None]
    original_due_on: Mapped[date | None]
    due_on: Mapped[date | None]  # current due date (after any extension)
    extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(sa.Text)
    extension_authorised_by: Mapped[str | None] = mapped_column(sa.String(200))
    extended_on: Mapped[date | None]
    responded_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(20))  # Finding value
    response_summary: Mapped[str | None] = mapped_column(sa.Text)
    working_days_taken: Mapped[int | None]
    met_deadline: Mapped[bool | None]
    closed_on: Mapped[date | None]
    calendar_version: Mapped[str | None] = mapped_column(sa.String(64))
    # Stage 2
    investigating_officer: Mapped[str | None] = mapped_column(sa.String(200))
    independent_person: Mapped[str | None] = mapped_column(sa.String(200))
    adjudicating_officer: Mapped[str | None] = mapped_column(sa.String(200))
    statement_agreed_on: Mapped[date | None]
    adjudicated_on: Mapped[date | None]
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # total, kept in step with cost lines
    # Stage 3
    panel_due_on: Mapped[date | None]
    panel_on: Mapped[date | None]
    findings_due_on: Mapped[date | None]
    findings_on: Mapped[date | None]
    final_response_due_on: Mapped[date | None]
    submission = relationship("Submission", back_populates="stages")
    points = relationship("ComplaintPoint", back_populates="stage", cascade="all, delete-orphan")
    costs = relationship("StageCost", back_populates="stage", cascade="all, delete-orphan")
    panel_members = relationship("PanelMember", back_populates="stage", cascade="all, delete-orphan")


class ComplaintPoint(Base):
    __tablename__ = "complaint_point"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("stage_record.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(sa.Text)
    finding: Mapped[str | None] = mapped_column(sa.String(20))
    rationale: Mapped[str | None] = mapped_column(sa.Text)
    stage = relationship("StageRecord", back_populates="points")


class StageCost(Base):
    """A fee line for a stage (investigating officer, independent person, panel), in pounds as Decimal."""

    __tablename__ = "stage_cost"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("stage_record.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(200))
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    stage = relationship("StageRecord", back_populates="costs")


class PanelMember(Base):
    __tablename__ = "panel_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("stage_record.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    is_chair: Mapped[bool] = mapped_column(default=False)
    stage = relationship("StageRecord", back_populates="panel_members")


class Remedy(Base):
    __tablename__ = "remedy"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stage_record.id"))
    kind: Mapped[str] = mapped_column(sa.String(120))
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    payee: Mapped[str | None] = mapped_column(sa.String(200))
    approved_by: Mapped[str | None] = mapped_column(sa.String(200))
    offered_on: Mapped[date | None]
    accepted: Mapped[str | None] = mapped_column(sa.String(12))
    paid_on: Mapped[date | None]


class AdrSession(Base):
    __tablename__ = "adr_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date | None]
    kind: Mapped[str | None] = mapped_column(sa.String(80))  # mediation, facilitated meeting, ...
    facilitator: Mapped[str | None] = mapped_column(sa.String(200))
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    alongside_stage: Mapped[str | None] = mapped_column(sa.String(20))
    outcome: Mapped[str | None] = mapped_column(sa.Text)


class LgscoReferral(Base):
    __tablename__ = "lgsco_referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    lgsco_reference: Mapped[str | None] = mapped_column(sa.String(40))
    referred_on: Mapped[date] = mapped_column(index=True)
    stage_reached: Mapped[str | None] = mapped_column(sa.String(20))
    decision: Mapped[str | None] = mapped_column(sa.String(30))  # LgscoDecision value
    decision_on: Mapped[date | None]
    remedy: Mapped[str | None] = mapped_column(sa.Text)
    compliance_due_on: Mapped[date | None]
    complied_on: Mapped[date | None]


class LearningAction(Base):
    """A promised action from a complaint (the 'complaint monitoring and learning form')."""

    __tablename__ = "learning_action"
    __table_args__ = (sa.Index("ix_learning_action_status_due", "status", "due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stage_record.id"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id"), index=True)
    root_cause: Mapped[str | None] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(30))  # LearningCategory value
    description: Mapped[str] = mapped_column(sa.Text)
    responsible_officer: Mapped[str | None] = mapped_column(sa.String(200))
    responsible_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    due_on: Mapped[date | None]
    timeframe: Mapped[str | None] = mapped_column(sa.String(80))
    status: Mapped[str] = mapped_column(sa.String(20), default="open")  # LearningStatus value
    evidence: Mapped[str | None] = mapped_column(sa.Text)
    completed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submission = relationship("Submission")
    team = relationship("Team")


class CaseNote(Base):
    __tablename__ = "case_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Notes added by the public through the tracking page are marked so staff know who wrote them.
    from_public: Mapped[bool] = mapped_column(default=False)
    author = relationship("StaffUser")
