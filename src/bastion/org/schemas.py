"""Payloads for agencies and users (Base / Create / Update / Public per entity)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.core.config import SUPPORTED_LANGUAGES
from bastion.org.models import AgencyKind, Role


class AgencyBase(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    kind: AgencyKind
    parent_id: int | None = None


class AgencyCreate(AgencyBase):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


class AgencyUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    kind: AgencyKind | None = None
    parent_id: int | None = None
    active: bool | None = None


class AgencyPublic(AgencyBase):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    root_id: int | None
    active: bool


def _check_timezone(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


def _check_language(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in SUPPORTED_LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    return value


class UserBase(BaseModel):
    display_name: str = Field(min_length=1, max_length=200)
    agency_id: int
    role: Role = Role.VIEWER
    language: str | None = None
    timezone: str | None = None

    _tz = field_validator("timezone")(_check_timezone)
    _lang = field_validator("language")(_check_language)


class UserCreate(UserBase):
    username: str = Field(pattern=r"^[a-z0-9_.-]{3,64}$")
    password: str = Field(min_length=10, max_length=200)


class UserUpdate(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    agency_id: int | None = None
    role: Role | None = None
    active: bool | None = None
    language: str | None = None
    timezone: str | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)
    unlock: bool = False

    _tz = field_validator("timezone")(_check_timezone)
    _lang = field_validator("language")(_check_language)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    agency_id: int
    role: Role
    language: str | None
    timezone: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
