"""REST API of the field alarms. The intake (``POST /api/v1/field-alarms/intake``) is the
device's: no login, the message's signature is its key (``intake.py``); a replay of a stored
message answers 200 with ``"duplicate": true``. Everything else needs a login; capabilities
and need-to-know are checked in the service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate, paginate_all
from bastion.fieldalarms import intake, mqtt, service
from bastion.fieldalarms.models import AlarmKind, AlarmStatus, DeviceKind
from bastion.fieldalarms.schemas import (
    AlarmAction,
    AlarmOut,
    DeviceIn,
    DeviceOut,
    DeviceWithKey,
)
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/field-alarms", tags=["field alarms"])


@router.post("/intake", status_code=201)
async def receive(request: Request, response: Response, session: SessionDep,
                  settings: SettingsDep) -> dict[str, Any]:
    """A device's message (JSON, signed; see ``fieldalarms/intake.py``). 201 with the alarm's
    id, 200 for a heartbeat or a retransmit; 422 naming the field, 401 for an unknown device,
    a wrong signature or a revoked key, 409 for a stale time or a reused message id."""
    raw = await request.body()
    counters = intake.COUNTERS["http"]
    try:
        outcome = await run_in_threadpool(
            intake.receive, session, raw=raw, secret=settings.secret_key,
            settings=settings.fieldalarms, via="http")
    except intake.Refused as refused:
        counters.count(refused.reason)
        raise refused.as_error() from None
    counters.count(outcome.kind)
    response.status_code = 201 if outcome.kind == "alarms" else 200
    return {"alarm_id": outcome.alarm.id if outcome.alarm else None,
            "duplicate": not outcome.created, "kind": outcome.kind}


@router.get("/intake/stats")
def intake_stats(user: CurrentUser) -> dict[str, Any]:
    """The MQTT subscriber's state and both intakes' counters (``fieldalarms.devices``)."""
    capabilities.require(user, "fieldalarms.devices")
    return {"mqtt": mqtt.STATE.as_dict(), "http": intake.COUNTERS["http"].as_dict()}


@router.get("/devices", response_model=Page[DeviceOut])
def devices(session: SessionDep, user: CurrentUser, page: PageDep,
            kind: DeviceKind | None = None, silent: bool | None = None) -> Page[DeviceOut]:
    return paginate(session, service.devices_list(user, kind=kind, silent=silent), page,
                    lambda d: service.device_out(session, d))


@router.post("/devices", response_model=DeviceWithKey, status_code=201)
def register(data: DeviceIn, session: SessionDep, user: CurrentUser,
             settings: SettingsDep) -> DeviceWithKey:
    """Register a device; its key is in this answer and never again."""
    device, key = service.register(session, user=user, data=data, secret=settings.secret_key)
    return service.with_key(session, device, key)


@router.get("/devices/{device_id}", response_model=DeviceOut)
def device(device_id: Id, session: SessionDep, user: CurrentUser) -> DeviceOut:
    capabilities.require(user, "fieldalarms.read")
    from bastion.fieldalarms import access

    return service.device_out(session, access.find_device(session, user=user,
                                                          device_id=device_id))


@router.post("/devices/{device_id}/rotate", response_model=DeviceWithKey)
def rotate(device_id: Id, session: SessionDep, user: CurrentUser,
           settings: SettingsDep) -> DeviceWithKey:
    """A new key (shown once); the old one stops working at once."""
    device, key = service.rotate(session, user=user, device_id=device_id,
                                 secret=settings.secret_key)
    return service.with_key(session, device, key)


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke(device_id: Id, session: SessionDep, user: CurrentUser) -> DeviceOut:
    return service.device_out(session, service.revoke(session, user=user, device_id=device_id))


@router.get("/alarms", response_model=Page[AlarmOut])
def alarms(session: SessionDep, user: CurrentUser, page: PageDep,
           status: AlarmStatus | None = None, kind: AlarmKind | None = None,
           open_only: bool = False, exercise: bool | None = None) -> Page[AlarmOut]:
    """Open alarms first, newest first; then closed ones."""
    query = service.alarms_list(user, status=status, kind=kind, open_only=open_only,
                                exercise=exercise)
    return paginate_all(session, query, page,
                        lambda rows: service.alarm_outs(session, user, list(rows)))


@router.get("/alarms.geojson")
def alarms_geojson(session: SessionDep, user: CurrentUser,
                   open_only: bool = False) -> dict[str, Any]:
    """Devices and alarms for the map (``properties.layer``: device | alarm)."""
    return service.geojson(session, user=user, open_only=open_only)


@router.get("/alarms/by-day")
def alarms_by_day(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Operational alarms per day and kind, last 30 days (the page's chart)."""
    return service.by_day(session, user=user)


@router.get("/alarms/{alarm_id}", response_model=AlarmOut)
def alarm(alarm_id: Id, session: SessionDep, user: CurrentUser) -> AlarmOut:
    return service.alarm_out(session, user, service.get(session, user=user, alarm_id=alarm_id))


@router.post("/alarms/{alarm_id}/actions", response_model=AlarmOut)
def act(alarm_id: Id, data: AlarmAction, session: SessionDep, user: CurrentUser) -> AlarmOut:
    """acknowledge, resolve, false_alarm (with a ``note``); 409 naming the state."""
    alarm = service.act(session, user=user, alarm_id=alarm_id, data=data)
    return service.alarm_out(session, user, alarm)
