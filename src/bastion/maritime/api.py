"""REST API of the maritime picture: vessels, tracks, alerts (alerts obey need-to-know)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.maritime.alerts import service as alerts
from bastion.maritime.alerts.models import AlertStatus
from bastion.maritime.schemas import (
    AlertAssign,
    AlertClose,
    AlertPage,
    AlertPublic,
    TrackPoint,
    VesselPage,
    VesselPublic,
)
from bastion.maritime.tracks import service as tracks
from bastion.org import service as org
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["maritime"])


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise Invalid(_("bbox is west,south,east,north in degrees."), field="bbox") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid(_("bbox is west,south,east,north in degrees."), field="bbox")
    return west, south, east, north


@router.get("/vessels", response_model=VesselPage)
def list_vessels(session: SessionDep, user: CurrentUser, q: str | None = None,
                 min_risk: Annotated[float | None, Query(ge=0, le=100)] = None,
                 bbox: str | None = None, since: AwareDatetime | None = None,
                 limit: Annotated[int, Query(ge=1, le=5000)] = 100,
                 offset: Annotated[int, Query(ge=0)] = 0) -> VesselPage:
    rows, total = tracks.list_vessels(session, user=user, search=q, min_risk=min_risk, bbox=_bbox(bbox),
                                      since=since, limit=limit, offset=offset)
    return VesselPage(items=[VesselPublic.model_validate(v) for v in rows], total=total)


@router.get("/vessels/{mmsi}", response_model=VesselPublic)
def get_vessel(mmsi: int, session: SessionDep, user: CurrentUser) -> VesselPublic:
    return VesselPublic.model_validate(tracks.get_vessel(session, user=user, mmsi=mmsi))


@router.get("/vessels/{mmsi}/track", response_model=list[TrackPoint])
def get_track(mmsi: int, session: SessionDep, user: CurrentUser,
              since: AwareDatetime | None = None, until: AwareDatetime | None = None,
              limit: Annotated[int, Query(ge=1, le=50_000)] = 5000) -> list[TrackPoint]:
    tracks.get_vessel(session, user=user, mmsi=mmsi)
    return [TrackPoint.model_validate(p)
            for p in tracks.track(session, user=user, mmsi=mmsi, since=since, until=until, limit=limit)]


@router.get("/alerts", response_model=AlertPage)
def list_alerts(session: SessionDep, user: CurrentUser, kind: str | None = None,
                status: AlertStatus | None = None, mmsi: int | None = None,
                severity: str | None = None, active: bool = False,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                offset: Annotated[int, Query(ge=0)] = 0) -> AlertPage:
    flt = alerts.AlertFilter(kind=kind, status=status, mmsi=mmsi, severity=severity,
                             active_only=active)
    rows, total = alerts.list_visible(session, user=user, flt=flt, limit=limit, offset=offset)
    return AlertPage(items=[AlertPublic.model_validate(a) for a in rows], total=total)


@router.get("/alerts/{alert_id}", response_model=AlertPublic)
def get_alert(alert_id: int, session: SessionDep, user: CurrentUser) -> AlertPublic:
    return AlertPublic.model_validate(alerts.get(session, user=user, alert_id=alert_id))


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertPublic)
def acknowledge(alert_id: int, session: SessionDep, user: CurrentUser) -> AlertPublic:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    return AlertPublic.model_validate(alerts.acknowledge(session, user=user, alert=alert))


@router.post("/alerts/{alert_id}/assign", response_model=AlertPublic)
def assign(alert_id: int, data: AlertAssign, session: SessionDep,
           user: CurrentUser) -> AlertPublic:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    assignee = org.get_user(session, user_id=data.assignee_id)
    return AlertPublic.model_validate(alerts.assign(session, user=user, alert=alert,
                                                    assignee=assignee))


@router.post("/alerts/{alert_id}/close", response_model=AlertPublic)
def close(alert_id: int, data: AlertClose, session: SessionDep, user: CurrentUser) -> AlertPublic:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    return AlertPublic.model_validate(alerts.close(session, user=user, alert=alert,
                                                   note=data.note))
