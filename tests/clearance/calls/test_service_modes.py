"""Service modes end to end: terminal profiles, tide-window arrival, green channel and its SLA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bastion.clearance.green import service as green
from bastion.clearance.green.models import Emergency
from bastion.core.events import EventRecord
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.tides import UKCPolicy, get_station, tide_windows
from tests.clearance.calls.conftest import COAL, TIDE
from tests.web_helpers import api_token

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _future_local(days: int, hour: int, weekday: int | None = None) -> datetime:
    """A time ``days`` ahead at ``hour`` in Shanghai, moved on to an ISO ``weekday`` if given."""
    day = (datetime.now(SHANGHAI) + timedelta(days=days)).date()
    while weekday is not None and day.isoweekday() != weekday:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def _call(client, world, headers, terminal, eta, **extra):
    made = client.post("/api/v1/port-calls", headers=headers, json={
        "station_id": world.a.id, "participant_ids": [world.b.id], "vessel_name": "HAI XING 6",
        "imo": 9300013, "mmsi": 412440102, "terminal": terminal, "eta": eta.isoformat(),
        "etd": (eta + timedelta(days=1)).isoformat(), **extra})
    assert made.status_code == 201, made.text
    return made.json()


def _act(client, headers, call, action, **body):
    return client.post(f"/api/v1/port-calls/{call['id']}/actions/{action}", headers=headers,
                       json=body or None)


def test_terminal_profiles_are_kept_by_supervisors_and_checked(client, world, station):
    officer = station["officer"]
    assert client.post("/api/v1/clearance/terminals", headers=officer,
                       json={**COAL, "code": "X"}).status_code == 403
    bad = client.post("/api/v1/clearance/terminals", headers=station["supervisor"],
                      json={**TIDE, "code": "T2", "tide_station": "atlantis"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "tide_station"]
    listed = client.get(f"/api/v1/clearance/terminals?station_id={world.a.id}",
                        headers=station["agent"]).json()["items"]
    assert [t["code"] for t in listed] == ["COAL", "GEN", "TIDE"]
    unknown = client.post("/api/v1/port-calls", headers=station["agent"], json={
        "station_id": world.a.id, "vessel_name": "X", "terminal": "NOPE",
        "eta": _future_local(3, 10).isoformat()})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "terminal"]


def test_a_terminal_changed_to_another_terminals_code_is_a_conflict(client, world, station):
    """The POST gave 409 for a code in use, the PUT a 500 from the unique key (issue #10)."""
    supervisor = station["supervisor"]
    listed = client.get("/api/v1/clearance/terminals", headers=supervisor).json()["items"]
    coal = next(t for t in listed if t["code"] == "COAL")
    taken = client.put(f"/api/v1/clearance/terminals/{coal['id']}", headers=supervisor,
                       json={**COAL, "code": "GEN"})
    assert taken.status_code == 409 and taken.json()["code"] == "conflict"
    kept = client.put(f"/api/v1/clearance/terminals/{coal['id']}", headers=supervisor,
                      json={**COAL, "name_en": "Coal and ore"})
    assert kept.status_code == 200 and kept.json()["code"] == "COAL"


def test_office_hours_terminal_books_the_inspection_when_it_is_served(client, world, station):
    saturday = _future_local(2, 10, weekday=6)
    call = _call(client, world, station["agent"], "GEN", saturday)
    assert _act(client, station["agent"], call, "submit").json()["state"] == "prechecked"
    approved = _act(client, station["officer"], call, "approve_arrival")
    assert approved.status_code == 200, approved.text
    slots = client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=station["officer"]).json()["items"]
    start = datetime.fromisoformat(slots[0]["start"]).astimezone(SHANGHAI)
    assert (start.isoweekday(), start.hour, start.minute) == (1, 8, 30)  # Monday's opening
    assert start.date() == (saturday + timedelta(days=2)).date()
    day = start.date().isoformat()
    agenda = client.get(f"/api/v1/clearance/agenda?day={day}", headers=station["officer"]).json()["items"]
    assert [(a["call_id"], a["purpose"]) for a in agenda] == [(call["id"], "arrival")]


