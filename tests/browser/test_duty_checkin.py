"""In a real browser on the demo: the post officer presses the big check-in button on the
phone-sized check-in page; duty-checkin.js posts it (client id, the phone's time and
position) and shows it done, and the server has it once."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in


def test_the_big_button_checks_in(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  permissions=["geolocation"],
                                  geolocation={"latitude": 23.0, "longitude": 105.8})
    page = context.new_page()
    log_in(page, live_server.url, "nong.post")
    page.goto(f"{live_server.url}/duty/checkin")
    button = page.locator("#checkin-button")
    expect(button).to_be_visible()
    assert button.bounding_box()["width"] > 300  # the whole width of a phone
    button.click()
    expect(page.locator("#checkin-result")).to_contain_text("签到", timeout=10_000)
    token = httpx.post(f"{live_server.url}/api/v1/auth/token",
                       json={"username": "nong.post", "password": "bastion-demo"}).json()
    status = httpx.get(f"{live_server.url}/api/v1/duty/checkins/status", headers={
        "Authorization": f"Bearer {token['access_token']}"}).json()
    assert status["last_checkin_at"] is not None
    context.close()
