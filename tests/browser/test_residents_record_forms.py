"""In a real browser: a post opens a person who entered more than a day ago and never
registered lodging (the flag is open on the page), adds an unregistered marriage from the
person page (a new flag appears, with its article) and the lodging registration made within
the 24 hours (that flag is cleared) — the flags recomputed on each write."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in


def _person_who_entered(url: str) -> tuple[int, datetime]:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": "nong.post",
                                                         "password": "bastion-demo"})
    h = {"Authorization": f"Bearer {token.json()['access_token']}"}
    made = httpx.post(f"{url}/api/v1/residents", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "name": "Hoàng Thị Duyên", "name_latin": "HOANG THI DUYEN",
        "sex": "female", "birth_date": "1993-04-05", "nationality": "VNM"})
    assert made.status_code == 201, made.text
    rid = made.json()["resident"]["id"]
    entered = (datetime.now(UTC) - timedelta(days=3)).replace(second=0, microsecond=0)
    crossed = httpx.post(f"{url}/api/v1/residents/{rid}/crossings", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "at": entered.isoformat(), "direction": "in",
        "crossing_point": "东兴"})
    assert crossed.status_code == 201, crossed.text
    return rid, entered


def test_a_post_adds_a_marriage_and_a_lodging_and_sees_the_flags_change(live_server, browser):
    url = live_server.url
    rid, entered = _person_who_entered(url)
    page = browser.new_page()
    try:
        log_in(page, url, "nong.post")
        page.goto(f"{url}/residents/{rid}?purpose=home_visit")
        lodging_flag = page.locator("#flags li.flag-no_lodging_registration")
        expect(lodging_flag).to_have_attribute("data-status", "open")
        expect(page.locator("#flags li.flag-unregistered_marriage")).to_have_count(0)

        # an unregistered marriage with a Chinese spouse
        page.click("#marriages summary")
        form = page.locator("#marriages-form")
        form.locator("input[name=spouse_name]").fill("韦国强")
        form.locator("input[name=since]").fill("2020-10-01")
        expect(form.locator("input[name=registered]")).not_to_be_checked()
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/residents/{rid}\?purpose=home_visit#marriages$"))
        marriage_flag = page.locator("#flags li.flag-unregistered_marriage")
        expect(marriage_flag).to_have_attribute("data-status", "open")
        expect(page.locator("#marriages li")).to_contain_text("韦国强")

        # a lodging registration refused at its field first, then made within the 24 hours
        page.click("#lodgings summary")
        form = page.locator("#lodgings-form")
        form.locator("input[name=address]").fill("那坡县念井村2组")
        form.evaluate("f => f.noValidate = true")  # let the server name the missing time
        form.locator("button[type=submit]").click()
        expect(page.locator("#error-lodgings-form-registered_at")).to_be_visible()
        expect(lodging_flag).to_have_attribute("data-status", "open")
        local = (entered + timedelta(hours=3)).astimezone(ZoneInfo("Asia/Shanghai"))
        form = page.locator("#lodgings-form")
        form.locator("input[name=registered_at]").fill(local.strftime("%Y-%m-%dT%H:%M"))
        form.locator("input[name=host]").fill("韦国强")
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/residents/{rid}\?purpose=home_visit#lodgings$"))
        expect(page.locator("#lodgings li")).to_contain_text("那坡县念井村2组")
        expect(lodging_flag).to_have_attribute("data-status", "cleared")
        expect(marriage_flag).to_have_attribute("data-status", "open")
    finally:
        page.close()
