"""In a real browser on the demo: the Pingmeng post's officer opens the festival-period joint
operation, sees its area and posts on the map and its task board, and marks the post's task
done; the card moves to the done column and the log says so. The army, taking part too, sees
the operation; the station, not taking part, gets a 404."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.login import log_in

TASK = "便道堵控点复查"


def test_a_post_marks_its_task_done(browser, live_server):
    page = browser.new_context().new_page()
    log_in(page, live_server.url, "nong.post")
    page.click("#nav-operations")
    expect(page.locator("#operations-chart")).to_have_attribute("data-ready", "1")
    page.locator("#operations-list a", has_text="春节期间").click()
    expect(page.locator("#operation-map")).to_have_attribute("data-posts", "3", timeout=10_000)
    card = page.locator(".board-card", has_text=TASK)
    expect(card).to_have_count(1)
    assert page.locator("section[data-status=todo] .board-card", has_text=TASK).count() == 1
    card.locator("button[data-to=done]").click()
    done = page.locator("section[data-status=done] .board-card", has_text=TASK)
    expect(done).to_contain_text("农文光")
    expect(page.locator("#operation-log")).to_contain_text(f"任务完成：{TASK}")
    url = page.url.split("#")[0]
    page.context.close()

    outsider = browser.new_context().new_page()
    log_in(outsider, live_server.url, "chen.supervisor")
    response = outsider.goto(url)
    assert response.status == 404
    outsider.context.close()
