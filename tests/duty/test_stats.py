"""Duty statistics as each kind of user: hours from published rosters the user may see (rows
written straight through the models), hotline calls by kind and language with the on-time
closure rate, duty-log entries by kind and stage; bad ranges name the field; the page and the
workbook in zh-CN and English."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from bastion.core.marking import TLP, Distribution
from bastion.duty.hotline import deadlines
from bastion.duty.hotline.models import CallKind, CallLanguage, CallStatus, HotlineCall
from bastion.duty.log.models import EntryKind, LogEntry, LogStep, Stage
from bastion.duty.rosters.models import Assignment, DutyPerson, Roster, RosterStatus
from bastion.org.sharing import MarkingIn, apply_marking
from tests.duty.hotline.world import build
from tests.web_helpers import login

API = "/api/v1/duty/stats"
RANGE = {"from": "2026-11-01", "to": "2026-11-30"}


def local(day: date, hour: int) -> datetime:
    """Asia/Shanghai (the test settings' zone) wall clock as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def roster(session, w, owner, author, status=RosterStatus.PUBLISHED) -> Roster:
    made = Roster(name=f"roster {owner.name}", start=date(2026, 11, 1), days=30,
                  unit_ids=[], status=status, owner_org_id=owner.id, created_by_id=author.id)
    session.add(made)
    session.flush()
    apply_marking(session, made, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.OWN))
    return made


def person(session, org, unit, name, user=None) -> DutyPerson:
    made = DutyPerson(org_id=org.id, unit_id=unit.id, name=name, roles=["officer"],
                      user_id=user.id if user else None)
    session.add(made)
    session.flush()
    return made


def duty(session, on: Roster, who: DutyPerson, day: date, start: int, hours: int) -> None:
    begins = local(day, start)
    session.add(Assignment(roster_id=on.id, day=day, shift_code="N" if start >= 16 else "D",
                           unit_id=who.unit_id, role_code="officer", person_id=who.id,
                           starts_at=begins, ends_at=begins + timedelta(hours=hours)))


def call(session, w, received, kind, closed_after=None, *, language=CallLanguage.ZH,
         exercise=False, unit=None):
    taker = w.users["station_off"]
    row = HotlineCall(unit_id=(unit or w.team1).id, owner_org_id=w.station.id,
                      created_by_id=taker.id, taken_by_id=taker.id, received_at=received,
                      language=language, kind=kind, summary="SYNTHETIC",
                      due_at=deadlines.due_at(kind, received), exercise=exercise,
                      status=CallStatus.CLOSED if closed_after is not None else CallStatus.OPEN,
                      closed_at=received + closed_after if closed_after is not None else None)
    session.add(row)
    session.flush()
    return row


def entry(session, w, at, kind, stages, *, exercise=False, corrects=None):
    author = w.users["station_off"]
    row = LogEntry(unit_id=w.team1.id, owner_org_id=w.station.id, created_by_id=author.id,
                   kind=kind, occurred_at=at, content="SYNTHETIC", recorded_by_id=author.id,
                   exercise=exercise, corrects_id=corrects.id if corrects else None,
                   tlp=TLP.GREEN, distribution=Distribution.OWN)
    session.add(row)
    session.flush()
    for n, stage in enumerate(stages):
        session.add(LogStep(entry_id=row.id, stage=stage, by_user_id=author.id,
                            at=at + timedelta(minutes=n)))
    session.flush()
    return row


@pytest.fixture
def w(session):
    world = build(session)
    sup, cmd = world.users["station_sup"], world.users["cmd_sup"]
    published = roster(session, world, world.station, sup)
    li = person(session, world.station, world.team1, "李明", world.users["station_off"])
    wang = person(session, world.station, world.team2, "王芳")
    for day in (3, 4, 5):
        duty(session, published, li, date(2026, 11, day), 8, 8)
    duty(session, published, li, date(2026, 11, 30), 20, 12)  # 4 h inside the range
    duty(session, published, li, date(2026, 10, 31), 20, 12)  # 8 h inside (from 00:00)
    duty(session, published, wang, date(2026, 11, 10), 20, 12)
    duty(session, published, wang, date(2026, 12, 5), 8, 8)  # outside
    draft = roster(session, world, world.station, sup, status=RosterStatus.SOLVED)
    duty(session, draft, wang, date(2026, 11, 11), 8, 8)  # a draft: never counted
    command_roster = roster(session, world, world.command, cmd)
    nong = person(session, world.command, world.post_a, "农文光")
    duty(session, command_roster, nong, date(2026, 11, 2), 8, 8)
    # Hotline: due in November, known outcomes
    day = local(date(2026, 11, 12), 10)
    call(session, world, day, CallKind.EMERGENCY, timedelta(minutes=30), language=CallLanguage.VI)
    call(session, world, day, CallKind.EMERGENCY, timedelta(hours=2))  # late
    call(session, world, day, CallKind.ENQUIRY, timedelta(hours=1), language=CallLanguage.EN)
    call(session, world, day, CallKind.REPORT)  # open past its deadline
    call(session, world, day, CallKind.EMERGENCY, timedelta(minutes=5), exercise=True)
    call(session, world, local(date(2026, 10, 1), 10), CallKind.ENQUIRY, timedelta(hours=1))
    # Duty log: a call reported then closed, an event received, a corrected note
    entry(session, world, day, EntryKind.CALL, [Stage.RECEIVED, Stage.REPORTED, Stage.CLOSED])
    entry(session, world, day, EntryKind.EVENT, [Stage.RECEIVED])
    wrong = entry(session, world, day, EntryKind.NOTE, [Stage.RECEIVED])
    entry(session, world, day, EntryKind.NOTE, [Stage.RECEIVED, Stage.RELAYED], corrects=wrong)
    entry(session, world, day, EntryKind.EVENT, [Stage.RECEIVED], exercise=True)
    session.commit()
    return world


