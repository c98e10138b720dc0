"""In a real browser on the demo: the command sends the Pingmeng post four spare winter
uniforms; the post officer opens the supplies page (its people: the twenty on the post's duty
list), issues the winter-uniform kit to two new auxiliaries in one step, and the post's stock
and its value go down by two uniforms (¥600); the two are listed as from an earlier issue."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in


def _token(url: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token",
                       json={"username": username, "password": "bastion-demo"}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_a_post_issues_the_winter_uniform_kit(browser, live_server):
    url = live_server.url
    command = _token(url, "huang.command")
    stores = {s["code"]: s["id"] for s in httpx.get(
        f"{url}/api/v1/supplies/stores", headers=command).json()["items"]}
    pm = stores["NP-JDC-PM"]
    sent = httpx.post(f"{url}/api/v1/supplies/movements", headers=command, json={
        "kind": "issue", "item_code": "UNI-WINTER", "quantity": 4,
        "from_agency_id": stores["NP-JDC"], "to_agency_id": pm})
    assert sent.status_code == 201, sent.text

    context = browser.new_context()
    page = context.new_page()
    log_in(page, url, "nong.post")
    page.goto(f"{url}/supplies")
    row = page.locator(f'#stock tr[data-item="UNI-WINTER"][data-agency="{pm}"]')
    expect(row.locator(".qty")).to_contain_text("4")
    expect(row.locator(".value")).to_have_text("1,200.00")
    expect(page.locator("#stock-chart canvas")).to_have_count(1)
    # the post's people are its duty list's (the auxiliaries without a login too)
    expect(page.locator('#kit-people-list tr[data-source="duty"]')).to_have_count(20)
    page.select_option("#kit-item", "UNI-WINTER")
    page.fill("#kit-people", "班永福\n岑月娥")
    page.click("#kit-submit")
    expect(page.locator("#kit-issued")).to_be_visible()
    row = page.locator(f'#stock tr[data-item="UNI-WINTER"][data-agency="{pm}"]')
    expect(row.locator(".qty")).to_contain_text("2")
    expect(row.locator(".value")).to_have_text("600.00")
    # the two new names are people of the post now, from an earlier issue
    page.click("#kit-people-of-post summary")
    expect(page.locator('#kit-people-list tr[data-source="issued"]', has_text="班永福")).to_be_visible()
    held = httpx.get(f"{url}/api/v1/supplies/holdings", params={"agency_id": pm},
                     headers=_token(url, "nong.post")).json()["items"]
    assert {"person": "班永福", "item_code": "UNI-WINTER", "item_name": "冬季执勤服",
            "quantity": 1} in held
    context.close()
