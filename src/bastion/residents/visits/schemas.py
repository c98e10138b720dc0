"""Payloads of the home-visit API. The phone's time is ISO 8601 with an offset (a naive time
is a 422 naming ``device_at``), kept in UTC; positions are WGS-84 degrees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from bastion.core.bounds import Id
from bastion.residents.visits.models import VisitResult, VisitStatus

When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]


class VisitIn(BaseModel):
    """A home visit to make: for a person, optionally on one of their flags."""

    model_config = ConfigDict(extra="forbid")
    resident_id: Id
    flag_id: Id | None = None
    post_agency_id: Id | None = None  # the post that visits; by default the person's post
    reason: str = Field(default="", max_length=2000)
    due: date | None = None


class ResultIn(BaseModel):
    """What the visit found, as recorded on the phone (``client_id`` makes a re-upload safe)."""

    model_config = ConfigDict(extra="forbid")
    client_id: UUID
    result: VisitResult
    notes: str = Field(default="", max_length=4000)
    device_at: When
    lon: Annotated[float, Interval(ge=-180, le=180)] | None = None
    lat: Annotated[float, Interval(ge=-90, le=90)] | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=2000)


class VisitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    resident_id: int
    post_agency_id: int
    flag_id: int | None
    reason: str
    due: date | None
    status: VisitStatus
    result: VisitResult | None
    notes: str
    visited_at: datetime | None
    visited_device_at: datetime | None
    lon: float | None
    lat: float | None
    visited_by_id: int | None
    created_at: datetime
