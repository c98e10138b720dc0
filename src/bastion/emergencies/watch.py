"""The emergency board's clocks, run as the ``emergencies-watch`` job every
``emergencies.check_every_s``:

- **the AIS check**: each vessel with an MMSI and a shelter zone, still under way, whose latest
  AIS position is fresh, inside its zone and slow (``sheltered_max_knots``: at anchor or
  moored) turns "sheltered" by itself; the event carries the position as evidence;
- **deadlines**: a vessel past its class's deadline (``service.due_at``) and not yet safe
  escalates (``core.deadlines``): level 1 at once (its officer and agent), level 2 once late
  by ``escalate_after_hours`` (also the supervisors); each level announced once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import deadlines as core_deadlines
from bastion.core import events
from bastion.core.db import transaction, utcnow
from bastion.emergencies import areas
from bastion.emergencies.models import (
    Emergency,
    EmergencyVessel,
    Phase,
    ShelterZone,
    VesselStatus,
)
from bastion.emergencies.notifying import tell_late
from bastion.emergencies.service import done, due_at, transition
from bastion.emergencies.workflow import UNDER_WAY, Actor
from bastion.maritime.tracks import service as tracks

S = VesselStatus


def _open(session: Session) -> list[Emergency]:
    return list(session.scalars(select(Emergency).where(
        Emergency.closed_at.is_(None), Emergency.phase != Phase.ALL_CLEAR)
        .order_by(Emergency.id)))


def check_shelters(session: Session, *, now: datetime | None = None,
                   max_knots: float = 1.0, fresh_minutes: float = 30.0) -> list[EmergencyVessel]:
    """One round of the AIS check; the vessels that turned sheltered."""
    now = now or utcnow()
    sheltered = []
    zones: dict[int, Any] = {}
    for emergency in _open(session):
        query = select(EmergencyVessel).where(
            EmergencyVessel.emergency_id == emergency.id, EmergencyVessel.mmsi.is_not(None),
            EmergencyVessel.shelter_zone_id.is_not(None),
            EmergencyVessel.status.in_((S.LISTED, *UNDER_WAY)))
        for vessel in session.scalars(core_deadlines.claim(query.order_by(EmergencyVessel.id))):
            seen = tracks.find_vessel(session, mmsi=int(vessel.mmsi or 0))
            if seen is None or seen.lat is None or seen.last_seen is None:
                continue
            if seen.last_seen < now - timedelta(minutes=fresh_minutes):
                continue
            if seen.speed is None or seen.speed > max_knots:
                continue
            if vessel.shelter_zone_id not in zones:
                zone = session.get(ShelterZone, vessel.shelter_zone_id)
                zones[vessel.shelter_zone_id] = (zone, areas.geometry(zone.area) if zone else None)
            zone, geometry = zones[vessel.shelter_zone_id]
            if geometry is None or not areas.contains(geometry, seen.lat, seen.lon):
                continue
            transition(session, emergency=emergency, vessel=vessel, action="shelter",
                       actor=Actor.SYSTEM, actor_id=None, at=now, via="ais",
                       evidence={"lat": seen.lat, "lon": seen.lon, "speed": seen.speed,
                                 "at": seen.last_seen.isoformat(), "zone_id": zone.id,
                                 "zone": zone.name})
            sheltered.append(vessel)
    session.flush()
    return sheltered


def escalate(session: Session, *, now: datetime | None = None,
             grace_hours: float = 2.0) -> list[EmergencyVessel]:
    """One round of the deadlines; the vessels whose level rose."""
    now = now or utcnow()
    ladder = core_deadlines.Ladder((timedelta(0), timedelta(hours=grace_hours)))
    raised = []
    for emergency in _open(session):
        query = select(EmergencyVessel).where(EmergencyVessel.emergency_id == emergency.id,
                                              EmergencyVessel.escalated_level < 2)
        for vessel in session.scalars(core_deadlines.claim(query.order_by(EmergencyVessel.id))):
            deadline = core_deadlines.Deadline("safe", due_at(emergency, vessel),
                                               done(emergency, vessel))
            level = max(core_deadlines.levels_at([deadline], now, ladder).values(), default=0)
            if level <= vessel.escalated_level:
                continue
            vessel.escalated_level = level
            tell_late(session, emergency=emergency, vessel=vessel, level=level)
            events.emit(session, kind="emergency.vessel_late",
                        record_kind=EmergencyVessel.record_kind, record_id=vessel.id,
                        payload={"emergency_id": emergency.id, "level": level,
                                 "status": vessel.status.value})
            raised.append(vessel)
    session.flush()
    return raised


def check(sessions: Any, settings: Any) -> int:
    """The job: both rounds in one transaction; the number of vessels that changed."""
    options = settings.emergencies
    with transaction(sessions) as session:
        moved = check_shelters(session, max_knots=options.sheltered_max_knots,
                               fresh_minutes=options.fresh_minutes)
        late = escalate(session, grace_hours=options.escalate_after_hours)
        return len(moved) + len(late)
