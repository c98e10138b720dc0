"""Pages of the emergency board: the list (and opening an emergency), one emergency (phase,
vessels with their officers and statuses, the map), the big-screen board (dark, counts live
through the event stream) and the register of local vessels with its import. Capabilities
and need-to-know are the services' (403, 404)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError, Invalid
from bastion.core.exercise import titled
from bastion.core.tabular import Problems
from bastion.emergencies import access, areas, export, gather, notifying, register, service
from bastion.emergencies.models import (
    Emergency,
    EmergencyKind,
    EmergencyVessel,
    Level,
    Phase,
    ShelterZone,
    VesselStatus,
)
from bastion.emergencies.schemas import ActionIn, AssignIn, EmergencyIn, PhaseIn
from bastion.emergencies.workflow import WORKFLOW, Actor
from bastion.maritime.tracks import service as tracks
from bastion.org import capabilities
from bastion.org.models import PRIVATE_KINDS, Agency, User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import (
    chosen_file,
    error_for,
    form_to_dict,
    read_upload,
    validate,
    wall_clock,
)
from bastion.web.templating import render

router = APIRouter(prefix="/emergencies", include_in_schema=False)
# The demo port's waters (Yangjiang, Hailing Bay and Zhapo): the area offered by default.
DEFAULT_AREA = areas.box(111.55, 21.35, 112.35, 21.95)


def _list(request: Request, session: Session, user: User, status: int = 200,
          **extra: Any) -> Response:
    if not (access.reads_all(user) or access.is_agent(user)):
        capabilities.require(user, "emergencies.read")
    found = list(session.scalars(access.emergencies_query(user).order_by(
        Emergency.closed_at.is_not(None), Emergency.opened_at.desc()).limit(50)))
    local = (utcnow() + timedelta(hours=36)).astimezone(ZoneInfo(context.current().timezone))
    form = {"kind": "typhoon", "level": "IV", "area_preset": "port",
            "landfall_at": local.replace(second=0, microsecond=0, tzinfo=None)
            .isoformat(timespec="minutes")}
    return render(request, "emergencies/list.html", status_code=status, **{
        "emergencies": found, "can_manage": capabilities.can(user, "emergencies.manage"),
        "can_register": capabilities.can(user, "emergencies.read"),
        "kinds": list(EmergencyKind), "levels": list(Level), "form": form, "errors": {},
        "partners": _partner_choices(session, user),
        "presets": [e for e in found if not e.exercise][:5], "titled": titled, **extra})


def _partner_choices(session: Session, user: User) -> list[Agency]:
    """The organisations an emergency may name as partners (government, not the user's own)."""
    if not capabilities.can(user, "emergencies.manage"):
        return []
    return list(session.scalars(select(Agency).where(
        Agency.root_id.is_(None), Agency.active.is_(True), Agency.id != user.organisation_id,
        Agency.kind.not_in(list(PRIVATE_KINDS))).order_by(Agency.code)))


@router.get("", response_class=HTMLResponse)
def emergencies(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _list(request, session, user)


@router.post("", response_class=HTMLResponse)
async def open_emergency(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "emergencies.manage")
    data = form_to_dict(await request.form(), flags=("exercise",),
                        lists=("partner_agency_ids",))
    # A GeoJSON polygon typed or pasted in, else the port's waters or an earlier emergency's area
    preset = data.get("area_preset", "port")
    try:
        area = json.loads(data["area"]) if data.get("area") else None
    except ValueError:
        area = "not GeoJSON"  # the schema names the field
    if area is None and preset == "port":
        area = DEFAULT_AREA
    elif area is None and preset.isdigit():
        earlier = session.scalar(access.emergencies_query(user).where(
            Emergency.id == int(preset)))
        area = earlier.area if earlier is not None else None
    payload, errors = validate(EmergencyIn, {**data, "area": area,
                                             "landfall_at": wall_clock(data.get("landfall_at"))})
    if not errors:
        try:
            emergency = service.open_emergency(session, user=user, data=payload)
            return RedirectResponse(f"/emergencies/{emergency.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _list(request, session, user, status=422, form=data, errors=errors)


def _officers(session: Session, emergency: Emergency) -> list[User]:
    staff = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
        or_(Agency.id == emergency.owner_org_id, Agency.root_id == emergency.owner_org_id),
        User.active.is_(True), User.system.is_(False)).order_by(User.display_name))
    return [u for u in staff if capabilities.can(u, "emergencies.act")]


def _detail(request: Request, session: Session, user: User, emergency_id: int,
            status: int = 200, **extra: Any) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    vessels = list(session.scalars(access.vessels_query(user, emergency)
                                   .order_by(EmergencyVessel.id).limit(1000)))
    now = utcnow()
    officers = _officers(session, emergency) if capabilities.can(user, "emergencies.act") else []
    names = {u.id: u.display_name for u in session.scalars(select(User).where(
        User.id.in_({v.officer_id for v in vessels if v.officer_id} or {0})))}
    # only the zones this emergency's rows shelter in (its owner's), never another's
    zones = {z.id: z for z in session.scalars(select(ShelterZone).where(
        ShelterZone.owner_org_id == emergency.owner_org_id,
        ShelterZone.id.in_({v.shelter_zone_id for v in vessels if v.shelter_zone_id} or {0})))}
    actor = (Actor.OFFICER if capabilities.can(user, "emergencies.act")
             else Actor.AGENT if access.is_agent(user) else None)
    return render(request, "emergencies/detail.html", status_code=status, **{
        "emergency": emergency, "vessels": vessels, "now": now, "officers": officers,
        "names": names, "zones": zones, "phases": list(Phase), "levels": list(Level),
        "due": {v.id: service.due_at(emergency, v) for v in vessels},
        "late": {v.id: service.late(emergency, v, now) for v in vessels},
        "moves": {v.id: [a for a in WORKFLOW.allowed(v.status, actor) if a != "notify"]
                  if actor and service.is_open(emergency) else [] for v in vessels},
        "counts": service.counts(session, user=user, emergency=emergency, now=now),
        "can_manage": capabilities.can(user, "emergencies.manage"),
        "can_act": capabilities.can(user, "emergencies.act") and service.is_open(emergency),
        "is_agent": access.is_agent(user), "titled": titled, "errors": {}, **extra})


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _register(request, session, user)


def _register(request: Request, session: Session, user: User, status: int = 200,
              **extra: Any) -> Response:
    boats = list(session.scalars(register.register_query(user).limit(500)))
    zones = list(session.scalars(register.zones_query(user)))
    return render(request, "emergencies/register.html", status_code=status, boats=boats,
                  zones=zones, can_register=capabilities.can(user, "emergencies.register"),
                  errors=extra.pop("errors", {}), **extra)


@router.post("/register/import", response_class=HTMLResponse)
async def import_register(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "emergencies.register")
    upload = chosen_file(await request.form())
    try:
        result = register.import_file(session, user=user, data=read_upload(upload, 10 << 20),
                                      filename=upload.filename or "register.xlsx")
    except Problems as problems:
        session.rollback()
        return _register(request, session, user, status=422, problems=problems.errors,
                         errors={"file": problems.message})
    return _register(request, session, user, imported=result)


@router.get("/{emergency_id}", response_class=HTMLResponse)
def detail(request: Request, emergency_id: Id, session: SessionDep,
           user: CurrentUser) -> Response:
    return _detail(request, session, user, emergency_id)


def _checked(schema: Any, data: dict[str, Any]) -> Any:
    payload, errors = validate(schema, data)
    if errors:
        field, message = next(iter(errors.items()))
        raise Invalid(message, field=field)
    return payload


async def _post(request: Request, session: Session, user: User, emergency_id: int,
                work: Any) -> Response:
    try:
        await work()
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _detail(request, session, user, emergency_id, status=exc.status_code,
                       errors=error_for(exc))
    return RedirectResponse(f"/emergencies/{emergency_id}", status_code=303)


@router.post("/{emergency_id}/phase", response_class=HTMLResponse)
async def phase(request: Request, emergency_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    data = form_to_dict(await request.form())

    async def work() -> None:
        payload = _checked(PhaseIn, data)
        service.set_phase(session, user=user, emergency=emergency, data=payload)
    return await _post(request, session, user, emergency_id, work)


@router.post("/{emergency_id}/gather", response_class=HTMLResponse)
async def gather_vessels(request: Request, emergency_id: Id, session: SessionDep,
                         user: CurrentUser, settings: SettingsDep) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)

    async def work() -> None:
        gather.gather(session, user=user, emergency=emergency,
                      picture_hours=settings.emergencies.picture_hours)
    return await _post(request, session, user, emergency_id, work)


@router.post("/{emergency_id}/notify", response_class=HTMLResponse)
async def notify_all(request: Request, emergency_id: Id, session: SessionDep,
                     user: CurrentUser) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)

    async def work() -> None:
        listed = list(session.scalars(access.vessels_query(user, emergency).where(
            EmergencyVessel.status == VesselStatus.LISTED).order_by(EmergencyVessel.id)))
        notifying.notify_vessels(session, user=user, emergency=emergency, vessels=listed)
    return await _post(request, session, user, emergency_id, work)


