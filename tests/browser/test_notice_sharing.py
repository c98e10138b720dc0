"""In a real browser: log in, switch language, share a notice, see it arrive for the partner."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.login import log_in


def test_share_a_notice_with_another_agency(browser, live_server, tmp_path):
    police = browser.new_context(locale="zh-CN")
    army = browser.new_context(locale="zh-CN")
    sender, receiver = police.new_page(), army.new_page()
    errors: list[str] = []
    for page in (sender, receiver):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    log_in(sender, live_server.url, "wei.police")
    expect(sender.locator("nav.mainnav")).to_contain_text("通报")
    sender.select_option("#language-select", "en")  # submits itself
    expect(sender.locator("html")).to_have_attribute("lang", "en")
    expect(sender.locator("nav.mainnav")).to_contain_text("Notices")
    expect(sender.locator("#chart-tlp canvas")).to_have_count(1)  # ECharts drew the dashboard

    log_in(receiver, live_server.url, "liang.army")
    receiver.goto(f"{live_server.url}/notices")
    expect(receiver.locator("#notice-rows")).to_have_attribute("data-live-ready", "true")
    title = "Joint patrol at marker 1047 tonight"
    expect(receiver.locator("#notice-rows")).not_to_contain_text(title)

    sender.goto(f"{live_server.url}/notices/new")
    sender.fill("input[name=title]", title)
    sender.fill("textarea[name=body]", "Meet at Pingmeng post, 22:00.")
    sender.check("input[name=tlp][value=amber]")
    sender.check("input[name=distribution][value=named]")
    sender.get_by_label("Army Border Company").check()
    sender.click("form[action='/notices/new'] button[type=submit]")
    expect(sender.locator("h1")).to_have_text(title)

    # The army officer's list updates by itself (server-sent events), no reload.
    expect(receiver.locator("#notice-rows")).to_contain_text(title, timeout=10_000)
    receiver.screenshot(path=str(tmp_path / "receiver.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    police.close()
    army.close()
