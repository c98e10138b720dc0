"""The hotline's pages through the browser's forms: the board (open calls by deadline, overdue
in red, the new-call form), a call's page (history, actions, errors naming the field or the
state), the print-ready list; in zh-CN and English; who may open them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bastion.duty.hotline.models import HotlineCall
from bastion.duty.log.models import LogEntry
from tests.duty.hotline.world import API, ago, build, call_body
from tests.web_helpers import login


@pytest.fixture
def w(session):
    return build(session)


def test_the_board_takes_a_call_and_handles_it(client, session, w):
    token = login(client, w.users["station_off"].username)
    board = client.get("/duty/hotline")
    assert board.status_code == 200 and 'id="new-call"' in board.text
    client_id = re.search(r'name="client_id" value="([0-9a-f-]+)"', board.text).group(1)
    form = {"csrf_token": token, "client_id": client_id, "received_at": "2026-12-07T08:30",
            "language": "en", "kind": "emergency", "caller_name": "JOHN SMITH",
            "caller_number": "+44 20 7946 0000", "summary": "Crew member injured at berth 3",
            "open_log_entry": "on"}
    made = client.post("/duty/hotline", data=form, follow_redirects=False)
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    call = session.scalar(select(HotlineCall).where(HotlineCall.client_id == client_id))
    assert url == f"/duty/hotline/{call.id}"
    assert call.received_at.isoformat().startswith("2026-12-07T00:30")  # 08:30 in Shanghai
    assert session.scalar(select(LogEntry).where(LogEntry.hotline_call_id == call.id))
    page = client.get(url)
    assert page.status_code == 200 and 'data-action="received"' in page.text
    assert 'class="badge escalated"' in page.text  # long overdue: received this morning
    # Closing without an outcome names the field; then closes; then a closed call's action
    # is refused naming the state
    bad = client.post(f"{url}/actions", data={"csrf_token": token, "action": "close"})
    assert bad.status_code == 422 and 'id="error-outcome"' in bad.text
    done = client.post(f"{url}/actions", data={"csrf_token": token, "action": "close",
                                                "outcome": "Ambulance took him to hospital"},
                       follow_redirects=False)
    assert done.status_code == 303
    page = client.get(url)
    assert 'id="call-outcome">Ambulance took him to hospital' in page.text
    assert 'data-move="reopen"' in page.text and 'data-move="close"' not in page.text
    again = client.post(f"{url}/actions", data={"csrf_token": token, "action": "note",
                                                 "note": "x"})
    assert again.status_code == 409 and 'id="action-error"' in again.text
    # A bad new call names the field and keeps what was typed
    bad = client.post("/duty/hotline", data={**form, "client_id": "", "summary": "",
                                             "received_at": "2026-12-07T09:00"})
    assert bad.status_code == 422 and 'id="error-summary"' in bad.text
    assert "JOHN SMITH" in bad.text


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_board_in_both_languages_shows_overdue_in_red(client, w, language):
    headers = w.headers(client, "station_off")
    late = client.post(API, json=call_body(received_at=ago(hours=3)), headers=headers).json()
    fresh = client.post(API, json=call_body(kind="enquiry", language="en",
                                            summary="Visa on arrival?"), headers=headers).json()
    login(client, w.users["station_sup"].username)
    client.cookies.set("bastion_lang", language)
    text = client.get("/duty/hotline").text
    rows = re.findall(r'<tr data-call="(\d+)"( class="overdue-row")?', text)
    assert [(int(i), bool(c)) for i, c in rows][:2] == [(late["id"], True), (fresh["id"], False)]
    words = {"zh-CN": ("24小时热线", "越南语", "咨询", "已超时"),
             "en": ("24-hour hotline", "Vietnamese", "Enquiry", "Overdue")}[language]
    for word in words:
        assert word in text, word
    detail = client.get(f"/duty/hotline/{late['id']}").text
    assert ("处理来电" if language == "zh-CN" else "Handle the call") in detail
    # the late call came three hours ago: yesterday, in the unit's zone, in the small hours
    zone = ZoneInfo("Asia/Shanghai")
    days = {"from": (datetime.now(zone) - timedelta(hours=3)).date().isoformat(),
            "to": datetime.now(zone).date().isoformat()}
    printed = client.get("/duty/hotline/print", params=days)
    assert printed.status_code == 200 and f'data-call="{late["id"]}"' in printed.text
    assert 'class="topbar"' not in printed.text  # print-ready: no navigation
    client.cookies.delete("bastion_lang")


def test_the_print_list_names_bad_dates(client, w):
    login(client, w.users["station_sup"].username)
    for params, field in (({"from": "2026-02-30"}, "from"),
                          ({"from": "2026-12-07", "to": "2026-12-01"}, "from"),
                          ({"from": "2026-01-01", "to": "2026-12-01"}, "to")):
        got = client.get("/duty/hotline/print", params=params)
        assert got.status_code == 422 and f'id="error-{field}"' in got.text, params


def test_who_may_open_the_pages(client, w):
    call = client.post(API, json=call_body(),
                       headers=w.headers(client, "station_off")).json()
    for who, board, detail in (("station_sup", 200, 200), ("t2_off", 200, 404),
                               ("cmd_off", 200, 404), ("post_a", 200, 404),
                               ("aux", 403, 403), ("police", 403, 403),
                               ("village", 403, 403), ("agent", 403, 403)):
        login(client, w.users[who].username)
        assert client.get("/duty/hotline").status_code == board, who
        assert client.get(f"/duty/hotline/{call['id']}").status_code == detail, who
        assert client.get("/duty/hotline/print").status_code == board, who
