"""The plans page and a patrol's page, in zh-CN and English, as the command, a post and
outsiders: targets and plans set through the forms, the patrol's records shown."""

from __future__ import annotations

import re

import pytest

from tests.attachments import samples
from tests.border.patrols.field_world import at, build, new_id
from tests.web_helpers import login

API = "/api/v1/patrols"


@pytest.fixture
def w(session):
    return build(session)


def test_plans_page_sets_targets_and_plans_patrols(client, w):
    token = login(client, w.users["cmd_officer"].username)
    page = client.get("/border/plans")
    assert page.status_code == 200 and "巡逻计划" in page.text
    made = client.post("/border/plans/targets", follow_redirects=False, data={
        "csrf_token": token, "post_agency_id": w.post_a.id, "period": "day",
        "min_patrols": "6", "min_minutes": "90"})
    assert made.status_code == 303, made.text
    bad = client.post("/border/plans/targets", data={
        "csrf_token": token, "post_agency_id": w.post_a.id, "period": "day",
        "min_patrols": "0"})
    assert bad.status_code == 422 and 'id="error-min_patrols"' in bad.text
    client_id = re.search(r'name="client_id" value="([0-9a-f-]{36})"', page.text).group(1)
    form = {"csrf_token": token, "client_id": client_id, "post_agency_id": w.post_a.id,
            "segment_id": w.seg_a.id, "transport": "vehicle",
            "planned_start": "2026-12-08T08:30", "planned_end": "2026-12-08T11:30",
            "leader_id": w.users["a_aux"].id, "member_ids": [w.users["a_officer"].id],
            "partner_agency_id": w.police.id, "partner_names": "民警 张三，民警 李四",
            "checkpoint_ids": [w.cp_a.id, w.cp_a2.id], "objective": "1340-1341"}
    planned = client.post("/border/plans/patrols", data=form, follow_redirects=False)
    assert planned.status_code == 303, planned.text
    again = client.post("/border/plans/patrols", data=form, follow_redirects=False)
    assert again.headers["location"] == planned.headers["location"]  # a second click: one plan
    detail = client.get(planned.headers["location"])
    assert detail.status_code == 200
    assert "民警 张三" in detail.text and "带队" in detail.text and "联合巡逻" in detail.text
    assert "2026-12-08 08:30" in detail.text  # shown in the user's zone (Asia/Shanghai)
    listing = client.get("/border/plans")
    assert "1340-1341" in listing.text and "民警 李四" in listing.text
    wrong = client.post("/border/plans/patrols", data={**form, "client_id": new_id(),
                                                        "planned_end": "2026-12-08T08:00"})
    assert wrong.status_code == 422 and 'id="error-planned_end"' in wrong.text


def test_the_patrol_page_in_both_languages(client, w):
    headers = w.headers(client, "a_aux")
    patrol = client.post(f"{API}/field/start", headers=headers, json={
        "op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
        "device_at": at("2026-12-07T09:00:00")}).json()["patrol"]
    base = f"{API}/field/{patrol['client_id']}"
    t0 = 1_796_605_200
    client.post(f"{base}/track", headers=headers, json={"client_id": new_id(), "points": [
        [t0, 107.9, 21.6, 5], [t0 + 30, 107.95, 21.6, 5], [t0 + 60, 107.9003, 21.6002, 5]]})
    seen = client.post(f"{base}/check-ins", headers=headers, json={
        "client_id": new_id(), "checkpoint_id": w.cp_a.id, "method": "geofence",
        "device_at": at("2026-12-07T09:20:00"), "lon": 107.95, "lat": 21.62}).json()
    client.post(f"{API}/field/photos", headers=headers,
                data={"record": "check_in", "client_id": seen["client_id"]},
                files={"file": ("p.png", samples.png(2, 2), "image/png")})
    client.post(f"{base}/observations", headers=headers, json={
        "client_id": new_id(), "category_code": "damaged_fence",
        "attributes": {"marker_number": "1341", "severity": "breach"},
        "device_at": at("2026-12-07T09:40:00")})
    login(client, w.users["cmd"].username)
    page = client.get(f"/border/patrols/{patrol['id']}")
    assert page.status_code == 200
    for text in ("K-01", "护栏损坏", "速度不可能", "/api/v1/attachments/", "2026-12-07 09:20"):
        assert text in page.text, text
    client.cookies.set("bastion_lang", "en")
    english = client.get(f"/border/patrols/{patrol['id']}")
    for text in ("Damaged fence", "Impossible speed", "Under way", "Check-ins"):
        assert text in english.text, text
    client.cookies.delete("bastion_lang")
    login(client, w.users["b_officer"].username)
    assert client.get(f"/border/patrols/{patrol['id']}").status_code == 404
    login(client, w.users["village"].username)
    assert client.get(f"/border/patrols/{patrol['id']}").status_code == 403
    assert client.get("/border/plans").status_code == 403
