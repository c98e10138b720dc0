"""The duty log through the API, as each kind of user: five elements, steps forward only,
corrections as new entries, idempotent client ids, no PUT/PATCH/DELETE, need-to-know."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from bastion.audit.models import AuditEntry
from tests.duty.log.world import utcnow

LOG = "/api/v1/duty/log"


def entry(**extra):
    return {"occurred_at": (utcnow() - timedelta(minutes=5)).isoformat(), "kind": "call",
            "caller_unit": "边境管理大队", "caller_name": "韦国平", "caller_number": "0776-6822110",
            "content": "界碑1340附近发现可疑人员三名", "instruction": "立即核查",
            "handling": "已派巡逻组前往", **extra}


def field(response):
    return response.json()["detail"][0]["loc"][-1]


def post(client, w, who, body=None, path=LOG):
    return client.post(path, headers=w.headers(client, who), json=body)


def test_an_entry_has_the_five_elements_and_starts_received(client, w, session):
    r = post(client, w, "a_officer", entry())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["stage"] == "received" and body["next_due_at"] is not None
    assert body["recorded_by_id"] == w.users["a_officer"].id
    assert body["unit_id"] == w.post_a.id and body["tlp"] == "green"
    assert body["caller_number"] == "0776-6822110" and body["instruction"] == "立即核查"
    assert session.query(AuditEntry).filter_by(record_kind="duty_log_entry",
                                               record_id=body["id"]).count() == 1


def test_same_client_id_returns_the_stored_entry(client, w):
    cid = str(uuid.uuid4())
    first = post(client, w, "a_aux", entry(client_id=cid))
    again = post(client, w, "a_aux", entry(client_id=cid, content="别的内容"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"] is True
    other = post(client, w, "a_officer", entry(client_id=cid))
    assert other.status_code == 409


def test_bad_input_names_the_field(client, w):
    r = post(client, w, "a_officer", entry(occurred_at="2026-12-07T09:00:00"))
    assert r.status_code == 422 and "occurred_at" in r.text
    r = post(client, w, "a_officer", entry(occurred_at=(utcnow() + timedelta(hours=2))
                                            .isoformat()))
    assert r.status_code == 422 and field(r) == "occurred_at"
    r = post(client, w, "a_officer", entry(content=""))
    assert r.status_code == 422 and "content" in r.text
    r = post(client, w, "a_officer", entry(kind="gossip"))
    assert r.status_code == 422 and "kind" in r.text
    r = post(client, w, "a_officer", entry(unit_id=w.post_b.id))
    assert r.status_code == 422 and field(r) == "unit_id"


def test_steps_move_forward_only(client, w):
    e = post(client, w, "a_officer", entry()).json()
    steps = f"{LOG}/{e['id']}/steps"
    r = post(client, w, "a_officer", {"stage": "reported", "to_whom": "黄建国",
                                      "note": "电话报告"}, steps)
    assert r.status_code == 201, r.text
    assert r.json()["stage"] == "reported" and len(r.json()["steps"]) == 2
    back = post(client, w, "a_officer", {"stage": "received"}, steps)
    assert back.status_code == 409 and ("Reported" in back.text or "“报告”" in back.text)
    same = post(client, w, "a_officer", {"stage": "reported"}, steps)
    assert same.status_code == 409
    past = post(client, w, "a_officer", {"stage": "relayed",
                                         "next_due_at": "2020-01-01T00:00:00+00:00"}, steps)
    assert past.status_code == 422 and field(past) == "next_due_at"
    assert post(client, w, "a_officer", {"stage": "closed", "note": "核查无异常"},
                steps).status_code == 201
    closed = post(client, w, "a_officer", {"stage": "following_up"}, steps)
    assert closed.status_code == 409
    detail = client.get(f"{LOG}/{e['id']}", headers=w.headers(client, "a_officer")).json()
    assert [s["stage"] for s in detail["steps"]] == ["received", "reported", "closed"]
    assert detail["next_due_at"] is None


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_no_change_or_delete_exists(client, w, method):
    e = post(client, w, "a_officer", entry()).json()
    r = client.request(method, f"{LOG}/{e['id']}", headers=w.headers(client, "a_officer"),
                       json=entry())
    assert r.status_code == 405


def test_a_correction_is_a_new_entry_pointing_at_the_old(client, w):
    e = post(client, w, "a_officer", entry()).json()
    post(client, w, "a_officer", {"stage": "reported"}, f"{LOG}/{e['id']}/steps")
    r = post(client, w, "a_officer", entry(caller_number="0776-6822119"),
             f"{LOG}/{e['id']}/correct")
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["corrects_id"] == e["id"] and new["id"] != e["id"]
    assert new["stage"] == "reported"  # the progress is carried on
    old = client.get(f"{LOG}/{e['id']}", headers=w.headers(client, "a_officer")).json()
    assert old["corrected_by_id"] == new["id"]
    assert old["caller_number"] == "0776-6822110"  # the old text stands
    again = post(client, w, "a_officer", entry(), f"{LOG}/{e['id']}/correct")
    assert again.status_code == 409
    step = post(client, w, "a_officer", {"stage": "relayed"}, f"{LOG}/{e['id']}/steps")
    assert step.status_code == 409
    openlist = client.get(LOG, params={"open_only": True},
                          headers=w.headers(client, "a_officer")).json()
    assert [i["id"] for i in openlist["items"]] == [new["id"]]


def test_list_is_a_page_with_filters(client, w):
    for _ in range(3):
        post(client, w, "a_officer", entry())
    e = post(client, w, "b_officer", entry()).json()
    post(client, w, "b_officer", {"stage": "closed"}, f"{LOG}/{e['id']}/steps")
    h = w.headers(client, "cmd")
    page = client.get(LOG, params={"limit": 2}, headers=h).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["next_offset"] == 2
    assert client.get(LOG, params={"unit_id": w.post_b.id}, headers=h).json()["total"] == 1
    assert client.get(LOG, params={"stage": "closed"}, headers=h).json()["total"] == 1
    assert client.get(LOG, params={"open_only": True}, headers=h).json()["total"] == 3
    today = utcnow().date().isoformat()
    assert client.get(LOG, params={"day": "2001-01-01"}, headers=h).json()["total"] == 0
    assert client.get(LOG, params={"day": today}, headers=h).json()["total"] >= 0
    bad = client.get(LOG, params={"day": "yesterday"}, headers=h)
    assert bad.status_code == 422 and "day" in bad.text


def test_who_sees_and_who_may_write(client, w):
    """Command supervisor sees all posts; a post (officer or auxiliary) its own; another
    post's people, a partner it was not shared with, the village, the agent and a station of
    another organisation nothing; no capability is 403, unseen is 404."""
    mine = post(client, w, "a_aux", entry()).json()  # the auxiliary records for post A
    eid = mine["id"]
    seen = {who: client.get(f"{LOG}/{eid}", headers=w.headers(client, who)).status_code
            for who in ("cmd", "cmd_officer", "a_officer", "a_aux", "a_super", "b_officer",
                        "b_aux", "police", "village", "agent", "station")}
    assert seen == {"cmd": 200, "cmd_officer": 200, "a_officer": 200, "a_aux": 200,
                    "a_super": 200, "b_officer": 404, "b_aux": 404, "police": 404,
                    "village": 403, "agent": 403, "station": 404}
    for who in ("village", "agent"):
        assert post(client, w, who, entry()).status_code == 403
        assert client.get(LOG, headers=w.headers(client, who)).status_code == 403
    # the station records in its own log, and its log is not the command's
    assert post(client, w, "station", entry()).status_code == 201
    assert client.get(LOG, headers=w.headers(client, "station")).json()["total"] == 1
    assert client.get(LOG, headers=w.headers(client, "b_aux")).json()["total"] == 0
    # another post cannot step it (unseen: 404)
    assert post(client, w, "b_officer", {"stage": "reported"},
                f"{LOG}/{eid}/steps").status_code == 404


def test_an_entry_shared_with_the_police_is_read_not_changed_by_them(client, w):
    shared = post(client, w, "cmd", entry(marking={
        "tlp": "green", "distribution": "named", "agency_ids": [w.police.id]})).json()
    h = w.headers(client, "police")
    assert client.get(f"{LOG}/{shared['id']}", headers=h).status_code == 200
    assert client.get(LOG, headers=h).json()["total"] == 1
    r = client.post(f"{LOG}/{shared['id']}/steps", headers=h, json={"stage": "reported"})
    assert r.status_code == 403
    r = client.post(f"{LOG}/{shared['id']}/correct", headers=h, json=entry())
    assert r.status_code == 403
    # the police record in their own log
    assert post(client, w, "police", entry()).status_code == 201
