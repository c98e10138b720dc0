"""In a real browser, each kind of user meets only their functions: the ship's agent has no
maritime picture or screening and is refused the alert queue; the station's officer works
alerts and sees the demo watchlist; the administrator reads the capabilities table."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.login import log_in


def test_agent_officer_and_admin_each_see_their_own_functions(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    log_in(page, live_server.url, "agent.yj")
    nav = page.locator("nav.mainnav")
    expect(nav.locator("a[href='/clearance']")).to_have_count(1)
    expect(nav.locator("a[href='/maritime']")).to_have_count(0)
    expect(nav.locator("a[href='/screening']")).to_have_count(0)
    response = page.goto(f"{live_server.url}/maritime/alerts")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("船舶预警")  # names the function refused
    errors.clear()  # the browser logs that deliberate 403
    context.clear_cookies()

    log_in(page, live_server.url, "li.officer")
    expect(page.locator("nav.mainnav a[href='/maritime']")).to_have_count(1)
    page.goto(f"{live_server.url}/screening")
    expect(page.locator("main")).to_contain_text("阳江站重点人员")
    page.goto(f"{live_server.url}/maritime/alerts")
    first = page.locator("main a[href^='/maritime/alerts/']").first
    first.click()
    picker = page.locator("select[name=assignee_id] option")
    expect(picker.first).to_contain_text("李明")  # the officer first
    names = " ".join(picker.all_inner_texts())
    assert "林海燕" not in names and "马秀兰" not in names  # no agent, no village viewer
    context.clear_cookies()

    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/capabilities")
    table = page.locator("#capabilities")
    expect(table).to_contain_text("alerts.act")
    expect(table).to_contain_text("修改本站预检规则")
    assert not errors, errors
