"""In a real browser: the live map draws vessels on the offline basemap; an alert is worked."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_map_and_alert_workflow(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    failed: list[str] = []
    # Requests cut short by navigating away (live streams, pending fetches) are not failures.
    page.on("requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "li.officer")
    page.fill("input[name=password]", "bastion-demo")
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"{live_server.url}/maritime")
    expect(page.locator("#map")).to_have_attribute("data-vessel-count", re.compile(r"^1[0-9]$"))
    expect(page.locator(".leaflet-overlay-pane canvas").first).to_be_attached()  # land, zones
    expect(page.locator("#alert-feed")).to_contain_text("夜间抵近岸线")
    # Ports known without drawing (UN/LOCODE: Zhapo, Yangjiang, ...) drawn for the view.
    expect(page.locator("#map")).to_have_attribute("data-place-count", re.compile(r"^[1-9]"))
    expect(page.locator("#map")).to_have_attribute("data-label-port", "港口（UN/LOCODE）")

    page.goto(f"{live_server.url}/maritime/alerts?kind=gap")
    page.locator("#alert-rows a", has_text="AIS").first.click()
    expect(page.locator("h1")).to_contain_text("AIS")
    page.click("form[action$='/acknowledge'] button")
    expect(page.locator("form[action$='/acknowledge']")).to_have_count(0)
    page.fill("input[name=note]", "渔船，设备故障，已电话核实")
    page.click("form[action$='/close'] button")
    expect(page.locator("dl.facts")).to_contain_text("已电话核实")
    assert failed == [], failed  # every script, stylesheet and map file served locally
    context.close()
