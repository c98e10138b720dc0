"""In a real browser (Debian's chromium): a patrol observation becomes a hazard ("Report as
hazard" on the patrol's page), the command triages it and issues a work order with materials,
the post records the repair with its quantity (12 m of fence), the command verifies it, and
the totals page counts it — the fence total rises by exactly 12 m and its chart is drawn."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in
from tests.browser.test_border_map import _ensure_map, _watch


def _headers(url: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": username,
                                                         "password": "bastion-demo"})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _observation(url: str) -> tuple[int, int]:
    """A Pingmeng patrol with one observation of a damaged fence, through the field API."""
    _ensure_map(url)
    h = _headers(url, "nong.post")
    kit = httpx.get(f"{url}/api/v1/patrols/field-kit", headers=h, timeout=30).json()
    checkpoint = kit["checkpoints"][0]
    started = httpx.post(f"{url}/api/v1/patrols/field/start", headers=h, timeout=30, json={
        "op_id": str(uuid.uuid4()), "patrol_id": str(uuid.uuid4()),
        "segment_id": checkpoint["segment_id"], "transport": "foot",
        "members": [{"user_id": kit["user"]["id"], "name": kit["user"]["name"],
                     "agency_id": kit["user"]["agency_id"], "is_leader": True}],
        "device_at": datetime.now(UTC).isoformat()})
    assert started.status_code == 201, started.text
    patrol = started.json()["patrol"]
    seen = httpx.post(f"{url}/api/v1/patrols/field/{patrol['client_id']}/observations",
                      headers=h, timeout=30, json={
                          "client_id": str(uuid.uuid4()), "category_code": "damaged_fence",
                          "attributes": {"marker_number": "1328", "length_m": 12,
                                         "severity": "breach"},
                          "note": "1328号界碑护栏被撞坏约12米",
                          "device_at": datetime.now(UTC).isoformat(),
                          "lon": checkpoint["lon"], "lat": checkpoint["lat"]})
    assert seen.status_code == 201, seen.text
    return patrol["id"], seen.json()["id"]


def _fence_total(page, url: str) -> float:
    page.goto(f"{url}/hazards/totals")
    expect(page.locator("#totals-chart")).to_have_attribute("data-ready", "1")
    text = page.locator('#totals-table tr[data-category="fence"] td[data-col="quantity"]')
    return float(re.match(r"[\d.]+", text.inner_text().strip()).group(0))


def test_an_observation_becomes_a_repair_that_the_totals_count(browser, live_server):
    url = live_server.url
    patrol_id, observation_id = _observation(url)
    command = browser.new_context(locale="zh-CN").new_page()
    failed = _watch(command)
    log_in(command, url, "huang.command")
    before = _fence_total(command, url)

    # the patrol's page: "Report as hazard" on the observation
    command.goto(f"{url}/border/patrols/{patrol_id}")
    command.locator(f'a[data-report-hazard="{observation_id}"]').click()
    expect(command).to_have_url(re.compile(rf"/hazards/new\?observation_id={observation_id}$"))
    expect(command.locator("#from-observation")).to_be_visible()
    expect(command.locator("#field-category")).to_have_value("fence")
    expect(command.locator("#hazard-draw-map")).to_have_attribute("data-geometry", "Point")
    command.fill("#field-estimate", "12")
    command.click("#submit-hazard")
    expect(command).to_have_url(re.compile(r"/hazards/\d+$"))
    hazard_url = command.url
    expect(command.locator("#hazard-status")).to_have_attribute("data-status", "reported")
    expect(command.locator("#observation-link")).to_have_text(str(observation_id))

    # the command triages it and issues a work order to the Pingmeng post
    command.click("#do-triage")
    expect(command.locator("#hazard-status")).to_have_attribute("data-status", "triaged")
    due = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    command.fill("#order-due_on", due)
    command.locator('#materials input[name="item_code"]').first.fill("MAT-MESH")
    command.locator('#materials input[name="item_name"]').first.fill("护栏网片")
    command.locator('#materials input[name="item_quantity"]').first.fill("4")
    command.locator('#materials input[name="item_unit"]').first.fill("片")
    command.click("#do-order")
    expect(command.locator("#hazard-status")).to_have_attribute("data-status", "ordered")
    expect(command.locator("#order-materials")).to_contain_text("MAT-MESH")
    expect(command.locator("#order-assignee")).to_contain_text("平孟")

    # the post records the repair with its quantity
    post = browser.new_context(locale="zh-CN").new_page()
    log_in(post, url, "nong.post")
    post.goto(hazard_url)
    expect(post.locator("#do-verify")).to_have_count(0)
    post.click("#do-complete")  # no quantity: the browser refuses (required)
    expect(post.locator("#hazard-status")).to_have_attribute("data-status", "ordered")
    post.fill("#complete-quantity", "12")
    post.click("#do-complete")
    expect(post.locator("#hazard-status")).to_have_attribute("data-status", "done")
    expect(post.locator("#order-quantity")).to_contain_text("12")

    # counted as soon as it is done, verified or not; then the command verifies it
    assert _fence_total(command, url) == before + 12
    command.goto(hazard_url)
    command.click("#do-verify")
    expect(command.locator("#hazard-status")).to_have_attribute("data-status", "verified")
    expect(command.locator('#hazard-history tr[data-action="complete"]')).to_contain_text(
        "农文光")
    after = _fence_total(command, url)
    assert after == before + 12
    verified = command.locator('#totals-table tr[data-category="fence"] td').nth(5)
    assert "12" in verified.inner_text() or float(
        re.match(r"[\d.]+", verified.inner_text()).group(0)) >= 12
    # the list and its map show the hazard
    command.goto(f"{url}/hazards?category=fence&status=verified")
    expect(command.locator("#hazards-map")).to_have_attribute("data-ready", "1")
    assert command.locator("#hazard-list tr[data-hazard]").count() >= 1
    assert not [u for u in failed if "/hazards" in u], failed
