"""Segments cut from the line between markers; checkpoints with windows and QR sheets."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import shape

from bastion.border.geo import qr
from bastion.core.geo import line_length_m


def test_a_segment_is_the_line_between_its_markers(client, mapped):
    h = mapped.headers["command"]
    s1 = client.get(f"/api/v1/border/segments/{mapped.ids['S1']}", headers=h).json()
    markers = {m["number"]: m for m in client.get("/api/v1/border/markers",
                                                  headers=h).json()["items"]}
    along = markers["T600"]["chainage_m"] - markers["T580"]["chainage_m"]
    assert s1["length_m"] == pytest.approx(along, rel=1e-6)
    assert s1["length_m"] == pytest.approx(line_length_m(shape(s1["geometry"])), rel=1e-9)
    assert s1["length_m"] == pytest.approx(20_000, abs=100)
    assert (s1["from_marker"], s1["to_marker"]) == ("T580", "T600")
    assert s1["post_agency_id"] == mapped.post.id and s1["chief_name"] == "韦段长"
    mine = client.get(f"/api/v1/border/segments?post_agency_id={mapped.post2.id}", headers=h)
    assert [s["code"] for s in mine.json()["items"]] == ["S2"]


@pytest.mark.parametrize("change,field", [
    ({"from_marker": "T123"}, "from_marker"),
    ({"to_marker": "NOPE"}, "to_marker"),
    ({"to_marker": "T580"}, "to_marker"),
    ({"post_agency_id": "police"}, "post_agency_id"),
    ({"code": "S1"}, "code"),
])
def test_bad_segments_are_refused_naming_the_field(client, mapped, change, field):
    body = {"code": "S9", "name": "段", "from_marker": "T580", "to_marker": "T590",
            **mapped.public, **change}
    if body.get("post_agency_id") == "police":
        body["post_agency_id"] = mapped.police.id
    response = client.post("/api/v1/border/segments", headers=mapped.headers["command"],
                           json=body)
    assert response.status_code in (409, 422), response.text
    detail = response.json()["detail"]
    assert (detail[0]["loc"][-1] if isinstance(detail, list) else field) == field
    total = client.get("/api/v1/border/segments", headers=mapped.headers["command"])
    assert total.json()["total"] == 2


@pytest.mark.parametrize("windows,where", [
    ([["25:00", "26:00"]], "windows[0][0]"),
    ([["08:00", "7:30"]], "windows[0][1]"),
    ([["08:00", "11:00"], ["12:00"]], "windows[1]"),
    ([["17:00", "08:00"]], "windows[0]"),
])
def test_bad_time_windows_are_refused(client, mapped, windows, where):
    response = client.post("/api/v1/border/checkpoints", headers=mapped.headers["command"],
                           json={"code": "CP9", "name": "卡点", "lon": 105.6, "lat": 23.05,
                                 "windows": windows, **mapped.partners})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "windows" and where in detail["msg"], detail


def test_bad_coordinates_and_references_are_refused(client, mapped):
    h = mapped.headers["command"]
    base = {"code": "CP9", "name": "卡点", "lon": 105.6, "lat": 23.05, **mapped.partners}
    far = client.post("/api/v1/border/checkpoints", headers=h, json={**base, "lat": 123})
    assert far.status_code == 422 and far.json()["detail"][0]["loc"] == ["body", "lat"]
    segment = client.post("/api/v1/border/checkpoints", headers=h,
                          json={**base, "segment_id": 99999})
    assert segment.status_code == 422
    assert segment.json()["detail"][0]["loc"] == ["body", "segment_id"]
    village = client.post("/api/v1/border/posts", headers=h, json={
        "agency_id": mapped.post2.id, "lon": 105.6, "lat": 23.05,
        "village_ids": [mapped.ids["place_bridge"]], **mapped.public})
    assert village.status_code == 422
    assert village.json()["detail"][0]["loc"] == ["body", "village_ids.0"]
    listed = client.get("/api/v1/border/checkpoints", headers=h).json()
    assert listed["total"] == 3


def test_a_checkpoint_inherits_its_segment_s_post_and_gets_a_random_token(client, mapped):
    h = mapped.headers["command"]
    cps = client.get("/api/v1/border/checkpoints", headers=h).json()["items"]
    assert {c["code"]: c["post_agency_id"] for c in cps} == {
        "CP1": mapped.post.id, "CP2": mapped.post.id, "CP3": mapped.post2.id}
    tokens = {c["qr_text"].split(":")[2] for c in cps}
    assert len(tokens) == 3 and all(len(t) >= 32 for t in tokens)
    renewed = client.post(f"/api/v1/border/checkpoints/{mapped.ids['CP1']}/renew-token",
                          headers=h).json()
    assert renewed["qr_text"] not in {c["qr_text"] for c in cps}


def test_the_print_sheet_shows_each_checkpoint_s_qr_code(client, mapped):
    h = mapped.headers["command"]
    cps = {c["code"]: c for c in client.get(f"/api/v1/border/checkpoints?segment_id="
                                            f"{mapped.ids['S1']}", headers=h).json()["items"]}
    page = client.get(f"/border/checkpoints/print?segment={mapped.ids['S1']}", headers=h)
    assert page.status_code == 200
    assert re.findall(r'data-code="([^"]+)"', page.text) == ["CP1", "CP2"]
    for code in ("CP1", "CP2"):
        assert qr.data_uri(cps[code]["qr_text"]).replace("&", "&amp;") in page.text or \
            qr.data_uri(cps[code]["qr_text"]) in page.text
    assert "08:30–11:30" in page.text and "<script>" not in page.text.split("</head>")[1]
    by_post = client.get(f"/border/checkpoints/print?post={mapped.post2.id}", headers=h)
    assert re.findall(r'data-code="([^"]+)"', by_post.text) == ["CP3"]
    svg = client.get(f"/api/v1/border/checkpoints/{mapped.ids['CP1']}/qr.svg", headers=h)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.content == qr.svg(cps["CP1"]["qr_text"])
    for who in ("post_officer", "auxiliary", "police"):
        refused = client.get(f"/border/checkpoints/print?segment={mapped.ids['S1']}",
                             headers=mapped.headers[who])
        assert refused.status_code == 403, who
