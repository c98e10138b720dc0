"""Training, drills and meetings through the API as each kind of user: who records, who reads
(the holding unit, the top unit, the agencies taking part; not other posts, the port station,
village committees or shipping agents), idempotent attendance, the weekly series, certificates,
follow-ups that escalate, injects of a drill in exercise mode, and bad input (422 naming the
field)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.notifications.models import Notification, NotificationRecipient
from bastion.notifications.service import shown
from bastion.org.models import User
from bastion.training import watch
from bastion.training.models import Attendance, FollowUp, Inject, TrainingEvent
from tests.duty.hotline.world import build, new_id

API = "/api/v1/training"


@pytest.fixture
def w(session):
    return build(session)


def when(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def make(client, w, who="cmd_off", **extra) -> dict:
    body = {"kind": "drill_tactical", "starts_at": when(hours=-2), "place": "1047号界碑",
            "agency_ids": [w.post_a.id, w.police.id], **extra}
    got = client.post(f"{API}/events", json=body, headers=w.headers(client, who))
    assert got.status_code == 201, got.text
    return got.json()


def test_who_reads_an_event(client, w):
    event = make(client, w)
    assert event["status"] == "held" and event["kind_label"]
    url = f"{API}/events/{event['id']}"
    for who, status in (("cmd_off", 200), ("cmd_sup", 200), ("post_a", 200), ("aux", 200),
                        ("police", 200), ("post_b", 404), ("station_off", 404),
                        ("station_sup", 404), ("village", 403), ("agent", 403)):
        got = client.get(url, headers=w.headers(client, who))
        assert got.status_code == status, (who, got.status_code, got.text)
    listed = client.get(f"{API}/events", headers=w.headers(client, "police")).json()
    assert [e["id"] for e in listed["items"]] == [event["id"]] and listed["total"] == 1
    assert client.get(f"{API}/events", headers=w.headers(client, "post_b")).json()["total"] == 0


def test_the_station_records_its_own_and_posts_their_own(client, w):
    station = make(client, w, who="station_off", kind="drill_sea_land", agency_ids=[])
    post = make(client, w, who="post_b", kind="meeting_weekly", agency_ids=[])
    assert client.get(f"{API}/events/{station['id']}",
                      headers=w.headers(client, "station_sup")).status_code == 200
    assert client.get(f"{API}/events/{station['id']}",
                      headers=w.headers(client, "cmd_off")).status_code == 404
    # the command (top unit) sees its posts' events; another post does not
    assert client.get(f"{API}/events/{post['id']}",
                      headers=w.headers(client, "cmd_off")).status_code == 200
    assert client.get(f"{API}/events/{post['id']}",
                      headers=w.headers(client, "post_a")).status_code == 404
    # a participant reads but does not record; the auxiliary (viewer) does not record
    command = make(client, w)
    for who in ("police", "aux", "post_a"):
        got = client.post(f"{API}/events/{command['id']}/attendance",
                          json={"name": "某人"}, headers=w.headers(client, who))
        assert got.status_code == 403, (who, got.text)
    for who in ("village", "agent", "police", "aux"):
        got = client.post(f"{API}/events", json={"kind": "study_day", "starts_at": when()},
                          headers=w.headers(client, who))
        assert got.status_code == 403, who


def test_attendance_is_idempotent_and_names_the_absent_reason(client, session, w):
    event = make(client, w)
    url = f"{API}/events/{event['id']}/attendance"
    headers = w.headers(client, "cmd_off")
    body = {"user_id": w.users["post_a"].id, "present": True, "client_id": new_id(),
            "device_at": when(minutes=-1)}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201 and first.json()["duplicate"] is False
    again = client.post(url, json=body, headers=headers)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    changed = client.post(url, json={**body, "present": False, "reason": "x"}, headers=headers)
    assert changed.status_code == 409
    no_reason = client.post(url, json={"name": "护边员甲", "present": False}, headers=headers)
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    absent = client.post(url, json={"name": "护边员甲", "present": False, "reason": "病假"},
                         headers=headers)
    assert absent.status_code == 201
    # the same person again replaces what was recorded
    now_here = client.post(url, json={"name": "护边员甲", "present": True}, headers=headers)
    assert now_here.status_code == 201 and now_here.json()["id"] == absent.json()["id"]
    assert session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.event_id == event["id"])) == 2
    nobody = client.post(url, json={"present": True}, headers=headers)
    assert nobody.status_code == 422 and "name" in nobody.text
    kit = client.get(f"{API}/field-kit", headers=headers)
    assert kit.status_code == 200 and event["id"] in [e["event"]["id"]
                                                      for e in kit.json()["events"]]


def test_bad_input_names_the_field(client, w):
    headers = w.headers(client, "cmd_off")
    for body, field in (({"kind": "nope", "starts_at": when()}, "kind"),
                        ({"kind": "drill_tactical", "starts_at": "2026-01-01T08:00"},
                         "starts_at"),
                        ({"kind": "meeting_weekly", "starts_at": when(),
                          "exercise_mode": True}, "exercise_mode"),
                        ({"kind": "study_day", "starts_at": when(), "agency_ids": [2147483647]},
                         "agency_ids"),
                        ({"kind": "study_day", "starts_at": when(hours=2),
                          "ends_at": when(hours=1)}, "ends_at")):
        got = client.post(f"{API}/events", json=body, headers=headers)
        assert got.status_code == 422, (body, got.text)
        assert field in got.text, (field, got.text)
    assert client.get(f"{API}/events?category=nope", headers=headers).status_code == 422
    assert client.get(f"{API}/events/2147483647", headers=headers).status_code == 404
    got = client.get(f"{API}/figures?from=2026-02-01&to=2026-01-01", headers=headers)
    assert got.status_code == 422 and "to" in got.text


def test_a_weekly_series_makes_one_record_a_week(client, session, w):
    headers = w.headers(client, "cmd_off")
    got = client.post(f"{API}/series", json={
        "kind": "meeting_weekly", "first_day": "2027-01-01", "last_day": "2027-03-31",
        "weekday": 0, "time": "08:30", "agency_ids": [w.post_a.id]}, headers=headers)
    assert got.status_code == 201, got.text
    assert got.json()["count"] == 13  # Mondays of 2027's first quarter
    rows = session.scalars(select(TrainingEvent).where(
        TrainingEvent.series == got.json()["series"]).order_by(TrainingEvent.starts_at)).all()
    assert rows[0].starts_at == datetime(2027, 1, 4, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    assert all(r.status.value == "planned" for r in rows)
    # each one is cancelled on its own
    cancel = client.patch(f"{API}/events/{rows[1].id}", json={"status": "cancelled"},
                          headers=headers)
    assert cancel.status_code == 422 and "cancel_reason" in cancel.text
    cancel = client.patch(f"{API}/events/{rows[1].id}",
                          json={"status": "cancelled", "cancel_reason": "春节"}, headers=headers)
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert session.get(TrainingEvent, rows[2].id).status.value == "planned"
    too_many = client.post(f"{API}/series", json={
        "kind": "study_day", "first_day": "2027-01-01", "last_day": "2030-12-31",
        "weekday": 3, "time": "15:00"}, headers=headers)
    assert too_many.status_code == 422 and "last_day" in too_many.text


def test_certificates_at_a_skills_training(client, w):
    headers = w.headers(client, "cmd_off")
    training = make(client, w, kind="skills_training")
    url = f"{API}/events/{training['id']}/certificates"
    for skill, number in (("cook", "C-1"), ("welder", "W-1"), ("excavator_operator", "E-1")):
        got = client.post(url, json={"skill": skill, "number": number, "issuer": "人社局",
                                     "person_name": "护边员乙"}, headers=headers)
        assert got.status_code == 201, got.text
    again = client.post(url, json={"skill": "cook", "number": "C-1", "issuer": "人社局",
                                   "person_name": "丙"}, headers=headers)
    assert again.status_code == 409
    bad = client.post(url, json={"skill": "pilot", "number": "P-1", "issuer": "x",
                                 "person_name": "丁"}, headers=headers)
    assert bad.status_code == 422 and "skill" in bad.text
    drill = make(client, w)
    got = client.post(f"{API}/events/{drill['id']}/certificates", json={
        "skill": "cook", "number": "C-9", "issuer": "x", "person_name": "戊"}, headers=headers)
    assert got.status_code == 422
    detail = client.get(f"{API}/events/{training['id']}", headers=headers).json()
    assert sorted(c["skill"] for c in detail["certificates"]) == ["cook", "excavator_operator",
                                                                  "welder"]


def test_overdue_follow_ups_escalate_once_per_level(client, session, w):
    event = make(client, w)
    got = client.post(f"{API}/events/{event['id']}/follow-ups", json={
        "text": "补充摄像头点位", "owner_id": w.users["cmd_sup"].id, "due_at": when(hours=-1)},
        headers=w.headers(client, "cmd_off"))
    assert got.status_code == 201, got.text
    outsider = client.post(f"{API}/events/{event['id']}/follow-ups", json={
        "text": "x", "owner_id": w.users["police"].id, "due_at": when(hours=1)},
        headers=w.headers(client, "cmd_off"))
    assert outsider.status_code == 422 and "owner_id" in outsider.text
    raised = watch.escalate(session)
    assert [f.id for f in raised] == [got.json()["id"]]
    assert watch.escalate(session) == []  # announced once
    later = datetime.now(UTC) + watch.ESCALATE_AFTER + timedelta(hours=1)
    assert len(watch.escalate(session, now=later)) == 1
    assert session.get(FollowUp, got.json()["id"]).escalated_level == 2
    done = client.patch(f"{API}/events/{event['id']}/follow-ups/{got.json()['id']}",
                        json={"done": True}, headers=w.headers(client, "cmd_sup"))
    assert done.status_code == 200 and done.json()["done_at"]


def test_injects_only_in_exercise_mode_marked_and_told(client, session, w):
    headers = w.headers(client, "cmd_off")
    real = make(client, w)
    got = client.post(f"{API}/events/{real['id']}/injects", json={"text": "x"}, headers=headers)
    assert got.status_code == 409
    drill = make(client, w, exercise_mode=True)
    assert drill["exercise_mode"] is True
    got = client.post(f"{API}/events/{drill['id']}/injects",
                      json={"text": "模拟报告：发现可疑人员"}, headers=headers)
    assert got.status_code == 201 and got.json()["exercise"] is True
    assert session.get(Inject, got.json()["id"]).exercise is True
    note = session.scalars(select(Notification).where(
        Notification.record_id == drill["id"])).one()
    assert note.exercise is True and shown(note)[0].startswith(("[EXERCISE]", "【演练】"))
    from bastion.core import context

    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        assert shown(note)[0].startswith("【演练】")
    finally:
        context.reset(token)
    for who in ("police", "aux"):  # participants read the injects
        detail = client.get(f"{API}/events/{drill['id']}", headers=w.headers(client, who))
        assert [i["exercise"] for i in detail.json()["injects"]] == [True], who


def test_figures_count_from_records_and_leave_injects_out(client, session, w):
    headers = w.headers(client, "cmd_off")
    year = datetime.now(UTC).year
    before = client.get(f"{API}/figures?from={year}-01-01&to={year + 1}-01-01",
                        headers=headers).json()
    drill = make(client, w, exercise_mode=True)
    client.post(f"{API}/events/{drill['id']}/attendance", json={"name": "甲"}, headers=headers)
    mid = {f["key"]: f["value"] for f in client.get(
        f"{API}/figures?from={year}-01-01&to={year + 1}-01-01", headers=headers).json()["figures"]}
    old = {f["key"]: f["value"] for f in before["figures"]}
    assert mid["training.drills_tactical"] == old["training.drills_tactical"] + 1
    assert mid["training.drills"] == old["training.drills"] + 1
    assert mid["training.attendance"] == old["training.attendance"] + 1
    for n in range(3):
        client.post(f"{API}/events/{drill['id']}/injects", json={"text": f"inject {n}"},
                    headers=headers)
    after = {f["key"]: f["value"] for f in client.get(
        f"{API}/figures?from={year}-01-01&to={year + 1}-01-01", headers=headers).json()["figures"]}
    assert after == mid
    assert client.get(f"{API}/figures?from={year}-01-01&to={year + 1}-01-01",
                      headers=w.headers(client, "village")).status_code == 403
    assert date.today()  # the period is days in the zone


def test_a_follow_up_of_a_drill_in_exercise_mode_is_told_marked(client, session, w):
    drill = make(client, w, exercise_mode=True)
    got = client.post(f"{API}/events/{drill['id']}/follow-ups", json={
        "text": "复盘演练中暴露的通信问题", "owner_name": "护边员丙", "due_at": when(hours=-1)},
        headers=w.headers(client, "cmd_off"))
    assert got.status_code == 201, got.text
    assert len(watch.escalate(session)) == 1
    note = session.scalars(select(Notification).where(
        Notification.record_id == drill["id"],
        Notification.title.like("%Follow-up%"))).one()
    assert note.exercise is True and shown(note)[0].startswith(("[EXERCISE]", "【演练】"))
    told = {u.id for u in session.scalars(select(User).join(
        NotificationRecipient, NotificationRecipient.user_id == User.id).where(
        NotificationRecipient.notification_id == note.id))}
    # level 1: the recorders of the holding unit (the command), not the participants
    assert w.users["cmd_off"].id in told and w.users["police"].id not in told
