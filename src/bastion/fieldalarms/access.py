"""Need-to-know for field alarms, one place for every part of the domain.

- A **device** is a marked record of the command that registers it (GREEN, named to the
  partners that patrol the border with it: border police, army). The command sees all its
  devices; a post of the command sees those it is responsible for; a partner named in the
  marking sees them; nobody else does. Village committees and shipping agents never hold a
  capability of this domain.
- An **alarm** is seen by whoever may see its device and holds ``fieldalarms.read``.
- A device's key only ever sends: it is not a login and reads nothing.

Invisible is 404, never 403.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.fieldalarms.models import AlarmDevice, FieldAlarm
from bastion.org import capabilities
from bastion.org.models import User


def in_unit(user: User) -> ColumnElement[bool]:
    """A post sees the devices it is responsible for; the organisation's top unit (the
    command) sees all of its own; another organisation is not narrowed here (its marking
    decides)."""
    if user.agency_id == user.organisation_id:
        return true()
    return or_(AlarmDevice.owner_org_id != user.organisation_id,
               AlarmDevice.post_agency_id == user.agency_id)


def devices_query(user: User) -> Select[tuple[AlarmDevice]]:
    if not capabilities.can(user, "fieldalarms.read"):
        return select(AlarmDevice).where(AlarmDevice.id.is_(None))
    return select(AlarmDevice).where(and_(visible_to(AlarmDevice, user), in_unit(user)))


def alarms_query(user: User) -> Select[tuple[FieldAlarm]]:
    seen = devices_query(user).with_only_columns(AlarmDevice.id).order_by(None)
    return select(FieldAlarm).where(FieldAlarm.device_id.in_(seen))


def find_device(session: Session, *, user: User, device_id: int) -> AlarmDevice:
    device = session.scalar(devices_query(user).where(AlarmDevice.id == device_id))
    if device is None:
        raise NotFound(_("No such alarm device."))
    return device


def find_alarm(session: Session, *, user: User, alarm_id: int) -> FieldAlarm:
    alarm = session.scalar(alarms_query(user).where(FieldAlarm.id == alarm_id))
    if alarm is None:
        raise NotFound(_("No such field alarm."))
    return alarm


def may_act(user: User, device: AlarmDevice) -> bool:
    """Acknowledge and close alarms: a holder of ``fieldalarms.act`` of the command that owns
    the device or of its responsible post (a partner reads only)."""
    return capabilities.can(user, "fieldalarms.act") and (
        user.agency_id == device.owner_org_id or user.agency_id == device.post_agency_id)


# --- the live stream forwards an event only to those who may open its record ---------------

def _alarm_seen(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(alarms_query(user).where(FieldAlarm.id == record_id)
                          .with_only_columns(FieldAlarm.id)) is not None


def _device_seen(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(devices_query(user).where(AlarmDevice.id == record_id)
                          .with_only_columns(AlarmDevice.id)) is not None


events.register_visibility(FieldAlarm.record_kind, _alarm_seen)
events.register_visibility(AlarmDevice.record_kind, _device_seen)
