"""Operation payloads: what a client sends (checked here: 422 naming the field) and gets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from bastion.core.bounds import Id
from bastion.operations.models import LinkKind, TaskStatus

When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
Text = Annotated[str, Field(max_length=4000)]


class ParticipantIn(BaseModel):
    agency_id: Id
    role: str = Field(default="", max_length=200)


class PostIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    agency_id: Id | None = None
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    staff: int = Field(default=0, ge=0, le=10_000)
    note: Text = ""


class OperationIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: Text = ""
    starts_at: When
    ends_at: When
    area: dict[str, Any] | None = None  # GeoJSON Polygon or MultiPolygon (or a Feature of one)
    exercise: bool = False
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=100)
    posts: list[PostIn] = Field(default_factory=list, max_length=200)


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    owner_agency_id: Id
    owner_user_id: Id | None = None
    due_at: When | None = None


class TaskStatusIn(BaseModel):
    status: TaskStatus


class LogIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class LinkIn(BaseModel):
    kind: LinkKind
    ref_id: Id
    note: str = Field(default="", max_length=500)


class ParticipantOut(BaseModel):
    agency_id: int
    agency: str
    role: str


class PostOut(BaseModel):
    id: int
    name: str
    agency_id: int | None
    agency: str | None
    lat: float
    lon: float
    staff: int
    note: str


class TaskOut(BaseModel):
    id: int
    title: str
    owner_agency_id: int
    owner_agency: str
    owner_user_id: int | None
    due_at: datetime | None
    status: TaskStatus
    done_at: datetime | None
    done_by: str | None
    overdue: bool
    may_work: bool


class LinkOut(BaseModel):
    id: int
    kind: LinkKind
    ref_id: int
    note: str
    label: str  # what the linked record is, as the caller may see it ("" if not)
    href: str | None


class LogOut(BaseModel):
    id: int
    at: datetime
    author: str
    agency: str
    text: str


class OperationSummary(BaseModel):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    phase: str  # upcoming, under_way, ended
    exercise: bool
    owner_org: str
    tasks: int
    tasks_done: int


class OperationOut(OperationSummary):
    description: str
    area: dict[str, Any] | None
    may_plan: bool
    participants: list[ParticipantOut]
    posts: list[PostOut]
    tasks_list: list[TaskOut]
    links: list[LinkOut]
