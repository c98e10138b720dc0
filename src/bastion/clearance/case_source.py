"""What a case opened from a vessel alert or a pre-check hit starts with (``cases.sources``):
the alert's vessel, the vessel's open port call and that call's crew; the hit's person and the
call they came from. Registered in this domain's manifest under ``case_sources``.

The alert's source lives here, not in maritime: the port call and its crew are clearance's, and
maritime stands below clearance (it never imports it). Reads go through the services with the
opener's need-to-know: an alert or hit they may not see is None (the case is not opened, 404);
a call they may not see is simply not linked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

import bastion.maritime.labels  # noqa: F401 - registers the alert kinds' words for term()
from bastion.clearance import board
from bastion.clearance.calls import service as calls
from bastion.core.errors import NotFound
from bastion.core.labels import term
from bastion.maritime.alerts import service as alerts
from bastion.maritime.tracks import service as tracks
from bastion.org.models import User
from bastion.screening import service as screening


def _point(lon: float | None, lat: float | None) -> dict[str, Any] | None:
    if lon is None or lat is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _crew_links(session: Session, call: Any) -> list[dict[str, Any]]:
    links = []
    for n, row in enumerate(calls.latest_people(session, call), start=1):
        if row.get("list") != "crew":
            continue
        name = " ".join(str(row.get(k) or "") for k in ("family_name", "given_names")).strip()
        extra = ", ".join(str(row[k]) for k in ("rank", "nationality") if row.get(k))
        links.append({"kind": "crew_member", "id": f"{call.id}:{row.get('no') or n}",
                      "title": f"{name} ({extra})" if extra else name,
                      "url": f"/clearance/{call.id}"})
    return links


def _call_links(session: Session, call: Any) -> list[dict[str, Any]]:
    eta = f" ETA {call.eta:%Y-%m-%d}" if call.eta else ""
    return [{"kind": "port_call", "id": str(call.id),
             "title": f"{call.vessel_name}{eta}", "url": f"/clearance/{call.id}"},
            *_crew_links(session, call)]


def open_call(session: Session, *, user: User, mmsi: int | None,
              imo: int | None = None) -> Any | None:
    """The vessel's call still open (not departed, cancelled or rejected), the latest first."""
    for call in board.vessel_calls(session, user=user, mmsi=mmsi, imo=imo):
        if call.state not in calls.FINISHED:
            return call
    return None


def alert(*, session: Session, user: User, record_id: int) -> dict[str, Any] | None:
    found = alerts.get_or_none(session, user=user, alert_id=record_id)
    if found is None:
        return None
    vessel = tracks.find_vessel(session, mmsi=found.mmsi)
    name = (vessel.name if vessel and vessel.name else None) or f"MMSI {found.mmsi}"
    links: list[dict[str, Any]] = [
        {"kind": "alert", "id": str(found.id), "title": f"{term(found.kind, 'alert_kind')} · {name}",
         "url": f"/maritime/alerts/{found.id}"},
        {"kind": "vessel", "id": str(found.mmsi), "title": name,
         "url": f"/maritime/vessels/{found.mmsi}"}]
    call = open_call(session, user=user, mmsi=found.mmsi, imo=vessel.imo if vessel else None)
    if call is not None:
        links += _call_links(session, call)
    return {"title": f"{name}: {term(found.kind, 'alert_kind')}", "url": f"/maritime/alerts/{found.id}",
            "geometry": _point(found.lon, found.lat), "occurred_at": found.start,
            "links": links, "realm": "sea"}


def precheck_hit(*, session: Session, user: User, record_id: int) -> dict[str, Any] | None:
    try:
        hit = screening.get_hit(session, user=user, hit_id=record_id)
    except NotFound:
        return None
    subject = hit.subject or {}
    person = str(subject.get("name") or subject.get("family_name") or "?")
    links: list[dict[str, Any]] = [
        {"kind": "person", "id": f"hit:{hit.id}", "title": person, "url": "/screening/hits"}]
    if hit.source_kind == "port_call" and hit.source_id is not None:
        try:
            call = calls.get_call(session, user=user, call_id=hit.source_id)
        except NotFound:
            call = None
        if call is not None:
            links.append({"kind": "port_call", "id": str(call.id), "title": call.vessel_name,
                          "url": f"/clearance/{call.id}"})
            if call.mmsi:
                links.append({"kind": "vessel", "id": str(call.mmsi), "title": call.vessel_name,
                              "url": f"/maritime/vessels/{call.mmsi}"})
    return {"title": f"{person}: {hit.context or 'pre-check hit'}", "url": "/screening/hits",
            "geometry": None, "occurred_at": hit.created_at, "links": links, "realm": "sea"}
