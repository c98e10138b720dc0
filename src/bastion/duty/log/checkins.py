"""Online duty check-ins (线上值守): the person on duty in a role that ``checks_in`` confirms
presence every ``duty.checkin_interval_min`` from the start of the shift [LAND-BORDER.md
section 4: a sentry checks in every hour]. Due time k is ``start + k * interval`` (k >= 1,
up to the end of the shift); it is met by a check-in in ``[due - interval, due + grace]``, and
missed once ``due + grace`` has passed without one (watch.py raises the alarm).

A check-in is idempotent by the phone's ``client_id`` (an offline re-upload is the same
check-in) and counts at the phone's time, never later than it reached the server.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.duty.log import handover as handovers
from bastion.duty.log.models import CheckIn, MissedCheckIn
from bastion.duty.log.schemas import CheckInIn, CheckInOut, MissedOut
from bastion.duty.rosters import now as rosters_now
from bastion.duty.rosters.models import Assignment, DutyPerson, Roster
from bastion.org import capabilities
from bastion.org.models import User

FUTURE_SLACK = timedelta(minutes=5)
OLDEST = timedelta(hours=24)  # an offline phone's check-in older than this is refused


def when(row: CheckIn) -> datetime:
    """The moment a check-in counts for: the phone's time, not after the server got it."""
    return min(row.device_at, row.at) if row.device_at else row.at


def checkin(session: Session, *, user: User, data: CheckInIn, now: datetime | None = None,
            ) -> tuple[CheckIn, bool]:
    capabilities.require(user, "duty.checkin")
    now = now or utcnow()
    client_id = str(data.client_id)
    stored = session.scalar(select(CheckIn).where(CheckIn.client_id == client_id))
    if stored is not None:
        if stored.user_id != user.id:
            raise Conflict(_("This client id belongs to another check-in."), field="client_id")
        return stored, False
    if data.device_at > now + FUTURE_SLACK:
        raise Invalid(_("This time is in the future."), field="device_at")
    if data.device_at < now - OLDEST:
        raise Invalid(_("This check-in is too old to count."), field="device_at")
    if (data.lon is None) != (data.lat is None):
        raise Invalid(_("Give both longitude and latitude, or neither."),
                      field="lat" if data.lon is not None else "lon")
    mine = rosters_now.of_user(session, user_id=user.id, at=min(data.device_at, now))
    row = CheckIn(client_id=client_id, user_id=user.id,
                  assignment_id=mine[0].id if mine else None, device_at=data.device_at,
                  at=now, lon=data.lon, lat=data.lat)
    session.add(row)
    session.flush()
    return row, True


def public(row: CheckIn) -> CheckInOut:
    return CheckInOut(id=row.id, client_id=row.client_id, user_id=row.user_id,
                      assignment_id=row.assignment_id, device_at=row.device_at, at=row.at,
                      lon=row.lon, lat=row.lat)


def due_times(assignment: Assignment, interval: timedelta) -> list[datetime]:
    times, k = [], 1
    while assignment.starts_at + k * interval <= assignment.ends_at:
        times.append(assignment.starts_at + k * interval)
        k += 1
    return times


def checkins_of(session: Session, *, user_id: int, start: datetime, end: datetime,
                ) -> list[datetime]:
    rows = session.scalars(select(CheckIn).where(
        CheckIn.user_id == user_id, CheckIn.at >= start - FUTURE_SLACK,
        CheckIn.at <= end + OLDEST))
    return sorted(t for t in (when(r) for r in rows) if start <= t <= end)


def met(due: datetime, times: list[datetime], interval: timedelta, grace: timedelta) -> bool:
    return any(due - interval <= t <= due + grace for t in times)


def released_at(session: Session, assignment: Assignment, user_id: int) -> datetime | None:
    """When a confirmed handover released the person from this duty (no check-ins after)."""
    return handovers.released_since(session, user_id=user_id, start=assignment.starts_at,
                                    end=assignment.ends_at)


