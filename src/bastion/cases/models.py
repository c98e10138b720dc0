"""Cases across sea and land (issue 17): a case opened from a vessel alert, a pre-check hit, a
patrol observation, a hotline call, a hazard, a field alarm, a tip from the public, or by hand;
its links (persons, vessels, port calls, places, alerts, other records), tasks with owners and
deadlines, a timeline, evidence (attachments on the case) and an outcome.

A case is a marked record (``core.marking``): the owning organisation and the agencies named in
its distribution see it, nobody else (404). ``unit_id`` is the queue it sits in (a post, a duty
team). ``kind`` is the kind of record it was opened from ("manual" by hand, "tip" from the
public); ``source_id`` that record's id. Outcomes are data (``cases/data/outcomes.json``).

A tip (群众举报) is the reporter's own record: the village committee member who entered it sees
it and its state (received, acted on), never the case it became.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin
from bastion.core.marking import MarkedMixin


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Realm(enum.StrEnum):
    SEA = "sea"
    LAND = "land"


class Case(MarkedMixin, ExerciseMixin, Base):
    __tablename__ = "case_file"
    record_kind: ClassVar[str] = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # the source's kind, or "manual"
    source_id: Mapped[int | None]
    realm: Mapped[Realm] = mapped_column(str_enum_column(Realm), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    source_url: Mapped[str | None] = mapped_column(String(300))
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    lon: Mapped[float | None] = mapped_column(Float)  # a point for the map (the geometry's)
    lat: Mapped[float | None] = mapped_column(Float)
    occurred_at: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum_column(CaseStatus),
                                               default=CaseStatus.OPEN, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    outcome: Mapped[str | None] = mapped_column(String(40), index=True)
    persons: Mapped[int] = mapped_column(default=0)  # persons the outcome counts
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)


class CaseLink(Base):
    """What a case is about: a person (crew member, foreign resident), a vessel, a port call, a
    place (GeoJSON), an alert or another record. ``ref`` is the record's id in its own domain
    (text: an MMSI, a port call's id, "call 7 crew 3"); ``title`` and ``url`` are kept as they
    were when linked, so the case reads the same when the other record changes."""

    __tablename__ = "case_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(300))
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTask(Base):
    """Something to do for a case, by someone, by a deadline; overdue ones escalate."""

    __tablename__ = "case_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"),
                                          index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    done_at: Mapped[datetime | None]
    escalated_level: Mapped[int] = mapped_column(default=0)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseEvent(Base):
    """The case's timeline: opened, linked, task added/done, note, shared, closed, reopened.
    Append-only."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    action: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TipKind(enum.StrEnum):
    SUSPICIOUS_PERSONS = "suspicious_persons"
    SMUGGLING = "smuggling"
    DAMAGED_FENCE = "damaged_fence"
    OTHER = "other"


class TipStatus(enum.StrEnum):
    RECEIVED = "received"
    ACTED_ON = "acted_on"


class Tip(Base):
    """A tip from the public (群众举报), entered by a village committee member."""

    __tablename__ = "case_tip"
    record_kind: ClassVar[str] = "case_tip"  # its photo hangs on it (attachments)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"),
                                             index=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    village_id: Mapped[int | None]
    kind: Mapped[TipKind] = mapped_column(str_enum_column(TipKind))
    description: Mapped[str] = mapped_column(Text, default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    device_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="RESTRICT"),
                                         index=True)
    status: Mapped[TipStatus] = mapped_column(str_enum_column(TipStatus),
                                              default=TipStatus.RECEIVED)
    acted_on_at: Mapped[datetime | None]
    synthetic: Mapped[bool] = mapped_column(default=False)
