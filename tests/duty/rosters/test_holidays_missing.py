"""A year the calendar of holidays does not cover is said, not guessed: the State Council's
notice for 2027 could not be found and verified, so nothing of 2027 is shipped. A roster over
2027 warns on its page and in the API, the solver job solves it and names the missing year
(log, progress note, event), and an administrator enters the year on the set-up page, through
the API or with ``bastion duty holidays load``; once entered, the warnings go."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from sqlalchemy import select

from bastion.core.events import EventRecord
from bastion.duty.rosters import jobs, setup
from bastion.duty.rosters.models import CalendarDay, Roster, RosterStatus
from bastion.duty.rosters.schemas import RosterIn
from tests.cli.helpers import bastion, clean_env, one_line_error
from tests.web_helpers import login

API = "/api/v1/duty"
NEW_YEAR = {"day": "2027-01-01", "kind": "rest", "name_zh": "元旦", "name_en": "New Year's Day"}


def make(session, w, start: date, days: int = 7) -> Roster:
    from bastion.duty.rosters import service

    made = service.create(session, user=w.users["cmd"], data=RosterIn(
        name="跨年值班", start=start, days=days, unit_ids=[w.post_a.id]))
    session.commit()
    return made


def test_the_shipped_file_has_no_2027_day(session):
    days = setup.shipped_days()
    assert days and {d.day.year for d in days} == {2026}


def test_a_roster_inside_2026_warns_of_nothing(client, session, w):
    r = make(session, w, date(2026, 12, 7))
    got = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, "cmd")).json()
    assert got["holidays_missing"] == []
    login(client, w.users["cmd"].username)
    assert 'id="holidays-missing"' not in client.get(f"/duty/rosters/{r.id}").text


@pytest.mark.parametrize(("language", "words"), [
    ("zh-CN", "未录入 2027 年的法定节假日和调休上班日"),
    ("en", "No public holidays or adjusted working days are entered for 2027")])
def test_a_roster_over_2027_warns_its_planner_and_its_readers(client, session, w, language,
                                                              words):
    r = make(session, w, date(2026, 12, 28))  # 28 Dec 2026 to 3 Jan 2027
    got = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, "cmd")).json()
    assert got["holidays_missing"] == [2027]
    login(client, w.users["cmd"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get(f"/duty/rosters/{r.id}").text
    assert 'id="holidays-missing"' in page and words in page
    assert 'href="/duty/setup#calendar"' in page  # the planner is shown where to enter it
    r.status = RosterStatus.PUBLISHED  # a reader sees it once published: warned, no link
    session.commit()
    login(client, w.users["a_aux"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get(f"/duty/rosters/{r.id}").text
    assert words in page and 'href="/duty/setup#calendar"' not in page
    login(client, w.users["village"].username)
    assert client.get(f"/duty/rosters/{r.id}").status_code in (403, 404)


def test_the_solver_job_names_the_missing_year(client, session, session_factory, settings, w,
                                               caplog):
    r = make(session, w, date(2026, 12, 28))
    assert client.post(f"{API}/rosters/{r.id}/solve",
                       headers=w.headers(client, "cmd")).status_code == 202
    settings.duty.solve_time_limit_s, settings.duty.solve_workers = 3, 1
    with caplog.at_level(logging.WARNING, logger="bastion.duty.rosters.jobs"):
        assert jobs.solve_queued(session_factory, settings) == 1
    assert any("no holiday calendar for 2027" in m for m in caplog.messages)
    session.expire_all()
    r = session.get(Roster, r.id)
    assert r.status == RosterStatus.SOLVED  # solved all the same, and said so
    assert r.progress_note.endswith("; no holiday calendar for 2027")
    events = session.scalars(select(EventRecord).where(
        EventRecord.record_kind == "duty_roster", EventRecord.record_id == r.id)).all()
    payloads = {e.kind: e.payload for e in events}
    assert payloads["duty.roster.solving"]["holidays_missing"] == [2027]
    assert payloads["duty.roster.solved"]["holidays_missing"] == [2027]


def test_a_2026_roster_solved_by_the_job_says_nothing_of_holidays(client, session,
                                                                  session_factory, settings, w):
    r = make(session, w, date(2026, 12, 7))
    client.post(f"{API}/rosters/{r.id}/solve", headers=w.headers(client, "cmd"))
    settings.duty.solve_time_limit_s, settings.duty.solve_workers = 3, 1
    jobs.solve_queued(session_factory, settings)
    session.expire_all()
    assert "holiday" not in (session.get(Roster, r.id).progress_note or "")


def test_an_administrator_enters_the_year_on_the_set_up_page(client, session, w):
    r = make(session, w, date(2026, 12, 28))
    token = login(client, w.users["port_admin"].username)
    client.cookies.set("bastion_lang", "en")
    page = client.get("/duty/setup").text
    assert "No public holidays or adjusted working days are entered for 2027" in page
    assert 'id="calendar-day-form"' in page
    bad = client.post("/duty/setup/calendar", data={**NEW_YEAR, "kind": "holiday",
                                                    "csrf_token": token})
    assert bad.status_code == 422 and "kind:" in bad.text
    assert session.scalar(select(CalendarDay).where(CalendarDay.day == date(2027, 1, 1))) is None
    made = client.post("/duty/setup/calendar", data={**NEW_YEAR, "csrf_token": token},
                       follow_redirects=False)
    assert made.status_code == 303
    page = client.get("/duty/setup").text
    assert 'data-day="2027-01-01"' in page and "2027 (1 rest days, 0 adjusted working days)" in page
    assert 'id="holidays-missing"' not in page
    # the roster's warning goes with it (its own organisation's planner looks)
    got = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, "cmd")).json()
    assert got["holidays_missing"] == []
    gone = client.post("/duty/setup/calendar/2027-01-01/delete", data={"csrf_token": token},
                       follow_redirects=False)
    assert gone.status_code == 303
    assert client.get(f"{API}/rosters/{r.id}",
                      headers=w.headers(client, "cmd")).json()["holidays_missing"] == [2027]


@pytest.mark.parametrize("who", ["cmd", "a_sup"])  # planners, not administrators
def test_a_planner_who_is_not_an_administrator_sees_but_may_not_enter(client, session, w, who):
    token = login(client, w.users[who].username)
    page = client.get("/duty/setup").text
    assert 'id="holiday-years"' in page and 'id="calendar-day-form"' not in page
    got = client.post("/duty/setup/calendar", data={**NEW_YEAR, "csrf_token": token})
    assert got.status_code == 403
    assert session.scalar(select(CalendarDay).where(CalendarDay.day == date(2027, 1, 1))) is None


@pytest.mark.parametrize("who", ["a_aux", "police", "village", "agent"])
def test_who_does_not_plan_has_no_set_up_page(client, w, who):
    token = login(client, w.users[who].username)
    assert client.get("/duty/setup").status_code == 403
    assert client.post("/duty/setup/calendar",
                       data={**NEW_YEAR, "csrf_token": token}).status_code == 403


def test_the_command_loads_a_year_from_a_file(tmp_path):
    env = clean_env(BASTION_DATABASE_URL=f"sqlite:///{tmp_path / 'bastion.db'}")
    assert bastion("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    empty = bastion("duty", "holidays", "years", env=env, cwd=tmp_path)
    assert empty.returncode == 0 and "holds no year" in empty.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"days": [NEW_YEAR, {**NEW_YEAR, "day": "2027-02-30"}]}), "utf-8")
    assert one_line_error(bastion("duty", "holidays", "load", str(bad), env=env,
                                  cwd=tmp_path)).startswith("error: days[1].day: ")
    good = tmp_path / "2099.json"  # a year far off: no real notice is guessed at here
    good.write_text(json.dumps({"source": {"title": "SYNTHETIC, for the test"}, "days": [
        {**NEW_YEAR, "day": "2099-01-01"},
        {"day": "2099-01-03", "kind": "workday", "name_zh": "SYNTHETIC 调休上班",
         "name_en": "SYNTHETIC adjusted working day"}]}), "utf-8")
    loaded = bastion("duty", "holidays", "load", str(good), env=env, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "2 days written or changed" in loaded.stdout
    years = bastion("duty", "holidays", "years", env=env, cwd=tmp_path)
    assert years.stdout.splitlines() == ["2099\t1 rest days\t1 adjusted working days"]
    again = bastion("duty", "holidays", "load", str(good), env=env, cwd=tmp_path)
    assert "0 days written or changed" in again.stdout  # idempotent
