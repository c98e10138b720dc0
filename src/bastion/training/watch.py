"""Follow-up items' clock: an item not done by its due time escalates (``core.deadlines``),
once per level (``FollowUp.escalated_level``):

- level 1, as soon as it is overdue: its owner and the recorders of the unit holding the event;
- level 2, once overdue by ``ESCALATE_AFTER``: also the organisation's top unit (the command,
  the station).

Only people who may open the event are told; a follow-up of a drill run in exercise mode is
told with the exercise mark. Run as the ``training-follow-ups`` job every five minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import deadlines as core_deadlines
from bastion.core import events
from bastion.core.db import transaction, utcnow
from bastion.core.i18n import lazy
from bastion.notifications.service import Holders, notify, resolve
from bastion.org import capabilities
from bastion.org.models import User
from bastion.training import access
from bastion.training.models import FollowUp, TrainingEvent

ESCALATE_AFTER = timedelta(days=3)
LADDER = core_deadlines.Ladder((timedelta(0), ESCALATE_AFTER))
TITLE = lazy("Follow-up overdue: {text} (level {level})")
BODY = lazy("From \"{event}\", owner {owner}, due {due}.")


def level_at(item: FollowUp, now: datetime) -> int:
    due = core_deadlines.Deadline("done", item.due_at, item.done_at is not None)
    return max(core_deadlines.levels_at([due], now, LADDER).values(), default=0)


def _recipients(session: Session, event: TrainingEvent, item: FollowUp,
                level: int) -> list[User]:
    wanted: list[Any] = [Holders("training.record", event.unit_id)]
    if item.owner_id is not None:
        wanted.append(item.owner_id)
    if level >= 2:
        wanted.append(Holders("training.record", event.owner_org_id))
    people = resolve(session, wanted)
    if level < 2:  # Holders of the unit reach its sub-units only; not the top unit yet
        people = [p for p in people if p.id == item.owner_id or p.agency_id == event.unit_id]
    return [p for p in people if capabilities.can(p, "training.read") and session.scalar(
        access.events_query(p).where(TrainingEvent.id == event.id)
        .with_only_columns(TrainingEvent.id)) is not None]


def escalate(session: Session, *, now: datetime | None = None) -> list[FollowUp]:
    """One round: every open follow-up whose level rose since the last announcement."""
    now = now or utcnow()
    raised = []
    query = select(FollowUp).where(FollowUp.done_at.is_(None), FollowUp.due_at < now,
                                   FollowUp.escalated_level < 2)
    for item in session.scalars(core_deadlines.claim(query.order_by(FollowUp.id))):
        level = level_at(item, now)
        if level <= item.escalated_level:
            continue
        item.escalated_level = level
        event = session.get(TrainingEvent, item.event_id)
        people = _recipients(session, event, item, level)
        if people:
            notify(session, recipients=people, severity="warning",
                   title=TITLE, body=BODY, exercise=event.exercise_mode, times=("due",),
                   params={"text": item.text[:120], "level": level, "event": event.title,
                           "owner": item.owner_name,
                           "due": item.due_at},
                   link=f"/training/events/{event.id}",
                   record_kind=TrainingEvent.record_kind, record_id=event.id)
        events.emit(session, kind="training.follow_up_overdue",
                    record_kind=TrainingEvent.record_kind, record_id=event.id,
                    payload={"follow_up_id": item.id, "level": level, "told": len(people)})
        raised.append(item)
    session.flush()
    return raised


def check(sessions: Any, settings: Any) -> int:
    """The job: one round in its own transaction; the number of items escalated."""
    with transaction(sessions) as session:
        return len(escalate(session))
