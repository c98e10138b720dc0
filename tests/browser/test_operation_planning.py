"""In a real browser on the demo: the Napo command's planner (huang.command) opens the new
operation page from the list, names the operation, keeps the period offered, ticks the border
police and the army company, draws a four-corner area by clicking the map, marks it as an
exercise (so the shared server's figures stay as they were) and saves. The operation's page
shows the area on the map; the planner places a post by clicking the map and adds it. The
police officer taking part (wei.police) then finds the operation in their list, with the post,
and is offered no "new operation"."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.login import log_in

NAME = "国庆期间边境联合稳控演练（浏览器测试）"
POST = "平孟口岸国庆临时卡点"
CORNERS = [(80, 60), (300, 70), (320, 240), (90, 230)]  # pixels from the map's corner


def test_the_command_plans_an_operation_in_the_browser(browser, live_server):
    page = browser.new_context().new_page()
    log_in(page, live_server.url, "huang.command")
    page.click("#nav-operations")
    page.click("#new-operation")
    expect(page).to_have_url(re.compile(r"/operations/new$"))
    expect(page.locator("h1")).to_have_text("新建行动")
    area_map = page.locator("#operation-area-map")
    expect(area_map).to_have_attribute("data-ready", "1")

    page.fill("#field-name", NAME)
    page.fill("#field-description", "国庆节期间平孟口岸及周边联合稳控（测试数据）")
    assert page.input_value("#field-starts_at") and page.input_value("#field-ends_at")
    page.get_by_label("那坡边境管理大队").check()
    page.get_by_label("边防某连").check()
    for x, y in CORNERS:
        area_map.click(position={"x": x, "y": y})
    expect(page.locator("#area-count")).to_have_text("4")
    drawn = json.loads(page.input_value("#field-area"))
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    page.check("#field-exercise")
    page.click("#save-operation")

    expect(page).to_have_url(re.compile(r"/operations/\d+$"))
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.locator("h1 [data-exercise]")).to_have_count(1)
    expect(page.locator("#operation-participants")).to_contain_text("那坡边境管理大队")
    expect(page.locator("#operation-participants")).to_contain_text("边防某连")
    op_map = page.locator("#operation-map")
    expect(op_map).to_have_attribute("data-ready", "1", timeout=10_000)
    expect(op_map).to_have_attribute("data-area", "1")
    expect(op_map.locator("path.leaflet-interactive")).to_have_count(1)  # the area
    url = page.url

    # A post, placed by clicking inside the area on the map.
    op_map.scroll_into_view_if_needed()
    box = op_map.bounding_box()
    op_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(op_map).to_have_attribute("data-picked", re.compile(r"^-?\d+\.\d+,-?\d+\.\d+$"))
    lat, lon = float(page.input_value("#post-lat")), float(page.input_value("#post-lon"))
    ring = drawn["coordinates"][0]
    assert min(c[1] for c in ring) < lat < max(c[1] for c in ring)
    assert min(c[0] for c in ring) < lon < max(c[0] for c in ring)
    page.fill("#post-name", POST)
    page.select_option("#post-agency", label="那坡边境管理大队")
    page.fill("#post-staff", "5")
    page.click("#add-post")
    expect(page).to_have_url(re.compile(r"/operations/\d+#posts$"))
    expect(page.locator("#operation-posts")).to_contain_text(POST)
    expect(page.locator("#operation-map")).to_have_attribute("data-posts", "1", timeout=10_000)
    page.context.close()

    police = browser.new_context().new_page()
    log_in(police, live_server.url, "wei.police")
    police.click("#nav-operations")
    expect(police.locator("#new-operation")).to_have_count(0)
    police.locator("#operations-list a", has_text=NAME).click()
    expect(police).to_have_url(url)
    expect(police.locator("#operation-posts")).to_contain_text(POST)
    expect(police.locator("#post-form")).to_have_count(0)
    expect(police.locator("#participant-form")).to_have_count(0)
    police.context.close()
