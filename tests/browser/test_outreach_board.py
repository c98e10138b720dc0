"""In a real browser on the demo: the command's compliance board shows a linked village behind
this month (one visit of the two required); a visit entered through the form brings it level,
and the board says so (one village behind fewer, its cell no longer red)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.login import log_in


def test_a_visit_entered_and_the_board_updating(browser, live_server):
    url = live_server.url
    context = browser.new_context()
    page = context.new_page()
    log_in(page, url, "huang.command")
    page.goto(f"{url}/outreach/board")
    expect(page.locator("#chart-board canvas")).to_have_count(1)
    behind = int(page.locator("#behind-count").get_attribute("data-behind"))
    assert behind >= 1
    one_short = page.locator("#board tbody tr[data-behind=true]").filter(
        has=page.locator("td[data-count='1']:last-child"))
    expect(one_short).to_have_count(1)
    village, post = one_short.get_attribute("data-village"), one_short.get_attribute("data-post")
    expect(one_short.locator("td:last-child")).to_have_class(re.compile("overdue"))

    page.goto(f"{url}/outreach/new")
    page.select_option("#visit-link", f"{post}:{village}")
    page.select_option("#visit-topic", "anti_fraud")
    page.fill("#visit-attendees", "48")
    page.fill("#visit-officers", "黄建国, 农文光")
    page.fill("input[name=materials]", "防范电信网络诈骗宣传单")
    page.click("#save-visit")
    expect(page).to_have_url(re.compile(r"/outreach/board\?month=\d{4}-\d{2}$"))
    row = page.locator(f"#board tbody tr[data-village='{village}']")
    expect(row).to_have_attribute("data-behind", "false")
    expect(row.locator("td:last-child")).to_have_attribute("data-count", "2")
    expect(page.locator("#behind-count")).to_have_attribute("data-behind", str(behind - 1))
    context.close()
