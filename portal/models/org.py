"""Council structure and editable reference data: service areas, teams, category lists, procedures, closures."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.enums import CategoryKind, Procedure
from portal.models.base import Base, enum_type


class ServiceArea(Base):
    __tablename__ = "service_area"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    teams: Mapped[list[Team]] = relationship(back_populates="service_area", order_by="Team.name")


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    service_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_area.id"), index=True)
    manager_email: Mapped[str | None] = mapped_column(sa.String(254))
    active: Mapped[bool] = mapped_column(default=True)
    service_area: Mapped[ServiceArea | None] = relationship(back_populates="teams")


class Category(Base):
    """An entry in one of the council's editable lists (themes, outcomes sought, refusal reasons, ...)."""

    __tablename__ = "category"
    __table_args__ = (sa.UniqueConstraint("kind", "label", name="uq_category_kind_label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CategoryKind] = mapped_column(enum_type(CategoryKind), index=True)
    label: Mapped[str] = mapped_column(sa.String(160))
    # Year-on-year reports survive renames by grouping on this when set.
    report_group: Mapped[str | None] = mapped_column(sa.String(160))
    help_text: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class ProcedureProfile(Base):
    """A complaints procedure whose timescales are data (England statutory, LGSCO corporate, Scotland MCHP)."""

    __tablename__ = "procedure_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Procedure] = mapped_column(enum_type(Procedure), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    enabled: Mapped[bool] = mapped_column(default=True)
    # Whether council closure days (not bank holidays) stop the clock under this procedure. The England
    # statutory definition of a working day only excludes weekends and bank holidays.
    honours_closure_days: Mapped[bool] = mapped_column(default=False)
    timescales: Mapped[list[Timescale]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="Timescale.key"
    )


class Timescale(Base):
    """One number of a procedure, e.g. key 'stage1.response' = 10 working days."""

    __tablename__ = "timescale"
    __table_args__ = (sa.UniqueConstraint("profile_id", "key", name="uq_timescale_profile_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure_profile.id"))
    key: Mapped[str] = mapped_column(sa.String(80))
    label: Mapped[str] = mapped_column(sa.String(200))
    working_days: Mapped[int | None]
    # A few timescales are choices rather than numbers (e.g. stage2.clock_from = request | statement_agreed).
    text_value: Mapped[str | None] = mapped_column(sa.String(80))
    profile: Mapped[ProcedureProfile] = relationship(back_populates="timescales")


class ClosureDay(Base):
    """An extra day the council is closed (concessionary day, local holiday), on top of bank holidays."""

    __tablename__ = "closure_day"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    description: Mapped[str] = mapped_column(sa.String(200))
