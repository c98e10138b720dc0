"""Who sees which layer of the map, through the API as each kind of user (CONTRACT.md)."""

from __future__ import annotations

import pytest

ALL = {"line", "markers", "segments", "posts", "checkpoints", "cameras", "bridges", "piers",
       "barriers", "villages", "crossings"}

# user -> layers of GET /api/v1/border/map
EXPECTED = {
    "command": ALL,
    "post_officer": ALL,
    "auxiliary": ALL - {"cameras"},  # AMBER: officers only
    "command_viewer": ALL - {"cameras"},
    "police": ALL,
    "army": ALL,
    "village": ALL - {"cameras", "checkpoints"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_user_sees_the_layers_their_need_to_know_allows(client, mapped, who):
    response = client.get("/api/v1/border/map", headers=mapped.headers[who])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["layers"]) == EXPECTED[who]
    for name, collection in body["layers"].items():
        assert collection["type"] == "FeatureCollection" and collection["title"]
        for feature in collection["features"]:
            assert feature["properties"]["layer"] == name and feature["properties"]["label"]
            assert "qr_token" not in feature["properties"]
    assert len(body["layers"]["markers"]["features"]) == 4
    assert body["fields"]["chief"]  # popup field names in the user's language


@pytest.mark.parametrize("who", ["station", "agent"])
def test_port_station_and_shipping_agent_are_refused(client, mapped, who):
    for path in ("/api/v1/border/map", "/api/v1/border/segments", "/api/v1/border/checkpoints",
                 "/api/v1/border/places", f"/api/v1/border/segments/{mapped.ids['S1']}"):
        assert client.get(path, headers=mapped.headers[who]).status_code == 403, path


def test_the_village_committee_cannot_open_a_checkpoint_or_a_camera(client, mapped):
    h = mapped.headers["village"]
    assert client.get(f"/api/v1/border/checkpoints/{mapped.ids['CP1']}",
                      headers=h).status_code == 404
    assert client.get("/api/v1/border/checkpoints", headers=h).json()["total"] == 0
    kinds = {p["kind"] for p in client.get("/api/v1/border/places", headers=h).json()["items"]}
    assert "camera" not in kinds and "village" in kinds
    assert client.get(f"/api/v1/border/segments/{mapped.ids['S1']}", headers=h).status_code == 200


def test_an_auxiliary_does_not_see_cameras_but_the_post_officer_does(client, mapped):
    def cameras(who):
        return client.get("/api/v1/border/places?kind=camera",
                          headers=mapped.headers[who]).json()["total"]
    assert cameras("auxiliary") == 0 and cameras("post_officer") == 1 and cameras("police") == 1


def test_only_map_writers_see_qr_tokens(client, mapped):
    path = f"/api/v1/border/checkpoints/{mapped.ids['CP1']}"
    command = client.get(path, headers=mapped.headers["command"]).json()
    assert command["qr_text"].startswith("BASTION-CP:CP1:") and len(command["qr_text"]) > 40
    for who in ("post_officer", "auxiliary", "police", "army"):
        seen = client.get(path, headers=mapped.headers[who])
        assert seen.status_code == 200 and seen.json()["qr_text"] is None, who
        listed = client.get("/api/v1/border/checkpoints", headers=mapped.headers[who]).json()
        assert all(c["qr_text"] is None for c in listed["items"]), who
        assert client.get(f"{path}/qr.svg", headers=mapped.headers[who]).status_code == 403


def test_only_the_command_may_write(client, mapped):
    body = {"kind": "bridge", "name": "新桥", "lon": 105.6, "lat": 23.05, "tlp": "green",
            "distribution": "own"}
    for who in ("post_officer", "auxiliary", "police", "army", "village", "station", "agent"):
        assert client.post("/api/v1/border/places", headers=mapped.headers[who],
                           json=body).status_code == 403, who
    assert client.post("/api/v1/border/places", headers=mapped.headers["command"],
                       json=body).status_code == 201


def test_the_map_centres_on_the_post_s_segments_and_the_command_on_the_line(client, mapped):
    def bounds(who):
        return client.get("/api/v1/border/map", headers=mapped.headers[who]).json()["bounds"]
    line = client.get("/api/v1/border/lines", headers=mapped.headers["command"]).json()
    assert bounds("command") == pytest.approx(line["items"][0]["bounds"])
    s1 = client.get(f"/api/v1/border/segments/{mapped.ids['S1']}",
                    headers=mapped.headers["command"]).json()
    lons = [p[0] for p in s1["geometry"]["coordinates"]]
    west, _s, east, _n = bounds("post_officer")
    assert west == pytest.approx(min(lons)) and east == pytest.approx(max(lons))
    assert bounds("post2_officer") != bounds("post_officer")
    assert bounds("police") == bounds("command")


def test_a_post_given_segment_areas_centres_on_those(client, session, mapped):
    from bastion.core.marking import AreaAssignment

    session.add(AreaAssignment(agency_id=mapped.post.id, area_kind="segment",
                               area_id=mapped.ids["S2"]))
    session.commit()
    post = client.get("/api/v1/border/map", headers=mapped.headers["post_officer"]).json()
    post2 = client.get("/api/v1/border/map", headers=mapped.headers["post2_officer"]).json()
    assert post["bounds"] == post2["bounds"]  # both on S2 now


def test_layer_titles_and_field_names_follow_the_user_s_language(client, session, mapped):
    english = client.get("/api/v1/border/map", headers=mapped.headers["command"]).json()
    assert english["layers"]["markers"]["title"] == "Boundary markers"
    assert english["fields"]["chief"] == "Segment chief"
    mapped.users["command"].language = "zh-CN"
    session.commit()
    chinese = client.get("/api/v1/border/map", headers=mapped.headers["command"]).json()
    assert chinese["layers"]["markers"]["title"] == "界碑界桩"
    assert chinese["fields"]["chief"] == "段长"
    marker = chinese["layers"]["markers"]["features"][0]["properties"]
    assert marker["label"].startswith("界碑 T") and marker["kind"] in ("界碑", "界桩")
