"""In a real browser on the demo: the station's supervisor watches the sender's view of the
typhoon warning sent to the shipping agency (for one of its vessels) and a duty officer; the
agent acknowledges on the notifications page, and the sender's view updates by itself: the
agency acknowledged, by whom."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.login import log_in


def test_an_acknowledgement_reaches_the_sender_s_view(browser, live_server):
    sender = browser.new_context().new_page()
    log_in(sender, live_server.url, "chen.supervisor")
    sender.goto(f"{live_server.url}/notifications/sent")
    sender.locator("#sent-list a", has_text="粤阳江渔12").click()
    summary = sender.locator("#follow-summary")
    expect(summary).to_contain_text("已确认 0/2")
    expect(sender.locator("#follow-rows")).to_have_attribute("data-live-ready", "true",
                                                             timeout=10_000)

    agent = browser.new_context().new_page()
    log_in(agent, live_server.url, "agent.yj")
    agent.goto(f"{live_server.url}/notifications")
    row = agent.locator("#notification-rows tr", has_text="粤阳江渔12")
    row.get_by_role("button").click()
    expect(agent.locator("#notification-rows tr", has_text="粤阳江渔12")).to_contain_text(
        "已确认")

    # The sender's page updates live: the agency acknowledged, by the agent.
    expect(summary).to_contain_text("已确认 1/2", timeout=15_000)
    agency_row = sender.locator("#follow-rows tr", has_text="阳江外轮代理")
    expect(agency_row).to_contain_text("林海燕 已确认")
    expect(sender.locator("#follow-rows tr", has_text="李明")).to_contain_text("待确认")
    sender.context.close()
    agent.context.close()
