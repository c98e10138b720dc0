"""Payloads of the registry API: a person and what hangs on a person (documents, household,
family links, marriages, residence, lodgings, permits, employment, crossings), and crossing
points. A time without a zone is in the deployment's zone (Asia/Shanghai by default) and is
kept in UTC; a bad value is a 422 naming its field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from annotated_types import Interval
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.i18n import lazy
from bastion.core.reference import countries
from bastion.core.reference.people import DOCUMENT_TYPES, GENDERS
from bastion.residents.crossings.models import Direction, PointKind
from bastion.residents.models import PermitKind

RESIDENT_DOCUMENTS = frozenset({"cn_vn_border_pass", "border_area_pass", "passport",
                                "identity_card", "residence_permit", "visa", "other"})
RELATIONS = ("spouse", "parent", "child", "sibling", "other")


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:  # a wall-clock time in the deployment's zone
        value = value.replace(tzinfo=ZoneInfo(context.current().timezone))
    return value.astimezone(UTC)


When = Annotated[datetime, AfterValidator(_utc)]
Text = Annotated[str, Field(max_length=300)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


def _after(start_field: str) -> classmethod:  # type: ignore[type-arg]
    """A validator for an end date: not before its start date (the 422 names the end)."""
    def check(cls: type, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get(start_field)
        if value is not None and start is not None and value < start:
            raise ValueError(lazy("The end date is before the start date."))
        return value
    return classmethod(check)  # type: ignore[arg-type]


class ResidentIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    client_id: UUID | None = None
    name: Name
    name_latin: Annotated[str, Field(max_length=200)] = ""
    name_han: Annotated[str, Field(max_length=100)] = ""
    sex: str | None = Field(default=None, max_length=20)
    birth_date: date | None = None
    nationality: str = Field(default="VNM", max_length=60)
    ethnic_group: Annotated[str, Field(max_length=50)] = ""
    village_id: Id | None = None
    post_agency_id: Id | None = None
    household_id: Id | None = None
    notes: Annotated[str, Field(max_length=4000)] = ""
    agency_ids: list[Id] = Field(default_factory=list, max_length=20,
                                 description="agencies to share the person with by name "
                                 "(e.g. the border police)")
    amber: bool = Field(default=False, description="mark TLP:AMBER (the registering "
                        "organisation's officers only) instead of GREEN to the village committee")

    @field_validator("sex")
    @classmethod
    def _sex(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        found = GENDERS.parse(value)
        if found is None:
            raise ValueError(lazy("Choose one of the listed values."))
        return found.code

    @field_validator("nationality")
    @classmethod
    def _nationality(cls, value: str) -> str:
        code = countries.country(value)
        if code is None:
            raise ValueError(lazy("Not a known country (ISO 3166 code or name)."))
        return code

    @field_validator("birth_date")
    @classmethod
    def _born(cls, value: date | None) -> date | None:
        if value is not None and (value > date.today() or value.year < 1900):
            raise ValueError(lazy("The birth date is not plausible."))
        return value


class DocumentIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    doc_type: str = Field(max_length=60, description="743, 744, 740, 711, passport, identity "
                          "card ... (any spelling core.reference accepts)")
    number: Annotated[str, Field(min_length=1, max_length=40)]
    issued: date | None = None
    expires: date | None = None
    stay_days: Annotated[int, Interval(ge=1, le=3650)] | None = None
    issuer: Annotated[str, Field(max_length=100)] = ""
    type_code: str = Field(default="", max_length=8)

    @model_validator(mode="before")
    @classmethod
    def _code(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("type_code"):
            raw = str(data.get("doc_type") or "").strip()
            if raw in ("740", "743", "744", "711"):  # the exit-entry type code, kept as written
                data = {**data, "type_code": raw}
        return data

    @field_validator("doc_type")
    @classmethod
    def _type(cls, value: str) -> str:
        found = DOCUMENT_TYPES.parse(value)
        if found is None or found.code not in RESIDENT_DOCUMENTS:
            raise ValueError(lazy("Not a known document type."))
        return found.code

    _expires = field_validator("expires")(_after("issued"))


class HouseholdIn(BaseModel):
    code: Annotated[str, Field(max_length=40)] = ""
    village_id: Id | None = None
    address: Text = ""


class FamilyLinkIn(BaseModel):
    model_config = ConfigDict(validate_default=True)

    relative_id: Id | None = None
    relative_name: Annotated[str, Field(max_length=200)] = ""
    relation: Literal["spouse", "parent", "child", "sibling", "other"]

    @field_validator("relative_name")
    @classmethod
    def _someone(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("relative_id") is None and not value.strip():
            raise ValueError(lazy("Name the relative or choose a registered person."))
        return value.strip()


class MarriageIn(BaseModel):
    model_config = ConfigDict(validate_default=True)

    spouse_id: Id | None = None
    spouse_name: Annotated[str, Field(max_length=200)] = ""
    spouse_id_number: Annotated[str, Field(max_length=40)] = ""
    registered: bool = False
    since: date | None = None
    until: date | None = None
    certificate_no: Annotated[str, Field(max_length=60)] = ""

    _until = field_validator("until")(_after("since"))

    @field_validator("spouse_name")
    @classmethod
    def _spouse(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("spouse_id") is None and not value.strip():
            raise ValueError(lazy("Name the spouse or choose a registered person."))
        return value.strip()


class ResidenceIn(BaseModel):
    village_id: Id | None = None
    address: Text = ""
    since: date | None = None
    until: date | None = None

    _end = field_validator("until")(_after("since"))


class LodgingIn(BaseModel):
    registered_at: When
    address: Text = ""
    host: Annotated[str, Field(max_length=200)] = ""


class PermitIn(BaseModel):
    kind: PermitKind
    number: Annotated[str, Field(max_length=40)] = ""
    valid_from: date | None = None
    valid_to: date | None = None

    _end = field_validator("valid_to")(_after("valid_from"))


class EmploymentIn(BaseModel):
    employer: Annotated[str, Field(min_length=1, max_length=200)]
    since: date | None = None
    until: date | None = None

    _end = field_validator("until")(_after("since"))


class CrossingIn(BaseModel):
    """A crossing: ``crossing_point`` as written (code, Chinese or Vietnamese name) is
    recognised as a designated point or kept as a non-designated path."""

    client_id: UUID | None = None
    at: When
    direction: Direction
    crossing_point: Annotated[str, Field(min_length=1, max_length=200)]
    doc_number: Annotated[str, Field(max_length=40)] = ""
    document_id: Id | None = None


class CrossingPointIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Za-z0-9-]+$")]
    name_zh: Annotated[str, Field(min_length=1, max_length=100)]
    name_vi: Annotated[str, Field(max_length=100)] = ""
    name_en: Annotated[str, Field(max_length=100)] = ""
    kind: PointKind
    province_cn: Annotated[str, Field(max_length=50)] = ""
    province_vn: Annotated[str, Field(max_length=50)] = ""
    lon: Annotated[float, Interval(ge=97, le=110)] | None = None
    lat: Annotated[float, Interval(ge=18, le=27)] | None = None
    aliases: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=30)
    source: Annotated[str, Field(max_length=2000)] = ""
    active: bool = True


class CrossingPointOut(CrossingPointIn):
    model_config = ConfigDict(from_attributes=True)

    id: int


class ResidentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_latin: str
    name_han: str
    sex: str | None
    birth_date: date | None
    nationality: str
    village_id: int | None
    post_agency_id: int | None
    household_id: int | None
    synthetic: bool
