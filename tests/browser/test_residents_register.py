"""In a real browser: a post registers a person who is already in the registry under another
spelling (the Han-character name of a person registered in Vietnamese) and is warned before
anything is saved; it opens the existing person (asked the purpose first) or registers anyway."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in


def _existing(url: str) -> int:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": "nong.post",
                                                         "password": "bastion-demo"})
    h = {"Authorization": f"Bearer {token.json()['access_token']}"}
    made = httpx.post(f"{url}/api/v1/residents", headers=h, timeout=30, json={
        "client_id": str(uuid.uuid4()), "name": "Nguyễn Văn Khải", "name_latin": "NGUYEN VAN KHAI",
        "name_han": "阮文凯", "sex": "male", "birth_date": "1990-02-03", "nationality": "VNM"})
    assert made.status_code == 201, made.text
    return made.json()["resident"]["id"]


def test_a_post_is_warned_of_the_same_person_in_another_script(live_server, browser):
    url = live_server.url
    existing = _existing(url)
    page = browser.new_page()
    try:
        log_in(page, url, "nong.post")
        page.goto(f"{url}/residents/new")
        page.fill("input[name=name]", "阮文凯")
        page.fill("input[name=birth_date]", "1990-02-03")
        page.click("#register-submit")
        warning = page.locator("#duplicate-warning")
        expect(warning).to_be_visible()
        expect(warning.locator(f"a[href='/residents/{existing}']")).to_have_count(1)
        # nothing saved yet: the form offers "register anyway"
        expect(page.locator("#register-anyway")).to_be_visible()
        warning.locator(f"a[href='/residents/{existing}']").click()
        expect(page.locator("#purpose-form")).to_be_visible()
        page.select_option("select[name=purpose]", "registration")
        page.click("#purpose-form button[type=submit]")
        expect(page.locator("h1")).to_contain_text("Nguyễn Văn Khải")
        # and back: someone else of the same name is registered anyway
        page.goto(f"{url}/residents/new")
        page.fill("input[name=name]", "阮文凯")
        page.click("#register-submit")
        expect(page.locator("#duplicate-warning")).to_be_visible()
        page.click("#register-anyway")
        expect(page).to_have_url(re.compile(r"/residents/\d+\?purpose=registration$"))
        assert not page.url.endswith(f"/residents/{existing}?purpose=registration")
        expect(page.locator("h1")).to_contain_text("阮文凯")
    finally:
        page.close()
