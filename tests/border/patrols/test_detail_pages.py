"""One patrol's page and its map data, and the plan form's checkpoints, windows and partners,
through TestClient as every kind of user that matters: the command, the post's officer and
auxiliary, another post (404), the police partner of a joint patrol (and a police unit that is
not its partner: 404), a village committee and a port station (403)."""

from __future__ import annotations

import re

import pytest

from tests.attachments import samples
from tests.border.patrols.field_world import at, build, new_id
from tests.web_helpers import login

API = "/api/v1/patrols"
T0 = 1_796_605_200  # 2026-12-07 01:00 UTC = 09:00 in Shanghai


@pytest.fixture
def w(session):
    return build(session)


def _plan(client, w, *, partner=True, checkpoints=None):
    members = [{"user_id": w.users["a_aux"].id, "name": "联防员 甲", "agency_id": w.post_a.id,
                "is_leader": True}]
    if partner:
        members.append({"name": "民警 乙", "agency_id": w.police.id})
    body = {"client_id": new_id(), "post_agency_id": w.post_a.id, "segment_id": w.seg_a.id,
            "transport": "foot", "planned_start": at("2026-12-07T08:45:00"),
            "planned_end": at("2026-12-07T11:00:00"), "members": members,
            "checkpoints": checkpoints or []}
    made = client.post(f"{API}/plans", json=body, headers=w.headers(client, "cmd_officer"))
    assert made.status_code == 201, made.text
    return made.json()["patrol"]


def _run(client, w, *, partner=True):
    """A planned joint patrol (K-01 in its window, K-02 before a window that ends early, K-11
    never visited) started, tracked (one point cleaning removes), checked in, observed with a
    photo, paused, resumed and ended by the post's auxiliary."""
    plan = _plan(client, w, partner=partner, checkpoints=[
        {"checkpoint_id": w.cp_a.id},
        {"checkpoint_id": w.cp_a2.id, "window_start": at("2026-12-07T08:45:00"),
         "window_end": at("2026-12-07T09:10:00")}])
    h = w.headers(client, "a_aux")
    patrol_id = plan["client_id"]
    started = client.post(f"{API}/field/start", headers=h, json={
        "op_id": new_id(), "patrol_id": patrol_id, "transport": "foot",
        "members": [{"user_id": w.users["a_aux"].id, "name": "联防员 甲",
                     "agency_id": w.post_a.id, "is_leader": True}]
        + ([{"name": "民警 乙", "agency_id": w.police.id}] if partner else []),
        "device_at": at("2026-12-07T09:00:00")})
    assert started.status_code in (200, 201), started.text
    patrol = started.json()["patrol"]
    base = f"{API}/field/{patrol['client_id']}"
    track = client.post(f"{base}/track", headers=h, json={"client_id": new_id(), "points": [
        [T0, 107.90, 21.60, 5], [T0 + 30, 107.95, 21.60, 5], [T0 + 60, 107.9003, 21.6002, 5],
        [T0 + 120, 107.9010, 21.6005, 5]]})
    assert track.status_code in (200, 201), track.text
    seen = client.post(f"{base}/check-ins", headers=h, json={
        "client_id": new_id(), "checkpoint_id": w.cp_a.id, "method": "geofence",
        "device_at": at("2026-12-07T09:20:00"), "lon": 107.9501, "lat": 21.6201})
    assert seen.status_code == 201, seen.text
    late = client.post(f"{base}/check-ins", headers=h, json={
        "client_id": new_id(), "checkpoint_id": w.cp_a2.id, "method": "geofence",
        "device_at": at("2026-12-07T09:30:00"), "lon": 107.97, "lat": 21.625})
    assert late.status_code == 201 and late.json()["within_window"] is False, late.text
    photo = client.post(f"{API}/field/photos", headers=h,
                        data={"record": "observation", "client_id": (observed := client.post(
                            f"{base}/observations", headers=h, json={
                                "client_id": new_id(), "category_code": "damaged_fence",
                                "attributes": {"marker_number": "1341", "severity": "breach"},
                                "device_at": at("2026-12-07T09:40:00"), "lon": 107.96,
                                "lat": 21.622}).json())["client_id"]},
                        files={"file": ("p.png", samples.png(2, 2), "image/png")})
    assert photo.status_code in (200, 201), photo.text
    assert observed["category_code"] == "damaged_fence"
    for action, when in (("pause", "09:45"), ("resume", "09:50"), ("end", "10:30")):
        done = client.post(f"{base}/status", headers=h, json={
            "op_id": new_id(), "action": action, "device_at": at(f"2026-12-07T{when}:00")})
        assert done.status_code in (200, 201), done.text
    return patrol


