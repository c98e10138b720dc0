"""Port-call payloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from bastion.clearance.workflow import State
from bastion.core.bounds import Id


class PortCallCreate(BaseModel):
    station_id: Id
    participant_ids: list[Id] = Field(default_factory=list, description="customs, MSA, ...")
    vessel_name: str = Field(min_length=1, max_length=100)
    imo: int | None = Field(default=None, ge=1_000_000, le=9_999_999)
    mmsi: int | None = Field(default=None, ge=100_000_000, le=999_999_999)
    callsign: str | None = Field(default=None, max_length=16)
    flag: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    ship_type: str | None = Field(default=None, max_length=60)
    gross_tonnage: float | None = Field(default=None, gt=0, lt=1_000_000)
    length_m: float | None = Field(default=None, gt=0, lt=500)
    air_draught_m: float | None = Field(default=None, gt=0, lt=100)
    master_name: str | None = Field(default=None, max_length=100)
    port: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$",
                             description="UN/LOCODE of the port of call")
    voyage_number: str | None = Field(default=None, max_length=40)
    terminal: str | None = Field(default=None, max_length=80)
    berth: str | None = Field(default=None, max_length=80)
    previous_port: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    next_port: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    draught_m: float | None = Field(default=None, gt=0, lt=30)
    eta: AwareDatetime
    etd: AwareDatetime | None = None
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
    ship_type: str | None
    gross_tonnage: float | None
    length_m: float | None
    draught_m: float | None
    air_draught_m: float | None
    master_name: str | None
    voyage_number: str | None
    port: str | None
    terminal: str | None
    berth: str | None
    previous_port: str | None
    next_port: str | None
    combined_entry_exit: bool
    eta: datetime | None
    etd: datetime | None
    ata: datetime | None
    atd: datetime | None
    service_mode: str
    priority: str
    arrival_window_start: datetime | None
    arrival_window_end: datetime | None
    tide_wait_minutes: int | None
    state: State
    version: int
    inspection_level: str | None
    precheck: dict[str, Any]
    participants: list[ParticipantPublic]


class ActionIn(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)
    override: bool = Field(default=False, description="clear_in/clear_out/depart: a supervisor "
                           "acts over unresolved persons (needs portcalls.override, reason)")


class DeclarationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    form: str
    version: int
    filename: str
    warnings: list[dict[str, Any]]
    uploaded_at: datetime


def _text(most: int, least: int = 0):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=least,
                                            max_length=most)]


class LandedPerson(BaseModel):
    """Who must land on the green channel, as the pre-check screens them: a name is required
    (a dict of any keys let a landing through with nobody screened), the rest sharpens the
    match. Unknown keys are refused so that a misspelt field is named, not ignored."""

    model_config = ConfigDict(extra="forbid")
    name: _text(100, 1)
    birth_date: date | None = None
    nationality: _text(3) | None = Field(default=None, description="ISO 3166 alpha-3")
    document_number: _text(40) | None = None
    condition: _text(200) | None = Field(default=None, description="injury or illness")

    def stored(self) -> dict[str, Any]:
        """The case's JSON: blanks left out, the date as ISO text."""
        return {k: v for k, v in self.model_dump(mode="json").items() if v not in (None, "")}


class GreenChannelIn(BaseModel):
    kind: str = Field(pattern=r"^(medical|weather|tide)$",
                      description="medical: the green channel; weather, tide: expedited")
    reason: str = Field(min_length=1, max_length=2000)
    persons: list[LandedPerson] = Field(default_factory=list, max_length=50,
                                        description="medical: who must land (one at least)")
    documents_to_follow: bool = False


class LandingIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000)
    reason: str | None = Field(default=None, max_length=2000)
    override: bool = Field(default=False, description="a station supervisor lands a person "
                           "who is stop or has an open hit (needs portcalls.override, reason)")


class EmergencyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    reason: str
    persons: list[dict[str, Any]]
    declared_at: datetime
    documents_to_follow: bool
    acknowledged_at: datetime | None
    ack_due_at: datetime | None
    landing_due_at: datetime | None
    landed_at: datetime | None
    landing_note: str | None
    documents_completed_at: datetime | None
    escalation_level: int
    closed_at: datetime | None


class SlotPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    purpose: str
    start: datetime
    end: datetime
    outside_hours: bool


class RowsIn(BaseModel):
    rows: list[dict[str, Any]] = Field(max_length=5000, description="one object per person "
                                       "or item, keyed by the template's field keys")
