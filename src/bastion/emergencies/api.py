"""REST API of the emergency board (``/api/v1/emergencies``). Capabilities and need-to-know
are the services' (``access``): an emergency or vessel the caller may not see is a 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import Conflict
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, paginate
from bastion.core.tabular import Problems
from bastion.emergencies import access, gather, notifying, register, service
from bastion.emergencies.models import Emergency, EmergencyVessel, VesselStatus
from bastion.emergencies.schemas import (
    ActionIn,
    AssignIn,
    Counts,
    EmergencyIn,
    EmergencyOut,
    LocalVesselIn,
    LocalVesselOut,
    PhaseIn,
    VesselIn,
    VesselOut,
    ZoneIn,
    ZoneOut,
)
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/emergencies", tags=["emergencies"])
MAX_UPLOAD = 10 * 1024 * 1024


def vessel_out(emergency: Emergency, vessel: EmergencyVessel) -> VesselOut:
    now = utcnow()
    return VesselOut.model_validate(vessel).model_copy(update={
        "due_at": service.due_at(emergency, vessel), "late": service.late(emergency, vessel, now)})


def emergency_out(session: Session, emergency: Emergency) -> EmergencyOut:
    return EmergencyOut.model_validate(emergency).model_copy(update={
        "partner_agency_ids": service.partner_ids(session, emergency)})


# --- the register and the shelter zones (before /{emergency_id}) ----------------------------

@router.get("/register", response_model=Page[LocalVesselOut])
def local_vessels(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[LocalVesselOut]:
    return paginate(session, register.register_query(user), page, LocalVesselOut.model_validate)


@router.post("/register", response_model=LocalVesselOut, status_code=201)
def add_local_vessel(data: LocalVesselIn, session: SessionDep,
                     user: CurrentUser) -> LocalVesselOut:
    return LocalVesselOut.model_validate(register.add(session, user=user, data=data))


@router.get("/register/template.xlsx")
def register_template(user: CurrentUser) -> Response:
    capabilities.require(user, "emergencies.read")
    return Response(register.template_xlsx(), media_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={"Content-Disposition": 'attachment; filename="vessel-register.xlsx"'})


@router.post("/register/import")
def import_register(file: UploadFile, session: SessionDep, user: CurrentUser) -> Any:
    """An xlsx or CSV file (headings in Chinese or English, see the template): all rows or
    none; a file with errors is a 422 listing every problem by sheet, row and column."""
    capabilities.require(user, "emergencies.register")
    data = read_upload(file, MAX_UPLOAD)
    try:
        return register.import_file(session, user=user, data=data,
                                    filename=file.filename or "register.xlsx")
    except Problems as problems:
        session.rollback()
        return JSONResponse(status_code=422, content=jsonable_encoder({
            "detail": problems.message, "code": problems.code,
            "errors": [{"sheet": p.sheet, "row": p.row, "column": p.column, "code": p.code,
                        "message": p.message} for p in problems.errors]}))


@router.get("/shelter-zones", response_model=Page[ZoneOut])
def zones(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[ZoneOut]:
    return paginate(session, register.zones_query(user), page, ZoneOut.model_validate)


@router.post("/shelter-zones", response_model=ZoneOut, status_code=201)
def add_zone(data: ZoneIn, session: SessionDep, user: CurrentUser) -> ZoneOut:
    return ZoneOut.model_validate(register.add_zone(session, user=user, data=data))


@router.get("/my-vessels", response_model=Page[VesselOut])
def my_vessels(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[VesselOut]:
    """A shipping agent's vessels in emergencies not yet over (``emergencies.acknowledge``)."""
    capabilities.require(user, "emergencies.acknowledge")
    query = (select(EmergencyVessel, Emergency)
             .join(Emergency, Emergency.id == EmergencyVessel.emergency_id)
             .where(EmergencyVessel.agent_org_id == user.organisation_id,
                    Emergency.closed_at.is_(None))
             .order_by(EmergencyVessel.id.desc()))
    return paginate(session, query, page, lambda row: vessel_out(row[1], row[0]), scalars=False)


# --- emergencies ---------------------------------------------------------------------------

