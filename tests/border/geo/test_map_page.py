"""The map page: who may open it, the nav entry, and the overlay hook other parts add to."""

from __future__ import annotations

import json
import re

import pytest

from bastion.border.geo import views
from tests.web_helpers import login


def _overlays(html: str) -> list[dict]:
    found = re.search(r"data-overlays='([^']*)'", html)
    assert found, html
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))


@pytest.mark.parametrize("who,status", [("command", 200), ("post_officer", 200),
                                        ("auxiliary", 200), ("police", 200), ("army", 200),
                                        ("village", 200), ("station", 403), ("agent", 403)])
def test_who_may_open_the_map_page(client, land, who, status):
    login(client, land.users[who].username)
    page = client.get("/border/map")
    assert page.status_code == status
    nav = client.get("/dashboard").text
    assert ('id="nav-border-map"' in nav) == (status == 200)


def test_overlays_are_listed_for_the_users_who_hold_their_capability(client, land,
                                                                     monkeypatch):
    monkeypatch.setattr(views, "OVERLAYS", [
        ("patrols.live", "Live patrols", "/api/v1/patrols/live.geojson"),
        ("patrols.measures", "Blind spots", "/api/v1/patrols/blind-spots.geojson")])
    login(client, land.users["command"].username)
    command = _overlays(client.get("/border/map").text)
    assert [o["url"] for o in command] == ["/api/v1/patrols/live.geojson",
                                           "/api/v1/patrols/blind-spots.geojson"]
    login(client, land.users["village"].username)
    assert _overlays(client.get("/border/map").text) == []  # neither capability
    login(client, land.users["police"].username)
    assert _overlays(client.get("/border/map").text) == []


def test_a_post_record_saved_again_is_the_same_record(client, mapped):
    h = mapped.headers["command"]
    body = {"agency_id": mapped.post.id, "grade": 2, "lon": 105.5, "lat": 23.1, "staff": 9,
            **mapped.public}
    first = client.post("/api/v1/border/posts", headers=h, json=body)
    again = client.post("/api/v1/border/posts", headers=h, json=body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["village_ids"] == []
    assert client.get("/api/v1/border/posts", headers=h).json()["total"] == 1


def test_map_writers_find_the_qr_sheets_of_each_segment_on_the_map_page(client, mapped):
    login(client, mapped.users["command"].username)
    page = client.get("/border/map").text
    sheet = f'/border/checkpoints/print?segment={mapped.ids["S1"]}'
    assert sheet in page
    assert client.get(sheet).status_code == 200
    login(client, mapped.users["post_officer"].username)
    assert "/border/checkpoints/print" not in client.get("/border/map").text
    assert client.get(sheet).status_code == 403
