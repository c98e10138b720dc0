"""The rules around the service modes that a review found missing, each held by a test."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bastion.clearance.calls.models import PortCall
from bastion.clearance.green.models import Emergency
from tests.clearance.calls.conftest import TIDE
from tests.clearance.calls.test_service_modes import SHANGHAI, _act, _call, _future_local
from tests.web_helpers import login

CREW = ("No,Family name,Given names,Rank or rating,Nationality,Date of birth,Place of birth,"
        "Gender,Document type,Document number,Issuing state,Expiry date\n"
        "1,WANG,Wei,Second engineer,CHN,1985-03-02,Dalian,M,P,E12345678,CHN,2031-01-01\n")


def _open(client, headers, call, kind="medical", **extra):
    return client.post(f"/api/v1/port-calls/{call['id']}/green-channel", headers=headers,
                       json={"kind": kind, "reason": "injured", **(
                           {"persons": [{"name": "CHEN Bo"}]} if kind == "medical" else {}),
                           **extra})


def test_no_one_is_cleared_in_unscreened_even_on_the_green_channel(client, world, station):
    agent, officer = station["agent"], station["officer"]
    call = _call(client, world, agent, "COAL", _future_local(1, 9))
    assert _open(client, agent, call).status_code == 201  # documents_to_follow not ticked
    for action in ("approve_arrival", "arrive", "start_inspection"):
        assert _act(client, officer, call, action).status_code == 200
    refused = _act(client, officer, call, "clear_in")
    assert refused.status_code == 409  # approved before the papers: they must follow
    case = client.get(f"/api/v1/port-calls/{call['id']}/green-channel", headers=officer).json()["items"]
    assert case[0]["documents_to_follow"] is True
    client.post(f"/api/v1/port-calls/{call['id']}/declarations/crew", headers=agent,
                files={"file": ("crew.csv", CREW.encode())})
    client.post(f"/api/v1/port-calls/{call['id']}/green-channel/documents-completed",
                headers=agent)
    assert _act(client, officer, call, "clear_in").status_code == 200


def test_an_ordinary_call_without_a_crew_list_is_not_cleared_in(client, world, station):
    agent, officer = station["agent"], station["officer"]
    call = _call(client, world, agent, "COAL", _future_local(1, 9))
    _act(client, agent, call, "submit")
    for action in ("approve_arrival", "arrive", "start_inspection"):
        assert _act(client, officer, call, action).status_code == 200
    assert _act(client, officer, call, "clear_in").status_code == 409


def test_a_medical_emergency_takes_over_an_expedited_request(client, session, world, station):
    agent = station["agent"]
    call = _call(client, world, agent, "COAL", _future_local(1, 9))
    assert _open(client, agent, call, kind="weather").status_code == 201
    assert _open(client, agent, call, kind="tide").status_code == 409  # one request at a time
    assert _open(client, agent, call).status_code == 201
    assert _open(client, agent, call).status_code == 409
    got = client.get(f"/api/v1/port-calls/{call['id']}", headers=agent).json()
    assert (got["priority"], got["service_mode"]) == ("emergency", "green_channel")
    cases = session.scalars(select(Emergency).where(Emergency.call_id == call["id"])
                            .order_by(Emergency.id)).all()
    assert [(c.kind, c.closed_at is not None) for c in cases] == [("weather", True),
                                                                  ("medical", False)]


def test_a_participating_agency_records_only_its_own_clearance(client, world, station):
    agent, customs = station["agent"], station["customs"]
    call = _call(client, world, agent, "COAL", _future_local(1, 9))
    _open(client, agent, call)
    assert _act(client, customs, call, "approve_arrival").status_code == 403
    assert _act(client, station["officer"], call, "approve_arrival").status_code == 200
    assert _act(client, customs, call, "arrive").status_code == 403
    bad = client.post("/api/v1/port-calls", headers=agent, json={
        "station_id": world.a.id, "participant_ids": [world.c.id], "vessel_name": "X",
        "eta": _future_local(1, 9).isoformat()})  # the army does not clear ships
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body",
                                                                         "participant_ids"]


def test_the_service_mode_is_the_stations_not_the_agents(client, world, station):
    made = client.post("/api/v1/port-calls", headers=station["agent"], json={
        "station_id": world.a.id, "vessel_name": "X", "terminal": "GEN",
        "service_mode": "green_channel", "eta": _future_local(1, 9).isoformat()}).json()
    assert (made["service_mode"], made["priority"]) == ("normal", "normal")
    tide = _call(client, world, station["agent"], "TIDE", _future_local(1, 9), draught_m=5.0)
    assert tide["service_mode"] == "tide_window"


def test_an_emergency_after_approval_moves_the_inspection_out_of_office_hours(client, world,
                                                                              station):
    agent, officer = station["agent"], station["officer"]
    saturday = _future_local(2, 10, weekday=6)
    call = _call(client, world, agent, "GEN", saturday)
    client.post(f"/api/v1/port-calls/{call['id']}/declarations/crew", headers=agent,
                files={"file": ("crew.csv", CREW.encode())})
    _act(client, agent, call, "submit")
    _act(client, officer, call, "approve_arrival")
    before = client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=officer).json()["items"]
    assert datetime.fromisoformat(before[0]["start"]).astimezone(SHANGHAI).isoweekday() == 1
    _open(client, agent, call)
    after = client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=officer).json()["items"]
    assert len(after) == 1 and after[0]["outside_hours"]
    assert datetime.fromisoformat(after[0]["start"]) == saturday


def test_a_weather_request_gets_overtime_only_once_the_station_acknowledges(client, world,
                                                                            station):
    agent, officer = station["agent"], station["officer"]
    saturday = _future_local(2, 10, weekday=6)
    calls = [_call(client, world, agent, "GEN", saturday) for _ in range(2)]
    for call in calls:
        _open(client, agent, call, kind="weather")
        _act(client, agent, call, "submit")
    client.post(f"/api/v1/port-calls/{calls[1]['id']}/green-channel/acknowledge",
                headers=officer)
    slots = []
    for call in calls:
        _act(client, officer, call, "approve_arrival")
        slots.append(client.get(f"/api/v1/port-calls/{call['id']}/slots",
                                headers=officer).json()["items"][0])
    assert [s["outside_hours"] for s in slots] == [False, True]


def test_amending_or_returning_gives_up_the_booked_slot(client, session, world, station):
    agent, officer = station["agent"], station["officer"]
    call = _call(client, world, agent, "COAL", _future_local(1, 9))
    _act(client, agent, call, "submit")
    _act(client, officer, call, "approve_arrival")
    assert _act(client, agent, call, "amend", reason="new crew").json()["state"] == "prechecked"
    assert client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=officer).json()["items"] == []
    _act(client, officer, call, "approve_arrival")
    _act(client, agent, call, "amend", reason="again")
    returned = _act(client, officer, call, "return", reason="fix the crew list").json()
    assert returned["state"] == "returned" and returned["arrival_window_start"] is None
    assert client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=officer).json()["items"] == []


def test_the_queue_shows_the_next_arrival_first(client, world, station):
    agent = station["agent"]
    later = _call(client, world, agent, "COAL", _future_local(9, 9))
    sooner = _call(client, world, agent, "COAL", _future_local(1, 9))
    order = [c["id"] for c in client.get("/api/v1/port-calls?finished=false",
                                         headers=station["officer"]).json()["items"]]
    assert order.index(sooner["id"]) < order.index(later["id"])


def test_an_inactive_terminal_takes_no_new_calls(client, world, station):
    supervisor = station["supervisor"]
    tide = next(t for t in client.get("/api/v1/clearance/terminals", headers=supervisor).json()["items"]
                if t["code"] == "TIDE")
    client.put(f"/api/v1/clearance/terminals/{tide['id']}", headers=supervisor,
               json={**TIDE, "active": False})
    refused = client.post("/api/v1/port-calls", headers=station["agent"], json={
        "station_id": world.a.id, "vessel_name": "X", "terminal": "TIDE",
        "eta": _future_local(1, 9).isoformat()})
    assert refused.status_code == 422


def test_changing_one_field_on_the_terminal_page_keeps_the_rest(client, session, world, station):
    token = login(client, "a.super")
    supervisor = station["supervisor"]
    tide = next(t for t in client.get("/api/v1/clearance/terminals", headers=supervisor).json()["items"]
                if t["code"] == "TIDE")
    page = client.get(f"/clearance/terminals?edit={tide['id']}").text
    # the stored "zhapo" is the Zhapo gauge, chosen in the station picker
    assert '<option value="zhapo-635a-chn-uhslc-rq" selected>' in page
    # what the browser sends back from that prefilled form, with one field changed
    form = {"csrf_token": token, "terminal_id": str(tide["id"]), "code": "TIDE",
            "name": tide["name"], "name_en": tide["name_en"], "service_hours": "24h",
            "timezone": "Asia/Shanghai", "opens": "08:30", "closes": "17:30",
            "working_days": ["1", "2", "3", "4", "5"], "inspection_minutes": "120",
            "inspection_teams": "3", "tide_station": "zhapo", "charted_depth_m": "8.0",
            "ukc_fixed_m": "0.5", "ukc_percent": "10.0", "active": "on"}
    assert client.post("/clearance/terminals", data=form, follow_redirects=False).status_code == 303
    after = next(t for t in client.get("/api/v1/clearance/terminals", headers=supervisor).json()["items"]
                 if t["code"] == "TIDE")
    assert (after["inspection_teams"], after["tide_station"], after["service_hours"]) == (
        3, "zhapo", "24h")


def test_wording_that_could_fail_later_is_refused_when_saved(client, world, station):
    supervisor = station["supervisor"]
    rules = client.get("/api/v1/clearance/precheck-rules", headers=supervisor).json()["rules"]
    for wording in ("risk {score:.0f} at least {value:d}", "{n.nope}", "{value[0]}", "{x}"):
        bad = [*rules, {"id": "extra", "test": "risk_at_least", "value": 0,
                        "level": "documentary", "reason": {"en": wording}}]
        refused = client.put("/api/v1/clearance/precheck-rules", headers=supervisor,
                             json={"rules": bad})
        assert refused.status_code == 422, wording
    fine = [*rules, {"id": "extra", "test": "risk_at_least", "value": 0, "level": "documentary",
                     "reason": {"en": "risk {score} at least {value}"}}]
    assert client.put("/api/v1/clearance/precheck-rules", headers=supervisor,
                      json={"rules": fine}).status_code == 200
    call = _call(client, world, station["agent"], "COAL", _future_local(1, 9))
    _act(client, station["agent"], call, "submit")
    reasons = dict(map(tuple, client.get(f"/api/v1/port-calls/{call['id']}",
                                         headers=station["officer"]).json()["precheck"]["reasons"]))
    assert reasons["extra"].startswith("risk ")


def test_the_wait_for_the_tide_counts_from_the_eta(session, client, world, station):
    eta = _future_local(3, 12)
    call = _call(client, world, station["agent"], "TIDE", eta, draught_m=9.0)
    _act(client, station["agent"], call, "submit")
    approved = _act(client, station["officer"], call, "approve_arrival").json()
    row = session.get(PortCall, call["id"])
    session.refresh(row)
    window = datetime.fromisoformat(approved["arrival_window_start"])
    assert row.tide_wait_minutes == max(0, int((window - eta).total_seconds() // 60))
    assert timedelta(0) <= window - eta < timedelta(days=1)