@router.get("", response_model=Page[EmergencyOut])
def emergencies(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[EmergencyOut]:
    """Open ones first, then the newest; a shipping agent sees those concerning its vessels."""
    if not (access.reads_all(user) or access.is_agent(user)):
        capabilities.require(user, "emergencies.read")
    query = access.emergencies_query(user).order_by(
        Emergency.closed_at.is_not(None), Emergency.opened_at.desc(), Emergency.id.desc())
    return paginate(session, query, page, lambda e: emergency_out(session, e))


@router.post("", response_model=EmergencyOut, status_code=201)
def open_emergency(data: EmergencyIn, session: SessionDep, user: CurrentUser) -> EmergencyOut:
    """``emergencies.manage``; ``exercise`` makes it a drill (marked, prefixed, not counted)."""
    return emergency_out(session, service.open_emergency(session, user=user, data=data))


@router.get("/{emergency_id}", response_model=EmergencyOut)
def emergency(emergency_id: Id, session: SessionDep, user: CurrentUser) -> EmergencyOut:
    return emergency_out(session,
                         access.find_emergency(session, user=user, emergency_id=emergency_id))


@router.post("/{emergency_id}/phase", response_model=EmergencyOut)
def phase(emergency_id: Id, data: PhaseIn, session: SessionDep,
          user: CurrentUser) -> EmergencyOut:
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    return emergency_out(session, service.set_phase(session, user=user, emergency=found,
                                                    data=data))


@router.post("/{emergency_id}/gather")
def gather_vessels(emergency_id: Id, session: SessionDep, user: CurrentUser,
                   settings: SettingsDep) -> dict[str, Any]:
    """List the vessels concerned (AIS picture in the area, open port calls, the register);
    those listed before keep their rows."""
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    new = gather.gather(session, user=user, emergency=found,
                        picture_hours=settings.emergencies.picture_hours)
    return {"added": len(new), "vessel_ids": [v.id for v in new]}


@router.post("/{emergency_id}/notify")
def notify_all(emergency_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Tell every listed vessel's agent and officer; those told turn "notified"."""
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    listed = list(session.scalars(access.vessels_query(user, found).where(
        EmergencyVessel.status == VesselStatus.LISTED).order_by(EmergencyVessel.id)))
    told = notifying.notify_vessels(session, user=user, emergency=found, vessels=listed)
    return {"notified": len(told), "not_notified": len(listed) - len(told)}


@router.get("/{emergency_id}/counts", response_model=Counts)
def counts(emergency_id: Id, session: SessionDep, user: CurrentUser) -> Counts:
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    return Counts(**service.counts(session, user=user, emergency=found))


@router.get("/{emergency_id}/vessels", response_model=Page[VesselOut])
def vessels(emergency_id: Id, session: SessionDep, user: CurrentUser, page: PageDep,
            status: VesselStatus | None = None) -> Page[VesselOut]:
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    query = access.vessels_query(user, found)
    if status is not None:
        query = query.where(EmergencyVessel.status == status)
    return paginate(session, query.order_by(EmergencyVessel.id), page,
                    lambda v: vessel_out(found, v))


@router.post("/{emergency_id}/vessels", response_model=VesselOut, status_code=201)
def add_vessel(emergency_id: Id, data: VesselIn, session: SessionDep,
               user: CurrentUser) -> VesselOut:
    """A vessel found at the roll-call that no source listed (``emergencies.act``)."""
    capabilities.require(user, "emergencies.act")
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    return vessel_out(found, service.add_vessel(session, user=user, emergency=found, data=data))


@router.post("/{emergency_id}/vessels/{vessel_id}/assign", response_model=VesselOut)
def assign(emergency_id: Id, vessel_id: Id, data: AssignIn, session: SessionDep,
           user: CurrentUser) -> VesselOut:
    """The vessel's one officer, persons aboard, shelter zone."""
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    vessel = access.find_vessel(session, user=user, emergency=found, vessel_id=vessel_id)
    return vessel_out(found, service.assign(session, user=user, emergency=found, vessel=vessel,
                                            data=data))


@router.post("/{emergency_id}/vessels/{vessel_id}/actions", response_model=VesselOut)
def act(emergency_id: Id, vessel_id: Id, data: ActionIn, session: SessionDep,
        user: CurrentUser) -> VesselOut:
    """notify, acknowledge (the agent too), move, shelter, depart, ashore, reopen (with a
    reason); 409 when the action is not possible in the vessel's status."""
    found = access.find_emergency(session, user=user, emergency_id=emergency_id)
    vessel = access.find_vessel(session, user=user, emergency=found, vessel_id=vessel_id)
    if data.action == "notify":
        service.actor_of(user)
        told = notifying.notify_vessels(session, user=user, emergency=found, vessels=[vessel])
        if not told:
            raise Conflict(_("Nobody to tell: assign the vessel's officer first."))
        return vessel_out(found, vessel)
    return vessel_out(found, service.act(session, user=user, emergency=found, vessel=vessel,
                                         action=data.action, reason=data.reason))
