"""Overdue calls escalate once per level, to whom may open them; the job runs for real; the
on-time closure rate over a known set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bastion.core.events import EventRecord
from bastion.duty.hotline import deadlines, watch
from bastion.duty.hotline.models import CallKind, CallStatus, HotlineCall
from bastion.notifications.models import Notification, NotificationRecipient
from tests.duty.hotline.world import API, ago, build, call_body


@pytest.fixture
def w(session):
    return build(session)


def told(session, call_id: int) -> list[tuple[int, set[int]]]:
    """Per notification about the call: its level and who got it."""
    rows = session.scalars(select(Notification).where(
        Notification.record_kind == HotlineCall.record_kind,
        Notification.record_id == call_id).order_by(Notification.id)).all()
    return [(n.params["level"], set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == n.id)))) for n in rows]


def test_an_overdue_call_escalates_once_per_level(client, session, w):
    body = call_body(received_at=ago(minutes=30))  # an emergency: due in 1 h
    call = client.post(API, json=body, headers=w.headers(client, "station_off")).json()
    client.post(f"{API}/{call['id']}/actions", json={"action": "assign",
                                                      "assignee_id": w.users["t2_off"].id},
                headers=w.headers(client, "station_off"))
    due = datetime.fromisoformat(call["due_at"])
    assert watch.escalate(session, now=due - timedelta(minutes=1)) == []
    raised = watch.escalate(session, now=due + timedelta(minutes=1))
    assert [c.id for c in raised] == [call["id"]]
    u = w.users
    # Level 1: the assignee and the team's handlers (the other team, the station's
    # supervisor and outsiders are not told at this level; a viewer holds no capability).
    assert told(session, call["id"]) == [(1, {u["t2_off"].id, u["station_off"].id})]
    assert watch.escalate(session, now=due + timedelta(minutes=2)) == []
    assert len(told(session, call["id"])) == 1
    # Level 2 after the emergency's 30 minutes of grace: the planners too
    assert watch.escalate(session, now=due + timedelta(minutes=31))
    levels = told(session, call["id"])
    assert levels[1] == (2, {u["t2_off"].id, u["station_off"].id, u["station_sup"].id})
    assert watch.escalate(session, now=due + timedelta(hours=5)) == []
    assert session.get(HotlineCall, call["id"]).escalated_level == 2
    kinds = session.scalars(select(EventRecord.kind).where(
        EventRecord.record_kind == HotlineCall.record_kind,
        EventRecord.record_id == call["id"])).all()
    assert kinds.count("hotline.escalated") == 2
    # Closed calls are not escalated
    other = client.post(API, json=call_body(received_at=ago(minutes=10)),
                        headers=w.headers(client, "station_off")).json()
    client.post(f"{API}/{other['id']}/actions", json={"action": "close", "outcome": "done"},
                headers=w.headers(client, "station_off"))
    assert watch.escalate(session, now=datetime.now(UTC) + timedelta(days=2)) == []


def test_the_job_runs_for_real(client, session, session_factory, settings, w):
    # Three hours late: past both levels at once, announced once at level 2
    call = client.post(API, json=call_body(received_at=ago(hours=4)),
                       headers=w.headers(client, "station_off")).json()
    assert watch.check(session_factory, settings) == 1
    assert watch.check(session_factory, settings) == 0
    session.expire_all()
    assert [level for level, _who in told(session, call["id"])] == [2]
    assert session.get(HotlineCall, call["id"]).escalated_level == 2
    page = client.get("/api/v1/notifications", headers=w.headers(client, "station_sup"))
    assert page.status_code == 200, page.text
    assert any(f"/duty/hotline/{call['id']}" == (n.get("link") or "")
               for n in page.json()["items"])


def _call(received: datetime, kind: CallKind, closed_after: timedelta | None,
          exercise: bool = False) -> HotlineCall:
    due = deadlines.due_at(kind, received)
    return HotlineCall(received_at=received, kind=kind, due_at=due, exercise=exercise,
                       status=CallStatus.CLOSED if closed_after is not None else CallStatus.OPEN,
                       closed_at=received + closed_after if closed_after is not None else None)


def test_the_closure_rate_on_a_known_set():
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    day = datetime(2026, 12, 1, 8, tzinfo=UTC)
    calls = [
        _call(day, CallKind.EMERGENCY, timedelta(minutes=40)),  # on time
        _call(day, CallKind.EMERGENCY, timedelta(minutes=60)),  # on time (at the deadline)
        _call(day, CallKind.EMERGENCY, timedelta(minutes=61)),  # late
        _call(day, CallKind.ENQUIRY, timedelta(hours=3)),  # on time
        _call(day, CallKind.COMPLAINT, timedelta(days=6)),  # late
        _call(day, CallKind.REPORT, None),  # open past its deadline: not on time
        _call(now - timedelta(hours=1), CallKind.ENQUIRY, None),  # not yet due: left out
        _call(day, CallKind.EMERGENCY, timedelta(hours=9), exercise=True),  # exercise: out
    ]
    rate = deadlines.closure_rate(calls, now)
    assert (rate.on_time, rate.late, rate.overdue_open, rate.pending) == (3, 2, 1, 1)
    assert rate.counted == 6 and rate.rate == pytest.approx(0.5)
    assert deadlines.closure_rate([], now).rate is None
