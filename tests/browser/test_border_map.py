"""In a real browser: the border map draws every layer for the command, in zh-CN and in
English, on the offline basemap; a village committee's map has no cameras or checkpoints."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from tests.border.geo.land import LINE_FILE, markers_csv, on_line
from tests.browser.login import log_in

ALL = {"line", "markers", "segments", "posts", "checkpoints", "cameras", "bridges", "piers",
       "barriers", "villages", "crossings"}


def _ensure_map(url: str) -> None:
    """The map of the demo command (Napo), made through the API unless already there."""
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": "huang.command",
                                                         "password": "bastion-demo"})
    h = {"Authorization": f"Bearer {token.json()['access_token']}"}
    if set(httpx.get(f"{url}/api/v1/border/map", headers=h).json()["layers"]) == ALL:
        return
    agencies = {a["code"]: a["id"] for a in httpx.get(
        f"{url}/api/v1/agencies?limit=200", headers=h).json()["items"]}
    public = [agencies[c] for c in ("NP-POL", "NP-ARMY", "NP-VC-NJ")]
    partners = [agencies["NP-POL"], agencies["NP-ARMY"]]

    def marking(ids, tlp="green"):
        return {"tlp": tlp, "distribution": "named", "agency_ids": ids}

    def post(path, **kwargs):
        response = httpx.post(f"{url}/api/v1/border/{path}", headers=h, timeout=60, **kwargs)
        assert response.status_code in (200, 201), response.text
        return response.json()

    form = {"tlp": "green", "distribution": "named", "agency_ids": [str(i) for i in public]}
    line = post("lines", data={**form, "name": "BT 中越边界"},
                files={"file": ("cn-vn.geojson", LINE_FILE.read_bytes())})
    rows = [(f"BT{km}", "界桩", f"{on_line(km)[0]:.6f}", f"{on_line(km)[1]:.6f}")
            for km in (580, 590, 600)]
    post("markers/import", data={**form, "line_id": str(line["id"])},
         files={"file": ("markers.csv", markers_csv(rows))})
    segment = post("segments", json={"code": "BT-S1", "name": "平孟段", "line_id": line["id"],
                                     "from_marker": "BT580", "to_marker": "BT600",
                                     "chief_name": "韦段长", "chief_phone": "13800000000",
                                     "post_agency_id": agencies["NP-JDC-PM"], **marking(public)})
    ids = {}
    for kind, name, km in (("village", "念井村", 585), ("camera", "卡口摄像头", 590),
                           ("bridge", "界河桥", 595), ("pier", "码头", 597),
                           ("barrier", "拦阻桩", 593), ("crossing", "平孟口岸", 599)):
        lon, lat = on_line(km, 300)
        ids[kind] = post("places", json={
            "kind": kind, "name": name, "lon": lon, "lat": lat, "segment_id": segment["id"],
            **marking(partners if kind == "camera" else public,
                      "amber" if kind == "camera" else "green")})["id"]
    lon, lat = on_line(588, 800)
    post("posts", json={"agency_id": agencies["NP-JDC-PM"], "grade": 1, "lon": lon, "lat": lat,
                        "staff": 12, "village_ids": [ids["village"]], **marking(public)})
    for code, km in (("BT-CP1", 584), ("BT-CP2", 596)):
        lon, lat = on_line(km, 20)
        post("checkpoints", json={"code": code, "name": f"卡点{code}", "lon": lon, "lat": lat,
                                  "radius_m": 80, "windows": [["08:30", "11:30"]],
                                  "segment_id": segment["id"], **marking(partners)})


def _watch(page) -> list[str]:
    failed: list[str] = []
    page.on("requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    return failed


def _layers(page) -> set[str]:
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    return set((page.locator("#map").get_attribute("data-layers") or "").split())


def test_the_command_sees_every_layer_in_both_languages(browser, live_server, tmp_path):
    _ensure_map(live_server.url)
    for language, words in (("zh-CN", ("边境地图", "界碑界桩", "摄像头", "巡防卡点", "防控段")),
                            ("en", ("Border map", "Boundary markers", "Cameras", "Checkpoints",
                                    "Defence segments"))):
        context = browser.new_context(locale=language)
        page = context.new_page()
        failed = _watch(page)
        log_in(page, live_server.url, "huang.command")
        if language == "en":  # the language switch in the top bar (submits on change)
            page.select_option("#language-select", "en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
        page.locator("#nav-border-map").click()
        expect(page).to_have_url(re.compile(r"/border/map$"))
        assert _layers(page) == ALL
        expect(page.locator("h1")).to_have_text(words[0])
        control = page.locator(".leaflet-control-layers")
        for word in words[1:]:
            expect(control).to_contain_text(word)
        expect(page.locator(".leaflet-overlay-pane canvas").first).to_be_attached()
        page.screenshot(path=str(tmp_path / f"border-map-{language}.png"))
        assert failed == [], failed  # the basemap, Leaflet and the layers all served locally
        context.close()


def test_a_village_committee_map_has_no_cameras_or_checkpoints(browser, live_server):
    _ensure_map(live_server.url)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    failed = _watch(page)
    log_in(page, live_server.url, "ma.village")
    page.goto(f"{live_server.url}/border/map")
    layers = _layers(page)
    assert {"line", "markers", "segments", "villages"} <= layers
    assert not layers & {"cameras", "checkpoints"}
    control = page.locator(".leaflet-control-layers")
    expect(control).to_contain_text("界碑界桩")
    expect(control).not_to_contain_text("摄像头")
    expect(control).not_to_contain_text("巡防卡点")
    assert failed == [], failed
    context.close()


def test_a_port_officer_has_no_border_map(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, "li.officer")
    expect(page.locator("#nav-border-map")).to_have_count(0)
    response = page.goto(f"{live_server.url}/border/map")
    assert response is not None and response.status == 403
    context.close()