WHO = {"cmd": 200, "cmd_viewer": 200, "a_officer": 200, "a_aux": 200, "b_officer": 404,
       "b_aux": 404, "police": 200, "police_2": 404, "army": 404, "village": 403, "port": 403,
       "agent": 403}


def test_who_sees_a_joint_patrols_page_and_map(client, w):
    patrol = _run(client, w)
    for who, status in WHO.items():
        login(client, w.users[who].username)
        page = client.get(f"/border/patrols/{patrol['id']}")
        data = client.get(f"/border/patrols/{patrol['id']}/map.json")
        assert (page.status_code, data.status_code) == (status, status), who
        if status == 200:
            # the GPX form only for those who may record (the command's viewer may not)
            assert ('id="gpx-form"' in page.text) == (who != "cmd_viewer"), who
            assert len(data.json()["removed"]["features"]) == 1, who


def test_a_police_unit_sees_only_the_joint_patrols_it_is_part_of(client, w):
    own = _run(client, w, partner=False)
    login(client, w.users["police"].username)
    assert client.get(f"/border/patrols/{own['id']}").status_code == 404
    assert client.get(f"/border/patrols/{own['id']}/map.json").status_code == 404
    login(client, w.users["a_officer"].username)
    assert client.get(f"/border/patrols/{own['id']}").status_code == 200
    login(client, w.users["b_officer"].username)
    assert client.get(f"/border/patrols/{own['id']}/map.json").status_code == 404


def test_the_page_shows_visits_removals_photos_members_and_both_times(client, w):
    patrol = _run(client, w)
    login(client, w.users["cmd"].username)
    page = client.get(f"/border/patrols/{patrol['id']}").text
    states = re.findall(r'<tr data-state="(\w+)"', page)
    assert states == ["visited", "late"], states
    assert "在时间窗内到达" in page and "时间窗外到达" in page
    assert re.search(r'data-reason="speed"><td>速度不可能</td><td>1</td>', page), page
    assert "<strong>联防员 甲</strong>" in page and "边境派出所" in page and "带队" in page
    thumbs = re.findall(r'<img class="thumb" src="(/api/v1/attachments/\d+/content)"', page)
    assert len(thumbs) == 1 and client.get(thumbs[0]).status_code == 200
    # device time beside server time, in the user's zone: the end at 10:30 Shanghai
    assert "2026-12-07 10:30" in page
    assert f'data-source="/border/patrols/{patrol["id"]}/map.json"' in page
    assert "<script>" not in page and "style=" not in page  # CSP: no inline code or style
    data = client.get(f"/border/patrols/{patrol['id']}/map.json").json()
    assert data["segment"]["features"][0]["properties"]["label"].startswith("D-01")
    assert sum(len(line) for line in data["track"]["geometry"]["coordinates"]) == 3
    [removed] = data["removed"]["features"]
    assert removed["properties"]["reason"] == "speed"
    assert removed["geometry"]["coordinates"] == [107.95, 21.60]
    assert removed["properties"]["label"].startswith("速度不可能")
    marks = {f["properties"]["label"].split()[0]: f["properties"]
             for f in data["checkpoints"]["features"]}
    assert marks["K-01"]["state"] == "visited" and marks["K-01"]["radius_m"] == 50
    assert marks["K-02"]["state"] == "late"
    assert len(data["check_ins"]["features"]) == 2
    assert data["observations"]["features"][0]["properties"]["label"].startswith("护栏损坏")
    client.cookies.set("bastion_lang", "en")
    english = client.get(f"/border/patrols/{patrol['id']}").text
    for text in ("Visited within the window", "Visited outside the window", "Impossible speed",
                 "Add a track from a GPS unit (GPX)",
                 "This track is GCJ-02 (exported from a Chinese map app)"):
        assert text in english, text
    assert client.get(f"/border/patrols/{patrol['id']}/map.json").json()[
        "removed"]["features"][0]["properties"]["label"].startswith("Impossible speed")


def test_a_checkpoint_not_reached_on_an_ended_patrol_is_missed(client, w):
    plan = _plan(client, w, checkpoints=[{"checkpoint_id": w.cp_a.id}])
    h = w.headers(client, "a_aux")
    client.post(f"{API}/field/start", headers=h, json={
        "op_id": new_id(), "patrol_id": plan["client_id"], "device_at": at("2026-12-07T09:00:00"),
        "members": [{"user_id": w.users["a_aux"].id, "name": "甲", "agency_id": w.post_a.id,
                     "is_leader": True}]})
    login(client, w.users["a_officer"].username)
    assert re.findall(r'<tr data-state="(\w+)"', client.get(
        f"/border/patrols/{plan['id']}").text) == ["pending"]
    client.post(f"{API}/field/{plan['client_id']}/status", headers=h, json={
        "op_id": new_id(), "action": "end", "device_at": at("2026-12-07T10:00:00")})
    page = client.get(f"/border/patrols/{plan['id']}").text
    assert re.findall(r'<tr data-state="(\w+)"', page) == ["missed"] and "未到达" in page


