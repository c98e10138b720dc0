"""In a real browser: the command's field-alarm map adds the marker of an alarm the moment a
device sends it (the live stream), lists it, and the command acknowledges it from the list; the
police named on the devices see it without the buttons; a village committee has no such page."""

from __future__ import annotations

import json
import time
import uuid

import httpx
from playwright.sync_api import expect

from bastion.fieldalarms import keys
from tests.browser.login import log_in

API = "/api/v1/field-alarms"


def _device(url: str) -> tuple[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": "huang.command",
                                                         "password": "bastion-demo"})
    h = {"Authorization": f"Bearer {token.json()['access_token']}"}
    agencies = {a["code"]: a["id"] for a in httpx.get(
        f"{url}/api/v1/agencies?limit=200", headers=h).json()["items"]}
    code = f"BT-{uuid.uuid4().hex[:6]}"
    made = httpx.post(f"{url}{API}/devices", headers=h, timeout=30, json={
        "code": code, "name": "一键报警桩（浏览器测试）", "kind": "button", "lon": 105.87,
        "lat": 22.97, "post_agency_id": agencies["NP-JDC-PM"]})
    assert made.status_code == 201, made.text
    return code, made.json()["key"]


def _press(url: str, code: str, key: str) -> int:
    body = keys.signed({"device": code, "id": uuid.uuid4().hex, "ts": int(time.time()),
                        "kind": "button"}, key)
    reply = httpx.post(f"{url}{API}/intake", content=json.dumps(body), timeout=30,
                       headers={"Content-Type": "application/json"})
    assert reply.status_code == 201, reply.text
    return reply.json()["alarm_id"]


def test_an_alarm_appears_on_the_command_s_map_at_once(browser, live_server):
    url = live_server.url
    code, key = _device(url)
    page = browser.new_page()
    log_in(page, url, "huang.command")
    expect(page.locator("#nav-field-alarms")).to_be_visible()
    page.goto(f"{url}/field-alarms")
    alarm_map = page.locator("#fa-map")
    expect(alarm_map).to_have_attribute("data-live-ready", "true", timeout=15000)
    expect(alarm_map).to_have_attribute("data-device-markers", str_re(r"\d+"), timeout=15000)
    expect(page.locator("#fa-chart")).to_have_attribute("data-drawn", "true", timeout=15000)
    alarm_id = _press(url, code, key)
    expect(alarm_map).to_have_attribute("data-last-alarm", str(alarm_id), timeout=5000)
    expect(page.locator(f".leaflet-tooltip:has-text('{code}')").first).to_be_visible()
    item = page.locator(f"#fa-open li[data-alarm='{alarm_id}']")
    expect(item).to_be_visible(timeout=5000)
    item.locator("button[data-action=acknowledge]").click()
    expect(page.locator(f"#fa-open li[data-alarm='{alarm_id}']")).to_have_attribute(
        "data-status", "acknowledged", timeout=5000)
    expect(page.locator(f"#fa-open li[data-alarm='{alarm_id}']")).to_contain_text("黄建国")

    # the command gives the device a new key on the devices page: shown once, the old one dead
    page.goto(f"{url}/field-alarms/devices")
    page.locator(f"button.fa-key[data-device='{code}'][data-url$='/rotate']").click()
    expect(page.locator("#fa-key-value")).to_be_visible()
    new_key = page.locator("#fa-key-value").text_content()
    assert new_key and new_key != key
    refused = httpx.post(f"{url}{API}/intake", timeout=30, content=json.dumps(keys.signed(
        {"device": code, "id": uuid.uuid4().hex, "ts": int(time.time()), "kind": "button"},
        key)), headers={"Content-Type": "application/json"})
    assert refused.status_code == 401
    _press(url, code, new_key)
    page.close()

    police = browser.new_page()
    log_in(police, url, "wei.police")
    police.goto(f"{url}/field-alarms?alarm={alarm_id}")
    row = police.locator(f"#fa-open li[data-alarm='{alarm_id}']")
    expect(row).to_be_visible()
    expect(row.locator("button")).to_have_count(0)
    police.close()

    village = browser.new_page()
    log_in(village, url, "ma.village")
    expect(village.locator("#nav-field-alarms")).to_have_count(0)
    assert village.goto(f"{url}/field-alarms").status == 403
    village.close()


def str_re(pattern: str):
    import re

    return re.compile(pattern)
