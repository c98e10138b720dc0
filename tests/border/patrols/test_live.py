"""The live picture through the REST API: patrols under way with their last fix (stale when
old), check-ins against the plan, SOS calls open and acknowledged; as each kind of user."""

from __future__ import annotations

import pytest

from tests.border.patrols.factories_measures import add_live, build_scene
from tests.web_helpers import api_token, login


@pytest.fixture
def scene(session):
    scene = build_scene(session)
    add_live(session, scene)
    session.commit()
    return scene


def _get(client, user, path):
    return client.get(path, headers={**api_token(client, user.username), "Accept-Language": "en"})


def test_the_command_sees_every_patrol_under_way_and_every_sos(client, scene):
    data = _get(client, scene.users["command_viewer"], "/api/v1/patrols/live").json()
    patrols = {p["id"]: p for p in data["patrols"]}
    p8, p9 = scene.patrols["P8"], scene.patrols["P9"]
    assert set(patrols) == {p8.id, p9.id}  # ended, planned and cancelled ones are not live
    moving = patrols[p8.id]
    assert moving["segment"] == "D-01" and moving["post"] == scene.post_a.name_en
    assert moving["transport"] == "motorbike" and moving["transport_label"] == "Motorbike"
    assert [m["name"] for m in moving["members"]] == ["甲所长", "战士李"]
    assert moving["members"][0]["is_leader"] is True
    assert (moving["lon"], moving["lat"]) == (106.01, 22.901)
    assert 1.5 <= moving["minutes_since_fix"] <= 5 and moving["stale"] is False
    assert (moving["checkpoints_visited"], moving["checkpoints_planned"]) == (1, 2)
    paused = patrols[p9.id]
    assert paused["status"] == "paused" and paused["stale"] is True  # 30 min > 10 min
    assert data["open_sos"] == 1
    first, second = data["sos"]  # the open one first
    assert first["id"] == scene.sos["open"].id and first["acknowledged"] is False
    assert first["patrol_id"] == p8.id and first["lat"] == 22.9011
    assert second["acknowledged"] is True


def test_stale_after_is_a_setting(client, scene, app):
    app.state.settings.patrols.stale_fix_min = 60
    data = _get(client, scene.users["command_viewer"], "/api/v1/patrols/live").json()
    assert not any(p["stale"] for p in data["patrols"])


def test_a_post_sees_its_own_patrols_and_sos(client, scene):
    a = _get(client, scene.users["post_a"], "/api/v1/patrols/live").json()
    assert [p["id"] for p in a["patrols"]] == [scene.patrols["P8"].id]
    assert [s["id"] for s in a["sos"]] == [scene.sos["open"].id]
    b = _get(client, scene.users["post_b"], "/api/v1/patrols/live").json()
    assert [p["id"] for p in b["patrols"]] == [scene.patrols["P9"].id]
    assert [s["id"] for s in b["sos"]] == [scene.sos["done"].id] and b["open_sos"] == 0


