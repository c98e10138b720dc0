"""A terminal's service profile and the inspection slots booked there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class Terminal(Base):
    """Where ships berth and are inspected, and when the station serves it.

    ``service_hours`` is ``24h`` (busy terminals inspected round the clock) or ``office``
    (``opens``-``closes`` on ``working_days``, in the terminal's own ``timezone``). A terminal
    with a ``tide_station`` is a tide-window terminal (潮汐验放): ships pass its channel only
    when charted depth + tide - draught leaves the under-keel clearance the harbour requires.
    """

    __tablename__ = "terminal"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    port: Mapped[str | None] = mapped_column(String(5))          # UN/LOCODE
    service_hours: Mapped[str] = mapped_column(String(10), default="office")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    opens: Mapped[str] = mapped_column(String(5), default="08:30")
    closes: Mapped[str] = mapped_column(String(5), default="17:30")
    working_days: Mapped[str] = mapped_column(String(7), default="12345")  # ISO weekdays
    inspection_minutes: Mapped[int] = mapped_column(default=120)
    inspection_teams: Mapped[int] = mapped_column(default=1)
    tide_station: Mapped[str | None] = mapped_column(String(80))
    charted_depth_m: Mapped[float | None] = mapped_column(Float)
    # Metres of chart datum below the tide station's mean sea level; empty: the station's own.
    datum_offset_m: Mapped[float | None] = mapped_column(Float)
    ukc_fixed_m: Mapped[float] = mapped_column(Float, default=0.5)
    ukc_percent: Mapped[float] = mapped_column(Float, default=10.0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("station_org_id", "code"),)

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class InspectionSlot(Base):
    """A booked boarding/inspection at a terminal, for arrival or departure."""

    __tablename__ = "inspection_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"),
                                         index=True)
    terminal_id: Mapped[int] = mapped_column(ForeignKey("terminal.id", ondelete="RESTRICT"),
                                             index=True)
    purpose: Mapped[str] = mapped_column(String(10))   # arrival | departure
    start: Mapped[datetime] = mapped_column(index=True)
    end: Mapped[datetime]
    # Booked outside the terminal's hours: an emergency or an expedited call, with its reason.
    outside_hours: Mapped[bool] = mapped_column(default=False)
    released: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
