"""Port calls, the agencies that clear them, and their declarations (versioned)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bastion.clearance.workflow import State
from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class PortCall(Base):
    """One vessel's visit, from the agent's draft to departure. The state only changes
    through :func:`bastion.clearance.workflow.transition` (see calls.service)."""

    __tablename__ = "port_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    agent_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    # FAL 1 / IMO Compendium: ship, voyage and port call particulars
    vessel_name: Mapped[str] = mapped_column(String(100))
    imo: Mapped[int | None] = mapped_column(BigInteger)
    mmsi: Mapped[int | None] = mapped_column(BigInteger)
    callsign: Mapped[str | None] = mapped_column(String(16))
    flag: Mapped[str | None] = mapped_column(String(3))
    ship_type: Mapped[str | None] = mapped_column(String(60))
    gross_tonnage: Mapped[float | None] = mapped_column(Float)
    length_m: Mapped[float | None] = mapped_column(Float)
    air_draught_m: Mapped[float | None] = mapped_column(Float)
    master_name: Mapped[str | None] = mapped_column(String(100))
    port: Mapped[str | None] = mapped_column(String(5))            # UN/LOCODE of this call
    voyage_number: Mapped[str | None] = mapped_column(String(40))
    terminal: Mapped[str | None] = mapped_column(String(80))
    berth: Mapped[str | None] = mapped_column(String(80))
    previous_port: Mapped[str | None] = mapped_column(String(5))
    next_port: Mapped[str | None] = mapped_column(String(5))
    draught_m: Mapped[float | None] = mapped_column(Float)
    eta: Mapped[datetime | None]
    etd: Mapped[datetime | None]
    ata: Mapped[datetime | None]
    atd: Mapped[datetime | None]
    service_mode: Mapped[str] = mapped_column(String(20), default="normal")
    combined_entry_exit: Mapped[bool] = mapped_column(default=False)
    # Queue order: emergency (green channel) first, then expedited (weather, tide), then normal.
    priority: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal",
                                          index=True)
    # The tide window booked for the ship's arrival (tide-window terminals), and the wait it
    # means after the ETA, recorded when the arrival is approved.
    arrival_window_start: Mapped[datetime | None]
    arrival_window_end: Mapped[datetime | None]
    tide_wait_minutes: Mapped[int | None]
    state: Mapped[State] = mapped_column(str_enum_column(State), default=State.DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)
    inspection_level: Mapped[str | None] = mapped_column(String(16))
    precheck: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants: Mapped[list[CallParticipant]] = relationship(
        lazy="selectin", back_populates="call", order_by="CallParticipant.agency_id")


class CallParticipant(Base):
    """An agency taking part (border inspection, customs, maritime safety) and its clearances."""

    __tablename__ = "port_call_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    cleared_in_at: Mapped[datetime | None]
    cleared_out_at: Mapped[datetime | None]

    call: Mapped[PortCall] = relationship(lazy="raise", back_populates="participants")

    __table_args__ = (UniqueConstraint("call_id", "agency_id"),)


class Declaration(Base):
    """One FAL form as submitted. A new upload is a new version; old versions are kept."""

    __tablename__ = "port_call_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"),
                                         index=True)
    form: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("call_id", "form", "version"),)
