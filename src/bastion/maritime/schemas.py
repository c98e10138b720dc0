"""Payloads of the maritime API: vessels, tracks, alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bastion.core.bounds import Id
from bastion.core.pagination import Page
from bastion.maritime.alerts.models import AlertStatus


class VesselPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    mmsi: int
    imo: int | None
    name: str | None
    callsign: str | None
    ship_type: int | None
    flag: str | None
    length_m: float | None
    beam_m: float | None
    draught_m: float | None
    destination: str | None
    first_seen: datetime
    last_seen: datetime | None
    lat: float | None
    lon: float | None
    speed: float | None
    course: float | None
    heading: int | None
    status: int | None
    risk_score: float
    risk_factors: list[dict[str, Any]]


VesselPage = Page[VesselPublic]


class TrackPoint(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    at: datetime
    lat: float
    lon: float
    speed: float | None
    course: float | None
    heading: int | None
    status: int | None


class AlertPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    key: str
    kind: str
    mmsi: int
    other_mmsi: int | None
    start: datetime
    end: datetime | None
    lat: float | None
    lon: float | None
    severity: str
    score: float
    thresholds: dict[str, Any]
    evidence: list[Any]
    context: dict[str, Any]
    status: AlertStatus
    retracted_reason: str | None
    acknowledged_at: datetime | None
    assigned_to_id: int | None
    closed_at: datetime | None
    close_note: str | None


AlertPage = Page[AlertPublic]


class AlertAssign(BaseModel):
    assignee_id: Id


class AlertClose(BaseModel):
    note: str = Field(min_length=1, max_length=2000)