def _form(w, token, **extra):
    return {"csrf_token": token, "client_id": new_id(), "post_agency_id": w.post_a.id,
            "segment_id": w.seg_a.id, "transport": "foot",
            "planned_start": "2026-12-08T14:00", "planned_end": "2026-12-08T16:00",
            "leader_id": w.users["a_officer"].id, **extra}


def test_the_plan_form_windows_partners_and_targets(client, w, session):
    token = login(client, w.users["cmd_officer"].username)
    page = client.get("/border/plans").text
    # the checkpoints carry their segment and daily windows for the form's script
    assert re.search(rf'data-segment="{w.seg_a.id}" data-windows=\'\[\["08:30", "11:30"\]',
                     page)
    made = client.post("/border/plans/patrols", follow_redirects=False, data=_form(
        w, token, checkpoint_ids=[str(w.cp_a.id), str(w.cp_a2.id)],
        **{f"window_start_{w.cp_a2.id}": "2026-12-08T15:00",
           f"window_end_{w.cp_a2.id}": "2026-12-08T15:30",
           "partner_agency_id_0": str(w.police.id), "partner_names_0": "民警 张三",
           "partner_agency_id_1": str(w.army.id), "partner_names_1": "战士 李四, 战士 王五"}))
    assert made.status_code == 303, made.text
    patrol_id = int(made.headers["location"].rsplit("/", 1)[1])
    detail = client.get(f"{API}/{patrol_id}", headers=w.headers(client, "cmd_officer")).json()
    members = {m["name"]: (m["agency_id"], m["is_leader"]) for m in detail["members"]}
    assert members == {w.users["a_officer"].display_name: (w.post_a.id, True),
                       "民警 张三": (w.police.id, False), "战士 李四": (w.army.id, False),
                       "战士 王五": (w.army.id, False)}
    page = client.get(f"/border/patrols/{patrol_id}").text
    # K-01: the daily window that overlaps 14:00-16:00 on the planned day; K-02 as typed
    assert "2026-12-08 13:30 – 2026-12-08 17:00" in page
    assert "2026-12-08 15:00 – 2026-12-08 15:30" in page
    # a checkpoint of another segment is refused, naming it; nothing stored
    wrong = client.post("/border/plans/patrols", data=_form(
        w, token, checkpoint_ids=[str(w.cp_b.id)]))
    assert wrong.status_code == 422 and "K-11" in wrong.text
    # a window ending before it starts is refused naming it; nothing stored
    before = client.get(f"{API}?limit=100", headers=w.headers(client, "cmd_officer")).json()
    backwards = client.post("/border/plans/patrols", data=_form(
        w, token, checkpoint_ids=[str(w.cp_a.id)],
        **{f"window_start_{w.cp_a.id}": "2026-12-08T15:00",
           f"window_end_{w.cp_a.id}": "2026-12-08T14:00"}))
    assert backwards.status_code == 422
    assert '<span class="field-error">结束时间须晚于开始时间。</span></fieldset>' in backwards.text
    after = client.get(f"{API}?limit=100", headers=w.headers(client, "cmd_officer")).json()
    assert after["total"] == before["total"]
    # a target with how the current period stands
    client.post("/border/plans/targets", data={"csrf_token": token, "post_agency_id": w.post_a.id,
                                               "period": "month", "min_patrols": "20"})
    assert re.search(r'data-target="\d+"><span class="badge visit-late">0 / 20</span>',
                     client.get("/border/plans").text)
    _run(client, w)
    login(client, w.users["cmd_officer"].username)
    listing = client.get("/border/plans").text
    standing = re.search(r'data-target="\d+"><span class="badge [\w-]+">(\d+) / 20</span>',
                         listing)
    assert standing, listing
    assert standing.group(1) == "1"  # started (server time) this month

def test_outsiders_cannot_plan(client, w):
    for who in ("village", "port"):
        token = login(client, w.users[who].username)
        assert client.get("/border/plans").status_code == 403
        assert client.post("/border/plans/patrols", data=_form(w, token)).status_code == 403
    token = login(client, w.users["a_aux"].username)
    refused = client.post("/border/plans/patrols", data=_form(w, token))
    assert refused.status_code == 403
