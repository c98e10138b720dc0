"""The port-clearance demo: terminals, calls in every state through the services, and the
SYNTHETIC history the statistics read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bastion import demo as base_demo
from bastion.clearance import demo
from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import PortCall
from bastion.clearance.declarations.codes import alpha2, imo_check_ok, mmsi_flag
from bastion.clearance.declarations.validate import validate_bytes
from bastion.clearance.green import cases as green
from bastion.clearance.terminals import service as terminals
from bastion.clearance.terminals.models import InspectionSlot
from bastion.core.db import utcnow
from bastion.core.events import EventRecord
from bastion.maritime import demo as maritime_demo
from bastion.org.models import Agency, User

MEASURED = {"portcall.submit": "eta", "portcall.arrive": "ata", "portcall.depart": "atd",
            "portcall.approve_arrival": "tide_wait_minutes"}


@pytest.fixture
def loaded(session):
    base_demo.load(session)
    summary = demo.load(session)
    users = {u.username: u for u in session.scalars(select(User))}
    station = session.scalar(select(Agency).where(Agency.code == "YJ-BIS"))
    current = {c.vessel_name: c for c in session.scalars(select(PortCall).where(
        PortCall.voyage_number.not_like("DEMO-%")))}
    return summary, users, station, current


def _events(session, call, kind=None):
    query = select(EventRecord).where(EventRecord.record_kind == calls.KIND,
                                      EventRecord.record_id == call.id)
    if kind:
        query = query.where(EventRecord.kind == kind)
    return session.scalars(query.order_by(EventRecord.id)).all()


def test_terminals_and_calls_in_every_state(session, loaded):
    summary, users, station, current = loaded
    made = {t.code: t for t in terminals.list_terminals(session, station_org_id=station.id)}
    assert set(made) == {"COAL", "TIDE", "GEN"} and summary.terminals == 3
    assert (made["COAL"].service_hours, made["COAL"].inspection_teams) == ("24h", 2)
    assert (made["TIDE"].tide_station, made["TIDE"].charted_depth_m) == ("zhapo", 11.0)
    assert (made["TIDE"].ukc_fixed_m, made["TIDE"].ukc_percent) == (0.5, 10.0)
    gen = made["GEN"]
    assert (gen.service_hours, gen.opens, gen.closes, gen.working_days, gen.timezone) == (
        "office", "08:30", "17:30", "12345", "Asia/Shanghai")
    assert {t.port for t in made.values()} == {"CNYJI"}

    states = {name: c.state.value for name, c in current.items()}
    assert states == {
        "LIBERTY STAR": "draft", "ZHE HAI 511": "prechecked", "XIN HAI AN": "returned",
        "ORIENT PROSPERITY": "arrival_approved", "YUE DIAN 3": "inspecting",
        "OCEAN PEARL": "cleared_in", "HAI PHONG 27": "departure_declared",
        "PACIFIC GRACE": "arrival_approved", "MIN XING 8": "arrival_approved"}
    assert summary.calls == 9 and sum(summary.states.values()) == 9
    first = current["ZHE HAI 511"]
    assert first.inspection_level == "boarding"
    assert "first_call" in [rule for rule, _text in first.precheck["reasons"]]
    returned = _events(session, current["XIN HAI AN"], "portcall.return")
    assert len(returned) == 1 and "XIN HAI 9" in returned[0].payload["reason"]
    cleared = _events(session, current["OCEAN PEARL"], "portcall.clear_in")
    assert [e.payload["to"] for e in cleared] == ["inspecting", "cleared_in"]
    assert cleared[-1].payload["persons"] == 21
    assert all(p.cleared_in_at for p in current["OCEAN PEARL"].participants)
    from bastion.clearance.departure import people as departure

    left = departure.changes(session, current["HAI PHONG 27"])
    assert [(c.kind, c.reason) for c in left] == [("missing", "signed_off")]
    assert departure.departure_of(session, current["HAI PHONG 27"]).persons  # screened
    assert departure.departure_draught(session, current["OCEAN PEARL"]) == 10.2
    departing = terminals.slots_of(session, current["HAI PHONG 27"])
    assert [s.purpose for s in departing] == ["arrival", "departure"]

    agent_sees = {c.id for c in calls.list_calls(session, user=users["agent.yj"])}
    assert {c.id for c in current.values()} <= agent_sees
    assert calls.list_calls(session, user=users["wei.police"]) == []  # not the station's
    officer_queue = calls.list_calls(session, user=users["li.officer"], limit=3)
    assert [c.vessel_name for c in officer_queue][:2] == ["PACIFIC GRACE", "MIN XING 8"]


def test_green_channel_tide_window_and_weather(session, loaded):
    _summary, _users, _station, current = loaded
    sick = current["PACIFIC GRACE"]
    case = green.open_case(session, sick)
    assert case is not None and case.kind == "medical" and sick.priority == "emergency"
    assert case.acknowledged_at is not None and case.landed_at is None
    assert case.landing_due_at > utcnow() - timedelta(minutes=5)  # the timer runs
    assert case.ack_due_at < case.landing_due_at
    assert green.documents_outstanding(session, sick) and case.persons[0]["name"]

    tide = current["ORIENT PROSPERITY"]
    assert tide.service_mode == "tide_window" and tide.draught_m >= 12.0
    assert tide.arrival_window_start is not None and tide.tide_wait_minutes >= 0
    assert tide.arrival_window_start >= tide.eta
    approval = _events(session, tide, "portcall.approve_arrival")[0].payload
    assert approval["tide_wait_minutes"] == tide.tide_wait_minutes
    slot = terminals.slots_of(session, tide)[0]
    assert tide.arrival_window_start <= slot.start

    storm = current["MIN XING 8"]
    assert storm.priority == "expedited" and green.open_case(session, storm).kind == "weather"
    assert session.scalar(select(InspectionSlot.outside_hours).where(
        InspectionSlot.call_id == storm.id)) is True


def test_synthetic_history_for_the_statistics(session, loaded):
    summary, _users, _station, _current = loaded
    past = session.scalars(select(PortCall).where(PortCall.voyage_number.like("DEMO-%"))).all()
    assert len(past) == summary.history and 60 <= len(past) <= 120
    now = utcnow()
    assert all(c.state.value == "departed" and c.eta and c.ata < c.atd < now for c in past)
    assert {c.service_mode for c in past} == {"normal", "24h", "tide_window", "green_channel"}
    assert {c.terminal for c in past} == {"COAL", "TIDE", "GEN"}
    rows = session.scalars(select(EventRecord).where(
        EventRecord.record_kind == calls.KIND,
        EventRecord.record_id.in_([c.id for c in past])).order_by(EventRecord.id)).all()
    assert len(rows) == summary.history_events
    departed = [r.at for r in rows if r.kind == "portcall.depart"]
    assert any(at > now - timedelta(days=365) for at in departed)   # this year
    assert any(at < now - timedelta(days=365) for at in departed)   # same period last year
    by_call: dict[int, list[EventRecord]] = {}
    for row in rows:
        by_call.setdefault(row.record_id, []).append(row)
    for events in by_call.values():
        assert [e.at for e in events] == sorted(e.at for e in events)  # ids follow time
        kinds = [e.kind for e in events]
        assert kinds[:3] == ["portcall.create", "portcall.submit", "portcall.precheck"]
        assert kinds[-1] == "portcall.depart"
        for event in events:
            assert {"action", "from", "to", "reason"} <= set(event.payload)
            if event.kind in MEASURED:
                assert event.payload[MEASURED[event.kind]] is not None
        moving = [e.payload for e in events if e.kind in ("portcall.clear_in",
                                                          "portcall.clear_out")
                  and e.payload["from"] != e.payload["to"]]
        assert [p["to"] for p in moving] == ["cleared_in", "cleared_out"]
        assert all(p["persons"] > 0 for p in moving)
    tide = [c for c in past if c.service_mode == "tide_window"]
    assert tide and all(c.tide_wait_minutes is not None for c in tide)
    assert any(c.tide_wait_minutes > 0 for c in tide)


def test_ships_and_crew_lists_are_valid():
    ais = {m["mmsi"]: m for m in maritime_demo.messages(hours=1) if m["type"] == 5}
    for ship in demo.SHIPS.values():
        assert imo_check_ok(str(ship.imo)) and mmsi_flag(str(ship.mmsi)) == alpha2(ship.flag)
        if ship.mmsi in ais:  # a vessel of the synthetic AIS day: the same identity
            assert ais[ship.mmsi]["imo"] == ship.imo
        stay_end = date.today() + timedelta(days=3)
        rows = demo.crew_rows(ship, until=stay_end, seed=1)
        assert len(rows) == ship.crew_size
        data = demo.crew_csv(rows, chinese=ship.flag == "CHN")
        result = validate_bytes(data, "crew", arrival=date.today(), departure=stay_end)
        assert result.ok and not result.warnings, (ship.name, result.problems[:3])
        assert len(result.rows) == ship.crew_size


def test_the_demo_watchlist_flags_one_crew_member_across_scripts(session, loaded):
    """The station's SYNTHETIC list names LI ZHENYU in pinyin; ZHE HAI 511 declares 李振宇."""
    _summary, _users, _station, current = loaded
    persons = current["ZHE HAI 511"].precheck["persons"]
    flagged = {ref: outcome for ref, outcome in persons.items() if outcome != "clear"}
    assert flagged and all(ref.replace(" ", "").startswith("李振宇") for ref in flagged), flagged
    assert flagged == {ref: "check" for ref in flagged}  # a name alone never stops anyone
    others = [c for name, c in current.items() if name != "ZHE HAI 511" and c.precheck]
    assert all(set(c.precheck["persons"].values()) <= {"clear"} for c in others)
