"""REST API of the maritime picture: vessels, tracks, alerts (alerts obey need-to-know)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from bastion.core.bounds import Id, Mmsi
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageParams, from_rows, page_params, paginate
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
# The map draws every vessel in view at once; a track is drawn whole up to its limit.
VesselPageParams = Annotated[PageParams, Depends(page_params(default=100, maximum=5000))]
AlertPageParams = Annotated[PageParams, Depends(page_params(default=100, maximum=1000))]
TrackPageParams = Annotated[PageParams, Depends(page_params(default=5000, maximum=50_000))]


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
def list_vessels(session: SessionDep, user: CurrentUser, page: VesselPageParams,
                 q: str | None = None,
                 min_risk: Annotated[float | None, Query(ge=0, le=100)] = None,
                 bbox: str | None = None, since: AwareDatetime | None = None) -> VesselPage:
    rows, total = tracks.list_vessels(session, user=user, search=q, min_risk=min_risk,
                                      bbox=_bbox(bbox), since=since, limit=page.limit,
                                      offset=page.offset)
    return from_rows(rows, total, page, VesselPublic.model_validate)


@router.get("/vessels/{mmsi}", response_model=VesselPublic)
def get_vessel(mmsi: Mmsi, session: SessionDep, user: CurrentUser) -> VesselPublic:
    return VesselPublic.model_validate(tracks.get_vessel(session, user=user, mmsi=mmsi))


@router.get("/vessels/{mmsi}/track", response_model=Page[TrackPoint])
def get_track(mmsi: Mmsi, session: SessionDep, user: CurrentUser, page: TrackPageParams,
              since: AwareDatetime | None = None,
              until: AwareDatetime | None = None) -> Page[TrackPoint]:
    """Pages run back in time from the newest fix; each page's points are oldest first, ready
    to draw."""
    tracks.get_vessel(session, user=user, mmsi=mmsi)
    result = paginate(session, tracks.track_query(user=user, mmsi=mmsi, since=since,
                                                  until=until), page, TrackPoint.model_validate)
    result.items.reverse()
    return result


@router.get("/alerts", response_model=AlertPage)
def list_alerts(session: SessionDep, user: CurrentUser, page: AlertPageParams, kind: str | None = None,
                status: AlertStatus | None = None, mmsi: Mmsi | None = None,
                severity: str | None = None, active: bool = False) -> AlertPage:
    flt = alerts.AlertFilter(kind=kind, status=status, mmsi=mmsi, severity=severity,
                             active_only=active)
    rows, total = alerts.list_visible(session, user=user, flt=flt, limit=page.limit,
                                      offset=page.offset)
    return from_rows(rows, total, page, AlertPublic.model_validate)


@router.get("/alerts/{alert_id}", response_model=AlertPublic)
def get_alert(alert_id: Id, session: SessionDep, user: CurrentUser) -> AlertPublic:
    return AlertPublic.model_validate(alerts.get(session, user=user, alert_id=alert_id))


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertPublic)
def acknowledge(alert_id: Id, session: SessionDep, user: CurrentUser) -> AlertPublic:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    return AlertPublic.model_validate(alerts.acknowledge(session, user=user, alert=alert))


@router.post("/alerts/{alert_id}/assign", response_model=AlertPublic)
def assign(alert_id: Id, data: AlertAssign, session: SessionDep,
           user: CurrentUser) -> AlertPublic:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    assignee = org.get_user(session, user_id=data.assignee_id)
    return AlertPublic.model_validate(alerts.assign(session, user=user, alert=alert,
                                                    assignee=assignee))


@router.post("/alerts/{alert_id}/close", response_model=AlertPublic)
def close(alert_id: Id, data: AlertClose, session: SessionDep, user: CurrentUser) -> AlertPublic:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    return AlertPublic.model_validate(alerts.close(session, user=user, alert=alert,
                                                   note=data.note))
