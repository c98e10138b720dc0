"""Targets and planned patrols (members of several agencies, a leader, transport, route,
checkpoints with windows), and the list and detail a patrol is read through."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.border.patrols.models import Patrol, PatrolTarget
from tests.attachments import samples
from tests.border.patrols.field_world import at, build, new_id

API = "/api/v1/patrols"


@pytest.fixture
def w(session):
    return build(session)


def plan_body(w, **extra):
    return {"client_id": new_id(), "post_agency_id": w.post_a.id, "segment_id": w.seg_a.id,
            "transport": "motorbike", "objective": "1340-1341 号界碑 车巡+步巡",
            "planned_start": at("2026-12-08T08:30:00"), "planned_end": at("2026-12-08T11:30:00"),
            "members": [{"user_id": w.users["a_aux"].id, "name": "联防员 甲",
                         "agency_id": w.post_a.id, "is_leader": True},
                        {"name": "战士 乙", "agency_id": w.army.id, "is_pilot": True}],
            "route": {"type": "LineString", "coordinates": [[107.90, 21.60], [107.95, 21.62]]},
            "checkpoints": [{"checkpoint_id": w.cp_a2.id}, {
                "checkpoint_id": w.cp_a.id, "window_start": at("2026-12-08T09:00:00"),
                "window_end": at("2026-12-08T10:00:00")}], **extra}


def test_targets_per_post_and_period(client, session, w):
    mine = {"post_agency_id": w.post_a.id, "period": "day", "min_patrols": 6,
            "min_minutes": 90}
    made = client.post(f"{API}/targets", json=mine, headers=w.headers(client, "a_officer"))
    assert made.status_code == 201, made.text
    assert made.json()["min_patrols"] == 6
    weekly = {"post_agency_id": w.post_b.id, "segment_id": w.seg_b.id, "period": "week",
              "min_patrols": 3}
    assert client.post(f"{API}/targets", json=weekly,
                       headers=w.headers(client, "a_officer")).status_code == 422
    assert client.post(f"{API}/targets", json=weekly,
                       headers=w.headers(client, "cmd_officer")).status_code == 201
    for who, status in (("a_aux", 403), ("village", 403), ("police", 403), ("port", 403)):
        assert client.post(f"{API}/targets", json=mine,
                           headers=w.headers(client, who)).status_code == status, who
    bad = client.post(f"{API}/targets", json={**mine, "period": "year"},
                      headers=w.headers(client, "cmd_officer"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "period"
    posts = [t["post_agency_id"] for t in client.get(
        f"{API}/targets", headers=w.headers(client, "a_aux")).json()["items"]]
    assert posts == [w.post_a.id]
    assert len(client.get(f"{API}/targets",
                          headers=w.headers(client, "cmd")).json()["items"]) == 2
    assert session.scalar(select(func.count()).select_from(PatrolTarget)) == 2


def test_a_joint_plan_with_route_and_checkpoint_windows(client, session, w):
    body = plan_body(w)
    made = client.post(f"{API}/plans", json=body, headers=w.headers(client, "a_officer"))
    assert made.status_code == 201, made.text
    patrol = made.json()["patrol"]
    assert patrol["status"] == "planned" and patrol["joint"] is True
    again = client.post(f"{API}/plans", json=body, headers=w.headers(client, "a_officer"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    moved = client.post(f"{API}/plans", json={**body, "planned_start": at("2026-12-08T08:00:00")},
                        headers=w.headers(client, "a_officer"))
    assert moved.status_code == 409 and "planned_start" in moved.json()["detail"]
    # The army, named as a member, sees the plan; the other post does not.
    assert client.get(f"{API}/{patrol['id']}", headers=w.headers(client, "army")).status_code \
        == 200
    assert client.get(f"{API}/{patrol['id']}",
                      headers=w.headers(client, "b_officer")).status_code == 404
    detail = client.get(f"{API}/{patrol['id']}", headers=w.headers(client, "a_aux")).json()
    assert [m["is_leader"] for m in detail["members"]] == [True, False]
    kit = client.get(f"{API}/field-kit", headers=w.headers(client, "a_aux")).json()
    planned = [p for p in kit["planned"] if p["client_id"] == body["client_id"]]
    assert planned and [c["checkpoint_id"] for c in planned[0]["checkpoints"]] == [
        w.cp_a2.id, w.cp_a.id]
    assert planned[0]["checkpoints"][1]["window_start"].startswith("2026-12-08T01:00:00")
    # Cancelling a plan is the planner's; a later start of it is refused, naming the state.
    url = f"{API}/field/{body['client_id']}/status"
    cancel = {"op_id": new_id(), "action": "cancel", "device_at": at("2026-12-08T07:00:00")}
    assert client.post(url, json=cancel, headers=w.headers(client, "a_aux")).status_code == 403
    assert client.post(url, json=cancel,
                       headers=w.headers(client, "a_officer")).json()["patrol"]["status"] \
        == "cancelled"
    late = client.post(f"{API}/field/start", headers=w.headers(client, "a_aux"), json={
        "op_id": new_id(), "patrol_id": body["client_id"], "device_at": at("2026-12-08T08:30:00")})
    assert late.status_code == 409 and "cancelled" in late.json()["detail"]


@pytest.mark.parametrize(("change", "field"), [
    ({"planned_end": at("2026-12-08T08:00:00")}, "planned_end"),
    ({"route": {"type": "LineString", "coordinates": [[107.9, 21.6], [207.9, 21.6]]}},
     "route.coordinates[0][1]"),
    ({"route": {"type": "Point", "coordinates": [107.9, 21.6]}}, "route"),
    ({"checkpoints": [{"checkpoint_id": 999_999}]}, "checkpoints[0].checkpoint_id"),
    ({"checkpoints": [{"checkpoint_id": 1, "window_start": at("2026-12-08T10:00:00"),
                       "window_end": at("2026-12-08T09:00:00")}]}, "checkpoints[0].window_end"),
    ({"post_agency_id": 999_999}, "post_agency_id"),
    ({"members": []}, "members"),
    ({"planned_start": "2026-12-08T08:30:00"}, "planned_start"),
])
def test_bad_plans_name_the_field(client, session, w, change, field):
    if "checkpoints" in change and change["checkpoints"][0]["checkpoint_id"] == 1:
        change["checkpoints"][0]["checkpoint_id"] = w.cp_a.id
    before = session.scalar(select(func.count()).select_from(Patrol))
    got = client.post(f"{API}/plans", json=plan_body(w, **change),
                      headers=w.headers(client, "cmd_officer"))
    assert got.status_code == 422, got.text
    assert got.json()["detail"][0]["loc"][-1] == field
    assert session.scalar(select(func.count()).select_from(Patrol)) == before


def test_the_detail_shows_the_whole_patrol(client, session, w):
    start = {"op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
             "device_at": at("2026-12-07T09:00:00"), "lon": 107.90, "lat": 21.60}
    patrol = client.post(f"{API}/field/start", json=start,
                         headers=w.headers(client, "a_aux")).json()["patrol"]
    base = f"{API}/field/{patrol['client_id']}"
    headers = w.headers(client, "a_aux")
    t0 = 1_796_605_200
    # The third fix is 5 km away 30 s later: impossible on foot, dropped as "speed".
    points = [[t0, 107.900, 21.600, 5], [t0 + 60, 107.9005, 21.6003, 5],
              [t0 + 90, 107.95, 21.60, 5], [t0 + 120, 107.901, 21.6006, 5]]
    assert client.post(f"{base}/track", json={"client_id": new_id(), "points": points},
                       headers=headers).status_code == 201
    seen = client.post(f"{base}/check-ins", headers=headers, json={
        "client_id": new_id(), "checkpoint_id": w.cp_a.id, "method": "geofence",
        "device_at": at("2026-12-07T09:20:00"), "lon": 107.95, "lat": 21.62}).json()
    client.post(f"{API}/field/photos", data={"record": "check_in",
                                              "client_id": seen["client_id"]},
                files={"file": ("p.png", samples.png(3, 3), "image/png")}, headers=headers)
    client.post(f"{base}/observations", headers=headers, json={
        "client_id": new_id(), "category_code": "landslide",
        "attributes": {"severity": "high", "road_blocked": True},
        "device_at": at("2026-12-07T09:40:00")})
    client.post(f"{base}/status", headers=headers, json={
        "op_id": new_id(), "action": "end", "device_at": at("2026-12-07T10:00:00")})
    detail = client.get(f"{API}/{patrol['id']}", headers=w.headers(client, "cmd"))
    assert detail.status_code == 200, detail.text
    got = detail.json()
    assert got["status"] == "ended"
    assert [c["action"] for c in got["status_changes"]] == ["start", "end"]
    assert got["track"]["geometry"]["coordinates"] == [[[107.9, 21.6], [107.9005, 21.6003],
                                                        [107.901, 21.6006]]]
    assert got["removed_points"] == [{"chunk_id": got["chunks"][0]["id"], "index": 2,
                                      "reason": "speed", "at": t0 + 90, "lon": 107.95,
                                      "lat": 21.6}]
    assert got["check_ins"][0]["within_radius"] is True
    assert len(got["check_ins"][0]["photo_ids"]) == 1
    assert got["observations"][0]["category_code"] == "landslide"
    assert got["distance_m"] > 100
    listing = client.get(API, params={"status": "ended"}, headers=w.headers(client, "cmd"))
    assert [p["id"] for p in listing.json()["items"]] == [patrol["id"]]
    assert client.get(API, params={"status": "planned"},
                      headers=w.headers(client, "cmd")).json()["total"] == 0
