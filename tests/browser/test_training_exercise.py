"""In a real browser on the demo: the command records a military-police-civil tactical drill
run in exercise mode; it counts once as a drill on the figures page. An inject put into it is
shown on the drill's timeline with the exercise mark, the participants are told with the
【演练】 prefix, and the figures page is unchanged by it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.login import log_in


def _figures(page, url: str) -> dict[str, int]:
    page.goto(f"{url}/training/figures")
    rows = page.locator("#figures tbody tr")
    expect(rows.first).to_be_visible()
    return {rows.nth(i).get_attribute("data-key"): int(rows.nth(i).locator(".value")
                                                      .inner_text())
            for i in range(rows.count())}


def test_a_drill_in_exercise_mode_stays_out_of_the_figures(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server.url, "huang.command")
    before = _figures(page, live_server.url)
    assert before["training.drills_tactical"] >= 3

    page.goto(f"{live_server.url}/training/drill")
    expect(page.locator("#training-chart")).to_have_attribute("data-ready", "true")
    assert page.locator("#training-chart canvas").count() == 1
    page.select_option("#event-kind", "drill_tactical")
    page.fill("#new-event input[name=title]", "浏览器测试：战术演练（演练模式）")
    page.select_option("#new-event select[name=agency_ids]",
                       label=["那坡边境管理大队", "平孟联防所"])
    page.check("#exercise-mode")
    page.click("#save-event")
    expect(page).to_have_url(re.compile(r"/training/events/\d+$"))
    drill_url = page.url
    expect(page.locator("h1 [data-exercise='1']")).to_be_visible()
    expect(page.locator("#room-hazard")).to_have_attribute(
        "href", re.compile(r"^/hazards/new\?exercise=1&drill=\d+$"))
    expect(page.locator("#room-hotline")).to_have_attribute(
        "href", re.compile(r"^/duty/hotline\?exercise=1"))

    counted = _figures(page, live_server.url)
    assert counted["training.drills_tactical"] == before["training.drills_tactical"] + 1
    assert counted["training.drills"] == before["training.drills"] + 1

    page.goto(drill_url)
    page.fill("#inject-form textarea[name=text]", "模拟报告：1047号界碑发现可疑人员")
    page.click("#save-inject")
    expect(page).to_have_url(drill_url)
    inject = page.locator("#injects li[data-inject]")
    expect(inject).to_have_count(1)
    expect(inject).to_contain_text("模拟报告：1047号界碑发现可疑人员")
    expect(inject.locator("[data-exercise='1']")).to_have_text("演练")

    assert _figures(page, live_server.url) == counted  # the inject counts nowhere

    # a participant (the police brigade) reads the drill and the marked notification
    other = browser.new_context()
    police = other.new_page()
    log_in(police, live_server.url, "wei.police")
    police.goto(drill_url)
    expect(police.locator("#injects li[data-inject] [data-exercise='1']")).to_be_visible()
    police.goto(f"{live_server.url}/notifications")
    expect(police.locator("body")).to_contain_text("【演练】演练情况注入")
    other.close()
    context.close()
