"""The duty watch: a job (``duty-watch`` in the manifest, every ``duty.watch_every_s``) that
raises missed check-ins, escalates duty-log steps past their deadline and handovers not
confirmed in time. Each alarm is raised once: a missed check-in is one row per assignment and
due time; a step or handover keeps the level it reached (``escalated_level``) and is told again
only when it climbs the ladder (``core.deadlines``).

Who is told: level 1 the duty leader on now (a person in a role that ``leads`` on the same
roster, unit and shift, ``rosters/now.py``), or when none has a login, the unit's planners;
level 2 the organisation's planners (``Holders("duty.roster.plan", organisation)``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import deadlines, events
from bastion.core.db import transaction, utcnow
from bastion.core.i18n import lazy
from bastion.duty.log import checkins
from bastion.duty.log import service as log
from bastion.duty.log.models import Handover, LogEntry, LogStep, MissedCheckIn
from bastion.duty.rosters import now as rosters_now
from bastion.duty.rosters.models import Assignment, DutyPerson, DutyRole, Roster, RosterStatus
from bastion.notifications import service as notifications
from bastion.notifications.models import Severity
from bastion.org.models import Agency, User

MISSED = lazy("Missed check-in: {name}")
MISSED_BODY = lazy("{name} ({unit}) did not check in by {due}.")
STEP_LATE = lazy("Duty-log entry #{id} is overdue")
STEP_LATE_BODY = lazy("The next step was due at {due} (level {level}).")
HANDOVER_LATE = lazy("Handover #{id} not confirmed")
HANDOVER_LATE_BODY = lazy("The incoming officer has not confirmed by {due} (level {level}).")
# Level 2 of a duty-log step: late by more than this after its deadline (the step's own
# deadline is 30-60 min: a further hour means the leader's level did not act either).
STEP_LEVEL2_AFTER = timedelta(minutes=60)
LOOKBACK = timedelta(hours=24)  # due times older than this are not raised after a long outage


def check(sessions: Any, settings: Any) -> int:
    """One round in its own transaction: the number of alarms raised."""
    with transaction(sessions) as session:
        return run(session, settings=settings)


def run(session: Session, *, settings: Any, now: datetime | None = None) -> int:
    now = now or utcnow()
    return (missed_checkins(session, settings=settings, now=now)
            + overdue_steps(session, now=now)
            + unconfirmed_handovers(session, settings=settings, now=now))


def _level1(session: Session, *, unit_id: int, now: datetime,
            leader: DutyPerson | None = None) -> list[Any]:
    people = [leader] if leader is not None else rosters_now.leaders_now(
        session, at=now, unit_id=unit_id)
    users = [p.user_id for p in people if p.user_id is not None]
    return users or [notifications.Holders("duty.roster.plan", unit_id)]


def _org_of(session: Session, unit_id: int) -> int:
    unit = session.get(Agency, unit_id)
    return unit.organisation_id if unit else unit_id


# --- missed check-ins ---------------------------------------------------------------------

def missed_checkins(session: Session, *, settings: Any, now: datetime) -> int:
    interval = timedelta(minutes=settings.duty.checkin_interval_min)
    grace = timedelta(minutes=settings.duty.checkin_grace_min)
    # Running shifts, and those ended so recently that their last due time may be missed now.
    query = deadlines.claim(
        select(Assignment).join(Roster, Roster.id == Assignment.roster_id)
        .join(DutyRole, (DutyRole.org_id == Roster.owner_org_id)
              & (DutyRole.code == Assignment.role_code))
        .join(DutyPerson, DutyPerson.id == Assignment.person_id)
        .where(Roster.status == RosterStatus.PUBLISHED, DutyRole.checks_in,
               DutyPerson.user_id.is_not(None), Assignment.starts_at <= now,
               Assignment.ends_at >= now - grace - interval)
        .order_by(Assignment.id))
    raised = 0
    for assignment in session.scalars(query).unique().all():
        person = session.get(DutyPerson, assignment.person_id)
        assert person is not None and person.user_id is not None
        released = checkins.released_at(session, assignment, person.user_id)
        due_list = [d for d in checkins.due_times(assignment, interval)
                    if d + grace < now and d >= now - LOOKBACK
                    and (released is None or d <= released)]
        if not due_list:
            continue
        times = checkins.checkins_of(session, user_id=person.user_id,
                                     start=assignment.starts_at, end=now)
        done = set(session.scalars(select(MissedCheckIn.due_at).where(
            MissedCheckIn.assignment_id == assignment.id)))
        for due in due_list:
            if due in done or checkins.met(due, times, interval, grace):
                continue
            _raise_missed(session, assignment, person, due, now)
            raised += 1
    return raised


def _raise_missed(session: Session, assignment: Assignment, person: DutyPerson,
                  due: datetime, now: datetime) -> None:
    leader = rosters_now.leader_on(session, assignment=assignment)
    leader_user = leader.user_id if leader is not None else None
    row = MissedCheckIn(assignment_id=assignment.id, due_at=due, raised_at=now,
                        leader_user_id=leader_user)
    session.add(row)
    session.flush()
    roster = session.get(Roster, assignment.roster_id)
    unit = session.get(Agency, assignment.unit_id)
    recipients: list[Any] = [leader_user] if leader_user else [
        notifications.Holders("duty.roster.plan", roster.owner_org_id if roster else
                              assignment.unit_id)]
    notifications.notify(
        session, recipients=recipients, title=MISSED, body=MISSED_BODY,
        link="/duty/checkin/missed", severity=Severity.WARNING,
        params={"name": person.name, "unit": unit.name if unit else "",
                "due": due}, times=("due",))
    # The event log keeps it (the leader's page refreshes on the notification it was sent).
    events.emit(session, kind="duty.checkin_missed", record_kind=None, record_id=None,
                payload={"missed_id": row.id, "assignment_id": assignment.id,
                         "due_at": due.isoformat(), "leader_user_id": leader_user})


# --- overdue duty-log steps ---------------------------------------------------------------

def overdue_steps(session: Session, *, now: datetime) -> int:
    ladder = deadlines.Ladder((timedelta(0), STEP_LEVEL2_AFTER))
    query = deadlines.claim(
        select(LogStep).join(LogEntry, LogEntry.id == LogStep.entry_id).where(
            LogStep.id == log.latest_step_id(), LogStep.stage != "closed",
            LogStep.next_due_at.is_not(None), LogStep.next_due_at < now,
            LogStep.escalated_level < len(ladder.after), ~log.corrected())
        .order_by(LogStep.id))
    raised = 0
    for step in session.scalars(query).all():
        level = ladder.level(now - step.next_due_at)
        if level <= step.escalated_level:
            continue
        step.escalated_level = level
        entry = session.get(LogEntry, step.entry_id)
        assert entry is not None
        recipients = (_level1(session, unit_id=entry.unit_id, now=now) if level == 1 else
                      [notifications.Holders("duty.roster.plan", entry.owner_org_id)])
        notifications.notify(
            session, recipients=recipients, title=STEP_LATE, body=STEP_LATE_BODY,
            link=f"/duty/log/{entry.id}", severity=Severity.WARNING,
            record_kind=LogEntry.record_kind, record_id=entry.id,
            params={"id": entry.id, "due": step.next_due_at, "level": level}, times=("due",))
        events.emit(session, kind="duty.log.overdue", record_kind=LogEntry.record_kind,
                    record_id=entry.id, payload={"level": level, "unit_id": entry.unit_id})
        raised += 1
    return raised


# --- unconfirmed handovers ----------------------------------------------------------------

def handover_ladder(confirm_min: float) -> deadlines.Ladder:
    """Level 1 once the handover is due; level 2 once late by as long again."""
    return deadlines.Ladder((timedelta(0), timedelta(minutes=confirm_min)))


def unconfirmed_handovers(session: Session, *, settings: Any, now: datetime) -> int:
    ladder = handover_ladder(settings.duty.handover_confirm_min)
    query = deadlines.claim(select(Handover).where(
        Handover.confirmed_at.is_(None), Handover.due_at < now,
        Handover.escalated_level < len(ladder.after)).order_by(Handover.id))
    raised = 0
    for handover in session.scalars(query).all():
        named = {"confirm": handover.escalated_level}
        levels = deadlines.rises(deadlines.levels_at(
            [deadlines.Deadline("confirm", handover.due_at, False)], now, ladder), named)
        if not levels:
            continue
        level = levels["confirm"]
        handover.escalated_level = level
        incoming = session.get(User, handover.incoming_user_id)
        unit_id = incoming.agency_id if incoming else handover.unit_id
        recipients = (_level1(session, unit_id=handover.unit_id, now=now)
                      if level == 1 else [])
        if level == 1 and unit_id != handover.unit_id and not any(
                isinstance(r, int) for r in recipients):
            recipients.append(notifications.Holders("duty.roster.plan", unit_id))
        if level >= 2:
            recipients = [notifications.Holders("duty.roster.plan",
                                                _org_of(session, handover.unit_id))]
        notifications.notify(
            session, recipients=recipients, title=HANDOVER_LATE, body=HANDOVER_LATE_BODY,
            link=f"/duty/handovers/{handover.id}", severity=Severity.WARNING,
            record_kind=Handover.record_kind, record_id=handover.id,
            params={"id": handover.id, "due": handover.due_at, "level": level}, times=("due",))
        events.emit(session, kind="duty.handover.escalated", record_kind=Handover.record_kind,
                    record_id=handover.id, payload={"level": level})
        raised += 1
    return raised
