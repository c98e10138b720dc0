"""Telling each vessel's people to move, through ``notifications.service.notify``:

- a vessel with a port call: its shipping agency's people who acknowledge for it
  (``emergencies.acknowledge``); their acknowledgement in the app turns the vessel
  "acknowledged" (``reactions.py``);
- every vessel: its officer (定人联船), with the owner's contact for a vessel of the register,
  whose owner is called point to point (点对点联系).

A drill's notifications say so: their title is the exercise message id, which is
``core.exercise.titled`` of the plain one (a test holds them together).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bastion.core.i18n import lazy
from bastion.core.labels import LABELS
from bastion.emergencies.models import Emergency, EmergencyVessel, VesselStatus
from bastion.emergencies.service import due_at, transition
from bastion.emergencies.workflow import Actor
from bastion.notifications.service import Holders, Recipient, notify
from bastion.org import capabilities
from bastion.org.models import User

TITLE = lazy("Emergency {emergency}: move {vessel} to safety")
BODY = lazy("{vessel} ({vessel_class}) must be safe by {due}. Contact: {contact}. "
            "Acknowledge this notice to confirm it was received.")
LATE = lazy("Emergency {emergency}: {vessel} is late (level {level})")
LATE_BODY = lazy("{vessel} ({vessel_class}) was due safe by {due}; its status is {status}.")


def _params(emergency: Emergency, vessel: EmergencyVessel) -> dict[str, Any]:
    due = due_at(emergency, vessel)
    return {"emergency": emergency.name, "vessel": vessel.name,
            "vessel_class": LABELS[type(vessel.vessel_class)][vessel.vessel_class.value],
            "status": LABELS[type(vessel.status)][vessel.status.value],
            "due": due or "-",
            "contact": vessel.contact or "-"}


def recipients(vessel: EmergencyVessel) -> list[Recipient]:
    wanted: list[Recipient] = []
    if vessel.agent_org_id is not None:
        wanted.append(Holders("emergencies.acknowledge", vessel.agent_org_id))
    if vessel.officer_id is not None:
        wanted.append(vessel.officer_id)
    return wanted


def notify_vessels(session: Session, *, user: User | None, emergency: Emergency,
                   vessels: list[EmergencyVessel]) -> list[EmergencyVessel]:
    """Tell each listed vessel's people; the vessels told turn "notified". A vessel with nobody
    to tell (no agent, no officer yet) stays listed."""
    if user is not None:
        capabilities.require(user, "emergencies.act")
    told = []
    for vessel in vessels:
        if vessel.status != VesselStatus.LISTED:
            continue
        sent = notify(session, recipients=recipients(vessel), severity="urgent",
                      title=TITLE, body=BODY, exercise=emergency.exercise, times=("due",),
                      params=_params(emergency, vessel), translate=("vessel_class", "status"),
                      link=f"/emergencies/{emergency.id}",
                      record_kind=EmergencyVessel.record_kind, record_id=vessel.id, sender=user)
        if sent is None:
            continue
        vessel.notification_id = sent.id
        transition(session, emergency=emergency, vessel=vessel, action="notify",
                   actor=Actor.OFFICER if user is not None else Actor.SYSTEM,
                   actor_id=user.id if user else None, notification_id=sent.id)
        told.append(vessel)
    return told


def tell_late(session: Session, *, emergency: Emergency, vessel: EmergencyVessel,
              level: int) -> None:
    """Level 1: its officer and agent (Zhangzhou tells agents whose vessel has not reached its
    anchorage); level 2: also the supervisors who run the emergency."""
    wanted = recipients(vessel)
    if level >= 2 or vessel.officer_id is None:
        wanted.append(Holders("emergencies.manage", emergency.owner_org_id))
    notify(session, recipients=wanted, severity="urgent",
           title=LATE, body=LATE_BODY, exercise=emergency.exercise, times=("due",),
           params={**_params(emergency, vessel), "level": level},
           translate=("vessel_class", "status"), link=f"/emergencies/{emergency.id}",
           record_kind=EmergencyVessel.record_kind, record_id=vessel.id)
