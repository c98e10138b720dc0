"""The field API as the phone uses it: start, pause/resume/end, track, check-ins,
observations, photos; every call replayed (200, duplicate, nothing changes) and every
conflict named; bad input refused naming the field with nothing half-stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.attachments.models import Attachment
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    Patrol,
    PatrolMember,
    StatusChange,
    TrackChunk,
)
from bastion.core.events import EventRecord
from tests.attachments import samples
from tests.border.patrols.field_world import at, build, new_id

API = "/api/v1/patrols"


@pytest.fixture
def w(session):
    return build(session)


def start(client, w, who="a_aux", **extra):
    body = {"op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
            "transport": "foot", "device_at": at("2026-12-07T09:00:00"),
            "lon": 107.91, "lat": 21.605, **extra}
    response = client.post(f"{API}/field/start", json=body, headers=w.headers(client, who))
    return body, response


def joint_members(w):
    return [{"user_id": w.users["a_aux"].id, "name": "联防员 甲", "agency_id": w.post_a.id,
             "is_leader": True},
            {"user_id": w.users["police"].id, "name": "民警 乙", "agency_id": w.police.id},
            {"name": "向导 丙", "agency_id": w.post_a.id, "is_pilot": True}]


def count(session, model, **where):
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return session.scalar(query)


def test_start_is_idempotent_and_a_changed_replay_names_the_field(client, session, w):
    body, first = start(client, w, members=joint_members(w))
    assert first.status_code == 201, first.text
    patrol = first.json()["patrol"]
    assert first.json()["duplicate"] is False
    assert patrol["status"] == "under_way" and patrol["joint"] is True
    assert patrol["post_agency_id"] == w.post_a.id  # the segment's post
    again = client.post(f"{API}/field/start", json=body, headers=w.headers(client, "a_aux"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["patrol"]["id"] == patrol["id"]
    changed = client.post(f"{API}/field/start", json={**body, "transport": "vehicle"},
                          headers=w.headers(client, "a_aux"))
    assert changed.status_code == 409 and "transport" in changed.json()["detail"]
    row = session.get(Patrol, patrol["id"])
    session.refresh(row)
    assert row.transport.value == "foot" and row.owner_org_id == w.command.id
    assert count(session, StatusChange, patrol_id=row.id) == 1
    assert count(session, PatrolMember, patrol_id=row.id) == 3
    # A second start (another op) of a patrol under way: 409 naming its state.
    other = client.post(f"{API}/field/start", json={**body, "op_id": new_id()},
                        headers=w.headers(client, "a_aux"))
    assert other.status_code == 409 and "under_way" in other.json()["detail"]


def test_a_new_patrol_without_members_has_the_starter_as_leader(client, session, w):
    _body, response = start(client, w, who="a_officer")
    assert response.status_code == 201
    members = session.scalars(select(PatrolMember).where(
        PatrolMember.patrol_id == response.json()["patrol"]["id"])).all()
    assert [(m.user_id, m.is_leader) for m in members] == [(w.users["a_officer"].id, True)]


def test_bad_start_input_names_the_field(client, session, w):
    before = count(session, Patrol)
    naive = start(client, w, device_at="2026-12-07T09:00:00")[1]
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"][-1] == "device_at"
    lat = start(client, w, lat=91)[1]
    assert lat.status_code == 422 and lat.json()["detail"][0]["loc"][-1] == "lat"
    unknown = start(client, w, segment_id=999_999)[1]
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "segment_id"
    two_leaders = start(client, w, members=[
        {"name": "甲", "agency_id": w.post_a.id, "is_leader": True},
        {"name": "乙", "agency_id": w.police.id, "is_leader": True}])[1]
    assert two_leaders.status_code == 422
    assert two_leaders.json()["detail"][0]["loc"][-1] == "members[1].is_leader"
    stranger = start(client, w, members=[
        {"user_id": w.users["army"].id, "name": "甲", "agency_id": w.police.id}])[1]
    assert stranger.json()["detail"][0]["loc"][-1] == "members[0].user_id"
    not_a_post = start(client, w, who="cmd", segment_id=None, post_agency_id=w.police.id)[1]
    assert not_a_post.json()["detail"][0]["loc"][-1] == "post_agency_id"
    assert count(session, Patrol) == before  # nothing half-stored


def status(client, w, patrol, action, when, who="a_aux", op_id=None):
    body = {"op_id": op_id or new_id(), "action": action, "device_at": at(when),
            "lon": 107.92, "lat": 21.61}
    return body, client.post(f"{API}/field/{patrol['client_id']}/status", json=body,
                             headers=w.headers(client, who))


def test_the_state_machine_and_time_that_runs_backwards(client, session, w):
    patrol = start(client, w)[1].json()["patrol"]
    body, paused = status(client, w, patrol, "pause", "2026-12-07T09:30:00")
    assert paused.status_code == 201 and paused.json()["patrol"]["status"] == "paused"
    replay = client.post(f"{API}/field/{patrol['client_id']}/status", json=body,
                         headers=w.headers(client, "a_aux"))
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    changed = client.post(f"{API}/field/{patrol['client_id']}/status",
                          json={**body, "action": "end"}, headers=w.headers(client, "a_aux"))
    assert changed.status_code == 409 and "action" in changed.json()["detail"]
    again = status(client, w, patrol, "pause", "2026-12-07T09:31:00")[1]
    assert again.status_code == 409 and "paused" in again.json()["detail"]
    backwards = status(client, w, patrol, "resume", "2026-12-07T09:10:00")[1]
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"][-1] == "device_at"
    assert status(client, w, patrol, "resume", "2026-12-07T09:45:00")[1].status_code == 201
    cancel = status(client, w, patrol, "cancel", "2026-12-07T09:50:00", who="cmd_officer")[1]
    assert cancel.status_code == 409 and "under_way" in cancel.json()["detail"]
    ended = status(client, w, patrol, "end", "2026-12-07T10:45:00")[1]
    assert ended.json()["patrol"]["status"] == "ended"
    assert ended.json()["patrol"]["moving_s"] == 90 * 60  # 30 min, pause 15 min, 60 min
    assert ended.json()["patrol"]["ended_device_at"].startswith("2026-12-07T02:45:00")
    late = status(client, w, patrol, "resume", "2026-12-07T11:00:00")[1]
    assert late.status_code == 409 and "ended" in late.json()["detail"]
    kinds = session.scalars(select(EventRecord.kind).where(
        EventRecord.record_kind == "patrol", EventRecord.record_id == patrol["id"])
        .order_by(EventRecord.id)).all()
    assert kinds == ["patrol.started", "patrol.paused", "patrol.resumed", "patrol.ended"]


def test_track_chunks_replay_and_bad_points(client, session, w):
    patrol = start(client, w)[1].json()["patrol"]
    url, headers = f"{API}/field/{patrol['client_id']}/track", w.headers(client, "a_aux")
    t0 = 1_796_605_200  # 2026-12-07T01:00:00Z
    body = {"client_id": new_id(), "points": [[t0, 107.91, 21.605, 5], [t0 + 30, 107.9105,
                                                                         21.6052, 5]]}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201 and first.json()["kept"] == 2
    assert client.post(url, json=body, headers=headers).json()["duplicate"] is True
    other = client.post(url, json={**body, "points": body["points"][:1]}, headers=headers)
    assert other.status_code == 409
    bad = client.post(url, json={"client_id": new_id(), "points": [[t0, 181, 21.6]]},
                      headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "points[0][1]"
    assert count(session, TrackChunk, patrol_id=patrol["id"]) == 1
    events = count(session, EventRecord, kind="patrol.track", record_id=patrol["id"])
    assert events == 1


def check_in(client, w, patrol, who="a_aux", **extra):
    body = {"client_id": new_id(), "checkpoint_id": w.cp_a.id, "method": "geofence",
            "device_at": at("2026-12-07T09:20:00"), "lon": 107.9502, "lat": 21.6201,
            "accuracy_m": 6, **extra}
    return body, client.post(f"{API}/field/{patrol['client_id']}/check-ins", json=body,
                             headers=w.headers(client, who))


def test_check_ins_by_geofence_and_qr(client, session, w):
    patrol = start(client, w)[1].json()["patrol"]
    body, near = check_in(client, w, patrol)
    assert near.status_code == 201, near.text
    got = near.json()
    assert got["within_radius"] is True and got["within_window"] is True
    assert 20 < got["distance_m"] < 30  # 0.0002 deg E, 0.0001 deg N at 21.6 N: about 23 m
    assert client.post(f"{API}/field/{patrol['client_id']}/check-ins", json=body,
                       headers=w.headers(client, "a_aux")).json()["duplicate"] is True
    moved = client.post(f"{API}/field/{patrol['client_id']}/check-ins",
                        json={**body, "checkpoint_id": w.cp_a2.id},
                        headers=w.headers(client, "a_aux"))
    assert moved.status_code == 409 and "checkpoint_id" in moved.json()["detail"]
    # 12:00 in Shanghai is between the checkpoint's windows; 300 m away is outside its radius.
    far = check_in(client, w, patrol, device_at=at("2026-12-07T12:00:00"), lon=107.953)[1]
    assert far.json()["within_radius"] is False and far.json()["within_window"] is False
    qr = f"BASTION-CP:{w.cp_a.code}:{w.cp_a.qr_token}"
    scanned = check_in(client, w, patrol, method="qr", qr_text=qr, lon=None, lat=None)[1]
    assert scanned.status_code == 201 and scanned.json()["distance_m"] is None
    forged = check_in(client, w, patrol, method="qr", qr_text=f"BASTION-CP:{w.cp_a.code}:x")[1]
    assert forged.status_code == 422 and forged.json()["detail"][0]["loc"][-1] == "qr_text"
    other_cp = check_in(client, w, patrol, method="qr",
                        qr_text=f"BASTION-CP:{w.cp_b.code}:{w.cp_b.qr_token}")[1]
    assert other_cp.json()["detail"][0]["loc"][-1] == "qr_text"
    unknown = check_in(client, w, patrol, checkpoint_id=999_999)[1]
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"][-1] == "checkpoint_id"
    no_fix = check_in(client, w, patrol, lon=None, lat=None)[1]
    assert no_fix.status_code == 422 and no_fix.json()["detail"][0]["loc"][-1] == "lon"
    assert count(session, CheckIn, patrol_id=patrol["id"]) == 3
    assert count(session, EventRecord, kind="patrol.check_in", record_id=patrol["id"]) == 3


def test_a_planned_window_decides_over_the_daily_ones(client, session, w):
    plan = {"client_id": new_id(), "post_agency_id": w.post_a.id, "segment_id": w.seg_a.id,
            "planned_start": at("2026-12-07T12:00:00"), "planned_end": at("2026-12-07T14:00:00"),
            "members": [{"name": "联防员 甲", "agency_id": w.post_a.id, "is_leader": True}],
            "checkpoints": [{"checkpoint_id": w.cp_a.id,
                             "window_start": at("2026-12-07T12:00:00"),
                             "window_end": at("2026-12-07T12:30:00")}]}
    planned = client.post(f"{API}/plans", json=plan, headers=w.headers(client, "a_officer"))
    assert planned.status_code == 201, planned.text
    started = start(client, w, patrol_id=plan["client_id"], segment_id=None)[1]
    assert started.status_code == 201 and started.json()["patrol"]["planned_start"]
    patrol = started.json()["patrol"]
    inside = check_in(client, w, patrol, device_at=at("2026-12-07T12:10:00"))[1]
    assert inside.json()["within_window"] is True  # the checkpoint's daily windows say no
    late = check_in(client, w, patrol, device_at=at("2026-12-07T13:40:00"))[1]
    assert late.json()["within_window"] is False  # the daily windows say yes


def observe(client, w, patrol, code="damaged_fence", attributes=None, **extra):
    body = {"client_id": new_id(), "category_code": code,
            "attributes": attributes if attributes is not None else {
                "marker_number": "1341", "length_m": 12.5, "severity": "breach"},
            "note": "护栏被剪断", "device_at": at("2026-12-07T09:40:00"),
            "lon": 107.94, "lat": 21.618, **extra}
    return body, client.post(f"{API}/field/{patrol['client_id']}/observations", json=body,
                             headers=w.headers(client, "a_aux"))


@pytest.mark.parametrize(("code", "attributes", "field"), [
    ("damaged_fence", {"length_m": 3, "severity": "minor"}, "attributes.marker_number"),
    ("damaged_fence", {"marker_number": "13A", "severity": "minor"}, "attributes.marker_number"),
    ("damaged_fence", {"marker_number": "1341", "severity": "gone"}, "attributes.severity"),
    ("damaged_fence", {"marker_number": "1341", "severity": "minor", "length_m": "long"},
     "attributes.length_m"),
    ("damaged_fence", {"marker_number": "1341", "severity": "minor", "length_m": 9000},
     "attributes.length_m"),
    ("damaged_fence", {"marker_number": "1341", "severity": "minor", "colour": "red"},
     "attributes.colour"),
    ("smuggling_trail", {"signs": ["footprints", "footprints"]}, "attributes.signs"),
    ("smuggling_trail", {"signs": ["ropes"], "last_used": "07/12/2026"},
     "attributes.last_used"),
    ("unexploded_ordnance", {"marked": "yes"}, "attributes.marked"),
    ("no_such_thing", {}, "category_code"),
])
def test_observation_attributes_are_checked_against_the_category(client, session, w, code,
                                                                 attributes, field):
    patrol = start(client, w)[1].json()["patrol"]
    response = observe(client, w, patrol, code=code, attributes=attributes)[1]
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field
    assert count(session, Observation, patrol_id=patrol["id"]) == 0


def test_observations_store_once(client, session, w):
    patrol = start(client, w)[1].json()["patrol"]
    body, made = observe(client, w, patrol)
    assert made.status_code == 201, made.text
    assert made.json()["attributes"] == {"marker_number": "1341", "length_m": 12.5,
                                         "severity": "breach"}
    again = client.post(f"{API}/field/{patrol['client_id']}/observations", json=body,
                        headers=w.headers(client, "a_aux"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    changed = client.post(f"{API}/field/{patrol['client_id']}/observations",
                          json={**body, "note": "另一处"}, headers=w.headers(client, "a_aux"))
    assert changed.status_code == 409 and "note" in changed.json()["detail"]
    trail = observe(client, w, patrol, code="smuggling_trail",
                    attributes={"signs": ["footprints", "ropes"], "last_used": "2026-12-05"})[1]
    assert trail.status_code == 201
    assert count(session, Observation, patrol_id=patrol["id"]) == 2


def photo(client, w, record, client_id, data, name="p.png", who="a_aux"):
    return client.post(f"{API}/field/photos", data={"record": record, "client_id": client_id},
                       files={"file": (name, data, "image/png")},
                       headers=w.headers(client, who))


def test_photos_on_check_ins_and_observations(client, session, w):
    patrol = start(client, w)[1].json()["patrol"]
    seen = check_in(client, w, patrol)[0]["client_id"]
    image = samples.png(4, 3)
    first = photo(client, w, "check_in", seen, image)
    assert first.status_code == 201, first.text
    assert first.json()["content_type"] == "image/png"
    again = photo(client, w, "check_in", seen, image, name="again.png")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["id"] == first.json()["id"]
    text = photo(client, w, "check_in", seen, b"just some words\n", name="p.png")
    assert text.status_code == 422 and text.json()["detail"][0]["loc"][-1] == "file"
    found = observe(client, w, patrol)[0]["client_id"]
    assert photo(client, w, "observation", found, image).status_code == 201
    assert photo(client, w, "observation", new_id(), image).status_code == 404
    assert photo(client, w, "check_in", seen, samples.png(5, 5), who="b_aux").status_code == 404
    assert count(session, Attachment, record_kind="patrol_check_in") == 1
    assert count(session, Attachment, record_kind="patrol_observation") == 1
    detail = client.get(f"{API}/{patrol['id']}", headers=w.headers(client, "cmd")).json()
    assert detail["check_ins"][0]["photo_ids"] == [first.json()["id"]]


def test_a_position_is_both_coordinates_or_none(client, session, w):
    half = start(client, w, lat=None)[1]
    assert half.status_code == 422 and half.json()["detail"][0]["loc"][-1] == "lat"
    patrol = start(client, w)[1].json()["patrol"]
    paused = status(client, w, patrol, "pause", "2026-12-07T09:30:00")[0]
    got = client.post(f"{API}/field/{patrol['client_id']}/status",
                      json={**paused, "op_id": new_id(), "action": "resume", "lon": None},
                      headers=w.headers(client, "a_aux"))
    assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == "lon"
    assert count(session, StatusChange, patrol_id=patrol["id"]) == 2
