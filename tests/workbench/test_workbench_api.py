"""The workbench as each kind of user sees it through the API: the station's officer and
supervisor see every part; its viewer no per-person results or hits; customs, taking part,
sees the call but not what the station's own list says; an agent and a village committee
get nothing (403)."""

from __future__ import annotations

from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from tests.workbench.conftest import MMSI, WANG


def _board(client, headers):
    response = client.get("/api/v1/workbench", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_station_officer_sees_what_needs_them_now(client, session, day, tokens):
    board = _board(client, tokens["officer"])
    assert [c["id"] for c in board["cases"]] == [day["case"]]
    assert board["cases"][0]["kind"] == "medical" and board["cases"][0]["ack_due_at"]
    arrival = next(a for a in board["arrivals"] if a["id"] == day["call"])
    assert arrival["inspection_level"] and {"ref": WANG, "outcome": "stop"} in arrival["persons"]
    assert [a["id"] for a in board["alerts"]] == [day["alert"]]
    assert board["alerts"][0]["call_ids"] == [day["call"]]
    assert any(h["call_id"] == day["call"] for h in board["hits"])
    assert {a["key"] for a in board["alarms"]} == {
        f"emergency:{day['case']}", f"stop:{day['call']}:{WANG}", f"alert:{day['alert']}"}
    assert board["slots"] is not None
    tide = next(d for d in board["tides"] if d["terminal"] == "TIDE")  # zhapo: two tides a day
    assert {w["kind"] for w in tide["waters"]} == {"high", "low"} and tide["datum"] == "CD"
    # names of people on stop were shown: audited like a listing of their calls
    read = session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_kind == "port_call",
        AuditEntry.reason == "duty officer's workbench")).all()
    assert read and read[-1].detail["ids"] == [day["call"]]


def test_the_supervisor_sees_the_same(client, day, tokens):
    officer, supervisor = _board(client, tokens["officer"]), _board(client, tokens["supervisor"])
    assert officer["alarms"] == supervisor["alarms"]


def test_a_viewer_sees_the_calls_but_no_people_or_hits(client, day, tokens):
    board = _board(client, tokens["viewer"])
    assert [c["id"] for c in board["cases"]] == [day["case"]]
    assert all(a["persons"] == [] for a in board["arrivals"])
    assert board["hits"] is None
    assert not any(a["kind"] == "stop" for a in board["alarms"])


def test_customs_learns_only_what_its_own_lists_say(client, day, tokens):
    board = _board(client, tokens["customs"])
    assert [c["id"] for c in board["cases"]] == [day["case"]]
    arrival = next(a for a in board["arrivals"] if a["id"] == day["call"])
    assert arrival["persons"] == []  # the wanted list is the station's own (AMBER+STRICT)
    assert board["hits"] == []
    assert [a["id"] for a in board["alerts"]] == [day["alert"]]
    assert {a["kind"] for a in board["alarms"]} == {"emergency", "alert"}


def test_an_agent_and_a_village_committee_get_no_workbench(client, day, tokens):
    for who in ("agent", "village"):
        response = client.get("/api/v1/workbench", headers=tokens[who])
        assert response.status_code == 403, (who, response.text)


def test_an_alert_on_a_vessel_without_a_call_is_not_on_the_board(client, session, world, day,
                                                                   tokens):
    from tests.workbench.conftest import high_alert

    high_alert(session, world, mmsi=MMSI + 1, key="wb-2")
    board = _board(client, tokens["officer"])
    assert [a["id"] for a in board["alerts"]] == [day["alert"]]


def test_a_clearance_awaiting_customs_and_its_slot_today(client, world, day, tokens):
    """The station clears a call in; customs has not: the board says who is awaited, to the
    station and to customs alike. Its arrival inspection is on the board when it is today."""
    from datetime import UTC, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from tests.workbench.conftest import CREW

    agent, officer = tokens["agent"], tokens["officer"]
    call = client.post("/api/v1/port-calls", headers=agent, json={
        "station_id": world.a.id, "participant_ids": [day["customs"].id],
        "vessel_name": "XIN HAI AN", "mmsi": 412440109, "terminal": "COAL", "draught_m": 6.2,
        "eta": datetime.now(UTC).isoformat()}).json()
    rows = client.post(f"/api/v1/port-calls/{call['id']}/declarations/crew/rows",
                       headers=agent, json={"rows": CREW[1:]})
    assert rows.status_code == 201, rows.text
    steps = [(agent, "submit"), (officer, "approve_arrival"), (officer, "arrive"),
             (officer, "start_inspection"), (officer, "clear_in")]
    for headers, action in steps:
        done = client.post(f"/api/v1/port-calls/{call['id']}/actions/{action}", headers=headers)
        assert done.status_code == 200, (action, done.text)
    assert done.json()["state"] == "inspecting"  # customs has not cleared yet
    for who in ("officer", "customs"):
        board = _board(client, tokens[who])
        waiting = [w for w in board["awaiting"] if w["call_id"] == call["id"]]
        assert waiting == [{"call_id": call["id"], "direction": "clear_in",
                            "cleared": ["ORG-A"], "awaited": ["CUS-1"]}], who
    slot = client.get(f"/api/v1/port-calls/{call['id']}/slots", headers=officer).json()["items"][0]
    zone = ZoneInfo("Asia/Shanghai")
    today = datetime.combine(datetime.now(zone).date(), time(0), zone)
    starts = datetime.fromisoformat(slot["start"])
    expected = today <= starts < today + timedelta(days=1)
    listed = [s for s in _board(client, officer)["slots"] if s["call_id"] == call["id"]]
    assert bool(listed) == expected and all(s["terminal"] == "COAL" for s in listed)
    assert _board(client, tokens["viewer"])["awaiting"][0]["awaited"] == ["CUS-1"]


def test_an_agents_draft_is_not_an_arrival(client, world, day, tokens):
    """A call still in draft is the agent's working copy: not due at the station yet."""
    from datetime import timedelta

    from bastion.core.db import utcnow

    draft = client.post("/api/v1/port-calls", headers=tokens["agent"], json={
        "station_id": world.a.id, "vessel_name": "DRAFT ONLY", "imo": 9074729,
        "flag": "CHN", "eta": (utcnow() + timedelta(hours=2)).isoformat()})
    assert draft.status_code == 201, draft.text
    arrivals = [a["id"] for a in _board(client, tokens["officer"])["arrivals"]]
    assert day["call"] in arrivals and draft.json()["id"] not in arrivals
