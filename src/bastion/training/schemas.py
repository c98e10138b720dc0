"""Payloads of the training API. Times are ISO 8601 with an offset (a naive time is a 422
naming the field) and kept in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from bastion.core.bounds import Id
from bastion.training.models import EventStatus

When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class EventIn(BaseModel):
    kind: Code
    title: str = Field(default="", max_length=200, description="default: the kind's name")
    starts_at: When
    ends_at: When | None = None
    place: str = Field(default="", max_length=200)
    organiser: str = Field(default="", max_length=200)
    agency_ids: list[Id] = Field(default_factory=list, max_length=50,
                                 description="agencies and posts taking part")
    exercise_mode: bool = Field(default=False, description="a drill run as an exercise")
    client_id: UUID | None = None


class EventUpdate(BaseModel):
    status: EventStatus | None = None
    outcomes: str | None = Field(default=None, max_length=8000)
    cancel_reason: str | None = Field(default=None, max_length=2000)
    place: str | None = Field(default=None, max_length=200)
    organiser: str | None = Field(default=None, max_length=200)


class SeriesIn(BaseModel):
    kind: Code
    first_day: date = Field(description="the period's first day (in the command's zone)")
    last_day: date
    weekday: int = Field(ge=0, le=6, description="0 Monday ... 6 Sunday")
    time: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM local")
    minutes: int = Field(default=60, ge=1, le=24 * 60)
    title: str = Field(default="", max_length=200)
    place: str = Field(default="", max_length=200)
    organiser: str = Field(default="", max_length=200)
    agency_ids: list[Id] = Field(default_factory=list, max_length=50)


class AttendanceIn(BaseModel):
    user_id: Id | None = None
    name: str = Field(default="", max_length=100, description="a named person not a user")
    present: bool = True
    reason: str = Field(default="", max_length=400, description="why absent")
    client_id: UUID | None = None
    device_at: When | None = None


class CertificateIn(BaseModel):
    skill: Code
    number: str = Field(min_length=1, max_length=60)
    issuer: str = Field(min_length=1, max_length=200)
    user_id: Id | None = None
    person_name: str = Field(default="", max_length=100)
    issued_on: date | None = None


class FollowUpIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    owner_id: Id | None = None
    owner_name: str = Field(default="", max_length=100)
    due_at: When


class FollowUpUpdate(BaseModel):
    done: bool


class InjectIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    at: When | None = None


class AttendanceOut(BaseModel):
    id: int
    client_id: str | None
    user_id: int | None
    name: str
    present: bool
    reason: str
    recorded_at: datetime


class CertificateOut(BaseModel):
    id: int
    skill: str
    skill_label: str
    number: str
    issuer: str
    user_id: int | None
    person_name: str
    issued_on: date | None


class FollowUpOut(BaseModel):
    id: int
    text: str
    owner_id: int | None
    owner_name: str
    due_at: datetime
    done_at: datetime | None
    overdue: bool
    escalated_level: int


class InjectOut(BaseModel):
    id: int
    at: datetime
    text: str
    exercise: bool
    by_user_id: int


class EventOut(BaseModel):
    id: int
    client_id: str | None
    kind: str
    kind_label: str
    category: str
    unit_id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    organiser: str
    status: EventStatus
    outcomes: str
    cancel_reason: str
    series: str | None
    exercise_mode: bool
    synthetic: bool
    agency_ids: list[int]


class EventDetail(EventOut):
    attendance: list[AttendanceOut]
    certificates: list[CertificateOut]
    follow_ups: list[FollowUpOut]
    injects: list[InjectOut]


Format = Literal["xlsx"]
