"""In a real browser (issue 14, "what it must show"): a crossing recorded by a post at a
point that is no designated crossing appears in the post's flag queue with its law article,
and the post decides it there; another post's officer does not see it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import browser  # noqa: F401  (the fixture)
from tests.browser.login import log_in


def _headers(url: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": username,
                                                         "password": "bastion-demo"})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_a_crossing_at_a_path_appears_in_the_posts_queue_with_its_article(live_server,
                                                                         browser):  # noqa: F811
    url = live_server.url
    h = _headers(url, "nong.post")
    name = f"Hoàng Văn Lộc {uuid.uuid4().hex[:6]}"
    person = httpx.post(f"{url}/api/v1/residents", headers=h, timeout=30,
                        json={"name": name, "sex": "M", "nationality": "VNM"})
    assert person.status_code == 201, person.text
    pid = person.json()["resident"]["id"]
    crossed = httpx.post(f"{url}/api/v1/residents/{pid}/crossings", headers=h, timeout=30,
                         json={"at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
                               "direction": "in", "crossing_point": "念井后山小路"})
    assert crossed.status_code == 201, crossed.text

    page = browser.new_page()
    try:
        log_in(page, url, "nong.post")
        page.goto(f"{url}/residents/queue?kind=undesignated_crossing")
        row = page.locator("#flag-queue tr", has_text=name)
        expect(row).to_have_count(1)
        expect(row.locator(".article")).to_have_text(
            re.compile("第二十四条、第七十一条|arts\\. 24, 71"))
        expect(row).to_contain_text("念井后山小路")
        row.locator("select[name=status]").select_option("dismissed")
        row.locator("input[name=outcome]").fill("走访核实：放牛越界，已教育")
        row.locator("form[action$='/decide'] button").click()
        page.goto(f"{url}/residents/queue?show=decided")
        expect(page.locator("#flag-queue tr", has_text=name)).to_contain_text("放牛越界")
    finally:
        page.close()
