"""Need-to-know for the emergency board, in one place.

- The station (border inspection and its teams) and the maritime safety administration run
  emergencies (``emergencies.read`` and up); the land-border command may read them. They see
  every emergency and every vessel row: an evacuation is a joint effort of the port's
  agencies, and the command is told what the port does.
- A shipping agent (``emergencies.acknowledge``) sees only the emergencies that concern one of
  its vessels, and only those vessels' rows.
- Anyone else sees nothing: every lookup is a 404.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, false, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.emergencies.models import Emergency, EmergencyVessel
from bastion.org import capabilities
from bastion.org.models import User


def reads_all(user: User) -> bool:
    return capabilities.can(user, "emergencies.read")


def is_agent(user: User) -> bool:
    return not reads_all(user) and capabilities.can(user, "emergencies.acknowledge")


def vessel_filter(user: User) -> ColumnElement[bool]:
    if reads_all(user):
        return true()
    if is_agent(user):
        return EmergencyVessel.agent_org_id == user.organisation_id
    return false()


def emergency_filter(user: User) -> ColumnElement[bool]:
    if reads_all(user):
        return true()
    if is_agent(user):
        return exists(select(EmergencyVessel.id).where(
            EmergencyVessel.emergency_id == Emergency.id,
            EmergencyVessel.agent_org_id == user.organisation_id))
    return false()


def emergencies_query(user: User) -> Select[Any]:
    return select(Emergency).where(emergency_filter(user))


def vessels_query(user: User, emergency: Emergency | None = None) -> Select[Any]:
    query = select(EmergencyVessel).where(vessel_filter(user))
    if emergency is not None:
        query = query.where(EmergencyVessel.emergency_id == emergency.id)
    return query


def find_emergency(session: Session, *, user: User, emergency_id: int) -> Emergency:
    found = session.scalar(emergencies_query(user).where(Emergency.id == emergency_id))
    if found is None:
        raise NotFound(_("No such emergency."))
    return found


def find_vessel(session: Session, *, user: User, emergency: Emergency,
                vessel_id: int) -> EmergencyVessel:
    found = session.scalar(vessels_query(user, emergency).where(EmergencyVessel.id == vessel_id))
    if found is None:
        raise NotFound(_("No such vessel in this emergency."))
    return found


def _may_see_emergency(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(emergencies_query(user).where(Emergency.id == record_id)
                          .with_only_columns(Emergency.id)) is not None


def _may_see_vessel(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(vessels_query(user).where(EmergencyVessel.id == record_id)
                          .with_only_columns(EmergencyVessel.id)) is not None


events.register_visibility(Emergency.record_kind, _may_see_emergency)
events.register_visibility(EmergencyVessel.record_kind, _may_see_vessel)
