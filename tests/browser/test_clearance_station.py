"""In a real browser, on the demo station: the green channel heads the queue and the officer
records the landing; the statistics page draws its charts against last year."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.login import log_in


def _login(browser, live_server, username):
    page = browser.new_context(locale="en-GB").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, username)
    return page, errors


def test_officer_sees_the_emergency_first_and_records_the_landing(browser, live_server):
    page, errors = _login(browser, live_server, "wang.officer")  # an English-speaking officer
    page.goto(f"{live_server.url}/clearance")
    first = page.locator("#call-rows tr").first
    expect(first).to_have_class(re.compile(r"priority-emergency"))
    expect(first).to_contain_text("PACIFIC GRACE")
    first.locator("a").first.click()
    expect(page.locator("#call-priority")).to_have_text("Emergency")
    card = page.locator("#green-channel")
    expect(card).to_contain_text("to follow")
    card.locator("input[name=note]").fill("Second officer to Yangjiang People's Hospital")
    card.locator("button[data-action=landing]").click()
    expect(page.locator("#green-channel")).to_contain_text("landed")
    expect(page.locator("#green-channel")).to_contain_text("Yangjiang People's Hospital")
    assert errors == []


def test_statistics_draw_this_year_against_last(browser, live_server):
    page, errors = _login(browser, live_server, "chen.supervisor")
    page.goto(f"{live_server.url}/clearance/statistics")
    page.wait_for_load_state("load")
    for chart in ("chart-vessels",):
        expect(page.locator(f"#{chart} canvas").first).to_be_visible()
    expect(page.locator("tr[data-measure=vessels_in]")).to_be_visible()
    link = page.locator("a[href*='statistics.xlsx']").first
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert errors == []
