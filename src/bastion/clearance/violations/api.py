"""REST API of the station's violations register."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from bastion.clearance.violations import service
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/clearance/violations", tags=["port clearance"])


class ViolationIn(BaseModel):
    subject: str = Field(pattern=r"^(vessel|company|person)$")
    imo: int | None = Field(default=None, ge=1_000_000, le=9_999_999)
    mmsi: int | None = Field(default=None, ge=100_000_000, le=999_999_999)
    vessel_name: str | None = Field(default=None, max_length=100)
    agent_org_id: Id | None = None
    person_name: str | None = Field(default=None, max_length=200)
    birth_date: date | None = None
    document_number: str | None = Field(default=None, max_length=40)
    occurred_on: date
    description: str = Field(min_length=1, max_length=4000)
    call_id: Id | None = None


class ViolationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    subject: str
    imo: int | None
    mmsi: int | None
    vessel_name: str | None
    agent_org_id: int | None
    person_name: str | None
    birth_date: str | None
    document_number: str | None
    occurred_on: date
    description: str
    call_id: int | None
    recorded_by_id: int
    recorded_at: datetime


@router.get("", response_model=Page[ViolationPublic])
def register(session: SessionDep, user: CurrentUser, page: PageDep,
             subject: str | None = None) -> Page[ViolationPublic]:
    return paginate(session, service.register_query(user=user, subject=subject), page,
                    ViolationPublic.model_validate)


@router.post("", response_model=ViolationPublic, status_code=201)
def record(data: ViolationIn, session: SessionDep, user: CurrentUser) -> ViolationPublic:
    fields = data.model_dump()
    if fields["birth_date"] is not None:
        fields["birth_date"] = fields["birth_date"].isoformat()
    if fields["call_id"] is not None:  # a call the recorder cannot see is not named
        from bastion.clearance.calls import service as calls

        calls.get_call(session, user=user, call_id=fields["call_id"])
    return ViolationPublic.model_validate(service.record(
        session, user=user, fields=service.normalised(fields)))


@router.get("/{violation_id}", response_model=ViolationPublic)
def one(violation_id: Id, session: SessionDep, user: CurrentUser) -> ViolationPublic:
    return ViolationPublic.model_validate(service.get(session, user=user,
                                                      violation_id=violation_id))
