"""Need-to-know for the emergency board, in one place.

- The station (border inspection and its teams) and the maritime safety administration run
  emergencies (``emergencies.read`` and up); the land-border command may read them. A holder
  of ``emergencies.read`` sees an emergency (and every one of its vessel rows) only when its
  organisation owns it or is a partner the emergency names (``EmergencyPartner``): an
  evacuation is a joint effort of the agencies it names, not of every station in the country.
  Writes look the emergency up through the same filter, so an outsider's write is a 404.
- A shipping agent (``emergencies.acknowledge``) sees only the emergencies that concern one of
  its vessels, and only those vessels' rows.
- Anyone else sees nothing: every lookup is a 404.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, false, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.emergencies.models import Emergency, EmergencyPartner, EmergencyVessel
from bastion.org import capabilities
from bastion.org.models import User


def reads_all(user: User) -> bool:
    return capabilities.can(user, "emergencies.read")


def is_agent(user: User) -> bool:
    return not reads_all(user) and capabilities.can(user, "emergencies.acknowledge")


def _concerns(user: User, emergency: Any = Emergency) -> ColumnElement[bool]:
    """The emergency (``emergency`` in the enclosing query) is the user's organisation's, or
    names the user's organisation or agency among its partners."""
    return or_(emergency.owner_org_id == user.organisation_id,
               exists(select(EmergencyPartner.id).where(
                   EmergencyPartner.emergency_id == emergency.id,
                   EmergencyPartner.agency_id.in_({user.organisation_id, user.agency_id}))))


def vessel_filter(user: User) -> ColumnElement[bool]:
    if reads_all(user):
        concerned = aliased(Emergency)
        return exists(select(concerned.id).where(
            concerned.id == EmergencyVessel.emergency_id, _concerns(user, concerned)))
    if is_agent(user):
        return EmergencyVessel.agent_org_id == user.organisation_id
    return false()


def emergency_filter(user: User) -> ColumnElement[bool]:
    if reads_all(user):
        return _concerns(user)
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


def check_emergency(session: Session, *, user: User, emergency: Emergency) -> Emergency:
    """A write's first step: the emergency handed in must be one the user may see (404)."""
    return find_emergency(session, user=user, emergency_id=emergency.id)


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
