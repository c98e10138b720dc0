"""Payloads of the patrol API. Times from phones are ISO 8601 with an offset (a naive time
is a 422 naming the field); positions are WGS-84 degrees, checked for range."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from bastion.border.patrols.models import Period, Transport
from bastion.core.bounds import Id

Lon = Annotated[float, Interval(ge=-180, le=180)]
Lat = Annotated[float, Interval(ge=-90, le=90)]
Metres = Annotated[float, Interval(ge=0, le=100_000)]
# Kept in UTC like every stored time (the same instant as the phone sent it).
When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Fix(BaseModel):
    lon: Lon | None = None
    lat: Lat | None = None


class MemberIn(BaseModel):
    user_id: Id | None = None
    name: Name
    agency_id: Id
    is_leader: bool = False
    is_pilot: bool = False


class StartIn(Fix):
    op_id: UUID
    patrol_id: UUID
    post_agency_id: Id | None = None
    segment_id: Id | None = None
    transport: Transport = Transport.FOOT
    objective: str = Field(default="", max_length=2000)
    members: list[MemberIn] = Field(default_factory=list, max_length=50)
    device_at: When


class StatusIn(Fix):
    op_id: UUID
    action: Literal["pause", "resume", "end", "cancel"]
    device_at: When


class TrackIn(BaseModel):
    client_id: Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
    points: list[list[Any]] = Field(max_length=20_000)


class CheckInIn(Fix):
    client_id: UUID
    checkpoint_id: Id
    method: Literal["geofence", "qr"]
    qr_text: str | None = Field(default=None, max_length=200)
    device_at: When
    accuracy_m: Metres | None = None


class ObservationIn(Fix):
    client_id: UUID
    category_code: str = Field(min_length=1, max_length=64)
    attributes: dict[str, Any] = Field(default_factory=dict)
    note: str = Field(default="", max_length=4000)
    device_at: When


class SosIn(Fix):
    client_id: UUID
    patrol_id: UUID | None = None
    device_at: When
    message: str = Field(default="", max_length=1000)


class MessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=400)


# --- plans --------------------------------------------------------------------------------

class TargetIn(BaseModel):
    post_agency_id: Id
    segment_id: Id | None = None
    period: Period
    min_patrols: Annotated[int, Interval(ge=1, le=1000)] = 1
    min_minutes: Annotated[int, Interval(ge=0, le=24 * 60)] = 0


class TargetOut(TargetIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    active: bool
    created_at: datetime


class PlannedCheckpointIn(BaseModel):
    checkpoint_id: Id
    window_start: When | None = None
    window_end: When | None = None


class PlanIn(BaseModel):
    client_id: UUID
    post_agency_id: Id
    segment_id: Id | None = None
    transport: Transport = Transport.FOOT
    objective: str = Field(default="", max_length=2000)
    planned_start: When
    planned_end: When
    members: list[MemberIn] = Field(min_length=1, max_length=50)
    route: dict[str, Any] | None = None
    checkpoints: list[PlannedCheckpointIn] = Field(default_factory=list, max_length=100)


class PatrolSummary(BaseModel):
    id: int
    client_id: str
    status: str
    post_agency_id: int
    segment_id: int | None
    transport: str
    joint: bool
    objective: str
    planned_start: datetime | None
    planned_end: datetime | None
    started_at: datetime | None
    started_device_at: datetime | None
    ended_at: datetime | None
    ended_device_at: datetime | None
    distance_m: float
    moving_s: float
    last_lon: float | None
    last_lat: float | None
    last_fix_at: datetime | None
    synthetic: bool