def test_tide_window_arrival_and_inspection_lie_inside_the_tide(client, session, world, station):
    eta = _future_local(3, 12)
    call = _call(client, world, station["agent"], "TIDE", eta, draught_m=9.0)
    _act(client, station["agent"], call, "submit")
    approved = _act(client, station["officer"], call, "approve_arrival").json()
    windows = tide_windows(get_station("zhapo"), eta.astimezone(UTC), eta + timedelta(days=7),
                           depth_m=8.0, draught_m=9.0, ukc=UKCPolicy(0.5, 10))
    first = next(w for w in windows if w.end > eta)
    window_start = datetime.fromisoformat(approved["arrival_window_start"])
    assert abs((window_start - max(first.start, eta)).total_seconds()) < 1
    wait = max(0, int((first.start - eta).total_seconds() // 60))
    assert approved["tide_wait_minutes"] == wait
    slot = client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=station["officer"]).json()["items"][0]
    s, e = (datetime.fromisoformat(slot[k]) for k in ("start", "end"))
    assert any(w.start <= s and e <= w.end for w in windows), "the inspection is inside a window"
    event = session.scalar(select(EventRecord).where(
        EventRecord.kind == "portcall.approve_arrival", EventRecord.record_id == call["id"]))
    assert event.payload["tide_wait_minutes"] == wait and event.payload["slot_start"]


def test_a_draught_no_tide_can_carry_is_refused_and_nothing_changes(client, world, station):
    call = _call(client, world, station["agent"], "TIDE", _future_local(3, 12), draught_m=14.0)
    _act(client, station["agent"], call, "submit")
    refused = _act(client, station["officer"], call, "approve_arrival")
    assert refused.status_code == 409
    after = client.get(f"/api/v1/port-calls/{call['id']}", headers=station["officer"]).json()
    assert after["state"] == "prechecked" and after["arrival_window_start"] is None


def test_green_channel_jumps_the_queue_lands_first_and_completes_papers_later(
        client, session, world, station):
    agent, officer = station["agent"], station["officer"]
    ordinary = _call(client, world, agent, "COAL", _future_local(1, 9))
    sick = _call(client, world, agent, "COAL", _future_local(5, 9))  # later ETA, no papers yet
    assert _act(client, officer, sick, "approve_arrival").status_code == 409  # a draft
    opened = client.post(f"/api/v1/port-calls/{sick['id']}/green-channel", headers=agent, json={
        "kind": "medical", "reason": "Second engineer, crushed hand", "documents_to_follow": True,
        "persons": [{"name": "WANG Wei", "condition": "crushed hand"}]})
    assert opened.status_code == 201, opened.text
    queue = client.get("/api/v1/port-calls", headers=officer).json()["items"]
    assert [c["id"] for c in queue][:2] == [sick["id"], ordinary["id"]]
    assert queue[0]["priority"] == "emergency"
    # documents to follow: arrival approved straight from the draft, slot outside hours allowed
    assert _act(client, officer, sick, "approve_arrival").json()["state"] == "arrival_approved"
    landed = client.post(f"/api/v1/port-calls/{sick['id']}/green-channel/landing",
                         headers=officer, json={"note": "To Yangjiang People's Hospital"})
    assert landed.status_code == 200 and landed.json()["landed_at"]
    for action in ("arrive", "start_inspection"):
        assert _act(client, officer, sick, action).status_code == 200
    blocked = _act(client, officer, sick, "clear_in")
    assert blocked.status_code == 409  # the crew list has not followed yet
    early = client.post(f"/api/v1/port-calls/{sick['id']}/green-channel/documents-completed",
                        headers=agent)
    assert early.status_code == 422  # nothing uploaded
    crew = "No,Family name,Given names,Rank or rating,Nationality,Date of birth,Place of birth," \
           "Gender,Document type,Document number,Issuing state,Expiry date\n" \
           "1,WANG,Wei,Second engineer,CHN,1985-03-02,Dalian,M,P,E12345678,CHN,2031-01-01\n"
    uploaded = client.post(f"/api/v1/port-calls/{sick['id']}/declarations/crew", headers=agent,
                           files={"file": ("crew.csv", crew.encode())})
    assert uploaded.status_code == 201, uploaded.text
    assert client.post(f"/api/v1/port-calls/{sick['id']}/green-channel/documents-completed",
                       headers=agent).status_code == 200
    screened = client.get(f"/api/v1/port-calls/{sick['id']}", headers=officer).json()
    assert screened["state"] == "inspecting"  # the papers are screened where the call stands
    # file row 2, and the person who landed first (G<case id>.1: the green-channel case)
    persons = screened["precheck"]["persons"]
    assert persons.pop("WANG Wei · C2") == "clear"
    assert [(ref.split(" · G")[0], o) for ref, o in persons.items()] == [("WANG Wei", "clear")]
    assert _act(client, officer, sick, "clear_in").status_code == 200
    cleared = _act(client, station["customs"], sick, "clear_in").json()
    assert cleared["state"] == "cleared_in"
    assert cleared["priority"] == "normal"  # the emergency is over; its record stays
    case = session.scalar(select(Emergency).where(Emergency.call_id == sick["id"]))
    session.refresh(case)
    assert case.closed_at is not None and case.escalation_level == 0


def test_green_channel_is_refused_once_cleared_in_and_to_strangers(client, world, station):
    call = _call(client, world, station["agent"], "COAL", _future_local(1, 9))
    stranger = client.post(f"/api/v1/port-calls/{call['id']}/green-channel",
                           headers=station["other_agent"], json={"kind": "medical", "reason": "x"})
    assert stranger.status_code == 404
    no_reason = client.post(f"/api/v1/port-calls/{call['id']}/green-channel",
                            headers=station["agent"], json={"kind": "weather", "reason": " "})
    assert no_reason.status_code == 422


def test_unmet_deadlines_escalate_to_supervisors_then_administrators(client, session, world,
                                                                     station):
    call = _call(client, world, station["agent"], "COAL", _future_local(1, 9))
    opened = client.post(f"/api/v1/port-calls/{call['id']}/green-channel", headers=station["agent"],
                         json={"kind": "medical", "reason": "Fever, 40 °C",
                               "persons": [{"name": "CHEN Bo"}]}).json()
    declared = datetime.fromisoformat(opened["declared_at"])
    assert green.escalate_overdue(session, now=declared + timedelta(minutes=9)) == []
    first = green.escalate_overdue(session, now=declared + timedelta(minutes=11))
    assert [c.escalation_level for c in first] == [1]
    assert green.escalate_overdue(session, now=declared + timedelta(minutes=12)) == []  # once
    second = green.escalate_overdue(session, now=declared + timedelta(minutes=26))
    assert [c.escalation_level for c in second] == [2]
    # The landing deadline (60 min) runs on its own clock: acknowledged late or not, missing
    # it escalates again, from level 1.
    client.post(f"/api/v1/port-calls/{call['id']}/green-channel/acknowledge",
                headers=station["officer"])
    session.expire_all()
    assert green.escalate_overdue(session, now=declared + timedelta(minutes=59)) == []
    assert len(green.escalate_overdue(session, now=declared + timedelta(minutes=61))) == 1
    events = session.scalars(select(EventRecord).where(
        EventRecord.kind == "portcall.sla_escalated", EventRecord.record_id == call["id"])
        .order_by(EventRecord.id)).all()
    assert [(e.payload["level"], e.payload["missed"]) for e in events] == [
        (1, ["acknowledge"]), (2, ["acknowledge"]), (1, ["landing"])]
    # Each rise is an urgent notification to be acknowledged: supervisors first,
    # administrators from level 2, each in their own language.
    sent = session.scalars(select(Notification).order_by(Notification.id)).all()
    recipients = [set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == n.id))) for n in sent]
    assert recipients == [{world.a_supervisor.id}, {world.a_supervisor.id, world.a_admin.id},
                          {world.a_supervisor.id}]
    assert {n.severity.value for n in sent} == {"urgent"} and sent[0].link == f"/clearance/{call['id']}"
    supervisor = api_token(client, "a.super")
    mine = client.get("/api/v1/notifications", headers=supervisor).json()["items"]
    assert len(mine) == 3 and all("HAI XING 6" in n["title"] for n in mine), mine
    assert client.get("/api/v1/notifications", headers=station["officer"]).json()["items"] == []


