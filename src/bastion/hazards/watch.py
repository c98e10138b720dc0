"""Overdue work orders escalate (``core.deadlines``), once per level (``escalated_level``):

- level 1, as soon as a work order is past its due date: the assigned post's workers
  (``hazards.work``);
- level 2, once overdue by ``hazards.escalate_after_days``: also the command
  (``hazards.command``).

Only people who may open the hazard are told; an exercise's notification is marked. Run as
the ``hazards-deadlines`` job every ``hazards.watch_every_s``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import deadlines, events
from bastion.core.config import get_settings
from bastion.core.db import transaction, utcnow
from bastion.core.i18n import lazy
from bastion.hazards import access, categories
from bastion.hazards.models import Hazard, HazardStatus, WorkOrder
from bastion.notifications.service import Holders, notify, resolve
from bastion.org.models import User

TITLE = lazy("Work order for hazard {id} overdue: {category} (level {level})")
BODY = lazy("Due {due}. {title}")


def ladder(after_days: float) -> deadlines.Ladder:
    return deadlines.Ladder((timedelta(0), timedelta(days=after_days)))


def level_at(order: WorkOrder, hazard: Hazard, now: datetime, after_days: float) -> int:
    done = deadlines.Deadline("repair", order.due_at, hazard.status != HazardStatus.ORDERED)
    return max(deadlines.levels_at([done], now, ladder(after_days)).values(), default=0)


def _recipients(session: Session, hazard: Hazard, order: WorkOrder, level: int) -> list[User]:
    wanted: list[Any] = [Holders("hazards.work", order.assignee_agency_id)]
    if level >= 2:
        wanted.append(Holders("hazards.command", hazard.owner_org_id))
    return [p for p in resolve(session, wanted)
            if session.scalar(access.hazards_query(p).where(Hazard.id == hazard.id)
                              .with_only_columns(Hazard.id)) is not None]


def escalate(session: Session, *, now: datetime | None = None,
             after_days: float | None = None) -> list[WorkOrder]:
    now = now or utcnow()
    if after_days is None:
        after_days = get_settings().hazards.escalate_after_days
    raised = []
    query = (select(WorkOrder).join(Hazard, Hazard.id == WorkOrder.hazard_id)
             .where(Hazard.status == HazardStatus.ORDERED, WorkOrder.due_at < now,
                    WorkOrder.escalated_level < 2).order_by(WorkOrder.id))
    for order in session.scalars(deadlines.claim(query)):
        hazard = session.get(Hazard, order.hazard_id)
        assert hazard is not None
        level = level_at(order, hazard, now, after_days)
        if level <= order.escalated_level:
            continue
        order.escalated_level = level
        people = _recipients(session, hazard, order, level)
        if people:
            notify(session, recipients=people, severity="urgent",
                   title=TITLE, body=BODY, exercise=hazard.exercise,
                   params={"id": hazard.id, "category": str(categories.NAMES.get(
                       hazard.category, hazard.category)), "level": level,
                       "due": order.due_on.isoformat(), "title": hazard.shown_title[:200]},
                   translate=("category",), link=f"/hazards/{hazard.id}",
                   record_kind=Hazard.record_kind, record_id=hazard.id)
        events.emit(session, kind="hazards.escalated", record_kind=Hazard.record_kind,
                    record_id=hazard.id, payload={"level": level, "told": len(people),
                                                  "work_order_id": order.id})
        raised.append(order)
    session.flush()
    return raised


def check(sessions: Any, settings: Any) -> int:
    """The job: one round in its own transaction; the number of work orders escalated."""
    with transaction(sessions) as session:
        return len(escalate(session, after_days=settings.hazards.escalate_after_days))
