"""The phone's side (field kit, photos by the report's client id, replays) and blind-spot
surveys (who records and reads them, camera points proposed -> approved -> installed by the
command only, one step at a time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.attachments.models import Attachment
from tests.attachments import samples
from tests.hazards.world import API, body, build, field_of, new_id

SURVEYS = f"{API}/surveys"


@pytest.fixture
def w(session):
    return build(session)


def photo(client, w, client_id, data, who="aux", name="p.png"):
    return client.post(f"{API}/field/photos", data={"client_id": client_id},
                       files={"file": (name, data, "image/png")}, headers=w.headers(client, who))


def test_a_report_from_the_phone_with_its_photo(client, session, w):
    kit = client.get(f"{API}/field-kit", headers=w.headers(client, "aux")).json()
    assert [c["code"] for c in kit["categories"]][:5] == ["road", "landslide", "water_source",
                                                         "circuit", "fence"]
    assert kit["own_post"] == w.post_a.id and [p["id"] for p in kit["posts"]] == [w.post_a.id]
    village_kit = client.get(f"{API}/field-kit", headers=w.headers(client, "village")).json()
    assert {w.post_a.id, w.post_b.id} <= {p["id"] for p in village_kit["posts"]}
    assert client.get(f"{API}/field-kit", headers=w.headers(client, "police")).status_code == 403
    cid = new_id()
    sent = {"client_id": cid, "category": "landslide", "lon": 105.95, "lat": 22.97,
            "note": "塌方", "device_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat()}
    made = client.post(API, json=sent, headers=w.headers(client, "aux"))
    assert made.status_code == 201, made.text
    assert made.json()["geometry"] == {"type": "Point", "coordinates": [105.95, 22.97]}
    assert client.post(API, json=sent, headers=w.headers(client, "aux")).json()["duplicate"]
    image = samples.png(4, 3)
    first = photo(client, w, cid, image)
    assert first.status_code == 201, first.text
    again = photo(client, w, cid, image, name="again.png")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    text = photo(client, w, cid, b"just words\n")
    assert text.status_code == 422 and field_of(text) == "file"
    assert photo(client, w, new_id(), image).status_code == 404
    assert photo(client, w, cid, samples.png(5, 5), who="post_b").status_code == 404
    assert session.scalar(select(func.count()).select_from(Attachment).where(
        Attachment.record_kind == "hazard")) == 1
    detail = client.get(f"{API}/{made.json()['id']}", headers=w.headers(client, "cmd")).json()
    assert detail["photo_ids"] == [first.json()["id"]]
    # the generic attachments API follows the hazard's need-to-know
    listed = client.get("/api/v1/attachments", params={"record_kind": "hazard",
                                                        "record_id": made.json()["id"]},
                        headers=w.headers(client, "post_b"))
    assert listed.status_code == 404


def test_surveys_and_camera_points(client, w):
    today = datetime.now(UTC).date().isoformat()
    data = {"title": "平孟段监控盲区踏勘", "surveyed_on": today, "walked_km": 25.3,
            "points": [{"kind": "blind_spot", "lon": 105.9, "lat": 22.95, "note": "山坳"},
                       {"kind": "camera", "lon": 105.91, "lat": 22.96, "note": "建议补点"}]}
    made = client.post(SURVEYS, json=data, headers=w.headers(client, "post_a"))
    assert made.status_code == 201, made.text
    s = made.json()
    assert s["post_agency_id"] == w.post_a.id and (s["blind_spots"], s["camera_points"]) == (1, 1)
    for who, status in (("cmd", 200), ("cmd_viewer", 200), ("aux", 200), ("post_b", 404),
                        ("police", 200), ("army", 200), ("village", 403), ("station", 403),
                        ("agent", 403)):
        got = client.get(f"{SURVEYS}/{s['id']}", headers=w.headers(client, who))
        assert got.status_code == status, who
    for who in ("aux", "police", "village", "agent"):
        assert client.post(SURVEYS, json=data, headers=w.headers(client, who)).status_code == 403
    camera = next(p for p in s["points"] if p["kind"] == "camera")
    spot = next(p for p in s["points"] if p["kind"] == "blind_spot")
    url = f"{SURVEYS}/{s['id']}/points"
    assert client.post(f"{url}/{camera['id']}/status", json={"status": "approved"},
                       headers=w.headers(client, "post_a")).status_code == 403
    assert client.post(f"{url}/{camera['id']}/status", json={"status": "installed"},
                       headers=w.headers(client, "cmd")).status_code == 409
    assert client.post(f"{url}/{spot['id']}/status", json={"status": "approved"},
                       headers=w.headers(client, "cmd")).status_code == 409
    for status in ("approved", "installed"):
        got = client.post(f"{url}/{camera['id']}/status", json={"status": status},
                          headers=w.headers(client, "cmd"))
        assert got.status_code == 200 and got.json()["status"] == status
    added = client.post(url, json={"kind": "camera", "lon": 105.92, "lat": 22.961},
                        headers=w.headers(client, "post_a"))
    assert added.status_code == 201 and added.json()["status"] == "proposed"
    bad = client.post(url, json={"kind": "camera", "lon": 205, "lat": 22.9},
                      headers=w.headers(client, "post_a"))
    assert bad.status_code == 422 and field_of(bad) == "lon"
    future = client.post(SURVEYS, json={**data, "surveyed_on": "2999-01-01"},
                         headers=w.headers(client, "cmd"))
    assert future.status_code == 422 and field_of(future) == "surveyed_on"
    listed = client.get(SURVEYS, headers=w.headers(client, "post_b")).json()
    assert listed["total"] == 0


def test_totals_count_repairs_on_their_day_and_leave_drills_out(client, w):
    from tests.hazards.world import through

    a = client.post(API, json=body(), headers=w.headers(client, "post_a")).json()
    through(client, w, a["id"], to="verified", quantity=0.4)
    b = client.post(API, json=body(), headers=w.headers(client, "post_a")).json()
    through(client, w, b["id"], to="done", quantity=0.6)
    drill = client.post(API, json=body(exercise=True), headers=w.headers(client, "post_a")).json()
    through(client, w, drill["id"], to="verified", quantity=5)
    open_one = client.post(API, json=body(), headers=w.headers(client, "post_a")).json()
    through(client, w, open_one["id"], to="ordered")
    got = client.get(f"{API}/totals", headers=w.headers(client, "cmd"))
    assert got.status_code == 200, got.text
    road = next(r for r in got.json()["rows"] if r["category"] == "road")
    assert (road["repairs"], road["quantity"]) == (2, 1.0)
    assert (road["verified_repairs"], road["verified_quantity"]) == (1, 0.4)
    assert road["reports"] == 3
    mine = client.get(f"{API}/totals", headers=w.headers(client, "post_b")).json()
    assert next(r for r in mine["rows"] if r["category"] == "road")["repairs"] == 0
    for who in ("village", "agent", "station"):
        assert client.get(f"{API}/totals", headers=w.headers(client, who)).status_code == 403
    bad = client.get(f"{API}/totals?since=2026-12-01&until=2026-01-01",
                     headers=w.headers(client, "cmd"))
    assert bad.status_code == 422