def test_acknowledged_in_time_never_escalates_and_expedited_requests_rank_second(
        client, session, world, station):
    sick = _call(client, world, station["agent"], "COAL", _future_local(4, 9))
    storm = _call(client, world, station["agent"], "COAL", _future_local(3, 9))
    plain = _call(client, world, station["agent"], "COAL", _future_local(2, 9))
    client.post(f"/api/v1/port-calls/{sick['id']}/green-channel", headers=station["agent"],
                json={"kind": "medical", "reason": "Burns", "persons": [{"name": "CHEN Bo"}]})
    client.post(f"/api/v1/port-calls/{storm['id']}/green-channel", headers=station["officer"],
                json={"kind": "weather", "reason": "Typhoon signal 8 expected tomorrow"})
    ack = client.post(f"/api/v1/port-calls/{sick['id']}/green-channel/acknowledge",
                      headers=station["officer"])
    assert ack.status_code == 200
    assert client.post(f"/api/v1/port-calls/{sick['id']}/green-channel/acknowledge",
                       headers=station["officer"]).status_code == 409
    order = [c["id"] for c in client.get("/api/v1/port-calls", headers=station["officer"]).json()["items"]]
    assert order[:3] == [sick["id"], storm["id"], plain["id"]]
    case = session.scalar(select(Emergency).where(Emergency.call_id == sick["id"]))
    assert green.level_at(case, case.declared_at + timedelta(minutes=30)) == 0
    storm_case = session.scalar(select(Emergency).where(Emergency.call_id == storm["id"]))
    assert storm_case.landing_due_at is None and storm_case.reason.startswith("Typhoon")
