"""The cases' clock: open tasks past their deadline escalate (``core.deadlines``), once per
level (``CaseTask.escalated_level``):

- level 1, as soon as a task is overdue: its owner;
- level 2, once overdue by more than a day: also the supervisors of the case's unit (holders
  of ``cases.stats``).

Only people who may read the case are told. Drill cases say so (``[EXERCISE]``). Run as the
``case-task-deadlines`` job.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.cases import service
from bastion.cases.models import Case, CaseStatus, CaseTask
from bastion.core import deadlines
from bastion.core.db import transaction, utcnow
from bastion.core.i18n import lazy
from bastion.notifications.service import Holders, notify, resolve

LADDER = deadlines.Ladder(after=(timedelta(0), timedelta(days=1)))
TITLE = lazy("Case task overdue (level {level}): {task}")
BODY = lazy("Case {id} {case}: due {due}.")


def escalate(session: Session, *, now: datetime | None = None) -> list[CaseTask]:
    now = now or utcnow()
    raised = []
    query = (select(CaseTask).join(Case, Case.id == CaseTask.case_id)
             .where(CaseTask.done_at.is_(None), CaseTask.due_at < now,
                    CaseTask.escalated_level < len(LADDER.after),
                    Case.status == CaseStatus.OPEN).order_by(CaseTask.id))
    for task in session.scalars(deadlines.claim(query)):
        levels = deadlines.levels_at([deadlines.Deadline("task", task.due_at, False)], now,
                                     LADDER)
        level = deadlines.rises(levels, {"task": task.escalated_level}).get("task")
        if not level:
            continue
        task.escalated_level = level
        case = session.get(Case, task.case_id)
        wanted: list[Any] = [task.owner_id]
        if level >= 2:
            wanted.append(Holders("cases.stats", case.unit_id))
        people = [p for p in resolve(session, wanted) if service.may_read(session, p, case)]
        if people:
            notify(session, recipients=people, severity="urgent", title=TITLE, body=BODY,
                   exercise=case.exercise, times=("due",),
                   params={"level": level, "task": task.title, "id": case.id,
                           "case": case.title[:200], "due": task.due_at},
                   link=f"/cases/{case.id}", record_kind=Case.record_kind, record_id=case.id)
        service.add_event(session, case, "escalated", None,
                          f"{task.title} (level {level})", at=now)
        service.emit(session, None, case, "escalated", task_id=task.id, level=level)
        raised.append(task)
    session.flush()
    return raised


def check(sessions: Any, settings: Any) -> int:
    """The job: one round in its own transaction; the number of tasks escalated."""
    with transaction(sessions) as session:
        return len(escalate(session))
