"""A home visit's result recorded on a phone with the network off appears at the server once
the network returns, and the same operation sent again is a duplicate that changes nothing;
a second, different result for the done visit is a conflict, shown and kept on the phone.

Real parts only, as tests/browser/test_patrol_offline.py: the live server (uvicorn, SQLite,
demo people), Debian's chromium, the page's service worker and IndexedDB, offline mode with
the service worker's own requests cut too."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in

POST, AUXILIARY = "nong.post", "he.auxiliary"  # the same post (NP-JDC-PM)
API = "/api/v1/residents/visits"


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


def _visit(url: str) -> int:
    """A person registered by the post and a home visit for them, sent by the post."""
    h = _bearer(url, POST)
    made = httpx.post(f"{url}/api/v1/residents", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "name": "Hoàng Thị Mai", "name_latin": "HOANG THI MAI",
        "name_han": "黄氏梅", "sex": "female", "birth_date": "1993-07-08", "nationality": "VNM"})
    assert made.status_code == 201, made.text
    task = httpx.post(f"{url}{API}", headers=h, timeout=30, json={
        "resident_id": made.json()["resident"]["id"], "reason": "核实现住址（测试）"})
    assert task.status_code == 201, task.text
    return task.json()["id"]


def test_visit_result_recorded_offline_is_sent_once(browser, live_server):
    url = live_server.url
    task_id = _visit(url)
    post = _bearer(url, POST)

    def at_server() -> dict:
        return httpx.get(f"{url}{API}/{task_id}", headers=post).raise_for_status().json()

    context = browser.new_context(locale="zh-CN", service_workers="allow")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url, AUXILIARY)

    # Online: the page opens, its worker keeps the page, the field kit is kept on the phone.
    page.goto(f"{url}/residents/visits/field")
    root = page.locator("#visits")
    expect(root).to_have_attribute("data-ready", "true")
    expect(root).to_have_attribute("data-kit", "online")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true", timeout=30000)
    visit = page.locator(f"#visit-{task_id}")
    expect(visit).to_contain_text("Hoàng Thị Mai")
    expect(visit).to_contain_text("核实现住址")

    # Offline for the page and its worker alike.
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
    expect(root).to_have_attribute("data-net", "offline")
    expect(root).to_have_attribute("data-kit", "kept")
    expect(page.locator("#kit-state")).to_contain_text("本机保存的走访任务")

    # The result, kept on the phone: a result must be chosen first.
    visit.locator("button[type=submit]").click()
    expect(visit.locator("p.error")).to_have_text("请选择走访结果。")
    visit.locator("select[name=result]").select_option("changed")
    visit.locator("textarea[name=notes]").fill("已搬到5组，门牌17号（测试）")
    visit.locator("button[type=submit]").click()
    expect(visit).to_have_attribute("data-state", "kept")
    expect(root).to_have_attribute("data-pending", "1")
    assert at_server()["status"] == "open"  # nothing has reached the server
    page.evaluate("BastionOffline.store.queued().then(ops => "
                  "BastionOffline.store.kvSet('test-copy', ops))")

    # The network returns: sent once.
    context.unroute("**/*", no_network)
    context.set_offline(False)
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-problems", "0")
    done = at_server()
    assert (done["status"], done["result"]) == ("done", "changed")
    assert done["notes"] == "已搬到5组，门牌17号（测试）" and done["visited_device_at"]

    # The very same operation again: a duplicate, nothing changes.
    page.reload()
    expect(root).to_have_attribute("data-ready", "true")
    page.evaluate("""async () => {
        const store = BastionOffline.store;
        for (const op of await store.kvGet('test-copy')) { delete op.seq; await store.enqueue(op); }
    }""")
    page.click("#sync-now")
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-duplicates", "1")
    expect(root).to_have_attribute("data-problems", "0")
    assert at_server() == done

    # Another result for the done visit (another phone's, say): a conflict, kept and shown.
    page.evaluate("""async () => {
        const store = BastionOffline.store;
        const op = (await store.kvGet('test-copy'))[0];
        delete op.seq;
        op.op_id = op.json.client_id = crypto.randomUUID();
        op.json.result = 'absent';
        await store.enqueue(op);
    }""")
    page.click("#sync-now")
    problem = page.locator("#sync-problems li.conflict")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("已完成（信息需更正）")
    assert at_server() == done
    assert errors == [], errors
    context.close()
