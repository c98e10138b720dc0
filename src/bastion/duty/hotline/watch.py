"""The hotline's clock: open calls past their deadline escalate (``core.deadlines``), once
per level (``HotlineCall.escalated_level``):

- level 1, as soon as a call is overdue: its assignee and the hotline handlers of its unit;
- level 2, once overdue by the kind's ``escalate_after_hours`` (``duty/data/hotline.json``):
  also the organisation's duty planners (``duty.roster.plan``).

Only people who may open the call are told (its marking and unit decide). A call that jumped
both levels at once (the job was off) is announced once, at the higher level. Run as the
``hotline-deadlines`` job every ``duty.watch_every_s``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import deadlines as core_deadlines
from bastion.core import events
from bastion.core.db import transaction, utcnow
from bastion.core.i18n import lazy
from bastion.core.labels import LABELS
from bastion.duty import access
from bastion.duty.hotline import deadlines, service  # noqa: F401  (its words)
from bastion.duty.hotline.models import CallStatus, HotlineCall
from bastion.notifications.service import Holders, notify, resolve
from bastion.org.models import User

TITLE = lazy("Hotline call {id} overdue: {kind} (level {level})")
BODY = lazy("Received {received}, due {due}. {summary}")


def _recipients(session: Session, call: HotlineCall, level: int) -> list[User]:
    wanted: list[Any] = [Holders("duty.hotline.handle", call.unit_id)]
    if call.assignee_id is not None:
        wanted.append(call.assignee_id)
    if level >= 2:
        wanted.append(Holders("duty.roster.plan", call.owner_org_id))
    return [person for person in resolve(session, wanted)
            if session.scalar(access.hotline_query(person).where(HotlineCall.id == call.id)
                              .with_only_columns(HotlineCall.id)) is not None]


def escalate(session: Session, *, now: datetime | None = None) -> list[HotlineCall]:
    """One round: every open call whose level rose since the last announcement."""
    now = now or utcnow()
    raised = []
    query = select(HotlineCall).where(HotlineCall.status != CallStatus.CLOSED,
                                      HotlineCall.due_at < now, HotlineCall.escalated_level < 2)
    for call in session.scalars(core_deadlines.claim(query.order_by(HotlineCall.id))):
        level = deadlines.level_at(call, now)
        if level <= call.escalated_level:
            continue
        call.escalated_level = level
        people = _recipients(session, call, level)
        if people:
            notify(session, recipients=people, severity="urgent",
                   title=TITLE, body=BODY, exercise=call.exercise, times=("received", "due"),
                   params={"id": call.id, "kind": LABELS[type(call.kind)][call.kind.value],
                           "level": level, "received": call.received_at, "due": call.due_at,
                           "summary": call.summary[:200]},
                   translate=("kind",), link=f"/duty/hotline/{call.id}",
                   record_kind=HotlineCall.record_kind, record_id=call.id)
        events.emit(session, kind="hotline.escalated", record_kind=HotlineCall.record_kind,
                    record_id=call.id, payload={"level": level, "told": len(people),
                                                "due_at": call.due_at.isoformat()})
        raised.append(call)
    session.flush()
    return raised


def check(sessions: Any, settings: Any) -> int:
    """The job: one round in its own transaction; the number of calls escalated."""
    with transaction(sessions) as session:
        return len(escalate(session))
