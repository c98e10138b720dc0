"""An agent's acknowledgement of the warning in the app turns its vessel "acknowledged".

``notifications.service.acknowledge`` emits ``notification.acknowledged`` (record: the
notification, actor: who acknowledged); this reaction runs in that transaction, so the vessel's
status and the acknowledgement commit together. Only someone of the vessel's agency counts: the
officer's own copy of the same notice is the officer's, not the ship's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import reactions
from bastion.emergencies.models import Emergency, EmergencyVessel, VesselStatus
from bastion.emergencies.service import is_open, transition
from bastion.emergencies.workflow import Actor
from bastion.org.models import User


def on_acknowledged(session: Session, *, event: Any, **_facts: Any) -> None:
    if event.record_kind != "notification" or event.actor_id is None:
        return
    vessels = session.scalars(select(EmergencyVessel).where(
        EmergencyVessel.notification_id == event.record_id,
        EmergencyVessel.status == VesselStatus.NOTIFIED)).all()
    if not vessels:
        return
    person = session.get(User, event.actor_id)
    if person is None:
        return
    for vessel in vessels:
        emergency = session.get(Emergency, vessel.emergency_id)
        if (emergency is None or not is_open(emergency)
                or vessel.agent_org_id != person.organisation_id):
            continue
        transition(session, emergency=emergency, vessel=vessel, action="acknowledge",
                   actor=Actor.SYSTEM, actor_id=person.id, via="notification",
                   notification_id=event.record_id)


reactions.on("notification.acknowledged", on_acknowledged)
