"""Payloads of legal outreach."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from bastion.core.bounds import Id

OfficerName = Annotated[str, Field(min_length=1, max_length=100)]


class VisitIn(BaseModel):
    """A visit as entered at the desk or on the phone (``client_id`` makes a re-upload safe;
    ``post_agency_id`` defaults to the user's post)."""

    client_id: UUID | None = None
    village_id: Id
    post_agency_id: Id | None = None
    visited_on: date
    topic: str = Field(min_length=1, max_length=32)
    attendees: int = Field(ge=0, le=100_000)
    officers: list[OfficerName] = Field(default_factory=list, max_length=50)
    materials: str = Field(default="", max_length=2000)
    materials_count: int = Field(default=0, ge=0, le=1_000_000)
    notes: str = Field(default="", max_length=4000)
    exercise: bool = False