def status(session: Session, *, user: User, settings: Any, now: datetime | None = None,
           ) -> dict[str, Any]:
    """Am I on duty now, in which role, my last check-in and when the next is due."""
    capabilities.require(user, "duty.checkin")
    now = now or utcnow()
    interval = timedelta(minutes=settings.duty.checkin_interval_min)
    grace = timedelta(minutes=settings.duty.checkin_grace_min)
    last = session.scalar(select(CheckIn).where(CheckIn.user_id == user.id)
                          .order_by(CheckIn.at.desc(), CheckIn.id.desc()).limit(1))
    answer: dict[str, Any] = {
        "on_duty": False, "assignment_id": None, "role_code": None, "role_name": None,
        "checks_in": False, "shift_starts_at": None, "shift_ends_at": None,
        "last_checkin_at": when(last) if last else None, "next_due_at": None,
        "released": False, "interval_min": settings.duty.checkin_interval_min,
        "grace_min": settings.duty.checkin_grace_min}
    mine = rosters_now.of_user(session, user_id=user.id, at=now)
    if not mine:
        return answer
    assignment = mine[0]
    role = rosters_now.role_of(session, assignment)
    released = released_at(session, assignment, user.id)
    answer.update(on_duty=True, assignment_id=assignment.id, role_code=assignment.role_code,
                  role_name=(role.name_zh, role.name_en) if role else None,
                  checks_in=bool(role and role.checks_in), shift_starts_at=assignment.starts_at,
                  shift_ends_at=assignment.ends_at, released=released is not None)
    if answer["checks_in"] and released is None:
        times = checkins_of(session, user_id=user.id, start=assignment.starts_at, end=now)
        for due in due_times(assignment, interval):
            if due + grace >= now and not met(due, times, interval, grace):
                answer["next_due_at"] = due
                break
    return answer


# --- missed check-ins, for the duty leader ------------------------------------------------

def missed_query(session: Session, user: User) -> Select[tuple[MissedCheckIn]]:
    """Missed check-ins the user is told of: as the leader named on it, or as a planner of
    the roster's organisation."""
    if not (capabilities.can(user, "duty.checkin") or capabilities.can(user, "duty.log.read")):
        raise Forbidden(_("Your role does not allow this."))
    seen = [MissedCheckIn.leader_user_id == user.id]
    if capabilities.can(user, "duty.roster.plan"):
        seen.append(Roster.owner_org_id == user.organisation_id)
    return (select(MissedCheckIn)
            .join(Assignment, Assignment.id == MissedCheckIn.assignment_id)
            .join(Roster, Roster.id == Assignment.roster_id)
            .where(or_(*seen))
            .order_by(MissedCheckIn.acknowledged_at.is_not(None), MissedCheckIn.due_at.desc(),
                      MissedCheckIn.id.desc()))


def missed_public(session: Session, row: MissedCheckIn) -> MissedOut:
    assignment = session.get(Assignment, row.assignment_id)
    person = session.get(DutyPerson, assignment.person_id) if assignment else None
    return MissedOut(id=row.id, assignment_id=row.assignment_id,
                     person_name=person.name if person else "",
                     unit_id=assignment.unit_id if assignment else 0, due_at=row.due_at,
                     raised_at=row.raised_at, leader_user_id=row.leader_user_id,
                     acknowledged_at=row.acknowledged_at,
                     acknowledged_by_id=row.acknowledged_by_id, note=row.note)


def acknowledge(session: Session, *, user: User, missed_id: int, note: str = "",
                now: datetime | None = None) -> MissedCheckIn:
    row = session.scalar(missed_query(session, user).where(MissedCheckIn.id == missed_id))
    if row is None:
        raise NotFound(_("No such missed check-in."))
    if not (row.leader_user_id == user.id or capabilities.can(user, "duty.roster.plan")):
        raise Forbidden(_("Only the duty leader or a planner acknowledges a missed check-in."))
    if row.acknowledged_at is not None:
        raise Conflict(_("Already acknowledged."))
    row.acknowledged_at, row.acknowledged_by_id = now or utcnow(), user.id
    row.note = note.strip()
    session.flush()
    return row
