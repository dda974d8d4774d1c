"""People who contact the service, the children concerned, and contact plans for persistent complainants."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.enums import CareStatus, PersonType
from portal.models.base import Base, UTCDateTime, enum_type, utcnow


class Person(Base):
    """Someone who made contact. Repeat contacts link to one person so repeat complainants are recognised."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Opaque id from an imported system; rows sharing it are the same person.
    external_id: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    name_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)  # lower-cased, for matching
    email: Mapped[str | None] = mapped_column(sa.String(254))
    email_key: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    phone_key: Mapped[str | None] = mapped_column(sa.String(40), index=True)  # digits only
    address: Mapped[str | None] = mapped_column(sa.Text)
    date_of_birth: Mapped[date | None]
    person_type: Mapped[PersonType | None] = mapped_column(enum_type(PersonType))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    contact_plans: Mapped[list[ContactPlan]] = relationship(back_populates="person", order_by="ContactPlan.id")


class Child(Base):
    """The child or young person a contact is about (may be the person who made it)."""

    __tablename__ = "child"
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    name_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    date_of_birth: Mapped[date | None]
    case_reference: Mapped[str | None] = mapped_column(sa.String(60), index=True)  # e.g. Mosaic/LCS id
    care_status: Mapped[CareStatus | None] = mapped_column(enum_type(CareStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContactPlan(Base):
    """Persistent-complainant arrangements: measures, reason, named officer and a review date."""

    __tablename__ = "contact_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    measures: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)
    named_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    decided_on: Mapped[date]
    review_on: Mapped[date] = mapped_column(index=True)
    letter_sent_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    person: Mapped[Person] = relationship(back_populates="contact_plans")
