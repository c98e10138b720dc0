"""In a real browser on the demo: the command opens an auxiliary rated excellent, enters a
month's assessment through the form (all zeros this time), and the person's page shows the
new total, the line chart, and the year's rating as the rule now gives it."""

from __future__ import annotations

import re
from datetime import date

import httpx
from playwright.sync_api import expect

from tests.browser.login import log_in

RATING_ZH = {"excellent": "优秀", "competent": "称职", "basically_competent": "基本称职",
             "incompetent": "不称职"}


def test_an_assessment_entered_and_the_rating_shown(browser, live_server):
    url, year = live_server.url, date.today().year
    context = browser.new_context()
    page = context.new_page()
    log_in(page, url, "huang.command")
    page.goto(f"{url}/evaluations/annual?year={year}")
    expect(page.locator("#chart-ratings canvas")).to_have_count(1)
    expect(page.locator("#rating-counts [data-rating=excellent]")).to_contain_text("37")
    row = page.locator("#annual-people tr[data-rating=excellent]").first
    person_id = row.get_attribute("data-person")
    page.goto(f"{url}/evaluations?month={year}-01")
    page.click(f"tr[data-person='{person_id}'] a[href*='/evaluations/assess']")
    for field in page.locator("#assess-form input[type=number]").all():
        field.fill("0")
    page.fill("textarea[name=comments]", "浏览器测试：本月未到岗")
    page.click("#save-assessment")
    expect(page).to_have_url(re.compile(rf"/evaluations/people/{person_id}\?saved=\d+$"))
    expect(page.locator(f"#person-months tr[data-month='{year}-01'] .total")).to_have_text("0.0")
    expect(page.locator("#chart-person canvas")).to_have_count(1)
    token = httpx.post(f"{url}/api/v1/auth/token",
                       json={"username": "huang.command", "password": "bastion-demo"}).json()
    annual = httpx.get(f"{url}/api/v1/evaluations/annual?year={year}&limit=200", headers={
        "Authorization": f"Bearer {token['access_token']}"}).json()
    rating = next(r for r in annual["people"]["items"] if r["person_id"] == int(person_id))
    assert rating["months"] == 12 and rating["mean"] < 92
    expect(page.locator(f"#person-ratings tr[data-year='{year}'] .rating")).to_contain_text(
        RATING_ZH[rating["rating"]])
    context.close()
