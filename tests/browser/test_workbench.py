"""In a real browser, on the demo station: the duty officer's workbench hears a new medical
emergency over the event stream, shows it without a reload, sounds the alarm (Web Audio) and
puts up a desktop notification; and the vessel page links calls, alerts and vessels both ways.

The spy wraps ``window.Notification`` and ``AudioContext.prototype.createOscillator`` before
the page's scripts run, so the test sees the page's own calls to the browser's APIs."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in

SPY = """
window.__notes = [];
window.__tones = 0;
(function () {
  var Real = window.Notification;
  if (Real) {
    var Spy = function (title, options) {
      window.__notes.push({ title: title, tag: options && options.tag });
      return new Real(title, options);
    };
    Spy.requestPermission = Real.requestPermission.bind(Real);
    Object.defineProperty(Spy, "permission", { get: function () { return Real.permission; } });
    window.Notification = Spy;
  }
  var Ctx = window.AudioContext || window.webkitAudioContext;
  var make = Ctx.prototype.createOscillator;
  Ctx.prototype.createOscillator = function () { window.__tones += 1; return make.call(this); };
})();
"""


def _agent(url: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token",
                       json={"username": "agent.yj", "password": "bastion-demo"}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_a_new_emergency_sounds_the_alarm_and_notifies(browser, live_server):
    context = browser.new_context(locale="en-GB")
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(SPY)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "wang.officer")
    page.locator("#nav-workbench").click()
    expect(page.locator("h1")).to_have_text("Duty officer's workbench")
    board = page.locator("#workbench")
    expect(board).to_have_attribute("data-live-ready", "true")
    expect(page.locator("#wb-cases")).to_contain_text("PACIFIC GRACE")  # the demo's case
    page.locator("#alarm-enable").click()
    expect(page.locator("#alarm-state")).to_have_text("Sound and desktop notifications are on")
    assert page.evaluate("window.__notes.length") == 0  # what was there already is no news

    # The ship's agent declares a medical emergency on a new call, through the REST API.
    agent = _agent(live_server.url)
    station = next(a for a in httpx.get(f"{live_server.url}/api/v1/agencies", headers=agent,
                                        params={"limit": 100}).json()["items"]
                   if a["code"] == "YJ-BIS")
    call = httpx.post(f"{live_server.url}/api/v1/port-calls", headers=agent, json={
        "station_id": station["id"], "vessel_name": "WORKBENCH TEST", "flag": "CHN",
        "eta": "2030-06-01T06:00:00+08:00"})
    assert call.status_code == 201, call.text
    case = httpx.post(f"{live_server.url}/api/v1/port-calls/{call.json()['id']}/green-channel",
                      headers=agent, json={"kind": "medical", "reason": "fall in the hold",
                                        "persons": [{"name": "CHEN Bo"}]})
    assert case.status_code == 201, case.text

    alarm = page.locator(f"[data-alarm='emergency:{case.json()['id']}']")
    expect(alarm).to_contain_text("WORKBENCH TEST")  # arrived live, no reload
    expect(page.locator("#wb-cases")).to_contain_text("WORKBENCH TEST")
    page.wait_for_function("window.__notes.length > 0")
    notes = page.evaluate("window.__notes")
    assert [n["tag"] for n in notes] == [f"emergency:{case.json()['id']}"]
    assert notes[0]["title"] == "Emergency: WORKBENCH TEST"
    assert page.evaluate("window.__tones") == 3  # three generated tones
    clock = page.locator(f"#wb-cases tr[data-case-id='{case.json()['id']}'] .clock").first
    expect(clock).to_have_text(re.compile(r"^\d+ min left$"))
    assert errors == []


def test_calls_alerts_and_the_vessel_page_link_both_ways(browser, live_server):
    page = browser.new_context(locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "li.officer")
    page.goto(f"{live_server.url}/clearance")
    page.locator("#call-rows tr", has_text="PACIFIC GRACE").first.locator("a").first.click()
    call_url = page.url
    page.locator("#vessel-link").click()
    expect(page).to_have_url(re.compile(r"/maritime/vessels/351234500$"))
    expect(page.locator("#vessel-identity")).to_contain_text("申报与AIS身份比对")
    expect(page.locator("#vessel-identity tr[data-field=imo]")).to_have_attribute(
        "data-status", re.compile("same|missing"))
    expect(page.locator("#vessel-track #map")).to_have_count(1)
    calls = page.locator("#vessel-calls")
    expect(calls).to_contain_text("PACIFIC GRACE")
    expect(page.locator("#vessel-screening")).to_be_visible()
    back = calls.locator(f"a[href='{call_url.removeprefix(live_server.url)}']")
    expect(back).to_have_count(1)

    # An alert's page names its vessel and that vessel's calls (YUE DIAN 3: a gap in its AIS).
    page.goto(f"{live_server.url}/clearance")
    page.locator("#call-rows tr", has_text="YUE DIAN 3").first.locator("a").first.click()
    call_path = page.url.removeprefix(live_server.url)
    page.locator("#vessel-link").click()
    page.locator("#vessel-alerts a[href^='/maritime/alerts/']").first.click()
    expect(page).to_have_url(re.compile(r"/maritime/alerts/\d+$"))
    # Told in sentences (issue 15), the track drawn around the evidence, raw values folded.
    expect(page.locator("#alert-narrative p").first).to_contain_text("船舶")
    expect(page.locator("#map")).to_have_attribute("data-track-points", re.compile(r"^[1-9]"))
    expect(page.locator("#map")).to_have_attribute("data-evidence-points", re.compile(r"^[1-9]"))
    expect(page.locator("#alert-thresholds")).not_to_be_visible()
    page.locator("#alert-raw summary").click()
    expect(page.locator("#alert-thresholds")).to_be_visible()
    alert_calls = page.locator("#vessel-calls")
    expect(alert_calls).to_contain_text("YUE DIAN 3")
    alert_calls.locator(f"a[href='{call_path}']").click()
    expect(page).to_have_url(re.compile(rf"{call_path}$"))
    page.locator("#vessel-link").click()
    page.locator("#queues a[href='/workbench']").click()
    expect(page.locator("#wb-alerts h2")).to_be_visible()  # (another test may close the alert)
    assert errors == []
