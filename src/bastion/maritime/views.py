"""Operator pages: live map, vessel page, alert queue and alert detail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bastion.core.bounds import Id, Mmsi
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext as _
from bastion.maritime import (
    labels,  # noqa: F401  (registers the vocabulary)
    narrative,
    reasons,
)
from bastion.maritime.alerts import service as alerts
from bastion.maritime.alerts.models import AlertStatus
from bastion.maritime.tracks import service as tracks
from bastion.org import service as org
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for
from bastion.web.templating import render

router = APIRouter(prefix="/maritime", include_in_schema=False)
KINDS = ["gap", "encounter", "loitering", "teleport", "mmsi_conflict", "invalid_identity",
         "identity_change", "zone_entry", "shore_approach", "on_land", "dark_rendezvous",
         "encounter_short"]


@router.get("/zones.geojson")
def zones(request: Request, user: CurrentUser) -> Response:
    """The configured zones, for drawing on the map."""
    from bastion.maritime.zoneconfig import zones_geojson_path

    path = zones_geojson_path(request.app.state.settings.zones_file)
    return Response(path.read_bytes(), media_type="application/geo+json")


@router.get("/places.geojson")
def places(request: Request, session: SessionDep, user: CurrentUser, bbox: str = "") -> Response:
    """Ports, learned anchorages and learned water inside ``bbox=west,south,east,north``."""
    import json

    from bastion.core.errors import Invalid
    from bastion.maritime.places import service as known

    try:
        box = tuple(float(x) for x in bbox.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise Invalid(_("bbox must be four numbers: west,south,east,north"), field="bbox")
    data = known.geojson(session, user=user, bbox=box,
                         settings=request.app.state.settings.detectors.places)
    return Response(json.dumps(data), media_type="application/geo+json")


@router.get("", response_class=HTMLResponse)
def map_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    recent, _total = alerts.list_visible(session, user=user,
                                         flt=alerts.AlertFilter(active_only=True), limit=20)
    return render(request, "maritime/map.html", alerts=recent)


def _filter(kind: str | None, status: str | None, severity: str | None,
            mmsi: str | None) -> alerts.AlertFilter:
    return alerts.AlertFilter(
        kind=kind if kind in KINDS else None,
        status=AlertStatus(status) if status in {s.value for s in AlertStatus} else None,
        severity=severity if severity in ("low", "medium", "high") else None,
        mmsi=int(mmsi) if mmsi and mmsi.isdigit() else None,
        active_only=status is None)


@router.get("/alerts", response_class=HTMLResponse)
def alert_queue(request: Request, session: SessionDep, user: CurrentUser,
                kind: str | None = None, status: str | None = None,
                severity: str | None = None, mmsi: str | None = None,
                fragment: bool = False, compact: bool = False) -> Response:
    rows, total = alerts.list_visible(session, user=user,
                                      flt=_filter(kind, status, severity, mmsi),
                                      limit=20 if compact else 200)
    template = ("maritime/_alert_feed.html" if compact else "maritime/_alert_rows.html"
                ) if fragment else "maritime/alerts.html"
    return render(request, template, rows=rows, total=total, kinds=KINDS,
                  statuses=list(AlertStatus),
                  filters={"kind": kind or "", "status": status or "", "severity": severity or "",
                           "mmsi": mmsi or ""})


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, session: SessionDep, user: CurrentUser,
               alert_id: Id) -> Response:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    return _alert(request, session, alert)


def _alert(request, session, alert, status_code: int = 200, errors=None) -> Response:
    user = request.state.user
    people = alerts.assignees(session, user=user, alert=alert) \
        if alerts.may_act(session, user=user, alert=alert) else []
    from bastion.core.domains import panels

    return render(request, "maritime/alert.html", status_code=status_code, alert=alert,
                  people=people, errors=errors or {}, reasons=reasons,
                  narrative=narrative.narrate(alert), tracks=_alert_tracks(alert),
                  panels=panels("alert", session=session, user=user, mmsi=alert.mmsi,
                                alert_id=alert.id))


def _alert_tracks(alert) -> list[dict]:
    """The tracks the alert's map draws: each vessel's, from 2 h before the alert to 1 h after
    it (or now); the API applies need-to-know, so a vessel the reader may not see draws
    nothing."""
    since = alert.start - timedelta(hours=2)
    until = (alert.end or datetime.now(UTC)) + timedelta(hours=1)
    window = urlencode({"since": since.isoformat(), "until": until.isoformat()})
    return [{"url": f"/api/v1/vessels/{mmsi}/track?{window}", "colour": colour}
            for mmsi, colour in ((alert.mmsi, "#e03131"), (alert.other_mmsi, "#1971c2"))
            if mmsi is not None]


@router.post("/alerts/{alert_id}/{action}", response_class=HTMLResponse)
async def alert_action(request: Request, session: SessionDep, user: CurrentUser,
                       alert_id: Id, action: str) -> Response:
    alert = alerts.get(session, user=user, alert_id=alert_id)
    form = await request.form()
    try:
        if action == "acknowledge":
            alerts.acknowledge(session, user=user, alert=alert)
        elif action == "assign":
            raw = str(form.get("assignee_id") or "")
            assignee = org.get_user(session, user_id=int(raw)) if raw.isdigit() else None
            if assignee is None:
                from bastion.core.errors import Invalid
                from bastion.core.i18n import gettext as _

                raise Invalid(_("Choose a person."), field="assignee_id")
            alerts.assign(session, user=user, alert=alert, assignee=assignee)
        elif action == "close":
            alerts.close(session, user=user, alert=alert, note=str(form.get("note") or ""))
        else:
            from bastion.core.errors import NotFound

            raise NotFound("")
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        session.rollback()
        return _alert(request, session, alert, status_code=exc.status_code,
                      errors=error_for(exc))
    return RedirectResponse(f"/maritime/alerts/{alert.id}", status_code=303)


def _ais(vessel) -> dict | None:
    """The vessel's AIS static data, for other domains' panels (plain values, no model)."""
    if vessel is None:
        return None
    return {"imo": vessel.imo, "name": vessel.name, "callsign": vessel.callsign,
            "flag": vessel.flag, "draught": vessel.draught_m}


@router.get("/vessels/{mmsi}", response_class=HTMLResponse)
def vessel_page(request: Request, session: SessionDep, user: CurrentUser, mmsi: Mmsi) -> Response:
    """The vessel: AIS identity, track, risk and alerts; and what other domains add (port
    clearance: its calls, declared against AIS identity, its crews' screening). A vessel
    never seen on AIS has a page only if some panel has something on it (a declared call)."""
    from bastion.core.domains import panels
    from bastion.core.errors import NotFound

    try:
        vessel = tracks.get_vessel(session, user=user, mmsi=mmsi)
    except NotFound:
        vessel = None
    extra = panels("vessel", session=session, user=user, mmsi=mmsi, ais=_ais(vessel))
    if vessel is None and not extra:
        raise NotFound(_("No such vessel."))
    rows, _total = alerts.list_visible(session, user=user, flt=alerts.AlertFilter(mmsi=mmsi),
                                       limit=100)
    return render(request, "maritime/vessel.html", vessel=vessel, mmsi=mmsi, alerts=rows,
                  panels=extra, reasons=reasons)
