"""A day off or a preference is for today or a day to come: a past day is a 422 naming
``day`` on the API and on the set-up page, and nothing is written. "Today" is the deployment's
(``settings.timezone``, Asia/Shanghai in the tests), where rosters' days are."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bastion.duty.rosters.models import DutyRequest
from tests.web_helpers import login

API = "/api/v1/duty"


def today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(DutyRequest))


@pytest.mark.parametrize("who", ["cmd", "a_sup"])  # the command's planner, post A's planner
@pytest.mark.parametrize("kind", ["off", "prefer_off", "prefer_on"])
def test_a_past_day_is_refused_naming_the_field(client, w, session, who, kind):
    for past in (today() - timedelta(days=1), today() - timedelta(days=400)):
        got = client.post(f"{API}/requests", headers=w.headers(client, who), json={
            "person_id": w.people[0].id, "day": past.isoformat(), "kind": kind})
        assert got.status_code == 422, got.text
        detail = got.json()["detail"][0]
        assert detail["loc"][-1] == "day" and past.isoformat() in detail["msg"]
    assert count(session) == 0


@pytest.mark.parametrize("who", ["cmd", "a_sup"])
def test_today_and_days_to_come_are_taken(client, w, session, who):
    for day in (today(), today() + timedelta(days=1), today() + timedelta(days=60)):
        got = client.post(f"{API}/requests", headers=w.headers(client, who), json={
            "person_id": w.people[0].id, "day": day.isoformat(), "kind": "off"})
        assert got.status_code == 201, got.text
    assert count(session) == 3


@pytest.mark.parametrize("who", ["a_aux", "a_officer", "police", "village", "agent"])
def test_who_does_not_plan_is_refused_before_the_day_is_looked_at(client, w, session, who):
    for day in (today() - timedelta(days=1), today() + timedelta(days=1)):
        got = client.post(f"{API}/requests", headers=w.headers(client, who), json={
            "person_id": w.people[0].id, "day": day.isoformat(), "kind": "off"})
        assert got.status_code == 403, (who, got.text)
    assert count(session) == 0


def test_post_b_s_planner_is_told_the_person_is_not_theirs(client, w, session):
    got = client.post(f"{API}/requests", headers=w.headers(client, "b_sup"), json={
        "person_id": w.people[0].id, "day": (today() - timedelta(days=1)).isoformat()})
    assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] in ("person_id", "day")
    assert count(session) == 0


@pytest.mark.parametrize(("language", "words"), [
    ("zh-CN", "已经过去：请求只能针对今天或以后的日期。"),
    ("en", "is past: a request is for today or a day to come.")])
def test_the_set_up_page_refuses_a_past_day(client, w, session, language, words):
    token = login(client, w.users["cmd"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get("/duty/setup")
    assert f'name="day" type="date" required min="{today().isoformat()}"' in page.text
    past = (today() - timedelta(days=3)).isoformat()
    got = client.post("/duty/setup/requests", data={
        "csrf_token": token, "person_id": str(w.people[0].id), "day": past, "kind": "off",
        "reason": "探亲"}, follow_redirects=False)
    assert got.status_code == 422
    assert f"day: {past} {words}" in got.text
    assert count(session) == 0
    coming = (today() + timedelta(days=3)).isoformat()
    got = client.post("/duty/setup/requests", data={
        "csrf_token": token, "person_id": str(w.people[0].id), "day": coming, "kind": "off"},
        follow_redirects=False)
    assert got.status_code == 303 and count(session) == 1
