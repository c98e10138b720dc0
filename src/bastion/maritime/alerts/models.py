"""Vessel alerts as stored: what the risk engine raised, and what officers did with them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin
from bastion.org.models import User


class AlertStatus(enum.StrEnum):
    OPEN = "open"          # the behaviour is going on (end is empty)
    ENDED = "ended"        # the behaviour stopped; the alert still awaits an officer
    CLOSED = "closed"      # an officer closed it with a note
    RETRACTED = "retracted"  # later data disproved it; kept, with the reason


class VesselAlert(MarkedMixin, Base):
    __tablename__ = "vessel_alert"
    record_kind: ClassVar[str] = "vessel_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The engine's deterministic id: replays and restarts update the same row.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    mmsi: Mapped[int] = mapped_column(BigInteger, index=True)
    other_mmsi: Mapped[int | None] = mapped_column(BigInteger)
    start: Mapped[datetime] = mapped_column(index=True)
    end: Mapped[datetime | None]
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Fingerprints of the engine events already applied (migration 0009): a replay after a
    # crash re-emits them, and they change nothing and write no event.
    engine_states: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    status: Mapped[AlertStatus] = mapped_column(str_enum_column(AlertStatus),
                                                default=AlertStatus.OPEN, index=True)
    retracted_reason: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    close_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assignee: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[assigned_to_id])
