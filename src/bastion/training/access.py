"""Need-to-know for training, drills and meetings.

An event is a marked record of the organisation whose unit holds it (GREEN: any role reads
it), shared by name with the other organisations taking part. Within the organisation a post
sees its own unit's events and those it takes part in; the top unit (the command, the port
station) sees all of its units'. Another organisation sees only the events it takes part in
(named in the marking). Village committees and shipping agents hold no training capability.
Recording needs ``training.record`` and the event's own unit (or the organisation's top unit).

Invisible is 404, never 403.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.attachments import service as attachments
from bastion.core import events
from bastion.core.errors import Forbidden, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.org import capabilities
from bastion.org.models import User
from bastion.training.models import EventAgency, TrainingEvent


def takes_part(user: User) -> ColumnElement[bool]:
    return exists(select(EventAgency.id).where(EventAgency.event_id == TrainingEvent.id,
                                               EventAgency.agency_id.in_(
                                                   {user.agency_id, user.organisation_id})))


def in_unit(user: User) -> ColumnElement[bool]:
    if user.agency_id == user.organisation_id:
        return true()
    return or_(TrainingEvent.owner_org_id != user.organisation_id,
               TrainingEvent.unit_id == user.agency_id, takes_part(user))


def events_query(user: User) -> Select[tuple[TrainingEvent]]:
    return select(TrainingEvent).where(
        or_(TrainingEvent.created_by_id == user.id,
            visible_to(TrainingEvent, user) & in_unit(user)))


def find_event(session: Session, *, user: User, event_id: int) -> TrainingEvent:
    capabilities.require(user, "training.read")
    event = session.scalar(events_query(user).where(TrainingEvent.id == event_id))
    if event is None:
        raise NotFound(_("No such event."))
    return event


def records(user: User, event: TrainingEvent) -> bool:
    """May this user record on this event (attendance, outcomes, follow-ups, injects)?"""
    return (capabilities.can(user, "training.record")
            and event.owner_org_id == user.organisation_id
            and (user.agency_id == user.organisation_id or event.unit_id == user.agency_id))


def require_records(user: User, event: TrainingEvent) -> None:
    capabilities.require(user, "training.record")
    if not records(user, event):
        raise Forbidden(_("Only the unit that holds the event records on it."))


def _check(session: Session, user: User, record_id: int) -> bool:
    return capabilities.can(user, "training.read") and session.scalar(
        events_query(user).where(TrainingEvent.id == record_id)
        .with_only_columns(TrainingEvent.id)) is not None


def _may_attach(session: Session, user: User, record_id: int) -> None:
    require_records(user, find_event(session, user=user, event_id=record_id))


events.register_visibility(TrainingEvent.record_kind, _check)


attachments.register_owner(TrainingEvent.record_kind, _may_attach)
