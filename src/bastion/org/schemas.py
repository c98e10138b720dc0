"""Payloads for agencies and users (Base / Create / Update / Public per entity)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.core.bounds import Id
from bastion.core.config import SUPPORTED_LANGUAGES
from bastion.core.i18n import lazy
from bastion.org.models import AgencyKind, Role


class AgencyBase(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    kind: AgencyKind
    parent_id: Id | None = None


class AgencyCreate(AgencyBase):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


# In the PATCH payloads below, a field that may be left out but may not be null is typed
# without None and defaults to None unvalidated: omitting it is fine, an explicit null is a 422
# naming the field (instead of a NOT NULL failure deep in the database).


class AgencyUpdate(BaseModel):
    name: str = Field(default=None, min_length=1, max_length=200)  # type: ignore[assignment]
    name_en: str | None = Field(default=None, max_length=200)
    kind: AgencyKind = None  # type: ignore[assignment]
    parent_id: Id | None = None
    active: bool = None  # type: ignore[assignment]


class AgencyPublic(AgencyBase):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    root_id: int | None
    active: bool


UNKNOWN_ZONE = lazy("Unknown time zone; use a name such as Asia/Shanghai.")
UNKNOWN_LANGUAGE = lazy("The language must be zh-CN or en.")


def check_timezone(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(UNKNOWN_ZONE) from exc
    return value


def _check_language(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in SUPPORTED_LANGUAGES:
        raise ValueError(UNKNOWN_LANGUAGE)
    return value


class UserBase(BaseModel):
    display_name: str = Field(min_length=1, max_length=200)
    agency_id: Id
    role: Role = Role.VIEWER
    language: str | None = None
    timezone: str | None = None

    _tz = field_validator("timezone")(check_timezone)
    _lang = field_validator("language")(_check_language)


class UserCreate(UserBase):
    username: str = Field(pattern=r"^[a-z0-9_.-]{3,64}$")
    password: str = Field(min_length=10, max_length=200)


class UserUpdate(BaseModel):
    display_name: str = Field(default=None, min_length=1, max_length=200)  # type: ignore[assignment]
    agency_id: Id = None  # type: ignore[assignment]
    role: Role = None  # type: ignore[assignment]
    active: bool = None  # type: ignore[assignment]
    language: str | None = None
    timezone: str | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)
    unlock: bool = False

    _tz = field_validator("timezone")(check_timezone)
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


class CapabilityRow(BaseModel):
    name: str
    label: str
    domain: str
    grants: dict[str, str] = Field(description="agency kind -> lowest role that has it")


class MePublic(UserPublic):
    """The caller, with what their agency kind and role let them do."""

    agency_kind: str
    capabilities: list[str]


class AreaRef(BaseModel):
    kind: str = Field(pattern=r"^[a-z][a-z_]{1,39}$", description="segment, checkpoint, village")
    id: Id


class AreasIn(BaseModel):
    areas: list[AreaRef] = Field(default_factory=list, max_length=2000)