@router.post("/{emergency_id}/vessels/{vessel_id}/assign", response_class=HTMLResponse)
async def assign(request: Request, emergency_id: Id, vessel_id: Id, session: SessionDep,
                 user: CurrentUser) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    vessel = access.find_vessel(session, user=user, emergency=emergency, vessel_id=vessel_id)
    data = form_to_dict(await request.form())

    async def work() -> None:
        payload = _checked(AssignIn, data)
        service.assign(session, user=user, emergency=emergency, vessel=vessel, data=payload)
    return await _post(request, session, user, emergency_id, work)


@router.post("/{emergency_id}/vessels/{vessel_id}/act", response_class=HTMLResponse)
async def act(request: Request, emergency_id: Id, vessel_id: Id, session: SessionDep,
              user: CurrentUser) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    vessel = access.find_vessel(session, user=user, emergency=emergency, vessel_id=vessel_id)
    data = form_to_dict(await request.form())

    async def work() -> None:
        payload = _checked(ActionIn, data)
        service.act(session, user=user, emergency=emergency, vessel=vessel,
                    action=payload.action, reason=payload.reason)
    return await _post(request, session, user, emergency_id, work)


@router.get("/{emergency_id}/vessels.xlsx")
def vessels_xlsx(emergency_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """The vessels as a workbook: the roll-call sheet."""
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    data = export.vessels_xlsx(session, user=user, emergency=emergency)
    return Response(data, media_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), headers={
        "Content-Disposition": f'attachment; filename="emergency-{emergency.id}-vessels.xlsx"'})


