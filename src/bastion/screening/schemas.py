"""Payloads of the screening API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.core.bounds import Count, Id, Mmsi
from bastion.core.pagination import Page
from bastion.org.sharing import MarkingIn
from bastion.screening.explain import translated
from bastion.screening.models import EntryKind, HitStatus


class WatchlistCreate(MarkingIn):
    name: str = Field(min_length=1, max_length=120)
    source: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=5000)


class WatchlistPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    source: str
    description: str
    owner_org_id: int
    updated_at: datetime


class EntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    source_id: str
    kind: EntryKind
    name: str
    aliases: list[str]
    birth_date: str | None
    gender: str | None
    nationalities: list[str]
    documents: list[dict[str, Any]]
    imo: int | None
    mmsi: int | None
    callsign: str | None
    flag: str | None
    reason: str | None
    valid_from: date | None
    valid_until: date | None


EntryPage = Page[EntryPublic]


class ImportSummary(BaseModel):
    created: int
    updated: int
    deactivated: int
    skipped: dict[str, int]


class PersonIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    dob: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    nationality: str | None = Field(default=None, min_length=3, max_length=3)
    gender: str | None = Field(default=None, pattern=r"^(male|female)$")
    document_number: str | None = Field(default=None, max_length=40)
    ref: str = Field(default="", max_length=100)


class ScreenRequest(BaseModel):
    people: list[PersonIn] = Field(min_length=1, max_length=2000)
    list_ids: list[Id] | None = None
    context: str = Field(default="", max_length=200)


class HitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    entry_id: int
    subject: dict[str, Any]
    context: str
    score: float
    explanation: list[str]  # in the caller's language (``screening.explain``)
    status: HitStatus
    remembered: bool
    decision_reason: str | None
    decided_at: datetime | None
    entry: EntryPublic

    @field_validator("explanation")
    @classmethod
    def _in_language(cls, lines: list[str]) -> list[str]:
        return translated(lines)


class PersonOutcome(BaseModel):
    ref: str
    name: str
    outcome: str
    hits: list[HitPublic]


HitPage = Page[HitPublic]


class Decision(BaseModel):
    confirm: bool
    reason: str = Field(min_length=1, max_length=2000)


class EntryIn(BaseModel):
    """One entry, in the template's columns (see the import template)."""

    source_id: str = Field(min_length=1, max_length=200)
    type: str = Field(pattern=r"^(person|vessel)$")
    name: str = Field(min_length=1, max_length=300)
    aliases: str = ""
    birth_date: str = ""
    gender: str = ""
    nationality: str = ""
    document_type: str = ""
    document_number: str = ""
    issuing_state: str = ""
    imo: str = ""
    mmsi: str = ""
    callsign: str = ""
    flag: str = ""
    reason: str = ""
    valid_from: str = ""
    valid_until: str = ""


class VesselCheck(BaseModel):
    imo: Count | None = None
    mmsi: Mmsi | None = None
    name: str | None = None
