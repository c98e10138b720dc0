"""Training, drills and meetings (issue 16 item 3): events by kind (``data/kinds.json``), their
attendance, certificates, follow-up items and, for a drill run in exercise mode, its injects.

An event is a shared record of the unit that holds it (a post, the command, the port station),
shared with the agencies that take part (``EventAgency`` and the marking's named agencies).
A drill run in exercise mode (``exercise_mode``) is itself a drill held and counted; what it
simulates (its ``Inject`` rows, ``core.exercise.ExerciseMixin``, always ``exercise``) carries
the exercise mark and never enters a figure.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin
from bastion.core.marking import MarkedMixin


class EventStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class TrainingEvent(MarkedMixin, Base):
    __tablename__ = "training_event"
    record_kind: ClassVar[str] = "training_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # a code of data/kinds.json
    category: Mapped[str] = mapped_column(String(16), index=True)  # the kind's, kept for lists
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[EventStatus] = mapped_column(str_enum_column(EventStatus),
                                                default=EventStatus.PLANNED, index=True)
    outcomes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    series: Mapped[str | None] = mapped_column(String(36), index=True)  # generated together
    exercise_mode: Mapped[bool] = mapped_column(default=False)
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventAgency(Base):
    """An agency or post taking part in an event (its people may read the event)."""

    __tablename__ = "training_event_agency"
    __table_args__ = (UniqueConstraint("event_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id", ondelete="CASCADE"),
                                          index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                           index=True)


class Attendance(Base):
    """One person at an event: a user, or a named person (an auxiliary, a villager)."""

    __tablename__ = "training_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(100))
    present: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(String(400), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    device_at: Mapped[datetime | None]


class Certificate(Base):
    """A skills certificate earned at a training (cook, welder, excavator operator)."""

    __tablename__ = "training_certificate"
    __table_args__ = (UniqueConstraint("issuer", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id", ondelete="CASCADE"),
                                          index=True)
    skill: Mapped[str] = mapped_column(String(40))  # a code of data/kinds.json "skills"
    number: Mapped[str] = mapped_column(String(60))
    issuer: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="RESTRICT"))
    person_name: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                          ondelete="RESTRICT"))


class FollowUp(Base):
    """Something to do after the event, by an owner and a due time; overdue ones escalate."""

    __tablename__ = "training_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id", ondelete="CASCADE"),
                                          index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                            ondelete="RESTRICT"))
    owner_name: Mapped[str] = mapped_column(String(100), default="")
    due_at: Mapped[datetime] = mapped_column(index=True)
    done_at: Mapped[datetime | None]
    escalated_level: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                          ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Inject(ExerciseMixin, Base):
    """A scenario event or simulated report put into a drill run in exercise mode: an exercise
    record (``exercise`` is always true), shown with the exercise mark, never counted."""

    __tablename__ = "training_inject"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id", ondelete="CASCADE"),
                                          index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
