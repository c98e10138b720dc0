"""Set-up through the API: roles, shifts, people, demand, requests and the calendar, as each
kind of user; bad input a 422 naming the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

API = "/api/v1/duty"


def test_roles_and_shifts(client, w):
    made = client.post(f"{API}/roles", json={"code": "dispatch", "name_zh": "调度员",
                                             "name_en": "Dispatcher"},
                       headers=w.headers(client, "cmd"))
    assert made.status_code == 201 and made.json()["leads"] is False
    for who in ("a_aux", "police", "village", "agent"):
        assert client.post(f"{API}/roles", json={"code": "x", "name_zh": "x", "name_en": "x"},
                           headers=w.headers(client, who)).status_code == 403, who
    codes = [r["code"] for r in client.get(f"{API}/roles", headers=w.headers(
        client, "a_aux")).json()["items"]]
    assert codes == ["dispatch", "duty_leader", "duty_officer"]
    assert client.get(f"{API}/roles", headers=w.headers(client, "port_sup")).json()["total"] == 0
    assert client.get(f"{API}/roles", headers=w.headers(client, "village")).status_code == 403
    night = client.post(f"{API}/shifts", json={"code": "M", "name": "中班", "start": "16:00",
                                               "end": "00:00"},
                        headers=w.headers(client, "cmd"))
    assert night.status_code == 201 and night.json()["night"] is True
    same = client.post(f"{API}/shifts", json={"code": "Z", "name": "z", "start": "08:00",
                                              "end": "08:00"}, headers=w.headers(client, "cmd"))
    assert same.status_code == 422 and same.json()["detail"][0]["loc"][-1] == "end"


@pytest.mark.parametrize(("body", "field"), [
    ({"code": "E", "name": "e", "start": "24:00", "end": "08:00"}, "start"),
    ({"code": "E", "name": "e", "start": "8:00", "end": "08:00"}, "start"),
    ({"code": "E F", "name": "e", "start": "08:00", "end": "09:00"}, "code"),
])
def test_bad_shifts(client, w, body, field):
    got = client.post(f"{API}/shifts", json=body, headers=w.headers(client, "cmd"))
    assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == field


def test_people_demand_and_requests(client, w):
    cmd = w.headers(client, "cmd")
    aux = client.post(f"{API}/people", json={"name": "辅警 甲", "unit_id": w.post_b.id,
                                             "roles": ["duty_officer"], "phone": "0776-1"},
                      headers=cmd)
    assert aux.status_code == 201 and aux.json()["user_id"] is None
    for body, field in (({"name": "x", "unit_id": w.police.id}, "unit_id"),
                        ({"name": "x", "unit_id": w.post_a.id, "roles": ["chef"]}, "roles[0]"),
                        ({"name": "x", "unit_id": w.post_a.id,
                          "user_id": w.users["a_aux"].id}, "user_id"),
                        ({"name": "", "unit_id": w.post_a.id}, "name")):
        got = client.post(f"{API}/people", json=body, headers=cmd)
        assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == field, body
    # A post's planner sees and staffs only their own post.
    names = {p["name"] for p in client.get(f"{API}/people", headers=w.headers(
        client, "a_sup")).json()["items"]}
    assert "辅警 甲" not in names and len(names) == 5
    assert client.post(f"{API}/people", json={"name": "x", "unit_id": w.post_b.id},
                       headers=w.headers(client, "a_sup")).status_code == 422
    for who in ("a_aux", "police", "village", "agent"):
        assert client.get(f"{API}/people", headers=w.headers(client, who)).status_code == 403
    changed = client.put(f"{API}/people/{aux.json()['id']}", json={
        "name": "辅警 甲", "unit_id": w.post_b.id, "roles": ["duty_officer", "duty_leader"]},
        headers=cmd)
    assert changed.status_code == 200 and len(changed.json()["roles"]) == 2
    assert client.put(f"{API}/people/{aux.json()['id']}", json={
        "name": "x", "unit_id": w.post_b.id}, headers=w.headers(client, "port_sup")
    ).status_code == 404
    demand = client.post(f"{API}/demand", json={
        "unit_id": w.post_b.id, "shift_code": "D", "role_code": "duty_officer", "count": 2,
        "weekdays": [5, 6], "day_kind": "rest"}, headers=cmd)
    assert demand.status_code == 201 and demand.json()["weekdays"] == [5, 6]
    for body, field in (({"shift_code": "Q"}, "shift_code"), ({"role_code": "chef"}, "role_code"),
                        ({"weekdays": [7]}, "weekdays.0"), ({"day_kind": "holiday"}, "day_kind")):
        got = client.post(f"{API}/demand", json={"unit_id": w.post_b.id, "shift_code": "D",
                                                 "role_code": "duty_officer", **body},
                          headers=cmd)
        assert got.status_code == 422, body
        assert ".".join(str(x) for x in got.json()["detail"][0]["loc"][1:]) == field \
            or got.json()["detail"][0]["loc"][-1] == field
    assert client.delete(f"{API}/demand/{demand.json()['id']}", headers=w.headers(
        client, "a_sup")).status_code == 404  # post B's demand: not theirs
    assert client.delete(f"{API}/demand/{demand.json()['id']}", headers=cmd).status_code == 204
    coming = (date.today() + timedelta(days=30)).isoformat()  # past days are refused
    off = client.post(f"{API}/requests", json={"person_id": w.people[0].id,
                                               "day": coming, "kind": "off"}, headers=cmd)
    assert off.status_code == 201
    twice = client.post(f"{API}/requests", json={"person_id": w.people[0].id,
                                                 "day": coming, "kind": "off"},
                        headers=cmd)
    assert twice.status_code == 422 and twice.json()["detail"][0]["loc"][-1] == "day"
    # The person sees their own requests; another auxiliary does not.
    assert client.get(f"{API}/requests", headers=w.headers(client, "a_aux")).json()["total"] == 1
    assert client.get(f"{API}/requests",
                      headers=w.headers(client, "a_aux2")).json()["total"] == 0


def test_calendar_days_upload_by_an_administrator(client, w):
    body = {"days": [{"day": "2027-01-01", "kind": "rest", "name_zh": "元旦",
                      "name_en": "New Year's Day"}]}
    assert client.post(f"{API}/calendar-days", json=body,
                       headers=w.headers(client, "port_sup")).status_code == 403
    assert client.post(f"{API}/calendar-days", json=body,
                       headers=w.headers(client, "a_aux")).status_code == 403
    made = client.post(f"{API}/calendar-days", json=body, headers=w.headers(client, "port_admin"))
    assert made.status_code == 200 and made.json() == {"changed": 1}
    again = client.post(f"{API}/calendar-days", json=body,
                        headers=w.headers(client, "port_admin"))
    assert again.json() == {"changed": 0}
    bad = client.post(f"{API}/calendar-days", json={"days": [{**body["days"][0],
                                                              "kind": "holiday"}]},
                      headers=w.headers(client, "port_admin"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "kind"
    listed = client.get(f"{API}/calendar-days?start=2027-01-01",
                        headers=w.headers(client, "a_aux")).json()
    assert [d["day"] for d in listed["items"]] == ["2027-01-01"]
    assert client.delete(f"{API}/calendar-days/2027-01-01",
                         headers=w.headers(client, "port_admin")).status_code == 204
