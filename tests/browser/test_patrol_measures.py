"""In a real browser: the patrol measures page (ECharts charts, the SYNTHETIC flag, the xlsx
download) and the live picture (Leaflet markers on the offline basemap, the SOS banner), in
zh-CN and in English. The border of our own making (tests/border/patrols/factories_measures)
is written into the live server's database beside the demo."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.border.patrols.factories_measures import add_live, build_scene
from tests.browser.login import log_in
from tests.factories import PASSWORD


@pytest.fixture(scope="module")
def scene(live_server):
    engine = create_engine(live_server.env["BASTION_DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        scene = build_scene(session, tag=".m")
        add_live(session, scene)
        session.commit()
    engine.dispose()
    return scene


def _watch(page) -> list[str]:
    failed: list[str] = []
    page.on("requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("pageerror", lambda exc: failed.append(str(exc)))
    return failed


@pytest.mark.parametrize(("locale", "words"), [
    ("zh-CN", {"title": "巡逻统计", "flag": "模拟数据", "live": "正在进行的巡逻",
               "sos": "求救：1 条求救尚未确认", "sheet": "总览"}),
    ("en-GB", {"title": "Patrol measures", "flag": "SYNTHETIC", "live": "Patrols under way",
               "sos": "SOS: 1 call(s) for help not yet acknowledged", "sheet": "Overview"}),
])
def test_measures_and_live_pages(browser, live_server, scene, locale, words):
    context = browser.new_context(locale=locale, accept_downloads=True)
    page = context.new_page()
    failed = _watch(page)
    log_in(page, live_server.url, scene.users["command_viewer"].username, PASSWORD)
    day = scene.day.isoformat()
    page.goto(f"{live_server.url}/patrols/measures?from={day}&to={day}")
    expect(page.locator("h1")).to_have_text(words["title"])
    expect(page.locator("#synthetic-flag")).to_contain_text(words["flag"])
    expect(page.locator("[data-measure=completion] .big")).to_have_text("20.0%")
    expect(page.locator("[data-measure=checkpoint_coverage] .big")).to_have_text("57.1%")
    expect(page.locator("body")).to_have_attribute("data-charts-ready", "true")
    for chart in ("ratios", "effort", "segments", "results"):
        expect(page.locator(f"#chart-{chart} canvas").first).to_be_attached()
    expect(page.locator("#measures-missed tbody tr")).to_have_count(2)
    expect(page.locator("#measures-blind-spots")).to_contain_text("D-02")
    with page.expect_download() as download:
        page.locator("#measures-xlsx").click()
    assert download.value.suggested_filename == f"patrol-measures-{day}-{day}.xlsx"
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames[0] == words["sheet"]
    page.screenshot(path=f"/tmp/patrol-measures-{locale}.png", full_page=True)
    context.close()

    # the post's officer: its own patrol under way, the SOS banner until acknowledged
    context = browser.new_context(locale=locale)
    page = context.new_page()
    failed += _watch(page)
    log_in(page, live_server.url, scene.users["post_a"].username, PASSWORD)
    page.goto(f"{live_server.url}/patrols/live")
    expect(page.locator("h1")).to_have_text(words["live"])
    banner = page.locator("#sos-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(words["sos"])
    expect(banner).to_contain_text("摔伤，需要支援")
    expect(page.locator("#live-patrols li")).to_have_count(1)  # post B's patrol is not its
    expect(page.locator("#live-map")).to_have_attribute("data-marker-count", "2")
    expect(page.locator(".leaflet-overlay-pane canvas").first).to_be_attached()
    expect(page.locator("#live-panel")).to_have_attribute("data-live-ready", "true")
    page.screenshot(path=f"/tmp/patrol-live-{locale}.png", full_page=True)
    assert failed == [], failed
    assert re.search(r"/patrols/live$", page.url)
    context.close()


def test_the_live_page_follows_the_event_stream(browser, live_server, scene):
    """With the page open, an SOS acknowledged through the API takes the banner down and a new
    one raised from the field puts it up again, without a reload (patrol.* events)."""
    import uuid
    from datetime import UTC, datetime

    import httpx

    def token(username: str) -> dict[str, str]:
        answer = httpx.post(f"{live_server.url}/api/v1/auth/token",
                            json={"username": username, "password": PASSWORD}).json()
        return {"Authorization": f"Bearer {answer['access_token']}"}

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    failed = _watch(page)
    log_in(page, live_server.url, scene.users["command_viewer"].username, PASSWORD)
    page.goto(f"{live_server.url}/patrols/live")
    expect(page.locator("#live-panel")).to_have_attribute("data-live-ready", "true")
    expect(page.locator("#live-patrols li")).to_have_count(2)  # the command sees both posts'
    banner = page.locator("#sos-banner")
    expect(banner).to_be_visible()
    post = token(scene.users["post_a"].username)
    ack = httpx.post(f"{live_server.url}/api/v1/patrols/sos/{scene.sos['open'].id}/acknowledge",
                     headers=post)
    assert ack.status_code == 200, ack.text
    expect(banner).to_have_count(0)
    expect(page.locator("#live-sos-done li")).to_have_count(2)
    raised = httpx.post(f"{live_server.url}/api/v1/patrols/field/sos", headers=post, json={
        "client_id": str(uuid.uuid4()), "patrol_id": scene.patrols["P8"].client_id,
        "device_at": datetime.now(UTC).isoformat(), "lon": 106.012, "lat": 22.9012,
        "message": "snake bite"})
    assert raised.status_code == 201, raised.text
    expect(page.locator("#sos-banner")).to_contain_text("snake bite")
    expect(page.locator("#sos-banner")).to_contain_text(
        "SOS: 1 call(s) for help not yet acknowledged")
    assert failed == [], failed
    context.close()


def test_the_post_officer_acknowledges_an_sos_from_the_banner(browser, live_server, scene):
    """An SOS raised from the field shows its sender and a link to its patrol; the post's
    officer (patrols.sos.ack) clicks Acknowledge and the banner goes; the map draws the
    border's segments and checkpoints under the patrols."""
    import uuid
    from datetime import UTC, datetime

    import httpx

    answer = httpx.post(f"{live_server.url}/api/v1/auth/token", json={
        "username": scene.users["post_a"].username, "password": PASSWORD}).json()
    post = {"Authorization": f"Bearer {answer['access_token']}"}
    raised = httpx.post(f"{live_server.url}/api/v1/patrols/field/sos", headers=post, json={
        "client_id": str(uuid.uuid4()), "patrol_id": scene.patrols["P8"].client_id,
        "device_at": datetime.now(UTC).isoformat(), "lon": 106.013, "lat": 22.9013,
        "message": "twisted ankle"})
    assert raised.status_code == 201, raised.text
    sos_id = raised.json()["id"]
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    failed = _watch(page)
    log_in(page, live_server.url, scene.users["post_a"].username, PASSWORD)
    page.goto(f"{live_server.url}/patrols/live")
    expect(page.locator("#live-panel")).to_have_attribute("data-live-ready", "true")
    item = page.locator(f'#sos-banner li[data-sos-id="{sos_id}"]')
    expect(item).to_contain_text("twisted ankle")
    expect(item).to_contain_text(scene.users["post_a"].display_name)
    expect(item.locator("a.sos-patrol")).to_have_attribute(
        "href", f"/border/patrols/{scene.patrols['P8'].id}")
    expect(page.locator("#live-map")).to_have_attribute(
        "data-border-layers", re.compile(r"segments:[1-9]"))
    expect(page.locator("#live-map")).to_have_attribute(
        "data-border-layers", re.compile(r"checkpoints:[1-9]"))
    item.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(f'#sos-banner li[data-sos-id="{sos_id}"]')).to_have_count(0)
    expect(page.locator(f'#live-sos-done li[data-sos-id="{sos_id}"]')).to_have_count(1)
    page.screenshot(path="/tmp/patrol-live-ack.png", full_page=True)
    assert failed == [], failed
    context.close()
