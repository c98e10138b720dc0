"""In a real browser, on the demo station: the call page shows which agencies have cleared a
ship in and which are awaited; the station's click is recorded once, with who and which
agency, and customs' own click completes the clearance."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.login import log_in


def _open_call(browser, live_server, username: str, vessel: str):
    page = browser.new_context(locale="en-GB").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}/clearance")
    page.locator("#call-rows tr", has_text=vessel).first.locator("a").first.click()
    page.wait_for_load_state("load")
    return page, errors


def test_the_call_shows_who_has_cleared_and_who_is_awaited(browser, live_server):
    page, errors = _open_call(browser, live_server, "li.officer", "YUE DIAN 3")
    card = page.locator("#agency-clearance")
    station, customs = card.locator("tr[data-agency=YJ-BIS]"), card.locator("tr[data-agency=YJ-CUS]")
    expect(station.locator("td").nth(1)).to_have_class("awaited")
    expect(customs.locator("td").nth(1)).to_have_class("awaited")
    page.locator("button[data-action=clear_in]").click()
    page.wait_for_load_state("load")
    expect(station.locator("td").nth(1)).to_have_class("cleared")
    expect(customs.locator("td").nth(1)).to_have_class("awaited")  # customs still awaited
    expect(page.locator("#call-state")).not_to_have_text("Cleared in")
    expect(page.locator("button[data-action=clear_in]")).to_have_count(0)  # no second click
    expect(page.locator(".history-by").last).to_contain_text("李明")
    assert errors == []

    page, errors = _open_call(browser, live_server, "zhou.customs", "YUE DIAN 3")
    expect(page.locator("button[data-action=start_inspection]")).to_have_count(0)
    page.locator("button[data-action=clear_in]").click()
    page.wait_for_load_state("load")
    card = page.locator("#agency-clearance")
    expect(card.locator("tr[data-agency=YJ-CUS] td").nth(1)).to_have_class("cleared")
    expect(page.locator(".history-by").last).to_contain_text("周海")
    assert errors == []
