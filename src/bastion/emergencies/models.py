"""The emergency board (issue 17): an emergency (typhoon, flood) with its area, phase and
level; the vessels it concerns, each with its status, its one officer (定人联船) and the
persons aboard; the shelter zones by vessel class; and the register of local vessels (fishing
boats and small craft, often without AIS) with their owners' contacts.

Practice (LAND-BORDER.md section 5): deadlines per vessel class (Zhanjiang, Yagi 2024), one
named official per vessel (Putian), shelter "by zone, class and grade" (Sanya), rolling
roll-calls (Taizhou). A vessel's status changes only through ``workflow.py``; every change is
an event (``emergency.vessel_status``) with who, when, why and, for the automatic AIS check,
the position that shows it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin


class EmergencyKind(enum.StrEnum):
    TYPHOON = "typhoon"
    FLOOD = "flood"
    OTHER = "other"


class Phase(enum.StrEnum):
    """In order; a supervisor moves the emergency forward (or back, with a reason)."""

    WATCH = "watch"  # 关注
    WARNING = "warning"  # 预警
    EVACUATION = "evacuation"  # 撤离/避风
    ALL_CLEAR = "all_clear"  # 解除


class Level(enum.StrEnum):
    """China's four response levels: IV blue (lowest) .. I red (highest)."""

    IV = "IV"
    III = "III"
    II = "II"
    I = "I"


class VesselClass(enum.StrEnum):
    SMALL_CRAFT = "small_craft"  # 小型船艇, 筏: ashore first
    FISHING = "fishing"
    CONSTRUCTION = "construction"  # 施工船, 采砂船
    PASSENGER = "passenger"
    MERCHANT = "merchant"
    OTHER = "other"


class VesselSource(enum.StrEnum):
    AIS = "ais"
    PORT_CALL = "port_call"
    REGISTER = "register"


class VesselStatus(enum.StrEnum):
    LISTED = "listed"  # concerned, not yet told
    NOTIFIED = "notified"
    ACKNOWLEDGED = "acknowledged"
    MOVING = "moving"
    SHELTERED = "sheltered"
    DEPARTED = "departed"
    CREW_ASHORE = "crew_ashore"


MOVED = (VesselStatus.SHELTERED, VesselStatus.DEPARTED, VesselStatus.CREW_ASHORE)


class Emergency(ExerciseMixin, Base):
    __tablename__ = "emergency"
    record_kind: ClassVar[str] = "emergency"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    kind: Mapped[EmergencyKind] = mapped_column(str_enum_column(EmergencyKind))
    name: Mapped[str] = mapped_column(String(120))
    phase: Mapped[Phase] = mapped_column(str_enum_column(Phase), default=Phase.WATCH)
    level: Mapped[Level] = mapped_column(str_enum_column(Level), default=Level.IV)
    # GeoJSON Polygon (lon, lat), the area whose vessels are concerned.
    area: Mapped[dict[str, Any]] = mapped_column(JSON)
    # T: landfall or the peak; every class's deadline is counted back from it.
    landfall_at: Mapped[datetime]
    # [{"vessel_class": "fishing", "hours_before": 12, "done": ["sheltered", ...]}, ...]
    deadlines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]
    synthetic: Mapped[bool] = mapped_column(default=False)


class EmergencyPartner(Base):
    """A partner agency the emergency names (the maritime authority, the land-border command):
    it sees the emergency beside its owner organisation, and acts on it with the capability."""

    __tablename__ = "emergency_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    emergency_id: Mapped[int] = mapped_column(ForeignKey("emergency.id", ondelete="CASCADE"),
                                              index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                           index=True)

    __table_args__ = (UniqueConstraint("emergency_id", "agency_id"),)


class ShelterZone(Base):
    """Shelter waters for a class of vessel (small vessels inshore, large ones outside)."""

    __tablename__ = "emergency_shelter_zone"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    name: Mapped[str] = mapped_column(String(120))
    vessel_class: Mapped[VesselClass] = mapped_column(str_enum_column(VesselClass), index=True)
    area: Mapped[dict[str, Any]] = mapped_column(JSON)  # GeoJSON Polygon
    synthetic: Mapped[bool] = mapped_column(default=False)


class LocalVessel(Base):
    """A vessel of the register: fishing boats and small craft, with whoever answers for it."""

    __tablename__ = "emergency_local_vessel"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    registration: Mapped[str] = mapped_column(String(40))  # 船号, once per organisation
    name: Mapped[str] = mapped_column(String(100))
    vessel_class: Mapped[VesselClass] = mapped_column(str_enum_column(VesselClass))
    mmsi: Mapped[int | None] = mapped_column(BigInteger)
    home_port: Mapped[str] = mapped_column(String(100), default="")
    owner_name: Mapped[str] = mapped_column(String(100), default="")
    owner_phone: Mapped[str] = mapped_column(String(40), default="")
    crew: Mapped[int] = mapped_column(default=0)
    # Where it usually lies (the register's vessels have no AIS picture).
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("owner_org_id", "registration"),)


class EmergencyVessel(ExerciseMixin, Base):
    """One vessel concerned by an emergency: where it came from, who answers for it, its
    status. ``exercise`` follows the emergency's."""

    __tablename__ = "emergency_vessel"
    record_kind: ClassVar[str] = "emergency_vessel"

    id: Mapped[int] = mapped_column(primary_key=True)
    emergency_id: Mapped[int] = mapped_column(ForeignKey("emergency.id", ondelete="CASCADE"),
                                              index=True)
    source: Mapped[VesselSource] = mapped_column(str_enum_column(VesselSource))
    key: Mapped[str] = mapped_column(String(40))  # "mmsi:…", "call:…", "reg:…": listed once
    name: Mapped[str] = mapped_column(String(100))
    vessel_class: Mapped[VesselClass] = mapped_column(str_enum_column(VesselClass))
    mmsi: Mapped[int | None] = mapped_column(BigInteger, index=True)
    port_call_id: Mapped[int | None]
    local_vessel_id: Mapped[int | None] = mapped_column(
        ForeignKey("emergency_local_vessel.id", ondelete="SET NULL"))
    agent_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    contact: Mapped[str] = mapped_column(String(200), default="")  # owner, phone
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    persons_aboard: Mapped[int] = mapped_column(default=0)
    shelter_zone_id: Mapped[int | None] = mapped_column(
        ForeignKey("emergency_shelter_zone.id", ondelete="SET NULL"))
    status: Mapped[VesselStatus] = mapped_column(str_enum_column(VesselStatus),
                                                 default=VesselStatus.LISTED, index=True)
    status_at: Mapped[datetime] = mapped_column(default=utcnow)
    notification_id: Mapped[int | None]
    escalated_level: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("emergency_id", "key"),)
