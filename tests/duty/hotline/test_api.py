"""The hotline through the API as each kind of user: who takes and handles calls, who sees
them, the state machine (409 naming the state), bad input (422 naming the field), the list's
filters and a call recorded in the duty log."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.audit.models import AuditEntry
from bastion.duty import access
from bastion.duty.hotline.models import CallAction, HotlineCall
from bastion.duty.log.models import LogEntry, LogStep
from tests.duty.hotline.world import API, ago, build, call_body, new_id


@pytest.fixture
def w(session):
    return build(session)


def take(client, w, who="station_off", **extra):
    got = client.post(API, json=call_body(**extra), headers=w.headers(client, who))
    assert got.status_code == 201, got.text
    return got.json()


def test_a_team_officer_takes_a_call_with_its_deadline(client, session, w):
    body = call_body(client_id=new_id())
    made = client.post(API, json=body, headers=w.headers(client, "station_off"))
    assert made.status_code == 201, made.text
    call = made.json()
    received = datetime.fromisoformat(call["received_at"])
    assert datetime.fromisoformat(call["due_at"]) - received == timedelta(hours=1)
    assert call["status"] == "open" and call["language"] == "vi"
    assert call["unit_id"] == w.team1.id and call["taken_by_id"] == w.users["station_off"].id
    assert [a["action"] for a in call["actions"]] == ["received"]
    again = client.post(API, json=body, headers=w.headers(client, "station_off"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["id"] == call["id"]
    changed = client.post(API, json={**body, "summary": "other"},
                          headers=w.headers(client, "station_off"))
    assert changed.status_code == 409 and "summary" in changed.json()["detail"]
    row = session.get(HotlineCall, call["id"])
    assert row.tlp.value == "amber" and row.distribution.value == "own"
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.summary == f"hotline call {call['id']} taken")) == 1
    # Deadlines per kind from duty/data/hotline.json
    for kind, hours in (("report", 24), ("enquiry", 24), ("complaint", 120), ("other", 24)):
        got = take(client, w, kind=kind, language="en", summary=f"a {kind}")
        due = datetime.fromisoformat(got["due_at"]) - datetime.fromisoformat(got["received_at"])
        assert due == timedelta(hours=hours), kind


def test_who_sees_and_who_may_take_calls(client, session, w):
    call = take(client, w)
    url = f"{API}/{call['id']}"
    for who, status in (("station_off", 200), ("station_sup", 200), ("t2_off", 404),
                        ("cmd_off", 404), ("cmd_sup", 404), ("post_a", 404),
                        ("post_b", 404), ("t1_viewer", 403), ("aux", 403),
                        ("police", 403), ("village", 403), ("agent", 403)):
        assert client.get(url, headers=w.headers(client, who)).status_code == status, who
    for who, status in (("station_sup", 200), ("cmd_off", 200), ("post_a", 200),
                        ("aux", 403), ("police", 403), ("village", 403), ("agent", 403),
                        ("t1_viewer", 403)):
        assert client.get(API, headers=w.headers(client, who)).status_code == status, who
    ids = [c["id"] for c in client.get(API, headers=w.headers(client, "station_sup")).json()[
        "items"]]
    assert call["id"] in ids
    assert client.get(API, headers=w.headers(client, "cmd_off")).json()["total"] == 0
    for who, status in (("aux", 403), ("police", 403), ("village", 403), ("agent", 403),
                        ("t1_viewer", 403)):
        assert client.post(API, json=call_body(), headers=w.headers(client, who)).status_code \
            == status, who
    # The command and its posts run a line too: a post's call is the post's and the command's
    mine = take(client, w, who="post_a", language="zh", summary="村民报告可疑人员")
    assert mine["unit_id"] == w.post_a.id
    for who, status in (("post_a", 200), ("cmd_off", 200), ("cmd_sup", 200), ("post_b", 404),
                        ("station_sup", 404), ("aux", 403)):
        assert client.get(f"{API}/{mine['id']}",
                          headers=w.headers(client, who)).status_code == status, who
    # Acting on an unseen call is a 404, never a 403
    act = {"action": "accept"}
    assert client.post(f"{url}/actions", json=act,
                       headers=w.headers(client, "post_b")).status_code == 404
    assert client.post(f"{url}/actions", json=act,
                       headers=w.headers(client, "agent")).status_code == 403


def test_the_state_machine(client, session, w):
    call = take(client, w)
    url = f"{API}/{call['id']}/actions"
    headers = w.headers(client, "station_off")

    def do(body, status=200, who="station_off"):
        got = client.post(url, json=body, headers=w.headers(client, who))
        assert got.status_code == status, got.text
        return got.json()

    got = do({"action": "accept"})
    assert got["status"] == "in_progress" and got["assignee_id"] == w.users["station_off"].id
    refused = do({"action": "accept"}, 409)
    assert "办理中" in refused["detail"]
    bad = do({"action": "note"}, 422)
    assert bad["detail"][0]["loc"][-1] == "note"
    do({"action": "note", "note": "已联系船代"})
    do({"action": "callback", "note": "已回电"})
    outside = do({"action": "assign", "assignee_id": w.users["cmd_off"].id}, 422)
    assert outside["detail"][0]["loc"][-1] == "assignee_id"
    viewer = do({"action": "assign", "assignee_id": w.users["t1_viewer"].id}, 422)
    assert viewer["detail"][0]["loc"][-1] == "assignee_id"
    assert do({"action": "assign"}, 422)["detail"][0]["loc"][-1] == "assignee_id"
    # The other team's officer, once assigned, sees and handles the call
    assert client.get(f"{API}/{call['id']}", headers=w.headers(client, "t2_off")).status_code \
        == 404
    got = do({"action": "assign", "assignee_id": w.users["t2_off"].id})
    assert got["assignee_id"] == w.users["t2_off"].id
    no_outcome = do({"action": "close"}, 422, who="t2_off")
    assert no_outcome["detail"][0]["loc"][-1] == "outcome"
    closed = do({"action": "close", "outcome": "伤员已送医，船代确认"}, who="t2_off")
    assert closed["status"] == "closed" and closed["on_time"] is True
    assert closed["closed_at"] and closed["outcome"] == "伤员已送医，船代确认"
    for action in ("accept", "note", "close", "callback"):
        got = client.post(url, json={"action": action, "note": "x", "outcome": "y"},
                          headers=headers)
        assert got.status_code == 409 and "已关闭" in got.json()["detail"], action
    assert do({"action": "reopen"}, 422)["detail"][0]["loc"][-1] == "note"
    reopened = do({"action": "reopen", "note": "船代反映仍需协助"})
    assert reopened["status"] == "in_progress" and reopened["closed_at"] is None
    assert [a["action"] for a in reopened["actions"]] == [
        "received", "accept", "note", "callback", "assign", "close", "reopen"]
    assert reopened["actions"][-1]["note"] == "船代反映仍需协助"
    assert do({"action": "dance"}, 422)["detail"][0]["loc"][-1] == "action"
    assert session.scalar(select(func.count()).select_from(CallAction).where(
        CallAction.call_id == call["id"])) == 7
    # Closing straight from open is allowed
    quick = take(client, w, kind="enquiry", language="en", summary="Office hours?")
    got = client.post(f"{API}/{quick['id']}/actions", headers=headers,
                      json={"action": "close", "outcome": "Told: 24 h"})
    assert got.status_code == 200 and got.json()["status"] == "closed"


@pytest.mark.parametrize(("change", "field"), [
    ({"received_at": "2026-12-07T09:00:00"}, "received_at"),
    ({"received_at": "yesterday"}, "received_at"),
    ({"language": "fr"}, "language"),
    ({"kind": "gossip"}, "kind"),
    ({"summary": ""}, "summary"),
    ({"summary": "   "}, "summary"),
    ({"caller_number": "call me maybe"}, "caller_number"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"marking": {"tlp": "red", "distribution": "own"}}, "distribution"),
])
def test_bad_calls_name_the_field(client, session, w, change, field):
    before = session.scalar(select(func.count()).select_from(HotlineCall))
    got = client.post(API, json=call_body(**change), headers=w.headers(client, "station_off"))
    assert got.status_code == 422, got.text
    assert got.json()["detail"][0]["loc"][-1] == field
    assert session.scalar(select(func.count()).select_from(HotlineCall)) == before


def test_a_call_from_the_future_is_refused(client, w):
    future = (datetime.fromisoformat(ago(minutes=0)) + timedelta(hours=2)).isoformat()
    got = client.post(API, json=call_body(received_at=future),
                      headers=w.headers(client, "station_off"))
    assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == "received_at"


def test_the_list_filters_and_pages(client, session, w):
    take(client, w, received_at=ago(hours=3))  # emergency, overdue
    take(client, w, kind="enquiry", language="en", summary="How to apply?")
    take(client, w, kind="report", language="zh", summary="发现可疑船只")
    headers = w.headers(client, "station_sup")

    def ids(**params):
        got = client.get(API, params=params, headers=headers)
        assert got.status_code == 200, got.text
        return got.json()

    page = ids()
    assert page["total"] == 3 and set(page) >= {"items", "total", "limit", "offset",
                                                "next_offset", "prev_offset"}
    assert page["items"][0]["overdue"] is True  # first by deadline
    assert ids(overdue=True)["total"] == 1 and ids(overdue=False)["total"] == 2
    assert ids(language="en")["items"][0]["kind"] == "enquiry"
    assert ids(kind="report")["items"][0]["language"] == "zh"
    assert ids(status="closed")["total"] == 0
    assert ids(limit=2)["next_offset"] == 2
    for params, name in (({"status": "done"}, "status"), ({"kind": "x"}, "kind"),
                         ({"language": "fr"}, "language"), ({"overdue": "maybe"}, "overdue"),
                         ({"limit": 0}, "limit")):
        got = client.get(API, params=params, headers=headers)
        assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == name
    assert client.get(f"{API}/0", headers=headers).status_code == 422
    assert client.get(f"{API}/99999999", headers=headers).status_code == 404


def test_a_call_recorded_in_the_duty_log(client, session, w):
    call = take(client, w, open_log_entry=True, kind="report", language="zh",
                summary="举报：疑似走私船靠泊")
    assert call["log_entry_id"]
    entry = session.get(LogEntry, call["log_entry_id"])
    assert entry.hotline_call_id == call["id"] and entry.kind.value == "call"
    assert entry.caller_number == "+84 912 345 678" and entry.unit_id == w.team1.id
    assert entry.tlp.value == "amber"
    steps = session.scalars(select(LogStep).where(LogStep.entry_id == entry.id)).all()
    assert [s.stage.value for s in steps] == ["received"]
    assert steps[0].next_due_at == datetime.fromisoformat(call["due_at"])
    # The duty log shows it to who reads the team's log
    sup = w.users["station_sup"]
    assert session.scalar(access.log_query(sup).where(LogEntry.id == entry.id)) is not None
    assert session.scalar(access.log_query(w.users["t2_off"]).where(
        LogEntry.id == entry.id)) is None
    twice = client.post(f"{API}/{call['id']}/log-entry", headers=w.headers(client, "station_off"))
    assert twice.status_code == 409
    other = take(client, w)
    made = client.post(f"{API}/{other['id']}/log-entry", headers=w.headers(client, "station_sup"))
    assert made.status_code == 201 and session.get(
        LogEntry, made.json()["log_entry_id"]).hotline_call_id == other["id"]
    assert client.post(f"{API}/{other['id']}/log-entry",
                       headers=w.headers(client, "post_a")).status_code == 404


def test_the_audit_log_reads_in_chinese(client, session, w):
    from bastion.audit import display
    from bastion.core import context

    call = take(client, w, open_log_entry=True)
    client.post(f"{API}/{call['id']}/actions", json={"action": "accept"},
                headers=w.headers(client, "station_off"))
    summaries = session.scalars(select(AuditEntry.summary).where(
        AuditEntry.summary.like("%hotline call%")).order_by(AuditEntry.id)).all()
    assert len(summaries) == 3
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        shown = [display.summary(s) for s in summaries]
    finally:
        context.reset(token)
    n, entry = call["id"], call["log_entry_id"]
    assert shown == [f"接听热线来电 {n}", f"由热线来电 {n} 生成值班日志第 {entry} 条",
                     f"热线来电 {n}：已受理"]
