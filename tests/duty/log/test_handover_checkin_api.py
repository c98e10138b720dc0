"""Handovers and check-ins through the API, and the duty watch run for real against a
published roster written as rows: a missed check-in is raised once and tells the duty leader;
an unconfirmed handover climbs the ladder once per level."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from bastion.core.config import get_settings
from bastion.duty.log import watch
from bastion.duty.log.models import Handover, MissedCheckIn
from bastion.duty.rosters import now as rosters_now
from bastion.duty.rosters.models import RosterStatus
from bastion.notifications.models import Notification, NotificationRecipient
from tests.duty.log.world import publish_now, utcnow

API = "/api/v1/duty"


def told(session, user) -> list[str]:
    return list(session.scalars(select(Notification.title).join(
        NotificationRecipient, NotificationRecipient.notification_id == Notification.id)
        .where(NotificationRecipient.user_id == user.id).order_by(Notification.id)))


def entry(content="村民报告有人在界河边徘徊"):
    return {"occurred_at": (utcnow() - timedelta(minutes=1)).isoformat(), "content": content}


# --- handovers ----------------------------------------------------------------------------

def test_handover_snapshots_open_items_and_incoming_confirms(client, w, session):
    h = w.headers(client, "a_officer")
    open_one = client.post(f"{API}/log", headers=h, json=entry()).json()
    closed = client.post(f"{API}/log", headers=h, json=entry("已处理完毕")).json()
    client.post(f"{API}/log/{closed['id']}/steps", headers=h, json={"stage": "closed"})
    client.post(f"{API}/log", headers=w.headers(client, "b_officer"), json=entry("别的所"))
    r = client.post(f"{API}/handovers", headers=h, json={
        "incoming_user_id": w.users["a_officer2"].id, "situation": "辖区平稳",
        "problems": "1340号界碑附近可疑人员待核查", "tasks": "继续跟踪"})
    assert r.status_code == 201, r.text
    ho = r.json()
    assert [i["id"] for i in ho["open_items"]] == [open_one["id"]]
    assert ho["released"] is False and ho["confirmed_at"] is None
    due = (ho["due_at"], ho["created_at"])
    assert due[0] > due[1]
    assert "Handover to confirm from {name}" in told(session, w.users["a_officer2"])
    # the outgoing officer cannot confirm, a post-mate who sees it gets 403, others 404
    url = f"{API}/handovers/{ho['id']}/confirm"
    assert client.post(url, headers=h).status_code == 403
    assert client.post(url, headers=w.headers(client, "a_aux")).status_code == 403
    assert client.post(url, headers=w.headers(client, "b_officer")).status_code == 404
    assert client.post(url, headers=w.headers(client, "police")).status_code == 404
    assert client.post(url, headers=w.headers(client, "village")).status_code == 403
    ok = client.post(url, headers=w.headers(client, "a_officer2"), json={"note": "已阅日志"})
    assert ok.status_code == 200 and ok.json()["released"] is True
    assert ok.json()["confirm_note"] == "已阅日志"
    assert client.post(url, headers=w.headers(client, "a_officer2")).status_code == 409
    assert "Handover confirmed by {name}" in told(session, w.users["a_officer"])
    mine = client.get(f"{API}/handovers", headers=w.headers(client, "a_officer2")).json()
    assert mine["total"] == 1
    assert client.get(f"{API}/handovers/{ho['id']}",
                      headers=w.headers(client, "cmd")).status_code == 200
    assert client.get(f"{API}/handovers/{ho['id']}",
                      headers=w.headers(client, "b_aux")).status_code == 404


def test_handover_refuses_a_stranger_or_oneself(client, w):
    h = w.headers(client, "a_officer")
    for who in ("police", "a_officer"):
        r = client.post(f"{API}/handovers", headers=h,
                        json={"incoming_user_id": w.users[who].id})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "incoming_user_id"
    r = client.post(f"{API}/handovers", headers=h, json={"incoming_user_id": 2**40})
    assert r.status_code == 422
    r = client.post(f"{API}/handovers", headers=w.headers(client, "agent"),
                    json={"incoming_user_id": w.users["a_officer2"].id})
    assert r.status_code == 403


def test_unconfirmed_handover_escalates_once_per_level(client, w, session):
    start = utcnow() - timedelta(hours=1)
    publish_now(session, w, start=start)
    r = client.post(f"{API}/handovers", headers=w.headers(client, "a_officer"),
                    json={"incoming_user_id": w.users["a_officer2"].id, "tasks": "交接"})
    ho = session.get(Handover, r.json()["id"])
    settings = get_settings()
    confirm_min = settings.duty.handover_confirm_min
    leader, cmd = w.users["a_super"], w.users["cmd"]
    assert watch.unconfirmed_handovers(session, settings=settings,
                                       now=ho.due_at - timedelta(minutes=1)) == 0
    late = ho.due_at + timedelta(minutes=1)
    assert watch.unconfirmed_handovers(session, settings=settings, now=late) == 1
    assert ho.escalated_level == 1
    assert told(session, leader).count("Handover #{id} not confirmed") == 1
    assert "Handover #{id} not confirmed" not in told(session, cmd)
    assert watch.unconfirmed_handovers(session, settings=settings, now=late) == 0
    later = ho.due_at + timedelta(minutes=confirm_min + 1)
    assert watch.unconfirmed_handovers(session, settings=settings, now=later) == 1
    assert ho.escalated_level == 2
    assert "Handover #{id} not confirmed" in told(session, cmd)
    assert watch.unconfirmed_handovers(session, settings=settings, now=later) == 0


def test_without_a_leader_on_duty_level_one_goes_to_the_unit_planners(client, w, session):
    r = client.post(f"{API}/handovers", headers=w.headers(client, "a_officer"),
                    json={"incoming_user_id": w.users["a_officer2"].id})
    ho = session.get(Handover, r.json()["id"])
    settings = get_settings()
    watch.run(session, settings=settings, now=ho.due_at + timedelta(minutes=1))
    assert "Handover #{id} not confirmed" in told(session, w.users["a_super"])  # post planner
    assert "Handover #{id} not confirmed" not in told(session, w.users["b_officer"])


# --- check-ins ----------------------------------------------------------------------------

def checkin(client, w, who, **extra):
    body = {"client_id": str(uuid.uuid4()), "device_at": utcnow().isoformat(), **extra}
    return client.post(f"{API}/checkins", headers=w.headers(client, who), json=body)


def test_checkin_links_to_the_current_assignment_and_is_idempotent(client, w, session):
    published = publish_now(session, w, start=utcnow() - timedelta(minutes=90))
    cid = str(uuid.uuid4())
    body = {"client_id": cid, "device_at": utcnow().isoformat(), "lon": 105.8, "lat": 23.0}
    h = w.headers(client, "a_officer")
    first = client.post(f"{API}/checkins", headers=h, json=body)
    again = client.post(f"{API}/checkins", headers=h, json=body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["assignment_id"] == published.officer.id
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"]
    status = client.get(f"{API}/checkins/status", headers=h).json()
    assert status["on_duty"] and status["checks_in"] and status["role_code"] == "online"
    assert status["last_checkin_at"] is not None
    # the check-in at start + 90 min met the due time start + 120 (its window is
    # [due - 60, due + 10]); the next is start + 180
    assert status["next_due_at"].startswith(
        (published.officer.starts_at + timedelta(minutes=180)).isoformat()[:16])
    assert checkin(client, w, "b_aux").status_code == 201  # not on duty: kept, unlinked
    off = client.get(f"{API}/checkins/status", headers=w.headers(client, "b_aux")).json()
    assert off["on_duty"] is False and off["next_due_at"] is None


def test_checkin_bad_input_and_who_may(client, w):
    r = checkin(client, w, "a_aux", device_at=(utcnow() + timedelta(hours=1)).isoformat())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "device_at"
    r = checkin(client, w, "a_aux", lon=105.8)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "lat"
    r = checkin(client, w, "a_aux", lat=123.0, lon=10.0)
    assert r.status_code == 422
    r = checkin(client, w, "a_aux", client_id="not-a-uuid")
    assert r.status_code == 422 and "client_id" in r.text
    for who in ("village", "agent"):
        assert checkin(client, w, who).status_code == 403
        assert client.get(f"{API}/checkins/status",
                          headers=w.headers(client, who)).status_code == 403
    for who in ("a_aux", "police", "station", "cmd"):
        assert checkin(client, w, who).status_code == 201


def test_missed_checkin_is_raised_once_and_tells_the_leader(client, w, session,
                                                          session_factory):
    start = utcnow() - timedelta(minutes=75)  # due at start+60, missed after start+70
    published = publish_now(session, w, start=start)
    settings = get_settings()
    assert watch.check(session_factory, settings) == 1  # the job, in its own transaction
    assert watch.run(session, settings=settings) == 0  # never twice
    rows = list(session.scalars(select(MissedCheckIn)))
    assert len(rows) == 1 and rows[0].assignment_id == published.officer.id
    assert rows[0].due_at == start + timedelta(minutes=60)
    assert rows[0].leader_user_id == w.users["a_super"].id
    assert told(session, w.users["a_super"]) == ["Missed check-in: {name}"]
    assert told(session, w.users["a_officer"]) == []
    # the leader sees it and acknowledges it; the command's planners see it too
    h = w.headers(client, "a_super")
    listed = client.get(f"{API}/missed-checkins", headers=h).json()
    assert listed["total"] == 1 and listed["items"][0]["person_name"]
    assert client.get(f"{API}/missed-checkins", headers=w.headers(client, "cmd")).json()[
        "total"] == 1
    assert client.get(f"{API}/missed-checkins",
                      headers=w.headers(client, "a_officer2")).json()["total"] == 0
    url = f"{API}/missed-checkins/{rows[0].id}/acknowledge"
    assert client.post(url, headers=w.headers(client, "a_officer2")).status_code == 404
    assert client.post(url, headers=w.headers(client, "village")).status_code == 403
    ok = client.post(url, headers=h, json={"note": "已电话联系，网络故障"})
    assert ok.status_code == 200 and ok.json()["acknowledged_by_id"] == w.users["a_super"].id
    assert client.post(url, headers=h).status_code == 409


def test_a_checkin_in_time_raises_nothing(client, w, session):
    start = utcnow() - timedelta(minutes=75)
    publish_now(session, w, start=start)
    assert checkin(client, w, "a_officer",
                   device_at=(start + timedelta(minutes=55)).isoformat()).status_code == 201
    assert watch.run(session, settings=get_settings()) == 0


def test_drafts_do_not_count(client, w, session):
    start = utcnow() - timedelta(minutes=75)
    published = publish_now(session, w, start=start, status=RosterStatus.SOLVED)
    assert rosters_now.on_duty(session, at=utcnow()) == []
    assert rosters_now.leader_on(session, assignment=published.officer) is None
    assert watch.run(session, settings=get_settings()) == 0


def test_leader_on_and_on_duty(w, session):
    published = publish_now(session, w, start=utcnow() - timedelta(hours=1))
    assert {a.id for a in rosters_now.on_duty(session, at=utcnow(), unit_id=w.post_a.id)} \
        == {published.leader.id, published.officer.id}
    assert rosters_now.on_duty(session, at=utcnow(), unit_id=w.post_b.id) == []
    assert rosters_now.leader_on(session, assignment=published.officer).id == \
        published.leader_person.id
    assert rosters_now.on_duty(session, at=utcnow() + timedelta(hours=12)) == []


def test_released_officer_owes_no_more_checkins(client, w, session):
    start = utcnow() - timedelta(minutes=200)  # due at +60, +120, +180
    publish_now(session, w, start=start)
    h = w.headers(client, "a_officer")
    for minutes in (55, 115):
        checkin(client, w, "a_officer", device_at=(start + timedelta(minutes=minutes))
                .isoformat())
    ho = client.post(f"{API}/handovers", headers=h,
                     json={"incoming_user_id": w.users["a_officer2"].id}).json()
    # confirmed before the +180 due time was missed
    session.get(Handover, ho["id"]).created_at = start + timedelta(minutes=150)
    session.get(Handover, ho["id"]).confirmed_at = start + timedelta(minutes=160)
    session.flush()
    assert watch.run(session, settings=get_settings()) == 0
    status = client.get(f"{API}/checkins/status", headers=h).json()
    assert status["released"] is True and status["next_due_at"] is None


def test_overdue_log_step_escalates_to_the_leader_then_the_planners(client, w, session):
    publish_now(session, w, start=utcnow() - timedelta(hours=1))
    e = client.post(f"{API}/log", headers=w.headers(client, "a_officer"), json=entry()).json()
    due = utcnow() + timedelta(minutes=30)
    assert watch.overdue_steps(session, now=due + timedelta(minutes=1)) == 1
    assert "Duty-log entry #{id} is overdue" in told(session, w.users["a_super"])
    assert watch.overdue_steps(session, now=due + timedelta(minutes=2)) == 0
    assert watch.overdue_steps(session, now=due + timedelta(minutes=62)) == 1
    assert "Duty-log entry #{id} is overdue" in told(session, w.users["cmd"])
    detail = client.get(f"{API}/log/{e['id']}", headers=w.headers(client, "cmd")).json()
    assert detail["steps"][-1]["escalated_level"] == 2
