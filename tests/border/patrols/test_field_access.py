"""Who sees a patrol (404 when not) and who may act on it (403 without the function), as each
kind of user: the command, the post whose segment it is and the other post, their
auxiliaries, the police and army partners in a joint patrol and out of it, a village
committee, a port station and a shipping agent."""

from __future__ import annotations

import pytest

from tests.border.patrols.field_world import at, build, new_id

API = "/api/v1/patrols"
SEES = {"cmd": 200, "cmd_viewer": 200, "a_officer": 200, "a_aux": 200, "b_officer": 404,
        "b_aux": 404, "police": 200, "police_2": 404, "army": 404, "village": 403,
        "port": 403, "agent": 403}


@pytest.fixture
def w(session):
    return build(session)


def start_joint(client, w, partner="police"):
    agency = {"police": w.police, "army": w.army}[partner]
    body = {"op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
            "transport": "vehicle", "device_at": at("2026-12-07T09:00:00"),
            "members": [{"user_id": w.users["a_aux"].id, "name": "联防员", "is_leader": True,
                         "agency_id": w.post_a.id},
                        {"user_id": w.users[partner].id, "name": "伙伴",
                         "agency_id": agency.id}]}
    response = client.post(f"{API}/field/start", json=body, headers=w.headers(client, "a_aux"))
    assert response.status_code == 201, response.text
    return response.json()["patrol"]


def test_who_sees_a_joint_patrol_with_the_police(client, w):
    patrol = start_joint(client, w)
    for who, expected in SEES.items():
        got = client.get(f"{API}/{patrol['id']}", headers=w.headers(client, who))
        assert got.status_code == expected, (who, got.text)
        listing = client.get(API, headers=w.headers(client, who))
        if expected == 403:
            assert listing.status_code == 403, who
        else:
            ids = [p["id"] for p in listing.json()["items"]]
            assert (patrol["id"] in ids) == (expected == 200), who


def test_the_army_sees_the_joint_patrols_it_takes_part_in_only(client, w):
    with_army = start_joint(client, w, partner="army")
    with_police = start_joint(client, w)
    headers = w.headers(client, "army")
    assert client.get(f"{API}/{with_army['id']}", headers=headers).status_code == 200
    assert client.get(f"{API}/{with_police['id']}", headers=headers).status_code == 404
    own = client.post(f"{API}/field/start", headers=w.headers(client, "a_officer"), json={
        "op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
        "device_at": at("2026-12-07T09:00:00")}).json()["patrol"]
    assert own["joint"] is False
    assert client.get(f"{API}/{own['id']}", headers=w.headers(client, "police")).status_code \
        == 404


def test_who_may_record_on_a_patrol(client, w):
    patrol = start_joint(client, w)
    url = f"{API}/field/{patrol['client_id']}/check-ins"
    expected = {"a_aux": 201, "a_officer": 201, "cmd_officer": 201, "police": 201,
                "cmd_viewer": 403, "b_officer": 404, "b_aux": 404, "police_2": 404,
                "army": 404, "village": 403, "port": 403, "agent": 403}
    for who, status in expected.items():
        got = client.post(url, headers=w.headers(client, who), json={
            "client_id": new_id(), "checkpoint_id": w.cp_a.id, "method": "geofence",
            "device_at": at("2026-12-07T09:20:00"), "lon": 107.95, "lat": 21.62})
        assert got.status_code == status, (who, got.text)


def test_starting_needs_the_function(client, w):
    for who in ("village", "port", "agent", "cmd_viewer"):
        got = client.post(f"{API}/field/start", headers=w.headers(client, who), json={
            "op_id": new_id(), "patrol_id": new_id(), "post_agency_id": w.post_a.id,
            "device_at": at("2026-12-07T09:00:00")})
        assert got.status_code == 403, (who, got.text)


def test_the_field_kit_is_the_post_s_own_area(client, w):
    plan = {"client_id": new_id(), "post_agency_id": w.post_a.id, "segment_id": w.seg_a.id,
            "planned_start": "2099-01-01T08:00:00+08:00",
            "planned_end": "2099-01-01T10:00:00+08:00",
            "members": [{"name": "联防员", "agency_id": w.post_a.id, "is_leader": True}],
            "checkpoints": [{"checkpoint_id": w.cp_a.id}]}
    assert client.post(f"{API}/plans", json=plan,
                       headers=w.headers(client, "cmd_officer")).status_code == 201
    kit = client.get(f"{API}/field-kit", headers=w.headers(client, "a_aux"))
    assert kit.status_code == 200, kit.text
    body = kit.json()
    assert body["post"]["id"] == w.post_a.id
    assert [f["properties"]["code"] for f in body["segments"]["features"]] == ["D-01"]
    assert [c["code"] for c in body["checkpoints"]] == ["K-01", "K-02"]
    assert body["checkpoints"][0]["windows"] == [["08:30", "11:30"], ["13:30", "17:00"]]
    codes = [node["code"] for node in body["categories"]]
    assert {"persons", "smuggling", "infrastructure", "hazard", "other"} <= set(codes)
    assert {t["code"] for t in body["transports"]} == {"foot", "vehicle", "motorbike", "boat",
                                                       "drone"}
    # The plan starts in 2099: beyond the week the kit carries.
    assert body["planned"] == []
    assert body["partner_people"] == []
    start_joint(client, w)
    fellows = client.get(f"{API}/field-kit", headers=w.headers(client, "a_aux")).json()
    assert fellows["partner_people"] == [{"name": "伙伴", "agency_id": w.police.id,
                                          "user_id": w.users["police"].id}]
    b_kit = client.get(f"{API}/field-kit", headers=w.headers(client, "b_aux")).json()
    assert b_kit["partner_people"] == []
    assert [c["code"] for c in b_kit["checkpoints"]] == ["K-11"]
    for who in ("village", "port", "agent"):
        assert client.get(f"{API}/field-kit", headers=w.headers(client, who)).status_code == 403


def test_the_live_stream_forwards_a_patrol_s_events_to_who_sees_it(client, session, w):
    from sqlalchemy import select

    from bastion.border.patrols.models import CheckIn
    from bastion.core import events
    from bastion.core.bus import Event
    from bastion.core.db import utcnow

    patrol = start_joint(client, w)
    client.post(f"{API}/field/{patrol['client_id']}/check-ins", headers=w.headers(
        client, "a_aux"), json={"client_id": new_id(), "checkpoint_id": w.cp_a.id,
                                "method": "geofence", "device_at": at("2026-12-07T09:20:00"),
                                "lon": 107.95, "lat": 21.62})
    check_in_id = session.scalar(select(CheckIn.id))
    for kind, record_id in (("patrol", patrol["id"]), ("patrol_check_in", check_in_id)):
        probe = Event(id=0, kind="probe", at=utcnow(), record_kind=kind, record_id=record_id)
        for who, expected in SEES.items():
            assert events.may_see(session, w.users[who], probe) == (expected == 200), (kind, who)
