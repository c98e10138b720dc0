"""Holes found walking the product as the demo users (review of issue #13): a day at the edge
of the calendar (9999-12-31, 0001-01-01) ended the log, its print page, the person's calendar,
the statistics and the hotline print in a 500 (OverflowError stepping past it); now a 422
naming the field."""

from __future__ import annotations

import pytest

from tests.duty.log.world import build
from tests.web_helpers import login

API = "/api/v1/duty"


@pytest.fixture
def w(session):
    return build(session)


@pytest.mark.parametrize(("path", "field"), [
    ("/log?day=9999-12-31", "day"),
    ("/log?day=0001-01-01", "day"),
    ("/stats?from=9999-12-31&to=9999-12-31", "from"),
    ("/stats?to=0001-01-01", "to"),
])
def test_the_api_refuses_a_day_at_the_edge_of_the_calendar(client, w, path, field):
    got = client.get(API + path, headers={**w.headers(client, "cmd"),
                                          "Accept-Language": "zh-CN"})
    assert got.status_code == 422, got.text
    problem = got.json()["detail"][0]
    assert problem["loc"][-1] == field
    assert "1900-01-01" in problem["msg"] and "请选择" in problem["msg"]


@pytest.mark.parametrize("path", [
    "/duty/log?day=9999-12-31", "/duty/log?day=0001-01-01", "/duty/log/print?day=9999-12-31",
    "/duty/me?month=9999-12", "/duty/me?month=0001-01",
    "/duty/stats?from=9999-12-31&to=9999-12-31", "/duty/hotline/print?from=9999-12-31",
])
def test_the_pages_refuse_a_day_at_the_edge_of_the_calendar(client, w, path):
    login(client, w.users["cmd"].username)
    assert client.get(path).status_code == 422


@pytest.mark.parametrize("path", ["/duty/log?day=2999-12-31", "/duty/me?month=2999-12",
                                  "/duty/log?day=1900-01-01", "/duty/me?month=1900-01"])
def test_the_last_and_first_days_allowed_still_show(client, w, path):
    login(client, w.users["cmd"].username)
    assert client.get(path).status_code == 200