def test_the_overlay_is_geojson_with_layer_and_label(client, scene):
    response = _get(client, scene.users["command_viewer"], "/api/v1/patrols/live.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    layers = sorted(f["properties"]["layer"] for f in features)
    assert layers == ["patrol", "patrol", "sos", "sos"]
    patrol = next(f for f in features if f["properties"]["id"] == scene.patrols["P8"].id
                  and f["properties"]["layer"] == "patrol")
    assert patrol["geometry"] == {"type": "Point", "coordinates": [106.01, 22.901]}
    assert "D-01" in patrol["properties"]["label"]
    b = _get(client, scene.users["post_b"], "/api/v1/patrols/live.geojson").json()
    assert {f["properties"].get("id") for f in b["features"]
            if f["properties"]["layer"] == "patrol"} == {scene.patrols["P9"].id}


@pytest.mark.parametrize("who", ["police", "army", "village", "station", "post_a_viewer"])
def test_without_the_capability_403(client, scene, who):
    for path in ("/api/v1/patrols/live", "/api/v1/patrols/live.geojson", "/patrols/live"):
        response = _get(client, scene.users[who], path)
        assert response.status_code == 403, (who, path, response.text)


def test_the_page_raises_the_sos_banner_until_acknowledged(client, session, scene):
    login(client, scene.users["post_a"].username)
    page = client.get("/patrols/live")
    assert page.status_code == 200
    assert 'id="sos-banner"' in page.text and "摔伤，需要支援" in page.text
    assert 'data-stream="/events/stream?unnamed=1"' in page.text
    from datetime import UTC, datetime

    scene.sos["open"].acknowledged_at = datetime.now(UTC)
    session.commit()
    fragment = client.get("/patrols/live?fragment=1")
    assert 'id="sos-banner"' not in fragment.text
    assert "<html" not in fragment.text


def test_through_the_field_api_start_track_sos_and_acknowledge(client, scene):
    """The picture follows what the field API records: a patrol started and tracked shows
    its last fix; an SOS raised from it is open until the command acknowledges it."""
    import time
    import uuid

    post = api_token(client, scene.users["post_a"].username)
    patrol_id = str(uuid.uuid4())
    started = client.post("/api/v1/patrols/field/start", headers=post, json={
        "op_id": str(uuid.uuid4()), "patrol_id": patrol_id, "post_agency_id": scene.post_a.id,
        "segment_id": scene.s1.id, "transport": "foot",
        "members": [{"name": "甲所长", "agency_id": scene.post_a.id, "is_leader": True}],
        "device_at": "2026-12-07T09:00:00+08:00"})
    assert started.status_code == 201, started.text
    now = int(time.time())
    track = client.post(f"/api/v1/patrols/field/{patrol_id}/track", headers=post, json={
        "client_id": str(uuid.uuid4()),
        "points": [[now - 60, 106.015, 22.9005, 5], [now - 50, 106.0152, 22.9005, 5]]})
    assert track.status_code in (200, 201), track.text
    raised = client.post("/api/v1/patrols/field/sos", headers=post, json={
        "client_id": str(uuid.uuid4()), "patrol_id": patrol_id,
        "device_at": "2026-12-07T09:30:00+08:00", "lon": 106.0152, "lat": 22.9005,
        "message": "需要担架"})
    assert raised.status_code == 201, raised.text
    command = scene.users["command_viewer"]
    data = _get(client, command, "/api/v1/patrols/live").json()
    mine = next(p for p in data["patrols"] if p["client_id"] == patrol_id)
    assert (mine["lon"], mine["lat"]) == (106.0152, 22.9005) and mine["stale"] is False
    assert data["open_sos"] == 2
    sos = next(s for s in data["sos"] if s["message"] == "需要担架")
    assert sos["patrol_client_id"] == patrol_id and sos["acknowledged"] is False
    ack = client.post(f"/api/v1/patrols/sos/{sos['id']}/acknowledge", headers=post)
    assert ack.status_code == 200, ack.text
    data = _get(client, command, "/api/v1/patrols/live").json()
    assert data["open_sos"] == 1
    assert next(s for s in data["sos"] if s["id"] == sos["id"])["acknowledged"] is True


def test_the_border_map_offers_the_overlays_to_those_who_hold_them(client, scene):
    """CONTRACT.md "Map overlays": live positions for patrols.live, blind spots for
    patrols.measures; an auxiliary (post viewer) holds the second only."""
    login(client, scene.users["command_viewer"].username)
    page = client.get("/border/map")
    assert page.status_code == 200, page.text
    assert "/api/v1/patrols/live.geojson" in page.text
    assert "/api/v1/patrols/blind-spots.geojson" in page.text
    client.cookies.clear()
    login(client, scene.users["post_a_viewer"].username)
    page = client.get("/border/map")
    assert page.status_code == 200, page.text
    assert "/api/v1/patrols/live.geojson" not in page.text
    assert "/api/v1/patrols/blind-spots.geojson" in page.text
