"""A call's departure: draught and tide window, outbound screening, reasons for changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class Departure(Base):
    """One per call, made when the first departure fact is recorded. ``persons`` and
    ``by_list`` hold the outbound screening as the arrival pre-check holds its own (per person,
    the outcome of each watchlist that matched), so readers see only their lists' results."""

    __tablename__ = "port_call_departure"

    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"),
                                         primary_key=True)
    draught_m: Mapped[float | None] = mapped_column(Float)
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    screened_at: Mapped[datetime | None]
    screened_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    persons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    by_list: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DepartureReason(Base):
    """Why a person on the arrival lists is not on the departure lists (signed off, in
    hospital ashore, deserted, died), or why a new one is (signed on, stowaway). ``person_key``
    is the document key the comparison matches on (changes.person_key)."""

    __tablename__ = "port_call_departure_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"),
                                         index=True)
    person_key: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("call_id", "person_key"),)
