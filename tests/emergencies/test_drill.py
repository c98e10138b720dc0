"""A typhoon drill through the API, as the station runs it: shelter zones and the register,
an emergency opened as a drill, the vessels in its area gathered from the AIS picture, the open
port calls and the register, an officer per vessel, agents notified and acknowledging in the
app, a vessel whose AIS track ends slow inside its shelter zone turning "sheltered" by itself,
deadlines escalating, and the drill left out of the figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bastion.core.bus import Event
from bastion.core.events import EventRecord, may_see
from bastion.core.figures import by_key, collect
from bastion.emergencies import notifying, watch
from bastion.emergencies.models import EmergencyVessel
from bastion.notifications.models import Notification
from bastion.notifications.service import shown
from bastion.org.models import User
from tests.clearance.calls.conftest import CREW
from tests.emergencies.conftest import AREA, FISHING_ZONE, MERCHANT_ZONE, track
from tests.web_helpers import api_token

SHIP = 412999001  # a merchant ship with a port call (agent.one), in the area by AIS
BOAT = 412999002  # a fishing boat seen by AIS, no call


def _port_call(client, world, mmsi: int, name: str) -> int:
    agent = api_token(client, "agent.one")
    call = client.post("/api/v1/port-calls", headers=agent, json={
        "station_id": world.a.id, "participant_ids": [], "vessel_name": name, "mmsi": mmsi,
        "eta": (datetime.now(UTC) + timedelta(hours=2)).isoformat()})
    assert call.status_code == 201, call.text
    call_id = call.json()["id"]
    assert client.post(f"/api/v1/port-calls/{call_id}/declarations/crew/rows", headers=agent,
                       json={"rows": CREW}).status_code == 201
    assert client.post(f"/api/v1/port-calls/{call_id}/actions/submit",
                       headers=agent).status_code == 200
    return call_id


def _setup(client, world, picture, scene):
    supervisor = api_token(client, "a.super")
    for name, klass, area in (("Zhapo fishing shelter", "fishing", FISHING_ZONE),
                              ("Hailing Bay outer anchorage", "merchant", MERCHANT_ZONE)):
        made = client.post("/api/v1/emergencies/shelter-zones", headers=supervisor,
                           json={"name": name, "vessel_class": klass, "area": area})
        assert made.status_code == 201, made.text
    boat = client.post("/api/v1/emergencies/register", headers=supervisor, json={
        "registration": "YJ-F-001", "name": "Yue Yang Yu 1", "vessel_class": "fishing",
        "owner_name": "Chen", "owner_phone": "13800000001", "crew": 9, "lat": 21.58,
        "lon": 111.82})
    assert boat.status_code == 201, boat.text
    # the ship is 20 km out, under way; the boat in the bay; a third vessel far outside
    track(picture, SHIP, [(21.45, 112.20, 11.0), (21.46, 112.18, 11.0)], name="TEST MERCHANT")
    track(picture, BOAT, [(21.60, 111.90, 6.0)], name="TEST FISHER", ship_type=30)
    track(picture, 412999003, [(20.50, 110.50, 10.0)], name="FAR AWAY")
    call_id = _port_call(client, world, SHIP, "TEST MERCHANT")
    drill = client.post("/api/v1/emergencies", headers=supervisor, json={
        "name": "Typhoon drill", "kind": "typhoon", "level": "III", "phase": "warning",
        "landfall_at": (datetime.now(UTC) + timedelta(hours=30)).isoformat(), "area": AREA,
        "exercise": True, "partner_agency_ids": scene.partners})
    assert drill.status_code == 201, drill.text
    assert sorted(drill.json()["partner_agency_ids"]) == sorted(scene.partners)
    return supervisor, drill.json()["id"], call_id


def test_a_drill_from_listing_to_sheltered(client, session, world, scene, picture):
    supervisor, eid, call_id = _setup(client, world, picture, scene)
    gathered = client.post(f"/api/v1/emergencies/{eid}/gather", headers=supervisor)
    assert gathered.status_code == 200, gathered.text
    vessels = {v["name"]: v for v in client.get(f"/api/v1/emergencies/{eid}/vessels",
                                                headers=supervisor).json()["items"]}
    assert set(vessels) == {"TEST MERCHANT", "TEST FISHER", "Yue Yang Yu 1"}
    ship = vessels["TEST MERCHANT"]
    # the AIS sighting and the port call are one row: the call's agent and crew, the AIS class
    assert ship["port_call_id"] == call_id and ship["agent_org_id"] == scene.agent_org_id
    assert ship["persons_aboard"] == 2 and ship["vessel_class"] == "merchant"
    assert ship["exercise"] is True and ship["status"] == "listed"
    assert vessels["TEST FISHER"]["vessel_class"] == "fishing"
    assert vessels["Yue Yang Yu 1"]["contact"] == "Chen 13800000001"
    # gathering again adds nothing (the rolling roll-call keeps the rows)
    again = client.post(f"/api/v1/emergencies/{eid}/gather", headers=supervisor).json()
    assert again["added"] == 0

    # one officer per vessel; someone who cannot act is refused, naming the field
    officer = api_token(client, "a1.officer")
    refused = client.post(f"/api/v1/emergencies/{eid}/vessels/{ship['id']}/assign",
                          headers=supervisor, json={"officer_id": world.b_officer.id})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "officer_id"]
    for v in vessels.values():
        done = client.post(f"/api/v1/emergencies/{eid}/vessels/{v['id']}/assign",
                           headers=officer, json={"officer_id": world.a_unit_officer.id})
        assert done.status_code == 200 and done.json()["officer_id"] is not None

    # notify: the agent and the officer are told, with the drill's prefix
    told = client.post(f"/api/v1/emergencies/{eid}/notify", headers=officer).json()
    assert told == {"notified": 3, "not_notified": 0}
    agent = api_token(client, "agent.one")
    inbox = client.get("/api/v1/notifications", headers=agent).json()["items"]
    assert len(inbox) == 1
    assert inbox[0]["title"].startswith("【演练】")  # shown in the agent's language (zh-CN)
    notification = session.get(Notification, inbox[0]["id"])
    assert notification.exercise is True and notification.title == str(notifying.TITLE)
    # the agent sees only its vessel's row, the other agent nothing
    mine = client.get(f"/api/v1/emergencies/{eid}/vessels", headers=agent).json()["items"]
    assert [v["name"] for v in mine] == ["TEST MERCHANT"]
    other = api_token(client, "agent.two")
    assert client.get(f"/api/v1/emergencies/{eid}", headers=other).status_code == 404
    # the agent may not act beyond acknowledging
    assert client.post(f"/api/v1/emergencies/{eid}/vessels/{ship['id']}/actions",
                       headers=agent, json={"action": "move"}).status_code == 403
    # the agent acknowledges in the app: its vessel turns acknowledged by itself
    ack = client.post(f"/api/v1/notifications/{inbox[0]['id']}/acknowledge", headers=agent)
    assert ack.status_code == 200
    row = client.get(f"/api/v1/emergencies/{eid}/vessels?status=acknowledged",
                     headers=supervisor).json()["items"]
    assert [v["name"] for v in row] == ["TEST MERCHANT"]

    # the ship's AIS track ends slow inside its shelter zone: the AIS check shelters it
    track(picture, SHIP, [(21.50, 112.05, 6.0), (21.49, 112.02, 3.0)])
    session.expire_all()
    assert watch.check_shelters(session) == []  # inside, but not yet slow
    track(picture, SHIP, [(21.49, 112.02, 0.3)])
    session.expire_all()
    moved = watch.check_shelters(session)
    assert [v.mmsi for v in moved] == [SHIP]
    event = session.scalars(select(EventRecord).where(
        EventRecord.kind == "emergency.vessel_status",
        EventRecord.record_id == ship["id"]).order_by(EventRecord.id.desc())).first()
    assert event.payload["to"] == "sheltered" and event.payload["via"] == "ais"
    assert event.payload["evidence"]["zone"] == "Hailing Bay outer anchorage"
    assert abs(event.payload["evidence"]["lat"] - 21.49) < 1e-6

    # the live stream forwards the vessel's events to the station and its agent only
    live = Event(id=event.id, kind=event.kind, at=event.at, record_kind=event.record_kind,
                 record_id=event.record_id)
    who = {u.username: u for u in session.scalars(select(User))}
    for username, sees in (("a.super", True), ("msa.super", True), ("command.super", True),
                           ("agent.one", True), ("agent.two", False), ("village.viewer", False),
                           ("post.officer", False), ("b.officer", False),
                           ("s2.super", False)):
        assert may_see(session, who[username], live) is sees, username
    assert client.get(f"/api/v1/emergencies/{eid}/vessels",
                      headers=api_token(client, "village.viewer")).status_code == 404
    assert client.get(f"/api/v1/emergencies/{eid}/vessels",
                      headers=api_token(client, "command.super")).json()["total"] == 3
    # the command reads but does not act
    assert client.post(f"/api/v1/emergencies/{eid}/vessels/{ship['id']}/actions",
                       headers=api_token(client, "command.super"),
                       json={"action": "move"}).status_code == 403

    counts = client.get(f"/api/v1/emergencies/{eid}/counts", headers=supervisor).json()
    assert counts["vessels"]["sheltered"] == 1 and counts["persons"]["sheltered"] == 2
    assert counts["vessels"]["notified"] == 2 and counts["total_persons"] == 11
    # the drill is out of the figures
    year = date.today().year
    figures = by_key(collect(session=session, user=world.a_supervisor,
                             start=date(year, 1, 1), end=date(year + 1, 1, 1)))
    assert figures["emergencies.count"] == 0 and figures["emergencies.vessels_moved"] == 0


def test_a_late_vessel_escalates_once_per_level(client, session, world, scene, picture,
                                                 session_factory, settings):
    supervisor, eid, _call = _setup(client, world, picture, scene)
    client.post(f"/api/v1/emergencies/{eid}/gather", headers=supervisor)
    boat = session.scalar(select(EmergencyVessel).where(EmergencyVessel.mmsi == BOAT))
    boat.officer_id = world.a_unit_officer.id
    session.flush()
    now = datetime.now(UTC)
    fishing = {v.id for v in session.scalars(select(EmergencyVessel).where(
        EmergencyVessel.vessel_class == "fishing"))}
    assert boat.id in fishing and len(fishing) == 2  # the AIS boat and the register's
    # fishing vessels by T-12h: landfall in 30 h, so due in 18 h; 19 h on it they are late,
    # the merchant ship (T-6h) is not
    assert watch.escalate(session, now=now) == []
    assert {v.id for v in watch.escalate(session, now=now + timedelta(hours=19))} == fishing
    assert boat.escalated_level == 1
    assert watch.escalate(session, now=now + timedelta(hours=19, minutes=5)) == []
    assert {v.id for v in watch.escalate(session, now=now + timedelta(hours=21))} == fishing
    assert boat.escalated_level == 2
    # the job itself: one round in its own transaction (nothing is due now)
    assert watch.check(session_factory, settings) == 0
    late = session.scalars(select(Notification).where(
        Notification.record_id == boat.id, Notification.title == str(notifying.LATE))).all()
    assert late and all(n.exercise and shown(n)[0].startswith(("[EXERCISE]", "【演练】")) for n in late)


def test_figures_count_operational_emergencies(client, session, world, scene, picture):
    supervisor, _eid, _call = _setup(client, world, picture, scene)
    real = client.post("/api/v1/emergencies", headers=supervisor, json={
        "name": "Real typhoon", "landfall_at": (datetime.now(UTC) + timedelta(hours=30))
        .isoformat(), "area": AREA})
    rid = real.json()["id"]
    # it names no partner: the maritime authority does not see it
    assert client.get(f"/api/v1/emergencies/{rid}",
                      headers=api_token(client, "msa.super")).status_code == 404
    client.post(f"/api/v1/emergencies/{rid}/gather", headers=supervisor)
    officer = api_token(client, "a1.officer")
    for v in client.get(f"/api/v1/emergencies/{rid}/vessels", headers=supervisor).json()["items"]:
        done = client.post(f"/api/v1/emergencies/{rid}/vessels/{v['id']}/actions",
                           headers=officer, json={"action": "shelter"})
        assert done.status_code == 200, done.text
    # a 409 for a step the status does not allow, a 422 for an unknown one
    first = client.get(f"/api/v1/emergencies/{rid}/vessels", headers=supervisor).json()["items"][0]
    assert client.post(f"/api/v1/emergencies/{rid}/vessels/{first['id']}/actions",
                       headers=officer, json={"action": "notify"}).status_code in (409,)
    assert client.post(f"/api/v1/emergencies/{rid}/vessels/{first['id']}/actions",
                       headers=officer, json={"action": "fly"}).status_code == 422
    assert client.post(f"/api/v1/emergencies/{rid}/vessels/{first['id']}/actions",
                       headers=officer, json={"action": "reopen"}).json()["detail"][0]["loc"] == ["body", "reason"]
    # bad input is a 422 naming the field, never a 500
    for area, field in (({"type": "Point", "coordinates": [111, 21]}, "area"),
                        ({"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]}, "area"),
                        ({"type": "Polygon", "coordinates": "x"}, "area")):
        bad = client.post("/api/v1/emergencies", headers=supervisor, json={
            "name": "bad", "landfall_at": datetime.now(UTC).isoformat(), "area": area})
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == field, bad.text
    naive = client.post("/api/v1/emergencies", headers=supervisor, json={
        "name": "bad", "landfall_at": "2026-12-09T08:00:00", "area": AREA})
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"][-1] == "landfall_at"
    forward = client.post(f"/api/v1/emergencies/{rid}/phase", headers=supervisor,
                          json={"phase": "evacuation", "level": "II"})
    assert forward.status_code == 200 and forward.json()["level"] == "II"
    back = client.post(f"/api/v1/emergencies/{rid}/phase", headers=supervisor,
                       json={"phase": "watch"})
    assert back.status_code == 422 and back.json()["detail"][0]["loc"][-1] == "reason"
    year = date.today().year
    figures = by_key(collect(session=session, user=world.a_supervisor,
                             start=date(year, 1, 1), end=date(year + 1, 1, 1)))
    assert figures["emergencies.count"] == 1
    assert figures["emergencies.vessels_moved"] == 3
    assert figures["emergencies.crew_moved"] == 11
    assert session.get(User, world.b_officer.id) is not None


def test_an_agent_acknowledging_on_the_board_acknowledges_its_copy(client, session, world,
                                                                   scene, picture):
    supervisor, eid, _call = _setup(client, world, picture, scene)
    client.post(f"/api/v1/emergencies/{eid}/gather", headers=supervisor)
    client.post(f"/api/v1/emergencies/{eid}/notify", headers=api_token(client, "a1.officer"))
    agent = api_token(client, "agent.one")
    ship = client.get(f"/api/v1/emergencies/{eid}/vessels", headers=agent).json()["items"][0]
    assert ship["status"] == "notified"
    done = client.post(f"/api/v1/emergencies/{eid}/vessels/{ship['id']}/actions",
                       headers=agent, json={"action": "acknowledge"})
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    assert client.get("/api/v1/notifications/count", headers=agent).json()[
        "unacknowledged"] == 0
    # the other agent cannot reach it at all
    other = api_token(client, "agent.two")
    assert client.post(f"/api/v1/emergencies/{eid}/vessels/{ship['id']}/actions",
                       headers=other, json={"action": "acknowledge"}).status_code == 404
