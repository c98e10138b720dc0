"""In a real browser: an agent uploads a crew list with an error, fixes it, and submits."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

CREW = Path(__file__).resolve().parents[1] / "data" / "clearance" / "crew.csv"


def test_agent_fixes_a_crew_list_and_submits(browser, live_server, tmp_path):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "agent.yj")
    page.fill("input[name=password]", "bastion-demo")
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"{live_server.url}/clearance/new")
    page.fill("input[name=vessel_name]", "MIN XING 8")
    page.fill("input[name=imo]", "9300013")
    page.fill("input[name=flag]", "CHN")
    page.fill("input[name=eta]", "2026-12-01T06:00")
    page.fill("input[name=etd]", "2026-12-02T18:00")
    page.click("form[action='/clearance/new'] button[type=submit]")
    expect(page.locator("#call-state")).to_have_text("草稿")

    broken = tmp_path / "crew.csv"
    broken.write_text(CREW.read_text(encoding="utf-8").replace("E12345678", "", 1),
                      encoding="utf-8")
    page.select_option("select[name=form]", "crew")
    page.set_input_files("input[name=file]", str(broken))
    page.click("form[action$='/upload'] button[type=submit]")
    problems = page.locator("#upload-problems")
    expect(problems).to_contain_text("MISSING_DOCUMENT_NUMBER")
    expect(problems.locator("tbody tr").first).to_contain_text("2")  # the row of the error

    page.set_input_files("input[name=file]", str(CREW))
    page.click("form[action$='/upload'] button[type=submit]")
    expect(page.locator("#upload-problems")).to_have_count(0)
    page.click("button[data-action=submit]")
    expect(page.locator("#call-state")).to_have_text("已预检")
    expect(page.locator("#precheck")).to_contain_text("登轮检查")  # first call: boarding
