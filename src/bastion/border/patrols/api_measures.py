"""Patrol measures and the live picture over the API (JSON, xlsx, GeoJSON overlays).

Registered before the field API's router: ``/api/v1/patrols/{id}`` would take these paths.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.patrols import live, measures, xlsx
from bastion.core.bounds import Id
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/patrols", tags=["patrols"])

PeriodQ = Literal["day", "week", "month"]
GEOJSON = "application/geo+json"


def report(session, user: User, settings, start: date | None, end: date | None, period: str,
           post: int | None, segment: int | None, agency: int | None) -> dict[str, Any]:
    """The measures with the page's and the API's defaults: the last 30 days to today."""
    patrols = settings.patrols
    last = end or measures.today(patrols)
    first = start or (last - timedelta(days=29))
    return measures.measures(session, user=user, settings=patrols, start=first, end=last,
                             period=period, post_id=post, segment_id=segment, agency_id=agency)


FromQ = Annotated[date | None, Query(alias="from", description="first day (unit's zone)")]
ToQ = Annotated[date | None, Query(alias="to", description="last day, inclusive")]


@router.get("/measures")
def get_measures(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                 start: FromQ = None, end: ToQ = None, period: PeriodQ = "day",
                 post: Id | None = None, segment: Id | None = None,
                 agency: Id | None = None) -> dict[str, Any]:
    """Checkpoint coverage, segment coverage (within ``coverage_m``) and patrol completion,
    missed and incomplete patrols, effort (hours, km, person-days) apart from results
    (observations by category) and targets met, over ``from``..``to`` (default the last 30
    days), by period (day, week or month in the unit's zone), post, segment and agency (of
    the members). ``post``, ``segment``, ``agency`` narrow every figure. Only patrols the
    caller may see count; ``synthetic`` is how many of them are demo data."""
    return report(session, user, settings, start, end, period, post, segment, agency)


@router.get("/measures.xlsx")
def get_measures_xlsx(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                      start: FromQ = None, end: ToQ = None, period: PeriodQ = "day",
                      post: Id | None = None, segment: Id | None = None,
                      agency: Id | None = None) -> Response:
    """The same figures as a workbook: an overview, a sheet per grouping and per list."""
    data = report(session, user, settings, start, end, period, post, segment, agency)
    audit.record(session, action=AuditAction.EXPORT, actor=user,
                 summary="patrol measures export",
                 detail={"from": data["from"].isoformat(), "to": data["to"].isoformat(),
                         "period": period, **data["filters"]})
    return Response(xlsx.workbook(data), media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename={xlsx.filename(data)}"})


@router.get("/blind-spots.geojson")
def get_blind_spots(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                    days: Annotated[int | None, Query(ge=1, le=366)] = None) -> Response:
    """Stretches of the caller's segments no kept track came within ``coverage_m`` of in the
    last ``days`` days (default ``blind_spot_days``), one feature per stretch."""
    data = measures.blind_spots(session, user=user, settings=settings.patrols, days=days)
    return JSONResponse(jsonable_encoder(data), media_type=GEOJSON)


@router.get("/live")
def get_live(session: SessionDep, user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """Patrols under way or paused (post, segment, members, transport, last position and fix
    time, minutes since it and ``stale``, check-ins so far against the plan) and the SOS
    calls open or of the last ``sos_hours``, each with ``acknowledged``."""
    return live.picture(session, user=user, settings=settings.patrols)


@router.get("/live.geojson")
def get_live_geojson(session: SessionDep, user: CurrentUser,
                     settings: SettingsDep) -> Response:
    """The live picture as a map overlay: a point per patrol (layer ``patrol``) and per SOS
    (layer ``sos``), ``label`` in properties."""
    data = live.geojson(live.picture(session, user=user, settings=settings.patrols))
    return JSONResponse(jsonable_encoder(data), media_type=GEOJSON)
