"""Overdue case tasks escalate once per level: the owner at once, the unit's supervisors
(``cases.stats``) a day late; only people who may read the case are told; a drill says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bastion.cases import service, watch
from bastion.cases.models import CaseEvent
from bastion.cases.schemas import CaseIn, TaskIn
from bastion.core.db import utcnow
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.notifications.service import shown
from tests.cases.world import build


@pytest.fixture
def w(session):
    return build(session)


def _told(session, notification_id):
    return set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification_id)))


def test_an_overdue_task_rises_once_per_level(session, w):
    now = utcnow()
    case = service.open_case(session, user=w.users["cmd"], now=now - timedelta(days=3),
                             data=CaseIn(title="可疑便道", exercise=True,
                                         unit_id=w.agencies["post_a"].id))
    task = service.add_task(session, user=w.users["cmd"], case_id=case.id, data=TaskIn(
        title="实地核查", owner_id=w.users["post_a"].id, due_at=now - timedelta(hours=2)))
    assert [t.id for t in watch.escalate(session, now=now)] == [task.id]
    assert task.escalated_level == 1
    first = session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    assert _told(session, first.id) == {w.users["post_a"].id}
    assert first.exercise is True and shown(first)[0].startswith(("[EXERCISE]", "【演练】"))
    assert watch.escalate(session, now=now + timedelta(minutes=5)) == []  # said once
    later = now + timedelta(days=1, hours=1)
    assert [t.id for t in watch.escalate(session, now=later)] == [task.id]
    second = session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    told = _told(session, second.id)
    assert w.users["post_a"].id in told and w.users["cmd"].id not in told  # cmd: not post A's
    assert w.users["station_sup"].id not in told
    assert task.escalated_level == 2
    assert [e.action for e in session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id).order_by(CaseEvent.id))][-2:] == ["escalated", "escalated"]
    service.complete_task(session, user=w.users["post_a"], case_id=case.id, task_id=task.id)
    assert watch.escalate(session, now=later + timedelta(days=5)) == []
