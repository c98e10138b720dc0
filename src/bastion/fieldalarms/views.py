"""Pages of the field alarms: the map (Leaflet on the offline basemap; each new alarm's marker
added the moment the event stream brings it, the open alarms listed beside with their actions,
a chart of the last 30 days) and the devices with their health."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.border.geo.views import OVERLAYS
from bastion.core.bounds import Id
from bastion.core.errors import NotFound
from bastion.core.i18n import lazy
from bastion.fieldalarms import service
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter(prefix="/field-alarms", include_in_schema=False)
LIST = 50  # open and recent alarms beside the map
# The border map's overlay (CONTRACT.md "Map overlays"): devices and alarms.
_overlay = ("fieldalarms.read", lazy("Field alarms"), "/api/v1/field-alarms/alarms.geojson")
if _overlay not in OVERLAYS:
    OVERLAYS.append(_overlay)


def _panel(session, user, *, selected: int | None = None) -> dict:
    alarms = list(session.scalars(service.alarms_list(user).limit(LIST)))
    outs = service.alarm_outs(session, user, alarms)
    open_ = [a for a in outs if a.status.value in ("raised", "acknowledged")]
    closed = [a for a in outs if a.status.value not in ("raised", "acknowledged")][:15]
    if selected is not None and all(a.id != selected for a in outs):
        try:
            outs = [service.alarm_out(session, user, service.get(session, user=user,
                                                                 alarm_id=selected))]
            (open_ if outs[0].status.value in ("raised", "acknowledged") else closed).insert(
                0, outs[0])
        except NotFound:  # not visible: the page shows the rest
            pass
    return {"open": open_, "closed": closed, "counts": service.counts(session, user=user),
            "selected": selected}


@router.get("", response_class=HTMLResponse)
def map_page(request: Request, session: SessionDep, user: CurrentUser,
             fragment: bool = False, alarm: Id | None = None) -> Response:
    capabilities.require(user, "fieldalarms.read")
    panel = _panel(session, user, selected=alarm)
    if fragment:
        return render(request, "fieldalarms/panel.html", panel=panel)
    return render(request, "fieldalarms/map.html", panel=panel)


@router.get("/devices", response_class=HTMLResponse)
def devices_page(request: Request, session: SessionDep, user: CurrentUser,
                 settings: SettingsDep) -> Response:
    capabilities.require(user, "fieldalarms.read")
    low = settings.fieldalarms.battery_low_pct
    devices = [service.device_out(session, d, low_pct=low)
               for d in session.scalars(service.devices_list(user).limit(1000))]
    return render(request, "fieldalarms/devices.html", devices=devices,
                  silent=sum(d.silent for d in devices), low=sum(d.battery_low for d in devices),
                  can_manage=capabilities.can(user, "fieldalarms.devices"))
