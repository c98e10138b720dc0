"""Playwright with Debian's chromium (Playwright cannot download its own browser here)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def chromium_path() -> str | None:
    return os.environ.get("BASTION_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make test installs Debian's package)")
        pytest.skip("chromium is not installed on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True,
                                             args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def demo_languages_kept(request):
    """The language switch is kept on the user's account, and the live server is shared by every
    browser test of a worker: a test that switches a demo user to English would leave the next
    test reading English pages. Each user's language is put back after every test, whatever
    the test did or how it ended."""
    if "live_server" not in request.fixturenames:
        yield
        return
    import sqlite3

    server = request.getfixturevalue("live_server")
    path = server.env["BASTION_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        before = db.execute("SELECT id, language FROM user_account").fetchall()
    yield
    with sqlite3.connect(path, timeout=30) as db:
        db.executemany("UPDATE user_account SET language = ? WHERE id = ?",
                       [(language, user_id) for user_id, language in before])
