"""Hotline figures count calls by the day they were received, the totals and the on-time
closure rate alike: a call received on the last evening of a month and due the next day
counts in the month it came in (in both), and one received the month before and due in it
counts in neither. The API says so (``counted_by``); the page, the workbook and the hotline
board say "received"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bastion.duty.hotline.models import CallKind, HotlineCall
from tests.duty.hotline.world import build
from tests.duty.test_stats import call, local
from tests.web_helpers import login

API = "/api/v1/duty/stats"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def w(session):
    world = build(session)
    # received 30 Nov 23:30, due 1 Dec 23:30, closed in 2 h: on time, a November call
    call(session, world, local(date(2026, 11, 30), 23) + timedelta(minutes=30),
         CallKind.REPORT, timedelta(hours=2))
    # received 31 Oct 23:45, due 1 Nov 00:45, closed late: an October call
    call(session, world, local(date(2026, 10, 31), 23) + timedelta(minutes=45),
         CallKind.EMERGENCY, timedelta(hours=2))
    # received 20 Nov, still open past its deadline (21 Nov)
    call(session, world, local(date(2026, 11, 20), 9), CallKind.ENQUIRY)
    session.commit()
    return world


def stats(client, w, who, params):
    got = client.get(API, params=params, headers=w.headers(client, who))
    assert got.status_code == 200, got.text
    return got.json()["hotline"]


def test_totals_and_closure_count_the_same_calls_by_received_date(client, w):
    november = stats(client, w, "station_sup", NOVEMBER)
    assert november["counted_by"] == "received_at"
    assert november["total"] == 2
    assert {k["kind"]: k["count"] for k in november["by_kind"] if k["count"]} == {
        "report": 1, "enquiry": 1}
    closure = november["closure"]
    assert (closure["on_time"], closure["late"], closure["overdue_open"],
            closure["pending"]) == (1, 0, 1, 0)
    assert closure["counted"] == november["total"] and closure["rate"] == 0.5
    october = stats(client, w, "station_sup", {"from": "2026-10-01", "to": "2026-10-31"})
    assert october["total"] == 1
    assert (october["closure"]["late"], october["closure"]["counted"]) == (1, 1)


def test_a_call_not_yet_due_is_counted_received_and_pending(client, w, session):
    call(session, w, datetime.now(UTC) - timedelta(minutes=10), CallKind.REPORT)
    session.commit()
    now = stats(client, w, "station_sup", {})  # the last 30 days to today
    assert now["total"] == now["closure"]["counted"] + now["closure"]["pending"]
    assert now["closure"]["pending"] == 1


@pytest.mark.parametrize("who", ["cmd_off", "cmd_sup"])
def test_who_may_not_see_the_team_s_calls_counts_none_of_them(client, w, who):
    """Another organisation's statistics: neither the totals nor the rate count calls the
    reader may not open."""
    seen = stats(client, w, who, NOVEMBER)
    assert seen["total"] == 0 and seen["closure"]["counted"] == 0
    assert seen["closure"]["rate"] is None


@pytest.mark.parametrize("who", ["station_off", "t2_off", "aux", "police", "agent"])
def test_who_has_no_statistics_gets_none(client, w, who):
    assert client.get(API, params=NOVEMBER,
                      headers=w.headers(client, who)).status_code == 403


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Of the calls received in the range, 2 have an outcome"),
    ("zh-CN", "期内接报的来电中，2 件已有结果")])
def test_the_page_says_received(client, w, language, words):
    login(client, w.users["station_sup"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get("/duty/stats", params=NOVEMBER)
    assert page.status_code == 200
    assert words in page.text and 'id="closure-rate">50.0%' in page.text


def test_the_hotline_board_rates_the_calls_received_in_the_last_30_days(client, session):
    w = build(session)
    now = datetime.now(UTC)
    # received 30.5 days ago, due (24 h later) 29.5 days ago, closed late: not received in
    # the 30 days, so not rated (rated by its deadline, it made the rate 50 %)
    call(session, w, now - timedelta(days=30, hours=12), CallKind.REPORT, timedelta(hours=30))
    call(session, w, now - timedelta(days=3), CallKind.ENQUIRY, timedelta(hours=1))
    session.commit()
    assert session.query(HotlineCall).count() == 2
    login(client, w.users["station_sup"].username)
    client.cookies.set("bastion_lang", "en")
    page = client.get("/duty/hotline")
    assert page.status_code == 200
    assert ("Closed on time, of the calls received in the last 30 days: 100.0% of 1."
            in page.text)
