"""A legal-outreach visit entered on a phone with the network off, with a photo, reaches the
server once the network returns (the visit, then its photo by the visit's client id).

Real parts only, as tests/browser/test_resident_visit_offline.py: the live server, Debian's
chromium, the page's service worker and IndexedDB, offline with the worker's requests cut."""

from __future__ import annotations

import os

import httpx
import pytest
from playwright.sync_api import expect

from tests.attachments import samples
from tests.browser.login import log_in

AUXILIARY = "he.auxiliary"  # a viewer at the Pingmeng post: records outreach on the phone
API = "/api/v1/outreach"


@pytest.fixture(scope="module", autouse=True)
def service_worker_network_events():
    before = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    yield
    if before is None:
        os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
    else:
        os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = before


def test_a_visit_entered_offline_arrives_with_its_photo(browser, live_server, tmp_path):
    url = live_server.url
    token = httpx.post(f"{url}/api/v1/auth/token",
                       json={"username": AUXILIARY, "password": "bastion-demo"}).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}

    def visits() -> dict:
        return httpx.get(f"{url}{API}/visits?limit=1", headers=auth, timeout=30).json()

    before = visits()["total"]
    context = browser.new_context(locale="zh-CN", service_workers="allow")
    page = context.new_page()
    log_in(page, url, AUXILIARY)
    page.goto(f"{url}/outreach/field")
    root = page.locator("#outreach-field")
    expect(root).to_have_attribute("data-ready", "true")
    expect(root).to_have_attribute("data-kit", "online")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true", timeout=30000)

    def no_network(route):
        if route.request.service_worker:
            route.abort("internetdisconnected")
        else:
            route.continue_()
    context.set_offline(True)
    context.route("**/*", no_network)
    reloaded = page.reload()
    assert reloaded is not None and reloaded.from_service_worker
    expect(root).to_have_attribute("data-ready", "true")
    expect(root).to_have_attribute("data-kit", "kept")

    photo = tmp_path / "outreach.png"
    photo.write_bytes(samples.png(8, 6))
    page.select_option("#field-topic", "anti_illegal_crossing")
    page.fill("#field-attendees", "66")
    page.fill("#field-officers", "何海龙")
    page.set_input_files("#field-photo", str(photo))
    page.click("#field-save")
    expect(root).to_have_attribute("data-pending", "2")
    assert visits()["total"] == before  # nothing has reached the server

    context.unroute("**/*", no_network)
    context.set_offline(False)
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-problems", "0")
    assert visits()["total"] == before + 1
    found = httpx.get(f"{url}{API}/visits?limit=200", headers=auth).json()["items"]
    mine = next(v for v in found if v["attendees"] == 66 and v["officers"] == ["何海龙"])
    one = httpx.get(f"{url}{API}/visits/{mine['id']}", headers=auth).json()
    assert one["topic"] == "anti_illegal_crossing" and len(one["photos"]) == 1
    context.close()
