"""Payloads of the cases API. Bad input is a 422 naming the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from bastion.cases.models import CaseStatus, Realm, TipKind, TipStatus
from bastion.core.bounds import Id
from bastion.org.sharing import MarkingIn, MarkingOut

KIND = r"^[a-z][a-z_]{1,39}$"


class CaseIn(BaseModel):
    kind: str = Field(default="manual", pattern=KIND,
                      description="the kind of record it is opened from (see GET "
                                  "/api/v1/cases/sources), or manual")
    record_id: Id | None = Field(default=None, description="that record's id")
    title: str | None = Field(default=None, max_length=300)
    description: str = Field(default="", max_length=4000)
    realm: Realm | None = None
    unit_id: Id | None = Field(default=None, description="the queue (a unit of your "
                                                         "organisation); your own by default")
    geometry: dict[str, Any] | None = Field(default=None, description="GeoJSON geometry")
    occurred_at: datetime | None = None
    exercise: bool = False
    marking: MarkingIn | None = None


class LinkIn(BaseModel):
    kind: str = Field(pattern=KIND)
    ref: str | None = Field(default=None, max_length=80)
    title: str = Field(min_length=1, max_length=300)
    url: str | None = Field(default=None, max_length=300, pattern=r"^/[^/]")
    geometry: dict[str, Any] | None = None


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    owner_id: Id
    due_at: datetime


class NoteIn(BaseModel):
    note: str = Field(min_length=1, max_length=4000)


class CloseIn(BaseModel):
    outcome: str = Field(pattern=KIND)
    persons: int = Field(default=0, ge=0, le=10000)
    note: str = Field(default="", max_length=4000)


class LinkOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    ref: str | None
    title: str
    url: str | None
    geometry: dict[str, Any] | None
    at: datetime


class TaskOut(BaseModel):
    id: int
    title: str
    owner_id: int
    owner_name: str
    due_at: datetime
    done_at: datetime | None
    overdue: bool
    escalated_level: int


class EventOut(BaseModel):
    id: int
    action: str
    action_label: str
    note: str
    by_user_id: int | None
    by_name: str
    at: datetime


class CaseOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    source_id: int | None
    source_url: str | None
    realm: Realm
    title: str
    display_title: str  # prefixed [EXERCISE] in a drill
    description: str
    unit_id: int
    owner_org_id: int
    status: CaseStatus
    status_label: str
    outcome: str | None
    outcome_label: str
    persons: int
    geometry: dict[str, Any] | None
    occurred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    tlp: str
    exercise: bool
    synthetic: bool


class CaseDetail(CaseOut):
    marking: MarkingOut
    links: list[LinkOut]
    tasks: list[TaskOut]
    timeline: list[EventOut]


class TipIn(BaseModel):
    client_id: str = Field(pattern=r"^[0-9a-fA-F-]{36}$")
    kind: TipKind
    description: str = Field(default="", max_length=4000)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    device_at: datetime


class TipOut(BaseModel):
    """What the reporter sees of their tip: never the case behind it."""

    id: int
    client_id: str
    kind: TipKind
    kind_label: str
    description: str
    lon: float | None
    lat: float | None
    device_at: datetime
    received_at: datetime
    status: TipStatus
    status_label: str
    acted_on_at: datetime | None
