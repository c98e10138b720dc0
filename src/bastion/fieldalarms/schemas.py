"""Payloads of the field-alarm API (the intake's message is in ``intake.py``: it is read as
raw bytes, since its signature covers them)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from bastion.core.bounds import Id
from bastion.fieldalarms.models import AlarmKind, AlarmStatus, DeviceKind
from bastion.org.sharing import MarkingIn

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"


class DeviceIn(BaseModel):
    code: str = Field(pattern=CODE_PATTERN, description="the device id, as in its topic")
    name: str = Field(min_length=1, max_length=200)
    kind: DeviceKind
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    post_agency_id: Id = Field(description="the post responsible for it")
    segment_id: Id | None = None
    marking: MarkingIn | None = Field(
        default=None, description="default TLP:GREEN, named to the partners that see the "
        "device's segment (none: the command's own)")


class DeviceOut(BaseModel):
    id: int
    code: str
    name: str
    kind: DeviceKind
    kind_label: str
    lon: float
    lat: float
    post_agency_id: int
    post_name: str
    segment_id: int | None
    key_issued_at: datetime
    revoked: bool
    revoked_at: datetime | None
    last_seen_at: datetime | None
    battery_pct: int | None
    battery_low: bool
    silent: bool
    synthetic: bool


class DeviceWithKey(DeviceOut):
    key: str = Field(description="shown once: load it into the device now")
    topic: str


class AlarmOut(BaseModel):
    id: int
    device_id: int
    device_code: str
    device_name: str
    device_kind: DeviceKind
    kind: AlarmKind
    kind_label: str
    status: AlarmStatus
    status_label: str
    sent_at: datetime
    received_at: datetime
    via: str
    lon: float
    lat: float
    has_fix: bool
    battery_pct: int | None
    post_agency_id: int
    post_name: str
    acknowledged_by_id: int | None
    acknowledged_by_name: str | None
    acknowledged_at: datetime | None
    closed_by_id: int | None
    closed_at: datetime | None
    note: str
    exercise: bool
    synthetic: bool
    may_act: bool


class AlarmAction(BaseModel):
    action: Literal["acknowledge", "resolve", "false_alarm"]
    note: str = Field(default="", max_length=4000)
