"""Logging a demo user in through the real login form."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def log_in(page, url: str, username: str, password: str = "bastion-demo") -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.wait_for_load_state("load")  # deferred scripts (the language switch) are attached


def back_to_chinese(browser, url: str, username: str) -> None:
    """The language switch is kept on the user's account: a test that switched a demo user to
    English on the shared server switches them back, or later tests read English pages."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, url, username)
    page.select_option("#language-select", "zh-CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    context.close()
