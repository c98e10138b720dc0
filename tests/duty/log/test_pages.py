"""The duty-log pages through TestClient, as each kind of user: the day's log with the form,
an entry with its steps, the print-ready day and handover sheet, handovers, the check-in
page and the missed check-ins panel; zh-CN and English."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bastion.core.config import get_settings
from bastion.duty.log import watch
from bastion.duty.log.models import CheckIn, Handover, LogEntry
from tests.duty.log.world import publish_now, utcnow
from tests.web_helpers import login


def as_user(client, w, who):
    return login(client, w.users[who].username)


def record(client, token, **extra):
    data = {"csrf_token": token, "occurred_at": "2026-12-07T08:30", "kind": "call",
            "caller_unit": "边境管理大队", "caller_name": "韦国平", "caller_number": "0776-1",
            "content": "界碑附近发现可疑人员", "instruction": "核查", "handling": "已派人", **extra}
    return client.post("/duty/log", data=data, follow_redirects=False)


def test_post_officer_records_and_moves_an_entry_through_the_page(client, w, session):
    token = as_user(client, w, "a_officer")
    page = client.get("/duty/log")
    assert page.status_code == 200 and "值班日志" in page.text and 'name="caller_number"' in page.text
    r = record(client, token)
    assert r.status_code == 303, r.text
    entry_id = int(r.headers["location"].rsplit("/", 1)[1])
    detail = client.get(f"/duty/log/{entry_id}")
    assert detail.status_code == 200 and "界碑附近发现可疑人员" in detail.text \
        and "已接报" in detail.text
    r = client.post(f"/duty/log/{entry_id}/steps", data={
        "csrf_token": token, "stage": "reported", "to_whom": "黄建国"}, follow_redirects=False)
    assert r.status_code == 303
    back = client.post(f"/duty/log/{entry_id}/steps", data={
        "csrf_token": token, "stage": "received"})
    assert back.status_code == 409
    r = client.post(f"/duty/log/{entry_id}/correct", data={
        "csrf_token": token, "occurred_at": "2026-12-07T08:35", "content": "更正：可疑人员两名"},
        follow_redirects=False)
    assert r.status_code == 303
    old = client.get(f"/duty/log/{entry_id}")
    assert re.search(r"#\d+", old.text) and "更正" in old.text
    day = client.get("/duty/log?day=2026-12-07")
    assert day.status_code == 200
    printed = client.get("/duty/log/print?day=2026-12-07")
    assert printed.status_code == 200 and "sign-line" in printed.text
    assert "可疑人员" in printed.text and "@page" not in printed.text  # the CSS is a file


def test_form_errors_name_the_field(client, w):
    token = as_user(client, w, "a_aux")
    r = record(client, token, content="", occurred_at="not a time")
    assert r.status_code == 422
    assert 'id="error-occurred_at"' in r.text and 'id="error-content"' in r.text


def test_who_may_open_the_pages(client, w, session):
    token = as_user(client, w, "a_aux")
    entry_id = int(record(client, token).headers["location"].rsplit("/", 1)[1])
    for who, status in (("cmd", 200), ("a_officer", 200), ("b_officer", 404),
                        ("b_aux", 404), ("police", 404), ("station", 404),
                        ("village", 403), ("agent", 403)):
        as_user(client, w, who)
        assert client.get(f"/duty/log/{entry_id}").status_code == status, who
    for who in ("village", "agent"):
        as_user(client, w, who)
        for path in ("/duty/log", "/duty/log/print", "/duty/handovers", "/duty/checkin"):
            assert client.get(path).status_code == 403, (who, path)


def test_handover_pages_and_the_sheet(client, w, session):
    token = as_user(client, w, "a_officer")
    record(client, token)
    page = client.get("/duty/handovers")
    assert page.status_code == 200 and 'name="incoming_user_id"' in page.text
    r = client.post("/duty/handovers", data={
        "csrf_token": token, "incoming_user_id": str(w.users["a_officer2"].id),
        "situation": "辖区平稳", "problems": "可疑人员待核查", "tasks": "继续跟踪"},
        follow_redirects=False)
    assert r.status_code == 303
    hid = int(r.headers["location"].rsplit("/", 1)[1])
    sheet = client.get(f"/duty/handovers/{hid}/print")
    assert sheet.status_code == 200 and "界碑附近发现可疑人员" in sheet.text
    assert "sign-line" in sheet.text
    bad = client.post("/duty/handovers", data={"csrf_token": token, "incoming_user_id": "x"})
    assert bad.status_code == 422 and 'id="error-incoming_user_id"' in bad.text
    token = as_user(client, w, "a_officer2")
    mine = client.get("/duty/handovers")
    assert f'/duty/handovers/{hid}"' in mine.text
    page = client.get(f"/duty/handovers/{hid}")
    assert 'id="confirm-handover"' in page.text
    r = client.post(f"/duty/handovers/{hid}/confirm", data={"csrf_token": token,
                                                          "note": "已阅"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert session.get(Handover, hid).confirmed_at is not None
    assert 'id="confirm-handover"' not in client.get(f"/duty/handovers/{hid}").text


def test_checkin_page_button_and_the_leaders_missed_panel(client, w, session):
    publish_now(session, w, start=utcnow() - timedelta(minutes=75))
    token = as_user(client, w, "a_officer")
    page = client.get("/duty/checkin")
    assert page.status_code == 200 and 'id="checkin-button"' in page.text
    assert "/static/js/duty-checkin.js" in page.text and "<script>" not in page.text
    assert "线上值守员" in page.text
    watch.run(session, settings=get_settings())  # the one due at +60 was missed
    cid = re.search(r'name="client_id" value="([^"]+)"', page.text)[1]
    r = client.post("/duty/checkin", data={"csrf_token": token, "client_id": cid},
                    follow_redirects=False)
    assert r.status_code == 303
    assert session.scalar(select(CheckIn).where(CheckIn.client_id == cid)) is not None
    as_user(client, w, "a_super")
    for path in ("/duty/log", "/duty/checkin", "/duty/checkin/missed"):
        text = client.get(path).text
        assert 'id="missed-panel"' in text and "notification.created" in text, path
    fragment = client.get("/duty/checkin/missed?fragment=1").text
    assert w.users["a_officer"].display_name in fragment
    mid = re.search(r"/duty/checkin/missed/(\d+)/acknowledge", fragment)[1]
    token = as_user(client, w, "a_super")
    r = client.post(f"/duty/checkin/missed/{mid}/acknowledge",
                    data={"csrf_token": token, "note": "已联系"}, follow_redirects=False)
    assert r.status_code == 303
    assert "已联系" in client.get("/duty/checkin/missed").text


def test_pages_in_english(client, w, session):
    token = as_user(client, w, "a_officer")
    client.cookies.set("bastion_lang", "en")
    record(client, token)
    page = client.get("/duty/log")
    assert "Duty log" in page.text and "Caller's number" in page.text
    assert "Duty check-in" in client.get("/duty/checkin").text
    entry = session.scalars(select(LogEntry)).first()
    assert "The leader's instruction" in client.get(f"/duty/log/{entry.id}").text


def test_no_english_interface_words_in_chinese(client, w, session):
    """The pages of this room read in zh-CN hold no English interface words (the heuristic
    of tests/web/test_zh_cn_complete.py, which reaches these pages once they are linked)."""
    from tests.web.test_zh_cn_complete import _Reader, english_words

    publish_now(session, w, start=utcnow() - timedelta(minutes=75))
    token = as_user(client, w, "a_officer")
    entry_id = int(record(client, token).headers["location"].rsplit("/", 1)[1])
    client.post(f"/duty/log/{entry_id}/steps", data={"csrf_token": token, "stage": "reported"})
    r = client.post("/duty/handovers", data={
        "csrf_token": token, "incoming_user_id": str(w.users["a_officer2"].id)},
        follow_redirects=False)
    hid = int(r.headers["location"].rsplit("/", 1)[1])
    watch.run(session, settings=get_settings())
    data_words = {"Person"}  # the factories' display names ("Person 12")
    leaks = {}
    for who, paths in (("a_officer", ["/duty/log", f"/duty/log/{entry_id}", "/duty/log/print",
                                      "/duty/handovers", f"/duty/handovers/{hid}",
                                      f"/duty/handovers/{hid}/print", "/duty/checkin"]),
                       ("a_super", ["/duty/log", "/duty/checkin/missed", "/notifications"])):
        as_user(client, w, who)
        for path in paths:
            reader = _Reader()
            response = client.get(path)
            assert response.status_code == 200, path
            reader.feed(response.text)
            for text in reader.texts:
                if english_words(text, data_words):
                    leaks[text[:120]] = path
    assert not leaks, leaks


def test_a_leader_on_duty_has_the_live_panel_before_any_alarm(client, w, session):
    publish_now(session, w, start=utcnow() - timedelta(minutes=5),
                leader_user=w.users["a_officer2"])
    as_user(client, w, "a_officer2")  # the duty leader on now, not a planner
    assert 'id="missed-panel"' in client.get("/duty/log").text
    as_user(client, w, "a_super")  # a planner of the post
    assert 'id="missed-panel"' in client.get("/duty/checkin").text
    as_user(client, w, "a_aux")  # neither
    assert 'id="missed-panel"' not in client.get("/duty/log").text
    assert 'id="missed-panel"' not in client.get("/duty/checkin").text
