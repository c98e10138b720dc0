"""REST API for agencies and users. Reading the directory needs a login; changing it, admin."""

from __future__ import annotations

from fastapi import APIRouter

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, from_list, paginate
from bastion.org import service
from bastion.org.schemas import (
    AgencyCreate,
    AgencyPublic,
    AgencyUpdate,
    AreaRef,
    AreasIn,
    CapabilityRow,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from bastion.web.deps import AdminUser, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["organisation"])


@router.get("/capabilities", response_model=Page[CapabilityRow])
def list_capabilities(user: AdminUser, page: PageDep) -> Page[CapabilityRow]:
    """The grants table: for each function, the lowest role per kind of agency that has it."""
    from bastion.org import capabilities

    return from_list([CapabilityRow(name=r["name"], label=r["label"], domain=r["domain"],
                          grants={k.value: v.value for k, v in r["cells"].items()})
            for r in capabilities.matrix()], page)


@router.get("/agencies", response_model=Page[AgencyPublic])
def list_agencies(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[AgencyPublic]:
    return paginate(session, service.agencies_query(), page, AgencyPublic.model_validate)


@router.post("/agencies", response_model=AgencyPublic, status_code=201)
def create_agency(data: AgencyCreate, session: SessionDep, user: AdminUser) -> AgencyPublic:
    return AgencyPublic.model_validate(service.create_agency(session, actor=user, data=data))


@router.get("/agencies/{agency_id}", response_model=AgencyPublic)
def get_agency(agency_id: Id, session: SessionDep, user: CurrentUser) -> AgencyPublic:
    return AgencyPublic.model_validate(service.get_agency(session, agency_id=agency_id))


@router.patch("/agencies/{agency_id}", response_model=AgencyPublic)
def update_agency(agency_id: Id, data: AgencyUpdate, session: SessionDep,
                  user: AdminUser) -> AgencyPublic:
    agency = service.get_agency(session, agency_id=agency_id)
    return AgencyPublic.model_validate(
        service.update_agency(session, actor=user, agency=agency, data=data))


@router.get("/agencies/{agency_id}/areas", response_model=list[AreaRef])
def get_areas(agency_id: Id, session: SessionDep, user: AdminUser) -> list[AreaRef]:
    agency = service.get_agency(session, agency_id=agency_id)
    return [AreaRef(kind=k, id=i) for k, i in service.areas_of(session, agency=agency)]


@router.put("/agencies/{agency_id}/areas", response_model=list[AreaRef])
def put_areas(agency_id: Id, data: AreasIn, session: SessionDep,
              user: AdminUser) -> list[AreaRef]:
    """The areas this unit answers for; records tied to other areas are hidden from it."""
    agency = service.get_agency(session, agency_id=agency_id)
    saved = service.set_areas(session, actor=user, agency=agency,
                              areas=[(a.kind, a.id) for a in data.areas])
    return [AreaRef(kind=k, id=i) for k, i in saved]


@router.get("/users", response_model=Page[UserPublic])
def list_users(session: SessionDep, user: AdminUser, page: PageDep,
               agency_id: Id | None = None) -> Page[UserPublic]:
    return paginate(session, service.users_query(agency_id=agency_id), page,
                    UserPublic.model_validate)


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(data: UserCreate, session: SessionDep, user: AdminUser) -> UserPublic:
    return UserPublic.model_validate(service.create_user(session, actor=user, data=data))


@router.get("/users/{user_id}", response_model=UserPublic)
def get_user(user_id: Id, session: SessionDep, user: AdminUser) -> UserPublic:
    return UserPublic.model_validate(service.get_user(session, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(user_id: Id, data: UserUpdate, session: SessionDep,
                user: AdminUser) -> UserPublic:
    target = service.get_user(session, user_id=user_id)
    return UserPublic.model_validate(
        service.update_user(session, actor=user, user=target, data=data))
