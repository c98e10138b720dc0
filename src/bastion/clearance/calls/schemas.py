"""Port-call payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from bastion.clearance.workflow import State


class PortCallCreate(BaseModel):
    station_id: int
    participant_ids: list[int] = Field(default_factory=list, description="customs, MSA, ...")
    vessel_name: str = Field(min_length=1, max_length=100)
    imo: int | None = Field(default=None, ge=1_000_000, le=9_999_999)
    mmsi: int | None = Field(default=None, ge=100_000_000, le=999_999_999)
    callsign: str | None = Field(default=None, max_length=16)
    flag: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    voyage_number: str | None = Field(default=None, max_length=40)
    terminal: str | None = Field(default=None, max_length=80)
    berth: str | None = Field(default=None, max_length=80)
    previous_port: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    next_port: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    draught_m: float | None = Field(default=None, gt=0, lt=30)
    eta: AwareDatetime
    etd: AwareDatetime | None = None
    service_mode: str = Field(default="normal", pattern=r"^(normal|24h|tide_window|green_channel)$")
    combined_entry_exit: bool = False


class ParticipantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    agency_id: int
    cleared_in_at: datetime | None
    cleared_out_at: datetime | None


class PortCallPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    station_org_id: int
    agent_org_id: int
    vessel_name: str
    imo: int | None
    mmsi: int | None
    callsign: str | None
    flag: str | None
    voyage_number: str | None
    previous_port: str | None
    next_port: str | None
    eta: datetime | None
    etd: datetime | None
    ata: datetime | None
    atd: datetime | None
    service_mode: str
    state: State
    version: int
    inspection_level: str | None
    precheck: dict[str, Any]
    participants: list[ParticipantPublic]


class ActionIn(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


class DeclarationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    form: str
    version: int
    filename: str
    warnings: list[dict[str, Any]]
    uploaded_at: datetime
