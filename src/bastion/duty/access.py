"""Need-to-know for 24-hour duty, one place for every room of the domain.

- **Rosters** are marked records of the organisation that makes them (GREEN, its own
  organisation by default; partner agencies on a joint rotation are named). Planners
  (``duty.roster.plan``) of the owning organisation see drafts; everyone else sees a roster
  only once published, and a person on it sees it whatever its marking.
- **The duty log, handovers and hotline calls** are marked records narrowed to the unit: a post
  sees its own, the organisation's top unit (the command, the station) sees all its units';
  a partner named in the distribution sees what was shared with it. The recorder, and the two
  officers of a handover, always see their own.

Invisible is 404 (``find_*``), never 403.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.duty.hotline.models import HotlineCall
from bastion.duty.log.models import Handover, LogEntry
from bastion.duty.rosters.models import Assignment, DutyPerson, Roster, RosterStatus
from bastion.org import capabilities
from bastion.org.models import User


def plans(user: User, roster: Roster) -> bool:
    """May this user set up, solve, pin, publish this roster and decide its swaps?"""
    return (capabilities.can(user, "duty.roster.plan")
            and roster.owner_org_id == user.organisation_id)


def stands_on(user: User) -> ColumnElement[bool]:
    """Rosters on which the user has a duty."""
    return exists(select(Assignment.id).join(DutyPerson, DutyPerson.id == Assignment.person_id)
                  .where(Assignment.roster_id == Roster.id, DutyPerson.user_id == user.id))


def rosters_query(user: User) -> Select[tuple[Roster]]:
    published = Roster.status == RosterStatus.PUBLISHED
    seen = [and_(published, or_(visible_to(Roster, user), stands_on(user)))]
    if capabilities.can(user, "duty.roster.plan"):
        seen.append(Roster.owner_org_id == user.organisation_id)
    return select(Roster).where(or_(*seen))


def find_roster(session: Session, *, user: User, roster_id: int) -> Roster:
    roster = session.scalar(rosters_query(user).where(Roster.id == roster_id))
    if roster is None:
        raise NotFound(_("No such roster."))
    return roster


def in_unit(model: Any, user: User) -> ColumnElement[bool]:
    """A post sees its own unit's records; the organisation's top unit sees all of them;
    another organisation (a named partner) is not narrowed here (its marking decides)."""
    if user.agency_id == user.organisation_id:
        return true()
    return or_(model.owner_org_id != user.organisation_id, model.unit_id == user.agency_id)


def log_query(user: User) -> Select[tuple[LogEntry]]:
    return select(LogEntry).where(or_(LogEntry.recorded_by_id == user.id,
                                      and_(visible_to(LogEntry, user), in_unit(LogEntry, user))))


def handovers_query(user: User) -> Select[tuple[Handover]]:
    mine = or_(Handover.outgoing_user_id == user.id, Handover.incoming_user_id == user.id)
    return select(Handover).where(or_(mine, and_(visible_to(Handover, user),
                                                 in_unit(Handover, user))))


def hotline_query(user: User) -> Select[tuple[HotlineCall]]:
    return select(HotlineCall).where(or_(
        HotlineCall.taken_by_id == user.id, HotlineCall.assignee_id == user.id,
        and_(visible_to(HotlineCall, user), in_unit(HotlineCall, user))))


def _find(query: Select[Any], model: Any, message: str, record_id: int, session: Session):
    record = session.scalar(query.where(model.id == record_id))
    if record is None:
        raise NotFound(message)
    return record


def find_log_entry(session: Session, *, user: User, entry_id: int) -> LogEntry:
    return _find(log_query(user), LogEntry, _("No such duty-log entry."), entry_id, session)


def find_handover(session: Session, *, user: User, handover_id: int) -> Handover:
    return _find(handovers_query(user), Handover, _("No such handover."), handover_id, session)


def find_call(session: Session, *, user: User, call_id: int) -> HotlineCall:
    return _find(hotline_query(user), HotlineCall, _("No such hotline call."), call_id, session)


# --- the live stream forwards an event only to those who may open its record ---------------

def _check(query_of: Any, model: Any, capability: str):
    def check(session: Session, user: User, record_id: int) -> bool:
        return capabilities.can(user, capability) and session.scalar(
            query_of(user).where(model.id == record_id).with_only_columns(model.id)) is not None
    return check


events.register_visibility(Roster.record_kind, _check(rosters_query, Roster, "duty.roster.read"))
events.register_visibility(LogEntry.record_kind, _check(log_query, LogEntry, "duty.log.read"))
events.register_visibility(Handover.record_kind,
                           _check(handovers_query, Handover, "duty.log.read"))
events.register_visibility(HotlineCall.record_kind,
                           _check(hotline_query, HotlineCall, "duty.hotline.read"))
