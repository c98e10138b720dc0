"""Cases in the browser, on the live demo (uvicorn, SQLite, Debian's chromium):

- a case opened from a vessel alert through the page links the vessel, its port call and the
  call's crew, and is visible to the named participating agency (customs) and to nobody else
  (the maritime safety administration, the land-border command: 404);
- a villager's tip entered on the phone with the network off reaches the post's queue once
  the network returns, and the reporter then sees it received.
"""

from __future__ import annotations

import os
import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in


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


def _alert_with_a_call(url: str) -> int:
    """A demo alert whose vessel has an open port call (the demo's cases say which)."""
    h = _bearer(url, "li.officer")
    found = httpx.get(f"{url}/api/v1/cases?kind=alert&limit=50", headers=h, timeout=30).json()
    for case in found["items"]:
        detail = httpx.get(f"{url}/api/v1/cases/{case['id']}", headers=h, timeout=30).json()
        if any(link["kind"] == "crew_member" for link in detail["links"]):
            return case["source_id"]
    raise AssertionError("no demo alert with an open call")


def test_a_case_from_a_vessel_alert_is_shared_with_customs_only(browser, live_server):
    url = live_server.url
    alert_id = _alert_with_a_call(url)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url, "li.officer")
    page.goto(f"{url}/cases/new?kind=alert&record_id={alert_id}")
    expect(page.locator("#case-kind")).to_have_value("alert")
    page.locator("#case-share label", has_text="阳江海关").locator("input").check()
    page.click("#open-case")
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    case_url = page.url
    links = page.locator("#case-links")
    expect(links.locator("li[data-link-kind=vessel]")).to_have_count(1)
    expect(links.locator("li[data-link-kind=port_call]")).to_have_count(1)
    assert links.locator("li[data-link-kind=crew_member]").count() >= 2
    expect(links.locator("li[data-link-kind=alert]")).to_have_count(1)
    expect(page.locator("#case-shared")).to_contain_text("阳江海关")
    title = page.locator("#case-title").inner_text()
    context.close()

    for username, seen in (("zhou.customs", True), ("xu.msa", False),
                           ("huang.command", False), ("wei.police", False)):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        log_in(page, url, username)
        answer = page.goto(case_url)
        assert answer is not None
        if seen:
            assert answer.status == 200, username
            expect(page.locator("#case-title")).to_have_text(title)
            page.goto(f"{url}/cases")
            expect(page.locator(f"tr[data-case='{case_url.rsplit('/', 1)[1]}']")).to_have_count(1)
        else:
            assert answer.status == 404, username
            page.goto(f"{url}/cases")
            expect(page.locator(f"tr[data-case='{case_url.rsplit('/', 1)[1]}']")).to_have_count(0)
        context.close()
    assert errors == [], errors


def test_a_tip_entered_offline_reaches_the_post_s_queue(browser, live_server):
    url = live_server.url
    text = "河边有人搬运纸箱上摩托车（浏览器测试）"
    context = browser.new_context(locale="zh-CN", service_workers="allow")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url, "ma.village")
    page.goto(f"{url}/tips/field")
    root = page.locator("#tips")
    expect(root).to_have_attribute("data-ready", "true", timeout=30000)
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
    expect(root).to_have_attribute("data-ready", "true", timeout=30000)
    expect(root).to_have_attribute("data-net", "offline")

    page.click("#tip-send")
    expect(page.locator("#tip-state")).to_have_text("请选择发现的情况。")
    page.select_option("#tip-kind", "smuggling")
    page.fill("#tip-description", text)
    page.click("#tip-send")
    expect(page.locator("#tip-state")).to_contain_text("举报已保存在本机")
    expect(root).to_have_attribute("data-pending", "1")
    expect(page.locator("#tip-list li[data-status=pending]", has_text=text)).to_have_count(1)

    command = _bearer(url, "huang.command")

    def queued() -> list[dict]:
        found = httpx.get(f"{url}/api/v1/cases?kind=tip&limit=100", headers=command,
                          timeout=30).json()
        return [c for c in found["items"] if c["description"] == text]
    assert queued() == []  # nothing has reached the server

    context.unroute("**/*", no_network)
    context.set_offline(False)
    expect(root).to_have_attribute("data-pending", "0", timeout=60000)
    expect(root).to_have_attribute("data-problems", "0")
    cases = queued()
    assert len(cases) == 1
    post = httpx.get(f"{url}/api/v1/agencies", headers=command, timeout=30)
    unit = cases[0]["unit_id"]
    if post.status_code == 200:
        codes = {a["id"]: a["code"] for a in post.json().get("items", post.json())}
        assert codes.get(unit, "NP-JDC-").startswith("NP-JDC-")
    # the reporter sees it received, nothing of the case
    mine = page.locator("#tip-list li[data-status=received]", has_text=text)
    expect(mine).to_have_count(1, timeout=30000)
    expect(mine).to_contain_text("已收到，正在核查")
    context.close()

    # the post's queue in the browser
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, url, "nong.post")
    page.goto(f"{url}/cases?kind=tip&agency_id={unit}")
    row = page.locator(f"tr[data-case='{cases[0]['id']}']")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("走私")
    context.close()
    assert errors == [], errors
