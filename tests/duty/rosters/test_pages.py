"""The pages, rendered through the app as each kind of user: the list, a roster's grid and
the set-up page; forms post and come back with the field named."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bastion.duty.rosters import setup
from bastion.duty.rosters.models import CalendarDay, DutyRole, Roster, RosterStatus
from tests.duty.rosters.world import roster, rotation
from tests.web_helpers import csrf_token, login


def test_the_list_for_planners_and_readers(client, session, w):
    draft = roster(session, w)
    published = roster(session, w)
    rotation(session, w, published, status=RosterStatus.PUBLISHED)
    login(client, w.users["cmd"].username)
    page = client.get("/duty/rosters")
    assert page.status_code == 200
    assert f'href="/duty/rosters/{draft.id}"' in page.text and 'id="new-roster"' in page.text
    login(client, w.users["a_aux"].username)
    page = client.get("/duty/rosters")
    assert page.status_code == 200
    assert f'href="/duty/rosters/{published.id}"' in page.text
    assert f'href="/duty/rosters/{draft.id}"' not in page.text
    assert 'id="new-roster"' not in page.text
    for who in ("village", "agent"):
        login(client, w.users[who].username)
        assert client.get("/duty/rosters").status_code == 403
        assert client.get(f"/duty/rosters/{published.id}").status_code == 403


def test_create_through_the_form_names_the_field(client, session, w):
    token = login(client, w.users["cmd"].username)
    bad = client.post("/duty/rosters", data={
        "csrf_token": token, "name": "一月", "start": "2027-01-04", "days": "28",
        "unit_ids": [str(w.post_a.id)], "rule_min_rest_hours": "99"})
    assert bad.status_code == 422 and "field-error" in bad.text
    made = client.post("/duty/rosters", data={
        "csrf_token": token, "name": "一月", "start": "2027-01-04", "days": "28",
        "unit_ids": [str(w.post_a.id)], "rule_min_rest_hours": "11"}, follow_redirects=False)
    assert made.status_code == 303, made.text
    r = session.scalar(select(Roster).where(Roster.name == "一月"))
    assert r.rules["min_rest_hours"] == 11 and r.unit_ids == [w.post_a.id]


def test_the_grid_for_the_planner_and_the_person(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r)
    rows[0].pinned = True
    session.commit()
    token = login(client, w.users["cmd"].username)
    page = client.get(f"/duty/rosters/{r.id}")
    assert page.status_code == 200
    assert page.text.count('class="duty-cell') == 14 and "📌" in page.text
    assert 'id="publish"' in page.text and "/static/js/duty-roster.js" in page.text
    published = client.post(f"/duty/rosters/{r.id}/publish", data={"csrf_token": token},
                            follow_redirects=False)
    assert published.status_code == 303
    again = client.post(f"/duty/rosters/{r.id}/publish", data={"csrf_token": token})
    assert again.status_code == 409 and 'id="roster-error"' in again.text
    login(client, w.users["a_aux"].username)
    page = client.get(f"/duty/rosters/{r.id}")
    assert page.status_code == 200 and 'class="duty-cell' not in page.text
    assert 'id="publish"' not in page.text and page.text.count("<span title=") == 14


def test_the_setup_page_and_its_forms(client, session, w):
    setup.load_holidays(session)
    session.commit()
    token = login(client, w.users["cmd"].username)
    page = client.get("/duty/setup")
    assert page.status_code == 200
    assert "值班领导" in page.text and "2026-10-01" in page.text
    made = client.post("/duty/setup/roles", data={
        "csrf_token": token, "code": "dispatch", "name_zh": "调度员", "name_en": "Dispatcher",
        "active": "1"}, follow_redirects=False)
    assert made.status_code == 303
    assert session.scalar(select(DutyRole).where(DutyRole.code == "dispatch")) is not None
    bad = client.post("/duty/setup/shifts", data={
        "csrf_token": token, "code": "E", "name": "晚班", "start": "25:00", "end": "08:00"})
    assert bad.status_code == 422 and "start" in bad.text
    bad = client.post("/duty/setup/demand", data={
        "csrf_token": token, "unit_id": str(w.post_a.id), "shift_code": "X",
        "role_code": "duty_officer", "count": "1"})
    assert bad.status_code == 422 and "shift_code" in bad.text
    for who in ("a_aux", "police", "village", "agent"):
        login(client, w.users[who].username)
        assert client.get("/duty/setup").status_code == 403, who
    assert csrf_token(client, "/login")


def test_holidays_load_idempotently(session):
    first = setup.load_holidays(session)
    assert first == 39
    assert setup.load_holidays(session) == 0
    day = session.scalar(select(CalendarDay).where(CalendarDay.day == date(2026, 2, 14)))
    assert day.kind.value == "workday" and day.name_zh.startswith("春节")
