"""The vessels an emergency concerns, gathered from three sources and listed once each:

- the current AIS picture inside the area (maritime's service: vessels seen in the last
  ``settings.emergencies.picture_hours``);
- the port's open calls (clearance's service): their agent, and the persons on their latest
  crew and passenger lists;
- the register of local vessels (fishing boats, small craft: often no AIS) lying in the area
  or with no known berth.

A vessel already listed keeps its row (a second gathering adds what is new: the rolling
roll-call); one known by MMSI to two sources is one row, its port call's details first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance.calls import service as calls
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Forbidden
from bastion.emergencies import access, areas
from bastion.emergencies.models import (
    Emergency,
    EmergencyVessel,
    LocalVessel,
    VesselClass,
    VesselSource,
)
from bastion.emergencies.service import CHANGED_EVENT, zone_for
from bastion.maritime.tracks import service as tracks
from bastion.org import capabilities
from bastion.org.models import User


def class_of_ship_type(ship_type: int | None) -> VesselClass:
    """ITU-R M.1371 ship and cargo types: 30 fishing, 31-33 towing and dredging (works),
    36-37 sailing and pleasure craft, 60-69 passenger, 70-89 cargo and tankers."""
    t = ship_type or 0
    if t == 30:
        return VesselClass.FISHING
    if t in (31, 32, 33):
        return VesselClass.CONSTRUCTION
    if t in (36, 37):
        return VesselClass.SMALL_CRAFT
    if 60 <= t <= 69:
        return VesselClass.PASSENGER
    if 70 <= t <= 89:
        return VesselClass.MERCHANT
    return VesselClass.OTHER


def _ais(session: Session, user: User, emergency: Emergency, hours: float) -> list[dict[str, Any]]:
    if not capabilities.can(user, "vessels.read"):
        return []
    geometry = areas.geometry(emergency.area)
    west, south, east, north = geometry.bounds
    found, offset = [], 0
    while True:
        rows, total = tracks.list_vessels(session, user=user, bbox=(west, south, east, north),
                                          since=utcnow() - timedelta(hours=hours), limit=500,
                                          offset=offset)
        found += [v for v in rows if areas.contains(geometry, v.lat, v.lon)]
        offset += len(rows)
        if not rows or offset >= total:
            break
    return [{"key": f"mmsi:{v.mmsi}", "source": VesselSource.AIS, "mmsi": v.mmsi,
             "name": (v.name or "").strip() or str(v.mmsi),
             "vessel_class": class_of_ship_type(v.ship_type)} for v in found]


def _port_calls(session: Session, user: User) -> list[dict[str, Any]]:
    try:
        query = calls.calls_query(user=user, finished=False)
    except Forbidden:
        return []
    found = []
    for call in session.scalars(query.limit(1000)):
        if call.state.value == "draft":
            continue  # the agent's working copy, not a ship on its way
        found.append({"key": f"mmsi:{call.mmsi}" if call.mmsi else f"call:{call.id}",
                      "source": VesselSource.PORT_CALL, "mmsi": call.mmsi,
                      "port_call_id": call.id, "name": call.vessel_name,
                      "vessel_class": VesselClass.MERCHANT, "agent_org_id": call.agent_org_id,
                      "persons_aboard": len(calls.latest_people(session, call))})
    return found


def _register(session: Session, emergency: Emergency) -> list[dict[str, Any]]:
    geometry = areas.geometry(emergency.area)
    found = []
    for boat in session.scalars(select(LocalVessel).where(
            LocalVessel.owner_org_id == emergency.owner_org_id).order_by(LocalVessel.id)):
        if boat.lat is not None and not areas.contains(geometry, boat.lat, boat.lon):
            continue
        found.append({"key": f"mmsi:{boat.mmsi}" if boat.mmsi else f"reg:{boat.id}",
                      "source": VesselSource.REGISTER, "mmsi": boat.mmsi,
                      "local_vessel_id": boat.id, "name": boat.name,
                      "vessel_class": boat.vessel_class, "persons_aboard": boat.crew,
                      "contact": " ".join(p for p in (boat.owner_name, boat.owner_phone) if p)})
    return found


def gather(session: Session, *, user: User, emergency: Emergency,
           picture_hours: float = 6.0) -> list[EmergencyVessel]:
    """List the vessels not yet listed; returns the new rows."""
    access.check_emergency(session, user=user, emergency=emergency)
    capabilities.require(user, "emergencies.manage")
    merged: dict[str, dict[str, Any]] = {}
    # Later sources fill in what earlier ones lack; a port call's details win over the AIS's.
    for item in (*_ais(session, user, emergency, picture_hours), *_register(session, emergency),
                 *_port_calls(session, user)):
        known = merged.get(item["key"])
        if known is None:
            merged[item["key"]] = dict(item)
        else:
            keep_class = known["vessel_class"] if item["source"] == VesselSource.PORT_CALL \
                and known["vessel_class"] != VesselClass.OTHER else item["vessel_class"]
            known.update({k: v for k, v in item.items() if v not in (None, "", 0)},
                         vessel_class=keep_class)
    listed = set(session.scalars(select(EmergencyVessel.key).where(
        EmergencyVessel.emergency_id == emergency.id)))
    new = []
    for key, item in merged.items():
        if key in listed:
            continue
        vessel = EmergencyVessel(emergency_id=emergency.id, exercise=emergency.exercise,
                                 shelter_zone_id=zone_for(session, emergency,
                                                          item["vessel_class"]),
                                 **{k: v for k, v in item.items()})
        session.add(vessel)
        new.append(vessel)
    session.flush()
    if new:
        events.emit(session, kind=CHANGED_EVENT, actor_id=user.id,
                    record_kind=Emergency.record_kind, record_id=emergency.id,
                    payload={"gathered": len(new)})
    return new
