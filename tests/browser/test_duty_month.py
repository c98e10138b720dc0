"""In a real browser, the issue's walk through 24-hour duty on a server of its own (the watch
every 2 s, a check-in due every 30 minutes, a short solver time limit):

- the command's supervisor solves next month's draft, pins a duty, re-solves (the pin is
  kept), and publishes;
- the auxiliary sees the duty on his own calendar, and confirms the handover waiting for him;
- a duty on which no check-in came raises the alarm on the supervisor's missed check-ins page.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests import live_server as live
from tests.browser.login import log_in

ENV = {"BASTION_DUTY__WATCH_EVERY_S": "2", "BASTION_DUTY__CHECKIN_INTERVAL_MIN": "30",
       "BASTION_DUTY__CHECKIN_GRACE_MIN": "0", "BASTION_DUTY__SOLVE_TIME_LIMIT_S": "15",
       "BASTION_DUTY__SOLVE_POLL_S": "1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    saved = {name: os.environ.get(name) for name in ENV}
    os.environ.update(ENV)
    try:
        started = live.start(tmp_path_factory.mktemp("duty"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    yield started
    live.stop(started)


def _headers(url: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/token", json={"username": username,
                                                         "password": "bastion-demo"})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _draft(url: str) -> dict:
    rosters = httpx.get(f"{url}/api/v1/duty/rosters?limit=50",
                        headers=_headers(url, "huang.command")).json()["items"]
    return next(r for r in rosters if r["status"] == "draft")


def _wait_for(page, status: str, timeout_s: float = 120) -> None:
    """The page polls the solver's progress and reloads when it is done."""
    expect(page.locator("#roster")).to_have_attribute("data-status", status,
                                                      timeout=timeout_s * 1000)


def test_a_month_solved_pinned_resolved_published_and_seen(browser, server):
    url = server.url
    draft = _draft(url)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, url, "huang.command")
    page.goto(f"{url}/duty/rosters/{draft['id']}")
    page.click("#solve")
    _wait_for(page, "solved")
    cells = page.locator("button.duty-cell")
    assert cells.count() > 0
    chosen = cells.nth(3)
    person, title = chosen.get_attribute("data-person-id"), chosen.get_attribute("title")
    chosen.click()
    expect(page.locator("#cell-editor")).to_be_visible()
    page.click("#cell-pin")
    pinned = page.locator('button.duty-cell[data-pinned="true"]')
    expect(pinned).to_have_count(1)
    page.click("#solve")  # the re-solve keeps the pinned duty
    _wait_for(page, "solved")
    expect(pinned).to_have_count(1)
    assert pinned.get_attribute("data-person-id") == person
    assert pinned.get_attribute("title").split(" · ")[:2] == title.split(" · ")[:2]
    expect(page.locator("#roster")).to_contain_text("上次重新排班变动了")  # changes reported
    page.click("#publish")
    _wait_for(page, "published", 30)
    context.close()

    # The auxiliary on the roster sees his duties of that month on his own calendar.
    month = draft["start"][:7]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, url, "he.auxiliary")
    page.goto(f"{url}/duty/me?month={month}")
    expect(page.locator("#duty-me-list tr[data-assignment]").first).to_be_visible()
    context.close()


def test_the_incoming_officer_confirms_the_handover(browser, server):
    url = server.url
    mine = httpx.get(f"{url}/api/v1/duty/handovers",
                     headers=_headers(url, "he.auxiliary")).json()["items"]
    waiting = next(h for h in mine if not h["confirmed_at"])
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, url, "he.auxiliary")
    page.goto(f"{url}/duty/handovers/{waiting['id']}")
    expect(page.locator("#handover-status")).not_to_contain_text("已确认")
    page.fill("#confirm-handover input[name=note]", "已阅值班日志和未结事项")
    page.click("#confirm-handover button[type=submit]")
    expect(page.locator("#handover-status")).to_contain_text(re.compile("确认"))
    assert httpx.get(f"{url}/api/v1/duty/handovers/{waiting['id']}", headers=_headers(
        url, "nong.post")).json()["confirmed_at"]
    context.close()


def test_a_missed_check_in_raises_the_alarm(browser, server):
    """A published duty of the Pingmeng post's auxiliary that began two hours ago, with no
    check-in since: the watch raises the alarm, and the command's planner sees it."""
    from bastion.duty.rosters.models import (
        Assignment,
        DutyPerson,
        Roster,
        RosterStatus,
    )
    from bastion.org.models import Agency, User

    engine = create_engine(server.env["BASTION_DATABASE_URL"])
    now = datetime.now(UTC).replace(microsecond=0)
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == "he.auxiliary"))
        person = session.scalar(select(DutyPerson).where(DutyPerson.user_id == user.id))
        command = session.scalar(select(Agency).where(Agency.code == "NP-JDC"))
        roster = Roster(name="SYNTHETIC online duty", start=now.date(), days=1,
                        unit_ids=[person.unit_id], status=RosterStatus.PUBLISHED,
                        owner_org_id=command.id, created_by_id=user.id, published_at=now,
                        synthetic=True)
        session.add(roster)
        session.flush()
        session.add(Assignment(roster_id=roster.id, day=now.date(), shift_code="X",
                               unit_id=person.unit_id, role_code="duty_officer",
                               person_id=person.id, starts_at=now - timedelta(hours=2),
                               ends_at=now + timedelta(hours=6)))
        session.commit()
    engine.dispose()

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, url := server.url, "huang.command")
    page.goto(f"{url}/duty/checkin/missed")
    row = page.locator("#missed-panel tr.overdue", has_text="何海龙")
    for _ in range(30):  # the watch runs every 2 s; the panel also refreshes on its own
        if row.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(row.first).to_be_visible()
    context.close()
