"""Overdue work orders escalate once per level (``core.deadlines``): level 1 to the assigned
post's workers, level 2 after ``hazards.escalate_after_days`` to the command too; only those
who may open the hazard are told; a drill's notification is marked; repaired hazards are not
escalated; the job runs in its own transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bastion.core.events import EventRecord
from bastion.hazards import watch
from bastion.hazards.models import Hazard, WorkOrder
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.notifications.service import shown
from tests.hazards.world import act, build, report, through


@pytest.fixture
def w(session):
    return build(session)


def told(session, hazard_id: int) -> list[tuple[int, str, set[int]]]:
    rows = session.scalars(select(Notification).where(
        Notification.record_kind == Hazard.record_kind,
        Notification.record_id == hazard_id).order_by(Notification.id)).all()
    return [(n.params["level"], n.title, set(session.scalars(
        select(NotificationRecipient.user_id).where(
            NotificationRecipient.notification_id == n.id)))) for n in rows]


def test_an_overdue_work_order_escalates_once_per_level(client, session, w):
    h = report(client, w)
    through(client, w, h["id"], to="ordered")
    order = session.scalar(select(WorkOrder).where(WorkOrder.hazard_id == h["id"]))
    due = order.due_at
    assert watch.escalate(session, now=due - timedelta(minutes=1), after_days=3) == []
    assert [o.id for o in watch.escalate(session, now=due + timedelta(hours=1),
                                         after_days=3)] == [order.id]
    u = w.users
    assert [(lvl, who) for lvl, _t, who in told(session, h["id"])] == [(1, {u["post_a"].id})]
    assert watch.escalate(session, now=due + timedelta(days=1), after_days=3) == []
    assert watch.escalate(session, now=due + timedelta(days=4), after_days=3)
    assert told(session, h["id"])[1][0] == 2
    assert told(session, h["id"])[1][2] == {u["post_a"].id, u["cmd"].id}
    assert watch.escalate(session, now=due + timedelta(days=30), after_days=3) == []
    kinds = session.scalars(select(EventRecord.kind).where(
        EventRecord.record_kind == Hazard.record_kind, EventRecord.record_id == h["id"])).all()
    assert kinds.count("hazards.escalated") == 2
    page = client.get(f"/api/v1/hazards/{h['id']}", headers=w.headers(client, "cmd")).json()
    assert page["overdue"] is False  # not yet: the real clock is before the due date
    assert page["work_order"]["escalated_level"] == 2


def test_repaired_and_drill_orders(client, session, w):
    done = report(client, w)
    through(client, w, done["id"], to="done")
    drill = report(client, w, exercise=True)
    through(client, w, drill["id"], to="ordered")
    later = datetime.now(tz=None).astimezone() + timedelta(days=10)
    raised = watch.escalate(session, now=later, after_days=30)
    assert [o.hazard_id for o in raised] == [drill["id"]]
    assert told(session, done["id"]) == []
    note = session.scalars(select(Notification).where(
        Notification.record_kind == Hazard.record_kind,
        Notification.record_id == drill["id"])).one()
    assert note.exercise is True and shown(note)[0].startswith(("[EXERCISE]", "【演练】"))


def test_the_job_runs_in_its_own_transaction(client, session, session_factory, settings, w):
    h = report(client, w)
    through(client, w, h["id"], to="ordered")
    assert watch.check(session_factory, settings) == 0  # not due yet
    assert act(client, w, h["id"], "cmd", action="triage").status_code == 409
