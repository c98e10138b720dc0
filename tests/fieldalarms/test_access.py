"""Need-to-know: the command and the responsible post see and act on alarms; the border
police unit and the army named on the devices read; another police unit, a village committee,
a port station and a shipping agent see nothing. Invisible is 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.core import events
from bastion.core.bus import Event
from bastion.core.db import utcnow
from bastion.fieldalarms.models import FieldAlarm
from tests.fieldalarms.world import API, message, send


@pytest.fixture
def raised(client, aw):
    a = send(client, message("FA-A1", aw.key_a)).json()["alarm_id"]
    b = send(client, message("FA-B1", aw.key_b)).json()["alarm_id"]
    return a, b


SEES = {"cmd": "ab", "cmd_viewer": "ab", "cmd_officer": "ab", "a_officer": "a", "a_aux": "a",
        "b_officer": "b", "b_aux": "b", "police": "ab", "army": "ab", "police_2": ""}
FORBIDDEN = ("village", "agent", "port")


def test_who_sees_which_alarm(client, session, aw, raised):
    ids = dict(zip("ab", raised, strict=True))
    for who, letters in SEES.items():
        headers = aw.headers(client, who)
        listed = client.get(f"{API}/alarms", headers=headers)
        assert listed.status_code == 200, who
        assert {i["id"] for i in listed.json()["items"]} == {ids[x] for x in letters}, who
        for letter, alarm_id in ids.items():
            one = client.get(f"{API}/alarms/{alarm_id}", headers=headers)
            assert one.status_code == (200 if letter in letters else 404), (who, letter)
        devices = client.get(f"{API}/devices", headers=headers).json()["items"]
        assert {d["code"] for d in devices} == {f"FA-{x.upper()}1" for x in letters}, who
        page = client.get("/field-alarms", headers=headers)
        assert page.status_code == 200, who
    for who in FORBIDDEN:
        headers = aw.headers(client, who)
        assert client.get(f"{API}/alarms", headers=headers).status_code == 403, who
        assert client.get(f"{API}/alarms/{ids['a']}", headers=headers).status_code in (
            403, 404), who
        assert client.get(f"{API}/devices", headers=headers).status_code == 403, who
        assert client.get("/field-alarms", headers=headers).status_code == 403, who


def test_the_live_stream_forwards_alarms_to_those_who_may_see_them(session, aw, raised):
    a, _b = raised
    event = Event(1, "fieldalarm.raised", utcnow(), "field_alarm", a, {})
    allowed = {who for who in (*SEES, *FORBIDDEN)
               if events.may_see(session, aw.users[who], event)}
    assert allowed == {who for who, letters in SEES.items() if "a" in letters}


def test_acting_on_an_alarm(client, session, aw, raised):
    a, b = raised
    url = f"{API}/alarms/{a}/actions"
    ack = {"action": "acknowledge"}
    assert client.post(url, json=ack, headers=aw.headers(client, "police")).status_code == 403
    assert client.post(url, json=ack, headers=aw.headers(client, "a_aux")).status_code == 403
    assert client.post(url, json=ack, headers=aw.headers(client, "b_officer")).status_code == 404
    assert client.post(url, json=ack, headers=aw.headers(client, "village")).status_code == 403
    done = client.post(url, json=ack, headers=aw.headers(client, "a_officer"))
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "acknowledged"
    assert done.json()["acknowledged_by_id"] == aw.users["a_officer"].id
    assert done.json()["acknowledged_at"] is not None
    again = client.post(url, json=ack, headers=aw.headers(client, "cmd_officer"))
    assert again.status_code == 409
    no_note = client.post(url, json={"action": "false_alarm"},
                          headers=aw.headers(client, "cmd_officer"))
    assert no_note.status_code == 422 and no_note.json()["detail"][0]["loc"][-1] == "note"
    closed = client.post(url, json={"action": "false_alarm", "note": "树枝刮碰"},
                         headers=aw.headers(client, "cmd_officer"))
    assert closed.status_code == 200 and closed.json()["status"] == "false_alarm"
    assert closed.json()["closed_by_id"] == aw.users["cmd_officer"].id
    assert client.post(url, json={"action": "resolve"},
                       headers=aw.headers(client, "cmd_officer")).status_code == 409
    # resolving straight from raised acknowledges it too
    straight = client.post(f"{API}/alarms/{b}/actions", json={"action": "resolve"},
                           headers=aw.headers(client, "b_officer")).json()
    assert straight["status"] == "resolved"
    assert straight["acknowledged_by_id"] == straight["closed_by_id"] == aw.users["b_officer"].id
    bad = client.post(url, json={"action": "explode"}, headers=aw.headers(client, "cmd_officer"))
    assert bad.status_code == 422
    kinds = set(session.scalars(select(FieldAlarm.status)))
    assert {k.value for k in kinds} == {"false_alarm", "resolved"}


def test_only_the_command_registers_devices(client, session, aw):
    body = {"code": "FA-A2", "name": "红外对射 A2", "kind": "infrared", "lon": 107.94,
            "lat": 21.617, "post_agency_id": aw.w.post_a.id, "segment_id": aw.w.seg_a.id}
    for who in ("a_officer", "police", "army", "village", "agent", "cmd_viewer"):
        assert client.post(f"{API}/devices", json=body,
                           headers=aw.headers(client, who)).status_code == 403, who
    made = client.post(f"{API}/devices", json=body, headers=aw.headers(client, "cmd_officer"))
    assert made.status_code == 201 and len(made.json()["key"]) >= 40
    device_id = made.json()["id"]
    # shared by default with the partners named on the command's segments
    assert client.get(f"{API}/devices/{device_id}",
                      headers=aw.headers(client, "police")).status_code == 200
    assert client.get(f"{API}/devices/{device_id}",
                      headers=aw.headers(client, "b_officer")).status_code == 404
    twice = client.post(f"{API}/devices", json=body, headers=aw.headers(client, "cmd_officer"))
    assert twice.status_code == 409
    elsewhere = {**body, "code": "FA-X", "post_agency_id": aw.w.police.id}
    refused = client.post(f"{API}/devices", json=elsewhere,
                          headers=aw.headers(client, "cmd_officer"))
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "post_agency_id"
    for who in ("a_officer", "police"):
        assert client.post(f"{API}/devices/{device_id}/revoke",
                           headers=aw.headers(client, who)).status_code == 403, who
    assert client.get(f"{API}/intake/stats",
                      headers=aw.headers(client, "cmd_officer")).status_code == 200
    assert client.get(f"{API}/intake/stats",
                      headers=aw.headers(client, "police")).status_code == 403
