"""Attendance taken on a phone at a meeting with the network off reaches the server once the
network returns, and the same operation sent again is a duplicate that changes nothing (the
client id makes it idempotent). Real parts only: the live server, Debian's chromium, the
page's service worker and IndexedDB, offline mode with the worker's own requests cut too."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in

COMMAND = "huang.command"
API = "/api/v1/training"


@pytest.fixture(scope="module", autouse=True)
def service_worker_network_events():
    before = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    yield
    if before is None:
        os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
    else:
        os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = before


def _bearer(url: str, username: str) -> dict[str, str]:
    answer = httpx.post(f"{url}/api/v1/auth/token",
                        json={"username": username, "password": "bastion-demo"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_attendance_taken_offline_is_sent_once(browser, live_server):
    url = live_server.url
    h = _bearer(url, COMMAND)
    made = httpx.post(f"{url}{API}/events", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "kind": "meeting_military_civil",
        "title": "军民联席会议（离线考勤测试）",
        "starts_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat()})
    assert made.status_code == 201, made.text
    event_id = made.json()["id"]

    def at_server() -> list[dict]:
        return httpx.get(f"{url}{API}/events/{event_id}", headers=h, timeout=30
                         ).raise_for_status().json()["attendance"]

    context = browser.new_context(locale="zh-CN", service_workers="allow",
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url, COMMAND)
    page.goto(f"{url}/training/attend")
    root = page.locator("#attend")
    expect(root).to_have_attribute("data-ready", "true")
    expect(root).to_have_attribute("data-kit", "online")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true", timeout=30000)
    card = page.locator(f"section[data-event='{event_id}']")
    expect(card).to_contain_text("离线考勤测试")

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
    person = card.locator("li[data-person='黄建国']")
    person.locator("button.mark-present").click()
    expect(person).to_have_attribute("data-state", "present")
    expect(root).to_have_attribute("data-pending", "1")
    assert at_server() == []  # nothing has reached the server
    page.evaluate("BastionOffline.store.queued().then(ops => "
                  "BastionOffline.store.kvSet('test-copy', ops))")

    context.unroute("**/*", no_network)
    context.set_offline(False)
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-problems", "0")
    sent = at_server()
    assert [(a["name"], a["present"]) for a in sent] == [("黄建国", True)]

    # The very same operation again: a duplicate, nothing changes.
    page.evaluate("""async () => {
        const store = BastionOffline.store;
        for (const op of await store.kvGet('test-copy')) { delete op.seq; await store.enqueue(op); }
    }""")
    page.click("#sync-now")
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-duplicates", "1")
    assert at_server() == sent
    assert errors == []
    context.close()
