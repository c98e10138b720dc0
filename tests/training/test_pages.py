"""The pages of training as each kind of user: a page per kind with its chart data, the event
page (forms only for its recorders), the figures page, the xlsx, the phone page; 403 for those
with no training function, 404 for an event they may not see; forms answer 422 naming the
field."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.duty.hotline.world import build
from tests.factories import PASSWORD
from tests.web_helpers import login

API = "/api/v1/training"


@pytest.fixture
def w(session):
    return build(session)


def _event(client, w, **extra) -> dict:
    body = {"kind": "drill_tactical", "starts_at": (datetime.now(UTC) - timedelta(hours=1))
            .isoformat(), "agency_ids": [w.police.id], **extra}
    got = client.post(f"{API}/events", json=body, headers=w.headers(client, "cmd_off"))
    assert got.status_code == 201, got.text
    return got.json()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_pages_as_each_kind_of_user(client, w):
    event = _event(client, w, exercise_mode=True)
    for who, category_status, event_status in (
            ("cmd_off", 200, 200), ("post_a", 200, 404), ("police", 200, 200),
            ("station_off", 200, 404), ("village", 403, 403), ("agent", 403, 403)):
        client.cookies.clear()
        login(client, w.users[who].username, PASSWORD)
        for category in ("skills", "drill", "meeting", "study"):
            got = client.get(f"/training/{category}")
            assert got.status_code == category_status, (who, category, got.status_code)
        got = client.get(f"/training/events/{event['id']}")
        assert got.status_code == event_status, (who, got.status_code)
        if event_status == 200:
            assert 'data-exercise="1"' in got.text
            # only the recorders get the forms and the links into the other rooms
            assert ("/hazards/new?exercise=1&amp;drill=" in got.text) == (who == "cmd_off")
            assert ("/duty/hotline?exercise=1" in got.text) == (who == "cmd_off")
    client.cookies.clear()
    login(client, w.users["cmd_off"].username, PASSWORD)
    page = client.get("/training/drill")
    chart = json.loads(re.search(r'data-chart="([^"]+)"', page.text).group(1)
                       .replace("&#34;", '"').replace("&quot;", '"'))
    assert sum(sum(s["data"]) for s in chart["series"]) == 1
    assert client.get("/training/nope").status_code == 404
    assert client.get("/training/figures").status_code == 200
    assert client.get("/training/attend").status_code == 200
    got = client.get("/training/export.xlsx?category=drill")
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert sheet.max_row == 2 and sheet.cell(row=2, column=1).value == event["id"]


def test_forms_name_the_field(client, w):
    event = _event(client, w, exercise_mode=True)
    login(client, w.users["cmd_off"].username, PASSWORD)
    page = client.get("/training/drill")
    token = _csrf(page.text)
    got = client.post("/training/events", data={"csrf_token": token, "kind": "drill_tactical",
                                                "starts_at": "not a time"})
    assert got.status_code == 422 and 'id="error-starts_at"' in got.text or "starts_at" in got.text
    got = client.post("/training/events", data={
        "csrf_token": token, "kind": "drill_tactical", "starts_at": "2026-05-01T09:00",
        "exercise_mode": "on", "title": "演练"}, follow_redirects=False)
    assert got.status_code == 303
    got = client.post(f"/training/events/{event['id']}/attendance", data={
        "csrf_token": token, "name": "甲"}, follow_redirects=False)  # unticked: absent
    assert got.status_code == 422 and "reason" in got.text
    got = client.post(f"/training/events/{event['id']}/injects", data={
        "csrf_token": token, "text": "模拟报告"}, follow_redirects=False)
    assert got.status_code == 303
    assert "模拟报告" in client.get(f"/training/events/{event['id']}").text
    got = client.post("/training/series", data={
        "csrf_token": token, "kind": "meeting_weekly", "first_day": "2027-02-01",
        "last_day": "2027-01-01", "weekday": "0", "time": "08:30"})
    assert got.status_code == 422
