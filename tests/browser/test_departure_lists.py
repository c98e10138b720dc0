"""In a real browser: the agent declares the departure crew list and explains one change; the
station officer sees the outbound screening the agent may not, and explains the other."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.login import log_in

CREW = Path(__file__).resolve().parents[1] / "data" / "clearance" / "crew.csv"
JOINER = ("4,WANG,WEI,Cook,CHN,1985-03-02,Dalian,M,passport,E55554444,CHN,2033-01-01,"
          "CNSHG,\n")


def test_departure_lists_changes_and_outbound_screening(browser, live_server, tmp_path):
    agent = browser.new_context(locale="zh-CN").new_page()
    log_in(agent, live_server.url, "agent.yj")
    agent.goto(f"{live_server.url}/clearance/new")
    agent.fill("input[name=vessel_name]", "DEPARTURE TEST")
    agent.fill("input[name=imo]", "9300013")
    agent.fill("input[name=flag]", "CHN")
    agent.fill("input[name=eta]", "2026-12-20T06:00")
    agent.fill("input[name=etd]", "2026-12-22T18:00")
    agent.click("form[action='/clearance/new'] button[type=submit]")
    expect(agent.locator("#call-state")).to_have_text("草稿")
    call_url = agent.url
    agent.select_option("select[name=form]", "crew")
    agent.set_input_files("input[name=file]", str(CREW))
    agent.click("form[action$='/upload'] button[type=submit]")
    expect(agent.locator("#upload-problems")).to_have_count(0)

    agent.click("#call-links a[href$='/departure']")
    expect(agent).to_have_url(re.compile(r"/departure$"))
    expect(agent.locator("#departure-changes")).to_contain_text("尚未申报出境名单")
    lines = CREW.read_text(encoding="utf-8").splitlines(keepends=True)
    leaving = tmp_path / "crew_out.csv"
    leaving.write_text("".join(line for line in lines if "NGUYEN" not in line) + JOINER,
                       encoding="utf-8")
    agent.select_option("#departure-upload select[name=which]", "crew")
    agent.set_input_files("#departure-upload input[name=file]", str(leaving))
    agent.click("#departure-upload button[data-action=upload]")
    rows = agent.locator("#departure-changes tbody tr")
    expect(rows).to_have_count(2)
    expect(agent.locator("#unexplained")).to_have_text("2")
    expect(agent.locator("#persons-out")).to_have_text("3")
    expect(agent.locator("#outbound-screening")).to_have_count(0)  # never for an agent
    missing = agent.locator("#departure-changes tr.change-missing")
    expect(missing).to_contain_text("NGUYEN")
    missing.locator("select[name=reason]").select_option("deserted")
    missing.locator("button[data-action=reason]").click()
    expect(agent.locator("#unexplained")).to_have_text("1")
    agent.fill("input[name=draught_m]", "5.5")
    agent.click("button[data-action=draught]")
    expect(agent.locator("#departure-draught")).to_contain_text("5.5")

    officer = browser.new_context(locale="zh-CN").new_page()
    log_in(officer, live_server.url, "li.officer")
    officer.goto(f"{call_url}/departure")
    expect(officer.locator("#outbound-screening tr")).to_have_count(3)
    marked = officer.locator("#departure-changes tr.change-missing select[name=reason]")
    expect(marked).to_have_value("deserted")  # the agent's reason, in Chinese
    expect(marked.locator("option:checked")).to_have_text("离船不归")
    added = officer.locator("#departure-changes tr.change-added")
    expect(added).to_contain_text("WANG")
    added.locator("select[name=reason]").select_option("stowaway")
    added.locator("button[data-action=reason]").click()
    expect(officer.locator("#unexplained")).to_have_count(0)
    expect(officer.locator("#departure-counts")).to_contain_text("偷渡者")
    officer.click("button[data-action=screen]")
    expect(officer.locator("#outbound-screening tr")).to_have_count(3)

    # the declared rows as a table, from the departure page
    officer.click("#departure-lists a[href*='/declarations/crew_out']")
    expect(officer.locator("#declared-rows tbody tr")).to_have_count(3)
    expect(officer.locator("#add-row")).to_have_count(0)  # officers read; agents add
