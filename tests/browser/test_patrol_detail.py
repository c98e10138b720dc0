"""In a real browser: one patrol's page draws the patrol on the offline basemap — the kept
track, the point cleaning removed (a grey cross), the checkpoint and the check-in — in zh-CN
and English; a GPX file uploaded through the page's form is stored and drawn, and a bad one
is refused naming the point."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in
from tests.browser.test_border_map import _ensure_map, _watch


def _headers(url: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": username,
                                                         "password": "bastion-demo"})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _patrol(url: str) -> tuple[int, dict]:
    """A patrol of the Pingmeng post recorded through the field API: a track with one
    impossible jump, a check-in at one of its checkpoints."""
    _ensure_map(url)
    h = _headers(url, "nong.post")
    kit = httpx.get(f"{url}/api/v1/patrols/field-kit", headers=h, timeout=30).json()
    checkpoint = kit["checkpoints"][0]
    started = httpx.post(f"{url}/api/v1/patrols/field/start", headers=h, timeout=30, json={
        "op_id": str(uuid.uuid4()), "patrol_id": str(uuid.uuid4()),
        "segment_id": checkpoint["segment_id"], "transport": "foot",
        "members": [{"user_id": kit["user"]["id"], "name": kit["user"]["name"],
                     "agency_id": kit["user"]["agency_id"], "is_leader": True}],
        "device_at": datetime.now(UTC).isoformat()})
    assert started.status_code == 201, started.text
    patrol = started.json()["patrol"]
    base = f"{url}/api/v1/patrols/field/{patrol['client_id']}"
    lon, lat = checkpoint["lon"], checkpoint["lat"]
    t0 = int(time.time()) - 600
    track = httpx.post(f"{base}/track", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "points": [
            [t0, lon - 0.002, lat, 5], [t0 + 60, lon - 0.001, lat, 5],
            [t0 + 90, lon + 0.05, lat, 5],  # 5 km in 30 s: removed
            [t0 + 120, lon, lat, 5]]})
    assert track.status_code == 201, track.text
    seen = httpx.post(f"{base}/check-ins", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "checkpoint_id": checkpoint["id"],
        "method": "geofence", "device_at": datetime.now(UTC).isoformat(),
        "lon": lon, "lat": lat})
    assert seen.status_code == 201, seen.text
    return patrol["id"], checkpoint


def _gpx(lon: float, lat: float, *, times: bool = True) -> bytes:
    t0 = int(time.time()) - 3600
    points = "".join(
        f'<trkpt lat="{lat + i * 0.0003:.6f}" lon="{lon + i * 0.0003:.6f}">'
        + (f"<time>{datetime.fromtimestamp(t0 + i * 60, UTC):%Y-%m-%dT%H:%M:%SZ}</time>"
           if times or i != 1 else "") + "</trkpt>" for i in range(5))
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="test" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{points}'
            f"</trkseg></trk></gpx>").encode()


def test_the_patrol_map_in_both_languages_and_a_gpx_upload(browser, live_server, tmp_path):
    patrol_id, checkpoint = _patrol(live_server.url)
    for language, words in (("zh-CN", ("速度不可能", "签到")),
                            ("en", ("Impossible speed", "Check-ins"))):
        context = browser.new_context(locale=language)
        page = context.new_page()
        failed = _watch(page)
        log_in(page, live_server.url, "nong.post")
        if language == "en":
            page.select_option("#language-select", "en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto(f"{live_server.url}/border/patrols/{patrol_id}")
        patrol_map = page.locator("#patrol-map")
        expect(patrol_map).to_have_attribute("data-ready", "1")
        expect(patrol_map).to_have_attribute("data-track-points", "3")
        expect(patrol_map).to_have_attribute("data-removed", "1")
        expect(patrol_map).to_have_attribute("data-check-ins", "1")
        expect(page.locator("#patrol-map .removed-cross")).to_have_count(1)
        expect(page.locator("#patrol-map path.leaflet-interactive").first).to_be_attached()
        page.locator("#patrol-map .removed-cross").hover()
        expect(page.locator(".leaflet-tooltip")).to_contain_text(words[0])
        expect(page.locator("#removed-by-reason")).to_contain_text(words[0])
        expect(page.locator("body")).to_contain_text(words[1])
        page.screenshot(path=str(tmp_path / f"patrol-{language}.png"), full_page=True)
        assert failed == [], failed
        context.close()

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, "nong.post")
    page.select_option("#language-select", "zh-CN")  # the switch above was kept for the user
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.goto(f"{live_server.url}/border/patrols/{patrol_id}")
    expect(page.locator("#patrol-map")).to_have_attribute("data-ready", "1")
    bad = tmp_path / "no-time.gpx"
    bad.write_bytes(_gpx(checkpoint["lon"], checkpoint["lat"], times=False))
    page.set_input_files("#gpx-form input[name=file]", str(bad))
    page.click("#gpx-form button[type=submit]")
    result = page.locator("#gpx-result")
    expect(result.locator("[data-outcome=error]")).to_contain_text("trkpt[1]")
    expect(page.locator("#patrol-map")).to_have_attribute("data-track-points", "3")
    good = tmp_path / "unit.gpx"
    good.write_bytes(_gpx(checkpoint["lon"], checkpoint["lat"]))
    page.set_input_files("#gpx-form input[name=file]", str(good))
    page.click("#gpx-form button[type=submit]")
    expect(result.locator("[data-outcome=stored]")).to_contain_text(re.compile(r"已保存.*5"))
    expect(page.locator("#patrol-map")).to_have_attribute("data-ready", "2")
    expect(page.locator("#patrol-map")).to_have_attribute("data-track-points", "8")
    page.set_input_files("#gpx-form input[name=file]", str(good))
    page.click("#gpx-form button[type=submit]")
    expect(result.locator("[data-outcome=duplicate]")).to_be_visible()
    page.screenshot(path=str(tmp_path / "patrol-gpx.png"), full_page=True)
    context.close()