@router.get("/{emergency_id}/board", response_class=HTMLResponse)
def board(request: Request, emergency_id: Id, session: SessionDep,
          user: CurrentUser) -> Response:
    """The big screen: vessels and persons by status, live; the map beside."""
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    return render(request, "emergencies/board.html", emergency=emergency, titled=titled,
                  statuses=list(VesselStatus),
                  counts=service.counts(session, user=user, emergency=emergency))


@router.get("/{emergency_id}/board/live", response_class=HTMLResponse)
def board_live(request: Request, emergency_id: Id, session: SessionDep,
               user: CurrentUser) -> Response:
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    return render(request, "emergencies/_counts.html", emergency=emergency,
                  statuses=list(VesselStatus),
                  counts=service.counts(session, user=user, emergency=emergency))


@router.get("/{emergency_id}/map.json")
def map_json(emergency_id: Id, session: SessionDep, user: CurrentUser) -> JSONResponse:
    """The area, the shelter zones and the vessels' latest positions (AIS), as GeoJSON."""
    emergency = access.find_emergency(session, user=user, emergency_id=emergency_id)
    features: list[dict[str, Any]] = [{"type": "Feature", "geometry": emergency.area,
                                       "properties": {"layer": "area", "label": emergency.name}}]
    vessels = list(session.scalars(access.vessels_query(user, emergency)))
    if access.reads_all(user):
        for zone in session.scalars(select(ShelterZone).where(
                ShelterZone.owner_org_id == emergency.owner_org_id)):
            features.append({"type": "Feature", "geometry": zone.area, "properties": {
                "layer": "zone", "label": zone.name, "vessel_class": zone.vessel_class.value}})
    for vessel in vessels:
        seen = tracks.find_vessel(session, mmsi=vessel.mmsi) if vessel.mmsi else None
        if seen is None or seen.lat is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            seen.lon, seen.lat]}, "properties": {"layer": "vessel", "label": vessel.name,
                                                   "status": vessel.status.value,
                                                   "id": vessel.id}})
    return JSONResponse({"type": "FeatureCollection", "features": features})
