"""Who is on duty now: the assignments of PUBLISHED rosters whose shift covers an instant.

Drafts and solved-but-unpublished plans never count: a missed check-in or an unconfirmed
handover alarms the people the published roster names, nobody else. The duty leader of an
assignment is whoever holds a role marked ``leads`` on the same roster, unit and an
overlapping shift.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from bastion.duty.rosters.models import Assignment, DutyPerson, DutyRole, Roster, RosterStatus


def _published():
    return select(Assignment).join(Roster, Roster.id == Assignment.roster_id).where(
        Roster.status == RosterStatus.PUBLISHED)


def on_duty(session: Session, *, at: datetime, unit_id: int | None = None) -> list[Assignment]:
    """Assignments of published rosters whose shift runs at ``at`` (start included, end not)."""
    query = _published().where(Assignment.starts_at <= at, Assignment.ends_at > at)
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return list(session.scalars(query.order_by(Assignment.starts_at, Assignment.id)))


def of_user(session: Session, *, user_id: int, at: datetime) -> list[Assignment]:
    """The user's own assignments running at ``at`` (through their duty person)."""
    query = _published().join(DutyPerson, DutyPerson.id == Assignment.person_id).where(
        DutyPerson.user_id == user_id, Assignment.starts_at <= at, Assignment.ends_at > at)
    return list(session.scalars(query.order_by(Assignment.starts_at, Assignment.id)))


def latest_of_user(session: Session, *, user_id: int, at: datetime) -> Assignment | None:
    """The user's published duty that started last at or before ``at`` (running or ended),
    else their first one after it: the shift an outgoing officer hands over."""
    mine = _published().join(DutyPerson, DutyPerson.id == Assignment.person_id).where(
        DutyPerson.user_id == user_id)
    return session.scalar(mine.where(Assignment.starts_at <= at).order_by(
        Assignment.starts_at.desc(), Assignment.id.desc()).limit(1)) or session.scalar(
        mine.where(Assignment.starts_at > at).order_by(Assignment.starts_at,
                                                       Assignment.id).limit(1))


def duty_of_user(session: Session, *, user_id: int, day: date, shift_code: str
                 ) -> Assignment | None:
    """The user's published duty on ``day`` in ``shift_code``, if any."""
    return session.scalar(_published().join(DutyPerson, DutyPerson.id == Assignment.person_id)
                          .where(DutyPerson.user_id == user_id, Assignment.day == day,
                                 Assignment.shift_code == shift_code)
                          .order_by(Assignment.id).limit(1))


def role_of(session: Session, assignment: Assignment) -> DutyRole | None:
    """The duty role the assignment stands in (a role of the roster's organisation)."""
    return session.scalar(select(DutyRole).join(Roster, Roster.owner_org_id == DutyRole.org_id)
                          .where(Roster.id == assignment.roster_id,
                                 DutyRole.code == assignment.role_code))


def leads(session: Session, assignment: Assignment) -> bool:
    role = role_of(session, assignment)
    return bool(role and role.leads)


def leader_on(session: Session, *, assignment: Assignment) -> DutyPerson | None:
    """A person whose assignment on the same roster and unit overlaps this one in a role that
    ``leads``; one with a login first (they can be told), then the earliest shift."""
    roster = session.get(Roster, assignment.roster_id)
    if roster is None or roster.status != RosterStatus.PUBLISHED:
        return None
    leading = select(DutyRole.code).where(DutyRole.org_id == roster.owner_org_id,
                                          DutyRole.leads)
    rows = session.scalars(
        select(DutyPerson).join(Assignment, Assignment.person_id == DutyPerson.id).where(
            Assignment.roster_id == assignment.roster_id,
            Assignment.unit_id == assignment.unit_id,
            Assignment.id != assignment.id,
            Assignment.person_id != assignment.person_id,
            Assignment.role_code.in_(leading),
            and_(Assignment.starts_at < assignment.ends_at,
                 Assignment.ends_at > assignment.starts_at))
        .order_by(DutyPerson.user_id.is_(None), Assignment.starts_at, DutyPerson.id)).all()
    return rows[0] if rows else None


def leaders_now(session: Session, *, at: datetime, unit_id: int) -> list[DutyPerson]:
    """The duty leaders on at ``at`` for a unit (people in a leading role)."""
    people: dict[int, DutyPerson] = {}
    for assignment in on_duty(session, at=at, unit_id=unit_id):
        if leads(session, assignment):
            person = session.get(DutyPerson, assignment.person_id)
            if person is not None:
                people.setdefault(person.id, person)
    return list(people.values())