def get(client, w, who, **params):
    return client.get(API, params={**RANGE, **params}, headers=w.headers(client, who))


def test_the_station_supervisor_sees_the_station_s_figures(client, w):
    got = get(client, w, "station_sup")
    assert got.status_code == 200, got.text
    stats = got.json()
    hours = {p["name"]: (p["duties"], p["hours"]) for p in stats["hours"]["by_person"]}
    assert hours == {"李明": (5, 36.0), "王芳": (1, 12.0)}
    agencies = {a["agency_id"]: a["hours"] for a in stats["hours"]["by_agency"]}
    assert agencies == {w.team1.id: 36.0, w.team2.id: 12.0}
    assert stats["hours"]["total_hours"] == 48.0
    calls = stats["hotline"]
    assert calls["total"] == 4
    assert {k["kind"]: k["count"] for k in calls["by_kind"]} == {
        "emergency": 2, "report": 1, "enquiry": 1, "complaint": 0, "other": 0}
    assert {k["language"]: k["count"] for k in calls["by_language"]} == {
        "zh": 2, "en": 1, "vi": 1}
    closure = calls["closure"]
    assert (closure["on_time"], closure["late"], closure["overdue_open"]) == (2, 1, 1)
    assert closure["rate"] == 0.5
    log = stats["log"]
    assert log["total"] == 3
    assert {(r["kind"], r["stage"]): r["count"] for r in log["by_kind_and_stage"]} == {
        ("call", "closed"): 1, ("event", "received"): 1, ("note", "relayed"): 1}
    assert stats["from"] == "2026-11-01" and stats["timezone"] == "Asia/Shanghai"


def test_each_kind_of_user(client, w):
    # The command sees its own roster's hours, none of the station's calls
    for who in ("cmd_off", "cmd_sup", "post_a"):
        got = get(client, w, who)
        assert got.status_code == 200, (who, got.text)
        stats = got.json()
        assert [p["name"] for p in stats["hours"]["by_person"]] == ["农文光"], who
        assert stats["hotline"]["total"] == 0 and stats["log"]["total"] == 0
    # A team's officer and everyone outside the duty function: 403
    for who in ("station_off", "t2_off", "t1_viewer", "aux", "police", "village", "agent"):
        assert get(client, w, who).status_code == 403, who


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-13-01"}, "from"), ({"to": "30/11/2026"}, "to"),
    ({"from": "2026-12-01", "to": "2026-11-01"}, "from"),
    ({"from": "2025-01-01", "to": "2026-11-30"}, "to"),
])
def test_bad_ranges_name_the_field(client, w, params, field):
    got = get(client, w, "station_sup", **params)
    assert got.status_code == 422, got.text
    assert got.json()["detail"][0]["loc"][-1] == field


def test_the_default_range_is_the_last_30_days(client, w):
    got = client.get(API, headers=w.headers(client, "station_sup"))
    assert got.status_code == 200
    stats = got.json()
    assert (date.fromisoformat(stats["to"]) - date.fromisoformat(stats["from"])).days == 29


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_page_and_the_workbook(client, w, language):
    login(client, w.users["station_sup"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get("/duty/stats", params=RANGE)
    assert page.status_code == 200, page.text
    text = page.text
    assert "李明" in text and 'id="closure-rate">50.0%' in text
    assert ("值班统计" if language == "zh-CN" else "Duty statistics") in text
    assert ("越南语" if language == "zh-CN" else "Vietnamese") in text
    bad = client.get("/duty/stats", params={"from": "2026-12-01", "to": "2026-11-01"})
    assert bad.status_code == 422 and 'id="error-from"' in bad.text
    book = client.get("/duty/stats.xlsx", params=RANGE)
    assert book.status_code == 200
    sheets = load_workbook(io.BytesIO(book.content))
    assert len(sheets.sheetnames) == 5
    people = sheets.worksheets[1]
    unit = "执勤一队" if language == "zh-CN" else w.team1.name_en
    assert [c.value for c in people[2]] == ["李明", unit, 5, 36.0]
    client.cookies.delete("bastion_lang")
    login(client, w.users["agent"].username)
    assert client.get("/duty/stats").status_code == 403
