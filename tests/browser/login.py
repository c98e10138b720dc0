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

