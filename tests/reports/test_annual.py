"""The annual report as each kind of user: figures counted from the records each may see
(duty's world of tests/duty/test_stats.py: four operational hotline calls in November, one
exercise call left out), a bad period names its field, the workbook carries the same numbers,
and who may not open the report is refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.duty.test_stats import w  # noqa: F401 - the fixture: a world with duty records
from tests.web_helpers import api_token, login

API = "/api/v1/reports/figures"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def _values(body) -> dict:
    return {f["key"]: f["value"] for s in body["sections"] for f in s["figures"]}


def test_the_command_and_the_station_count_what_each_may_see(client, w):  # noqa: F811
    station = client.get(API, params=NOVEMBER,
                         headers=api_token(client, w.users["station_sup"].username)).json()
    found = _values(station)
    assert station["from"] == "2026-11-01" and station["to"] == "2026-11-30"
    assert found["duty.hotline_calls"] == 4  # the exercise call and October's are left out
    assert found["duty.hotline_on_time"] == 2
    assert found["duty.log_entries"] == 3  # the corrected note counts once, the exercise not
    year = _values(client.get(API, params={"year": 2026}, headers=api_token(
        client, w.users["station_sup"].username)).json())
    assert year["duty.hotline_calls"] == 5  # October's call joins
    command = _values(client.get(API, params=NOVEMBER, headers=api_token(
        client, w.users["cmd_sup"].username)).json())
    assert command["duty.hotline_calls"] == 0  # the station's calls are not the command's


@pytest.mark.parametrize("who", ["agent", "village", "police", "station_off"])
def test_who_may_not_open_the_report_is_refused(client, w, who):  # noqa: F811
    response = client.get(API, params=NOVEMBER, headers=api_token(client, w.users[who].username))
    assert response.status_code == 403


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-11-31", "to": "2026-12-01"}, "from"),
    ({"from": "2026-12-01", "to": "2026-11-01"}, "from"),
    ({"from": "2026-11-01"}, "to"),
    ({"from": "2010-01-01", "to": "2026-01-01"}, "to"),
])
def test_a_bad_period_names_its_field(client, w, params, field):  # noqa: F811
    response = client.get(API, params=params, headers=api_token(
        client, w.users["station_sup"].username))
    assert response.status_code == 422
    assert field in response.text


def test_a_year_out_of_range_is_a_422(client, w):  # noqa: F811
    response = client.get(API, params={"year": 1900}, headers=api_token(
        client, w.users["station_sup"].username))
    assert response.status_code == 422


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_page_and_the_workbook(client, w, language):  # noqa: F811
    login(client, w.users["station_sup"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get("/reports/annual", params=NOVEMBER)
    assert page.status_code == 200, page.text
    assert 'data-key="duty.hotline_calls"' in page.text and 'id="nav-reports"' in page.text
    assert ("热线来电" if language == "zh-CN" else "Hotline calls received") in page.text
    book = client.get("/reports/annual.xlsx", params=NOVEMBER)
    assert book.status_code == 200
    rows = list(load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    by_key = {r[4]: r[2] for r in rows if r and len(r) == 5 and r[4]}
    assert by_key["duty.hotline_calls"] == 4
    bad = client.get("/reports/annual", params={"from": "2026-12-01", "to": "2026-11-01"})
    assert bad.status_code == 422 and 'id="error-from"' in bad.text
    client.cookies.delete("bastion_lang")
