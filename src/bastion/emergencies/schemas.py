"""Payloads of the emergency board's API. Times are ISO 8601 with an offset (a naive time is a
422 naming the field), kept in UTC; areas are GeoJSON polygons (lon, lat)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from bastion.core.bounds import Id, Mmsi
from bastion.emergencies.models import (
    EmergencyKind,
    Level,
    Phase,
    VesselClass,
    VesselSource,
    VesselStatus,
)

When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]


class DeadlineRule(BaseModel):
    """Vessels of ``vessel_class`` must reach one of ``done`` by T minus ``hours_before``."""

    vessel_class: VesselClass
    hours_before: float = Field(ge=0, le=240)
    done: list[VesselStatus] = Field(min_length=1, max_length=7)


class EmergencyIn(BaseModel):
    kind: EmergencyKind = EmergencyKind.TYPHOON
    name: str = Field(min_length=1, max_length=120)
    level: Level = Level.IV
    phase: Phase = Phase.WATCH
    landfall_at: When = Field(description="T: landfall or peak; deadlines count back from it")
    area: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon (lon, lat)")
    deadlines: list[DeadlineRule] | None = Field(
        default=None, max_length=12, description="default: the house's rules per class")
    exercise: bool = False
    notes: str = Field(default="", max_length=4000)
    partner_agency_ids: list[Id] = Field(
        default_factory=list, max_length=50,
        description="partner agencies that see the emergency beside the owner organisation")


class PhaseIn(BaseModel):
    phase: Phase
    level: Level | None = None
    reason: str = Field(default="", max_length=1000)


class EmergencyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: EmergencyKind
    name: str
    phase: Phase
    level: Level
    area: dict[str, Any]
    landfall_at: datetime
    deadlines: list[dict[str, Any]]
    exercise: bool
    synthetic: bool
    opened_at: datetime
    closed_at: datetime | None
    notes: str
    partner_agency_ids: list[int] = []


class VesselOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    emergency_id: int
    source: VesselSource
    name: str
    vessel_class: VesselClass
    mmsi: int | None
    port_call_id: int | None
    local_vessel_id: int | None
    agent_org_id: int | None
    contact: str
    officer_id: int | None
    persons_aboard: int
    shelter_zone_id: int | None
    status: VesselStatus
    status_at: datetime
    exercise: bool
    due_at: datetime | None = None
    late: bool = False


class AssignIn(BaseModel):
    officer_id: Id | None = None
    persons_aboard: int | None = Field(default=None, ge=0, le=10000)
    shelter_zone_id: Id | None = None


class ActionIn(BaseModel):
    action: str = Field(min_length=1, max_length=20)
    reason: str = Field(default="", max_length=1000)


class VesselIn(BaseModel):
    """A vessel added by hand (seen in the roll-call, not in any source)."""

    name: str = Field(min_length=1, max_length=100)
    vessel_class: VesselClass
    mmsi: Mmsi | None = None
    persons_aboard: int = Field(default=0, ge=0, le=10000)
    contact: str = Field(default="", max_length=200)


class ZoneIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    vessel_class: VesselClass
    area: dict[str, Any]


class ZoneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    vessel_class: VesselClass
    area: dict[str, Any]
    synthetic: bool


class LocalVesselIn(BaseModel):
    registration: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    vessel_class: VesselClass = VesselClass.FISHING
    mmsi: Mmsi | None = None
    home_port: str = Field(default="", max_length=100)
    owner_name: str = Field(default="", max_length=100)
    owner_phone: str = Field(default="", max_length=40, pattern=r"^[0-9+()\- ]*$")
    crew: int = Field(default=0, ge=0, le=10000)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class LocalVesselOut(LocalVesselIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    synthetic: bool


class Counts(BaseModel):
    vessels: dict[str, int]
    persons: dict[str, int]
    total_vessels: int
    total_persons: int
    late: int
