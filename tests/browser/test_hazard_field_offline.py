"""A hazard reported on a phone with the network off — category, note, photo, GPS fix —
reaches the server once the network returns, with its photo; the very same operations sent
again are duplicates that change nothing. Real parts only, as the other offline tests: the
live server, Debian's chromium, the page's service worker and IndexedDB, offline mode with
the worker's own requests cut too."""

from __future__ import annotations

import os

import httpx
import pytest
from playwright.sync_api import expect

from tests.attachments import samples
from tests.browser.login import log_in

AUXILIARY = "he.auxiliary"  # a Pingmeng post auxiliary (viewer): reports, does not triage
NOTE = "1230号界碑旁小路塌方（离线测试）"


@pytest.fixture(scope="module", autouse=True)
def service_worker_network_events():
    before = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    yield
    if before is None:
        os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
    else:
        os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = before


def _mine(url: str) -> list[dict]:
    token = httpx.post(f"{url}/api/v1/auth/token",
                       json={"username": "huang.command", "password": "bastion-demo"})
    h = {"Authorization": f"Bearer {token.json()['access_token']}"}
    rows = httpx.get(f"{url}/api/v1/hazards?category=landslide&status=reported&limit=200",
                     headers=h).raise_for_status().json()["items"]
    found = [r for r in rows if r["note"] == NOTE]
    return [httpx.get(f"{url}/api/v1/hazards/{r['id']}", headers=h).json() for r in found]


def test_a_hazard_reported_offline_is_sent_once(browser, live_server, tmp_path):
    url = live_server.url
    context = browser.new_context(locale="zh-CN", service_workers="allow",
                                  geolocation={"longitude": 105.8861, "latitude": 22.9583},
                                  permissions=["geolocation"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url, AUXILIARY)
    page.goto(f"{url}/hazards/field")
    root = page.locator("#hazard-field")
    expect(root).to_have_attribute("data-ready", "true")
    expect(root).to_have_attribute("data-kit", "online")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true", timeout=30000)
    expect(page.locator("#f-post-field")).to_be_hidden()  # a post reports for itself

    cut: list[str] = []

    def no_network(route):
        if route.request.service_worker:
            cut.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()
    context.set_offline(True)
    context.route("**/*", no_network)
    reloaded = page.reload()
    assert reloaded is not None and reloaded.from_service_worker
    expect(root).to_have_attribute("data-ready", "true")
    expect(root).to_have_attribute("data-kit", "kept")

    page.click("#f-submit")
    expect(page.locator("#f-error")).to_have_text("请选择类别。")
    page.select_option("#f-category", "landslide")
    page.fill("#f-note", NOTE)
    page.fill("#f-marker", "1230")
    photo = tmp_path / "landslide.png"
    photo.write_bytes(samples.png(6, 4))
    page.set_input_files("#f-photo", str(photo))
    page.click("#f-submit")
    expect(root).to_have_attribute("data-pending", "2")  # the report, then its photo
    expect(root).to_have_attribute("data-reports", "1")
    assert _mine(url) == []  # nothing has reached the server
    page.evaluate("BastionOffline.store.queued().then(ops => "
                  "BastionOffline.store.kvSet('test-copy', ops))")

    context.unroute("**/*", no_network)
    context.set_offline(False)
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-problems", "0")
    found = _mine(url)
    assert len(found) == 1
    hazard = found[0]
    assert hazard["geometry"] == {"type": "Point", "coordinates": [105.8861, 22.9583]}
    assert hazard["marker"] == "1230" and len(hazard["photo_ids"]) == 1

    page.reload()
    expect(root).to_have_attribute("data-ready", "true")
    page.evaluate("""async () => {
        const store = BastionOffline.store;
        for (const op of await store.kvGet('test-copy')) { delete op.seq; await store.enqueue(op); }
    }""")
    page.click("#sync-now")
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-duplicates", "2")
    expect(root).to_have_attribute("data-problems", "0")
    again = _mine(url)
    assert len(again) == 1 and again[0]["photo_ids"] == hazard["photo_ids"]
    assert errors == [], errors
    context.close()
