"""Home-visit tasks (走访核实): a post verifies a person at home, on the phone, offline if need
be (the floor's offline kit); the result is recorded with the phone's time and place."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class VisitStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class VisitResult(enum.StrEnum):
    VERIFIED = "verified"  # found as recorded
    CHANGED = "changed"  # found, records need changing (the notes say what)
    ABSENT = "absent"  # not at home
    LEFT = "left"  # has left the village / the country
    NOT_FOUND = "not_found"  # unknown at the address


class VisitTask(Base):
    __tablename__ = "resident_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    post_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("resident_flag.id",
                                                           ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[VisitStatus] = mapped_column(str_enum_column(VisitStatus),
                                                default=VisitStatus.OPEN, index=True)
    result: Mapped[VisitResult | None] = mapped_column(str_enum_column(VisitResult))
    notes: Mapped[str] = mapped_column(Text, default="")
    visited_at: Mapped[datetime | None]
    visited_device_at: Mapped[datetime | None]
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    visited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                          ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
