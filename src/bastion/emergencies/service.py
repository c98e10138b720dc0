"""The emergency board's rules: opening an emergency and moving it through its phases, the
vessels' officers and statuses, deadlines per vessel class, and the counts on the board.

Services never commit; they check capabilities and need-to-know (``access``), write the audit
log and emit events in the caller's transaction. Gathering the vessels concerned is
``gather.py``; telling their agents is ``notifying.py``; the clocks are ``watch.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.audit.models import AuditAction
from bastion.audit.service import record as audit
from bastion.core import events, workflow
from bastion.core.db import utcnow
from bastion.core.errors import Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.emergencies import access, areas
from bastion.emergencies.models import (
    Emergency,
    EmergencyPartner,
    EmergencyVessel,
    Phase,
    ShelterZone,
    VesselClass,
    VesselSource,
    VesselStatus,
)
from bastion.emergencies.schemas import AssignIn, EmergencyIn, PhaseIn, VesselIn
from bastion.emergencies.workflow import WORKFLOW, Actor
from bastion.notifications import service as notifications
from bastion.org import capabilities
from bastion.org.models import PRIVATE_KINDS, Agency, User

S = VesselStatus
STATUS_EVENT = "emergency.vessel_status"
CHANGED_EVENT = "emergency.changed"

# The house's deadlines per class, counted back from T (landfall): Zhanjiang's Yagi order
# (LAND-BORDER.md section 5) put construction ships into shelter first and everyone off the
# wind-farm vessels next; small craft are hauled out and their people ashore the day before.
DEFAULT_DEADLINES: list[dict[str, Any]] = [
    {"vessel_class": "small_craft", "hours_before": 24, "done": ["crew_ashore"]},
    {"vessel_class": "construction", "hours_before": 18, "done": ["sheltered", "crew_ashore"]},
    {"vessel_class": "fishing", "hours_before": 12, "done": ["sheltered", "crew_ashore"]},
    {"vessel_class": "passenger", "hours_before": 12,
     "done": ["sheltered", "departed", "crew_ashore"]},
    {"vessel_class": "merchant", "hours_before": 6, "done": ["sheltered", "departed"]},
    {"vessel_class": "other", "hours_before": 6, "done": ["sheltered", "departed", "crew_ashore"]},
]


# --- emergencies ---------------------------------------------------------------------------

def open_emergency(session: Session, *, user: User, data: EmergencyIn) -> Emergency:
    capabilities.require(user, "emergencies.manage")
    rules = ([r.model_dump(mode="json") for r in data.deadlines] if data.deadlines is not None
             else [dict(r) for r in DEFAULT_DEADLINES])
    emergency = Emergency(owner_org_id=user.organisation_id, kind=data.kind, name=data.name.strip(),
                          level=data.level, phase=data.phase, area=areas.check(data.area),
                          landfall_at=data.landfall_at, deadlines=rules, notes=data.notes,
                          exercise=data.exercise, opened_by_id=user.id, opened_at=utcnow())
    partners = _partners(session, user, data.partner_agency_ids)
    session.add(emergency)
    session.flush()
    for agency_id in partners:
        session.add(EmergencyPartner(emergency_id=emergency.id, agency_id=agency_id))
    session.flush()
    audit(session, action=AuditAction.CREATE, actor=user, record_kind=Emergency.record_kind,
          record_id=emergency.id, summary=emergency.name)
    events.emit(session, kind="emergency.opened", actor_id=user.id,
                record_kind=Emergency.record_kind, record_id=emergency.id,
                payload={"kind": emergency.kind.value, "level": emergency.level.value,
                         "phase": emergency.phase.value, "exercise": emergency.exercise})
    return emergency


def _partners(session: Session, user: User, ids: list[int]) -> list[int]:
    """The partner agencies named, each once: government agencies that exist and are active
    (a shipping agency sees only its own vessels' rows); the owner organisation needs none."""
    wanted = sorted(set(ids) - {user.organisation_id})
    if not wanted:
        return []
    found = set(session.scalars(select(Agency.id).where(
        Agency.id.in_(wanted), Agency.active.is_(True),
        Agency.kind.not_in(list(PRIVATE_KINDS)))))
    if found != set(wanted):
        raise Invalid(_("No such partner agency."), field="partner_agency_ids")
    return wanted


def partner_ids(session: Session, emergency: Emergency) -> list[int]:
    return list(session.scalars(select(EmergencyPartner.agency_id).where(
        EmergencyPartner.emergency_id == emergency.id).order_by(EmergencyPartner.agency_id)))


def set_phase(session: Session, *, user: User, emergency: Emergency, data: PhaseIn) -> Emergency:
    """Forward at will; back (a warning lifted too early) only with the reason."""
    access.check_emergency(session, user=user, emergency=emergency)
    capabilities.require(user, "emergencies.manage")
    if emergency.closed_at is not None:
        raise Invalid(_("This emergency is over."), field="phase")
    order = list(Phase)
    if order.index(data.phase) < order.index(emergency.phase) and not data.reason.strip():
        raise Invalid(_("Give the reason for going back to an earlier phase."), field="reason")
    before = emergency.phase
    emergency.phase = data.phase
    if data.level is not None:
        emergency.level = data.level
    if data.phase == Phase.ALL_CLEAR:
        emergency.closed_at = utcnow()
    session.flush()
    workflow.record(session, kind="emergency.phase", record_kind=Emergency.record_kind,
                    record_id=emergency.id, actor_id=user.id, action="phase", before=before,
                    after=emergency.phase, reason=data.reason or None,
                    level=emergency.level.value)
    audit(session, action=AuditAction.UPDATE, actor=user, record_kind=Emergency.record_kind,
          record_id=emergency.id, summary=f"{before.value} -> {emergency.phase.value}",
          reason=data.reason or None)
    return emergency


def is_open(emergency: Emergency) -> bool:
    return emergency.closed_at is None and emergency.phase != Phase.ALL_CLEAR


# --- deadlines -----------------------------------------------------------------------------

def rule_for(emergency: Emergency, vessel_class: VesselClass) -> dict[str, Any] | None:
    for rule in emergency.deadlines or ():
        if rule.get("vessel_class") == vessel_class.value:
            return rule
    return None


def due_at(emergency: Emergency, vessel: EmergencyVessel) -> datetime | None:
    rule = rule_for(emergency, vessel.vessel_class)
    if rule is None:
        return None
    return emergency.landfall_at - timedelta(hours=float(rule["hours_before"]))


def done(emergency: Emergency, vessel: EmergencyVessel) -> bool:
    rule = rule_for(emergency, vessel.vessel_class)
    wanted = set(rule["done"]) if rule else {s.value for s in (S.SHELTERED, S.DEPARTED,
                                                                S.CREW_ASHORE)}
    return vessel.status.value in wanted


def late(emergency: Emergency, vessel: EmergencyVessel, now: datetime) -> bool:
    due = due_at(emergency, vessel)
    return due is not None and now > due and not done(emergency, vessel)


# --- vessels -------------------------------------------------------------------------------

def actor_of(user: User) -> Actor:
    if capabilities.can(user, "emergencies.act"):
        return Actor.OFFICER
    if access.is_agent(user):
        return Actor.AGENT
    raise Forbidden(_("Your role cannot take this action."))


def transition(session: Session, *, emergency: Emergency, vessel: EmergencyVessel, action: str,
               actor: Actor, actor_id: int | None, reason: str | None = None,
               at: datetime | None = None, **evidence: Any) -> EmergencyVessel:
    """One step of the vessel's workflow, recorded as an ``emergency.vessel_status`` event."""
    if not is_open(emergency):
        raise Invalid(_("This emergency is over."), field="action")
    rule = WORKFLOW.step(vessel.status, action, actor=actor, reason=reason)
    before = vessel.status
    vessel.status = rule.target
    vessel.status_at = at or utcnow()
    session.flush()
    workflow.record(session, kind=STATUS_EVENT, record_kind=EmergencyVessel.record_kind,
                    record_id=vessel.id, actor_id=actor_id, action=action, before=before,
                    after=vessel.status, reason=reason or None, emergency_id=emergency.id,
                    by=actor.value, persons=vessel.persons_aboard,
                    at=vessel.status_at.isoformat(), **evidence)
    return vessel


def act(session: Session, *, user: User, emergency: Emergency, vessel: EmergencyVessel,
        action: str, reason: str = "") -> EmergencyVessel:
    access.check_emergency(session, user=user, emergency=emergency)
    access.find_vessel(session, user=user, emergency=emergency, vessel_id=vessel.id)
    actor = actor_of(user)
    if actor == Actor.AGENT and vessel.agent_org_id != user.organisation_id:
        raise Forbidden(_("Your role cannot take this action."))
    transition(session, emergency=emergency, vessel=vessel, action=action, actor=actor,
               actor_id=user.id, reason=reason.strip() or None)
    if actor == Actor.AGENT and action == "acknowledge" and vessel.notification_id:
        # the agent acknowledged on the board: its copy of the warning is acknowledged too
        try:
            copy = notifications.get_mine(session, user=user,
                                          notification_id=vessel.notification_id)
        except NotFound:
            return vessel
        notifications.acknowledge(session, user=user, copy=copy)
    return vessel


def assign(session: Session, *, user: User, emergency: Emergency, vessel: EmergencyVessel,
           data: AssignIn) -> EmergencyVessel:
    """One named officer per vessel (定人联船), the persons aboard, its shelter zone."""
    access.check_emergency(session, user=user, emergency=emergency)
    access.find_vessel(session, user=user, emergency=emergency, vessel_id=vessel.id)
    capabilities.require(user, "emergencies.act")
    changed: dict[str, Any] = {}
    if data.officer_id is not None and data.officer_id != vessel.officer_id:
        officer = session.get(User, data.officer_id)
        if (officer is None or not officer.active or officer.system
                or not capabilities.can(officer, "emergencies.act")):
            raise Invalid(_("This person cannot be the vessel's officer."), field="officer_id")
        vessel.officer_id = officer.id
        changed["officer_id"] = officer.id
    if data.persons_aboard is not None and data.persons_aboard != vessel.persons_aboard:
        vessel.persons_aboard = data.persons_aboard
        changed["persons_aboard"] = data.persons_aboard
    if data.shelter_zone_id is not None and data.shelter_zone_id != vessel.shelter_zone_id:
        zone = session.get(ShelterZone, data.shelter_zone_id)
        if zone is None or zone.owner_org_id != emergency.owner_org_id:
            raise Invalid(_("No such shelter zone."), field="shelter_zone_id")
        vessel.shelter_zone_id = zone.id
        changed["shelter_zone_id"] = zone.id
    if changed:
        session.flush()
        events.emit(session, kind=CHANGED_EVENT, actor_id=user.id,
                    record_kind=EmergencyVessel.record_kind, record_id=vessel.id,
                    payload={"emergency_id": emergency.id, **changed})
    return vessel


def add_vessel(session: Session, *, user: User, emergency: Emergency,
               data: VesselIn) -> EmergencyVessel:
    """A vessel found at the roll-call that no source listed."""
    access.check_emergency(session, user=user, emergency=emergency)
    capabilities.require(user, "emergencies.act")
    key = f"mmsi:{data.mmsi}" if data.mmsi else f"hand:{data.name.strip().upper()[:30]}"
    if session.scalar(select(EmergencyVessel.id).where(
            EmergencyVessel.emergency_id == emergency.id, EmergencyVessel.key == key)):
        raise Invalid(_("This vessel is listed already."), field="name")
    vessel = EmergencyVessel(emergency_id=emergency.id, source=VesselSource.REGISTER, key=key,
                             name=data.name.strip(), vessel_class=data.vessel_class,
                             mmsi=data.mmsi, persons_aboard=data.persons_aboard,
                             contact=data.contact, exercise=emergency.exercise,
                             shelter_zone_id=zone_for(session, emergency, data.vessel_class))
    session.add(vessel)
    session.flush()
    events.emit(session, kind=CHANGED_EVENT, actor_id=user.id,
                record_kind=EmergencyVessel.record_kind, record_id=vessel.id,
                payload={"emergency_id": emergency.id, "added": True})
    return vessel


def zone_for(session: Session, emergency: Emergency, vessel_class: VesselClass) -> int | None:
    """The first shelter zone of the class kept by the emergency's organisation."""
    return session.scalar(select(ShelterZone.id).where(
        ShelterZone.owner_org_id == emergency.owner_org_id,
        ShelterZone.vessel_class == vessel_class).order_by(ShelterZone.id).limit(1))


# --- the board -----------------------------------------------------------------------------

def counts(session: Session, *, user: User, emergency: Emergency,
           now: datetime | None = None) -> dict[str, Any]:
    """Vessels and persons by status (what the user may see), and how many are late."""
    now = now or utcnow()
    rows = session.execute(access.vessels_query(user, emergency).with_only_columns(
        EmergencyVessel.status, func.count(EmergencyVessel.id),
        func.coalesce(func.sum(EmergencyVessel.persons_aboard), 0))
        .group_by(EmergencyVessel.status)).all()
    vessels = {s.value: 0 for s in S}
    persons = {s.value: 0 for s in S}
    for status, n, people in rows:
        vessels[VesselStatus(status).value] = int(n)
        persons[VesselStatus(status).value] = int(people or 0)
    late_count = sum(1 for v in session.scalars(access.vessels_query(user, emergency))
                     if late(emergency, v, now))
    return {"vessels": vessels, "persons": persons, "total_vessels": sum(vessels.values()),
            "total_persons": sum(persons.values()), "late": late_count}
