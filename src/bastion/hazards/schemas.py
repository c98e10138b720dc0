"""Payloads of the hazards API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from bastion.core.bounds import Id
from bastion.hazards.models import PointKind, PointStatus


class HazardIn(BaseModel):
    """A hazard report. The place is ``geometry`` (a GeoJSON Point or LineString, WGS 84
    lon/lat) or, from a phone, just ``lon``/``lat``."""

    client_id: UUID | None = Field(None, description="the phone's UUID: a replay is 200")
    category: str = Field(max_length=32)
    title: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)
    marker: str = Field("", max_length=40, description="the nearest boundary marker")
    geometry: dict[str, Any] | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    post_agency_id: Id | None = Field(None, description="the post responsible (a post's own "
                                      "report is its own)")
    segment_id: Id | None = None
    observation_id: Id | None = Field(None, description="the patrol observation it comes from")
    observed_at: datetime | None = None
    device_at: datetime | None = None
    estimate: float | None = Field(None, ge=0, le=1e6,
                                   description="the extent seen, in the category's unit")
    exercise: bool = False


class MaterialIn(BaseModel):
    item_code: str = Field(min_length=1, max_length=64)
    item_name: str = Field("", max_length=200)
    quantity: float = Field(gt=0, le=1e7)
    unit: str = Field("", max_length=20)


class ActionIn(BaseModel):
    """``triage``; ``reject`` (``reason``); ``order`` (``assignee_agency_id``, ``due_on``,
    ``team``, ``instructions``, ``materials``); ``complete`` (``quantity`` in the category's
    unit, ``done_on``); ``verify``; ``return`` (``reason``: the repair is not good enough)."""

    action: Literal["triage", "reject", "order", "complete", "verify", "return"]
    reason: str = Field("", max_length=4000)
    assignee_agency_id: Id | None = None
    team: str = Field("", max_length=100)
    instructions: str = Field("", max_length=4000)
    due_on: date | None = None
    materials: list[MaterialIn] = Field(default_factory=list, max_length=50)
    quantity: float | None = Field(None, ge=0, le=1e6)
    done_on: date | None = None


class SurveyPointIn(BaseModel):
    kind: PointKind
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    note: str = Field("", max_length=2000)


class SurveyIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    post_agency_id: Id | None = None
    segment_id: Id | None = None
    surveyed_on: date
    area: dict[str, Any] | None = None
    walked_km: float | None = Field(None, ge=0, le=10000)
    note: str = Field("", max_length=4000)
    points: list[SurveyPointIn] = Field(default_factory=list, max_length=500)
    exercise: bool = False


class PointStatusIn(BaseModel):
    status: PointStatus
